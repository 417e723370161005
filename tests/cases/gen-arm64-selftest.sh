#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The generator's arm64 cores, checked without vmsift: for every granule /
# VA layout (4K/39, 4K/48, 4K/52 LPA2, a 52-bit 4K kernel running 48-bit
# with a negative PHYS_OFFSET, 16K/47, 16K/52 LPA2, a 52-bit 16K kernel
# running 47-bit, 64K/42, 64K/48, 64K/52 LPA) readelf sees an AArch64
# core, and libkdumpfile (tests/gen/check_core.py) reads init_uts_ns,
# struct pages through the vmemmap and linear-map pages through
# swapper_pg_dir; an independent walk of the tables finds well-formed
# descriptors of the layout's format, blocks, page-level units and
# contiguous runs, and a linear map covering exactly the RAM.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "arm64 generated machines" "tests/gen/mkvmcore not built"; finish; }
"$PY" -c 'import kdumpfile' 2>/dev/null || { skip "arm64 generated machines" "no python3-libkdumpfile"; finish; }

# layout | RAM | options | what the walk must report (extended regex)
while IFS='|' read -r layout mem opts want; do
	layout=$(echo $layout) mem=$(echo $mem) opts=$(echo $opts) want=$(echo $want)
	tag=$layout${opts:+ $opts}
	core=$WORK/a.core truth=$WORK/a.truth
	# shellcheck disable=SC2086
	if ! "$MKVMCORE" --layout "$layout" --mem "$mem" --seed 3 $opts \
		--truth "$truth" -o "$core" >"$WORK/gen.log" 2>&1; then
		check "$tag: generator" false
		cat "$WORK/gen.log"
		continue
	fi
	readelf -hlW "$core" >"$WORK/re.txt" 2>&1
	check_grep "$tag: readelf sees an AArch64 core" "Machine: +AArch64" "$WORK/re.txt"
	check "$tag: readelf without warnings" bash -c "! grep -qi warning '$WORK/re.txt'"
	"$PY" "$ROOT/tests/gen/check_core.py" "$core" "$truth" >"$WORK/cc.txt" 2>&1
	check_eq "$tag: libkdumpfile and the table walk agree with the truth" 0 $?
	sed 's/^/#   /' "$WORK/cc.txt" | grep -v ': 0 failures' | tail -8
	check_grep "$tag: tables are $want" "check_core: $want" "$WORK/cc.txt"
	rm -f "$core"
done <<'EOF'
4k-39        | 512M | --kaslr --holes            | 3-level plain .*block2M [1-9].*contiguous [1-9].*pages [1-9]
4k-48        | 2G   |                            | 4-level plain .*block1024M [1-9].*block2M [1-9].*contiguous [1-9]
4k-48        | 1G   | --kernel 6.12 --vmemmap-4k | 4-level plain .*block2M [1-9].*contiguous [1-9]
4k-52        | 1G   | --kaslr --holes            | 5-level lpa2 .*block2M [1-9].*contiguous [1-9]
4k-52-on-48  | 1G   | --kaslr                    | 4-level plain .*block2M [1-9]
16k-47       | 1G   | --vmemmap-4k               | 3-level plain .*block32M [1-9].*contiguous [1-9]
16k-48       | 512M | --kernel 6.12              | 4-level plain .*contiguous [1-9]
16k-52       | 1G   | --kaslr                    | 4-level lpa2 .*block32M [1-9].*contiguous [1-9]
16k-52-on-47 | 512M | --unsorted                 | 3-level plain .*block32M [1-9]
64k-42       | 1G   | --kaslr                    | 2-level plain .*block512M [1-9].*contiguous [1-9]
64k-48       | 256M | --unaligned                | 3-level plain .*contiguous [1-9].*pages [1-9]
64k-52       | 2G   | --kernel 6.12 --holes      | 3-level lpa .*block512M [1-9].*contiguous [1-9]
EOF

# The layouts that the kernel puts in VMCOREINFO.
"$MKVMCORE" --layout 4k-52-on-48 --mem 256M -o "$WORK/n.core" >/dev/null
strings -n 8 "$WORK/n.core" | grep -E '^(NUMBER|SYMBOL|SIZE|LENGTH)\(' >"$WORK/n.vmci"
check_grep "52-bit kernel running 48-bit: negative PHYS_OFFSET" '^NUMBER\(PHYS_OFFSET\)=0xfff' "$WORK/n.vmci"
check_grep "... TCR_EL1_T1SZ 16 with VA_BITS 52" '^NUMBER\(TCR_EL1_T1SZ\)=0x10$' "$WORK/n.vmci"
check_grep "... 6.12 style: SYMBOL(vmemmap)" '^SYMBOL\(vmemmap\)=' "$WORK/n.vmci"
"$MKVMCORE" --layout 64k-42 --mem 256M -o "$WORK/s.core" >/dev/null
strings -n 8 "$WORK/s.core" | grep -E '^(NUMBER|SYMBOL|SIZE|LENGTH)\(' >"$WORK/s.vmci"
check_grep "64K: SECTION_SIZE_BITS 29" '^NUMBER\(SECTION_SIZE_BITS\)=29$' "$WORK/s.vmci"
check "6.1 style: NUMBER(VMEMMAP_START) and no SYMBOL(vmemmap)" \
	bash -c "grep -q '^NUMBER(VMEMMAP_START)=0x' '$WORK/s.vmci' && ! grep -q '^SYMBOL(vmemmap)' '$WORK/s.vmci'"

# Combinations no arm64 kernel has are refused.
check_fails "4K 52-bit VA on a 6.1 kernel is refused" \
	"$MKVMCORE" --layout 4k-52 --kernel 6.1 -o "$WORK/x.core"
check_fails "--lpa2 with 64K pages is refused" \
	"$MKVMCORE" --arch arm64 --granule 64k --va-bits 52 --lpa2 -o "$WORK/x.core"
check_fails "--va-bits 47 with 4K pages is refused" \
	"$MKVMCORE" --arch arm64 --granule 4k --va-bits 47 -o "$WORK/x.core"
finish
