#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare the arm64 VM tests on an x86_64 host; safe to run again.
#
#   tests/vm/setup-arm64.sh [--no-install]
#
# Installs the host packages (qemu-system-arm, qemu-user-static, the aarch64
# cross compiler), then, from Debian 12's arm64 archive through private apt
# lists under the cache (the host's apt setup is not touched):
#   - three kernels, unpacked like the x86_64 ones and named
#     arm64-6.1 (4K pages, 48-bit VA), arm64-6.12 (4K pages, 52-bit VA with
#     LPA2, 5 levels when the CPU has FEAT_LPA2) and arm64-16k (6.12, 16K pages);
#   - an arm64 userland tree (busybox-static, kexec-tools, makedumpfile 1.7.2
#     and their libraries) for the guests' initramfs and for the peer, which
#     runs on this host under qemu-user ($CACHE/peers/arm64/run);
#   - the arm64 codec -dev packages, a sysroot for cross-building vmsift
#     (tests/vm/build-aarch64.sh), and the static guest tools.
# shellcheck disable=SC2034 # the FOREIGN_ settings are read by foreign.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/foreign.sh"

HOST_PKGS=(qemu-system-arm qemu-user-static gcc-aarch64-linux-gnu g++-aarch64-linux-gnu
	binutils-aarch64-linux-gnu libc6-dev-arm64-cross)
# The guests' userland and the peer with everything they link.
USER_PKGS=(busybox-static kexec-tools makedumpfile)
# What a cross build of vmsift links statically.
DEV_PKGS=(libdeflate-dev liblzo2-dev libsnappy-dev libzstd-dev)
# name:meta-package of the kernels.
KERNELS=(arm64-6.1:linux-image-arm64 arm64-6.12:linux-image-6.12-arm64
	arm64-16k:linux-image-6.12-arm64-16k)

install=1
for a in "$@"; do
	case $a in
	--no-install) install=0 ;;
	-h | --help) sed -n '3,17p' "$0"; exit 0 ;;
	*) die "unknown argument: $a" ;;
	esac
done

FOREIGN_ARCH=arm64
FOREIGN_SUITE=bookworm
FOREIGN_DISTRO="Debian 12's"
FOREIGN_QEMU=qemu-aarch64-static

mkdir -p "$CACHE"
install_host_packages "$install" "${HOST_PKGS[@]}"
foreign_apt_setup
for k in "${KERNELS[@]}"; do foreign_fetch_kernel "${k%%:*}" "${k#*:}"; done
foreign_fetch_userland "${USER_PKGS[@]}"
foreign_fetch_sysroot "${DEV_PKGS[@]}"
foreign_build_tools aarch64-linux-gnu-gcc aarch64
step "done"
