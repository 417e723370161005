// SPDX-License-Identifier: GPL-2.0-or-later
#include "filter.h"

static uint64_t pfn_up(uint64_t addr, unsigned shift)
{
	return (addr >> shift) + ((addr & ((1ull << shift) - 1)) != 0);
}

/*
 * The 1st bitmap: a PT_LOAD covers pfns [paddr >> shift, (paddr + memsz) >> shift),
 * so a partial first page counts and a partial last page does not.  That is
 * makedumpfile's rule with in-memory bitmaps, its default and what runs on a
 * real /proc/vmcore (the x86_64 low segment ends at 0x9fc00); with bitmaps in a
 * file (--work-dir, or a tiny core) it counts the partial last page instead.
 */
static void mark_present(const struct vs_vmcore *vc, unsigned shift, struct vs_bitmap *bm1)
{
	for (size_t i = 0; i < vc->nloads; i++) {
		const struct vs_load *l = &vc->loads[i];
		vs_bitmap_set_range(bm1, l->paddr >> shift, (l->paddr + l->memsz) >> shift);
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

struct missing_ctx {
	struct vs_bitmap *bm2;
	struct vs_dump_stats *c;
};

/* kdump-compressed input: pages without data there stay out of the output, never zero-filled. */
static void drop_unbacked(void *arg, uint64_t pfn, uint64_t n, enum vs_page_src why)
{
	struct missing_ctx *m = arg;
	uint64_t k = vs_bitmap_clear_range_count(m->bm2, pfn, pfn + n);
	if (!m->c || !k)
		return;
	if (why == VS_PAGE_LOST) {
		if (!m->c->lost)
			m->c->lost_first_pfn = pfn;
		m->c->lost += k;
	} else {
		m->c->excl_nodata += k;
	}
}

struct vs_err *vs_filter_cycle(struct vs_session *s, struct vs_classifier *cls,
			       struct vs_bitmap *bm1, struct vs_bitmap *bm2,
			       struct vs_dump_stats *counts)
{
	unsigned shift = s->kernel->page_shift;
	mark_present(s->vc, shift, bm1);
	vs_bitmap_copy(bm2, bm1);
	drop_missing(s->vc, shift, bm2, counts);
	struct vs_err *err = cls ? vs_classify_cycle(cls, bm1, bm2, counts) : NULL;
	if (err)
		return err;
	/* After classifying: a page the level leaves out anyway counts in its category, as from the core. */
	struct missing_ctx m = { bm2, counts };
	return vs_vmcore_missing(s->vc, bm2->start, bm2->start + bm2->npfn, drop_unbacked, &m);
}
