// SPDX-License-Identifier: GPL-2.0-or-later
#include "filter.h"

static uint64_t pfn_up(uint64_t addr, unsigned shift)
{
	return (addr >> shift) + ((addr & ((1ull << shift) - 1)) != 0);
}

/* The 1st bitmap: every pfn a PT_LOAD touches, partial pages included. */
static void mark_present(const struct vs_vmcore *vc, unsigned shift, struct vs_bitmap *bm1)
{
	for (size_t i = 0; i < vc->nloads; i++) {
		const struct vs_load *l = &vc->loads[i];
		vs_bitmap_set_range(bm1, l->paddr >> shift, pfn_up(l->paddr + l->memsz, shift));
	}
}

/*
 * A page a segment ends inside of is RAM only in part; makedumpfile 1.7.2
 * lists it in the 1st bitmap but does not dump it, and so do we, unless
 * another segment supplies the whole page.
 */
static void drop_partial_tails(const struct vs_vmcore *vc, unsigned shift, struct vs_bitmap *bm2)
{
	uint64_t psize = 1ull << shift;
	for (size_t i = 0; i < vc->nloads; i++) {
		const struct vs_load *l = &vc->loads[i];
		uint64_t end = l->paddr + l->memsz;
		if (!(end & (psize - 1)))
			continue;
		uint64_t pfn = end >> shift;
		if (pfn >= bm2->start && pfn < bm2->start + bm2->npfn &&
		    vs_vmcore_page_src(vc, pfn << shift, psize) != VS_PAGE_FULL)
			vs_bit_clear(bm2, pfn);
	}
}

/*
 * Pages without file data: memsz > filesz (a dump made by makedumpfile -E,
 * where excluded memory is the zero tail of a segment) and pages the headers
 * claim but a truncated file lacks.
 */
static void drop_missing(const struct vs_vmcore *vc, unsigned shift, struct vs_bitmap *bm2,
			 struct vs_dump_stats *c)
{
	for (size_t i = 0; i < vc->npieces; i++) {
		const struct vs_piece *p = &vc->pieces[i];
		uint64_t fend = p->paddr + p->filesz, lend = fend + p->lostsz, end = p->paddr + p->memsz;
		if (p->lostsz) {
			uint64_t first = fend >> shift;
			uint64_t n = vs_bitmap_clear_range_count(bm2, first, pfn_up(lend, shift));
			if (c && n) {
				if (!c->lost)
					c->lost_first_pfn = first;
				c->lost += n;
			}
		}
		if (end > lend) {
			uint64_t n = vs_bitmap_clear_range_count(bm2, pfn_up(lend, shift), end >> shift);
			if (c)
				c->excl_nodata += n;
		}
	}
}

struct vs_err *vs_filter_cycle(struct vs_session *s, struct vs_classifier *cls,
			       struct vs_bitmap *bm1, struct vs_bitmap *bm2,
			       struct vs_dump_stats *counts)
{
	unsigned shift = s->kernel->page_shift;
	mark_present(s->vc, shift, bm1);
	vs_bitmap_copy(bm2, bm1);
	drop_partial_tails(s->vc, shift, bm2);
	drop_missing(s->vc, shift, bm2, counts);
	return cls ? vs_classify_cycle(cls, bm1, bm2, counts) : NULL;
}
