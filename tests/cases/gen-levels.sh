#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated x86_64 machines with a known page mix (tests/gen): for every dump
# level 0-31 the report's excluded counts per type equal the generator's
# ground truth, and at several levels the 2nd bitmap lacks exactly the
# expected pfns while every kept page equals the source.  Layout variants:
# 6.12 page types, 5-level paging, KASLR, holes, 4 KiB vmemmap mappings.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

# Under the sanitizers (10x slower) a subset of the levels is enough.
ALL_LEVELS=$(seq 0 31)
CMP_LEVELS="1 2 4 8 16 31"
if [ -n "${VMSIFT_SANITIZED:-}" ]; then
	ALL_LEVELS="0 1 5 8 16 31"
	CMP_LEVELS="31"
fi

levels_case() {  # TAG MKVMCORE-ARGS...
	local tag=$1; shift
	local core=$WORK/$tag.elf truth=$WORK/$tag.truth
	if ! "$MKVMCORE" --mem "${MEM:-256M}" --seed 7 --truth "$truth" -o "$core" "$@" >"$WORK/gen.log" 2>&1; then
		check "$tag: generator" false; cat "$WORK/gen.log"; return
	fi
	local bad=""
	for d in $ALL_LEVELS; do
		"$VMSIFT" -f -l -d $d --message-level 16 "$core" "$WORK/$tag.kdump" > "$WORK/rep.txt" 2>&1 || bad+=" d$d(exit)"
		[ "$(report_counts "$WORK/rep.txt")" = "$(truth_counts "$truth" $d)" ] || bad+=" d$d"
	done
	check "$tag: per-type excluded counts equal the truth at levels $(echo $ALL_LEVELS | tr ' ' ,)${bad:+ (wrong at$bad)}" test -z "$bad"
	for d in $CMP_LEVELS; do
		"$VMSIFT" -f -l -d $d --message-level 0 "$core" "$WORK/$tag.kdump"
		"$PY" "$TOOLS/truth_excluded.py" "$truth" $d > "$WORK/excl.txt"
		check "$tag -d $d: exactly the expected pfns excluded, every kept page equal to the source" \
			"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$core" "$WORK/$tag.kdump"
	done
	"$VMSIFT" -f -l -d 31 -D "$core" "$WORK/$tag.kdump" > "$WORK/dbg.txt" 2>&1
	check "$tag: no self-check warning on a consistent machine" bash -c "! grep -q warning '$WORK/dbg.txt'"
	check_grep "$tag: free pages agree with the zones' NR_FREE_PAGES" \
		"free pages: ([0-9]+) in struct pages, \1 in NR_FREE_PAGES" "$WORK/dbg.txt"
	rm -f "$core" "$WORK/$tag.kdump"
}

levels_case k61
levels_case k612 --kernel 6.12
levels_case l5-kaslr --l5 --kaslr
MEM=640M levels_case holes --holes --vmemmap-4k
MEM=640M levels_case k612-l5-kaslr-holes --kernel 6.12 --l5 --kaslr --holes --unsorted

# -e: exactly the vmemmap pages that describe only excluded pages.
"$MKVMCORE" --mem 1G --seed 11 --mix free=90,kernel=6,anon=2,cache=2 --truth "$WORK/e.truth" -o "$WORK/e.elf" >/dev/null
want=$(awk '/^# vmemmap_excludable /{print $3}' "$WORK/e.truth")
"$VMSIFT" -f -l -d 31 -e --message-level 16 "$WORK/e.elf" "$WORK/e.kdump" > "$WORK/e.txt" 2>&1
got=$(awk -F: '/Unused vmemmap pages/{gsub(/ /,"",$2); print $2}' "$WORK/e.txt")
got=$((got))
check_eq "-e leaves out exactly the generator's excludable vmemmap pages" "$want" "$got"
check_eq "-e sets the EXCLUDED_VMEMMAP status bit" 16 "$(( $(kdump_field "$WORK/e.kdump" "['header']['status']") & 16 ))"
check "-e dump: every kept page equals the source" "$PY" "$TOOLS/compare_elf.py" "$WORK/e.elf" "$WORK/e.kdump"
"$VMSIFT" -f -l -d 31 -e --cyclic-buffer 64 --message-level 0 "$WORK/e.elf" "$WORK/e2.kdump"
check "-e in many cycles writes the same file" cmp "$WORK/e.kdump" "$WORK/e2.kdump"
finish
