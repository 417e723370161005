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
# In the same boots: --mem-usage /proc/kcore, live in the first boot, against
# makedumpfile 1.7.2's, /proc/meminfo and the crash's vmcore (memusage_checks);
# each dumper's peak RSS in the capture kernel (rss_checks).  Then, on Debian
# 12, fault scenarios, one boot each (VMSIFT_DISTRO_FAULTS, default
# "disk-full small-crashkernel"; empty: none): /var/crash on a filesystem too
# small for the dump (fault_disk_full), crashkernel=64M (fault_small_crashkernel).
# Slow (minutes under TCG): runs with VMSIFT_DISTRO=1 (make check-distro).
. "$(dirname "$0")/../lib.sh"

[ "${VMSIFT_DISTRO:-0}" = 1 ] || { skip "kdump-tools flow in a Debian guest" "VMSIFT_DISTRO=1 (make check-distro) runs it"; finish; }
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "kdump-tools flow in a Debian guest" "VMSIFT_NO_VM set"; finish; }
for t in mmdebstrap qemu-system-x86_64 dpkg-buildpackage debugfs; do
	command -v $t >/dev/null || { skip "kdump-tools flow" "$t not installed (tests/setup.sh)"; finish; }
done
VM=$ROOT/tests/vm
CACHE_DIR=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
# Debian 12 and 13 by default; VMSIFT_DISTRO_SUITES picks (e.g. "bookworm").
SUITES=${VMSIFT_DISTRO_SUITES:-bookworm trixie}
# Fault scenarios, on Debian 12 only, one boot each; VMSIFT_DISTRO_FAULTS=""
# leaves them out.
FAULTS=${VMSIFT_DISTRO_FAULTS-disk-full small-crashkernel}
t0=$SECONDS

# The packages, from a clean clone of the committed tree.
git clone -q "$ROOT" "$WORK/b/vmsift"
check "packages build (nocheck)" env -u WORK -u KEEP -u VMSIFT -u ROOT bash -c \
	"cd '$WORK/b/vmsift' && DEB_BUILD_OPTIONS=nocheck,parallel=2 dpkg-buildpackage -us -uc -b > '$WORK/build.log' 2>&1"
debs=("$WORK"/b/vmsift_*.deb "$WORK"/b/vmsift-makedumpfile_*_all.deb)
t_build=$((SECONDS - t0))

# --mem-usage /proc/kcore in the first boot, live: vmsift's table, then Debian's
# makedumpfile 1.7.2's, with /proc/meminfo before and after (tests/vm/distro-guest.sh).
# The system runs between the samples (each tool takes 5-35 s under TCG): in
# the guest, each tool's FREE equalled MemFree of its own sample, and ~19 MiB
# moved between free and kernel pages from one run to the other.  So the cache
# and user rows are compared with makedumpfile's within 1% of all pages, FREE
# within 3%, and ZERO + KERN_DATA + FREE (where the drift cancels) within 1%;
# with /proc/meminfo, within the range of its two samples.  vmsift's total must
# be the pages the crash's /proc/vmcore holds (bitmap1 of the dump): the crash
# kernel's reservation is left out.  makedumpfile's total counts the kernel
# image twice (kcore maps it in the direct map and at its own address), so its
# KERN_DATA is compared less that surplus.
memusage_checks() {
	local T=$R/test v=$R/test/memusage.vmsift p=$R/test/memusage.peer tag="$S: --mem-usage /proc/kcore"
	check_grep "$tag: vmsift exits 0" "^vmsift_memusage_exit=0 " "$T/memusage.txt" || return
	check_grep "$tag: ... and Debian's makedumpfile 1.7.2" "^peer_memusage_exit=0 " "$T/memusage.txt" || return
	row() { awk -v t="$2" '$1 == t { print $2 }' "$1"; }
	total() { awk -F'\t' -v k="Total pages on system:" '$1 == k { print $NF }' "$1" | awk '{print $1}'; }
	kb() { awk -v k="$2:" '$1 == k { print $2 }' "$1"; }
	# near_rows NAME A B PCT: |A - B| within PCT% of vmsift's total
	near_rows() {
		check "$tag: $1: vmsift $2, makedumpfile $3: within $4% of all pages" \
			test $(( ($2 > $3 ? $2 - $3 : $3 - $2) * 100 )) -le $(( $4 * tv ))
	}
	local tv tp present t
	tv=$(total "$v") tp=$(total "$p")
	# The pages the crash's vmcore holds, and the System RAM pages below 1 MiB
	# (/proc/iomem of the first boot) when the vmcore holds none of them: the
	# kernel leaves the low 1 MiB out of the ELF header it builds for
	# kexec_file_load (arch/x86/kernel/crash.c, elf_header_exclude_ranges();
	# trixie's kdump-tools loads that way), which kexec-tools' own header for
	# kexec_load (Debian 12) keeps.  --mem-usage cannot know how the capture
	# kernel will be loaded, and counts them.
	local low
	read -r present low < <("$PY" -c "import sys, re; sys.path.insert(0, sys.argv[1]); import kdumplib as kl
d = kl.Kdump(sys.argv[2]); pfns = list(kl.set_bits(d.bitmap1, 0, d.max_mapnr))
low = 0
for line in open(sys.argv[3]):
    m = re.match(r'([0-9a-f]+)-([0-9a-f]+) : System RAM$', line.strip())
    if m and not any(p < 256 for p in pfns):
        a, b = int(m.group(1), 16), min(int(m.group(2), 16) + 1, 1 << 20)
        low += max(0, (b >> 12) - ((a + 4095) >> 12))
print(len(pfns), low)" "$TOOLS" "$R/test/peer.flat" "$T/iomem")
	# Equal in the guest; 16 pages of slack for firmware pages at the top of RAM,
	# which one boot's vmcore held (3, "Reserved" in another boot's /proc/iomem).
	check "$tag: vmsift's total ($tv) = the pages the crash's vmcore holds ($present) and the $low below 1 MiB it left out, within 16 (the reservation left out)" \
		test $(( tv > present + low ? tv - present - low : present + low - tv )) -le 16
	for t in NON_PRI_CACHE PRI_CACHE USER; do
		near_rows $t "$(row "$v" $t)" "$(row "$p" $t)" 1
	done
	if [ "$S" = bookworm ]; then
		near_rows FREE "$(row "$v" FREE)" "$(row "$p" FREE)" 3
	else
		skip "$tag: FREE against the guest's makedumpfile" "its 1.7.6 excludes no free pages on 6.12 (FREE $(row "$p" FREE)); /proc/meminfo's MemFree below is the reference"
	fi
	near_rows "ZERO + KERN_DATA + FREE (makedumpfile's less its $((tp - tv)) doubled pages)" \
		$(( $(row "$v" ZERO) + $(row "$v" KERN_DATA) + $(row "$v" FREE) )) \
		$(( $(row "$p" ZERO) + $(row "$p" KERN_DATA) + $(row "$p" FREE) - (tp - tv) )) 1
	echo "# $tag: vmsift $(awk '$3 ~ /^(yes|no)$/ {printf "%s %s ", $1, $2}' "$v")total $tv;" \
		"makedumpfile $(awk '$3 ~ /^(yes|no)$/ {printf "%s %s ", $1, $2}' "$p")total $tp; $(tr '\n' ' ' < "$T/memusage.txt")"
	# in_range NAME PAGES KEY...: PAGES * 4 KiB within the two samples' sums of KEY, +-PCT %
	in_range() {
		local name=$1 pages=$2 pct=$3 lo hi x y k
		shift 3
		x=0 y=0
		for k in "$@"; do x=$((x + $(kb "$T/meminfo.before" "$k"))) y=$((y + $(kb "$T/meminfo.after" "$k"))); done
		lo=$(( (x < y ? x : y) * (100 - pct) / 100 )) hi=$(( (x > y ? x : y) * (100 + pct) / 100 ))
		check "$tag: $name: $((pages * 4)) KiB within $* ($x, $y KiB) +-$pct%" \
			test $((pages * 4)) -ge "$lo" -a $((pages * 4)) -le "$hi"
	}
	in_range "FREE" "$(row "$v" FREE)" 1 MemFree
	in_range "NON_PRI_CACHE + PRI_CACHE" $(( $(row "$v" NON_PRI_CACHE) + $(row "$v" PRI_CACHE) )) 5 Cached Buffers
	# Anonymous memory moves by MiBs on this small live system between the samples (8248 and
	# 11880 KiB were seen, 44 % apart); makedumpfile's USER row is held to 1 % above.
	in_range "USER" "$(row "$v" USER)" 50 AnonPages
	# MemTotal leaves out what the kernel reserved at boot (its image, the memmap).
	in_range "the total" "$tv" 15 MemTotal
}

# The peak RSS of each dumper (-F -c -d 31) in the capture kernel: vmsift's is
# small beside the memory the capture system has free.
rss_checks() {
	local c=$R/test/capture.txt v m free
	v=$(sed -n 's/^rss_vmsift: peak_kib=\([0-9]*\) exit=0$/\1/p' "$c")
	m=$(sed -n 's/^rss_makedumpfile: peak_kib=\([0-9]*\) exit=0$/\1/p' "$c")
	free=$(awk '$1 == "MemFree:" { print $2 }' "$c")
	check "$S: capture kernel: vmsift's peak RSS (${v:-?} KiB; makedumpfile's ${m:-?}) is under a quarter of MemFree (${free:-?} KiB)" \
		test -n "$v" -a -n "$free" -a "${v:-0}" -gt 0 -a "$(( ${v:-0} * 4 ))" -le "${free:-0}"
}

# fault_image NAME: a copy of the image as built (not yet booted) in
# $WORK/$S/NAME, the kernel and initrd linked; prints its directory.
fault_image() {
	local F=$WORK/$S/$1
	mkdir -p "$F"
	cp --sparse=always "$WORK/$S/pristine.img" "$F/disk.img"
	ln -sf "$I/vmlinuz" "$I/initrd.img" "$I/kver" "$F/"
	echo "$F"
}

# The dump disk is full: /var/crash is a 8 MiB filesystem of its own, the
# -d 31 dump is larger.  kdump-tools' "makedumpfile ... | cat > dump-incomplete"
# fails when cat hits ENOSPC; vmsift (the stream's writer) says the stream is
# incomplete; kdump-tools falls back to cp, which fails too, logs it, keeps
# dmesg.<stamp> (saved first) and dump-incomplete, and reboots.  On the host
# the cut stream rebuilt by vmsift -R is marked incomplete, every page it holds
# equals makedumpfile's (libkdumpfile reads both), and crash opens it.
fault_disk_full() {
	local F R=$WORK/$S/full-run t1=$SECONDS tag="$S disk full"
	F=$(fault_image full)
	# udev under TCG can take longer than systemd's 90 s to label the disk
	# (the capture system would then stop in emergency mode).
	printf 'LABEL=vmsift-crash /var/crash ext4 defaults,x-systemd.device-timeout=10min 0 0\n' > "$F/fstab"
	debugfs -w -R "rm /etc/fstab" "$F/disk.img" > "$F/debugfs.log" 2>&1
	debugfs -w -R "write $F/fstab /etc/fstab" "$F/disk.img" >> "$F/debugfs.log" 2>&1
	truncate -s 8M "$F/crash.img"
	mke2fs -q -F -t ext4 -L vmsift-crash "$F/crash.img"
	check "$tag: the cycle: crash, capture, savecore fails, the guest reboots itself" \
		"$VM/distro-cycle.sh" --crash-disk "$F/crash.img" \
		--marks 'VMSIFT-TEST: CRASHING|VMSIFT-TEST: PEER DONE|failed to save vmcore in|reboot: Restarting system' "$F" "$R"
	local c=$R/console.log
	check_grep "$tag: cat (kdump-tools' compress) hit ENOSPC" "No space left on device" "$c"
	check_grep "$tag: vmsift, as makedumpfile, says the stream is incomplete" \
		"kdump-tools\[[0-9]+\]: The dump stream is incomplete \(cut after [0-9]+ of [0-9]+ pages\)" "$c"
	check_grep "$tag: ... and failed" "kdump-tools\[[0-9]+\]: makedumpfile Failed\.$" "$c"
	check_grep "$tag: kdump-tools fell back to cp" "makedumpfile failed, falling back to 'cp'" "$c"
	check_grep "$tag: ... and logged the failure" "failed to save vmcore in /var/crash/2" "$c"
	local sd stamp
	sd=$(ls -d "$R"/crash/2* 2>/dev/null | head -1)
	stamp=${sd##*/}
	check_eq "$tag: /var/crash/<stamp> keeps dmesg.<stamp>, dump-incomplete and the failed cp's vmcore-incomplete" \
		"dmesg.$stamp dump-incomplete vmcore-incomplete" "$(ls "$sd" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
	check "$tag: dmesg.<stamp> is whole (makedumpfile 1.7.2's --dump-dmesg)" cmp "$sd/dmesg.$stamp" "$R/test/peer.dmesg"
	local cut=$WORK/$S/full.kdump ref=$WORK/$S/full-peer.kdump rc
	"$VMSIFT" -R "$cut" < "$sd/dump-incomplete" > "$WORK/$S/full-R.log" 2>&1
	rc=$?
	check_eq "$tag: vmsift -R of dump-incomplete: exit 1 (a cut stream)" 1 "$rc"
	check_grep "$tag: ... says how many pages it recovered" \
		"marked incomplete: [1-9][0-9]* of [0-9]+ page\(s\) recovered" "$WORK/$S/full-R.log"
	check_eq "$tag: ... the rebuilt dump is marked incomplete (0x8)" 8 \
		"$(( $(kdump_field "$cut" "['header']['status']") & 8 ))"
	makedumpfile -R "$ref" < "$R/test/peer.flat" > "$WORK/$S/full-peerR.log" 2>&1
	check "$tag: every page the partial dump holds equals makedumpfile's (libkdumpfile)" \
		"$PY" - "$TOOLS" "$cut" "$ref" <<'PYEOF'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import kdumpfile
import kdumplib as kl
cut, ref = kl.Kdump(sys.argv[2]), kl.Kdump(sys.argv[3])
kc, kr = kdumpfile.kdumpfile(sys.argv[2]), kdumpfile.kdumpfile(sys.argv[3])
held = [p for p, d in zip(cut.pfns, cut.descs) if d[0]]
same = bad = 0
# machine physical addresses: no address translation, which a cut dump may
# lack the pages to set up
M = kdumpfile.KDUMP_MACHPHYSADDR
for p in held:
    a = bytes(kc.read(M, p * cut.B, cut.B))
    b = bytes(kr.read(M, p * ref.B, ref.B))
    same, bad = (same + 1, bad) if a == b else (same, bad + 1)
print("bitmap2 equal: %s; %d pages held, %d equal, %d differ, %d lost"
      % (cut.pfns == ref.pfns, len(held), same, bad, len(cut.pfns) - len(held)))
sys.exit(0 if cut.pfns == ref.pfns and held and not bad else 1)
PYEOF
	sed 's/^/# /' "$WORK/.log"
	if [ -f "$vmlinux" ]; then
		# Whether crash can go further depends on where the cut fell: the pages go
		# out in pfn order, and the kernel image lies wherever KASLR put it.
		printf 'sys\nquit\n' > "$WORK/crash-full.cmd"
		timeout 600 "$crash" --zero_excluded -s -i "$WORK/crash-full.cmd" "$vmlinux" "$cut" > "$WORK/$S/crash-full.out" 2>&1
		check_grep "$tag: crash reads the rebuilt dump's header and says it is incomplete" \
			"This dumpfile is incomplete" "$WORK/$S/crash-full.out"
		echo "# $tag: crash --zero_excluded sys: $(grep -m1 -E 'RELEASE:|do not match|cannot|error' "$WORK/$S/crash-full.out")"
	fi
	echo "# $tag: $((SECONDS - t1))s; $(grep -E '^t_(crash|reboot|total)_s' "$R/info.txt" | tr '\n' ' ')"
}

# crashkernel= too small (64M) for Debian 12's capture kernel: kexec-tools
# finds no room for it and kdump-tools says the load failed, at boot, where an
# admin sees it (kdump-config show: not ready); the guest's test unit then
# shuts the guest down instead of crashing it.  No capture kernel runs, so no
# dumper's memory is involved (rss_checks measures how little vmsift needs).
fault_small_crashkernel() {
	local F R=$WORK/$S/small-run t1=$SECONDS tag="$S crashkernel=64M"
	F=$(fault_image small)
	"$VM/distro-cycle.sh" --crashkernel 64M --marks 'VMSIFT-TEST: KDUMP NOT LOADED' "$F" "$R" \
		> "$WORK/$S/small.log" 2>&1
	local c=$R/console.log
	check_grep "$tag: kexec-tools finds no room for the capture kernel" "locate_hole failed" "$c"
	check_grep "$tag: kdump-tools says the load failed" "kdump-tools\[[0-9]+\]: failed to load kdump kernel" "$c"
	check_grep "$tag: kdump-config show: not ready" "[Nn]ot ready to kdump" "$R/test/first-boot.txt"
	check_grep "$tag: the guest did not crash, and shut down by itself" "^qemu_exited_itself=1$" "$R/info.txt"
	check_eq "$tag: ... no capture kernel ran" 1 "$(grep -c 'Linux version' "$c")"
	echo "# $tag: $((SECONDS - t1))s; $(grep -m1 'Could not find a free area' "$c")"
}

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

	# The fault scenarios boot the image as built: keep a copy before it is booted.
	[ -n "$FAULTS" ] && [ "$S" = bookworm ] && cp --sparse=always "$I/disk.img" "$WORK/$S/pristine.img"
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
	memusage_checks
	rss_checks
	echo "# $S times: image ${t_image}s, cycle: $(tr '\n' ' ' < "$R/info.txt" 2>/dev/null)"
	[ "$S" = bookworm ] || return 0
	case " $FAULTS " in *" disk-full "*) fault_disk_full ;; esac
	case " $FAULTS " in *" small-crashkernel "*) fault_small_crashkernel ;; esac
}

for S in $SUITES; do
	mkdir -p "$WORK/$S"
	distro_case "$S"
done
echo "# packages built in ${t_build}s; all took $((SECONDS - t0))s"
finish
