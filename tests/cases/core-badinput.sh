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
finish
