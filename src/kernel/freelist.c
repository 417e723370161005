// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Free pages from the buddy allocator's own lists, for kernels whose struct
 * pages cannot be recognised as free: VMCOREINFO without OFFSET(page.private)
 * or without a buddy marker (PAGE_BUDDY_MAPCOUNT_VALUE / PG_buddy) - kernels
 * older than the late-2012 change that exported the buddy values.  Like
 * makedumpfile's exclude_free_page(): every online node, every zone with
 * spanned_pages != 0, every order and migrate type; each entry is a struct
 * page linked through page.lru, turned back into a pfn through the mem_map.
 *
 * Everything read is untrusted: an entry must be a struct page of the
 * mem_map, its prev pointer must name the entry before it (this catches any
 * loop, which must enter through an entry whose prev disagrees), and the
 * whole walk stops after max_mapnr entries.  The lists are walked for each
 * cycle (no memory grows with the number of free blocks).
 */
#include "vmsift/memmodel.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ZONES 16
#define MAX_MIGRATE_TYPES 64

struct sec_index {
	uint64_t map, first_pfn, end_pfn;
};

struct vs_freelist {
	struct vs_kernel *k;
	uint32_t page_size;
	uint64_t off_zones, off_nr_zones, zone_size, off_free_area, off_spanned, fa_size;
	uint64_t off_free_list, lh_size, off_next, off_prev, off_lru;
	unsigned orders, mtypes;
	uint64_t max_mapnr;
	struct vs_nodes nodes;
	struct sec_index *idx;   /* present sections by struct page address */
	size_t nidx;
};

struct key {
	const char *kind, *name;
	uint64_t *out;
	uint64_t max;
};

static struct vs_err *read_keys(const struct vs_vmcoreinfo *vi, struct vs_freelist *fl)
{
	uint64_t orders, mtypes = 1;
	const struct key keys[] = {
		{ "SIZE", "zone", &fl->zone_size, 1u << 20 },
		{ "OFFSET", "zone.free_area", &fl->off_free_area, 1u << 20 },
		{ "OFFSET", "zone.spanned_pages", &fl->off_spanned, 1u << 20 },
		{ "OFFSET", "pglist_data.node_zones", &fl->off_zones, 1u << 24 },
		{ "OFFSET", "pglist_data.nr_zones", &fl->off_nr_zones, 1u << 24 },
		{ "SIZE", "free_area", &fl->fa_size, 1u << 16 },
		{ "OFFSET", "free_area.free_list", &fl->off_free_list, 1u << 16 },
		{ "SIZE", "list_head", &fl->lh_size, 64 },
		{ "OFFSET", "list_head.next", &fl->off_next, 64 },
		{ "OFFSET", "list_head.prev", &fl->off_prev, 64 },
		{ "OFFSET", "page.lru", &fl->off_lru, 1024 },
		{ "LENGTH", "zone.free_area", &orders, 64 },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *q = &keys[i];
		struct vs_err *err = q->kind[0] == 'S' ? vs_vmci_size(vi, q->name, q->out) :
				     q->kind[0] == 'O' ? vs_vmci_offset(vi, q->name, q->out) :
							 vs_vmci_length(vi, q->name, q->out);
		if (err)
			return err;
		if (*q->out > q->max)
			return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: %s(%s)=%llu is implausible", q->kind, q->name,
					  (unsigned long long)*q->out);
	}
	/* Before 2.6.24 a free_area had one list, and no LENGTH(free_area.free_list). */
	struct vs_err *err = vs_err_optional(vs_vmci_length(vi, "free_area.free_list", &mtypes), NULL);
	if (err)
		return err;
	if (!orders || !mtypes || mtypes > MAX_MIGRATE_TYPES)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: LENGTH(zone.free_area)=%llu / LENGTH(free_area.free_list)=%llu are implausible",
				  (unsigned long long)orders, (unsigned long long)mtypes);
	unsigned ptr = fl->k->long_size;
	if (fl->off_next + ptr > fl->lh_size || fl->off_prev + ptr > fl->lh_size)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: list_head.next/prev lie outside SIZE(list_head)");
	fl->orders = (unsigned)orders;
	fl->mtypes = (unsigned)mtypes;
	return NULL;
}

static int by_map(const void *a, const void *b)
{
	const struct sec_index *x = a, *y = b;
	return x->map < y->map ? -1 : x->map > y->map;
}

static struct vs_err *build_index(struct vs_freelist *fl, const struct vs_memmap *mm)
{
	if (!(fl->idx = calloc(mm->present_sections ? mm->present_sections : 1, sizeof(*fl->idx))))
		return vs_enomem;
	for (uint64_t sec = 0; sec < mm->nsections && fl->nidx < mm->present_sections; sec++) {
		if (!mm->mem_map[sec])
			continue;
		uint64_t first = sec << mm->section_pfn_shift, end = vs_memmap_end(mm, sec);
		if (end > fl->max_mapnr)
			end = fl->max_mapnr;
		if (end > first)
			fl->idx[fl->nidx++] = (struct sec_index){ mm->mem_map[sec], first, end };
	}
	qsort(fl->idx, fl->nidx, sizeof(*fl->idx), by_map);
	return NULL;
}

/* makedumpfile's page_to_pfn(): which pfn's struct page is at page?  false if none. */
static bool page_to_pfn(const struct vs_freelist *fl, uint64_t page, uint64_t *pfn)
{
	size_t lo = 0, hi = fl->nidx;
	while (lo < hi) {  /* the last section whose array starts at or below page */
		size_t mid = (lo + hi) / 2;
		if (fl->idx[mid].map <= page)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	const struct sec_index *s = &fl->idx[lo - 1];
	uint64_t off = page - s->map;
	if (off % fl->page_size || off / fl->page_size >= s->end_pfn - s->first_pfn)
		return false;
	*pfn = s->first_pfn + off / fl->page_size;
	return true;
}

struct vs_err *vs_freelist_init(struct vs_kernel *k, const struct vs_page_layout *pl,
				const struct vs_memmap *mm, uint64_t max_mapnr, struct vs_freelist **out)
{
	*out = NULL;
	struct vs_freelist *fl = calloc(1, sizeof(*fl));
	if (!fl)
		return vs_enomem;
	fl->k = k;
	fl->page_size = pl->size;
	fl->max_mapnr = max_mapnr;
	struct vs_err *err = read_keys(k->vmci, fl);
	if (!err)
		err = vs_nodes_read(k, &fl->nodes);
	if (!err)
		err = build_index(fl, mm);
	if (err) {
		vs_freelist_free(fl);
		return vs_err_wrap(err, "free pages from the free lists");
	}
	*out = fl;
	return NULL;
}

void vs_freelist_free(struct vs_freelist *fl)
{
	if (fl)
		free(fl->idx);
	free(fl);
}

struct walk {
	struct vs_freelist *fl;
	struct vs_bitmap *bm2;
	uint64_t *cleared;
	uint64_t budget;         /* entries left before the walk is declared endless */
	unsigned node;
	int zone;
};

static void clear_block(struct walk *w, uint64_t pfn, unsigned order)
{
	uint64_t lo = w->bm2->start, hi = lo + w->bm2->npfn;
	uint64_t end = pfn + (1ull << order);
	if (pfn < lo)
		pfn = lo;
	if (end > hi)
		end = hi;
	if (pfn < end)
		*w->cleared += vs_bitmap_clear_range_count(w->bm2, pfn, end);
}

static struct vs_err *walk_list(struct walk *w, uint64_t head, unsigned order)
{
	struct vs_freelist *fl = w->fl;
	struct vs_kernel *k = fl->k;
	uint64_t prev = head, cur, back;
	struct vs_err *err = vs_kernel_read_ptr(k, head + fl->off_next, &cur);
	while (!err && cur != head) {
		uint64_t pfn;
		if (!w->budget--)
			return vs_err_new(VS_ERR_CORRUPT, "more free-list entries than pages (entry 0x%llx): the lists loop",
					  (unsigned long long)cur);
		if (!page_to_pfn(fl, cur - fl->off_lru, &pfn))
			return vs_err_new(VS_ERR_CORRUPT, "entry 0x%llx is not the lru of a struct page in the mem_map",
					  (unsigned long long)cur);
		if ((err = vs_kernel_read_ptr(k, cur + fl->off_prev, &back)))
			break;
		if (back != prev)  /* what makedumpfile calls "The free list is broken" */
			return vs_err_new(VS_ERR_CORRUPT, "entry 0x%llx (pfn 0x%llx) has prev 0x%llx, not 0x%llx: the list is broken",
					  (unsigned long long)cur, (unsigned long long)pfn, (unsigned long long)back,
					  (unsigned long long)prev);
		if (pfn + (1ull << order) > fl->max_mapnr || (pfn & ((1ull << order) - 1)))
			return vs_err_new(VS_ERR_CORRUPT, "free block at pfn 0x%llx of order %u is not a block of the dump",
					  (unsigned long long)pfn, order);
		clear_block(w, pfn, order);
		prev = cur;
		err = vs_kernel_read_ptr(k, cur + fl->off_next, &cur);
	}
	return err;
}

static struct vs_err *walk_zone(struct walk *w, uint64_t zone)
{
	struct vs_freelist *fl = w->fl;
	for (unsigned o = fl->orders; o-- > 0;) {
		for (unsigned mt = 0; mt < fl->mtypes; mt++) {
			uint64_t head = zone + fl->off_free_area + fl->fa_size * o + fl->off_free_list + fl->lh_size * mt;
			struct vs_err *err = walk_list(w, head, o);
			if (err)
				return vs_err_wrap(err, "node %u zone %d free_area[%u].free_list[%u] at 0x%llx", w->node,
						   w->zone, o, mt, (unsigned long long)head);
		}
	}
	return NULL;
}

struct vs_err *vs_freelist_apply(struct vs_freelist *fl, struct vs_bitmap *bm2, uint64_t *cleared)
{
	struct walk w = { .fl = fl, .bm2 = bm2, .cleared = cleared, .budget = fl->max_mapnr };
	for (unsigned i = 0; i < fl->nodes.n; i++) {
		uint64_t pgdat = fl->nodes.pgdat[i];
		uint32_t raw_nr;
		w.node = fl->nodes.id[i];
		struct vs_err *err = vs_kernel_read_u32(fl->k, pgdat + fl->off_nr_zones, &raw_nr);
		if (err)
			return vs_err_wrap(err, "node %u: pglist_data.nr_zones", w.node);
		int32_t nr_zones = (int32_t)raw_nr;
		if (nr_zones < 0 || nr_zones > MAX_ZONES)
			return vs_err_new(VS_ERR_CORRUPT, "node %u: pglist_data at 0x%llx has nr_zones %d", w.node,
					  (unsigned long long)pgdat, nr_zones);
		for (w.zone = 0; w.zone < nr_zones; w.zone++) {
			uint64_t zone = pgdat + fl->off_zones + (uint64_t)w.zone * fl->zone_size, spanned;
			if ((err = vs_kernel_read_long(fl->k, zone + fl->off_spanned, &spanned)))
				return vs_err_wrap(err, "node %u zone %d: spanned_pages", w.node, w.zone);
			if (spanned && (err = walk_zone(&w, zone)))
				return err;
		}
	}
	return NULL;
}
