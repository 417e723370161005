#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --keep-user-stack on a real Debian 6.1 guest (tests/vm): a program puts a
# known pattern on its own user stack (four frames) and crashes the kernel
# itself with sysrq-c (tests/vm/stackcrash.c); the QMP core of the halted
# guest is filtered at -d 31 with the -dbg vmlinux.  drgn (an independent
# reader: it finds the task, its saved user registers and walks its page
# tables) reads the whole user stack and the executable's ELF header from
# that dump, the same bytes as from an unfiltered (-d 0) dump of the core,
# and finds the pattern; every kept page equals the source core's; without
# the option those reads fault.  Without -x the option is refused, naming
# the keys.  One boot (~1 minute under TCG).
# VMSIFT_NO_VM=1 or VMSIFT_NO_DBG=1 skip it; VMSIFT_US_CORE=DIR keeps the
# core there between runs.
. "$(dirname "$0")/../lib.sh"
VM=$ROOT/tests/vm
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "user stacks on a real kernel" "VMSIFT_NO_VM is set"; finish; }
[ -n "${VMSIFT_NO_DBG:-}" ] && { skip "user stacks on a real kernel" "VMSIFT_NO_DBG is set"; finish; }
command -v gcc >/dev/null || { skip "user stacks on a real kernel" "no gcc"; finish; }
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
CORE=${VMSIFT_US_CORE:-$WORK/core}
ASAN=${VMSIFT_ASAN:-$ROOT/vmsift-asan}
[ -x "$ASAN" ] || ASAN=$VMSIFT
RD=$TOOLS/user_stack_read.py
t() { date +%s.%N; }
since() { echo "$(t) - $1" | bc; }

check "setup: kernel and debug vmlinux cached (bookworm)" "$VM/setup.sh" --no-install --dbg bookworm || finish
kver=$(cat "$CACHE/kernels/bookworm.kver")
vml=$CACHE/kernels/$kver/vmlinux
[ -s "$vml" ] || { skip "user stacks" "no debug vmlinux for $kver"; finish; }
check "stackcrash builds (static)" gcc -std=c11 -O2 -Wall -Wextra -Werror -static -o "$WORK/stackcrash" "$VM/stackcrash.c" || finish

t0=$(t)
if [ ! -s "$CORE/vmcore.elf" ]; then
	check "$kver: the guest crashes through stackcrash; QMP core taken" \
		"$VM/userstack-core.sh" "$kver" "$WORK/stackcrash" "$CORE" || finish
fi
echo "# boot, crash and QMP core: $(since "$t0") s"
c=$CORE/vmcore.elf log=$CORE/console.log
pid=$(grep -ao 'STACKCRASH pid=[0-9]*' "$log" | head -1 | cut -d= -f2)
check "the console names the crashing program's pid" test -n "$pid" || finish
check_grep "the kernel panicked in stackcrash" "Comm: stackcrash" "$log"

t0=$(t)
"$ASAN" -f -l -d 31 --keep-user-stack -x "$vml" --message-level 16 --report "$WORK/r.json" \
	"$c" "$WORK/keep.kdump" > "$WORK/keep.txt" 2>&1
check_eq "-d 31 --keep-user-stack -x VMLINUX (sanitized build) succeeds" 0 $?
echo "# vmsift -d 31 --keep-user-stack -x: $(since "$t0") s"
us() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"]["user_stack"][sys.argv[2]])' "$WORK/r.json" "$1"; }
check_eq "--report: one user task on the CPUs" 1 "$(us tasks)"
pages=$(us pages) kept=$(us kept)
check "--report: at least the 13 pages from sp to env_end, all dropped by -d 31 otherwise ($pages found, $kept kept)" \
	test "$pages" -ge 13 -a "$kept" -eq "$pages"
check_grep "the text report has the user stack line" "User stack pages : 0x0*$(printf %x "$pages") " "$WORK/keep.txt"
t0=$(t)
check "every page of that dump equals the source core's" "$PY" "$TOOLS/compare_elf.py" --clipped "$c" "$WORK/keep.kdump"
echo "# compare_elf: $(since "$t0") s"

"$VMSIFT" -f -l -d 0 --message-level 0 "$c" "$WORK/all.kdump"
"$VMSIFT" -f -l -d 31 --message-level 0 "$c" "$WORK/plain.kdump"
t0=$(t)
"$PY" "$RD" "$WORK/all.kdump" "$vml" "$pid" "$log" > "$WORK/all.txt" 2>&1
"$PY" "$RD" "$WORK/keep.kdump" "$vml" "$pid" "$log" > "$WORK/keep.read" 2>&1
"$PY" "$RD" "$WORK/plain.kdump" "$vml" "$pid" "$log" > "$WORK/plain.read" 2>&1
echo "# drgn reads of three dumps: $(since "$t0") s"
check_eq "drgn on the unfiltered dump: the pattern in all four frames, the ELF header" \
	"4 1" "$(grep -c '^pattern [0-9] ok' "$WORK/all.txt") $(grep -c '^elfheader .* ok' "$WORK/all.txt")"
check "drgn reads the same user stack pages and ELF header from the --keep-user-stack dump" \
	cmp "$WORK/all.txt" "$WORK/keep.read"
check "drgn: no page of that stack faults" bash -c "! grep -q FAULT '$WORK/keep.read'"
check_eq "without the option drgn faults on the pattern of every frame and on the ELF header" \
	"4 1" "$(grep -c '^pattern [0-9] FAULT' "$WORK/plain.read") $(grep -c '^elfheader .* FAULT' "$WORK/plain.read")"

check_fails "without -x the option is refused" "$VMSIFT" -f -l -d 31 --keep-user-stack "$c" "$WORK/no.kdump"
check_grep "the refusal names the missing keys and -x" "needs SYMBOL\(__per_cpu_offset\).*OFFSET\(task_struct.mm\).*-x VMLINUX" "$WORK/.log"
finish
