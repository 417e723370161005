#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests that need no dump (tests/unit/*_test.c): each is built under
# ASan/UBSan with the sources its "// unit-sources:" line names, and prints
# "ok -" / "not ok -" lines of its own.
. "$(dirname "$0")/../lib.sh"

for src in "$ROOT"/tests/unit/*_test.c; do
	name=$(basename "$src" .c)
	read -r -a deps <<< "$(sed -n 's|^// unit-sources:||p' "$src")"
	bin=$WORK/$name
	if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		-D_GNU_SOURCE -I"$ROOT/include" -I"$ROOT/arch" -o "$bin" "$src" "${deps[@]/#/$ROOT/}" >"$WORK/cc.log" 2>&1; then
		check "$name builds" false
		sed 's/^/#   /' "$WORK/cc.log"
		continue
	fi
	"$bin" > "$WORK/unit.txt" 2>&1
	rc=$?
	sed "s/^\(not \)\{0,1\}ok - /&$name: /" "$WORK/unit.txt"
	check_eq "$name exits 0" 0 "$rc"
done
finish
