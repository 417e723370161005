#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-build vmsift for ppc64le as the release build does (codecs linked
# statically, glibc dynamic), against the ppc64el sysroot of setup-ppc64.sh.
#
#   tests/vm/build-ppc64le.sh OUT
#
# The build runs in a scratch copy of the source tree, so the host build is
# untouched.  Run the result on this host with tests/vm/run-ppc64le.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

(($# == 1)) || die "usage: $0 OUT"
out=$1
src=$(cd "$VM_DIR/../.." && pwd)
sr=$CACHE/ppc64el/sysroot
[[ -d $sr/usr/include ]] || die "no ppc64el sysroot: run tests/vm/setup-ppc64.sh"
command -v powerpc64le-linux-gnu-gcc >/dev/null || die "no powerpc64le-linux-gnu-gcc: run tests/vm/setup-ppc64.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$src/Makefile" "$src/src" "$src/include" "$src/arch" "$tmp/"
# The codec headers come after the cross compiler's own, so nothing of the
# sysroot can shadow its libc.
make -s -C "$tmp" -j"$(nproc)" vmsift \
	CC="powerpc64le-linux-gnu-gcc -idirafter $sr/usr/include" \
	LDFLAGS="-L$sr/usr/lib/powerpc64le-linux-gnu" >&2
install -m 0755 "$tmp/vmsift" "$out"
log "$out: $(readelf -h "$out" | sed -n "s/ *Machine: *//p")"
