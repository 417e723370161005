#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -d 0 and -d 1 with every compression: an outside reader (libkdumpfile) sees
# every kept page byte-equal to the source, the format is valid, makedumpfile
# keeps the same pages, and with -d 1 every zero page shares one descriptor.
. "$(dirname "$0")/../lib.sh"

"$PY" "$TOOLS/mkcore.py" "$WORK/core.elf" >/dev/null
ZERO_PAGES=62   # mkcore.py's memory image has 62 all-zero pages

for comp in "" -c -l -p -z; do
	for d in 0 1; do
		tag="d$d${comp:- raw}"
		out=$WORK/v$comp-$d.kdump
		check "$tag: vmsift writes the dump" "$VMSIFT" $comp -d $d --message-level 0 "$WORK/core.elf" "$out"
		check "$tag: format rules hold" "$PY" "$TOOLS/kdumpinfo.py" --check "$out"
		check "$tag: libkdumpfile reads every page equal to the source" "$PY" "$TOOLS/compare_elf.py" "$WORK/core.elf" "$out"
		check_eq "$tag: dump_level in the sub header" "$d" "$(kdump_field "$out" "['sub_header']['dump_level']")"
		want_zero=0; [ $d = 1 ] && want_zero=$ZERO_PAGES
		check_eq "$tag: descriptors pointing at the shared zero page" "$want_zero" \
			"$(kdump_field "$out" "['zero_page_descriptors']")"
		# Debian's makedumpfile lacks snappy/zstd; compare its dump where it can make one.
		if [ "$comp" != -p ] && [ "$comp" != -z ]; then
			makedumpfile $comp -d $d "$WORK/core.elf" "$WORK/m.kdump" >/dev/null 2>&1
			check "$tag: same pages and bytes as makedumpfile's dump" \
				"$PY" "$TOOLS/compare_dumps.py" "$out" "$WORK/m.kdump"
			rm -f "$WORK/m.kdump"
		fi
	done
done

# --num-threads: the same file, byte for byte, as one thread.
for t in 2 3; do
	check "--num-threads $t -c -d 1 writes the same file as one thread" bash -c \
		"'$VMSIFT' --num-threads $t -c -d 1 --message-level 0 '$WORK/core.elf' '$WORK/t$t.kdump' && cmp '$WORK/v-c-1.kdump' '$WORK/t$t.kdump'"
done

# Header fields the format requires.
f=$WORK/v-c-1.kdump
check_eq "header version" 6 "$(kdump_field "$f" "['header']['header_version']")"
check_eq "block_size" 4096 "$(kdump_field "$f" "['header']['block_size']")"
check_eq "zlib status bit" 1 "$(kdump_field "$f" "['header']['status']")"
check_eq "utsname.machine read from init_uts_ns" x86_64 "$(kdump_field "$f" "['header']['utsname']['machine']")"
# max_mapnr: the page after the highest physical byte any PT_LOAD covers
# (p_paddr + p_memsz, rounded up to a page), read from the core itself.
want_mapnr=$("$PY" - "$WORK/core.elf" <<'PYEOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
phoff, = struct.unpack_from("<Q", d, 32)
phentsize, phnum = struct.unpack_from("<HH", d, 54)
end = 0
for i in range(phnum):
    p_type, _, _, _, paddr, _, memsz, _ = struct.unpack_from("<IIQQQQQQ", d, phoff + i * phentsize)
    if p_type == 1:
        end = max(end, paddr + memsz)
print((end + 4095) // 4096)
PYEOF
)
check_eq "max_mapnr_64 from the highest PT_LOAD ($want_mapnr)" "$want_mapnr" \
	"$(kdump_field "$f" "['sub_header']['max_mapnr_64']")"
check_eq "the 32-bit max_mapnr copy" "$want_mapnr" "$(kdump_field "$f" "['header']['max_mapnr']")"
finish
