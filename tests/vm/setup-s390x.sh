#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare the s390x tests on an x86_64 host; safe to run again.
#
#   tests/vm/setup-s390x.sh [--no-install]
#
# Installs the host packages (qemu-system-misc for qemu-system-s390x,
# qemu-user-static, the s390x cross compiler), then, from Debian 12's s390x
# archive through private apt lists under the cache (the host's apt setup
# is not touched):
#   - its kernel, unpacked like the x86_64 ones and named s390x-6.1;
#   - an s390x userland tree (busybox-static, kexec-tools, makedumpfile 1.7.2
#     and their libraries) for a guest's initramfs and for the peer, which
#     runs on this host under qemu-user ($CACHE/peers/s390x/run);
#   - the s390x codec -dev packages, a sysroot for cross-building vmsift.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

HOST_PKGS=(qemu-system-misc qemu-user-static gcc-s390x-linux-gnu g++-s390x-linux-gnu
	binutils-s390x-linux-gnu libc6-dev-s390x-cross)
# The guests' userland and the peer with everything they link.
USER_PKGS=(busybox-static kexec-tools makedumpfile)
# What a cross build of vmsift links statically.
DEV_PKGS=(libdeflate-dev liblzo2-dev libsnappy-dev libzstd-dev)
# name:meta-package of the kernels.
KERNELS=(s390x-6.1:linux-image-s390x)

install=1
for a in "$@"; do
	case $a in
	--no-install) install=0 ;;
	-h | --help) sed -n '3,16p' "$0"; exit 0 ;;
	*) die "unknown argument: $a" ;;
	esac
done

# Private apt lists for Debian 12 s390x, on the host's own mirror.
APT_DIR=$CACHE/apt/bookworm-s390x
apt_setup() {
	local d=$APT_DIR mirror sec
	mirror=$(host_mirror)
	sec=${mirror%/debian}/debian-security
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	{
		echo "deb [arch=s390x signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main"
		echo "deb [arch=s390x signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-updates main"
		echo "deb [arch=s390x signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $sec bookworm-security main"
	} >"$d/sources.list"
	APT_OPTS=(-o APT::Architecture=s390x -o APT::Architectures=s390x
		-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o Dir::State::status=/dev/null)
	if [[ -z $(find "$d/updated" -mmin -1440 2>/dev/null) ]]; then
		step "apt lists for bookworm s390x: updating"
		apt-get "${APT_OPTS[@]}" update -q 2>&1 | { grep -v unsandboxed || true; } >&2
		touch "$d/updated"
	else
		step "apt lists for bookworm s390x: fresh"
	fi
}

fetch_kernel() {
	local name=$1 meta=$2 pkg kver deb
	pkg=$(apt-cache "${APT_OPTS[@]}" depends "$meta" | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[[ -n $pkg ]] || die "cannot resolve $meta"
	kver=${pkg#linux-image-}
	local kd=$CACHE/kernels/$kver
	if [[ -f $kd/boot/vmlinuz-$kver ]]; then
		step "kernel $kver ($name): cached"
	else
		step "kernel $kver ($name): downloading"
		deb=$(download "$pkg" "$CACHE/debs-s390x")
		rm -rf "$kd.tmp" && mkdir -p "$kd.tmp"
		dpkg-deb -x "$deb" "$kd.tmp"
		rm -f "$deb"
		echo s390x >"$kd.tmp/arch"
		rm -rf "$kd" && mv "$kd.tmp" "$kd"
	fi
	printf '%s\n' "$kver" >"$CACHE/kernels/$name.kver"
	printf '%s\n' "$CACHE/peers/s390x" >"$kd/peer"
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
		dpkg-deb -x "$(download "$p" "$CACHE/debs-s390x")" "$dir.tmp"
	done
	rm -rf "$dir.tmp/usr/share/doc" "$dir.tmp/usr/share/man" "$dir.tmp/usr/share/locale"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

fetch_userland() {
	local root=$CACHE/s390x/root stamp="${USER_PKGS[*]}"
	if [[ -f $root/.pkgs && $(cat "$root/.pkgs") == "$stamp" ]]; then
		step "s390x userland: cached"
	else
		step "s390x userland: ${USER_PKGS[*]} and their libraries"
		unpack_tree "$root" "${USER_PKGS[@]}"
		printf '%s\n' "$stamp" >"$root/.pkgs"
	fi
	# The peer: Debian 12's s390x makedumpfile on this host, under qemu-user.
	local peer=$CACHE/peers/s390x
	mkdir -p "$peer"
	cat >"$peer/run" <<EOF
#!/bin/sh
# Debian 12's s390x makedumpfile, run under qemu-user with its own libraries.
exec qemu-s390x-static -L "$root" "$root/usr/bin/makedumpfile" "\$@"
EOF
	chmod +x "$peer/run"
	"$peer/run" -v >/dev/null 2>&1 || die "the s390x peer does not run ($peer/run -v)"
	step "s390x peer: $("$peer/run" -v 2>&1 | grep -m1 .)"
}

fetch_sysroot() {
	local sr=$CACHE/s390x/sysroot stamp="${DEV_PKGS[*]}" p
	if [[ -f $sr/.pkgs && $(cat "$sr/.pkgs") == "$stamp" ]]; then
		step "s390x sysroot: cached"
		return
	fi
	step "s390x sysroot: ${DEV_PKGS[*]}"
	rm -rf "$sr.tmp" && mkdir -p "$sr.tmp"
	for p in "${DEV_PKGS[@]}"; do
		dpkg-deb -x "$(download "$p" "$CACHE/debs-s390x")" "$sr.tmp"
	done
	printf '%s\n' "$stamp" >"$sr.tmp/.pkgs"
	rm -rf "$sr" && mv "$sr.tmp" "$sr"
}

# The guests' static tools, cross-built: the workload and memwatch.
build_tools() {
	local b=$CACHE/build/s390x c name
	mkdir -p "$b"
	for c in "$VM_DIR/workload.c" "$VM_DIR/../../bench/memwatch.c"; do
		name=$(basename "$c" .c)
		if [[ ! -x $b/$name || $c -nt $b/$name ]]; then
			s390x-linux-gnu-gcc -std=c11 -O2 -Wall -Wextra -Werror -static -o "$b/$name" "$c"
			step "built $b/$name (s390x, static)"
		else
			step "tool $name (s390x): up to date"
		fi
	done
}

mkdir -p "$CACHE"
install_host_packages "$install" "${HOST_PKGS[@]}"
apt_setup
for k in "${KERNELS[@]}"; do fetch_kernel "${k%%:*}" "${k#*:}"; done
fetch_userland
fetch_sysroot
build_tools
step "done"
