#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --split and --reassemble, against makedumpfile in both directions: its
# --reassemble joins vmsift's pieces into vmsift's direct dump byte for byte,
# and vmsift's --reassemble of makedumpfile's pieces equals makedumpfile's.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

# ranges DUMP...: "start-end:pages" of each --split piece, one word each
ranges() {
	local f
	for f in "$@"; do
		"$PY" "$TOOLS/kdumpinfo.py" --json "$f" | "$PY" -c 'import json, sys
d = json.load(sys.stdin); s = d["sub_header"]
print("%d-%d:%d" % (s["start_pfn_64"], s["end_pfn_64"], d["descriptors"]))'
	done | tr '\n' ' '
}

# ranges_tile DUMP...: prints the last end pfn if each piece starts where the previous ended, at 0
ranges_tile() {
	local at=0 r
	for r in $(ranges "$@"); do
		r=${r%%:*}
		[ "${r%-*}" = "$at" ] || { echo "gap or overlap before $r"; return; }
		at=${r#*-}
	done
	echo "$at"
}

core=$WORK/m.elf
"$MKVMCORE" --mem 768M --seed 4 -o "$core" >/dev/null
"$VMSIFT" -l -d 31 --num-threads 1 --message-level 0 "$core" "$WORK/direct.kdump"
check "--split into 3 files" "$VMSIFT" --split -l -d 31 --splitblock-size 32768 --message-level 0 \
	"$core" "$WORK/p1" "$WORK/p2" "$WORK/p3"
for p in p1 p2 p3; do
	check "$p: format rules hold for a split piece" "$PY" "$TOOLS/kdumpinfo.py" --check "$WORK/$p"
	check_eq "$p: split flag" 1 "$(kdump_field "$WORK/$p" "['sub_header']['split']")"
done
check_eq "the pieces tile the pfn range, from 0 to max_mapnr" \
	"0 $(ranges_tile "$WORK/p1" "$WORK/p2" "$WORK/p3")" "0 $(kdump_field "$WORK/direct.kdump" "['sub_header']['max_mapnr_64']")"
# The direct dump writes the startup pages first; a reassembled file has them in pfn order.
check "makedumpfile --reassemble of vmsift's pieces: the direct dump's pages and bytes" bash -c \
	"makedumpfile --reassemble '$WORK/p1' '$WORK/p2' '$WORK/p3' '$WORK/mr.kdump' >/dev/null 2>&1 && '$PY' '$TOOLS/compare_dumps.py' --strict-headers '$WORK/direct.kdump' '$WORK/mr.kdump'"
check "vmsift --reassemble (pieces in any order) is byte-identical to makedumpfile's" bash -c \
	"'$VMSIFT' --reassemble --message-level 0 '$WORK/p3' '$WORK/p1' '$WORK/p2' '$WORK/vr.kdump' && cmp '$WORK/mr.kdump' '$WORK/vr.kdump'"
makedumpfile --split -l -d 31 "$core" "$WORK/m1" "$WORK/m2" >/dev/null 2>&1
makedumpfile --reassemble "$WORK/m1" "$WORK/m2" "$WORK/mm.kdump" >/dev/null 2>&1
check "vmsift --reassemble of makedumpfile's pieces equals makedumpfile's" bash -c \
	"'$VMSIFT' --reassemble --message-level 0 '$WORK/m1' '$WORK/m2' '$WORK/vm.kdump' && cmp '$WORK/mm.kdump' '$WORK/vm.kdump'"
# Every boundary of every piece is makedumpfile's (512 MiB: the case where they used to differ).
core512=$WORK/m512.elf
"$MKVMCORE" --mem 512M --seed 4 -o "$core512" >/dev/null
for conf in 65536:2 65536:3 65536:4 1024:3 :3; do
	sb=${conf%:*} n=${conf#*:}
	v=() m=()
	for ((i = 1; i <= n; i++)); do v+=("$WORK/v$sb-$n-$i"); m+=("$WORK/m$sb-$n-$i"); done
	check "--split into $n${sb:+, --splitblock-size $sb}: written (pieces past the memory empty)" \
		"$VMSIFT" --split -l -d 31 ${sb:+--splitblock-size $sb} --message-level 0 "$core512" "${v[@]}"
	makedumpfile --split -l -d 31 ${sb:+--splitblock-size $sb} --message-level 0 "$core512" "${m[@]}" \
		>/dev/null 2>&1
	check_eq "--split into $n${sb:+, --splitblock-size $sb}: every piece's pfn range is makedumpfile's" \
		"$(ranges "${m[@]}")" "$(ranges "${v[@]}")"
	rm -f "${v[@]}" "${m[@]}"
done

check_fails "pieces with a gap are refused" "$VMSIFT" --reassemble "$WORK/p1" "$WORK/p3" "$WORK/gap.kdump"
check "... leaving no output" test ! -e "$WORK/gap.kdump"
check_fails "a non-split dump is refused" "$VMSIFT" --reassemble "$WORK/direct.kdump" "$WORK/p2" "$WORK/x.kdump"
check_fails "--split with -F is refused" "$VMSIFT" --check-params --split -F vmcore a b
finish
