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
# shellcheck disable=SC2034 # the FOREIGN_ settings are read by foreign.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/foreign.sh"

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

FOREIGN_ARCH=ppc64el
FOREIGN_SUITE=bookworm
FOREIGN_DISTRO="Debian 12's"
FOREIGN_QEMU=qemu-ppc64le-static
FOREIGN_KIMAGE=vmlinux  # ppc64el ships vmlinux-*, no vmlinuz
# libc6 links /lib64/ld64.so.2 to an absolute path, which qemu-user's -L
# does not follow into the tree: make it relative.
foreign_peer_fixup() { ln -sfn ../lib/powerpc64le-linux-gnu/ld64.so.2 "$1/lib64/ld64.so.2"; }

mkdir -p "$CACHE"
install_host_packages "$install" "${HOST_PKGS[@]}"
foreign_apt_setup
for k in "${KERNELS[@]}"; do foreign_fetch_kernel "${k%%:*}" "${k#*:}"; done
foreign_fetch_userland "${USER_PKGS[@]}"
foreign_fetch_sysroot "${DEV_PKGS[@]}"
foreign_build_tools powerpc64le-linux-gnu-gcc ppc64le
step "done"
