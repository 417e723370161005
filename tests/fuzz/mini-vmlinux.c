// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A miniature kernel image: the structures, enums and variables vmsift asks a
 * vmlinux for, with the kernel's names.  Built with
 *   gcc -g -O0 -nostdlib -static -fno-pic -no-pie -Wl,--build-id -o mini-vmlinux mini-vmlinux.c
 * it is the seed of fuzz_dwarf and the vmlinux of tests/cases/core-debuginfo.sh.
 */
struct list_head { struct list_head *next, *prev; };
struct page {
	unsigned long flags;
	union {
		struct { struct list_head lru; void *mapping; unsigned long index; unsigned long private; };
		struct { unsigned long compound_head; unsigned char compound_dtor, compound_order; };
	};
	union { int _mapcount; unsigned int page_type; };
	int _refcount;
};
typedef struct { unsigned long bits[16]; } nodemask_t;
struct free_area { struct list_head free_list[5]; unsigned long nr_free; };
struct zone { unsigned long spanned_pages; struct free_area free_area[11]; long vm_stat[10]; };
struct pglist_data { struct zone node_zones[4]; int nr_zones; unsigned long node_start_pfn, node_spanned_pages; };
struct mem_section { unsigned long section_mem_map; void *usage; };
struct new_utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; };
struct uts_namespace { struct new_utsname name; };
enum pageflags { PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_head = 16, PG_slab = 9 };
enum zone_stat_item { NR_FREE_PAGES, NR_ZONE_LRU_BASE };
enum node_states { N_POSSIBLE, N_ONLINE, NR_NODE_STATES };
enum pagetype { PGTY_buddy = 0xf0, PGTY_offline = 0xf1 };
typedef struct { long counter; } atomic64_t;
typedef atomic64_t atomic_long_t;
struct uts_namespace init_uts_ns = { { "Linux", "", "6.1.0-seed", "", "x86_64", "" } };
struct pglist_data *node_data[64];
struct mem_section **mem_section;
nodemask_t node_states[4];
atomic_long_t counter;
struct page *vmemmap_base;
enum pageflags pf;
enum zone_stat_item zs;
enum pagetype pt;
enum node_states ns;
void _start(void) { for (;;) ; }
