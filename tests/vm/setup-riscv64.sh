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
# shellcheck disable=SC2034 # the FOREIGN_ settings are read by foreign.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/foreign.sh"

HOST_PKGS=(qemu-system-misc opensbi qemu-user-static gcc-riscv64-linux-gnu g++-riscv64-linux-gnu)
USER_PKGS=(busybox-static makedumpfile)
# A cross build of vmsift: trixie's C library (its static codec libraries
# want its symbols), the codecs, linked statically, and elfutils headers
# (libelf and libdw are loaded with dlopen).
DEV_PKGS=(libc6 libc6-dev linux-libc-dev libdeflate-dev liblzo2-dev libsnappy-dev libzstd-dev libelf-dev libdw-dev)
KERNELS=(riscv64-trixie:linux-image-riscv64)

install=1
for a in "$@"; do
	case $a in
	--no-install) install=0 ;;
	-h | --help) sed -n '3,14p' "$0"; exit 0 ;;
	*) die "unknown argument: $a" ;;
	esac
done

FOREIGN_ARCH=riscv64
FOREIGN_SUITE=trixie
FOREIGN_DISTRO="trixie's"
FOREIGN_QEMU=qemu-riscv64-static
FOREIGN_UPDATES=0
FOREIGN_KIMAGE=vmlinux  # riscv64 ships the Image as vmlinux-*
# trixie is merged-/usr: the dynamic loader is looked up as
# /lib/ld-linux-riscv64-lp64d.so.1, and libc.so names
# /lib/riscv64-linux-gnu/libc.so.6.
foreign_tree_fixup() { [[ -e $1/lib ]] || ln -s usr/lib "$1/lib"; }

mkdir -p "$CACHE"
install_host_packages "$install" "${HOST_PKGS[@]}"
foreign_apt_setup
foreign_fetch_userland "${USER_PKGS[@]}"
for k in "${KERNELS[@]}"; do foreign_fetch_kernel "${k%%:*}" "${k#*:}"; done
foreign_fetch_sysroot "${DEV_PKGS[@]}"
step "done"
