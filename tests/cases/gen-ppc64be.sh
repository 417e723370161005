#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated big-endian ppc64 machines (tests/gen --arch ppc64: the ppc64le
# layouts with every word of kernel memory, the ELF file and its notes in
# big-endian order, utsname machine "ppc64"), filtered on this x86_64 host:
# radix 64K (6.1), hash 64K through vmemmap_list (6.1) and radix 4K (6.12).
# Per-type excluded counts equal the generator's truth at every level,
# exactly the expected pfns are excluded and every kept page equals the
# source; the kdump header is written big-endian and libkdumpfile reads
# init_uts_ns through the dump and -E writes the kept pages (64K layouts:
# libkdumpfile reads ppc64 with 64K pages only).  No peer: Debian
# builds no big-endian ppc64 makedumpfile in its main archive.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "big-endian ppc64 machines" "tests/gen/mkvmcore not built"; finish; }

LEVELS="0 1 2 4 8 16 31"
[ -n "${VMSIFT_SANITIZED:-}" ] && LEVELS="1 31"

layout_case() {  # TAG RELEASE MKVMCORE-ARGS...
	local tag=$1 rel=$2; shift 2
	local core=$WORK/$tag.elf truth=$WORK/$tag.truth d bad=""
	if ! "$MKVMCORE" --arch ppc64 --mem 256M --seed 11 --truth "$truth" -o "$core" "$@" >"$WORK/gen.log" 2>&1; then
		check "$tag: generator" false; cat "$WORK/gen.log"; return
	fi
	check_eq "$tag: the core is big-endian (EI_DATA 2)" 2 "$(od -An -tu1 -j5 -N1 "$core" | tr -d ' ')"
	for d in $LEVELS; do
		"$VMSIFT" -f -l -d $d --message-level 16 "$core" "$WORK/$tag.kdump" > "$WORK/rep.txt" 2>&1 || bad+=" d$d(exit)"
		[ "$(report_counts "$WORK/rep.txt")" = "$(truth_counts "$truth" $d)" ] || bad+=" d$d"
	done
	check "$tag: per-type excluded counts equal the truth at levels $(echo $LEVELS | tr ' ' ,)${bad:+ (wrong at$bad)}" test -z "$bad"
	"$VMSIFT" -f -l -d 31 --message-level 0 "$core" "$WORK/$tag.kdump"
	"$PY" "$TOOLS/truth_excluded.py" "$truth" 31 > "$WORK/excl.txt"
	check "$tag -d 31: exactly the expected pfns excluded, every kept page equal to the source" \
		"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$core" "$WORK/$tag.kdump"
	check_eq "$tag: the kdump header version is stored big-endian" "00000006" \
		"$(od -An -tx1 -j8 -N4 "$WORK/$tag.kdump" | tr -d ' ')"
	# libkdumpfile's ppc64 translation knows 64K pages only ("Unsupported page
	# shift: 12"), and compare_elf_out.py reads through it.
	[ "${tag#*-4k}" = "$tag" ] || { rm -f "$WORK/$tag.kdump"; return; }
	check_eq "$tag: libkdumpfile reads init_uts_ns through the dump" "$rel ppc64" \
		"$("$PY" "$ROOT/tests/vm/read-release.py" libkdumpfile "$WORK/$tag.kdump" 2>&1) $("$PY" "$TOOLS/kdumpinfo.py" "$WORK/$tag.kdump" | sed -n "s/^utsname.machine *'\(.*\)'/\1/p")"
	check "$tag -E: the ELF output holds every kept page" bash -c \
		"'$VMSIFT' -E -d 31 --message-level 0 '$core' '$WORK/$tag.e.elf' && '$PY' '$TOOLS/compare_elf_out.py' '$WORK/$tag.e.elf' '$core'"
	rm -f "$WORK/$tag.kdump" "$WORK/$tag.e.elf"
}

t0=$(date +%s)
layout_case radix-64k 6.1.0-synthetic --layout radix-64k --kernel 6.1
layout_case hash-64k 6.1.0-synthetic --layout hash-64k --kernel 6.1
layout_case radix-4k-612 6.12.0-synthetic --layout radix-4k --kernel 6.12
echo "layouts: $(( $(date +%s) - t0 )) s"
finish
