// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources: src/engine/early.c src/bitmap/bitmap.c src/util/error.c
/*
 * Startup pages written first: vs_bitmap_count_range counts the set bits of
 * any [first, end) (word edges, clipping to the window), and vs_early_collect
 * gives each kept pfn of the startup set its rank among all kept pfns, across
 * cycles (rank0 carries the earlier cycles' count), skipping set pfns the
 * bitmap leaves out, and stops at VS_EARLY_MAX_PAGES with full set.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/engine/early.h"

static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

static uint64_t brute_count(const struct vs_bitmap *bm, uint64_t first, uint64_t end)
{
	uint64_t n = 0;
	for (uint64_t p = first; p < end; p++)
		n += p >= bm->start && p < bm->start + bm->npfn && vs_bit_test(bm, p);
	return n;
}

static void test_count_range(void)
{
	struct vs_bitmap bm;
	expect(vs_bitmap_alloc(&bm, 4096) == 0, "bitmap");
	vs_bitmap_reset(&bm, 640, 1000);
	srand(7);
	for (uint64_t p = 640; p < 1640; p++)
		if (rand() % 3 == 0)
			vs_bit_set(&bm, p);
	int bad = 0;
	for (uint64_t a = 600; a < 1700; a += 7)
		for (uint64_t b = a; b < 1700; b += 13)
			bad += vs_bitmap_count_range(&bm, a, b) != brute_count(&bm, a, b);
	expect(!bad, "count_range equals a bit-by-bit count for every [a, b), inside, across and past the window");
	expect(vs_bitmap_count_range(&bm, 640, 1640) == vs_bitmap_count(&bm), "the whole window: vs_bitmap_count");
	expect(vs_bitmap_count_range(&bm, 900, 900) == 0 && vs_bitmap_count_range(&bm, 900, 800) == 0,
	       "empty and reversed ranges count 0");
	vs_bitmap_free(&bm);
}

static void test_collect(void)
{
	struct vs_keep_range r[] = { { 5, 9, 0 }, { 70, 75, 0 }, { 126, 134, 0 } };
	struct vs_startup set = { .r = r, .n = 3 };
	struct vs_bitmap bm;
	expect(vs_bitmap_alloc(&bm, 128) == 0, "bitmap");
	struct vs_early e = { 0 };
	uint64_t kept_before = 0;
	/* Two cycles of 128 pfns: every pfn kept but multiples of 4. */
	for (uint64_t start = 0; start < 256; start += 128) {
		vs_bitmap_reset(&bm, start, 128);
		for (uint64_t p = start; p < start + 128; p++)
			if (p % 4)
				vs_bit_set(&bm, p);
		expect(!vs_early_collect(&e, &set, &bm, kept_before), "collect one cycle");
		kept_before += vs_bitmap_count(&bm);
	}
	/* Set pfns kept: 5 6 7, 70 71 73 74, 126 127 | 129 130 131 133. */
	static const uint64_t want[] = { 5, 6, 7, 70, 71, 73, 74, 126, 127, 129, 130, 131, 133 };
	int ok = e.n == sizeof(want) / sizeof(want[0]);
	for (size_t i = 0; ok && i < e.n; i++) {
		uint64_t rank = want[i] - want[i] / 4 - 1;  /* kept pfns below p: p less the multiples of 4 up to p */
		ok = e.pfn[i] == want[i] && e.rank[i] == rank;
	}
	expect(ok, "the set's kept pfns in order, each ranked among all kept pfns, across the cycle boundary");
	expect(!e.full, "not full");
	vs_early_free(&e);

	/* More than VS_EARLY_MAX_PAGES: the first ones, then full. */
	struct vs_keep_range big = { 0, 200000, 0 };
	struct vs_startup bigset = { .r = &big, .n = 1 };
	struct vs_bitmap bm2;
	expect(vs_bitmap_alloc(&bm2, 200000) == 0, "big bitmap");
	vs_bitmap_reset(&bm2, 0, 200000);
	vs_bitmap_set_range(&bm2, 0, 200000);
	expect(!vs_early_collect(&e, &bigset, &bm2, 0), "collect a set larger than the cap");
	expect(e.full && e.n == VS_EARLY_MAX_PAGES && e.pfn[e.n - 1] == VS_EARLY_MAX_PAGES - 1 &&
	       e.rank[e.n - 1] == VS_EARLY_MAX_PAGES - 1, "capped at VS_EARLY_MAX_PAGES, the lowest pfns, full set");
	vs_early_free(&e);
	vs_bitmap_free(&bm2);
	vs_bitmap_free(&bm);
}

int main(void)
{
	test_count_range();
	test_collect();
	return failed;
}
