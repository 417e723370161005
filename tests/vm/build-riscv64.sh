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
. "$(dirname "$0")/foreign.sh"

(($# == 1)) || die "usage: $0 OUT"
# The sysroot is the whole C library (headers, crt files, libc), so the
# compiler's own libgcc and libstdc++ are the only things taken from outside.
# shellcheck disable=SC2016 # cross_build puts the sysroot for $sr
cross_build "$1" riscv64 riscv64-linux-gnu setup-riscv64.sh '--sysroot=$sr'
