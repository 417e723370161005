#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real kdump cycle: boot a guest with crashkernel=, run the page-mix
# workload, load a capture kernel with kexec -p, crash with sysrq-c; the
# capture kernel runs each dumper on /proc/vmcore, writes to a second disk
# and powers off; the results are read off that disk image.
#
#   tests/vm/kdump-cycle.sh [--mem MIB] [--crashkernel SIZE] [--save-vmcore] KERNEL OUTDIR DUMPER...
#
# DUMPER: [NAME[:VARIANTS]=]PATH (see mkinitramfs.sh); each runs as
#   PATH $VMSIFT_DUMP_ARGS /proc/vmcore OUT   (args default "-l -d 31")
# once per variant: mmap (plain) and nonmmap (adds --non-mmap).  The peer
# chosen by setup.sh for KERNEL is added as "peer:mmap=..." unless
# VMSIFT_PEER=none (VMSIFT_PEER=PATH picks another one).
# --save-vmcore also copies the unfiltered /proc/vmcore (OUTDIR/vmcore.raw).
# OUTDIR gets, per run, NAME.VARIANT.{dump,log,stat} (stat: exit, wall_s,
# user_s, sys_s, maxrss_kb), capture.txt (capture kernel's meminfo etc.),
# console.log (both kernels' serial console), ground-truth.txt,
# results.txt (one line per run), info.txt (step timings).
# Exit: 0 all runs succeeded, 3 some dumper failed, 1 the cycle failed.
# Deadlines: VMSIFT_KDUMP_TIMEOUT (default 900 s) for the whole cycle.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mem=1024 save=0
while [[ ${1:-} == --* ]]; do
	case $1 in
	--mem) mem=$2; shift 2 ;;
	--crashkernel) crashkernel=$2; shift 2 ;;
	--save-vmcore) save=1; shift ;;
	*) die "unknown option $1" ;;
	esac
done
(($# >= 3)) || die "usage: $0 [--mem MIB] [--crashkernel SIZE] [--save-vmcore] KERNEL OUTDIR DUMPER..."
kver=$(resolve_kver "$1")
outdir=$2
shift 2
dumpers=("$@")
prepare_outdir "$outdir"
mkdir -p "$work/boot"

peer=$(peer_for "$kver")
# On arm64, ppc64el and riscv64 the peer that runs on this host under
# qemu-user is Debian's makedumpfile of that arch; in the guest that binary
# itself runs.
arch=$(kernel_arch "$kver")
[[ $arch == arm64 || $arch == ppc64el || $arch == riscv64 ]] && [[ $peer == "$CACHE/peers/$arch" ]] &&
	peer=$CACHE/$arch/root/usr/bin/makedumpfile
[[ $peer == none ]] || dumpers+=("peer:mmap=$peer")
step "kernel $kver, ${mem} MiB guest, dumpers: ${dumpers[*]}"

# Disk 1: the workload's file system, also carrying the capture kernel.
cp "$(kernel_image "$kver")" "$work/boot/vmlinuz"
VMSIFT_SAVE_VMCORE=$save "$VM_DIR/mkinitramfs.sh" "$kver" "$work/boot/capture.cpio.gz" capture "${dumpers[@]}"
"$VM_DIR/mkinitramfs.sh" "$kver" "$work/initrd.gz" workload
mk_disk "$work/disk.img" "$((mem / 8 + 256))M" "$work/boot"
# Disk 2: results.  Sparse, sized for the worst case (every run unfiltered).
mk_disk "$work/out.img" "$((mem * (2 * ${#dumpers[@]} + 2) + 256))M"
t_prep=$(elapsed)

append="console=$(console_for "$kver") loglevel=1 panic=-1 crashkernel=${crashkernel:-192M} vmsift.mode=kdump $(workload_args "$mem")"
qemu_start "$kver" "$work/initrd.gz" "$mem" "$append" "$outdir/console.log" "$work/qmp.sock" \
	-drive "file=$work/disk.img,format=raw,if=virtio" \
	-drive "file=$work/out.img,format=raw,if=virtio"
step "QEMU started (pid $QEMU_PID, accel $QEMU_ACCEL)"

deadline=$((SECONDS + ${VMSIFT_KDUMP_TIMEOUT:-900}))
left() { echo $((deadline - SECONDS > 0 ? deadline - SECONDS : 1)); }
declare -A t=()
for mark in 'WORKLOAD READY' 'CAPTURE KERNEL UP' 'CAPTURE DONE'; do
	if wait_for_line "$outdir/console.log" "$mark" "$(left)" "$QEMU_PID"; then
		t[$mark]=$(elapsed)
		step "$mark"
	else
		break
	fi
done
reap "$QEMU_PID" "$(left)" || log "QEMU did not power off in time; killed"
QEMU_PID=
t_end=$(elapsed)
sed -n '/=== BEGIN GROUND TRUTH ===/,/=== END GROUND TRUTH ===/p' "$outdir/console.log" |
	tr -d '\r' >"$outdir/ground-truth.txt"

# Results off the disk image (no loop mount needed).
rm -rf "$work/res"
debugfs -R "rdump /res $work" "$work/out.img" >/dev/null 2>&1 || true
if [[ -d $work/res ]]; then
	find "$work/res" -mindepth 1 -maxdepth 1 -exec mv -f {} "$outdir/" \;
fi
step "results extracted"

cat >"$outdir/info.txt" <<EOF
kernel=$kver
accel=$QEMU_ACCEL
mem_mib=$mem
append=$append
t_prepare_s=$t_prep
t_workload_ready_s=${t['WORKLOAD READY']:-}
t_capture_kernel_up_s=${t['CAPTURE KERNEL UP']:-}
t_capture_done_s=${t['CAPTURE DONE']:-}
t_qemu_exit_s=$t_end
t_total_s=$(elapsed)
EOF

status=0
: >"$outdir/results.txt"
for st in "$outdir"/*.stat; do
	[[ -e $st ]] || continue
	run=$(basename "$st" .stat)
	[[ $run == vmcore.raw ]] && continue
	dump=$outdir/$run.dump
	size=none
	[[ -f $dump ]] && size=$(stat -c %s "$dump")
	printf '%s %s size=%s\n' "$run" "$(tr '\n' ' ' <"$st")" "$size" >>"$outdir/results.txt"
	grep -q '^exit=0$' "$st" || status=3
	sed -i 's/.*\r//' "$outdir/$run.log" 2>/dev/null || true
done
cat "$outdir/results.txt" >&2
if [[ ! -f $outdir/done ]]; then
	tail -30 "$outdir/console.log" >&2 || true
	die "kdump cycle did not complete"
fi
step "done ($outdir)"
exit "$status"
