#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -x/-g on a miniature kernel image (tests/fuzz/mini-vmlinux.c, built here
# with gcc -g): the values gcc laid out come back in the kernel's VMCOREINFO
# format (anonymous unions, typedef chains, enums, array lengths, macro
# symbols); DWARF 2 (block member locations), 4, 5 and compressed debug
# sections give the same text; a stripped image, missing elfutils and a dump
# of another kernel are clear errors.
. "$(dirname "$0")/../lib.sh"
command -v gcc >/dev/null || { skip "-x/-g on a miniature vmlinux" "no gcc"; finish; }
SRC=$ROOT/tests/fuzz/mini-vmlinux.c
build() {  # OUT GCC-FLAGS...
	local out=$1; shift
	gcc -g "$@" -O0 -nostdlib -static -fno-pic -no-pie -Wl,--build-id -o "$out" "$SRC"
}
check "setup: the miniature vmlinux builds" build "$WORK/vmlinux" || finish

check "-g -x VMLINUX" "$VMSIFT" -g "$WORK/g.txt" -x "$WORK/vmlinux"
expect() {  # KEY VALUE: the -g file has KEY=VALUE
	check_eq "... $1" "$1=$2" "$(grep -F "$1=" "$WORK/g.txt" | head -1)"
}
expect OSRELEASE 6.1.0-seed
expect PAGESIZE 4096
expect "SIZE(page)" 56
expect "OFFSET(page.lru)" 8                 # first member of an anonymous struct in a union
expect "OFFSET(page.compound_order)" 17     # second anonymous struct of the same union
expect "OFFSET(page.private)" 40
expect "OFFSET(page._mapcount)" 48          # another anonymous union
expect "OFFSET(page._refcount)" 52
expect "SIZE(nodemask_t)" 128               # typedef of an anonymous struct
expect "SIZE(atomic_long_t)" 8              # typedef of a typedef
expect "OFFSET(atomic_long_t.counter)" 0
expect "LENGTH(zone.free_area)" 11          # member array
expect "LENGTH(free_area.free_list)" 5
expect "LENGTH(node_data)" 64               # variable array
expect "LENGTH(mem_section)" 2048           # pointer: NR_SECTION_ROOTS of 4-level x86_64
expect "NUMBER(PG_lru)" 4
expect "NUMBER(PG_head_mask)" 65536         # 1 << PG_head
expect "NUMBER(NR_FREE_PAGES)" 0
expect "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)" -268435456   # PGTY_buddy << 24, as 6.12 prints it
expect "NUMBER(SECTION_SIZE_BITS)" 27
expect "NUMBER(MAX_PHYSMEM_BITS)" 46        # no __pgtable_l5_enabled: 4-level only
sym() { nm "$WORK/vmlinux" | awk -v s="$1" '$3 == s {print $1}' | sed 's/^0*//'; }
expect "SYMBOL(init_uts_ns)" "$(sym init_uts_ns)"
expect "SYMBOL(node_online_map)" "$(printf %x $((0x$(sym node_states) + 128)))"   # node_states[N_ONLINE]
check "... no key DWARF cannot know (KERNELOFFSET, phys_base, pgtable_l5_enabled)" \
	bash -c "! grep -E '^(KERNELOFFSET|NUMBER\\(phys_base\\)|NUMBER\\(pgtable_l5_enabled\\))=' '$WORK/g.txt'"
check_eq "... BUILD-ID is the file's" "$(readelf -n "$WORK/vmlinux" | awk '/Build ID/ {print $3}')" \
	"$(sed -n 's/^BUILD-ID=//p' "$WORK/g.txt")"

for v in -gdwarf-2 -gdwarf-4 -gz=zlib; do
	build "$WORK/v" "$v"
	"$VMSIFT" -g "$WORK/v.txt" -x "$WORK/v" > /dev/null 2>&1
	check "$v: the same text" diff <(grep -v BUILD-ID "$WORK/g.txt") <(grep -v BUILD-ID "$WORK/v.txt")
done

strip --strip-debug -o "$WORK/stripped" "$WORK/vmlinux"
check_fails "stripped (no DWARF): a clear error" "$VMSIFT" -g "$WORK/s.txt" -x "$WORK/stripped"
check_grep "... naming the file and the -dbg package" "stripped has no usable DWARF.*-dbg" "$WORK/.log"
strip --strip-all -o "$WORK/stripped-all" "$WORK/vmlinux"
check_fails "no .symtab: a clear error" "$VMSIFT" -g "$WORK/s.txt" -x "$WORK/stripped-all"
check_grep "... naming the symbol table" "no symbol table" "$WORK/.log"

# elfutils missing: a libdw.so.1 that does not load comes first on the search path.
mkdir -p "$WORK/nolib"
echo "not a library" > "$WORK/nolib/libdw.so.1"
check_fails "libdw.so.1 cannot be loaded: a clear error" env LD_LIBRARY_PATH="$WORK/nolib" \
	"$VMSIFT" -g "$WORK/s.txt" -x "$WORK/vmlinux"
check_grep "... naming the library and the packages" "libdw.so.1.*could not be loaded.*libdw1" "$WORK/.log"
if [ -x "$MKVMCORE" ]; then
	"$MKVMCORE" --mem 64M --seed 3 -o "$WORK/m.elf" > /dev/null
	check "... while everything without -x works" env LD_LIBRARY_PATH="$WORK/nolib" \
		"$VMSIFT" -f -l -d 31 --message-level 0 "$WORK/m.elf" "$WORK/m.kdump"
	"$VMSIFT" -f -l -d 31 -x "$WORK/vmlinux" "$WORK/m.elf" "$WORK/x.kdump" > "$WORK/x.txt" 2>&1
	check_eq "a dump of another kernel: refused with exit 2" 2 $?
	check_grep "... naming both releases" "is of kernel 6.1.0-seed but the dump is of 6.1.0-synthetic" "$WORK/x.txt"
	check "... and no dump written" test ! -e "$WORK/x.kdump"
fi
check "ldd vmsift lists neither libdw nor libelf" bash -c "! ldd '$VMSIFT' | grep -E 'libdw|libelf'"
finish
