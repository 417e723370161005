#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the capture (kdump) kernel; installed by mkinitramfs.sh.
# Runs every dumper listed in /dumpers.list (NAME|VARIANTS|CMD) on
# /proc/vmcore, once per variant (mmap: plain, nonmmap: --non-mmap), and
# writes to /dev/vdb (ext2, made by the host) under /res:
#   NAME.VARIANT.dump  the dump        NAME.VARIANT.log   its stdout+stderr
#   NAME.VARIANT.stat  memwatch output (exit, wall_s, maxrss_kb, rss_anon_peak_kb, ...)
#   capture.txt        the capture environment (meminfo, vmcore size, ...)
#   vmcore.raw         the unfiltered /proc/vmcore (if SAVE_VMCORE=1)
#   done               written last: the run completed
/bin/busybox --install -s /bin
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
	echo "CAPTURE FAILED: $*"
	sync
	poweroff -f
}

echo "CAPTURE KERNEL UP"
[ -e /proc/vmcore ] || fail "no /proc/vmcore"
for m in $(cat /lib/modules/load-order); do
	insmod "/lib/modules/$m.ko" || echo "insmod $m failed"
done
i=0
while [ ! -b /dev/vdb ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
mount -t ext4 /dev/vdb /out || fail "cannot mount /dev/vdb"
mkdir -p /out/res
R=/out/res
. /dump.conf

{
	echo "release: $(uname -r)"
	echo "cmdline: $(cat /proc/cmdline)"
	echo "dump_args: $DUMP_ARGS"
	echo "vmcore_size: $(stat -c %s /proc/vmcore)"
	# pseries: the firmware's RTAS stays live in the first kernel's memory and
	# kexec-tools adds it to /proc/vmcore; the capture kernel's RTAS calls
	# change it while the dumpers read (big-endian cells, hex).
	if [ -r /proc/device-tree/rtas/linux,rtas-base ]; then
		echo "rtas_base: 0x$(od -An -tx1 /proc/device-tree/rtas/linux,rtas-base | tr -d ' \n')"
		echo "rtas_size: 0x$(od -An -tx1 /proc/device-tree/rtas/rtas-size | tr -d ' \n')"
	fi
	echo "--- /proc/meminfo"
	cat /proc/meminfo
} >$R/capture.txt

if [ "$SAVE_VMCORE" = 1 ]; then
	echo "RUN save vmcore"
	memwatch -o $R/vmcore.raw.stat -- cp /proc/vmcore $R/vmcore.raw
	echo "DONE save vmcore exit=$?"
fi

while IFS='|' read -r name variants cmd; do
	for v in $(echo "$variants" | tr , ' '); do
		extra=
		[ "$v" = nonmmap ] && extra=--non-mmap
		echo "RUN $name $v: $cmd $DUMP_ARGS $extra /proc/vmcore"
		# shellcheck disable=SC2086 # DUMP_ARGS is a list of words
		memwatch -o $R/$name.$v.stat -- $cmd $DUMP_ARGS $extra /proc/vmcore $R/$name.$v.dump \
			>$R/$name.$v.log 2>&1
		echo "DONE $name $v exit=$?"
		sync
	done
done </dumpers.list

echo ok >$R/done
sync
umount /out
echo "CAPTURE DONE"
poweroff -f
