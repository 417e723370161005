// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/bitmap.h"

#include <stdlib.h>
#include <string.h>

int vs_bitmap_alloc(struct vs_bitmap *bm, uint64_t cap)
{
	size_t nwords = (size_t)((cap + 63) / 64);
	bm->w = calloc(nwords ? nwords : 1, sizeof(uint64_t));
	bm->nwords = nwords;
	bm->start = 0;
	bm->npfn = cap;
	return bm->w ? 0 : -1;
}

void vs_bitmap_free(struct vs_bitmap *bm)
{
	free(bm->w);
	bm->w = NULL;
}

void vs_bitmap_reset(struct vs_bitmap *bm, uint64_t start, uint64_t npfn)
{
	bm->start = start;
	bm->npfn = npfn;
	memset(bm->w, 0, (size_t)((npfn + 63) / 64) * 8);
}

static void clip(const struct vs_bitmap *bm, uint64_t *first, uint64_t *end)
{
	uint64_t wend = bm->start + bm->npfn;
	if (*first < bm->start)
		*first = bm->start;
	if (*end > wend)
		*end = wend;
}

static void apply_range(struct vs_bitmap *bm, uint64_t first, uint64_t end, bool set)
{
	clip(bm, &first, &end);
	if (first >= end)
		return;
	uint64_t a = first - bm->start, b = end - bm->start;
	while (a < b && (a & 63)) {
		uint64_t m = 1ull << (a & 63);
		bm->w[a >> 6] = set ? bm->w[a >> 6] | m : bm->w[a >> 6] & ~m;
		a++;
	}
	if (a + 64 <= b) {
		size_t n = (size_t)((b - a) >> 6);
		memset(&bm->w[a >> 6], set ? 0xff : 0, n * 8);
		a += (uint64_t)n << 6;
	}
	while (a < b) {
		uint64_t m = 1ull << (a & 63);
		bm->w[a >> 6] = set ? bm->w[a >> 6] | m : bm->w[a >> 6] & ~m;
		a++;
	}
}

void vs_bitmap_set_range(struct vs_bitmap *bm, uint64_t first, uint64_t end)
{
	apply_range(bm, first, end, true);
}

void vs_bitmap_clear_range(struct vs_bitmap *bm, uint64_t first, uint64_t end)
{
	apply_range(bm, first, end, false);
}

uint64_t vs_bitmap_count(const struct vs_bitmap *bm)
{
	uint64_t n = 0, full = bm->npfn >> 6;
	for (uint64_t i = 0; i < full; i++)
		n += (uint64_t)__builtin_popcountll(bm->w[i]);
	if (bm->npfn & 63)
		n += (uint64_t)__builtin_popcountll(bm->w[full] & ((1ull << (bm->npfn & 63)) - 1));
	return n;
}

uint64_t vs_bitmap_count_range(const struct vs_bitmap *bm, uint64_t first, uint64_t end)
{
	uint64_t lim = bm->start + bm->npfn;
	if (first < bm->start)
		first = bm->start;
	if (end > lim)
		end = lim;
	if (first >= end)
		return 0;
	uint64_t a = first - bm->start, b = end - bm->start, n = 0;
	uint64_t wa = a >> 6, wb = b >> 6;
	uint64_t head = ~0ull << (a & 63), tail = (b & 63) ? (1ull << (b & 63)) - 1 : 0;
	if (wa == wb)
		return (uint64_t)__builtin_popcountll(bm->w[wa] & head & tail);
	n += (uint64_t)__builtin_popcountll(bm->w[wa] & head);
	for (uint64_t i = wa + 1; i < wb; i++)
		n += (uint64_t)__builtin_popcountll(bm->w[i]);
	if (tail)
		n += (uint64_t)__builtin_popcountll(bm->w[wb] & tail);
	return n;
}

void vs_bitmap_copy(struct vs_bitmap *dst, const struct vs_bitmap *src)
{
	dst->start = src->start;
	dst->npfn = src->npfn;
	memcpy(dst->w, src->w, (size_t)((src->npfn + 63) / 64) * 8);
}

uint64_t vs_bitmap_next(const struct vs_bitmap *bm, uint64_t pfn)
{
	if (pfn < bm->start)
		pfn = bm->start;
	uint64_t end = bm->start + bm->npfn;
	if (pfn >= end)
		return UINT64_MAX;
	uint64_t i = pfn - bm->start;
	uint64_t w = bm->w[i >> 6] & (~0ull << (i & 63));
	uint64_t wi = i >> 6, nw = (bm->npfn + 63) >> 6;
	for (;;) {
		if (w) {
			uint64_t r = bm->start + (wi << 6) + (uint64_t)__builtin_ctzll(w);
			return r < end ? r : UINT64_MAX;
		}
		if (++wi >= nw)
			return UINT64_MAX;
		w = bm->w[wi];
	}
}

void vs_bitmap_bytes(const struct vs_bitmap *bm, uint8_t *out)
{
	size_t nbytes = (size_t)((bm->npfn + 7) / 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(out, bm->w, nbytes);
#else
	for (size_t i = 0; i < nbytes; i++)
		out[i] = (uint8_t)(bm->w[i >> 3] >> ((i & 7) * 8));
#endif
	if (bm->npfn & 7)
		out[nbytes - 1] &= (uint8_t)((1u << (bm->npfn & 7)) - 1);
}

const uint8_t *vs_bitmap_file_bytes(struct vs_bitmap *bm, uint8_t *out)
{
	if (vs_bitmap_needs_copy()) {
		vs_bitmap_bytes(bm, out);
		return out;
	}
	if (bm->npfn & 63)
		bm->w[bm->npfn >> 6] &= (1ull << (bm->npfn & 63)) - 1;
	return (const uint8_t *)bm->w;
}

bool vs_bitmap_needs_copy(void)
{
	return __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__;
}

uint64_t vs_bitmap_clear_range_count(struct vs_bitmap *bm, uint64_t first, uint64_t end)
{
	clip(bm, &first, &end);
	uint64_t n = 0;
	for (uint64_t p = first; p < end;) {
		uint64_t i = p - bm->start, bit = i & 63;
		uint64_t span = 64 - bit;
		if (span > end - p)
			span = end - p;
		uint64_t mask = (span == 64 ? ~0ull : ((1ull << span) - 1)) << bit;
		n += (uint64_t)__builtin_popcountll(bm->w[i >> 6] & mask);
		bm->w[i >> 6] &= ~mask;
		p += span;
	}
	return n;
}
