// SPDX-License-Identifier: GPL-2.0-or-later
#include "early.h"

#include <stdlib.h>

static struct vs_err *grow(struct vs_early *e)
{
	size_t cap = e->cap ? e->cap * 2 : 1024;
	if (cap > VS_EARLY_MAX_PAGES)
		cap = VS_EARLY_MAX_PAGES;
	uint64_t *p = realloc(e->pfn, cap * sizeof(*p));
	if (!p)
		return vs_enomem;
	e->pfn = p;
	uint64_t *r = realloc(e->rank, cap * sizeof(*r));
	if (!r)
		return vs_enomem;
	e->rank = r;
	e->cap = cap;
	return NULL;
}

struct vs_err *vs_early_collect(struct vs_early *e, const struct vs_startup *set, const struct vs_bitmap *bm2,
				uint64_t rank0)
{
	uint64_t lo = bm2->start, hi = bm2->start + bm2->npfn, at = lo, rank = rank0;
	for (size_t i = 0; i < set->n && !e->full; i++) {
		uint64_t a = set->r[i].start > lo ? set->r[i].start : lo;
		uint64_t b = set->r[i].end < hi ? set->r[i].end : hi;
		/* Bit by bit: the set is small, and vs_bitmap_next could scan far past b. */
		for (uint64_t pfn = a; pfn < b; pfn++) {
			if (!vs_bit_test(bm2, pfn))
				continue;
			if (e->n == VS_EARLY_MAX_PAGES) {
				e->full = true;
				break;
			}
			struct vs_err *err = e->n == e->cap ? grow(e) : NULL;
			if (err)
				return err;
			rank += vs_bitmap_count_range(bm2, at, pfn);
			at = pfn;
			e->pfn[e->n] = pfn;
			e->rank[e->n++] = rank;
		}
	}
	return NULL;
}

void vs_early_free(struct vs_early *e)
{
	free(e->pfn);
	free(e->rank);
	*e = (struct vs_early){ 0 };
}
