#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A 64 GiB machine (sparse, mostly free, like an idle server): -d 31 in many
# cycles writes the same file as in one; free pages equal the truth; peak
# anonymous memory stays bounded.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "64 GiB machine" "tests/gen/mkvmcore not built"; finish; }

core=$WORK/m64.elf
check "generate a 64 GiB machine" "$MKVMCORE" --mem 64G --seed 3 --mix free=97,kernel=1,anon=1,cache=1 \
	--truth "$WORK/m64.truth" -o "$core"
"$TOOLS/peakanon.sh" "$WORK/anon1" "$VMSIFT" -l -d 31 --message-level 16 "$core" "$WORK/one.kdump" > "$WORK/one.txt"
check "-d 31 in one cycle (default 8 MiB buffer)" test $? -eq 0
"$TOOLS/peakanon.sh" "$WORK/anon2" "$VMSIFT" -l -d 31 --cyclic-buffer 64 --message-level 16 "$core" "$WORK/many.kdump" > "$WORK/many.txt"
check "-d 31 in 64 cycles (--cyclic-buffer 64)" test $? -eq 0
check "many cycles write the same file as one" cmp "$WORK/one.kdump" "$WORK/many.kdump"
want=$(awk '/^# d31.free /{print $3}' "$WORK/m64.truth")
got=$(awk -F: '/Free pages/{gsub(/ /,"",$2); print $2}' "$WORK/many.txt")
check_eq "free pages equal the truth" "$want" "$((got))"
check "the dump is valid" "$PY" "$TOOLS/kdumpinfo.py" --check "$WORK/many.kdump"
a1=$(cat "$WORK/anon1"); a2=$(cat "$WORK/anon2")
echo "# peak RssAnon: one cycle ${a1} KiB, 64 cycles ${a2} KiB"
check "peak anonymous memory under 64 MiB (default buffer: ${a1} KiB)" test "$a1" -lt 65536
check "peak anonymous memory under 32 MiB with a small buffer (${a2} KiB)" test "$a2" -lt 32768
finish
