#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The dump's own kallsyms (tests/gen --kallsyms) standing in for symbols
# VMCOREINFO does not export.  arm64 kernels never export node_data, so the
# free-page self-check (struct pages vs the zones' NR_FREE_PAGES) needs it
# from kallsyms; the same on x86_64 with node_data dropped from VMCOREINFO,
# with both address encodings (plain offsets, and x86_64's
# KALLSYMS_ABSOLUTE_PERCPU) and a two-byte token count.  A table that
# disagrees with VMCOREINFO is not trusted, and says which symbol differs;
# the dump is written either way.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "kallsyms" "tests/gen/mkvmcore not built"; finish; }

NO_ND=(--drop-key 'SYMBOL(node_data)' --drop-key 'LENGTH(node_data)')

# run TAG MKVMCORE-ARGS...: leaves the -D log of a -d 31 dump in $WORK/TAG.txt
run() {
	local tag=$1; shift
	if ! "$MKVMCORE" --mem 256M --seed 4 --truth "$WORK/$tag.truth" -o "$WORK/$tag.elf" "$@" >"$WORK/gen.log" 2>&1; then
		check "$tag: generator" false; cat "$WORK/gen.log"; return 1
	fi
	"$VMSIFT" -f -l -d 31 -D "$WORK/$tag.elf" "$WORK/$tag.kdump" > "$WORK/$tag.txt" 2>&1
	local rc=$?
	check_eq "$tag: -d 31 exits 0" 0 "$rc"
}

# The free pages the truth has at -d 31, and that vmsift matched them with the counters.
free_checked() {
	local tag=$1 want
	want=$(awk '$0 ~ /^# d31.free / {print $3}' "$WORK/$tag.truth")
	check_grep "$tag: free pages agree with the zones' NR_FREE_PAGES ($want, the truth's count)" \
		"free pages: $want in struct pages, $want in NR_FREE_PAGES" "$WORK/$tag.txt"
}

for mode in relative percpu; do
	tag=x86-$mode
	run $tag --kallsyms $mode "${NO_ND[@]}" || continue
	free_checked $tag
	check_grep "$tag: kallsyms read from the dump, every symbol, checked against VMCOREINFO" \
		"kallsyms: (210|212) symbols read from the dump, [1-9][0-9]* of them agree with VMCOREINFO" "$WORK/$tag.txt"
done

# Without kallsyms, the same machine cannot run the check, and says why.
run x86-none "${NO_ND[@]}" &&
	check_grep "x86-none: no node_data and no kallsyms: the self-check says why it did not run" \
		"free pages: not cross-checked: VMCOREINFO has no SYMBOL\(node_data\), and the dump's kallsyms cannot stand in: .*kallsyms_names" \
		"$WORK/x86-none.txt"

# arm64, as real arm64 kernels are: no node_data in VMCOREINFO at all.
for layout in 4k-48 64k-52; do
	tag=arm64-$layout
	run $tag --arch arm64 --layout $layout --kallsyms relative || continue
	free_checked $tag
	rm -f "$WORK/$tag".*kdump "$WORK/$tag.elf"
done

# A table that does not match VMCOREINFO (init_uts_ns a page off) is not used.
run x86-disagree --kallsyms disagree "${NO_ND[@]}" &&
	check_grep "x86-disagree: kallsyms is refused, naming the symbol and both addresses" \
		"kallsyms says init_uts_ns is at 0x[0-9a-f]+, VMCOREINFO says 0x[0-9a-f]+: the table is not trusted" \
		"$WORK/x86-disagree.txt"
# Where VMCOREINFO has node_data, kallsyms is not even read.
run x86-exported --kallsyms disagree &&
	check "x86-exported: with SYMBOL(node_data) in VMCOREINFO the table is not read" \
		bash -c "! grep -q 'kallsyms:' '$WORK/x86-exported.txt' && grep -Eq 'free pages: ([0-9]+) in struct pages, \\1 in NR_FREE_PAGES' '$WORK/x86-exported.txt'"
finish
