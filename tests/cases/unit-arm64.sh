#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unit test of the arm64 page-table geometry and descriptor formats
# (arch/arm64_geom.c), built here under ASan/UBSan: no dump needed.
. "$(dirname "$0")/../lib.sh"

bin=$WORK/arm64_geom_test
if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$ROOT/arch" -o "$bin" "$ROOT/tests/unit/arm64_geom_test.c" "$ROOT/arch/arm64_geom.c" >"$WORK/cc.log" 2>&1; then
	check "the unit test builds" false
	sed 's/^/#   /' "$WORK/cc.log"
	finish
fi
"$bin" > "$WORK/unit.txt" 2>&1
rc=$?
cat "$WORK/unit.txt"
check_eq "the unit test exits 0" 0 "$rc"
finish
