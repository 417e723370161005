#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-build vmsift for riscv64 as the release build does (codecs linked
# statically, glibc dynamic), against trixie's riscv64 C library and codecs
# (the sysroot of setup-riscv64.sh; bookworm has no riscv64).
#
#   tests/vm/build-riscv64.sh OUT
#
# The build runs in a scratch copy of the source tree, so the host build is
# untouched.  Run the result here with qemu-riscv64-static -L
# $VMSIFT_CACHE/riscv64/root OUT ...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

(($# == 1)) || die "usage: $0 OUT"
out=$1
src=$(cd "$VM_DIR/../.." && pwd)
sr=$CACHE/riscv64/sysroot
[[ -d $sr/usr/include ]] || die "no riscv64 sysroot: run tests/vm/setup-riscv64.sh"
command -v riscv64-linux-gnu-gcc >/dev/null || die "no riscv64-linux-gnu-gcc: run tests/vm/setup-riscv64.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$src/Makefile" "$src/src" "$src/include" "$src/arch" "$tmp/"
# The sysroot is the whole C library (headers, crt files, libc), so the
# compiler's own libgcc and libstdc++ are the only things taken from outside.
make -s -C "$tmp" -j"$(nproc)" vmsift \
	CC="riscv64-linux-gnu-gcc --sysroot=$sr" \
	LDFLAGS="-L$sr/usr/lib/riscv64-linux-gnu" >&2
install -m 0755 "$tmp/vmsift" "$out"
log "$out: $(readelf -h "$out" | sed -n "s/ *Machine: *//p")"
