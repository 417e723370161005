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
# On other suites (trixie) the guest's own makedumpfile is not the reference
# for its kernel: the capture boot also saves /proc/vmcore whole, and the
# host's makedumpfile 1.7.2 (dmesg) and the peer tests/vm/setup.sh chose
# for that kernel (pages) run on it.
# Slow (minutes under TCG): runs with VMSIFT_DISTRO=1 (make check-distro).
. "$(dirname "$0")/../lib.sh"

[ "${VMSIFT_DISTRO:-0}" = 1 ] || { skip "kdump-tools flow in a Debian guest" "VMSIFT_DISTRO=1 (make check-distro) runs it"; finish; }
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "kdump-tools flow in a Debian guest" "VMSIFT_NO_VM set"; finish; }
for t in mmdebstrap qemu-system-x86_64 dpkg-buildpackage debugfs; do
	command -v $t >/dev/null || { skip "kdump-tools flow" "$t not installed (tests/setup.sh)"; finish; }
done
VM=$ROOT/tests/vm
CACHE_DIR=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
# Debian 12 by default; VMSIFT_DISTRO_SUITES="bookworm trixie" adds Debian 13.
SUITES=${VMSIFT_DISTRO_SUITES:-bookworm}
t0=$SECONDS

# The packages, from a clean clone of the committed tree.
git clone -q "$ROOT" "$WORK/b/vmsift"
check "packages build (nocheck)" env -u WORK -u KEEP -u VMSIFT -u ROOT bash -c \
	"cd '$WORK/b/vmsift' && DEB_BUILD_OPTIONS=nocheck,parallel=2 dpkg-buildpackage -us -uc -b > '$WORK/build.log' 2>&1"
debs=("$WORK"/b/vmsift_*.deb "$WORK"/b/vmsift-makedumpfile_*_all.deb)
t_build=$((SECONDS - t0))

# distro_case SUITE: image, cycle and checks for one Debian release.
distro_case() {
	local S=$1 I=$WORK/$1/img R=$WORK/$1/run t1=$SECONDS save=()
	[ "$S" = bookworm ] || save=(--save-vmcore)
	check "$S: guest image with the packages" "$VM/distro-image.sh" "${save[@]}" "$S" "$I" "${debs[@]}"
	local t_image=$((SECONDS - t1)) P=$I/packages.txt
	[ -f "$P" ] || { check "$S: packages.txt written" false; return; }
	# block NAME -> that state's lines of packages.txt
	block() { awk -v n="== $1" '$0 == n {on = 1; next} /^== / {on = 0} on' "$P"; }
	local st
	for st in installed reinstalled; do
		check_eq "$S: $st: apt install / dpkg -i exits 0" exit=0 "$(block $st | sed -n 1p)"
		check_eq "$S: $st: /usr/bin/makedumpfile is vmsift" /usr/sbin/vmsift "$(block $st | sed -n 2p)"
		check_grep "$S: $st: makedumpfile -v is vmsift's" "^makedumpfile: version .*vmsift" <(block $st)
		check_grep "$S: $st: the binary is diverted" \
			"^diversion of /usr/bin/makedumpfile to /usr/bin/makedumpfile.distrib by vmsift-makedumpfile$" <(block $st)
		check_grep "$S: $st: the man page is diverted" \
			"^diversion of /usr/share/man/man8/makedumpfile.8.gz to /usr/share/man/man8/makedumpfile.8.gz.distrib by vmsift-makedumpfile$" <(block $st)
	done
	check_eq "$S: removed: dpkg -r exits 0" exit=0 "$(block removed | sed -n 1p)"
	check_eq "$S: removed: Debian's makedumpfile is back, diversions and .distrib files gone" \
		"$(block base | sed 1d)" "$(block removed | sed 1d)"

	check "$S: kdump-tools cycle: crash, capture, savecore, the guest reboots itself" \
		"$VM/distro-cycle.sh" "$I" "$R"
	local kver
	kver=$(cat "$I/kver")
	check_grep "$S: first boot: kdump-tools loaded the capture kernel" "^kexec_crash_loaded=1" "$R/test/first-boot.txt"
	check_grep "$S: ... kdump-config show: ready to kdump" "ready to kdump" "$R/test/first-boot.txt"
	check_grep "$S: capture boot: makedumpfile on kdump-config's PATH is vmsift" \
		"^makedumpfile=(/usr)?/bin/makedumpfile -> /usr/sbin/vmsift$" "$R/test/capture.txt"
	check_grep "$S: ... Debian's makedumpfile ran on the same /proc/vmcore (dmesg)" "^peer_dmesg_exit=0$" "$R/test/capture.txt"
	check_grep "$S: ... and (-F -c -d 31)" "^peer_dump_exit=0$" "$R/test/capture.txt"
	check_grep "$S: savecore ran makedumpfile on /proc/vmcore" "running makedumpfile .*-d 31.* /proc/vmcore" "$R/console.log"
	check_grep "$S: ... and vmsift, as makedumpfile, completed (the service's console output)" \
		"kdump-tools\[[0-9]+\]: makedumpfile Completed\.$" "$R/console.log"

	local stampdir stamp dump
	stampdir=$(ls -d "$R"/crash/2* 2>/dev/null | head -1)
	stamp=${stampdir##*/}
	check_eq "$S: /var/crash/<stamp> holds exactly dmesg.<stamp> and dump.<stamp>" \
		"dmesg.$stamp dump.$stamp" "$(ls "$stampdir" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
	dump=$stampdir/dump.$stamp
	# The references: Debian's own makedumpfile in the guest (1.7.2 on
	# bookworm); elsewhere the host's 1.7.2 and the kernel's peer on the
	# saved vmcore.
	local ref_dmesg=$R/test/peer.dmesg ref_dump=$R/test/peer.flat
	if [ ${#save[@]} -gt 0 ]; then
		check_grep "$S: the capture boot saved /proc/vmcore" "^vmcore_copy_exit=0$" "$R/test/capture.txt"
		ref_dmesg=$WORK/$S/host.dmesg ref_dump=$WORK/$S/peer.kdump
		makedumpfile --dump-dmesg "$R/test/vmcore.raw" "$ref_dmesg" > "$WORK/$S/host-dmesg.log" 2>&1
		check "$S: the kernel's peer makedumpfile dumps the saved vmcore" \
			"$VM/peer.sh" "$R/test/vmcore.raw" "$ref_dump" -c -d 31
	fi
	check "$S: dmesg.<stamp> equals makedumpfile 1.7.2's --dump-dmesg" cmp "$stampdir/dmesg.$stamp" "$ref_dmesg"
	check_grep "$S: ... and holds the crash" "sysrq: Trigger a crash" "$stampdir/dmesg.$stamp"
	check "$S: dump.<stamp> is a valid flattened kdump stream" "$PY" "$TOOLS/kdumpinfo.py" --check "$dump"
	check "$S: dump.<stamp> has makedumpfile's bitmaps and pages" "$PY" "$TOOLS/compare_dumps.py" "$ref_dump" "$dump"

	local vmlinux=$CACHE_DIR/kernels/$kver/vmlinux crash=crash
	[ -f "$CACHE_DIR/kernels/$kver/crash" ] && crash=$(cat "$CACHE_DIR/kernels/$kver/crash")
	[ -d "$crash" ] && crash=$crash/run
	if [ -f "$vmlinux" ]; then
		printf 'sys\nlog\nbt\nquit\n' > "$WORK/crash.cmd"
		timeout 600 "$crash" -s -i "$WORK/crash.cmd" "$vmlinux" "$dump" > "$WORK/$S/crash.out" 2>&1
		check_grep "$S: crash on dump.<stamp>: sys names the release" \
			"RELEASE: $(printf '%s' "$kver" | sed 's/[.+]/\\&/g')$" "$WORK/$S/crash.out"
		check_grep "$S: crash: sys names the panic" 'PANIC: ".*sysrq triggered crash' "$WORK/$S/crash.out"
		check_grep "$S: crash: log holds the crash" "sysrq: Trigger a crash" "$WORK/$S/crash.out"
		check_grep "$S: crash: bt shows sysrq_handle_crash" "sysrq_handle_crash" "$WORK/$S/crash.out"
		# libkdumpfile and drgn read no flattened stream (Debian 12's): the
		# streams are rebuilt by the host's makedumpfile -R for them.
		makedumpfile -R "$WORK/$S/vmsift.kdump" < "$dump" > "$WORK/$S/r1.log" 2>&1
		if [ "$ref_dump" = "$R/test/peer.flat" ]; then
			makedumpfile -R "$WORK/$S/peer.kdump" < "$ref_dump" > "$WORK/$S/r2.log" 2>&1
		fi
		VMSIFT_READERS_OUT=$WORK/$S/readers check \
			"$S: readers (crash sys/log/bt/kmem -i, libkdumpfile, drgn) agree with makedumpfile's dump" \
			"$VM/check-readers.sh" --ref "$WORK/$S/peer.kdump" --expect "$kver" "$WORK/$S/vmsift.kdump" "$vmlinux"
	else
		skip "$S: crash with the debug vmlinux" "no $vmlinux (tests/vm/setup.sh --dbg)"
	fi
	echo "# $S times: image ${t_image}s, cycle: $(tr '\n' ' ' < "$R/info.txt" 2>/dev/null)"
}

for S in $SUITES; do
	mkdir -p "$WORK/$S"
	distro_case "$S"
done
echo "# packages built in ${t_build}s; all took $((SECONDS - t0))s"
finish
