#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -E writes an ELF core that libkdumpfile reads back page for page, with the
# same segment layout rules as makedumpfile; and -F -E streams it.
. "$(dirname "$0")/../lib.sh"

core=$WORK/core.elf
"$PY" "$TOOLS/mkcore.py" "$core" >/dev/null
for d in 0 1; do
	check "-E -d $d writes an ELF core" "$VMSIFT" -E -d $d --message-level 0 "$core" "$WORK/e$d.elf"
	check "-E -d $d: readelf accepts it" readelf -lW "$WORK/e$d.elf"
	check "-E -d $d: every file-backed page equals the source (or is an excluded page's zeros)" \
		"$PY" "$TOOLS/compare_elf_out.py" "$WORK/e$d.elf" "$core"
	makedumpfile -E -d $d "$core" "$WORK/m$d.elf" >/dev/null 2>&1
	check_eq "-E -d $d: same PT_LOAD layout as makedumpfile" \
		"$(readelf -lW "$WORK/m$d.elf" | awk '/LOAD/{print $4,$5,$6}')" \
		"$(readelf -lW "$WORK/e$d.elf" | awk '/LOAD/{print $4,$5,$6}')"
done
check "-F -E streams; -R rebuilds the same file" bash -c \
	"'$VMSIFT' -F -E -d 1 --message-level 0 '$core' | '$VMSIFT' -R '$WORK/r.elf' >/dev/null && cmp '$WORK/e1.elf' '$WORK/r.elf'"
check_fails "-E -c is refused" "$VMSIFT" -E -c -d 1 "$core" "$WORK/x.elf"
finish
