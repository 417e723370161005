#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot a guest whose /init runs stackcrash (tests/vm/stackcrash.c): a program
# that puts a known pattern on its own user stack and crashes the kernel
# itself with sysrq-c.  Once the kernel has panicked (panic=0: it stays
# halted), save its memory with QEMU's dump-guest-memory (paging=false, with
# a VMCOREINFO note), as qemu-core.sh does.
#
#   tests/vm/userstack-core.sh [--mem MIB] KERNEL STACKCRASH OUTDIR
#
# STACKCRASH: the static stackcrash binary.  OUTDIR gets vmcore.elf,
# console.log (with the program's STACKCRASH lines) and info.txt (step
# timings).  VMSIFT_BOOT_TIMEOUT (default 180 s) bounds the boot and crash.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mem=512
[[ ${1:-} == --mem ]] && { mem=$2; shift 2; }
(($# == 3)) || die "usage: $0 [--mem MIB] KERNEL STACKCRASH OUTDIR"
kver=$(resolve_kver "$1")
bin=$2
prepare_outdir "$3"

VMSIFT_INITRD_BIN=$bin "$VM_DIR/mkinitramfs.sh" "$kver" "$work/initrd.gz" workload
t_prep=$(elapsed)
append="console=$(console_for "$kver") loglevel=4 panic=0 vmsift.mode=userstack${VMSIFT_GUEST_APPEND:+ $VMSIFT_GUEST_APPEND}"
qemu_start "$kver" "$work/initrd.gz" "$mem" "$append" "$outdir/console.log" "$work/qmp.sock"
step "QEMU started (pid $QEMU_PID, accel $QEMU_ACCEL); waiting for the crash"
rc=0
wait_for_line "$outdir/console.log" 'Kernel panic\|WORKLOAD FAILED' "${VMSIFT_BOOT_TIMEOUT:-180}" "$QEMU_PID" || rc=$?
if ((rc != 0)) || ! grep -aq 'STACKCRASH GO' "$outdir/console.log" || ! grep -aq 'Kernel panic' "$outdir/console.log"; then
	tail -20 "$outdir/console.log" >&2 || true
	die "the guest did not crash through stackcrash (rc $rc)"
fi
sleep 2  # let panic() stop the other CPUs
t_crash=$(elapsed)
step "guest crashed"
rm -f "$outdir/vmcore.elf"
timeout 120 "$PY" "$VM_DIR/qmp.py" --timeout 110 "$work/qmp.sock" '{"execute": "stop"}' \
	"{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$outdir/vmcore.elf\"}}" \
	>"$work/qmp.out" || die "dump-guest-memory failed: $(cat "$work/qmp.out")"
t_dump=$(elapsed)
timeout 30 "$PY" "$VM_DIR/qmp.py" --timeout 20 "$work/qmp.sock" '{"execute": "quit"}' >/dev/null || true
reap "$QEMU_PID" 20 || log "QEMU had to be killed"
QEMU_PID=
cat >"$outdir/info.txt" <<INFO
kernel=$kver
accel=$QEMU_ACCEL
mem_mib=$mem
append=$append
t_prepare_s=$t_prep
t_crashed_s=$t_crash
t_dump_done_s=$t_dump
t_total_s=$(elapsed)
INFO
step "done: $outdir/vmcore.elf ($(du -h "$outdir/vmcore.elf" | cut -f1))"
