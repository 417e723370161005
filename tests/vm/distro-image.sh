#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A Debian guest disk for the kdump-tools flow (tests/vm/distro-cycle.sh):
# Debian's kernel, systemd, kdump-tools and makedumpfile from the suite's
# mirror, plus the given .debs (vmsift, vmsift-makedumpfile) installed with
# dpkg, so that makedumpfile is vmsift by diversion.
#
#   tests/vm/distro-image.sh [--save-vmcore] SUITE OUTDIR DEB...
#
# --save-vmcore: the capture boot also copies /proc/vmcore whole
# (test/vmcore.raw), for a peer run on the host.
#
# The base system is made once by mmdebstrap and cached as
# $VMSIFT_CACHE/distro/SUITE-KVER.tar (KVER: the kernel tests/vm/setup.sh
# cached for SUITE, whose debug vmlinux crash needs); each run unpacks it,
# installs the .debs in a chroot, adds the test's guest units and makes an
# ext4 image.  The kdump initrd the guest's kdump-tools built on an earlier
# run is kept in SUITE-KVER.kdump.tar and put back (kdump-config rebuilds it
# whenever its inputs change).  OUTDIR gets disk.img, vmlinuz, initrd.img,
# kver and packages.txt (the package install / remove / reinstall record).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

save=0
if [[ ${1:-} == --save-vmcore ]]; then save=1; shift; fi
(($# >= 3)) || die "usage: $0 [--save-vmcore] SUITE OUTDIR DEB..."
suite=$1 kver=$(resolve_kver "$1")
shift
prepare_outdir "$1"
shift
debs=("$@")
base=$CACHE/distro/$suite-$kver.tar

# Packages of the guest: what kdump-tools needs to load and to save, on a
# minimal systemd system.  Recommends are off, as on a lean server.
# kdump-tools comes last: its kernel hook, run when the kernel is installed
# with it, builds a MODULES=dep initrd, which cannot work in a chroot.  The
# guest's kdump-config builds it at the first load instead.
PKGS=systemd,systemd-sysv,udev,linux-image-$kver,initramfs-tools,makedumpfile,kexec-tools,e2fsprogs,procps,man-db

# The suite with its updates and security archives: the kernel setup.sh
# cached is the newest, often from one of those.
security_mirror() {
	local uri
	uri=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
		grep -E '^(URIs:|deb )' | grep -o 'http[^ ]*debian-security' | head -1)
	echo "${uri:-http://deb.debian.org/debian-security}"
}
sources=("deb $(host_mirror) $suite main" "deb $(host_mirror) $suite-updates main"
	"deb $(security_mirror) $suite-security main")

build_base() {
	mkdir -p "$CACHE/distro"
	step "mmdebstrap $suite (kernel $kver) -> $base"
	# kexec-tools must not turn the capture kernel's reboot into a kexec.
	mmdebstrap --variant=minbase --include="$PKGS" \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
		--customize-hook='sed -i "s/^LOAD_KEXEC=.*/LOAD_KEXEC=false/" "$1/etc/default/kexec"' \
		--customize-hook='echo vmsift-guest > "$1/etc/hostname"' \
		--customize-hook='chroot "$1" apt-get install -y -q --no-install-recommends kdump-tools' \
		--customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer fstrim.timer' \
		--format=tar "$suite" "$base.tmp" "${sources[@]}" >"$work/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
	mv "$base.tmp" "$base"
}
[[ -f $base ]] || build_base

root=$work/root
mkdir -p "$root"
tar -C "$root" -xf "$base"
[[ -f $CACHE/distro/$suite-$kver.kdump.tar ]] && tar -C "$root" -xf "$CACHE/distro/$suite-$kver.kdump.tar"
step "base unpacked"

# The packages: installed as an admin would (apt install ./X.deb, which
# brings the codec libraries), vmsift-makedumpfile removed and installed
# again with dpkg; each state recorded (which makedumpfile runs, the
# diversions).
mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
cp "$root/etc/resolv.conf" "$work/resolv.conf"
cp /etc/resolv.conf "$root/etc/resolv.conf"
state() {
	echo "== $1"
	chroot "$root" sh -c 'echo "exit=$2"; readlink -f /usr/bin/makedumpfile;
		/usr/bin/makedumpfile -v 2>&1 | head -1; dpkg-divert --list "*makedumpfile*" | sort;
		ls /usr/bin/makedumpfile* /usr/share/man/man8/makedumpfile* | sort' - "$1" "$2"
}
{
	state base 0
	rc=0; chroot "$root" sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/debs/*.deb' \
		>"$work/dpkg.log" 2>&1 || rc=$?
	state installed $rc
	rc=0; chroot "$root" dpkg -r vmsift-makedumpfile >>"$work/dpkg.log" 2>&1 || rc=$?
	state removed $rc
	rc=0; chroot "$root" sh -c 'dpkg -i /tmp/debs/vmsift-makedumpfile_*.deb' >>"$work/dpkg.log" 2>&1 || rc=$?
	state reinstalled $rc
} >"$outdir/packages.txt" 2>&1
cp "$work/dpkg.log" "$outdir/dpkg.log"
rm -rf "$root/tmp/debs"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/*
cp "$work/resolv.conf" "$root/etc/resolv.conf"
step "packages installed"

# The test's guest side: crash once kdump-tools has loaded the capture
# kernel (first boot only); in the capture boot, run Debian's makedumpfile
# (now makedumpfile.distrib) on the same /proc/vmcore before kdump-tools
# runs vmsift.
install -m 755 "$VM_DIR/distro-guest.sh" "$root/usr/local/sbin/vmsift-test"
if ((save)); then : >"$root/etc/vmsift-test.save-vmcore"; fi
cat >"$root/etc/systemd/system/vmsift-test-crash.service" <<'EOF'
[Unit]
Description=vmsift test: crash once kdump is loaded
After=kdump-tools.service
ConditionPathExists=!/proc/vmcore

[Service]
Type=oneshot
StandardOutput=journal+console
ExecStart=/usr/local/sbin/vmsift-test crash

[Install]
WantedBy=multi-user.target
EOF
ln -sf ../vmsift-test-crash.service "$root/etc/systemd/system/multi-user.target.wants/vmsift-test-crash.service"
mkdir -p "$root/etc/systemd/system/kdump-tools-dump.service.d"
cat >"$root/etc/systemd/system/kdump-tools-dump.service.d/vmsift-test.conf" <<'EOF'
[Service]
ExecStartPre=-/usr/local/sbin/vmsift-test peer
EOF

cp "$root/boot/vmlinuz-$kver" "$outdir/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$outdir/initrd.img"
echo "$kver" >"$outdir/kver"
# Room for the dumps: two -d 31 dumps and the dmesg of a small guest.
rm -f "$outdir/disk.img"; truncate -s 4G "$outdir/disk.img"
mke2fs -q -F -t ext4 -L root -d "$root" "$outdir/disk.img" >"$work/mke2fs.log" 2>&1 ||
	{ cat "$work/mke2fs.log" >&2; die "mke2fs failed"; }
step "image ready ($outdir/disk.img)"
