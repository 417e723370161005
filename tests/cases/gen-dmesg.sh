#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --dump-dmesg on generated machines whose printk ring has been overrun and
# wraps, in each layout the kernel has used (the 5.10+ lockless ring, the
# 3.5-5.9 printk_log records, the older character ring): the output is
# exactly the generator's expected log, and makedumpfile's where it reads
# the layout.  The log needs only the ring: cores whose page-filtering keys
# are gone or wrong still give it, and corrupt rings fail cleanly.
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

# The older layouts, chosen from the VMCOREINFO keys: overrun and wrapped,
# on other machines too, and not yet wrapped (20 records).
for fmt in records plain; do
	for v in "--arch arm64 --granule 64k" "--kernel 6.12 --kaslr --l5" "--printk-count 20"; do
		"$MKVMCORE" --mem 256M --seed 7 $v --printk $fmt --dmesg "$WORK/v.want" -o "$WORK/v.elf" >/dev/null
		check "$fmt, $v: --dump-dmesg is the expected log" bash -c \
			"'$VMSIFT' -F --dump-dmesg '$WORK/v.elf' 2>/dev/null | cmp '$WORK/v.want' -"
	done
	"$MKVMCORE" --mem 256M --seed 5 --printk $fmt --dmesg "$WORK/$fmt.want" -o "$WORK/$fmt.elf" >/dev/null
	check "$fmt: --dump-dmesg is the expected (overrun, wrapped) log" bash -c \
		"'$VMSIFT' -F --dump-dmesg '$WORK/$fmt.elf' 2>/dev/null | cmp '$WORK/$fmt.want' -"
done
check "--printk-count 20: the plain ring has not wrapped (its log starts at the banner)" \
	grep -q "^<6>\[    0.003000\] Linux version" "$WORK/v.want"
# 3.5-3.10 named the record struct log: SIZE(log), OFFSET(log.*).
"$MKVMCORE" --mem 256M --seed 5 --printk records-log --dmesg "$WORK/v.want" -o "$WORK/v.elf" >/dev/null
check "records as struct log: --dump-dmesg is the expected log" bash -c \
	"'$VMSIFT' -F --dump-dmesg '$WORK/v.elf' 2>/dev/null | cmp '$WORK/v.want' -"
check "records as struct log: ... as makedumpfile 1.7.2 prints it" bash -c \
	"makedumpfile -F --dump-dmesg '$WORK/v.elf' 2>/dev/null | cmp '$WORK/v.want' -"
makedumpfile -F --dump-dmesg "$WORK/records.elf" > "$WORK/mrec.txt" 2>/dev/null || true
check "records: makedumpfile 1.7.2 prints the same log" cmp "$WORK/records.want" "$WORK/mrec.txt"
makedumpfile -F --dump-dmesg --partial-dmesg "$WORK/records.elf" > "$WORK/mrecp.txt" 2>/dev/null || true
check "records: --partial-dmesg (from clear_idx) equals makedumpfile's" bash -c \
	"'$VMSIFT' -F --dump-dmesg --partial-dmesg '$WORK/records.elf' 2>/dev/null | cmp '$WORK/mrecp.txt' -"
check "records: ... which is a shorter tail of the log" bash -c \
	"test \$(wc -l < '$WORK/mrecp.txt') -lt \$(wc -l < '$WORK/records.want') && tail -n \$(wc -l < '$WORK/mrecp.txt') '$WORK/records.want' | cmp '$WORK/mrecp.txt' -"

# Same-length edits of a core: OLD must occur, NEW replaces it.
patch_core() {  # IN OUT OLD NEW
	OLD=$3 NEW=$4 perl -0777 -pe 'BEGIN{$n=0} $n += s/\Q$ENV{OLD}\E/$ENV{NEW}/g; END{exit($n ? 0 : 1)}' "$1" > "$2"
}
sym() { grep -a -o "$2=[0-9a-f]*" "$1" | head -1 | cut -d= -f2; }

# makedumpfile picks the layout by the kernel version (init_uts_ns in memory):
# with 3.2 in place of 6.1 it reads the character ring too.
patch_core "$WORK/plain.elf" "$WORK/plain32.elf" 6.1.0-synthetic 3.2.0-synthetic
makedumpfile -F --dump-dmesg "$WORK/plain32.elf" > "$WORK/mplain.txt" 2>/dev/null || true
check "plain (as 3.2): makedumpfile 1.7.2 prints the generator's log" cmp "$WORK/plain.want" "$WORK/mplain.txt"
check "plain (as 3.2): ... and so does vmsift" bash -c \
	"'$VMSIFT' -F --dump-dmesg '$WORK/plain32.elf' 2>/dev/null | cmp '$WORK/mplain.txt' -"
check "plain (as 3.2): --partial-dmesg gives the whole log (no clear index before 3.5), as makedumpfile's" bash -c \
	"makedumpfile -F --dump-dmesg --partial-dmesg '$WORK/plain32.elf' 2>/dev/null | cmp '$WORK/plain.want' - &&
	 '$VMSIFT' -F --dump-dmesg --partial-dmesg '$WORK/plain32.elf' 2>/dev/null | cmp '$WORK/plain.want' -"

# Corrupt rings: the walk stops, bounded, with what it could print, and fails cleanly.
"$MKVMCORE" --mem 256M --seed 5 --printk records --corrupt log-wild -o "$WORK/bad.elf" >/dev/null
check_fails "records: a record length past log_buf fails" "$VMSIFT" -F --dump-dmesg "$WORK/bad.elf"
check_grep "records: ... naming the record's index and length" "record at index [0-9]+ has length 65520" "$WORK/.log"
check "records: ... after printing every record before it" bash -c \
	"'$VMSIFT' -F --dump-dmesg '$WORK/bad.elf' 2>/dev/null | cmp <(head -n -1 '$WORK/records.want') -"
"$MKVMCORE" --mem 256M --seed 5 --printk records --corrupt log-loop -o "$WORK/loop.elf" >/dev/null
check_fails "records: a walk that never meets log_next_idx fails" timeout 20 "$VMSIFT" -F --dump-dmesg "$WORK/loop.elf"
check_grep "records: ... as a loop" "a loop" "$WORK/.log"
check "records: ... after going round once (each record printed once)" bash -c \
	"timeout 20 '$VMSIFT' -F --dump-dmesg '$WORK/loop.elf' 2>/dev/null | cmp '$WORK/records.want' -"
for fmt in records plain; do
	"$MKVMCORE" --mem 256M --seed 5 --printk $fmt --corrupt log-len -o "$WORK/len.elf" >/dev/null
	check_fails "$fmt: log_buf_len 2^31-1 is refused" "$VMSIFT" -F --dump-dmesg "$WORK/len.elf"
	check_grep "$fmt: ... by name" "log_buf_len=2147483647 is implausible" "$WORK/.log"
done

# A layout's key present but invalid: that reader says so (not "no known layout").
patch_core "$WORK/records.elf" "$WORK/zero.elf" "SYMBOL(log_first_idx)=$(sym "$WORK/records.elf" 'SYMBOL(log_first_idx)')" \
	"SYMBOL(log_first_idx)=0000000000000000"
check_fails "records: SYMBOL(log_first_idx)=0 fails" "$VMSIFT" -F --dump-dmesg "$WORK/zero.elf"
check_grep "records: ... naming it" "SYMBOL\(log_first_idx\) is not a valid address" "$WORK/.log"

# The log needs only the ring: dump level 31 cannot start without the page keys.
for key in 'SYMBOL(mem_section)' 'SIZE(page)' 'OFFSET(page.flags)'; do
	"$MKVMCORE" --mem 256M --seed 5 --drop-key "$key" --dmesg "$WORK/want.txt" -o "$WORK/k.elf" >/dev/null
	check_fails "no $key: -d 31 cannot filter" "$VMSIFT" -d 31 -f "$WORK/k.elf" "$WORK/k.out"
	check "no $key: --dump-dmesg still gives the expected log" bash -c \
		"'$VMSIFT' -F --dump-dmesg '$WORK/k.elf' 2>/dev/null | cmp '$WORK/want.txt' -"
done
"$MKVMCORE" --mem 256M --seed 5 --printk records --drop-key 'SIZE(page)' --dmesg "$WORK/want.txt" -o "$WORK/k.elf" >/dev/null
check "records, no SIZE(page): --dump-dmesg still gives the expected log" bash -c \
	"'$VMSIFT' -F --dump-dmesg '$WORK/k.elf' 2>/dev/null | cmp '$WORK/want.txt' -"
# mem_section pointing at unmapped memory.
"$MKVMCORE" --mem 256M --seed 5 --dmesg "$WORK/want.txt" -o "$WORK/m.elf" >/dev/null
patch_core "$WORK/m.elf" "$WORK/ms.elf" "SYMBOL(mem_section)=$(sym "$WORK/m.elf" 'SYMBOL(mem_section)')" \
	"SYMBOL(mem_section)=ffffc9ffff000000"
check_fails "wild mem_section: -d 31 cannot filter" "$VMSIFT" -d 31 -f "$WORK/ms.elf" "$WORK/k.out"
check "wild mem_section: --dump-dmesg still gives the expected log" bash -c \
	"'$VMSIFT' -F --dump-dmesg '$WORK/ms.elf' 2>/dev/null | cmp '$WORK/want.txt' -"
finish
