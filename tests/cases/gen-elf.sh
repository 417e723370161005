#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Full generated machines in differently shaped ELF containers: program
# headers at 4096 (QEMU's layout), PN_XNUM, unaligned and split PT_LOADs,
# ELF32, a file cut inside a PT_LOAD.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

for v in "--phoff 4096" "--pn-xnum" "--unaligned" "--unsorted --pn-xnum --phoff 8192"; do
	tag=${v//--/}; tag=${tag// /}
	"$MKVMCORE" --mem 512M --seed 9 $v --truth "$WORK/t" -o "$WORK/m.elf" >/dev/null
	check "$tag: -d 31 works" "$VMSIFT" -f -l -d 31 --message-level 0 "$WORK/m.elf" "$WORK/m.kdump"
	"$PY" "$TOOLS/truth_excluded.py" "$WORK/t" 31 > "$WORK/excl"
	check "$tag: exactly the truth's pfns excluded, kept pages equal the source" \
		"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl" "$WORK/m.elf" "$WORK/m.kdump"
done

"$MKVMCORE" --mem 64M --seed 9 --elf32 -o "$WORK/e32.elf" >/dev/null
check "ELF32 (i386) core: -d 1 works" "$VMSIFT" -f -c -d 1 --message-level 0 "$WORK/e32.elf" "$WORK/e32.kdump"
check "ELF32: kept pages equal the source" "$PY" "$TOOLS/compare_elf.py" "$WORK/e32.elf" "$WORK/e32.kdump"

"$MKVMCORE" --mem 512M --seed 9 -o "$WORK/full.elf" >/dev/null
size=$(stat -c %s "$WORK/full.elf")
"$MKVMCORE" --mem 512M --seed 9 --truncate $((size / 2)) -o "$WORK/cut.elf" >/dev/null
check_fails "truncated core at -d 31 (struct pages cut off): a clear error" \
	"$VMSIFT" -f -l -d 31 "$WORK/cut.elf" "$WORK/cut.kdump"
check_grep "... naming the memory model" "memory model" "$WORK/.log"
"$VMSIFT" -f -l -d 1 "$WORK/cut.elf" "$WORK/cut.kdump" > "$WORK/cut.txt" 2>&1
check_eq "truncated core at -d 1: exit 1" 1 $?
check_grep "... naming the first missing pfn" "truncated: [0-9]+ page\(s\) from pfn 0x[0-9a-f]+" "$WORK/cut.txt"
check "... what exists is dumped and right" "$PY" "$TOOLS/compare_elf.py" --allow-lost "$WORK/cut.elf" "$WORK/cut.kdump"
finish
