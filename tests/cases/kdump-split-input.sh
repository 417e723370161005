#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A --split set as input (makedumpfile's pieces, vmsift's, flattened ones, in
# any order): filtered again at -d 31 it gives exactly what the same
# re-filter of the unsplit dump gives (per-type counts and bytes), and every
# operation works on it.  A piece of another dump, a missing piece, a
# duplicated or lone piece are refused naming the piece or the pfns; -R reads
# a set with a missing piece, those pages lost and the dump flagged
# incomplete; a truncated piece gives what precedes its cut, counted, exit 1.
. "$(dirname "$0")/../lib.sh"

t0=$SECONDS
core=$WORK/core.elf
"$MKVMCORE" -o "$core" --mem 256M --truth "$WORK/truth" >/dev/null
V() { "$VMSIFT" --message-level 0 "$@"; }
R() { "$VMSIFT" --message-level 16 "$@"; }   # the report's per-type counts
SB=(--splitblock-size 16384)   # 16 MiB blocks: three pieces of a 256 MiB machine, none empty
bitmap2() { kdump_field "$1" "['bitmap2_set']"; }
status_incomplete() { echo $(( $(kdump_field "$1" "['header']['status']") & 8 )); }

# Each writer and input level: the set re-filtered at -d 31 is the unsplit file re-filtered.
for level in 1 11; do
	V -c -d $level "$core" "$WORK/whole$level.kdump"
	R -d 31 "$WORK/whole$level.kdump" "$WORK/ref$level.kdump" > "$WORK/ref$level.report" 2>&1
	makedumpfile -c -d $level "${SB[@]}" --split "$core" "$WORK/m$level-1" "$WORK/m$level-2" "$WORK/m$level-3" \
		>/dev/null 2>&1
	check_eq "makedumpfile -d $level --split wrote three non-empty pieces" 3 \
		"$(for i in 1 2 3; do kdump_field "$WORK/m$level-$i" "['descriptors']"; done | grep -c '^[1-9]')"
	V -l -d $level "${SB[@]}" --split "$core" "$WORK/v$level-1" "$WORK/v$level-2" "$WORK/v$level-3"
	for w in m v; do
		set=("$WORK/$w$level-3" "$WORK/$w$level-1" "$WORK/$w$level-2")   # out of order
		rm -f "$WORK/o.kdump"
		check "$w$level: -d 31 of the three pieces (out of order)" R -d 31 -c "${set[@]}" "$WORK/o.kdump"
		R -f -d 31 "${set[@]}" "$WORK/o.kdump" > "$WORK/o.report" 2>&1
		check_eq "... counts per type what the re-filter of the unsplit -d $level file counts" \
			"$(report_counts "$WORK/ref$level.report")" "$(report_counts "$WORK/o.report")"
		check "... byte-identical to it" cmp "$WORK/ref$level.kdump" "$WORK/o.kdump"
	done
done
check_eq "... which at -d 31 is the generator's truth" "$(truth_counts "$WORK/truth" 31)" \
	"$(report_counts "$WORK/ref1.report")"
ref=$WORK/ref1.kdump
echo "# re-filters: $((SECONDS - t0)) s"

# Piece boundaries inside a bitmap byte: makedumpfile's --splitblock-size 100 (25-pfn blocks).
makedumpfile -c -d 1 --splitblock-size 100 --split "$core" "$WORK/u1" "$WORK/u2" "$WORK/u3" >/dev/null 2>&1
check "makedumpfile's pieces start at pfns that are not a multiple of 8" test \
	$(( $(kdump_field "$WORK/u2" "['sub_header']['start_pfn_64']") % 8 )) -ne 0
check "... -d 31 of them" V -d 31 "$WORK/u2" "$WORK/u3" "$WORK/u1" "$WORK/u.kdump"
check "... byte-identical to the re-filter of the unsplit file" cmp "$ref" "$WORK/u.kdump"

# Flattened pieces (one flattened, read in place), mixed with seekable ones.
"$PY" "$TOOLS/mkflat.py" "$WORK/v1-2" "$WORK/v1-2.flat" >/dev/null
check "a flattened piece among seekable ones, -d 31" V -d 31 "$WORK/v1-1" "$WORK/v1-2.flat" "$WORK/v1-3" \
	"$WORK/fl.kdump"
check "... byte-identical to the re-filter of the unsplit file" cmp "$ref" "$WORK/fl.kdump"

# Every operation on a set (makedumpfile's -d 1 pieces).
M=("$WORK/m1-1" "$WORK/m1-2" "$WORK/m1-3")
check "-F -d 31 of a set, rebuilt with -R" bash -c "'$VMSIFT' --message-level 0 -F -d 31 ${M[*]} > '$WORK/o.flat' &&
	'$VMSIFT' --message-level 0 -R '$WORK/o-r.kdump' < '$WORK/o.flat' && cmp '$ref' '$WORK/o-r.kdump'"
check "--split -d 31 of a set, 2 new pieces" V -d 31 --split "${M[@]}" "$WORK/s1" "$WORK/s2"
check "... --reassemble gives the re-filter of the unsplit file's pages and bytes" \
	bash -c "'$VMSIFT' --message-level 0 --reassemble '$WORK/s1' '$WORK/s2' '$WORK/sr.kdump' && '$PY' '$TOOLS/compare_dumps.py' --strict-headers '$ref' '$WORK/sr.kdump'"
V -E -d 31 "$WORK/whole1.kdump" "$WORK/whole.elf"
check "-E -d 31 of a set" V -E -d 31 "${M[@]}" "$WORK/set.elf"
check "... the same ELF file as -E of the unsplit file" cmp "$WORK/whole.elf" "$WORK/set.elf"
V --dump-dmesg "$core" "$WORK/core.dmesg"
check "--dump-dmesg of a set" V --dump-dmesg "${M[@]}" "$WORK/set.dmesg"
check "... equals --dump-dmesg of the core" cmp "$WORK/core.dmesg" "$WORK/set.dmesg"
V -e -d 31 "$WORK/whole1.kdump" "$WORK/whole-e.kdump"
check "-e -d 31 of a set" V -e -d 31 "${M[@]}" "$WORK/set-e.kdump"
check "... byte-identical to -e of the unsplit file" cmp "$WORK/whole-e.kdump" "$WORK/set-e.kdump"
V -z -d 31 "$WORK/whole1.kdump" "$WORK/whole-z.kdump"
check "--num-threads 2 -z -d 31 of a set" V --num-threads 2 -z -d 31 "${M[@]}" "$WORK/set-z.kdump"
check "... byte-identical to the unsplit file's" cmp "$WORK/whole-z.kdump" "$WORK/set-z.kdump"
echo "# operations: $((SECONDS - t0)) s"

# refused NAME REGEX ARGS...: exit 1, the message, and no dump left behind.
refused() {
	local name=$1 re=$2; shift 2
	rm -f "$WORK/bad.kdump"
	timeout 60 "$VMSIFT" -d 31 "$@" "$WORK/bad.kdump" > "$WORK/bad.log" 2>&1
	check_eq "$name: exit 1" 1 $?
	check_grep "... saying so" "$re" "$WORK/bad.log"
	check "... and no dump left behind" test ! -e "$WORK/bad.kdump"
}
# Foreign pieces: another crash of the same machine, a changed VMCOREINFO or utsname.
"$MKVMCORE" -o "$WORK/other.elf" --mem 256M --seed 2 >/dev/null
makedumpfile -c -d 1 "${SB[@]}" --split "$WORK/other.elf" "$WORK/x1" "$WORK/x2" "$WORK/x3" >/dev/null 2>&1
refused "a piece of another crash" "x2 is a piece of another dump than .*m1-1: the crash timestamp differs" \
	"$WORK/m1-1" "$WORK/x2" "$WORK/m1-3"
vi_off=$(kdump_field "$WORK/m1-2" "['sub_header']['offset_vmcoreinfo']")
cp "$WORK/m1-2" "$WORK/vi-2"
"$PY" "$TOOLS/kdumppoke.py" "$WORK/vi-2" byte $((vi_off + 20)) 1
refused "a piece whose VMCOREINFO differs" "vi-2 is a piece of another dump .*: the VMCOREINFO differs" \
	"$WORK/m1-1" "$WORK/vi-2" "$WORK/m1-3"
cp "$WORK/m1-3" "$WORK/uts-3"
"$PY" "$TOOLS/kdumppoke.py" "$WORK/uts-3" byte $((12 + 65 * 2)) 1   # utsname.release
refused "a piece whose utsname differs" "uts-3 is a piece of another dump .*: the utsname" \
	"$WORK/m1-1" "$WORK/m1-2" "$WORK/uts-3"
refused "an ELF core among pieces" "core.elf is not a kdump-compressed file: several inputs must be the pieces" \
	"$WORK/m1-1" "$core"
refused "a whole dump among pieces" "whole1.kdump is not a --split piece" "$WORK/m1-1" "$WORK/whole1.kdump"
refused "a piece given twice" "pieces .*m1-2 and .*m1-2 overlap at pfn" "$WORK/m1-1" "$WORK/m1-2" "$WORK/m1-2" \
	"$WORK/m1-3"

# --reassemble copies descriptors as they are: one that holds no page (a compressed page's
# flags cleared: a raw page must fill its block) is refused, naming it, not copied.
pfn=$("$PY" -c "import sys; sys.path.insert(0, sys.argv[1]); import kdumplib as kl
k = kl.Kdump(sys.argv[2]); z = k.zero_page_offset()
print(next(p for p, d in zip(k.pfns, k.descs) if d[2] and d[0] != z))" "$TOOLS" "$WORK/m1-2")
cp "$WORK/m1-2" "$WORK/fl-2"
"$PY" "$TOOLS/kdumppoke.py" "$WORK/fl-2" desc "$pfn" flags
rm -f "$WORK/fl.kdump"
timeout 60 "$VMSIFT" --reassemble "$WORK/m1-1" "$WORK/fl-2" "$WORK/m1-3" "$WORK/fl.kdump" > "$WORK/fl.log" 2>&1
check_eq "--reassemble: a piece's descriptor that holds no page: exit 1" 1 $?
check_grep "... naming the descriptor" "fl-2: descriptor [0-9]+ \\(offset 0x[0-9a-f]+, size [0-9]+, flags 0x0\\) is invalid" \
	"$WORK/fl.log"

# A missing piece: refused naming the pfns; with -R the rest, the piece's pages lost.
s2=$(kdump_field "$WORK/m1-2" "['sub_header']['start_pfn_64']")
e2=$(kdump_field "$WORK/m1-2" "['sub_header']['end_pfn_64']")
gap=$(printf 'pfns 0x%x-0x%x' "$s2" $((e2 - 1)))
refused "a missing piece" "do not cover $gap: a piece is missing" "$WORK/m1-1" "$WORK/m1-3"
refused "one piece alone" "do not cover pfns 0x0-" "$WORK/m1-2"
in_gap=$("$PY" -c "
import sys; sys.path.insert(0, '$TOOLS'); import kdumplib as kl
d = kl.Kdump('$ref'); print(sum(1 for _ in kl.set_bits(d.bitmap2, $s2, $e2)))")
rm -f "$WORK/gap.kdump"
"$VMSIFT" -R -d 31 "$WORK/m1-1" "$WORK/m1-3" "$WORK/gap.kdump" > "$WORK/gap.log" 2>&1
check_eq "-R -d 31 of a set with a missing piece: exit 1" 1 $?
check_grep "... says which pfns no piece holds" "no piece holds $gap" "$WORK/gap.log"
check_grep "... and counts the $in_gap pages lost there" "truncated: $in_gap page\(s\) from pfn" "$WORK/gap.log"
check_eq "... holds every other page of the re-filter" "$(( $(bitmap2 "$ref") - in_gap ))" "$(bitmap2 "$WORK/gap.kdump")"
"$PY" "$TOOLS/compare_dumps.py" "$ref" "$WORK/gap.kdump" > "$WORK/gap.cmp" 2>&1
check_grep "... with their bytes" "pages equal, 0 differ, $in_gap only-in-A, 0 only-in-B" "$WORK/gap.cmp"
check_eq "... flagged incomplete" 8 "$(status_incomplete "$WORK/gap.kdump")"
check "... and no piece given is called cut" bash -c "! grep -q 'cut short' '$WORK/gap.log'"
"$VMSIFT" -R -d 31 "$core" "$WORK/gap2.kdump" > "$WORK/gap2.log" 2>&1
check_eq "-R with a dump that is no --split piece is refused" 1 $?

# A truncated piece: what precedes its cut is used, counted, flagged; exit 1.
head -c $(( $(stat -c %s "$WORK/m1-2") * 2 / 3 )) "$WORK/m1-2" > "$WORK/cut-2"
rm -f "$WORK/cut.kdump"
"$VMSIFT" -d 31 "$WORK/m1-1" "$WORK/cut-2" "$WORK/m1-3" "$WORK/cut.kdump" > "$WORK/cut.log" 2>&1
check_eq "-d 31 of a set with a truncated piece: exit 1" 1 $?
lost=$(sed -nE 's/.*truncated: ([0-9]+) page\(s\) from pfn.*/\1/p' "$WORK/cut.log")
check_grep "... names the cut piece" "piece .*cut-2 is cut short" "$WORK/cut.log"
check "... counts the pages cut off" test -n "$lost"
check_eq "... keeps every other page" "$(( $(bitmap2 "$ref") - ${lost:-0} ))" "$(bitmap2 "$WORK/cut.kdump")"
"$PY" "$TOOLS/compare_dumps.py" "$ref" "$WORK/cut.kdump" > "$WORK/cut.cmp" 2>&1
check_grep "... with their bytes" "pages equal, 0 differ, ${lost:-x} only-in-A, 0 only-in-B" "$WORK/cut.cmp"
check_eq "... flagged incomplete" 8 "$(status_incomplete "$WORK/cut.kdump")"
head -c 6000 "$WORK/m1-2" > "$WORK/hdr-2"
refused "a piece cut inside its headers" "hdr-2: .*inside" "$WORK/m1-1" "$WORK/hdr-2" "$WORK/m1-3"
: > "$WORK/empty-3"
for bad in hdr-2:"$WORK/m1-1 $WORK/hdr-2 $WORK/m1-3" empty-3:"$WORK/m1-1 $WORK/m1-2 $WORK/empty-3"; do
	name=${bad%%:*}
	rm -f "$WORK/drop.kdump"
	# shellcheck disable=SC2086  # the set's paths have no blanks
	"$VMSIFT" -R -d 31 ${bad#*:} "$WORK/drop.kdump" > "$WORK/drop.log" 2>&1
	check_eq "-R with the piece $name unreadable (cut in its headers, empty): exit 1" 1 $?
	check_grep "... it is left out, named" "piece .*$name is left out, it holds no readable page" "$WORK/drop.log"
	if [ "$name" = hdr-2 ]; then   # the middle piece: the kernel's own pages are in the others
		check_eq "... the others' pages kept" "$(( $(bitmap2 "$ref") - in_gap ))" "$(bitmap2 "$WORK/drop.kdump")"
		check_eq "... flagged incomplete" 8 "$(status_incomplete "$WORK/drop.kdump")"
	else   # the last piece held the page tables level 31 needs: a clear error, no dump
		check_grep "... and dump level 31 cannot start without its pages" "needs the kernel memory model" "$WORK/drop.log"
	fi
done
echo "# total: $((SECONDS - t0)) s"
finish
