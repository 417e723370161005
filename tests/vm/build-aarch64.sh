#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-build vmsift for aarch64 as the release build does (codecs linked
# statically, glibc dynamic), against the arm64 sysroot of setup-arm64.sh.
#
#   tests/vm/build-aarch64.sh OUT
#
# The build runs in a scratch copy of the source tree, so the host build is
# untouched.  Run the result on this host with tests/vm/run-aarch64.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

(($# == 1)) || die "usage: $0 OUT"
out=$1
src=$(cd "$VM_DIR/../.." && pwd)
sr=$CACHE/arm64/sysroot
[[ -d $sr/usr/include ]] || die "no arm64 sysroot: run tests/vm/setup-arm64.sh"
command -v aarch64-linux-gnu-gcc >/dev/null || die "no aarch64-linux-gnu-gcc: run tests/vm/setup-arm64.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$src/Makefile" "$src/src" "$src/include" "$src/arch" "$tmp/"
# The codec headers come after the cross compiler's own, so nothing of the
# sysroot can shadow its libc.
make -s -C "$tmp" -j"$(nproc)" vmsift \
	CC="aarch64-linux-gnu-gcc -idirafter $sr/usr/include" \
	LDFLAGS="-L$sr/usr/lib/aarch64-linux-gnu" >&2
install -m 0755 "$tmp/vmsift" "$out"
log "$out: $(readelf -h "$out" | sed -n "s/ *Machine: *//p")"
