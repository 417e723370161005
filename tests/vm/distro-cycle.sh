#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's own kdump flow on a disk made by tests/vm/distro-image.sh: boot
# it with crashkernel=; kdump-tools.service loads the capture kernel with
# the initrd kdump-tools builds; the test unit crashes the guest (sysrq-c);
# the capture kernel boots the real root into kdump-tools-dump.service,
# whose savecore runs makedumpfile (vmsift, by diversion); the test's
# drop-in runs Debian's makedumpfile on the same /proc/vmcore first; then
# kdump-tools reboots the guest, and QEMU (-no-reboot) exits.
#
#   tests/vm/distro-cycle.sh [--mem MIB] [--crashkernel SPEC] [--crash-disk IMG]
#                            [--marks 'MARK|MARK...'] IMGDIR OUTDIR
#
# --crash-disk: a second disk (ext4 image) that the guest's fstab mounts on
# /var/crash; crash/ then comes from it.  --marks: the console lines to wait
# for, in order (a fault scenario stops elsewhere); the cycle stops waiting
# at the first one missing, or when QEMU exits.
#
# OUTDIR gets console.log (both kernels), crash/ (the guest's /var/crash),
# test/ (the guest's /var/lib/vmsift-test: first-boot.txt, capture.txt,
# peer.dmesg, peer.flat, peer logs) and info.txt (step times).  The kdump
# initrd the guest built is kept in the cache for the next image.
# Exit 0 when the guest crashed, saved and rebooted by itself; 1 otherwise.
# Deadline: VMSIFT_DISTRO_TIMEOUT (default 1500 s) for the whole cycle.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mem=1024 crashkernel=384M-:192M crash_disk='' marks_opt=''
while [[ ${1:-} == --* ]]; do
	case $1 in
	--mem) mem=$2; shift 2 ;;
	--crashkernel) crashkernel=$2; shift 2 ;;
	--crash-disk) crash_disk=$(realpath "$2"); shift 2 ;;
	--marks) marks_opt=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done
(($# == 2)) || die "usage: $0 [--mem MIB] [--crashkernel SPEC] [--crash-disk IMG] [--marks LIST] IMGDIR OUTDIR"
img=$(cd "$1" && pwd)
kver=$(cat "$img/kver")
prepare_outdir "$2"
suite_tar=$(ls "$CACHE"/distro/*-"$kver".tar 2>/dev/null | head -1)

append="root=/dev/vda rw console=ttyS0 crashkernel=$crashkernel panic=-1"
disks=(-drive "file=$img/disk.img,format=raw,if=virtio")
[[ -n $crash_disk ]] && disks+=(-drive "file=$crash_disk,format=raw,if=virtio")
qemu_start "$kver" "$img/initrd.img" "$mem" "$append" "$outdir/console.log" "$work/qmp.sock" "${disks[@]}"
step "QEMU started (pid $QEMU_PID, accel $QEMU_ACCEL, ${mem} MiB, crashkernel=$crashkernel)"

deadline=$((SECONDS + ${VMSIFT_DISTRO_TIMEOUT:-1500}))
left() { echo $((deadline - SECONDS > 0 ? deadline - SECONDS : 1)); }
declare -A t=()
marks=('VMSIFT-TEST: CRASHING' 'VMSIFT-TEST: CAPTURE BOOT' 'VMSIFT-TEST: PEER DONE'
	'saved vmcore in' 'reboot: Restarting system')
[[ -n $marks_opt ]] && IFS='|' read -r -a marks <<<"$marks_opt"
for mark in "${marks[@]}"; do
	if wait_for_line "$outdir/console.log" "$mark" "$(left)" "$QEMU_PID"; then
		t[$mark]=$(elapsed)
		step "$mark"
	else
		log "no '$mark' on the console"
		break
	fi
done
rebooted=0 exited=0
if reap "$QEMU_PID" "$(left)"; then
	exited=1
	[[ -n ${t['reboot: Restarting system']:-} ]] && rebooted=1
else
	log "QEMU did not exit in time; killed"
fi
QEMU_PID=
tr -d '\r' <"$outdir/console.log" >"$work/c" && mv "$work/c" "$outdir/console.log"

# Results off the disk image (no loop mount needed).
for d in crash:/var/crash test:/var/lib/vmsift-test kdump:/var/lib/kdump; do
	rm -rf "${work:?}/${d##*/}"
	debugfs -R "rdump ${d#*:} $work" "$img/disk.img" >/dev/null 2>&1 || true
	rm -rf "${outdir:?}/${d%%:*}"
	[[ -d $work/${d##*/} ]] && mv "$work/${d##*/}" "$outdir/${d%%:*}"
done
# The crash disk holds /var/crash's entries at its root.
if [[ -n $crash_disk ]]; then
	rm -rf "${outdir:?}/crash" && mkdir -p "$outdir/crash"
	for e in $(debugfs -R "ls -p /" "$crash_disk" 2>/dev/null | awk -F/ '$6 ~ /^2/ {print $6}'); do
		debugfs -R "rdump /$e $outdir/crash" "$crash_disk" >/dev/null 2>&1 || true
	done
fi
# Keep the kdump initrd kdump-tools built, for the next image of this base.
if [[ -n $suite_tar && -f $outdir/kdump/initrd.img-$kver && ! -f ${suite_tar%.tar}.kdump.tar ]]; then
	tar -C "$outdir/kdump/.." -cf "${suite_tar%.tar}.kdump.tar.tmp" \
		--transform 's,^kdump,var/lib/kdump,' kdump &&
		mv "${suite_tar%.tar}.kdump.tar.tmp" "${suite_tar%.tar}.kdump.tar"
fi
rm -rf "${outdir:?}/kdump"
step "results extracted"

cat >"$outdir/info.txt" <<EOF
kernel=$kver
accel=$QEMU_ACCEL
mem_mib=$mem
append=$append
t_crash_s=${t['VMSIFT-TEST: CRASHING']:-}
t_capture_boot_s=${t['VMSIFT-TEST: CAPTURE BOOT']:-}
t_peer_done_s=${t['VMSIFT-TEST: PEER DONE']:-}
t_saved_s=${t['saved vmcore in']:-}
t_reboot_s=${t['reboot: Restarting system']:-}
rebooted_itself=$rebooted
qemu_exited_itself=$exited
t_total_s=$(elapsed)
EOF
cat "$outdir/info.txt" >&2
((rebooted)) || { tail -40 "$outdir/console.log" >&2; die "the kdump-tools cycle did not complete"; }
step "done ($outdir)"
