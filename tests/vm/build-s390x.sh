#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-build vmsift for s390x as the release build does (codecs linked
# statically, glibc dynamic), against the s390x sysroot of setup-s390x.sh.
#
#   tests/vm/build-s390x.sh OUT
#
# The build runs in a scratch copy of the source tree, so the host build is
# untouched.  Run the result on this host with tests/vm/run-s390x.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

(($# == 1)) || die "usage: $0 OUT"
out=$1
src=$(cd "$VM_DIR/../.." && pwd)
sr=$CACHE/s390x/sysroot
[[ -d $sr/usr/include ]] || die "no s390x sysroot: run tests/vm/setup-s390x.sh"
command -v s390x-linux-gnu-gcc >/dev/null || die "no s390x-linux-gnu-gcc: run tests/vm/setup-s390x.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$src/Makefile" "$src/src" "$src/include" "$src/arch" "$tmp/"
# The codec headers come after the cross compiler's own, so nothing of the
# sysroot can shadow its libc.
make -s -C "$tmp" -j"$(nproc)" vmsift \
	CC="s390x-linux-gnu-gcc -idirafter $sr/usr/include" \
	LDFLAGS="-L$sr/usr/lib/s390x-linux-gnu" >&2
install -m 0755 "$tmp/vmsift" "$out"
log "$out: $(readelf -h "$out" | sed -n "s/ *Machine: *//p")"
