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
. "$(dirname "$0")/foreign.sh"

(($# == 1)) || die "usage: $0 OUT"
# The codec headers come after the cross compiler's own, so nothing of the
# sysroot can shadow its libc.
# shellcheck disable=SC2016 # cross_build puts the sysroot for $sr
cross_build "$1" s390x s390x-linux-gnu setup-s390x.sh '-idirafter $sr/usr/include'
