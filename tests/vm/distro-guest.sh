#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of tests/vm/distro-cycle.sh, installed as /usr/local/sbin/vmsift-test.
#   vmsift-test crash   first boot: once kdump-tools has loaded the capture
#                       kernel, record the setup and crash with sysrq-c
#   vmsift-test peer    capture boot, before kdump-tools' savecore: Debian's
#                       makedumpfile (diverted to makedumpfile.distrib) on the
#                       same /proc/vmcore, for the host to compare
# Records go to /var/lib/vmsift-test; "VMSIFT-TEST:" lines to the console.
set -u
PATH=/bin:/usr/bin:/sbin:/usr/sbin
out=/var/lib/vmsift-test
mkdir -p "$out"

which_makedumpfile() {
	m=$(command -v makedumpfile)
	echo "makedumpfile=$m -> $(readlink -f "$m")"
	echo "makedumpfile -v: $(makedumpfile -v 2>&1 | head -1)"
	echo "makedumpfile.distrib -v: $(makedumpfile.distrib -v 2>&1 | head -1)"
}

crash() {
	i=0
	while [ "$(cat /sys/kernel/kexec_crash_loaded)" != 1 ] && [ $i -lt 600 ]; do
		sleep 1
		i=$((i + 1))
	done
	{
		echo "kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded) after ${i}s"
		uname -r
		which_makedumpfile
		kdump-config show
	} >"$out/first-boot.txt" 2>&1
	cat "$out/first-boot.txt"
	if [ "$(cat /sys/kernel/kexec_crash_loaded)" != 1 ]; then
		echo "VMSIFT-TEST: KDUMP NOT LOADED"
		systemctl poweroff
		exit 1
	fi
	echo "VMSIFT-TEST: CRASHING"
	sync
	echo c >/proc/sysrq-trigger
}

peer() {
	echo "VMSIFT-TEST: CAPTURE BOOT"
	# A disk that crashed before keeps its outputs; makedumpfile will not
	# overwrite them.
	rm -f "$out/peer.dmesg" "$out/peer.flat" "$out/vmcore.raw"
	{
		which_makedumpfile
		echo "vmcore_bytes=$(stat -c %s /proc/vmcore)"
		grep -E '^(MemTotal|MemFree|MemAvailable):' /proc/meminfo
		makedumpfile.distrib --dump-dmesg /proc/vmcore "$out/peer.dmesg" >"$out/peer-dmesg.log" 2>&1
		echo "peer_dmesg_exit=$?"
		makedumpfile.distrib -F -c -d 31 /proc/vmcore 2>"$out/peer-dump.log" >"$out/peer.flat"
		echo "peer_dump_exit=$?"
		# The whole vmcore too, when the image asks (for a peer on the host).
		if [ -f /etc/vmsift-test.save-vmcore ]; then
			cp /proc/vmcore "$out/vmcore.raw"
			echo "vmcore_copy_exit=$?"
		fi
	} >"$out/capture.txt" 2>&1
	sync
	cat "$out/capture.txt"
	echo "VMSIFT-TEST: PEER DONE"
}

case ${1:-} in
crash) crash ;;
peer) peer ;;
*) echo "usage: $0 crash|peer" >&2; exit 2 ;;
esac
