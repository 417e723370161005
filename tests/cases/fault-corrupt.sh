#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Corrupt kernel data in an otherwise good vmcore (the mini machine of
# tests/fuzz/minicore.h, damaged with tests/fuzz/mkmini): looping page tables,
# mem_section pointing outside memory, nonsense struct page flags, free-block
# orders beyond MAX_ORDER, VMCOREINFO values that overflow when multiplied,
# a damaged printk ring buffer (--dump-dmesg).
# Each must end within the time bound with a clear error, or with the
# documented fallback (pages kept, a warning) and a dump whose every page is
# right.  Every row runs with vmsift and vmsift-asan.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/faults/lib.sh"
build_fault_tools || { echo "not ok - building the fault tools"; exit 1; }
export FAULT_TIMEOUT=30

# Physical addresses in the mini machine (minicore.h): PGD 0x1000, vmemmap PUD
# 0x4000, PMD 0x6000, PTE 0x7000, struct pages 0x8000 + 64 * pfn, static
# mem_section 0x800 (16 bytes per section), extreme root array 0x9000,
# contig_page_data 0xc00 (nr_zones at +0x300, zone 0 vm_stat at +0x40).
# NAME | LEVEL (and options) | EXPECTED EXIT | PATTERN (ERE on the output, - for none) | MKMINI ARGS
rows=$(cat <<'ROWS'
PTE points back at the PMD page (loop)|31|0|-|--poke 0x7000=0x6063
PMD entry points at itself|31|0|-|--poke 0x6000=0x6063
vmemmap PGD entry not present|31|0|struct pages of 56 pfn\(s\) could not be read.*kept|--poke 0x1ea0=0
vmemmap mapped by a 1 GiB page beyond RAM|31|0|-|--poke 0x4000=0x7fffffffc00000e3
5-level top table entry missing|31|0|struct pages of 56 pfn\(s\) could not be read|-v 8 --poke 0x2ff8=0
mem_section entry decodes outside the kernel half|31|1|section_mem_map 0x7fff000000000007 decodes to .* not a kernel address|--poke 0x800=0x7fff000000000007
... the same at -d 1 (memory model optional)|1|0|warning: hwpoison and offline pages are not left out: memory section 0|--poke 0x800=0x7fff000000000007
mem_section[1] points at unmapped vmemmap (static array)|31|0|struct pages of 8 pfn\(s\) could not be read \(first pfn 0x8\)|--poke 0x810=0xffffea7fff000007
mem_section with no present section|31|1|describes no present memory section|--poke 0x800=0 --poke 0x810=0 --poke 0x820=0 --poke 0x830=0 --poke 0x840=0 --poke 0x860=0 --poke 0x870=0
SPARSEMEM_EXTREME root not a kernel address|31|1|mem_section root 0 is 0x1234, not a kernel address|-v 2 --poke 0x9000=0x1234
SYMBOL(mem_section) unmapped|31|1|memory section 0: kernel virtual address 0xfffffffffffff000 is not mapped|--set SYMBOL(mem_section)=fffffffffffff000
every flag of every struct page set|31|0|-|FLAGS_ALL
free block of order 64|31|0|1 free block\(s\) claim an order beyond MAX_ORDER \(first at pfn 0xc\)|--poke 0x8328=64
free block of order MAX_ORDER (11)|31|0|1 free block\(s\) claim an order beyond MAX_ORDER|--poke 0x8328=11
free block of order 2^64-1|31|0|1 free block\(s\) claim an order beyond MAX_ORDER|--poke 0x8328=0xffffffffffffffff
compound tail with order 255 (6.12)|31|0|-|-v 1 --poke 0x8740=0xff
compound head's compound_head points at its tail|31|0|-|--poke 0x8708=0xffffea0000000741
page_type buddy with junk in the low bits (6.12)|31|0|-|-v 1 --poke 0x8330=0xf0ffffffffffffff
pglist_data.nr_zones is 1000|31|0|-|--poke 0xf00=1000
zone NR_FREE_PAGES counter negative|31|0|-|--poke 0xc40=0x8000000000000000
SIZE(page)=2^64-1|31|1|SIZE\(page\)=18446744073709551615 is not a plausible struct page size|--set SIZE(page)=18446744073709551615
NUMBER(SECTION_SIZE_BITS)=64|31|1|SECTION_SIZE_BITS=64 .* implausible|--set NUMBER(SECTION_SIZE_BITS)=64
NUMBER(MAX_PHYSMEM_BITS)=9999|31|1|MAX_PHYSMEM_BITS=9999 are implausible|--set NUMBER(MAX_PHYSMEM_BITS)=9999
SIZE(mem_section)=0 (a divisor)|31|1|SIZE\(mem_section\)=0 .* implausible|--set SIZE(mem_section)=0
LENGTH(mem_section)=2^64-1 (extreme)|31|0|-|-v 2 --set LENGTH(mem_section)=18446744073709551615
LENGTH(zone.free_area)=2^63 (1 << order)|31|1|LENGTH\(zone.free_area\)=9223372036854775808 is not a plausible order count|--set LENGTH(zone.free_area)=9223372036854775808
OFFSET(page.flags)=2^64-1|31|1|OFFSET\(page.flags\)=18446744073709551615 is beyond any struct page|--set OFFSET(page.flags)=18446744073709551615
OFFSET(page.private) outside SIZE(page)|31|1|field offset lies outside SIZE\(page\)=64|--set OFFSET(page.private)=4000
NUMBER(NR_FREE_PAGES)=2^61 (times 8 overflows)|31|0|-|--set NUMBER(NR_FREE_PAGES)=2305843009213693952
SIZE(zone)=2^64-1 (times nr_zones)|31|0|-|--set SIZE(zone)=18446744073709551615
OFFSET(zone.vm_stat)=2^64-1|31|0|-|--set OFFSET(zone.vm_stat)=18446744073709551615
LENGTH(node_data)=2^64-1|31|0|-|--set SYMBOL(node_data)=ffffffff81000c00 --set LENGTH(node_data)=18446744073709551615
NUMBER(phys_base)=-2^63|31|1|describes no present memory section|--set NUMBER(phys_base)=-9223372036854775808
NUMBER(PG_lru)=200|31|1|NUMBER\(PG_lru\)=200 is not a page flag bit|--set NUMBER(PG_lru)=200
NUMBER(PG_head_mask)=-1 (every page a head)|31|0|-|--set NUMBER(PG_head_mask)=-1
NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE) overflows 64 bits|31|1|PAGE_BUDDY_MAPCOUNT_VALUE\)=99999999999999999999 is not a valid number|--set NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=99999999999999999999
PAGESIZE=0|1|1|PAGESIZE=0 is not a power of two|--set PAGESIZE=0
SYMBOL(init_top_pgt)=2^64-1|31|0|struct pages of 56 pfn\(s\) could not be read|--set SYMBOL(init_top_pgt)=ffffffffffffffff
NUMBER(sme_mask)=-1 (masks every table address)|31|0|struct pages of 56 pfn\(s\) could not be read|--set NUMBER(sme_mask)=-1
OFFSET(uts_namespace.name)=2^64-1|31|0|-|--set OFFSET(uts_namespace.name)=18446744073709551615
-e, mem_map near 2^64 (fuzz finding: the walk wrapped around)|31 -e|0|-|--patches tests/fuzz/regress/fuzz_walk/vmemmap-wrap-hang
printk: VMCOREINFO without SYMBOL(prb) (leaked an error)|dmesg|1|has no SYMBOL\(prb\)|--del SYMBOL(prb)
printk: OFFSET(prb_desc.state_var) beyond SIZE(prb_desc)|dmesg|1|sizes do not hold their fields|--set OFFSET(prb_desc.state_var)=4000
printk: OFFSET(prb_data_blk_lpos.next)=4096|dmesg|1|sizes do not hold their fields|--set OFFSET(prb_data_blk_lpos.next)=4096
printk: OFFSET(atomic_long_t.counter)=4096|dmesg|1|sizes do not hold their fields|--set OFFSET(atomic_long_t.counter)=4096
printk: desc_ring.count_bits=25|dmesg|1|2\^25 records .* implausible|--poke 0x5010=25
printk: desc_ring.count_bits=24, the largest accepted (read in chunks, not allocated)|dmesg|0|-|--poke 0x5010=24
printk: prb pointer NULL|dmesg|1|printk_ringbuffer at 0x0: .* not mapped|--poke 0x5000=0
printk: descriptor array pointer NULL|dmesg|1|ring array at 0x0, record [0-9]+: kernel virtual address 0x0 is not mapped|--poke 0x5018=0
printk: text block position near 2^64|dmesg|0|-|--poke 0x5108=0xfffffffffffffff8
printk: text_len 65535|dmesg|0|-|--poke 0x5210=0xffff
printk: --partial-dmesg, OFFSET(printk_info.seq) outside the record|dmesg --partial-dmesg|1|OFFSET\(printk_info.seq\) lies outside the record|--set OFFSET(printk_info.seq)=4000
ROWS
)

flags_all=()
for p in $(seq 0 63); do flags_all+=(--poke $((0x8000 + p * 64))=0xffffffffffffffff); done

n=0
while IFS='|' read -r name level want pat args; do
	n=$((n + 1))
	core=$WORK/c$n.elf
	if [ "$args" = FLAGS_ALL ]; then
		"$MKMINI" "${flags_all[@]}" "$core"
	else
		# shellcheck disable=SC2086
		(cd "$ROOT" && "$MKMINI" $args "$core")
	fi
	for b in $(fault_binaries); do
		t=${b%%=*} V=${b#*=}
		o=$WORK/c$n-$t.kdump
		mode=(-d $level)
		[ "${level%% *}" = dmesg ] && mode=(--dump-dmesg ${level#dmesg})
		# shellcheck disable=SC2086
		rc=$(run_rc "$WORK/log" "$V" "${mode[@]}" "$core" "$o")
		check_eq "[$t] $name: exit $want within ${FAULT_TIMEOUT}s" "$want" "$rc"
		[ "$pat" != - ] && check_grep "[$t] ... says so" "$pat" "$WORK/log"
		if [ "$want" = 0 ] && [ "${mode[0]}" = --dump-dmesg ]; then
			check_grep "[$t] ... the log is written" "mini log line 4" "$o"
		elif [ "$want" = 0 ]; then
			check "[$t] ... the dump is valid and every page in it is right" \
				bash -c "'$PY' '$TOOLS/kdumpinfo.py' --check '$o' && '$PY' '$TOOLS/compare_elf.py' '$core' '$o'"
		fi
		rm -f "$o"
	done
done <<<"$rows"

# The printk rings are read in 64 KiB chunks: a ring claiming 2^24 records
# must not cost 1.4 GiB (the size an upfront copy would allocate).
"$MKMINI" --poke 0x5010=24 "$WORK/big-ring.elf"
/usr/bin/time -f %M -o "$WORK/rss" "$VMSIFT" --dump-dmesg "$WORK/big-ring.elf" "$WORK/big-ring.txt" >/dev/null 2>&1 || true
check "printk ring of 2^24 records: peak RSS $(cat "$WORK/rss") KiB < 64 MiB" test "$(cat "$WORK/rss")" -lt 65536
finish
