// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel memory model as VMCOREINFO describes it: where each section's
 * struct page array lives (SPARSEMEM), and how to read a struct page
 * (field offsets, flag bits, page_type encoding).  Every choice is made from
 * what VMCOREINFO exports, never from the version string.
 */
#ifndef VMSIFT_MEMMODEL_H
#define VMSIFT_MEMMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsift/bitmap.h"
#include "vmsift/error.h"
#include "vmsift/kernel.h"

#define VS_NO_FIELD UINT32_MAX

/* How a compound page's order and hugetlb-ness are found (first tail page). */
enum vs_order_src { VS_ORDER_NONE, VS_ORDER_TAIL_FIELD, VS_ORDER_TAIL_FLAGS };
enum vs_hugetlb_src { VS_HUGETLB_NONE, VS_HUGETLB_DTOR, VS_HUGETLB_TAIL_FLAG, VS_HUGETLB_TYPE };

struct vs_page_layout {
	uint32_t size;                    /* SIZE(page) */
	uint32_t off_flags, off_mapping, off_mapcount, off_private, off_compound_head;
	int pg_lru, pg_private, pg_swapcache, pg_swapbacked, pg_slab, pg_hwpoison, pg_buddy;
	uint64_t head_mask;               /* NUMBER(PG_head_mask), 0 if unknown */
	/* page_type values (NUMBER(PAGE_*_MAPCOUNT_VALUE)), valid when has_* */
	bool has_buddy, has_offline, has_slab_type, has_hugetlb_type, has_unaccepted;
	uint32_t buddy, offline, slab_type, hugetlb_type, unaccepted;
	/*
	 * Since 6.12 (kernel commit 4ffca5a96678 "mm: support only one
	 * page_type per page") the type is the top byte of page_type and the
	 * low 24 bits may hold type-private data: compare top bytes only.
	 */
	bool type_top_byte;
	enum vs_order_src order_src;
	uint32_t off_tail_order;          /* within the first tail page */
	enum vs_hugetlb_src hugetlb_src;
	uint32_t off_tail_dtor;           /* within the first tail page */
	uint64_t hugetlb_dtor;
	int pg_hugetlb;                   /* 6.6-6.8: flag in the first tail's flags */
	unsigned max_order;               /* LENGTH(zone.free_area) */
	/*
	 * Free blocks are recognised in the struct pages (makedumpfile's
	 * page_is_buddy) only with OFFSET(page.private) and a buddy marker:
	 * PAGE_BUDDY_MAPCOUNT_VALUE with OFFSET(page._mapcount), or PG_buddy.
	 * Otherwise the zones' free lists are walked (freelist.c).
	 */
	bool buddy_in_memmap;
};

/* Reads the layout.  Missing mandatory keys give VS_ERR_NOKEY naming the key. */
struct vs_err *vs_page_layout_init(const struct vs_vmcoreinfo *vi, struct vs_page_layout *pl);

/*
 * Per-section location of the struct page arrays.  SPARSEMEM sections are
 * the kernel's; FLATMEM is one section covering every pfn; DISCONTIGMEM
 * (discontig.c) cuts each node's array into synthetic power-of-two
 * sections that never span two nodes, where a node's last section may end
 * early (valid_end).
 */
struct vs_memmap {
	uint64_t pfns_per_section;
	unsigned section_pfn_shift;
	uint64_t nsections;               /* covering [0, max_mapnr) */
	uint64_t *mem_map;                /* vaddr of the section's first struct page, 0 = none */
	uint64_t *valid_end;              /* NULL, or per section the pfn where its struct pages end */
	uint64_t present_sections;
	const char *model;                /* "SPARSEMEM", "SPARSEMEM_EX", "DISCONTIGMEM", "FLATMEM" */
	char warning[256];                /* the arch's cross-check disagreed (mem_map is still used) */
};

/* The pfn where section sec's struct pages end. */
static inline uint64_t vs_memmap_end(const struct vs_memmap *mm, uint64_t sec)
{
	return mm->valid_end ? mm->valid_end[sec] : (sec + 1) << mm->section_pfn_shift;
}

struct vs_err *vs_memmap_init(struct vs_kernel *k, const struct vs_page_layout *pl,
			      uint64_t max_mapnr, struct vs_memmap *mm);
void vs_memmap_free(struct vs_memmap *mm);

/* DISCONTIGMEM (discontig.c): makedumpfile's get_mem_type() test, and the node arrays. */
bool vs_discontig_detect(const struct vs_vmcoreinfo *vi);
struct vs_err *vs_discontig_init(struct vs_kernel *k, const struct vs_page_layout *pl,
				 uint64_t max_mapnr, struct vs_memmap *mm);

/* Online nodes and their pglist_data (nodes.c). */
#define VS_MAX_NODES 1024
struct vs_nodes {
	unsigned n;
	unsigned id[VS_MAX_NODES];
	uint64_t pgdat[VS_MAX_NODES];
};
struct vs_err *vs_nodes_read(struct vs_kernel *k, struct vs_nodes *nd);

/*
 * Free pages from the zones' free lists (freelist.c), for kernels whose
 * struct pages carry no usable buddy marker.  init reads the keys (NOKEY
 * names the first missing one); apply walks every list and clears the
 * listed blocks inside bm2's window, counting the cleared pfns.
 */
struct vs_freelist;
struct vs_err *vs_freelist_init(struct vs_kernel *k, const struct vs_page_layout *pl,
				const struct vs_memmap *mm, uint64_t max_mapnr, struct vs_freelist **out);
struct vs_err *vs_freelist_apply(struct vs_freelist *fl, struct vs_bitmap *bm2, uint64_t *cleared);
void vs_freelist_free(struct vs_freelist *fl);

/* Sum of every zone's vm_stat[NR_FREE_PAGES]; VS_ERR_NOKEY when not exported. */
struct vs_err *vs_zone_free_pages(struct vs_kernel *k, uint64_t *free_pages);

#endif
