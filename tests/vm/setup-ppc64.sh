#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare the ppc64le tests on an x86_64 host; safe to run again.
#
#   tests/vm/setup-ppc64.sh [--no-install]
#
# Installs the host packages (qemu-system-ppc, qemu-user-static, the ppc64le
# cross compiler), then, from Debian 12's ppc64el archive through private apt
# lists under the cache (the host's apt setup is not touched): Debian 12's
# ppc64el kernel (64K pages), named ppc64el-6.1; a ppc64el userland tree
# (busybox-static, kexec-tools, makedumpfile 1.7.2 and their libraries) for a guest's
# initramfs and for the peer, which runs on this host under qemu-user
# ($CACHE/peers/ppc64el/run); the ppc64el codec -dev packages, a sysroot for
# cross-building vmsift (tests/vm/build-ppc64le.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

HOST_PKGS=(qemu-system-ppc qemu-user-static gcc-powerpc64le-linux-gnu g++-powerpc64le-linux-gnu libc6-dev-ppc64el-cross)
USER_PKGS=(busybox-static kexec-tools makedumpfile)
# What a cross build of vmsift links statically.
DEV_PKGS=(libdeflate-dev liblzo2-dev libsnappy-dev libzstd-dev)
# name:meta-package of the kernel vm-ppc64 boots.
KERNELS=(ppc64el-6.1:linux-image-powerpc64le)

install=1
for a in "$@"; do
	case $a in
	--no-install) install=0 ;;
	-h | --help) sed -n '3,15p' "$0"; exit 0 ;;
	*) die "unknown argument: $a" ;;
	esac
done

# Private apt lists for Debian 12 ppc64el, on the host's own mirror.
APT_DIR=$CACHE/apt/bookworm-ppc64el
apt_setup() {
	local d=$APT_DIR mirror sec
	mirror=$(host_mirror)
	sec=${mirror%/debian}/debian-security
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	{
		echo "deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main"
		echo "deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-updates main"
		echo "deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $sec bookworm-security main"
	} >"$d/sources.list"
	APT_OPTS=(-o APT::Architecture=ppc64el -o APT::Architectures=ppc64el
		-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o Dir::State::status=/dev/null)
	if [[ -z $(find "$d/updated" -mmin -1440 2>/dev/null) ]]; then
		step "apt lists for bookworm ppc64el: updating"
		apt-get "${APT_OPTS[@]}" update -q 2>&1 | { grep -v unsandboxed || true; } >&2
		touch "$d/updated"
	else
		step "apt lists for bookworm ppc64el: fresh"
	fi
}

fetch_kernel() {
	local name=$1 meta=$2 pkg kver deb
	pkg=$(apt-cache "${APT_OPTS[@]}" depends "$meta" | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[[ -n $pkg ]] || die "cannot resolve $meta"
	kver=${pkg#linux-image-}
	local kd=$CACHE/kernels/$kver
	if [[ -f $kd/boot/vmlinux-$kver ]]; then
		step "kernel $kver ($name): cached"
	else
		step "kernel $kver ($name): downloading"
		deb=$(download "$pkg" "$CACHE/debs-ppc64el")
		rm -rf "$kd.tmp" && mkdir -p "$kd.tmp"
		dpkg-deb -x "$deb" "$kd.tmp"
		rm -f "$deb"
		echo ppc64el >"$kd.tmp/arch"
		rm -rf "$kd" && mv "$kd.tmp" "$kd"
	fi
	printf '%s\n' "$kver" >"$CACHE/kernels/$name.kver"
	printf '%s\n' "$CACHE/peers/ppc64el" >"$kd/peer"
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
		dpkg-deb -x "$(download "$p" "$CACHE/debs-ppc64el")" "$dir.tmp"
	done
	rm -rf "$dir.tmp/usr/share/doc" "$dir.tmp/usr/share/man" "$dir.tmp/usr/share/locale"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

fetch_userland() {
	local root=$CACHE/ppc64el/root stamp="${USER_PKGS[*]}"
	if [[ -f $root/.pkgs && $(cat "$root/.pkgs") == "$stamp" ]]; then
		step "ppc64el userland: cached"
	else
		step "ppc64el userland: ${USER_PKGS[*]} and their libraries"
		unpack_tree "$root" "${USER_PKGS[@]}"
		printf '%s\n' "$stamp" >"$root/.pkgs"
	fi
	# libc6 links /lib64/ld64.so.2 to an absolute path, which qemu-user's -L
	# does not follow into the tree: make it relative.
	ln -sfn ../lib/powerpc64le-linux-gnu/ld64.so.2 "$root/lib64/ld64.so.2"
	# The peer: Debian 12's ppc64el makedumpfile on this host, under qemu-user.
	local peer=$CACHE/peers/ppc64el
	mkdir -p "$peer"
	cat >"$peer/run" <<EOF
#!/bin/sh
# Debian 12's ppc64el makedumpfile, run under qemu-user with its own libraries.
exec qemu-ppc64le-static -L "$root" "$root/usr/bin/makedumpfile" "\$@"
EOF
	chmod +x "$peer/run"
	"$peer/run" -v >/dev/null 2>&1 || die "the ppc64el peer does not run ($peer/run -v)"
	step "ppc64el peer: $("$peer/run" -v 2>&1 | grep -m1 .)"
}

fetch_sysroot() {
	local sr=$CACHE/ppc64el/sysroot stamp="${DEV_PKGS[*]}" p
	if [[ -f $sr/.pkgs && $(cat "$sr/.pkgs") == "$stamp" ]]; then
		step "ppc64el sysroot: cached"
		return
	fi
	step "ppc64el sysroot: ${DEV_PKGS[*]}"
	rm -rf "$sr.tmp" && mkdir -p "$sr.tmp"
	for p in "${DEV_PKGS[@]}"; do
		dpkg-deb -x "$(download "$p" "$CACHE/debs-ppc64el")" "$sr.tmp"
	done
	printf '%s\n' "$stamp" >"$sr.tmp/.pkgs"
	rm -rf "$sr" && mv "$sr.tmp" "$sr"
}

# The guests' static tools, cross-built: the workload and memwatch (kdump-cycle.sh).
build_tools() {
	local b=$CACHE/build/ppc64el c name
	mkdir -p "$b"
	for c in "$VM_DIR/workload.c" "$VM_DIR/../../bench/memwatch.c"; do
		name=$(basename "$c" .c)
		if [[ ! -x $b/$name || $c -nt $b/$name ]]; then
			powerpc64le-linux-gnu-gcc -std=c11 -O2 -Wall -Wextra -Werror -static -o "$b/$name" "$c"
			step "built $b/$name (ppc64le, static)"
		else
			step "tool $name (ppc64le): up to date"
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
