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
. "$(dirname "$0")/foreign.sh"

(($# == 1)) || die "usage: $0 OUT"
# The codec headers come after the cross compiler's own, so nothing of the
# sysroot can shadow its libc.
# shellcheck disable=SC2016 # cross_build puts the sysroot for $sr
cross_build "$1" ppc64el powerpc64le-linux-gnu setup-ppc64.sh '-idirafter $sr/usr/include'
