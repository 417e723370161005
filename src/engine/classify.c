// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reads every struct page of a cycle straight from the mapped vmemmap (one
 * translation per contiguous mapping, usually 2 MiB) and applies
 * makedumpfile's rules in its order; the first rule that matches decides.
 */
#include "classify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES (1u << 20)

/*
 * No buddy marker in the struct pages: walk the free lists instead.  When
 * the keys for that are missing too, free pages are kept (the reason is in
 * no_free_walk; the NR_FREE_PAGES cross-check then warns).
 */
static struct vs_err *free_lists_init(struct vs_classifier *c, uint64_t max_mapnr)
{
	struct vs_err *err = vs_freelist_init(c->s->kernel, &c->pl, &c->mm, max_mapnr, &c->fl);
	if (err && err->code == VS_ERR_NOKEY) {
		snprintf(c->no_free_walk, sizeof(c->no_free_walk), "%s", err->msg);
		vs_err_free(err);
		return NULL;
	}
	return err;
}

struct vs_err *vs_classifier_init(struct vs_classifier *c, struct vs_session *s, int level,
				  uint64_t max_mapnr)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->level = level;
	struct vs_err *err = vs_page_layout_init(s->vmci, &c->pl);
	if (!err)
		err = vs_memmap_init(s->kernel, &c->pl, max_mapnr, &c->mm);
	if (!err && !(c->buf = malloc(CHUNK_BYTES + c->pl.size)))
		err = vs_enomem;
	if (!err && (level & VS_DL_FREE) && !c->pl.buddy_in_memmap)
		err = free_lists_init(c, max_mapnr);
	if (!err && (level & ~VS_DL_ZERO))
		err = vs_startup_build(s, &c->mm, c->pl.size, &c->startup);
	if (err)
		vs_classifier_free(c);
	return err;
}

struct vs_err *vs_classifier_set_magic(struct vs_classifier *c, const uint64_t *magic, size_t n)
{
	if (n && c->pl.off_private == VS_NO_FIELD)
		return vs_err_new(VS_ERR_NOKEY,
				  "--private-page-filter needs OFFSET(page.private), which this kernel's VMCOREINFO does not "
				  "export (give -x VMLINUX to take it from the debug information)");
	c->magic = magic;
	c->nmagic = n;
	return NULL;
}

void vs_classifier_free(struct vs_classifier *c)
{
	vs_memmap_free(&c->mm);
	vs_freelist_free(c->fl);
	c->fl = NULL;
	vs_startup_free(&c->startup);
	free(c->buf);
	c->buf = NULL;
}

void vs_classifier_rewind(struct vs_classifier *c)
{
	c->carry_start = c->carry_end = 0;
	c->carry_counter = NULL;
}

static inline bool flag(uint64_t flags, int bit)
{
	return bit >= 0 && (flags >> bit & 1);
}

static inline bool type_is(const struct vs_page_layout *pl, uint32_t mapcount, bool has, uint32_t value)
{
	if (!has)
		return false;
	return pl->type_top_byte ? (mapcount >> 24) == (value >> 24) : mapcount == value;
}

struct page_view {
	uint64_t flags, mapping, private;
	uint32_t mapcount;
	bool slab;
};

/* flags, mapping and private are unsigned longs; _mapcount / page_type 32 bits. */
static void read_view(const struct vs_kernel *k, const struct vs_page_layout *pl, const uint8_t *p,
		      struct page_view *v)
{
	v->flags = vs_kernel_ld_long(k, p + pl->off_flags);
	v->mapping = vs_kernel_ld_long(k, p + pl->off_mapping);
	v->private = pl->off_private != VS_NO_FIELD ? vs_kernel_ld_long(k, p + pl->off_private) : 0;
	uint32_t mc = UINT32_MAX;
	if (pl->off_mapcount != VS_NO_FIELD)
		mc = vs_kernel_ld32(k, p + pl->off_mapcount);
	v->mapcount = mc;
	v->slab = flag(v->flags, pl->pg_slab) || type_is(pl, mc, pl->has_slab_type, pl->slab_type);
}

/*
 * Order and hugetlb-ness of a compound head, from its first tail page: next
 * when it is in the mapped chunk, else read (which may move the mmap window,
 * so callers pass NULL only for the chunk's last entry).
 */
static void compound_info(struct vs_classifier *c, uint64_t head_vaddr, const uint8_t *next,
			  const struct page_view *v, uint64_t pfn, unsigned *order, bool *hugetlb, bool *tail_ok)
{
	const struct vs_page_layout *pl = &c->pl;
	*order = 0;
	*tail_ok = true;
	*hugetlb = type_is(pl, v->mapcount, pl->hugetlb_src == VS_HUGETLB_TYPE, pl->hugetlb_type);
	if (pl->order_src == VS_ORDER_NONE && pl->hugetlb_src != VS_HUGETLB_DTOR && pl->hugetlb_src != VS_HUGETLB_TAIL_FLAG)
		return;
	uint8_t copy[1024];
	const uint8_t *tail = next;
	if (!tail) {
		struct vs_err *err = vs_kernel_read_virt(c->s->kernel, head_vaddr + pl->size, copy, pl->size);
		if (err) {
			vs_err_free(err);  /* unreadable tail: treat as a single page, keeping the rest */
			return;
		}
		tail = copy;
	}
	uint64_t tflags = vs_kernel_ld_long(c->s->kernel, tail + pl->off_flags);
	/* The first tail's compound_head is the head's address with bit 0 set (4.6+). */
	if (pl->off_compound_head != VS_NO_FIELD)
		*tail_ok = vs_kernel_ld_long(c->s->kernel, tail + pl->off_compound_head) == (head_vaddr | 1);
	unsigned o = 0;
	if (pl->order_src == VS_ORDER_TAIL_FIELD)
		o = tail[pl->off_tail_order];
	else if (pl->order_src == VS_ORDER_TAIL_FLAGS)
		o = (unsigned)(tflags & 0xff);
	/* An order that is absurd or not aligned to the pfn is corrupt data: one page. */
	if (o < 64 && (pfn & ((1ull << o) - 1)) == 0)
		*order = o;
	if (pl->hugetlb_src == VS_HUGETLB_DTOR)
		*hugetlb = tail[pl->off_tail_dtor] == (uint8_t)pl->hugetlb_dtor;
	else if (pl->hugetlb_src == VS_HUGETLB_TAIL_FLAG)
		*hugetlb = flag(tflags, pl->pg_hugetlb);
}

static bool is_cache(const struct vs_page_layout *pl, uint64_t f)
{
	return flag(f, pl->pg_lru) ||
	       (flag(f, pl->pg_swapcache) && (pl->pg_swapbacked < 0 || flag(f, pl->pg_swapbacked)));
}

/* vs_startup_clear as the clear step of a --keep-user-stack split. */
static uint64_t clear_startup(void *arg, struct vs_bitmap *bm2, uint64_t first, uint64_t end, uint64_t *kept)
{
	return vs_startup_clear(arg, bm2, first, end, kept);
}

/*
 * Clears [first, end) of bm2 but the pfns kept whatever their struct pages
 * say: the startup set (counted per reason into st->kept_startup) and the
 * --keep-user-stack pfns (counted into kept_counter when count_keep).
 */
static uint64_t clear_kept(struct vs_classifier *c, struct vs_bitmap *bm2, uint64_t first, uint64_t end,
			   struct vs_dump_stats *st, bool count_keep, bool free)
{
	uint64_t *kept = st ? st->kept_startup : NULL, n;
	c->startup.yield_image = free;
	if (!c->keep || !c->keep->n)
		n = vs_startup_clear(&c->startup, bm2, first, end, kept);
	else
		n = vs_keepset_clear_range_with(c->keep, bm2, first, end, count_keep ? c->kept_counter : NULL,
						clear_startup, &c->startup, kept);
	c->startup.yield_image = false;
	return n;
}

/*
 * Clears [first, end) but the startup set (continuing into the next cycle if
 * needed) and counts the pages.
 */
static void exclude(struct vs_classifier *c, struct vs_bitmap *bm2, uint64_t first, uint64_t end,
		    uint64_t *counter, struct vs_dump_stats *st)
{
	uint64_t n = clear_kept(c, bm2, first, end, st, counter != NULL, st && counter == &st->excl_free);
	if (counter)
		*counter += n;
	uint64_t wend = bm2->start + bm2->npfn;
	if (end > wend) {
		c->carry_start = wend;
		c->carry_end = end;
		c->carry_counter = counter;
	}
}

enum verdict { KEEP, EXCL_FREE, EXCL_CACHE, EXCL_CACHE_PRIVATE, EXCL_USER, EXCL_HWPOISON, EXCL_OFFLINE,
	       EXCL_PRIVATE_MAGIC };

static uint64_t *counter_for(struct vs_dump_stats *st, enum verdict v)
{
	if (!st)
		return NULL;
	switch (v) {
	case EXCL_FREE: return &st->excl_free;
	case EXCL_CACHE: return &st->excl_cache;
	case EXCL_CACHE_PRIVATE: return &st->excl_cache_private;
	case EXCL_USER: return &st->excl_user;
	case EXCL_HWPOISON: return &st->excl_hwpoison;
	case EXCL_OFFLINE: return &st->excl_offline;
	case EXCL_PRIVATE_MAGIC: return &st->excl_private_magic;
	case KEEP: break;
	}
	return NULL;
}

/* 6.12+ page types are 0xf0..0xf8 in the top byte; other 0xf9..0xfe values are new to us. */
static void note_unknown_type(const struct vs_page_layout *pl, const struct page_view *v, uint64_t pfn,
			      struct vs_dump_stats *st)
{
	unsigned top = v->mapcount >> 24;
	if (st && pl->type_top_byte && top >= 0xf9 && top <= 0xfe) {
		if (!st->unknown_type_pages)
			st->unknown_type_pfn = pfn;
		st->unknown_type_pages++;
	}
}

/*
 * A pointer the kernel stores in page->mapping (low bits are PAGE_MAPPING_*
 * flags).  Neighbouring pages mostly share their mapping: the last good one
 * is remembered.
 */
static bool bad_pointer(struct vs_classifier *c, uint64_t mapping)
{
	uint64_t ptr = mapping & ~3ull;
	if (!ptr || ptr == c->good_mapping)
		return false;
	if (!vs_kernel_is_kernel_addr(c->s->kernel, vs_kernel_untag(c->s->kernel, ptr)))
		return true;
	c->good_mapping = ptr;
	return false;
}

/*
 * --private-page-filter, after makedumpfile's rules: a page that none of
 * them leaves out but whose page->private holds a value a subsystem tags
 * its pages with (ZFS's ARC data).  Slab pages reuse that word, so never.
 */
static bool is_magic(const struct vs_classifier *c, const struct page_view *v)
{
	for (size_t i = 0; i < c->nmagic && !v->slab; i++)
		if (v->private == c->magic[i])
			return true;
	return false;
}

/*
 * Keep-when-unsure: struct page contents no healthy kernel writes -- a free
 * page on an LRU list, a page-cache or anonymous page whose mapping points
 * outside the kernel.  (A slab page's mapping word is its kmem_cache, so
 * PG_slab with a mapping is normal and not tested.)  The page is kept.
 */
static bool inconsistent(struct vs_classifier *c, const struct page_view *v, enum verdict verdict)
{
	const struct vs_page_layout *pl = &c->pl;
	bool lru = flag(v->flags, pl->pg_lru);
	bool buddy = type_is(pl, v->mapcount, pl->has_buddy, pl->buddy) || flag(v->flags, pl->pg_buddy);
	if (verdict == EXCL_FREE)
		return lru;
	return (buddy && lru) || bad_pointer(c, v->mapping);
}

static void count_inconsistent(struct vs_dump_stats *st, uint64_t pfn, uint64_t n)
{
	if (!st)
		return;
	if (!st->kept_inconsistent)
		st->kept_inconsistent_pfn = pfn;
	st->kept_inconsistent += n;
}

/*
 * makedumpfile's rules (docs/compat.md), first match wins.  Returns how many
 * pfns the decision covers: a free block or compound page as a whole.
 */
static uint64_t classify_page(struct vs_classifier *c, struct vs_bitmap *bm2, uint64_t pfn,
			      const uint8_t *p, const uint8_t *next, uint64_t vaddr, struct vs_dump_stats *st)
{
	const struct vs_page_layout *pl = &c->pl;
	const struct vs_kernel *k = c->s->kernel;
	if (pl->off_compound_head != VS_NO_FIELD && (vs_kernel_ld_long(k, p + pl->off_compound_head) & 1))
		return 1;  /* a tail page: decided with its head */
	struct page_view v;
	read_view(k, pl, p, &v);
	uint64_t nr = 1;
	bool hugetlb = false, tail_ok = true;
	if (pl->head_mask && (v.flags & pl->head_mask)) {
		unsigned order;
		compound_info(c, vaddr, next, &v, pfn, &order, &hugetlb, &tail_ok);
		nr = 1ull << order;
	}
	bool anon = (v.mapping & 1) && !v.slab;
	bool cache = is_cache(pl, v.flags) && !anon;
	bool priv = flag(v.flags, pl->pg_private);
	int L = c->level;
	enum verdict verdict = KEEP;
	if ((L & VS_DL_FREE) && pl->buddy_in_memmap && !v.slab &&
	    (type_is(pl, v.mapcount, pl->has_buddy, pl->buddy) || flag(v.flags, pl->pg_buddy))) {
		if (v.private >= pl->max_order) {
			if (st && !st->bad_buddy_pages++)
				st->bad_buddy_pfn = pfn;
			return 1;  /* a free block larger than MAX_ORDER: corrupt, keep it */
		}
		nr = 1ull << v.private;
		verdict = EXCL_FREE;
	} else if ((L & VS_DL_FREE) && type_is(pl, v.mapcount, pl->has_unaccepted, pl->unaccepted)) {
		nr = 1ull << (pl->max_order - 1);
		verdict = EXCL_FREE;
	} else if ((L & VS_DL_CACHE) && cache && !priv) {
		verdict = EXCL_CACHE;
	} else if ((L & VS_DL_CACHE_PRIVATE) && cache) {
		verdict = priv ? EXCL_CACHE_PRIVATE : EXCL_CACHE;
	} else if ((L & VS_DL_USER) && (anon || hugetlb)) {
		verdict = EXCL_USER;
	} else if (flag(v.flags, pl->pg_hwpoison)) {
		verdict = EXCL_HWPOISON;
	} else if (!v.slab && type_is(pl, v.mapcount, pl->has_offline, pl->offline)) {
		verdict = EXCL_OFFLINE;
	}
	if (verdict == KEEP && is_magic(c, &v))
		verdict = EXCL_PRIVATE_MAGIC;
	if (verdict == KEEP) {
		note_unknown_type(pl, &v, pfn, st);
		return 1;
	}
	if (verdict <= EXCL_USER && (!tail_ok || inconsistent(c, &v, verdict))) {
		count_inconsistent(st, pfn, nr);
		return nr;  /* the block or compound stays marked as a whole */
	}
	exclude(c, bm2, pfn, pfn + nr, counter_for(st, verdict), st);
	return nr;
}

/* Finishes an exclusion carried over from the previous cycle; returns where scanning starts. */
static uint64_t apply_carry(struct vs_classifier *c, struct vs_bitmap *bm2, struct vs_dump_stats *st)
{
	uint64_t start = bm2->start, end = start + bm2->npfn;
	if (c->carry_end <= start) {
		c->carry_end = 0;
		return start;
	}
	uint64_t stop = c->carry_end < end ? c->carry_end : end;
	uint64_t n = clear_kept(c, bm2, start, stop, st, st != NULL, st && c->carry_counter == &st->excl_free);
	if (st && c->carry_counter)
		*c->carry_counter += n;
	if (c->carry_end <= end)
		c->carry_end = 0;
	return stop;
}

/* Gets n struct pages starting at vaddr: mapped in place when contiguous, else copied. */
static struct vs_err *struct_pages(struct vs_classifier *c, uint64_t vaddr, uint64_t max_pages,
				   const uint8_t **arr, uint64_t *n)
{
	uint64_t paddr, span;
	struct vs_err *err = vs_kernel_vtop_span(c->s->kernel, vaddr, &paddr, &span);
	if (err)
		return err;
	uint64_t cap = CHUNK_BYTES / c->pl.size;
	*n = span / c->pl.size;
	if (*n > max_pages)
		*n = max_pages;
	if (*n > cap)
		*n = cap;
	if (*n)
		return vs_vmcore_map_phys(c->s->vc, paddr, (size_t)(*n * c->pl.size), c->buf, arr);
	*n = 1;  /* a struct page straddling two mappings */
	*arr = c->buf;
	return vs_kernel_read_virt(c->s->kernel, vaddr, c->buf, c->pl.size);
}

/*
 * Struct pages that do not translate or read (a vmemmap hole, a damaged
 * table; makedumpfile stops there): the pages they describe are kept, and
 * the first such section is remembered with the reason for the warning.
 */
static void note_unreadable(struct vs_dump_stats *st, const struct vs_bitmap *bm1, uint64_t sec, uint64_t pfn,
			    uint64_t end, uint64_t vaddr, struct vs_err *err)
{
	uint64_t n = 0;
	for (uint64_t p = pfn; p < end; p++)  /* the pages kept for it: those in the dump */
		n += vs_bit_test(bm1, p);
	if (st && !st->memmap_unreadable) {
		st->memmap_unreadable_pfn = pfn;
		st->memmap_unreadable_sec = sec;
		st->memmap_unreadable_sec_end = end;
		st->memmap_unreadable_vaddr = vaddr;
		snprintf(st->memmap_unreadable_why, sizeof(st->memmap_unreadable_why), "%s", err->msg);
	}
	if (st && (!st->memmap_unreadable || st->memmap_unreadable_last_sec != sec)) {
		st->memmap_unreadable_sections++;
		st->memmap_unreadable_last_sec = sec;
	}
	if (st)
		st->memmap_unreadable += n;
	vs_err_free(err);
}

struct vs_err *vs_classify_cycle(struct vs_classifier *c, const struct vs_bitmap *bm1,
				 struct vs_bitmap *bm2, struct vs_dump_stats *st)
{
	uint64_t end = bm2->start + bm2->npfn;
	uint64_t pfn = apply_carry(c, bm2, st);
	unsigned shift = c->mm.section_pfn_shift;
	while (pfn < end) {
		pfn = vs_bitmap_next(bm1, pfn);
		if (pfn == UINT64_MAX || pfn >= end)
			break;
		uint64_t sec = pfn >> shift;
		if (sec >= c->mm.nsections)
			break;
		uint64_t sec_end = (sec + 1) << shift;
		if (sec_end > end)
			sec_end = end;
		if (!c->mm.mem_map[sec] || pfn >= vs_memmap_end(&c->mm, sec)) {  /* no struct pages: kept */
			pfn = sec_end;
			continue;
		}
		if (sec_end > vs_memmap_end(&c->mm, sec))  /* DISCONTIGMEM: a node's last section */
			sec_end = vs_memmap_end(&c->mm, sec);
		uint64_t vaddr = c->mm.mem_map[sec] + (pfn - (sec << shift)) * c->pl.size;
		const uint8_t *arr;
		uint64_t n;
		struct vs_err *err = struct_pages(c, vaddr, sec_end - pfn, &arr, &n);
		if (err) {  /* unmapped or unreadable struct pages: keep the rest of the section */
			note_unreadable(st, bm1, sec, pfn, sec_end, vaddr, err);
			pfn = sec_end;
			continue;
		}
		uint64_t i = 0;
		while (i < n) {
			if (!vs_bit_test(bm1, pfn + i)) {
				i++;
				continue;
			}
			const uint8_t *p = arr + i * c->pl.size;
			i += classify_page(c, bm2, pfn + i, p, i + 1 < n ? p + c->pl.size : NULL,
					   vaddr + i * c->pl.size, st);
		}
		pfn += i;
	}
	if (c->fl) {  /* after the struct page rules, as makedumpfile does; never the startup set */
		uint64_t n = 0;
		struct vs_err *err = vs_startup_save(&c->startup, bm2);
		if (!err)
			err = vs_freelist_apply(c->fl, bm2, &n);
		if (err)
			return err;
		n -= vs_startup_restore(&c->startup, bm2, st ? st->kept_startup : NULL);
		if (st)
			st->excl_free += n;
	}
	return NULL;
}
