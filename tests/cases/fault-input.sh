#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unreadable or short input: a vmcore cut inside a PT_LOAD, a PT_LOAD past the
# end of the file, and read errors, short reads, EINTR and mmap failures
# injected with tests/faults/faultshim.so.  Pages the file lacks are left out
# and reported by pfn; pages that fail to read are zero-filled and reported by
# pfn; everything else is dumped, and the dump says it is incomplete (exit 1).
# Faults that cost nothing (short reads, EINTR, mmap failing) give a dump
# byte-identical to a clean run.  Every check runs with vmsift and vmsift-asan.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/faults/lib.sh"
build_fault_tools || { echo "not ok - building the fault tools"; exit 1; }

mini=$WORK/mini.elf
"$MKMINI" -v 1 "$mini"                       # 6.12 layout; RAM file data at 0x1000 + pfn * 4096
cmp_elf() { "$PY" "$TOOLS/compare_elf.py" "$@"; }

head -c $((0x38000)) "$mini" > "$WORK/cut.elf"    # cut inside the PT_LOAD of pfns 48-63
"$PY" - "$mini" "$WORK/past.elf" <<'PYEOF'        # that PT_LOAD's p_offset beyond the end
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
struct.pack_into("<Q", d, 64 + 3 * 56 + 8, 0x100000)
open(sys.argv[2], "wb").write(d)
PYEOF
"$PY" - "$mini" "$WORK/far.elf" <<'PYEOF'        # that PT_LOAD's p_memsz reaching past 2^52
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
struct.pack_into("<Q", d, 64 + 3 * 56 + 40, 1 << 52)
open(sys.argv[2], "wb").write(d)
PYEOF
printf 'OSRELEASE=6.12.0-mini\nPAGESIZE=4096\n' > "$WORK/vmci.txt"

for b in $(fault_binaries); do
	t=${b%%=*} V=${b#*=}
	o=$WORK/$t.kdump
	rm -f "$WORK"/*.kdump
	"$V" -d 31 --message-level 0 "$mini" "$WORK/$t-clean.kdump"

	rc=$(run_rc "$WORK/log" "$V" -d 31 "$WORK/cut.elf" "$o")
	check_eq "[$t] vmcore cut inside a PT_LOAD: exit 1" 1 "$rc"
	check_grep "[$t] ... the missing pages are reported by pfn" "truncated: 9 page\(s\) from pfn 0x37 on" "$WORK/log"
	check "[$t] ... every page the file has is dumped and right" cmp_elf "$WORK/cut.elf" "$o"
	check_eq "[$t] ... the dump is marked incomplete (0x8)" 8 "$(status8 "$o")"

	rm -f "$o"
	rc=$(run_rc "$WORK/log" "$V" -d 0 "$WORK/past.elf" "$o")
	check_eq "[$t] PT_LOAD past the end of the file: exit 1" 1 "$rc"
	check_grep "[$t] ... its pages are reported by pfn" "truncated: 16 page\(s\) from pfn 0x30 on" "$WORK/log"
	check "[$t] ... the other segments are dumped and right" cmp_elf "$WORK/past.elf" "$o"
	check_eq "[$t] ... marked incomplete" 8 "$(status8 "$o")"

	rm -f "$o"
	rc=$(run_rc "$WORK/log" "$V" -d 1 "$WORK/far.elf" "$o")
	check_eq "[$t] PT_LOAD reaching past 2^52 physical: exit 1" 1 "$rc"
	check_grep "[$t] ... says so" "PT_LOAD #3: physical range .* lies beyond 2\^52" "$WORK/log"

	for how in --non-mmap mmap-fails "2 threads"; do
		rm -f "$o" "$WORK/faults.log"
		envs=(FAULT_IN=mini.elf FAULT_EIO=0x25000-0x26000 FAULT_LOG="$WORK/faults.log")
		args=(--non-mmap)
		[ "$how" = mmap-fails ] && envs+=(FAULT_MMAP_FAIL=0) && args=(--mmap)
		[ "$how" = "2 threads" ] && args+=(--num-threads 2)
		rc=$(run_rc "$WORK/log" faulty "${envs[@]}" -- "$V" "${args[@]}" -d 31 "$mini" "$o")
		check_eq "[$t] EIO reading pfn 0x24 ($how): exit 1" 1 "$rc"
		check_grep "[$t] ... the fault was injected" "EIO read" "$WORK/faults.log"
		check_grep "[$t] ... the page is reported by pfn and errno" "1 page\(s\) could not be read .*pfn 0x24: Input/output error" "$WORK/log"
		cmp_elf "$mini" "$o" > "$WORK/cmp.txt" 2>&1
		check_grep "[$t] ... only that page differs (zero-filled), the other 24 are right" "25 pages compared, 24 equal, 1 mismatches" "$WORK/cmp.txt"
		check_grep "[$t] ... and it is pfn 0x24" "mismatch pfn 0x24" "$WORK/cmp.txt"
		check_eq "[$t] ... marked incomplete" 8 "$(status8 "$o")"
	done

	for f in "FAULT_MMAP_FAIL=0 --mmap" "FAULT_MMAP_FAIL=1 --mmap" "FAULT_SHORT=511" "FAULT_EINTR=1 --non-mmap"; do
		rm -f "$o"
		set -- $f
		rc=$(run_rc "$WORK/log" faulty FAULT_IN=mini.elf FAULT_OUT=$t.kdump "$1" -- "$V" ${2:-} -d 31 "$mini" "$o")
		check_eq "[$t] $f: exit 0" 0 "$rc"
		check "[$t] ... the dump is byte-identical to a clean run" cmp "$WORK/$t-clean.kdump" "$o"
	done

	rm -f "$o"
	rc=$(run_rc "$WORK/log" faulty FAULT_IN=mini.elf FAULT_EIO=64-65 -- "$V" -d 31 "$mini" "$o")
	check_eq "[$t] EIO in the program header table: exit 1" 1 "$rc"
	check_grep "[$t] ... says where" "program header table at file offset 0x40: Input/output error" "$WORK/log"
	check "[$t] ... and no dump file is left" test ! -e "$o"
	rc=$(run_rc "$WORK/log" faulty FAULT_IN=mini.elf FAULT_EIO=0x400-0x401 -- "$V" -d 31 "$mini" "$o")
	check_eq "[$t] EIO in the PT_NOTE segment: exit 1" 1 "$rc"
	check_grep "[$t] ... says where" "PT_NOTE segment at file offset .*: Input/output error" "$WORK/log"
	rc=$(run_rc "$WORK/log" faulty FAULT_IN=vmci.txt FAULT_EIO=0-1 -- "$V" -d 1 -i "$WORK/vmci.txt" "$mini" "$o")
	check_eq "[$t] EIO reading the -i VMCOREINFO file: exit 1" 1 "$rc"
	check_grep "[$t] ... names the file" "reading the VMCOREINFO file .*vmci.txt: Input/output error" "$WORK/log"

	# Kernel metadata that cannot be read: the struct pages (pfn 8) and the vmemmap PTE page (pfn 7).
	for meta in "struct pages:0x9000:0x8" "vmemmap page table:0x8000:0x7"; do
		IFS=: read -r what off pfn <<<"$meta"
		rm -f "$o"
		rc=$(run_rc "$WORK/log" faulty FAULT_IN=mini.elf FAULT_EIO=$off-$((off + 4096)) -- "$V" --non-mmap -d 31 "$mini" "$o")
		check_eq "[$t] EIO on the $what: exit 1 (that page itself is kept and unreadable)" 1 "$rc"
		check_grep "[$t] ... warns that struct pages could not be read, those pages kept" "struct pages of [0-9]+ pfn\(s\) could not be read.*were kept" "$WORK/log"
		check_grep "[$t] ... reports pfn $pfn as unreadable" "1 page\(s\) could not be read .*pfn $pfn:" "$WORK/log"
		check "[$t] ... the dump is still valid" "$PY" "$TOOLS/kdumpinfo.py" --check "$o"
	done
done
finish
