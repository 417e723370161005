#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare the riscv64 tests on an x86_64 host; safe to run again.
#
#   tests/vm/setup-riscv64.sh [--no-install]
#
# riscv64 is an official Debian architecture only since trixie, so
# everything comes from trixie's riscv64 archive through private apt lists
# under the cache (the host's apt setup is not touched):
#   - the kernel (linux-image-riscv64), unpacked like the others and named
#     riscv64-trixie;
#   - a riscv64 userland tree (busybox-static, makedumpfile and their
#     libraries) for a guest's initramfs and for the peer, which runs on this
#     host under qemu-user ($CACHE/peers/riscv64/run);
#   - a sysroot (trixie's libc6-dev and the codec -dev packages) for
#     cross-building vmsift (tests/vm/build-riscv64.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

HOST_PKGS=(qemu-system-misc opensbi qemu-user-static gcc-riscv64-linux-gnu g++-riscv64-linux-gnu)
USER_PKGS=(busybox-static makedumpfile)
# A cross build of vmsift: trixie's C library (its static codec libraries
# want its symbols), the codecs, linked statically, and elfutils headers
# (libelf and libdw are loaded with dlopen).
DEV_PKGS=(libc6 libc6-dev linux-libc-dev libdeflate-dev liblzo2-dev libsnappy-dev libzstd-dev libelf-dev libdw-dev)
KERNELS=(riscv64-trixie:linux-image-riscv64)
DEBS=$CACHE/debs-riscv64

install=1
for a in "$@"; do
	case $a in
	--no-install) install=0 ;;
	-h | --help) sed -n '3,14p' "$0"; exit 0 ;;
	*) die "unknown argument: $a" ;;
	esac
done

APT_DIR=$CACHE/apt/trixie-riscv64
apt_setup() {
	local d=$APT_DIR mirror
	mirror=$(host_mirror)
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	echo "deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" \
		>"$d/sources.list"
	APT_OPTS=(-o APT::Architecture=riscv64 -o APT::Architectures=riscv64
		-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o Dir::State::status=/dev/null)
	if [[ -z $(find "$d/updated" -mmin -1440 2>/dev/null) ]]; then
		step "apt lists for trixie riscv64: updating"
		apt-get "${APT_OPTS[@]}" update -q 2>&1 | { grep -v unsandboxed || true; } >&2
		touch "$d/updated"
	else
		step "apt lists for trixie riscv64: fresh"
	fi
}

fetch_kernel() {
	local name=$1 meta=$2 pkg kver deb
	pkg=$(apt-cache "${APT_OPTS[@]}" depends "$meta" | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[[ -n $pkg ]] || die "cannot resolve $meta"
	kver=${pkg#linux-image-}
	local kd=$CACHE/kernels/$kver
	if [[ -f $kd/boot/vmlinux-$kver ]]; then  # riscv64 ships the Image as vmlinux-*
		step "kernel $kver ($name): cached"
	else
		step "kernel $kver ($name): downloading"
		deb=$(download "$pkg" "$DEBS")
		rm -rf "$kd.tmp" && mkdir -p "$kd.tmp"
		dpkg-deb -x "$deb" "$kd.tmp"
		rm -f "$deb"
		echo riscv64 >"$kd.tmp/arch"
		rm -rf "$kd" && mv "$kd.tmp" "$kd"
	fi
	printf '%s\n' "$kver" >"$CACHE/kernels/$name.kver"
	printf '%s\n' "$CACHE/peers/riscv64" >"$kd/peer"
	printf 'none\n' >"$kd/crash"
}

# PKGS and the libraries they pull in, unpacked into DIR (one tree).
unpack_tree() {
	local dir=$1 p deps pkgs
	shift
	deps=$(for p in "$@"; do
		apt-cache "${APT_OPTS[@]}" show --no-all-versions "$p" | sed -n 's/^\(Pre-\)\?Depends: //p'
	done | tr ',|' '\n\n' | sed 's/^ *//; s/[ (:].*//' | grep -v -e '^$' -e '^perl' -e '^debconf' \
		-e '^lsb-base' -e '^init-system-helpers' -e '^kdump-tools' -e '^binutils' | sort -u)
	# shellcheck disable=SC2086 # lists of package names
	pkgs=$(apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances $deps |
		grep -v '^ ' | grep -E '^(lib|zlib|gcc-[0-9]+-base)' |
		grep -v -e '^libperl' -e '^libgdbm' -e '^libdb' -e '^libc-gconv' -e '^libc-bin' | sort -u)
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	for p in "$@" $pkgs; do
		dpkg-deb -x "$(download "$p" "$DEBS")" "$dir.tmp"
	done
	rm -rf "$dir.tmp/usr/share/doc" "$dir.tmp/usr/share/man" "$dir.tmp/usr/share/locale"
	# trixie is merged-/usr: the dynamic loader is looked up as /lib/ld-linux-riscv64-lp64d.so.1
	[[ -e $dir.tmp/lib ]] || ln -s usr/lib "$dir.tmp/lib"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

fetch_userland() {
	local root=$CACHE/riscv64/root stamp="${USER_PKGS[*]}"
	if [[ -f $root/.pkgs && $(cat "$root/.pkgs") == "$stamp" ]]; then
		step "riscv64 userland: cached"
	else
		step "riscv64 userland: ${USER_PKGS[*]} and their libraries"
		unpack_tree "$root" "${USER_PKGS[@]}"
		printf '%s\n' "$stamp" >"$root/.pkgs"
	fi
	local peer=$CACHE/peers/riscv64
	mkdir -p "$peer"
	cat >"$peer/run" <<EOF
#!/bin/sh
# trixie's riscv64 makedumpfile, run under qemu-user with its own libraries.
exec qemu-riscv64-static -L "$root" "$root/usr/bin/makedumpfile" "\$@"
EOF
	chmod +x "$peer/run"
	"$peer/run" -v >/dev/null 2>&1 || die "the riscv64 peer does not run ($peer/run -v)"
	step "riscv64 peer: $("$peer/run" -v 2>&1 | grep -m1 .)"
}

fetch_sysroot() {
	local sr=$CACHE/riscv64/sysroot stamp="${DEV_PKGS[*]}" p
	if [[ -f $sr/.pkgs && $(cat "$sr/.pkgs") == "$stamp" ]]; then
		step "riscv64 sysroot: cached"
		return
	fi
	step "riscv64 sysroot: ${DEV_PKGS[*]}"
	rm -rf "$sr.tmp" && mkdir -p "$sr.tmp"
	for p in "${DEV_PKGS[@]}"; do
		dpkg-deb -x "$(download "$p" "$DEBS")" "$sr.tmp"
	done
	# libc.so names /lib/riscv64-linux-gnu/libc.so.6 (merged-/usr)
	[[ -e $sr.tmp/lib ]] || ln -s usr/lib "$sr.tmp/lib"
	printf '%s\n' "$stamp" >"$sr.tmp/.pkgs"
	rm -rf "$sr" && mv "$sr.tmp" "$sr"
}

mkdir -p "$CACHE"
install_host_packages "$install" "${HOST_PKGS[@]}"
apt_setup
fetch_userland
for k in "${KERNELS[@]}"; do fetch_kernel "${k%%:*}" "${k#*:}"; done
fetch_sysroot
step "done"
