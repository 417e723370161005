#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated riscv64 machines (tests/gen --arch riscv64), filtered on this
# x86_64 host: Sv39, Sv48 and Sv57 with leaves at 1G, 2M and 4K (and 64K
# Svnapot runs), the 6.12 VMCOREINFO (va_kernel_pa_offset, KASLR) and the
# 6.1 one (no va_kernel_pa_offset: the image is found in RAM).  Per-type
# excluded counts equal the generator's truth and every kept page equals the
# source; -e, --dump-dmesg, -E, --split, -F/-R and --num-threads work on
# riscv64 input; bad riscv64 input fails with an error naming the value.
# trixie's riscv64 makedumpfile 1.7.6 is no usable peer here: on these cores
# it keeps and drops other pages than the truth says (its vmemmap and
# huge-leaf walks are broken; docs/compat.md); vm-riscv64.sh compares with it
# on a real kernel.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "riscv64 machines" "tests/gen/mkvmcore not built"; finish; }
RV=$TOOLS/rv64core.py

LEVELS=$(gen_levels)
GEN_ARGS=()

gen_layout_case sv39 --layout sv39 --kernel 6.12
gen_layout_case sv48 --layout sv48 --kernel 6.12
gen_layout_case sv57 --layout sv57 --kernel 6.12
DROP=1 MEM=1088M gen_layout_case sv39-1g-kaslr --layout sv39 --kernel 6.12 --kaslr
DROP=1 MEM=1088M gen_layout_case sv57-1g-napot --layout sv57-napot --kernel 6.12 --vmemmap-4k
gen_layout_case sv48-61-no-offset --layout sv48 --kernel 6.1
DROP=1 MEM=640M gen_layout_case sv39-holes --layout sv39 --holes --vmemmap-4k
check "the 6.1 machine's VMCOREINFO has no va_kernel_pa_offset (the image was found in RAM)" \
	bash -c "! '$PY' '$RV' vmcoreinfo '$WORK/sv48-61-no-offset.elf' | grep -q va_kernel_pa_offset"

# -e: exactly the generator's excludable vmemmap pages (none, as on arm64).
"$MKVMCORE" --layout sv39 --mem 512M --seed 11 --mix free=90,kernel=6,anon=2,cache=2 \
	--truth "$WORK/e.truth" -o "$WORK/e.elf" >/dev/null
want=$(awk '/^# vmemmap_excludable /{print $3}' "$WORK/e.truth")
"$VMSIFT" -f -l -d 31 -e --message-level 16 "$WORK/e.elf" "$WORK/e.kdump" > "$WORK/e.txt" 2>&1
got=$(awk -F: '/Unused vmemmap pages/{gsub(/ /,"",$2); print $2}' "$WORK/e.txt")
check_eq "sv39 -e leaves out exactly the generator's $want excludable vmemmap pages" "$want" "$((got))"
check "sv39 -e: every kept page equals the source" "$PY" "$TOOLS/compare_elf.py" "$WORK/e.elf" "$WORK/e.kdump"
rm -f "$WORK/e.elf" "$WORK/e.kdump"

# The other outputs, on an Sv57 machine with KASLR.
core=$WORK/out.elf
"$MKVMCORE" --layout sv57 --kernel 6.12 --kaslr --mem 256M --seed 9 --dmesg "$WORK/want.txt" -o "$core" >/dev/null
gen_check_dmesg "$core" "$WORK/want.txt"
gen_check_elf_out "$core"
gen_check_outputs "$core"
check_eq "the kdump header's phys_base is phys_ram_base" \
	"$("$PY" "$RV" vmcoreinfo "$core" | sed -n 's/^NUMBER(phys_ram_base)=//p')" \
	"$(kdump_field "$WORK/direct.kdump" "['sub_header']['phys_base']")"
rm -f "$WORK"/*.kdump "$WORK"/p1 "$WORK"/p2 "$WORK/e.elf"

# No VMCOREINFO note (QEMU's riscv64 virt machine has no vmcoreinfo device):
# the text, planted in a free page, is recovered and proves itself through
# the riscv64 walker (init_uts_ns in the KASLR'd image, mem_section).
"$MKVMCORE" --layout sv48 --kernel 6.12 --kaslr --mem 256M --seed 5 --truth "$WORK/r.truth" -o "$WORK/r.elf" >/dev/null
at=$(( $(awk '!/^#/ && $3 == "free" {print $1; exit}' "$WORK/r.truth") * 4096 ))
"$PY" "$TOOLS/strip_vmcoreinfo.py" --plant $at "$WORK/r.elf" "$WORK/nonote.elf" >/dev/null
"$VMSIFT" -f -l -d 31 --message-level 0 "$WORK/r.elf" "$WORK/ref.kdump"
"$VMSIFT" -f -l -d 31 "$WORK/nonote.elf" "$WORK/rec.kdump" > "$WORK/rec.txt" 2>&1
check_grep "no note: the VMCOREINFO is recovered from memory" \
	"recovered from its memory at physical address $(printf 0x%x $at)" "$WORK/rec.txt"
check "... and the dump keeps the same pfns and bytes as with the note" \
	"$PY" "$TOOLS/compare_dumps.py" "$WORK/ref.kdump" "$WORK/rec.kdump"
rm -f "$WORK"/*.kdump "$WORK/r.elf" "$WORK/nonote.elf"

# Bad input: a clear error naming the value, within bounded time.
base=$WORK/sv39.elf
"$PY" "$RV" vmcoreinfo "$base" > "$WORK/vi.txt"
cp "$base" "$WORK/em.elf"
"$PY" -c 'import sys; f=open(sys.argv[1],"r+b"); f.seek(18); f.write((62).to_bytes(2,"little"))' "$WORK/em.elf"
expect_error "a riscv64 kernel in an ELF that says x86_64" "x86_64 \(e_machine 62\).*only riscv64" \
	-d 1 "$WORK/em.elf" "$WORK/out.kdump"
rm -f "$WORK/em.elf"
{ cat "$WORK/vi.txt"; echo "NUMBER(kimage_voffset)=0xffff800000000000"; } > "$WORK/vi-arm.txt"
expect_error "an arm64 key in a riscv64 dump's VMCOREINFO" "riscv64 \(e_machine 243\).*kimage_voffset.*only aarch64" \
	-d 31 -i "$WORK/vi-arm.txt" "$base" "$WORK/out.kdump"
sed 's/^NUMBER(VA_BITS)=.*/NUMBER(VA_BITS)=48/' "$WORK/vi.txt" > "$WORK/vi48.txt"
expect_error "VMCOREINFO claims Sv48 on an Sv39 kernel" "Sv48 page tables at 0x[0-9a-f]+ .*swapper_pg_dir 0x[0-9a-f]+" \
	-d 31 -i "$WORK/vi48.txt" "$base" "$WORK/out.kdump"
check "... -d 1 needs no translation and still works" "$VMSIFT" -f -d 1 --message-level 0 -i "$WORK/vi48.txt" "$base" "$WORK/out.kdump"
sed 's/^NUMBER(VA_BITS)=.*/NUMBER(VA_BITS)=4096/' "$WORK/vi.txt" > "$WORK/vi-wild.txt"
expect_error "a wild VA_BITS" "VA_BITS=4096 is no riscv64 paging mode" -d 31 -i "$WORK/vi-wild.txt" "$base" "$WORK/out.kdump"
sed 's/^NUMBER(va_kernel_pa_offset)=.*/NUMBER(va_kernel_pa_offset)=0x123456789000/' "$WORK/vi.txt" > "$WORK/vi-off.txt"
expect_error "a wrong va_kernel_pa_offset" "va_kernel_pa_offset 0x123456789000" -d 31 -i "$WORK/vi-off.txt" "$base" "$WORK/out.kdump"
for how in wild loop; do
	cp "$base" "$WORK/pgd-$how.elf"
	"$PY" "$RV" pgd "$WORK/pgd-$how.elf" $how
	expect_error "swapper_pg_dir entries $how" "swapper_pg_dir 0x[0-9a-f]+" -d 31 "$WORK/pgd-$how.elf" "$WORK/out.kdump"
	check "... -d 1 still works" "$VMSIFT" -f -d 1 --message-level 0 "$WORK/pgd-$how.elf" "$WORK/out.kdump"
	rm -f "$WORK/pgd-$how.elf"
done
gen_random_tables "PTEs (all but the image's)" "$base" "$RV" pgd
# Wrong linear-map values are a documented fallback: the page tables disagree,
# so the linear map is walked and the dump is still exactly the truth; the
# vmemmap base they imply is cross-checked with mem_section and warned about.
ram=$(sed -n 's/^NUMBER(phys_ram_base)=//p' "$WORK/vi.txt")
sed "s/^NUMBER(phys_ram_base)=.*/NUMBER(phys_ram_base)=$(( ram + 0x200000 ))/" "$WORK/vi.txt" > "$WORK/vi-ram.txt"
"$VMSIFT" -f -l -d 31 -i "$WORK/vi-ram.txt" "$base" "$WORK/out.kdump" > "$WORK/vm.txt" 2>&1
check_grep "a wrong phys_ram_base: warns, naming both vmemmap bases" \
	"warning: the vmemmap base from NUMBER\(VMEMMAP_START\) and NUMBER\(phys_ram_base\) is 0x[0-9a-f]+ .* but mem_section has 0x[0-9a-f]+ there" "$WORK/vm.txt"
"$PY" "$TOOLS/truth_excluded.py" "$WORK/sv39.truth" 31 > "$WORK/excl.txt"
check "... and the dump is still exactly the truth" \
	"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$base" "$WORK/out.kdump"
"$VMSIFT" -f -l -d 31 -i "$WORK/vi.txt" "$base" "$WORK/out.kdump" > "$WORK/vm.txt" 2>&1
check "the right values: a dump and no vmemmap warning" test "$(grep -c "vmemmap base from" "$WORK/vm.txt")" = 0 -a -s "$WORK/out.kdump"
finish
