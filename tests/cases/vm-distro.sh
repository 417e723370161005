#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's kdump-tools runs vmsift as its makedumpfile through a real crash
# in a real Debian 12 system (tests/vm/distro-image.sh, distro-cycle.sh):
# the packages built from a clean clone install, remove and reinstall
# cleanly (the diversion comes and goes); kdump-tools loads the capture
# kernel with its own initrd; after sysrq-c the capture system's savecore
# runs vmsift and reboots the guest.  Then dmesg.<stamp> equals Debian's
# makedumpfile 1.7.2 --dump-dmesg of the same /proc/vmcore, dump.<stamp>
# (flattened) has the same pages as makedumpfile's -F -c -d 31 and opens in
# crash with the debug vmlinux (sys, log, bt).
# Slow (minutes under TCG): runs with VMSIFT_DISTRO=1 (make check-distro).
. "$(dirname "$0")/../lib.sh"

[ "${VMSIFT_DISTRO:-0}" = 1 ] || { skip "kdump-tools flow in a Debian guest" "VMSIFT_DISTRO=1 (make check-distro) runs it"; finish; }
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "kdump-tools flow in a Debian guest" "VMSIFT_NO_VM set"; finish; }
for t in mmdebstrap qemu-system-x86_64 dpkg-buildpackage debugfs; do
	command -v $t >/dev/null || { skip "kdump-tools flow" "$t not installed (tests/setup.sh)"; finish; }
done
VM=$ROOT/tests/vm
CACHE_DIR=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
SUITE=${VMSIFT_DISTRO_SUITE:-bookworm}
t0=$SECONDS

# The packages, from a clean clone of the committed tree.
git clone -q "$ROOT" "$WORK/b/vmsift"
check "packages build (nocheck)" env -u WORK -u KEEP -u VMSIFT -u ROOT bash -c \
	"cd '$WORK/b/vmsift' && DEB_BUILD_OPTIONS=nocheck,parallel=2 dpkg-buildpackage -us -uc -b > '$WORK/build.log' 2>&1"
debs=("$WORK"/b/vmsift_*.deb "$WORK"/b/vmsift-makedumpfile_*_all.deb)
t_build=$((SECONDS - t0))

check "guest image ($SUITE + the packages)" "$VM/distro-image.sh" "$SUITE" "$WORK/img" "${debs[@]}"
t_image=$((SECONDS - t0 - t_build))
P=$WORK/img/packages.txt
[ -f "$P" ] || { check "packages.txt written" false; finish; }
# block NAME -> that state's lines of packages.txt
block() { awk -v n="== $1" '$0 == n {on = 1; next} /^== / {on = 0} on' "$P"; }
for s in installed reinstalled; do
	check_eq "$s: dpkg -i exits 0" exit=0 "$(block $s | sed -n 1p)"
	check_eq "$s: /usr/bin/makedumpfile is vmsift" /usr/sbin/vmsift "$(block $s | sed -n 2p)"
	check_grep "$s: makedumpfile -v is vmsift's" "^makedumpfile: version .*vmsift" <(block $s)
	check_grep "$s: the binary is diverted" "^diversion of /usr/bin/makedumpfile to /usr/bin/makedumpfile.distrib by vmsift-makedumpfile$" <(block $s)
	check_grep "$s: the man page is diverted" "^diversion of /usr/share/man/man8/makedumpfile.8.gz to /usr/share/man/man8/makedumpfile.8.gz.distrib by vmsift-makedumpfile$" <(block $s)
done
check_eq "removed: dpkg -r exits 0" exit=0 "$(block removed | sed -n 1p)"
check_eq "removed: Debian's makedumpfile is back in place" /usr/bin/makedumpfile "$(block removed | sed -n 2p)"
check_grep "removed: ... and runs (1.7.2)" "^makedumpfile: version 1\.7\.2" <(block removed)
check_eq "removed: no diversion and no .distrib file left" "$(block base | sed 1d)" "$(block removed | sed 1d)"

check "kdump-tools cycle: crash, capture, savecore, the guest reboots itself" \
	"$VM/distro-cycle.sh" "$WORK/img" "$WORK/run"
R=$WORK/run
kver=$(cat "$WORK/img/kver")
check_grep "first boot: kdump-tools loaded the capture kernel" "^kexec_crash_loaded=1" "$R/test/first-boot.txt"
check_grep "... kdump-config show: ready to kdump" "ready to kdump" "$R/test/first-boot.txt"
check_grep "capture boot: makedumpfile on kdump-config's PATH is vmsift" \
	"^makedumpfile=(/usr)?/bin/makedumpfile -> /usr/sbin/vmsift$" "$R/test/capture.txt"
check_grep "... Debian's makedumpfile ran on the same /proc/vmcore (dmesg)" "^peer_dmesg_exit=0$" "$R/test/capture.txt"
check_grep "... and (-F -c -d 31)" "^peer_dump_exit=0$" "$R/test/capture.txt"
check_grep "savecore ran makedumpfile on /proc/vmcore" "running makedumpfile .*-d 31.* /proc/vmcore" "$R/console.log"
check_grep "... and vmsift, as makedumpfile, completed (the service's console output)" \
	"kdump-tools\[[0-9]+\]: makedumpfile Completed\.$" "$R/console.log"

stampdir=$(ls -d "$R"/crash/2* 2>/dev/null | head -1)
stamp=${stampdir##*/}
check_eq "/var/crash/<stamp> holds exactly dmesg.<stamp> and dump.<stamp>" \
	"dmesg.$stamp dump.$stamp" "$(ls "$stampdir" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
dump=$stampdir/dump.$stamp
check "dmesg.<stamp> equals makedumpfile 1.7.2's --dump-dmesg" cmp "$stampdir/dmesg.$stamp" "$R/test/peer.dmesg"
check_grep "... and holds the crash" "sysrq: Trigger a crash" "$stampdir/dmesg.$stamp"
check "dump.<stamp> is a valid flattened kdump stream" "$PY" "$TOOLS/kdumpinfo.py" --check "$dump"
check "dump.<stamp> has makedumpfile's bitmaps and pages" "$PY" "$TOOLS/compare_dumps.py" "$R/test/peer.flat" "$dump"

vmlinux=$CACHE_DIR/kernels/$kver/vmlinux
if [ -f "$vmlinux" ]; then
	printf 'sys\nlog\nbt\nquit\n' > "$WORK/crash.cmd"
	timeout 600 crash -s -i "$WORK/crash.cmd" "$vmlinux" "$dump" > "$WORK/crash.out" 2>&1
	check_grep "crash: sys names the release" "RELEASE: $kver" "$WORK/crash.out"
	check_grep "crash: sys names the panic" 'PANIC: ".*sysrq triggered crash' "$WORK/crash.out"
	check_grep "crash: log holds the crash" "sysrq: Trigger a crash" "$WORK/crash.out"
	check_grep "crash: bt shows sysrq_handle_crash" "sysrq_handle_crash" "$WORK/crash.out"
	# libkdumpfile and drgn read no flattened stream: both are rebuilt by
	# makedumpfile -R (the host's) for the other readers.
	makedumpfile -R "$WORK/vmsift.kdump" < "$dump" > "$WORK/r1.log" 2>&1
	makedumpfile -R "$WORK/peer.kdump" < "$R/test/peer.flat" > "$WORK/r2.log" 2>&1
	VMSIFT_READERS_OUT=$WORK/readers check "readers (crash sys/log/bt/kmem -i, libkdumpfile, drgn) agree with makedumpfile's dump" \
		"$VM/check-readers.sh" --ref "$WORK/peer.kdump" --expect "$kver" "$WORK/vmsift.kdump" "$vmlinux"
else
	skip "crash with the debug vmlinux" "no $vmlinux (tests/vm/setup.sh --dbg)"
fi
echo "# times: packages ${t_build}s, image ${t_image}s, cycle: $(tr '\n' ' ' < "$R/info.txt")"
finish
