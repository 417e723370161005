// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A bitmap over a pfn window [start, start + npfn).  Bit order is the kdump
 * format's: pfn p is bit (p & 7) of byte p >> 3, which on a little-endian
 * host is bit (p & 63) of 64-bit word p >> 6.
 */
#ifndef VMSIFT_BITMAP_H
#define VMSIFT_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vs_bitmap {
	uint64_t *w;
	uint64_t start;  /* first pfn, a multiple of 64 */
	uint64_t npfn;   /* pfns covered (capacity may be larger) */
	size_t nwords;
};

int vs_bitmap_alloc(struct vs_bitmap *bm, uint64_t npfn_capacity);
void vs_bitmap_free(struct vs_bitmap *bm);
/* Re-targets the bitmap at a new window (start must be 64-aligned) and clears it. */
void vs_bitmap_reset(struct vs_bitmap *bm, uint64_t start, uint64_t npfn);

static inline bool vs_bit_test(const struct vs_bitmap *bm, uint64_t pfn)
{
	uint64_t i = pfn - bm->start;
	return bm->w[i >> 6] >> (i & 63) & 1;
}

static inline void vs_bit_set(struct vs_bitmap *bm, uint64_t pfn)
{
	uint64_t i = pfn - bm->start;
	bm->w[i >> 6] |= 1ull << (i & 63);
}

static inline void vs_bit_clear(struct vs_bitmap *bm, uint64_t pfn)
{
	uint64_t i = pfn - bm->start;
	bm->w[i >> 6] &= ~(1ull << (i & 63));
}

/* Ranges are clipped to the window. */
void vs_bitmap_set_range(struct vs_bitmap *bm, uint64_t first, uint64_t end);
void vs_bitmap_clear_range(struct vs_bitmap *bm, uint64_t first, uint64_t end);
uint64_t vs_bitmap_count(const struct vs_bitmap *bm);
/* Set bits among pfns [first, end), clipped to the bitmap's window. */
uint64_t vs_bitmap_count_range(const struct vs_bitmap *bm, uint64_t first, uint64_t end);
/* Clears [first, end) and returns how many of those bits were set. */
uint64_t vs_bitmap_clear_range_count(struct vs_bitmap *bm, uint64_t first, uint64_t end);
void vs_bitmap_copy(struct vs_bitmap *dst, const struct vs_bitmap *src);
/* Next set pfn >= pfn within the window, or UINT64_MAX. */
uint64_t vs_bitmap_next(const struct vs_bitmap *bm, uint64_t pfn);
/* Serialises the window in file byte order into out (npfn/8 rounded up bytes). */
void vs_bitmap_bytes(const struct vs_bitmap *bm, uint8_t *out);
/*
 * The window in file byte order without a copy where the host allows it:
 * on little-endian hosts the words already are that order, so the bits past
 * npfn are cleared in place and the words returned; elsewhere out (npfn/8
 * bytes, may be NULL on little-endian hosts) is filled and returned.
 */
const uint8_t *vs_bitmap_file_bytes(struct vs_bitmap *bm, uint8_t *out);
/* Whether vs_bitmap_file_bytes needs its out buffer on this host. */
bool vs_bitmap_needs_copy(void);

#endif
