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
# shellcheck disable=SC2034 # the FOREIGN_ settings are read by foreign.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/foreign.sh"

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

FOREIGN_ARCH=s390x
FOREIGN_SUITE=bookworm
FOREIGN_DISTRO="Debian 12's"
FOREIGN_QEMU=qemu-s390x-static

mkdir -p "$CACHE"
install_host_packages "$install" "${HOST_PKGS[@]}"
foreign_apt_setup
for k in "${KERNELS[@]}"; do foreign_fetch_kernel "${k%%:*}" "${k#*:}"; done
foreign_fetch_userland "${USER_PKGS[@]}"
foreign_fetch_sysroot "${DEV_PKGS[@]}"
foreign_build_tools s390x-linux-gnu-gcc s390x
step "done"
