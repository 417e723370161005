#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run a ppc64le binary on this host under qemu-user, with the ppc64el
# libraries of setup-ppc64.sh:  tests/vm/run-ppc64le.sh BINARY [ARG...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
(($# >= 1)) || die "usage: $0 BINARY [ARG...]"
exec qemu-ppc64le-static -L "$CACHE/ppc64el/root" "$@"
