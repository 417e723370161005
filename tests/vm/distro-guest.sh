#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of tests/vm/distro-cycle.sh, installed as /usr/local/sbin/vmsift-test.
#   vmsift-test crash   first boot: once kdump-tools has loaded the capture
#                       kernel (or failed to: then power off), record the setup, run vmsift's and Debian's
#                       --mem-usage on the live /proc/kcore with /proc/meminfo
#                       around them, and crash with sysrq-c
#   vmsift-test peer    capture boot, before kdump-tools' savecore: Debian's
#                       makedumpfile (diverted to makedumpfile.distrib) on the
#                       same /proc/vmcore, for the host to compare, and each
#                       dumper's peak RSS (-F -c -d 31) in the capture kernel
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

# The live system: /proc/meminfo, then vmsift's and Debian's makedumpfile's
# --mem-usage /proc/kcore one after the other, then /proc/meminfo again (the
# host compares them and the drift between the runs).
mem_usage() {
	cat /proc/iomem >"$out/iomem"
	dd if=/proc/kcore of="$out/kcore.head" bs=4096 count=4 2>/dev/null
	cat /proc/meminfo >"$out/meminfo.before"
	s=$(date +%s.%N)
	vmsift --mem-usage /proc/kcore >"$out/memusage.vmsift" 2>&1
	echo "vmsift_memusage_exit=$? seconds=$(echo "$(date +%s.%N) $s" | awk '{printf "%.1f", $1 - $2}')"
	s=$(date +%s.%N)
	makedumpfile.distrib --mem-usage /proc/kcore >"$out/memusage.peer" 2>&1
	echo "peer_memusage_exit=$? seconds=$(echo "$(date +%s.%N) $s" | awk '{printf "%.1f", $1 - $2}')"
	cat /proc/meminfo >"$out/meminfo.after"
}

# peak_rss CMD...: run CMD (which execs the program to measure) and print
# "peak_kib=N exit=RC": the largest VmHWM seen while polling every 50 ms
# (VmHWM only grows, so only growth in the last 50 ms can be missed).
peak_rss() {
	"$@" &
	p=$! hwm=0
	while kill -0 $p 2>/dev/null; do
		h=$(awk '/^VmHWM:/ {print $2}' /proc/$p/status 2>/dev/null)
		[ -n "$h" ] && hwm=$h
		sleep 0.05
	done
	wait $p
	echo "peak_kib=$hwm exit=$?"
}

crash() {
	i=0
	while [ "$(cat /sys/kernel/kexec_crash_loaded)" != 1 ] && [ $i -lt 600 ]; do
		# kdump-tools.service (a oneshot ordered before this) has finished: its
		# load failed (crashkernel= too small), and waiting will not help.
		[ "$(systemctl show -P ActiveState kdump-tools.service)" = activating ] || break
		sleep 1
		i=$((i + 1))
	done
	{
		echo "kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded) after ${i}s"
		uname -r
		which_makedumpfile
		kdump-config show
	} >"$out/first-boot.txt" 2>&1
	mem_usage >"$out/memusage.txt" 2>&1
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
		# With each dumper's peak RSS here, in the capture kernel's memory.
		r=$(peak_rss sh -c 'exec makedumpfile.distrib -F -c -d 31 /proc/vmcore 2>"$1" >"$2"' - \
			"$out/peer-dump.log" "$out/peer.flat")
		echo "peer_dump_exit=${r##*exit=}"
		echo "rss_makedumpfile: $r"
		echo "rss_vmsift: $(peak_rss sh -c 'exec vmsift -F -c -d 31 /proc/vmcore >/dev/null 2>&1')"
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
