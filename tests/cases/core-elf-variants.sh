#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The same memory described by differently shaped ELF cores: ELF32,
# PN_XNUM, program headers after the data (QEMU's layout, which makedumpfile
# 1.7.2 rejects), memsz > filesz, a segment ending inside a page.
. "$(dirname "$0")/../lib.sh"

# The variants makedumpfile 1.7.2 is known to fail on, with its message: it
# assumes the program headers follow the ELF header and ignores e_phoff.
# makedumpfile failing on any other variant, or otherwise, fails the case.
declare -A PEER_CANNOT=([phdrs-at-end]="Can't get the number of PT_LOAD")

for v in "--class 32" --xnum --phdrs-at-end --memsz-tail --partial-page; do
	tag=${v#--}; tag=${tag// /}
	core=$WORK/$tag.elf
	"$PY" "$TOOLS/mkcore.py" "$core" $v >/dev/null
	check "$tag: vmsift dumps it" "$VMSIFT" -l -d 1 --message-level 0 "$core" "$WORK/$tag.kdump"
	check "$tag: format rules hold" "$PY" "$TOOLS/kdumpinfo.py" --check "$WORK/$tag.kdump"
	check "$tag: every kept page equals the source" "$PY" "$TOOLS/compare_elf.py" "$core" "$WORK/$tag.kdump"
	# --cyclic-buffer puts makedumpfile in its default, in-memory bitmap mode (what runs on
	# /proc/vmcore); a core this small otherwise gets file bitmaps, which count a partial
	# last page in the 1st bitmap.
	if makedumpfile -l -d 1 --cyclic-buffer 1 "$core" "$WORK/$tag.m.kdump" >"$WORK/$tag.m.log" 2>&1; then
		check "$tag: same pages and bytes as makedumpfile" \
			"$PY" "$TOOLS/compare_dumps.py" "$WORK/$tag.kdump" "$WORK/$tag.m.kdump"
	elif [ -n "${PEER_CANNOT[$tag]:-}" ] && grep -q "${PEER_CANNOT[$tag]}" "$WORK/$tag.m.log"; then
		skip "$tag: same pages and bytes as makedumpfile" "makedumpfile: ${PEER_CANNOT[$tag]}"
	else
		check "$tag: makedumpfile reads this core" bash -c "cat '$WORK/$tag.m.log'; false"
	fi
done

# Pages beyond p_filesz have no data: excluded, as makedumpfile does.
n1=$(kdump_field "$WORK/memsz-tail.kdump" "['bitmap1_set']")
n2=$(kdump_field "$WORK/memsz-tail.kdump" "['bitmap2_set']")
check "memsz-tail: the memsz > filesz tail is present but not dumped" test "$n1" -gt "$n2"
finish
