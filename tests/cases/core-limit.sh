#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -L SIZE: the dump file (or the -F stream) never grows past SIZE, whatever
# SIZE is; what it holds opens in libkdumpfile, is flagged incomplete, and
# every page in it is right.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

core=$WORK/m.elf
"$MKVMCORE" --mem 128M --seed 3 -o "$core" >/dev/null

size_of() { stat -c %s "$1"; }
# compared_pages OUT: the page count compare_elf.py printed
compared_pages() { sed -n 's/^compare_elf: \([0-9]*\) pages compared.*/\1/p' "$1"; }

# Below the headers, inside the bitmaps, inside the descriptor table, in the data.
for size in 3000 20000 300000 2M 3000001 5M; do
	bytes=$(numfmt --from=iec "$size")
	out=$WORK/l-$size.kdump
	"$VMSIFT" -L "$size" -l -d 1 --message-level 7 "$core" "$out" > "$WORK/o.txt" 2>&1
	check_eq "-L $size: exit 1" 1 $?
	check "-L $size: the file is at most $bytes bytes (is $(size_of "$out"))" test "$(size_of "$out")" -le "$bytes"
	check_grep "-L $size: says the dump is incomplete" "This is an incomplete dumpfile" "$WORK/o.txt"
	[ "$bytes" -lt 4096 ] && continue   # not even the main header fits
	check_eq "-L $size: the header is flagged incomplete" 8 \
		"$(( $(kdump_field "$out" "['header']['status']") & 8 ))"
	[ "$bytes" -lt 100000 ] && continue  # the bitmaps are cut short too
	check "-L $size: opens in libkdumpfile, every page in it right" \
		bash -c "'$PY' '$TOOLS/compare_elf.py' --allow-lost '$core' '$out' > '$WORK/cmp-$size.txt'"
	if [ "$bytes" -ge 3000000 ]; then
		check "-L $size: ... and it holds pages" test "$(compared_pages "$WORK/cmp-$size.txt")" -gt 100
	fi
done

# The flattened stream: every byte sent counts, and -R flags what it rebuilds.
"$VMSIFT" -F -L 3000001 -l -d 1 --message-level 0 "$core" > "$WORK/l.flat"
check_eq "-F -L: exit 1" 1 $?
check "-F -L 3000001: the stream is at most that long (is $(size_of "$WORK/l.flat"))" \
	test "$(size_of "$WORK/l.flat")" -le 3000001
"$VMSIFT" -R "$WORK/l-flat.kdump" < "$WORK/l.flat" > /dev/null 2>&1
check_eq "... -R rebuilds it flagged incomplete" 8 \
	"$(( $(kdump_field "$WORK/l-flat.kdump" "['header']['status']") & 8 ))"
check "... and every page in it is right" "$PY" "$TOOLS/compare_elf.py" --allow-lost "$core" "$WORK/l-flat.kdump"

# ELF output.
"$VMSIFT" -E -L 3000001 -d 1 --message-level 0 "$core" "$WORK/l.elf"
check_eq "-E -L: exit 1" 1 $?
check "-E -L 3000001: the file is at most that long (is $(size_of "$WORK/l.elf"))" \
	test "$(size_of "$WORK/l.elf")" -le 3000001
check_eq "... e_flags says incomplete" 1 "$(od -An -tu4 -j48 -N4 "$WORK/l.elf" | tr -d ' ')"
check "... libkdumpfile opens it, every page in it right" "$PY" "$TOOLS/compare_elf_out.py" "$WORK/l.elf" "$core"
check "... and it holds the pages that landed" bash -c \
	"'$PY' '$TOOLS/compare_elf_out.py' '$WORK/l.elf' '$core' | grep -Eq '^compare_elf_out: [0-9]{3,} pages'"

# A fallback level that fits gives a complete dump within the limit.
check "-L 20M -d 1,31: the second level fits" \
	"$VMSIFT" -L 20M -l -d 1,31 --message-level 0 "$core" "$WORK/fb.kdump"
check "... within 20 MiB" test "$(size_of "$WORK/fb.kdump")" -le $((20 << 20))
check_eq "... at dump level 31" 31 "$(kdump_field "$WORK/fb.kdump" "['sub_header']['dump_level']")"
check "... every page right" "$PY" "$TOOLS/compare_elf.py" "$core" "$WORK/fb.kdump"
finish
