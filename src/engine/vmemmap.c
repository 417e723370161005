// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmemmap.h"

#include "../util/bytes.h"

/* Every pfn in [first, end) is present (bm1) and excluded (not in bm2). */
static bool all_excluded(const struct vs_bitmap *bm1, const struct vs_bitmap *bm2, uint64_t first, uint64_t end)
{
	for (uint64_t p = first; p < end;) {
		uint64_t i = p - bm1->start;
		if (!(i & 63) && end - p >= 64) {  /* a whole word at once */
			if (bm1->w[i >> 6] != ~0ull || bm2->w[i >> 6])
				return false;
			p += 64;
			continue;
		}
		if (!vs_bit_test(bm1, p) || vs_bit_test(bm2, p))
			return false;
		p++;
	}
	return true;
}

struct leaf_cache {
	uint64_t va, len, pa;
};

static struct vs_err *backing_pfn(struct vs_classifier *c, struct leaf_cache *lc, uint64_t va, uint64_t *pfn)
{
	if (!(lc->len && va >= lc->va && va - lc->va < lc->len)) {
		uint64_t pa, span;
		struct vs_err *err = vs_kernel_vtop_span(c->s->kernel, va, &pa, &span);
		if (err)
			return err;
		*lc = (struct leaf_cache){ va, span, pa };
	}
	*pfn = (lc->pa + (va - lc->va)) >> c->s->kernel->page_shift;
	return NULL;
}

static struct vs_err *collect_section(struct vs_classifier *c, uint64_t sec, uint64_t first, uint64_t end,
				      const struct vs_bitmap *bm1, const struct vs_bitmap *bm2,
				      struct leaf_cache *lc, struct vs_ranges *out)
{
	uint64_t psize = c->s->kernel->page_size, sz = c->pl.size;
	uint64_t sec_start = sec << c->mm.section_pfn_shift, map = c->mm.mem_map[sec];
	uint64_t va0 = map + (first - sec_start) * sz, va1 = map + (end - sec_start) * sz;
	uint64_t vp;
	/* A corrupt mem_map near the top of the address space must not wrap the walk around. */
	if (va1 < va0 || !vs_add_ok(va0, psize - 1, &vp))
		return NULL;
	/* Only vmemmap pages wholly inside this window: a page shared with another window is kept. */
	for (vp &= ~(psize - 1); vp <= va1 && va1 - vp >= psize; vp += psize) {
		uint64_t p0 = sec_start + (vp - map) / sz;
		uint64_t p1 = sec_start + (vp + psize - map + sz - 1) / sz;
		if (p0 < first || p1 > end || !all_excluded(bm1, bm2, p0, p1))
			continue;
		uint64_t pfn;
		struct vs_err *err = backing_pfn(c, lc, vp, &pfn);
		if (err) {
			vs_err_free(err);  /* unmapped vmemmap: nothing to leave out */
			continue;
		}
		if (vs_ranges_add(out, pfn, pfn + 1))
			return vs_enomem;
	}
	return NULL;
}

struct vs_err *vs_vmemmap_collect(struct vs_classifier *c, const struct vs_bitmap *bm1,
				  const struct vs_bitmap *bm2, struct vs_ranges *out)
{
	uint64_t start = bm1->start, end = start + bm1->npfn;
	unsigned shift = c->mm.section_pfn_shift;
	struct leaf_cache lc = { 0 };
	for (uint64_t sec = start >> shift; sec < c->mm.nsections && (sec << shift) < end; sec++) {
		if (!c->mm.mem_map[sec])
			continue;
		uint64_t first = sec << shift > start ? sec << shift : start;
		uint64_t last = (sec + 1) << shift < end ? (sec + 1) << shift : end;
		struct vs_err *err = collect_section(c, sec, first, last, bm1, bm2, &lc, out);
		if (err)
			return err;
	}
	return NULL;
}

uint64_t vs_vmemmap_apply(const struct vs_ranges *rl, struct vs_bitmap *bm2)
{
	uint64_t start = bm2->start, end = start + bm2->npfn, n = 0;
	for (size_t i = vs_ranges_first(rl, start); i < rl->n && rl->r[i].start < end; i++)
		n += vs_bitmap_clear_range_count(bm2, rl->r[i].start, rl->r[i].end);
	return n;
}
