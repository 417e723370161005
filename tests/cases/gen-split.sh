#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --split and --reassemble, against makedumpfile in both directions: its
# --reassemble joins vmsift's pieces into vmsift's direct dump byte for byte,
# and vmsift's --reassemble of makedumpfile's pieces equals makedumpfile's.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

core=$WORK/m.elf
"$MKVMCORE" --mem 768M --seed 4 -o "$core" >/dev/null
"$VMSIFT" -l -d 31 --num-threads 1 --message-level 0 "$core" "$WORK/direct.kdump"
check "--split into 3 files" "$VMSIFT" --split -l -d 31 --splitblock-size 32768 --message-level 0 \
	"$core" "$WORK/p1" "$WORK/p2" "$WORK/p3"
for p in p1 p2 p3; do
	check "$p: format rules hold for a split piece" "$PY" "$TOOLS/kdumpinfo.py" --check "$WORK/$p"
	check_eq "$p: split flag" 1 "$(kdump_field "$WORK/$p" "['sub_header']['split']")"
done
check_eq "the pieces tile the pfn range" "$(kdump_field "$WORK/p1" "['sub_header']['end_pfn_64']")" \
	"$(kdump_field "$WORK/p2" "['sub_header']['start_pfn_64']")"
check "makedumpfile --reassemble of vmsift's pieces equals vmsift's direct dump" bash -c \
	"makedumpfile --reassemble '$WORK/p1' '$WORK/p2' '$WORK/p3' '$WORK/mr.kdump' >/dev/null 2>&1 && cmp '$WORK/direct.kdump' '$WORK/mr.kdump'"
check "vmsift --reassemble (pieces in any order) equals it too" bash -c \
	"'$VMSIFT' --reassemble --message-level 0 '$WORK/p3' '$WORK/p1' '$WORK/p2' '$WORK/vr.kdump' && cmp '$WORK/direct.kdump' '$WORK/vr.kdump'"
makedumpfile --split -l -d 31 "$core" "$WORK/m1" "$WORK/m2" >/dev/null 2>&1
makedumpfile --reassemble "$WORK/m1" "$WORK/m2" "$WORK/mm.kdump" >/dev/null 2>&1
check "vmsift --reassemble of makedumpfile's pieces equals makedumpfile's" bash -c \
	"'$VMSIFT' --reassemble --message-level 0 '$WORK/m1' '$WORK/m2' '$WORK/vm.kdump' && cmp '$WORK/mm.kdump' '$WORK/vm.kdump'"
check_fails "pieces with a gap are refused" "$VMSIFT" --reassemble "$WORK/p1" "$WORK/p3" "$WORK/gap.kdump"
check "... leaving no output" test ! -e "$WORK/gap.kdump"
check_fails "a non-split dump is refused" "$VMSIFT" --reassemble "$WORK/direct.kdump" "$WORK/p2" "$WORK/x.kdump"
check_fails "--split with -F is refused" "$VMSIFT" --check-params --split -F vmcore a b
finish
