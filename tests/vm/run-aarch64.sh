#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run an aarch64 binary on this host under qemu-user, with the arm64
# libraries of setup-arm64.sh:  tests/vm/run-aarch64.sh BINARY [ARG...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
(($# >= 1)) || die "usage: $0 BINARY [ARG...]"
exec qemu-aarch64-static -L "$CACHE/arm64/root" "$@"
