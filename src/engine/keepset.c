// SPDX-License-Identifier: GPL-2.0-or-later
#include "keepset.h"

#include <stdlib.h>

struct vs_err *vs_keepset_add(struct vs_keepset *ks, uint64_t pfn)
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 256;
		uint64_t *p = realloc(ks->pfn, cap * sizeof(*p));
		if (!p)
			return vs_enomem;
		ks->pfn = p;
		ks->cap = cap;
	}
	ks->pfn[ks->n++] = pfn;
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void vs_keepset_finish(struct vs_keepset *ks)
{
	if (!ks->n)
		return;
	qsort(ks->pfn, ks->n, sizeof(*ks->pfn), cmp_u64);
	size_t k = 1;
	for (size_t i = 1; i < ks->n; i++)
		if (ks->pfn[i] != ks->pfn[k - 1])
			ks->pfn[k++] = ks->pfn[i];
	ks->n = k;
}

void vs_keepset_free(struct vs_keepset *ks)
{
	free(ks->pfn);
	*ks = (struct vs_keepset){ 0 };
}

/* Index of the first kept pfn >= pfn. */
static size_t lower_bound(const struct vs_keepset *ks, uint64_t pfn)
{
	size_t lo = 0, hi = ks->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ks->pfn[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t vs_keepset_clear_range_with(const struct vs_keepset *ks, struct vs_bitmap *bm2, uint64_t first,
				     uint64_t end, uint64_t *kept, vs_keepset_clear_fn clear, void *arg,
				     uint64_t *clear_kept)
{
	uint64_t wend = bm2->start + bm2->npfn, from = first, n = 0;
	if (end > wend)
		end = wend;
	for (size_t i = ks ? lower_bound(ks, first) : 0; ks && i < ks->n && ks->pfn[i] < end; i++) {
		uint64_t p = ks->pfn[i];
		if (from < p)
			n += clear(arg, bm2, from, p, clear_kept);
		from = p + 1;
		if (kept && p >= bm2->start && vs_bit_test(bm2, p))
			++*kept;
	}
	if (from < end)
		n += clear(arg, bm2, from, end, clear_kept);
	return n;
}

static uint64_t plain_clear(void *arg, struct vs_bitmap *bm2, uint64_t first, uint64_t end, uint64_t *kept)
{
	(void)arg;
	(void)kept;
	return vs_bitmap_clear_range_count(bm2, first, end);
}

uint64_t vs_keepset_clear_range(const struct vs_keepset *ks, struct vs_bitmap *bm2, uint64_t first,
				uint64_t end, uint64_t *kept)
{
	return vs_keepset_clear_range_with(ks, bm2, first, end, kept, plain_clear, NULL, NULL);
}
