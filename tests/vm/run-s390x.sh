#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run an s390x binary on this host under qemu-user, with the s390x
# libraries of setup-s390x.sh:  tests/vm/run-s390x.sh BINARY [ARG...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
(($# >= 1)) || die "usage: $0 BINARY [ARG...]"
exec qemu-s390x-static -L "$CACHE/s390x/root" "$@"
