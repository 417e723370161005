#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The outside checkers must accept makedumpfile's dumps and reject damaged
# ones; otherwise every other case proves nothing.
. "$(dirname "$0")/../lib.sh"
check "tests/tools self-test (pass on good dumps, fail on each kind of damage)" bash "$TOOLS/test_tools.sh"
finish
