// SPDX-License-Identifier: GPL-2.0-or-later
#include "ranges.h"

#include <stdlib.h>

int vs_ranges_add(struct vs_ranges *rl, uint64_t start, uint64_t end)
{
	if (start >= end)
		return 0;
	if (rl->n && start <= rl->r[rl->n - 1].end && start >= rl->r[rl->n - 1].start) {
		if (end > rl->r[rl->n - 1].end)
			rl->r[rl->n - 1].end = end;
		return 0;
	}
	if (rl->n == rl->cap) {
		size_t cap = rl->cap ? rl->cap * 2 : 64;
		struct vs_range *r = realloc(rl->r, cap * sizeof(*r));
		if (!r)
			return -1;
		rl->r = r;
		rl->cap = cap;
	}
	rl->r[rl->n++] = (struct vs_range){ start, end };
	rl->sorted = 0;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct vs_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void vs_ranges_finish(struct vs_ranges *rl)
{
	if (!rl->n)
		return;
	qsort(rl->r, rl->n, sizeof(*rl->r), cmp_range);
	size_t w = 0;
	for (size_t i = 1; i < rl->n; i++) {
		if (rl->r[i].start <= rl->r[w].end) {
			if (rl->r[i].end > rl->r[w].end)
				rl->r[w].end = rl->r[i].end;
		} else {
			rl->r[++w] = rl->r[i];
		}
	}
	rl->n = w + 1;
	rl->sorted = 1;
}

size_t vs_ranges_first(const struct vs_ranges *rl, uint64_t pfn)
{
	size_t lo = 0, hi = rl->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rl->r[mid].end <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t vs_ranges_total(const struct vs_ranges *rl)
{
	uint64_t t = 0;
	for (size_t i = 0; i < rl->n; i++)
		t += rl->r[i].end - rl->r[i].start;
	return t;
}

void vs_ranges_free(struct vs_ranges *rl)
{
	free(rl->r);
	*rl = (struct vs_ranges){ 0 };
}
