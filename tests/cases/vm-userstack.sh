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
# cores there between runs (DIR/SUITE); VMSIFT_US_KERNELS="bookworm trixie"
# adds Debian 13's 6.12 (current task in pcpu_hot; one more minute).
. "$(dirname "$0")/../lib.sh"
VM=$ROOT/tests/vm
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "user stacks on a real kernel" "VMSIFT_NO_VM is set"; finish; }
[ -n "${VMSIFT_NO_DBG:-}" ] && { skip "user stacks on a real kernel" "VMSIFT_NO_DBG is set"; finish; }
command -v gcc >/dev/null || { skip "user stacks on a real kernel" "no gcc"; finish; }
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
CORES=${VMSIFT_US_CORE:-$WORK/cores}
SUITES=${VMSIFT_US_KERNELS:-bookworm}
ASAN=${VMSIFT_ASAN:-$ROOT/vmsift-asan}
[ -x "$ASAN" ] || ASAN=$VMSIFT
RD=$TOOLS/user_stack_read.py
t() { date +%s.%N; }
since() { echo "$(t) - $1" | bc; }

check "setup: kernels and debug vmlinux cached ($SUITES)" "$VM/setup.sh" --no-install --dbg $SUITES || finish
check "stackcrash builds (static)" gcc -std=c11 -O2 -Wall -Wextra -Werror -static -o "$WORK/stackcrash" "$VM/stackcrash.c" || finish

# reads DUMP NAME: drgn's view of the task's user stack (tests/tools/user_stack_read.py)
reads() { "$PY" "$RD" "$1" "$vml" "$pid" "$log" > "$WORK/$2.read" 2>&1; }
us() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"]["user_stack"][sys.argv[2]])' "$WORK/r.json" "$1"; }

suite_case() {  # SUITE
	local kver vml dir c log pid t0 pages kept
	kver=$(cat "$CACHE/kernels/$1.kver")
	vml=$CACHE/kernels/$kver/vmlinux dir=$CORES/$1
	[ -s "$vml" ] || { skip "user stacks on $kver" "no debug vmlinux"; return; }
	t0=$(t)
	if [ ! -s "$dir/vmcore.elf" ]; then
		check "$kver: the guest crashes through stackcrash; QMP core taken" \
			"$VM/userstack-core.sh" "$kver" "$WORK/stackcrash" "$dir" || return
	fi
	echo "# $kver: boot, crash and QMP core: $(since "$t0") s"
	c=$dir/vmcore.elf log=$dir/console.log
	pid=$(grep -ao 'STACKCRASH pid=[0-9]*' "$log" | head -1 | cut -d= -f2)
	check "$kver: the console names the crashing program's pid" test -n "$pid" || return
	check_grep "$kver: the kernel panicked in stackcrash" "Comm: stackcrash" "$log"

	t0=$(t)
	"$ASAN" -f -l -d 31 --keep-user-stack -x "$vml" --message-level 16 --report "$WORK/r.json" \
		"$c" "$WORK/keep.kdump" > "$WORK/keep.txt" 2>&1
	check_eq "$kver: -d 31 --keep-user-stack -x VMLINUX (sanitized build) succeeds" 0 $?
	echo "# $kver: vmsift -d 31 --keep-user-stack -x: $(since "$t0") s"
	check_eq "$kver: --report: one user task on the CPUs" 1 "$(us tasks)"
	pages=$(us pages) kept=$(us kept)
	check "$kver: --report: at least the 13 pages from sp to env_end, all dropped by -d 31 otherwise ($pages found, $kept kept)" \
		test "$pages" -ge 13 -a "$kept" -eq "$pages"
	check_grep "$kver: the text report has the user stack line" "User stack pages : 0x0*$(printf %x "$pages") " "$WORK/keep.txt"
	t0=$(t)
	check "$kver: every page of that dump equals the source core's" \
		"$PY" "$TOOLS/compare_elf.py" --clipped "$c" "$WORK/keep.kdump"
	echo "# $kver: compare_elf: $(since "$t0") s"

	"$VMSIFT" -f -l -d 0 --message-level 0 "$c" "$WORK/all.kdump"
	"$VMSIFT" -f -l -d 31 --message-level 0 "$c" "$WORK/plain.kdump"
	t0=$(t)
	reads "$WORK/all.kdump" all
	reads "$WORK/keep.kdump" keep
	reads "$WORK/plain.kdump" plain
	echo "# $kver: drgn reads of three dumps: $(since "$t0") s"
	check_eq "$kver: drgn on the unfiltered dump: the pattern in all four frames, the ELF header" \
		"4 1" "$(grep -c '^pattern [0-9] ok' "$WORK/all.read") $(grep -c '^elfheader .* ok' "$WORK/all.read")"
	check "$kver: drgn reads the same user stack pages and ELF header from the --keep-user-stack dump" \
		cmp "$WORK/all.read" "$WORK/keep.read"
	# A page of the range can be unmapped in the task too (the random gap below the
	# exec strings): what drgn reads plus the ELF header page is what vmsift found.
	check_eq "$kver: vmsift's page count is drgn's mapped stack pages plus the ELF header page" "$pages" \
		$(( $(grep -cE '^page 0x[0-9a-f]+ [0-9a-f]{40}$' "$WORK/keep.read") + $(grep -c '^elfheader .* ok' "$WORK/keep.read") ))
	check_eq "$kver: without the option drgn faults on the pattern of every frame and on the ELF header" \
		"4 1" "$(grep -c '^pattern [0-9] FAULT' "$WORK/plain.read") $(grep -c '^elfheader .* FAULT' "$WORK/plain.read")"

	check_fails "$kver: without -x the option is refused" "$VMSIFT" -f -l -d 31 --keep-user-stack "$c" "$WORK/no.kdump"
	check_grep "$kver: the refusal names the missing keys and -x" \
		"needs SYMBOL\(__per_cpu_offset\).*OFFSET\(task_struct.mm\).*-x VMLINUX" "$WORK/.log"
	rm -f "$WORK"/*.kdump
}

for suite in $SUITES; do suite_case "$suite"; done
finish
