#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --mem-usage: makedumpfile's TYPE/PAGES/EXCLUDABLE/DESCRIPTION table.  On a
# generated vmcore its rows equal the generator's truth and the -d 31 text
# report; the crash kernel's reservation (/proc/iomem) is left out; on this
# host's /proc/kcore (when it exists and is readable) the
# total is close to /proc/meminfo's MemTotal and the rows close to
# makedumpfile 1.7.2's (the live system changes between the runs).
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

core=$WORK/m.elf
"$MKVMCORE" --mem 128M --seed 5 --truth "$WORK/truth.txt" -o "$core" >/dev/null

# row TABLE TYPE: the PAGES column of one row
row() { awk -v t="$2" '$1 == t { print $2 }' "$1"; }
total() { awk -F'\t' -v k="$2" '$1 == k { print $NF }' "$1" | awk '{print $1}'; }

"$VMSIFT" --mem-usage "$core" > "$WORK/mu.txt" 2> "$WORK/mu.err"
check_eq "--mem-usage VMCORE: exit 0" 0 $?
check_grep "the table's header" "^TYPE +PAGES +EXCLUDABLE +DESCRIPTION" "$WORK/mu.txt"
check_eq "rows ZERO NON_PRI_CACHE PRI_CACHE USER FREE equal the truth" \
	"$(truth_counts "$WORK/truth.txt" 31 | cut -d' ' -f1-5)" \
	"$(for t in ZERO NON_PRI_CACHE PRI_CACHE USER FREE; do printf '%s ' "$(row "$WORK/mu.txt" $t)"; done | sed 's/ $//')"
check_eq "excludable yes, KERN_DATA no" "yes yes yes yes yes no" \
	"$(awk '$1 ~ /^(ZERO|NON_PRI_CACHE|PRI_CACHE|USER|FREE|KERN_DATA)$/ {printf "%s ", $3}' "$WORK/mu.txt" | sed 's/ $//')"
check_eq "no Completed line (as makedumpfile)" 0 "$(grep -c Completed "$WORK/mu.txt")"

# The same numbers as a -d 31 dump's text report.
"$VMSIFT" -d 31 --dry-run --message-level 16 "$core" "$WORK/x.kdump" > "$WORK/rep.txt" 2>&1
hexval() { awk -F: -v k="$2" '$0 ~ k { gsub(/ /, "", $2); print $2; exit }' "$1"; }
orig=$(( $(hexval "$WORK/rep.txt" "Original pages") ))
check_eq "Total pages on system = the report's Original pages" "$orig" "$(total "$WORK/mu.txt" "Total pages on system:")"
check_eq "Total size on system = pages * page size" "$((orig * 4096))" "$(total "$WORK/mu.txt" "Total size on system:")"
check_eq "page size" 4096 "$(total "$WORK/mu.txt" "page size:")"
sum=0
for t in ZERO NON_PRI_CACHE PRI_CACHE USER FREE KERN_DATA; do sum=$((sum + $(row "$WORK/mu.txt" $t))); done
check_eq "the rows add up to the total" "$orig" "$sum"
check_eq "rows equal the report's excluded counts" "$(report_counts "$WORK/rep.txt" | cut -d' ' -f1-5)" \
	"$(for t in ZERO NON_PRI_CACHE PRI_CACHE USER FREE; do printf '%s ' "$(row "$WORK/mu.txt" $t)"; done | sed 's/ $//')"
check_fails "--mem-usage with a DUMPFILE too is refused" "$VMSIFT" --mem-usage "$core" "$WORK/y"
check_fails "--mem-usage -F is refused" "$VMSIFT" --mem-usage -F "$core"

# A /proc/kcore-like core: the same memory plus what kcore adds, a range with no
# physical address (vmalloc: p_paddr all ones) and the kernel text mapped a second
# time over RAM.  The table is the same.
"$PY" - "$core" "$WORK/kcore-like.elf" <<'PYEOF'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
phoff, = struct.unpack_from('<Q', data, 32)
phentsize, phnum = struct.unpack_from('<HH', data, 54)
phdrs = [bytes(data[phoff + i * phentsize: phoff + (i + 1) * phentsize]) for i in range(phnum)]
loads = [p for p in phdrs if struct.unpack_from('<I', p, 0)[0] == 1]
first = loads[0]
_, flags, off, vaddr, paddr, filesz, memsz, align = struct.unpack('<IIQQQQQQ', first)
vmalloc = struct.pack('<IIQQQQQQ', 1, 7, off, 0xffffc90000000000, 2**64 - 1, 0x200000, 0x200000, 4096)
n = min(filesz, 0x100000)
text = struct.pack('<IIQQQQQQ', 1, 7, off, 0xffffffff81000000, paddr, n, n, 4096)
while len(data) % 8:
    data.append(0)
newoff = len(data)
for p in phdrs + [vmalloc, text]:
    data += p
struct.pack_into('<Q', data, 32, newoff)
struct.pack_into('<H', data, 56, phnum + 2)
open(sys.argv[2], 'wb').write(data)
PYEOF
"$VMSIFT" --mem-usage "$WORK/kcore-like.elf" > "$WORK/kl.txt" 2>&1
check_eq "kcore-like input (a p_paddr -1 range, text mapped twice): exit 0" 0 $?
check_eq "... the same table" "$(grep -v '^$' "$WORK/mu.txt")" "$(grep -v '^$' "$WORK/kl.txt")"

# A live /proc/kcore maps the crash kernel's reservation as RAM, but a crash's
# /proc/vmcore never holds it: the table leaves out /proc/iomem's "Crash kernel"
# ranges (VMSIFT_IOMEM stands in for /proc/iomem here), as makedumpfile does.
printf '%s\n' '00001000-0009efff : System RAM' '00100000-07ffffff : System RAM' \
	'  01000000-03ffffff : Kernel code' '  04000000-047fffff : Crash kernel' > "$WORK/iomem"
VMSIFT_IOMEM=$WORK/iomem "$VMSIFT" --mem-usage "$WORK/kcore-like.elf" > "$WORK/kc.txt" 2>&1
check_eq "with a 8 MiB crash kernel reservation: exit 0" 0 $?
check_eq "... the total is 2048 pages smaller" "$((orig - 2048))" "$(total "$WORK/kc.txt" "Total pages on system:")"
sum=0
for t in ZERO NON_PRI_CACHE PRI_CACHE USER FREE KERN_DATA; do sum=$((sum + $(row "$WORK/kc.txt" $t))); done
check_eq "... and the rows add up to it" "$((orig - 2048))" "$sum"

# This host, live.
if [ ! -r /proc/kcore ] || ! head -c 1 /proc/kcore >/dev/null 2>&1; then
	skip "--mem-usage /proc/kcore" "/proc/kcore is absent or unreadable here"
	finish
fi
"$VMSIFT" --mem-usage /proc/kcore > "$WORK/live.txt" 2>&1
check_eq "--mem-usage /proc/kcore: exit 0" 0 $? || finish
live=$(( $(total "$WORK/live.txt" "Total size on system:") / 1024 ))
memtotal=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
# MemTotal leaves out memory the kernel reserved at boot (crashkernel, the memmap itself):
# the table counts every page frame, so it may be a few per cent larger, never smaller.
check "total ($live KiB) within 8% above MemTotal ($memtotal KiB)" \
	test "$live" -ge "$((memtotal * 98 / 100))" -a "$live" -le "$((memtotal * 108 / 100))"
if command -v makedumpfile >/dev/null; then
	makedumpfile --mem-usage /proc/kcore > "$WORK/mdf.txt" 2>&1
	# Free and cache pages move between the two runs: allow 10% of the total per row.
	tp=$(total "$WORK/live.txt" "Total pages on system:")
	for t in ZERO NON_PRI_CACHE PRI_CACHE USER FREE KERN_DATA; do
		a=$(row "$WORK/live.txt" $t) b=$(row "$WORK/mdf.txt" $t)
		[ -n "$b" ] || { check "$t: makedumpfile prints the row too" false; continue; }
		check "$t: vmsift $a, makedumpfile ${b:-none}, within 10% of all pages" \
			test "$(( (a > b ? a - b : b - a) * 10 ))" -le "$tp"
	done
fi
finish
