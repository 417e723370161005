#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot a guest with the page-mix workload and save its memory as an ELF core
# with QEMU's dump-guest-memory (paging=false, with a VMCOREINFO note).
#
#   tests/vm/qemu-core.sh [--mem MIB] [--kdump FORMAT] KERNEL OUTDIR
#
# KERNEL: a version or suite (bookworm, trixie) prepared by setup.sh.
# --mem: guest RAM in MiB (default 1024; 4096 for the big variant).
# --kdump FORMAT: also save QEMU's own kdump-compressed file of the same
# memory (FORMAT: kdump-zlib, kdump-lzo or kdump-snappy) as OUTDIR/vmcore.kdump;
# the guest is stopped before the first dump, so both hold the same pages.
# OUTDIR gets: vmcore.elf (the core), ground-truth.txt (the guest's own
# meminfo/buddyinfo/vmstat just before the dump), console.log, info.txt
# (kernel, accel, sizes, step timings).  Every step has a deadline:
# VMSIFT_BOOT_TIMEOUT (default 300 s) for the workload, VMSIFT_DUMP_TIMEOUT
# (default 600 s) for the dump.  VMSIFT_ACCEL=tcg|kvm, VMSIFT_CPU override
# the probe and the CPU model; VMSIFT_GUEST_APPEND adds kernel parameters
# (e.g. nokaslr).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mem=1024 kdump=
while [[ ${1:-} == --* ]]; do
	case $1 in
	--mem) mem=$2; shift 2 ;;
	--kdump) kdump=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done
(($# == 2)) || die "usage: $0 [--mem MIB] [--kdump FORMAT] KERNEL OUTDIR"
kver=$(resolve_kver "$1")
outdir=$2
prepare_outdir "$outdir"

step "kernel $kver, ${mem} MiB guest, output $outdir"
"$VM_DIR/mkinitramfs.sh" "$kver" "$work/initrd.gz" workload
mk_disk "$work/disk.img" "$((mem / 8 + 128))M"
t_prep=$(elapsed)

append="console=$(console_for "$kver") loglevel=1 panic=-1 vmsift.mode=core $(workload_args "$mem")${VMSIFT_GUEST_APPEND:+ $VMSIFT_GUEST_APPEND}"
qemu_start "$kver" "$work/initrd.gz" "$mem" "$append" "$outdir/console.log" "$work/qmp.sock" \
	-drive "file=$work/disk.img,format=raw,if=virtio"
step "QEMU started (pid $QEMU_PID, accel $QEMU_ACCEL); waiting for the workload"
rc=0
wait_for_line "$outdir/console.log" 'WORKLOAD READY\|WORKLOAD FAILED\|Kernel panic' \
	"${VMSIFT_BOOT_TIMEOUT:-300}" "$QEMU_PID" || rc=$?
if ((rc != 0)) || ! grep -aq 'WORKLOAD READY' "$outdir/console.log"; then
	tail -20 "$outdir/console.log" >&2 || true
	cat "$outdir/console.log.qemu" >&2 || true
	die "workload did not become ready (rc $rc)"
fi
t_ready=$(elapsed)
step "workload ready"
sed -n '/=== BEGIN GROUND TRUTH ===/,/=== END GROUND TRUTH ===/p' "$outdir/console.log" |
	tr -d '\r' >"$outdir/ground-truth.txt"

rm -f "$outdir/vmcore.elf" "$outdir/vmcore.kdump"
dumps=("{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$outdir/vmcore.elf\"}}")
[[ -z $kdump ]] || dumps+=("{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"format\": \"$kdump\", \"protocol\": \"file:$outdir/vmcore.kdump\"}}")
timeout "${VMSIFT_DUMP_TIMEOUT:-600}" "$PY" "$VM_DIR/qmp.py" --timeout "${VMSIFT_DUMP_TIMEOUT:-600}" \
	"$work/qmp.sock" '{"execute": "stop"}' "${dumps[@]}" \
	>"$work/qmp.out" || die "dump-guest-memory failed: $(cat "$work/qmp.out")"
t_dump=$(elapsed)
step "dump written: $(du -h "$outdir/vmcore.elf" | cut -f1)${kdump:+, $kdump $(du -h "$outdir/vmcore.kdump" | cut -f1)}"
timeout 30 "$PY" "$VM_DIR/qmp.py" --timeout 20 "$work/qmp.sock" '{"execute": "quit"}' >/dev/null || true
reap "$QEMU_PID" 20 || log "QEMU had to be killed"
QEMU_PID=

cat >"$outdir/info.txt" <<EOF
kernel=$kver
accel=$QEMU_ACCEL
mem_mib=$mem
append=$append
vmcore_bytes=$(stat -c %s "$outdir/vmcore.elf")
t_prepare_s=$t_prep
t_workload_ready_s=$t_ready
t_dump_done_s=$t_dump
t_total_s=$(elapsed)
EOF
step "done: $outdir/vmcore.elf"
