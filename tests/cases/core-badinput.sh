#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input gives a one-line error that names the problem, a non-zero exit,
# and no crash (this case also runs under ASan/UBSan).
. "$(dirname "$0")/../lib.sh"

good=$WORK/good.elf
"$PY" "$TOOLS/mkcore.py" "$good" >/dev/null
size=$(stat -c %s "$good")

expect_error() {  # NAME PATTERN VMSIFT-ARGS...
	local name=$1 pat=$2; shift 2
	rm -f "$WORK/out.kdump"
	check_fails "$name: fails" "$VMSIFT" "$@"
	rm -f "$WORK/out.kdump"
	"$VMSIFT" "$@" >"$WORK/err.txt" 2>&1
	check_grep "$name: says why" "$pat" "$WORK/err.txt"
}

head -c 40 "$good" > "$WORK/trunc-hdr.elf"
expect_error "file cut inside the ELF header" "too short|truncated|ends" -d 1 "$WORK/trunc-hdr.elf" "$WORK/out.kdump"
head -c 300 "$good" > "$WORK/trunc-ph.elf"
expect_error "file cut inside the program headers" "program header table" -d 1 "$WORK/trunc-ph.elf" "$WORK/out.kdump"
{ printf 'XELF'; tail -c +5 "$good"; } > "$WORK/magic.elf"
expect_error "bad ELF magic" "not an ELF file" -d 1 "$WORK/magic.elf" "$WORK/out.kdump"
head -c $((size - 40000)) "$good" > "$WORK/trunc-load.elf"
expect_error "PT_LOAD beyond the end of the file" "truncated: [0-9]+ page" -d 1 "$WORK/trunc-load.elf" "$WORK/out.kdump"
check "... the pages that exist are still dumped and readable" "$PY" "$TOOLS/compare_elf.py" "$WORK/trunc-load.elf" "$WORK/out.kdump"
check_eq "... and the dump is marked incomplete" 8 "$(( $(kdump_field "$WORK/out.kdump" "['header']['status']") & 8 ))"
echo "this is not a vmcore" > "$WORK/text.elf"
expect_error "a text file" "not an ELF file" -d 1 "$WORK/text.elf" "$WORK/out.kdump"
expect_error "a missing file" "No such file" -d 1 "$WORK/nonexistent" "$WORK/out.kdump"

"$PY" "$TOOLS/mkcore.py" "$WORK/garbage-ps.elf" --omit-key PAGESIZE --extra-key PAGESIZE=4k96 >/dev/null
expect_error "VMCOREINFO PAGESIZE garbage" "PAGESIZE=4k96" -d 1 "$WORK/garbage-ps.elf" "$WORK/out.kdump"
"$PY" "$TOOLS/mkcore.py" "$WORK/odd-ps.elf" --omit-key PAGESIZE --extra-key PAGESIZE=4095 >/dev/null
expect_error "VMCOREINFO PAGESIZE not a power of two" "PAGESIZE=4095" -d 1 "$WORK/odd-ps.elf" "$WORK/out.kdump"
"$PY" "$TOOLS/mkcore.py" "$WORK/huge-ct.elf" --omit-key CRASHTIME --extra-key CRASHTIME=99999999999999999999999 >/dev/null
expect_error "VMCOREINFO number that overflows" "CRASHTIME" -d 1 "$WORK/huge-ct.elf" "$WORK/out.kdump"

"$PY" "$TOOLS/mkcore.py" "$WORK/novmci.elf" --no-vmcoreinfo >/dev/null
check "no VMCOREINFO: -d 1 still works (needs no kernel structures)" "$VMSIFT" -d 1 --message-level 0 "$WORK/novmci.elf" "$WORK/nv.kdump"
check "... and the pages are right" "$PY" "$TOOLS/compare_elf.py" "$WORK/novmci.elf" "$WORK/nv.kdump"
expect_error "no VMCOREINFO at -d 31" "VMCOREINFO" -d 31 "$WORK/novmci.elf" "$WORK/out.kdump"

# -i FILE: a release mismatch exits 2, like makedumpfile.
printf 'OSRELEASE=9.9.9-other\nPAGESIZE=4096\n' > "$WORK/other.vmcoreinfo"
"$VMSIFT" -d 1 -i "$WORK/other.vmcoreinfo" "$good" "$WORK/out.kdump" >"$WORK/err.txt" 2>&1
check_eq "-i with another release exits 2" 2 $?
check_grep "... naming both releases" "9.9.9-other.*6.0.0-vmsift-test" "$WORK/err.txt"

# The architecture comes from e_machine and is cross-checked with the keys
# only one architecture's kernels export: a mismatch is refused, naming both.
"$MKVMCORE" --mem 64M --seed 3 -o "$WORK/x86.core" >/dev/null
set_machine() {  # FILE E_MACHINE
	"$PY" -c 'import struct,sys; f=open(sys.argv[1],"r+b"); f.seek(18); f.write(struct.pack("<H",int(sys.argv[2])))' "$1" "$2"
}
cp "$WORK/x86.core" "$WORK/em-aarch64.core"
set_machine "$WORK/em-aarch64.core" 183
expect_error "x86_64 kernel in an ELF that says aarch64 (-d 1)" \
	"aarch64 \(e_machine 183\).*VMCOREINFO has [A-Z]+\([a-z0-9_]+\), which only x86_64" \
	-d 1 "$WORK/em-aarch64.core" "$WORK/out.kdump"
expect_error "... and at -d 31" "e_machine 183.*only x86_64" -d 31 "$WORK/em-aarch64.core" "$WORK/out.kdump"
check "... the same core with its own e_machine passes" "$VMSIFT" -d 31 --message-level 0 "$WORK/x86.core" "$WORK/x86.kdump"
rel=$(grep -a -o 'OSRELEASE=[^[:space:]]*' "$WORK/x86.core" | head -1)
printf '%s\nPAGESIZE=4096\nNUMBER(VA_BITS)=48\nNUMBER(kimage_voffset)=0xffff800007e00000\n' "$rel" > "$WORK/arm64.vmcoreinfo"
expect_error "an aarch64 kernel's VMCOREINFO (-i) for an x86_64 ELF" \
	"x86_64 \(e_machine 62\).*NUMBER\(kimage_voffset\), which only aarch64" \
	-d 1 -i "$WORK/arm64.vmcoreinfo" "$WORK/x86.core" "$WORK/out.kdump"
finish
