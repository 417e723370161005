#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated big-endian ppc64 machines (tests/gen --arch ppc64: the ppc64le
# layouts with every word of kernel memory, the ELF file and its notes in
# big-endian order, utsname machine "ppc64"), filtered on this x86_64 host:
# radix 64K (6.1), hash 64K through vmemmap_list (6.1) and radix 4K (6.12).
# Per-type excluded counts equal the generator's truth at every level,
# exactly the expected pfns are excluded and every kept page equals the
# source; the kdump header is written big-endian and libkdumpfile reads
# init_uts_ns through the dump and -E writes the kept pages (64K layouts:
# libkdumpfile reads ppc64 with 64K pages only).  No peer: Debian
# builds no big-endian ppc64 makedumpfile in its main archive.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "big-endian ppc64 machines" "tests/gen/mkvmcore not built"; finish; }

LEVELS="0 1 2 4 8 16 31"
[ -n "${VMSIFT_SANITIZED:-}" ] && LEVELS="1 31"

GEN_ARGS=(--arch ppc64)
gen_layout_extra() {  # TAG: the byte order of core and dump; libkdumpfile and -E (64K)
	local tag=$1 core=$WORK/$1.elf rel=6.1.0-synthetic
	[ "${tag%-612}" = "$tag" ] || rel=6.12.0-synthetic
	check_eq "$tag: the core is big-endian (EI_DATA 2)" 2 "$(od -An -tu1 -j5 -N1 "$core" | tr -d ' ')"
	check_eq "$tag: the kdump header version is stored big-endian" "00000006" \
		"$(od -An -tx1 -j8 -N4 "$WORK/$tag.kdump" | tr -d ' ')"
	# libkdumpfile's ppc64 translation knows 64K pages only ("Unsupported page
	# shift: 12"), and compare_elf_out.py reads through it.
	[ "${tag#*-4k}" = "$tag" ] || return 0
	check_eq "$tag: libkdumpfile reads init_uts_ns through the dump" "$rel ppc64" \
		"$("$PY" "$ROOT/tests/vm/read-release.py" libkdumpfile "$WORK/$tag.kdump" 2>&1) $("$PY" "$TOOLS/kdumpinfo.py" "$WORK/$tag.kdump" | sed -n "s/^utsname.machine *'\(.*\)'/\1/p")"
	check "$tag -E: the ELF output holds every kept page" bash -c \
		"'$VMSIFT' -E -d 31 --message-level 0 '$core' '$WORK/$tag.e.elf' && '$PY' '$TOOLS/compare_elf_out.py' '$WORK/$tag.e.elf' '$core'"
	rm -f "$WORK/$tag.e.elf"
}

t0=$(date +%s)
DROP=1 gen_layout_case radix-64k --layout radix-64k --kernel 6.1
DROP=1 gen_layout_case hash-64k --layout hash-64k --kernel 6.1
DROP=1 gen_layout_case radix-4k-612 --layout radix-4k --kernel 6.12
echo "layouts: $(( $(date +%s) - t0 )) s"
finish
