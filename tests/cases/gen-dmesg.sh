#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --dump-dmesg on generated machines whose printk ring buffer has been
# overrun once and has a text block wrapping the ring's end: the output is
# exactly the generator's expected log (which makedumpfile reproduces too,
# tests/gen/selftest.sh).
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

for v in "" "--kernel 6.12 --kaslr --l5"; do
	tag=${v:-6.1}; tag=${tag// /}
	"$MKVMCORE" --mem 256M --seed 5 $v --dmesg "$WORK/want.txt" -o "$WORK/m.elf" >/dev/null
	check "$tag: --dump-dmesg LOGFILE writes the expected log" bash -c \
		"'$VMSIFT' --dump-dmesg --message-level 0 '$WORK/m.elf' '$WORK/got.txt' && cmp '$WORK/want.txt' '$WORK/got.txt'"
	check "$tag: -F --dump-dmesg writes it to stdout" bash -c \
		"'$VMSIFT' -F --dump-dmesg --message-level 0 '$WORK/m.elf' | cmp '$WORK/want.txt' -"
	if [ "$tag" = 6.1 ]; then  # makedumpfile 1.7.2 reads the 6.1 layout
		makedumpfile -F --dump-dmesg --partial-dmesg "$WORK/m.elf" > "$WORK/mpart.txt" 2>/dev/null
		check "$tag: --partial-dmesg (records after dmesg --clear) equals makedumpfile's" bash -c \
			"'$VMSIFT' -F --dump-dmesg --partial-dmesg '$WORK/m.elf' 2>/dev/null | cmp '$WORK/mpart.txt' -"
		check "$tag: ... and is shorter than the whole log" \
			test "$(wc -l < "$WORK/mpart.txt")" -lt "$(wc -l < "$WORK/want.txt")"
	fi
	check_fails "$tag: an existing LOGFILE is refused without -f" "$VMSIFT" --dump-dmesg "$WORK/m.elf" "$WORK/got.txt"
	rm -f "$WORK/got.txt"
done
finish
