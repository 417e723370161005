#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --private-page-filter on generated machines with ZFS ARC data pages (kernel
# pages whose page->private holds the ZFS tag, tests/gen kind zfs_arc): at
# -d 31 exactly those pages are left out on top of the level's classes and
# counted as their own class in the text report and the --report JSON;
# without the option (and with another value) they are kept, as makedumpfile
# keeps them; a kernel that does not export OFFSET(page.private) is refused.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

MIX=kernel=8,slab=4,pagetable=1,zero=3,cache=18,cache_private=5,anon=14,thp=8,free=30,hwpoison=0.2,offline=0.8,zfs_arc=20

for v in "" "--kernel 6.12 --kaslr"; do
	tag=${v:+6.12-kaslr}; tag=${tag:-6.1}
	core=$WORK/z.elf truth=$WORK/z.truth
	"$MKVMCORE" --mem 256M --seed 3 $v --mix "$MIX" --truth "$truth" -o "$core" >/dev/null
	magic=$(awk '/^# zfs_arc_magic /{print $3}' "$truth")
	arc=$(awk '/^# pages.zfs_arc /{print $3}' "$truth")
	check "$tag: the machine has ZFS ARC pages" test "$arc" -gt 1000

	"$VMSIFT" -f -l -d 31 --message-level 16 --private-page-filter="$magic" --report "$WORK/r.json" \
		"$core" "$WORK/z.kdump" > "$WORK/rep.txt" 2>&1
	check_eq "$tag -d 31 --private-page-filter: 'Private filter pages' is the number of ARC pages" \
		"$arc" "$(report_val "$WORK/rep.txt" "Private filter pages")"
	check_eq "$tag: the other classes are the truth's, unchanged" \
		"$(truth_counts "$truth" 31)" "$(report_counts "$WORK/rep.txt")"
	check_eq "$tag: --report counts them as pages.excluded.private_filter" "$arc" \
		"$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"]["excluded"]["private_filter"])' "$WORK/r.json")"
	{ "$PY" "$TOOLS/truth_excluded.py" "$truth" 31; awk '!/^#/ && $3 == "zfs_arc" {print $1, $2}' "$truth"; } \
		> "$WORK/excl.txt"
	check "$tag: exactly the level's pfns and the ARC pfns are excluded, every kept page equals the source" \
		"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$core" "$WORK/z.kdump"

	"$VMSIFT" -f -l -d 31 --message-level 16 "$core" "$WORK/n.kdump" > "$WORK/rep0.txt" 2>&1
	"$PY" "$TOOLS/truth_excluded.py" "$truth" 31 > "$WORK/excl0.txt"
	check "$tag: without the option the ARC pages are kept (exactly the level's pfns excluded)" \
		"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl0.txt" "$core" "$WORK/n.kdump"
	check "$tag: without the option the report has no private filter line" \
		bash -c "! grep -q 'Private filter' '$WORK/rep0.txt'"
	"$VMSIFT" -f -l -d 0 --message-level 16 --private-page-filter=1234,"${magic#0x}" "$core" "$WORK/d0.kdump" \
		> "$WORK/rep1.txt" 2>&1
	check_eq "$tag -d 0 with a list of two values: the ARC pages alone are left out" \
		"$arc" "$(report_val "$WORK/rep1.txt" "Private filter pages")"
	"$VMSIFT" -f -l -d 31 --message-level 16 --private-page-filter=1234 "$core" "$WORK/o.kdump" > "$WORK/rep2.txt" 2>&1
	check_eq "$tag: a value no page holds leaves out nothing more" 0 "$(report_val "$WORK/rep2.txt" "Private filter pages")"
done

"$MKVMCORE" --mem 128M --seed 3 --mix "$MIX" --drop-key "OFFSET(page.private)" -o "$WORK/np.elf" >/dev/null
check_fails "a kernel without OFFSET(page.private) is refused" \
	"$VMSIFT" -f -l -d 31 --private-page-filter=2f5abdf11ecac4e "$WORK/np.elf" "$WORK/np.kdump"
check_grep "the refusal names the missing key" "needs OFFSET\(page.private\)" "$WORK/.log"
check_fails "a value that is not hexadecimal is refused" \
	"$VMSIFT" -f -l -d 31 --private-page-filter=zfs "$WORK/np.elf" "$WORK/np.kdump"
check_fails "more than 8 values are refused" \
	"$VMSIFT" -f -l -d 31 --private-page-filter=1,2,3,4,5,6,7,8,9 "$WORK/np.elf" "$WORK/np.kdump"

# makedumpfile 1.7.2 has no such filter: the same core keeps the ARC pages there.
if command -v makedumpfile >/dev/null; then
	"$MKVMCORE" --mem 256M --seed 3 --mix "$MIX" --truth "$WORK/m.truth" -o "$WORK/m.elf" >/dev/null
	makedumpfile -l -d 31 --message-level 16 "$WORK/m.elf" "$WORK/m.kdump" > "$WORK/mrep.txt" 2>&1
	check_eq "makedumpfile 1.7.2 on the same core keeps them: its excluded total is the truth's without the ARC pages" \
		"$(awk '/^# d31.excluded /{print $3}' "$WORK/m.truth")" "$(report_val "$WORK/mrep.txt" "Excluded pages")"
fi
finish
