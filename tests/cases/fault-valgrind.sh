#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# valgrind (memcheck, full leak check) on whole runs: a generated 256 MiB
# machine (or the vmcore named by VMSIFT_REAL_VMCORE, e.g. a QEMU core of a
# real kernel made with tests/vm/qemu-core.sh) at -l -d 31, with two threads
# at -z -d 31, and as -E; then error paths on the mini machine: an injected
# read error, corrupt kernel data, -R of a good and of a cut stream.  Every
# run must end with its usual exit code and no valgrind error (exit 99
# otherwise).  valgrind is required (tests/setup.sh installs it).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/faults/lib.sh"

if ! command -v valgrind >/dev/null; then
	check "valgrind is installed (tests/setup.sh installs it)" false
	finish
fi
build_fault_tools || { echo "not ok - building the fault tools"; exit 1; }
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect)
export FAULT_TIMEOUT=600

real=${VMSIFT_REAL_VMCORE:-}
if [ -n "$real" ]; then
	core=$real what="the vmcore $real"
else
	core=$WORK/g256.elf what="a generated 256 MiB vmcore"
	check "the generator makes a 256 MiB vmcore" "$MKVMCORE" --mem 256M --seed 1 -o "$core" || finish
fi
for args in "-l -d 31" "-z -d 31 --num-threads 2" "-E -d 31"; do
	rc=$(run_rc "$WORK/log" "${VG[@]}" "$VMSIFT" $args --message-level 0 "$core" "$WORK/out")
	check_eq "valgrind clean: $args on $what" 0 "$rc"
	[ "$rc" = 0 ] || sed 's/^/#   /' "$WORK/log" | head -30
	rm -f "$WORK/out"
done

mini=$WORK/mini.elf
"$MKMINI" -v 1 "$mini"
"$MKMINI" --poke 0x800=0x7fff000000000007 "$WORK/bad.elf"
"$VMSIFT" -F -d 0 --message-level 0 "$mini" > "$WORK/good.flat"
head -c 6000 "$WORK/good.flat" > "$WORK/cut.flat"
rc=$(run_rc "$WORK/log" faulty FAULT_IN=mini.elf FAULT_EIO=0x25000-0x26000 -- "${VG[@]}" "$VMSIFT" --non-mmap -d 31 "$mini" "$WORK/o1")
check_eq "valgrind clean: read error zero-filled (exit 1)" 1 "$rc"
rc=$(run_rc "$WORK/log" "${VG[@]}" "$VMSIFT" -d 31 "$WORK/bad.elf" "$WORK/o2")
check_eq "valgrind clean: corrupt mem_section (exit 1)" 1 "$rc"
rc=$(run_rc "$WORK/log" bash -c "$(printf '%q ' "${VG[@]}") '$VMSIFT' -R '$WORK/o3' < '$WORK/good.flat'")
check_eq "valgrind clean: -R of a good stream" 0 "$rc"
rc=$(run_rc "$WORK/log" bash -c "$(printf '%q ' "${VG[@]}") '$VMSIFT' -R '$WORK/o4' < '$WORK/cut.flat'")
check_eq "valgrind clean: -R of a cut stream (exit 1)" 1 "$rc"
finish
