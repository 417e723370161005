#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated arm64 machines (tests/gen --arch arm64), filtered on this x86_64
# host: every granule and VA layout, including 52-bit LPA2 (4K/16K), LPA
# (64K) and a 52-bit kernel running 48/47-bit with a negative PHYS_OFFSET.
# Per-type excluded counts equal the generator's truth and every kept page
# equals the source; -e, --dump-dmesg, -E, --split, -F/-R and --num-threads
# work on arm64 input; Debian's arm64 makedumpfile (under qemu-user) keeps
# the same pages where it supports the layout; bad arm64 input fails with an
# error naming the value.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "arm64 machines" "tests/gen/mkvmcore not built"; finish; }
A64=$TOOLS/arm64core.py

LEVELS=$(gen_levels)
GEN_ARGS=(--arch arm64)

gen_layout_case 4k-48 --layout 4k-48
gen_layout_case 4k-48-612-kaslr --layout 4k-48 --kernel 6.12 --kaslr
gen_layout_case 4k-39 --layout 4k-39
gen_layout_case 4k-52-lpa2 --layout 4k-52 --kernel 6.12 --kaslr
gen_layout_case 4k-52-on-48 --layout 4k-52-on-48 --kernel 6.12 --kaslr
po=$("$PY" "$A64" vmcoreinfo "$WORK/4k-52-on-48.elf" | sed -n 's/^NUMBER(PHYS_OFFSET)=//p')
check "... whose PHYS_OFFSET ($po) is negative" test "$(( po < 0 ))" = 1
gen_layout_case 16k-47 --layout 16k-47
gen_layout_case 16k-48 --layout 16k-48 --kernel 6.12
gen_layout_case 16k-52-lpa2 --layout 16k-52 --kernel 6.12 --kaslr
gen_layout_case 16k-52-on-47 --layout 16k-52-on-47 --kernel 6.12
gen_layout_case 64k-42 --layout 64k-42
gen_layout_case 64k-48 --layout 64k-48 --kernel 6.12
gen_layout_case 64k-52-lpa --layout 64k-52 --kernel 6.12 --kaslr
MEM=640M gen_layout_case 4k-48-holes --layout 4k-48 --holes

# -e (makedumpfile has it on x86_64 only): exactly the generator's excludable vmemmap pages.
for layout in 4k-48 64k-48; do
	"$MKVMCORE" --arch arm64 --layout $layout --mem 1G --seed 11 --mix free=90,kernel=6,anon=2,cache=2 \
		--truth "$WORK/e.truth" -o "$WORK/e.elf" >/dev/null
	want=$(awk '/^# vmemmap_excludable /{print $3}' "$WORK/e.truth")
	"$VMSIFT" -f -l -d 31 -e --message-level 16 "$WORK/e.elf" "$WORK/e.kdump" > "$WORK/e.txt" 2>&1
	got=$(awk -F: '/Unused vmemmap pages/{gsub(/ /,"",$2); print $2}' "$WORK/e.txt")
	check_eq "$layout -e leaves out exactly the generator's $want excludable vmemmap pages" "$want" "$((got))"
	check "$layout -e: every kept page equals the source" "$PY" "$TOOLS/compare_elf.py" "$WORK/e.elf" "$WORK/e.kdump"
done
rm -f "$WORK/e.elf" "$WORK/e.kdump"

# The peer: Debian's arm64 makedumpfile 1.7.2 under qemu-user (tests/vm/setup-arm64.sh
# installs it) keeps the same pages on a 6.1 4K/48 machine, the layout it supports.
root=${VMSIFT_CACHE:-$HOME/.cache/vmsift}/arm64/root
if [ -x "$root/usr/bin/makedumpfile" ] && command -v qemu-aarch64-static >/dev/null; then
	core=$WORK/peer.elf
	"$MKVMCORE" --arch arm64 --layout 4k-48 --mem 256M --seed 9 -o "$core" >/dev/null
	"$PY" "$TOOLS/arm64core.py" vmcoreinfo "$core" > "$WORK/peer.vi"
	for d in 1 2 4 8 16 31; do
		rm -f "$WORK/m.kdump"
		qemu-aarch64-static -L "$root" "$root/usr/bin/makedumpfile" -l -d $d -i "$WORK/peer.vi" "$core" \
			"$WORK/m.kdump" >/dev/null 2>&1
		"$VMSIFT" -f -l -d $d --message-level 0 "$core" "$WORK/v.kdump"
		check "-d $d: the same pages as arm64 makedumpfile 1.7.2" "$PY" "$TOOLS/compare_dumps.py" "$WORK/v.kdump" "$WORK/m.kdump"
	done
else
	skip "the same pages as arm64 makedumpfile 1.7.2" "no arm64 makedumpfile or qemu-aarch64-static"
fi

# The other outputs, on the 52-bit LPA2 machine.
core=$WORK/4k-52-lpa2.elf
"$MKVMCORE" --arch arm64 --layout 4k-52 --kernel 6.12 --kaslr --mem 256M --seed 9 --dmesg "$WORK/want.txt" \
	-o "$core" >/dev/null
gen_check_dmesg "$core" "$WORK/want.txt"
gen_check_elf_out "$core"
gen_check_outputs "$core"
check_eq "the kdump header's phys_base is PHYS_OFFSET" \
	"$(( $("$PY" "$A64" vmcoreinfo "$core" | sed -n 's/^NUMBER(PHYS_OFFSET)=//p') ))" \
	"$(kdump_field "$WORK/direct.kdump" "['sub_header']['phys_base']")"

# Bad input: a clear error naming the value, within bounded time.
base=$WORK/4k-52-on-48.elf
"$PY" "$A64" vmcoreinfo "$base" > "$WORK/vi.txt"
cp "$base" "$WORK/em.elf"
"$PY" -c 'import sys; f=open(sys.argv[1],"r+b"); f.seek(18); f.write((62).to_bytes(2,"little"))' "$WORK/em.elf"
expect_error "an arm64 kernel in an ELF that says x86_64" "x86_64 \(e_machine 62\).*only aarch64" \
	-d 1 "$WORK/em.elf" "$WORK/out.kdump"
sed 's/^NUMBER(TCR_EL1_T1SZ)=.*/NUMBER(TCR_EL1_T1SZ)=0xc/' "$WORK/vi.txt" > "$WORK/vi52.txt"
expect_error "VMCOREINFO claims 52-bit LPA2 on a kernel running 48-bit" "5 levels, 52-bit VA.*swapper_pg_dir" \
	-d 31 -i "$WORK/vi52.txt" "$base" "$WORK/out.kdump"
check "... -d 1 needs no translation and still works" "$VMSIFT" -f -d 1 --message-level 0 -i "$WORK/vi52.txt" "$base" "$WORK/out.kdump"
"$PY" "$A64" vmcoreinfo "$WORK/4k-48.elf" | sed 's/^PAGESIZE=.*/PAGESIZE=16384/' > "$WORK/vi16k.txt"
expect_error "a 16K kernel's page size on a 4K dump" "4 levels, 48-bit VA.*swapper_pg_dir" \
	-d 31 -i "$WORK/vi16k.txt" "$WORK/4k-48.elf" "$WORK/out.kdump"
sed 's/^NUMBER(VA_BITS)=.*/NUMBER(VA_BITS)=47/; s/^NUMBER(TCR_EL1_T1SZ)=.*/NUMBER(TCR_EL1_T1SZ)=0x11/' "$WORK/vi.txt" > "$WORK/vi47.txt"
expect_error "VA_BITS=47 (a 16K size) with 4K pages" "VA_BITS=47 is not a VA size of 4K-page" \
	-d 31 -i "$WORK/vi47.txt" "$base" "$WORK/out.kdump"
for how in wild loop; do
	cp "$base" "$WORK/pgd-$how.elf"
	"$PY" "$A64" pgd "$WORK/pgd-$how.elf" $how
	expect_error "swapper_pg_dir entries $how" "swapper_pg_dir 0x[0-9a-f]+" -d 31 "$WORK/pgd-$how.elf" "$WORK/out.kdump"
	check "... -d 1 still works" "$VMSIFT" -f -d 1 --message-level 0 "$WORK/pgd-$how.elf" "$WORK/out.kdump"
done
gen_random_tables "descriptors (all but the image's)" "$base" "$A64" pgd
# The struct page base the kernel exports (SYMBOL(vmemmap) on 6.9+, else
# NUMBER(VMEMMAP_START) with PHYS_OFFSET) is cross-checked with mem_section:
# silent when they agree (also with a negative PHYS_OFFSET), a warning naming
# both values when not, and the dump still follows mem_section.
vmemmap_clean() {  # NAME CORE VMCOREINFO
	"$VMSIFT" -f -l -d 31 -i "$3" "$2" "$WORK/out.kdump" > "$WORK/vm.txt" 2>&1
	check "$1: a dump and no vmemmap warning" test "$(grep -c "vmemmap base from" "$WORK/vm.txt")" = 0 -a -s "$WORK/out.kdump"
}
vmemmap_wrong() {  # NAME CORE TRUTH VMCOREINFO KEY-PATTERN
	"$VMSIFT" -f -l -d 31 -i "$4" "$2" "$WORK/out.kdump" > "$WORK/vm.txt" 2>&1
	check_grep "$1: warns, naming both values" "warning: the vmemmap base from $5 is 0x[0-9a-f]+ .* but mem_section has 0x[0-9a-f]+ there" "$WORK/vm.txt"
	"$PY" "$TOOLS/truth_excluded.py" "$3" 31 > "$WORK/excl.txt"
	check "... and the dump is still exactly the truth" \
		"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$2" "$WORK/out.kdump"
}
"$PY" "$A64" vmcoreinfo "$WORK/4k-52-lpa2.elf" > "$WORK/vi612.txt"
vmemmap_clean "6.12 4k-52: SYMBOL(vmemmap) agrees" "$WORK/4k-52-lpa2.elf" "$WORK/vi612.txt"
grep -v '^SYMBOL(vmemmap)=' "$WORK/vi.txt" > "$WORK/vi-novm.txt"
vmemmap_clean "4k-52-on-48 without SYMBOL(vmemmap): VMEMMAP_START and the negative PHYS_OFFSET agree" \
	"$base" "$WORK/vi-novm.txt"
vm=$(sed -n 's/^SYMBOL(vmemmap)=//p' "$WORK/vi612.txt")
sed "s/^SYMBOL(vmemmap)=.*/SYMBOL(vmemmap)=$(printf %x $(( 0x$vm + 0x200000 )))/" "$WORK/vi612.txt" > "$WORK/vi-badvm.txt"
vmemmap_wrong "6.12 4k-52: a wrong SYMBOL(vmemmap)" "$WORK/4k-52-lpa2.elf" "$WORK/4k-52-lpa2.truth" \
	"$WORK/vi-badvm.txt" "SYMBOL\(vmemmap\)"
"$PY" "$A64" vmcoreinfo "$WORK/16k-47.elf" > "$WORK/vi61.txt"
st=$(sed -n 's/^NUMBER(VMEMMAP_START)=//p' "$WORK/vi61.txt")
sed "s/^NUMBER(VMEMMAP_START)=.*/NUMBER(VMEMMAP_START)=$(printf 0x%x $(( st + 0x4000000 )))/" "$WORK/vi61.txt" > "$WORK/vi-badstart.txt"
vmemmap_wrong "6.1 16k-47: a wrong NUMBER(VMEMMAP_START)" "$WORK/16k-47.elf" "$WORK/16k-47.truth" \
	"$WORK/vi-badstart.txt" "NUMBER\(VMEMMAP_START\) and NUMBER\(PHYS_OFFSET\)"
finish
