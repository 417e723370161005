#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the first (crashing) kernel; installed by mkinitramfs.sh.
#
# Kernel command line options (MiB sizes):
#   vmsift.mode=core|kdump   core: idle after the workload (the host takes a
#                            QEMU dump); kdump: load the capture kernel from
#                            the disk, then crash with sysrq-c
#   vmsift.mode=userstack    no workload: /bin/stackcrash crashes the kernel
#                            itself at once (tests/cases/vm-userstack.sh)
#   vmsift.anon=N  vmsift.zero=N  vmsift.cache=N  vmsift.shm=N
#   vmsift.crashargs=A,B,C   extra capture kernel arguments (commas = spaces)
# Disk /dev/vda: ext2, holds the page-cache file (and in kdump mode the
# capture kernel and initramfs, put there by the host).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
	echo "WORKLOAD FAILED: $*"
	sleep 1
	poweroff -f
}

for m in $(cat /lib/modules/load-order); do
	insmod "/lib/modules/$m.ko" || echo "insmod $m failed"
done

MODE=core ANON=256 ZERO=64 CACHE=128 SHM=64 CRASHARGS=
for a in $(cat /proc/cmdline); do
	case $a in
	vmsift.mode=*) MODE=${a#*=} ;;
	vmsift.anon=*) ANON=${a#*=} ;;
	vmsift.zero=*) ZERO=${a#*=} ;;
	vmsift.cache=*) CACHE=${a#*=} ;;
	vmsift.shm=*) SHM=${a#*=} ;;
	vmsift.crashargs=*) CRASHARGS=$(echo "${a#*=}" | tr , ' ') ;;
	esac
done

if [ "$MODE" = userstack ]; then
	stackcrash
	fail "still alive after stackcrash"
fi

i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
mount -t ext4 /dev/vda /mnt || fail "cannot mount /dev/vda"

# kexec-tools (2.0.25 and later) takes the kernel text's address and the
# linear map's offset from "_text" in /proc/kallsyms; Debian's arm64 6.1 is
# built without KALLSYMS_ALL and lists only _stext, and the capture kernel's
# /proc/vmcore then has a bogus text segment.  The arm64 image header is one
# 64 KiB block before _stext: give kexec a copy of kallsyms that has _text.
add_text_symbol() {
	grep -q ' _text$' /proc/kallsyms && return
	stext=$(grep -m1 ' _stext$' /proc/kallsyms | cut -d' ' -f1)
	[ -n "$stext" ] || return
	{ printf '%016x T _text\n' $((0x$stext - 0x10000)); cat /proc/kallsyms; } >/tmp/kallsyms
	mount --bind /tmp/kallsyms /proc/kallsyms
}

if [ "$MODE" = kdump ]; then
	KEXEC_OPTS=
	if [ "$(uname -m)" = aarch64 ]; then
		add_text_symbol
		# Purgatory's checksum of the segments takes ~8 s under TCG.
		KEXEC_OPTS=-i
	fi
	# Same kernel as capture kernel; one CPU is what distributions use.
	kexec -p $KEXEC_OPTS /mnt/vmlinuz --initrd=/mnt/capture.cpio.gz \
		--append="console=$(cat /console) loglevel=4 nr_cpus=1 irqpoll reset_devices panic=-1 $CRASHARGS" ||
		fail "kexec -p failed"
	echo "KEXEC LOADED"
fi

# Page cache: write a file, push it to disk, drop it, read it back in, so the
# cache holds clean file pages read from the device.
workload fill /mnt/cache.dat "$CACHE" 0xcace || fail "writing cache file"
sync
echo 3 >/proc/sys/vm/drop_caches
cat /mnt/cache.dat >/dev/null

# shmem: a tmpfs file.
mkdir -p /shm
mount -t tmpfs -o size=$((SHM + 16))m tmpfs /shm
workload fill /shm/shm.dat "$SHM" 0x5a || fail "writing shmem file"

# Anonymous memory: pattern pages and zero-filled pages, kept alive.
workload anon "$ANON" "$ZERO" >/tmp/anon.out 2>&1 &
i=0
until grep -q 'ANON READY' /tmp/anon.out 2>/dev/null; do
	[ $i -lt 600 ] || fail "anon workload did not start"
	sleep 0.1
	i=$((i + 1))
done

echo "=== BEGIN GROUND TRUTH ==="
echo "release: $(uname -r)"
echo "cmdline: $(cat /proc/cmdline)"
echo "workload: anon=$ANON zero=$ZERO cache=$CACHE shm=$SHM (MiB)"
cat /tmp/anon.out
echo "--- /proc/meminfo"
cat /proc/meminfo
echo "--- /proc/buddyinfo"
cat /proc/buddyinfo
echo "--- /proc/vmstat"
cat /proc/vmstat
echo "=== END GROUND TRUTH ==="
echo "WORKLOAD READY"

if [ "$MODE" = kdump ]; then
	sync
	echo "CRASHING"
	echo c >/proc/sysrq-trigger
	fail "still alive after sysrq-c"
fi
while :; do sleep 3600; done
