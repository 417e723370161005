// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 page-table geometry and descriptor decoding (arm64.h): pure
 * functions, so that tests/unit checks them without a dump.
 */
#include <stdbool.h>
#include <stdio.h>

#include "arm64.h"

static bool valid_va(unsigned page_shift, unsigned va)
{
	switch (page_shift) {
	case 12: return va == 39 || va == 48 || va == 52;
	case 14: return va == 36 || va == 47 || va == 48 || va == 52;
	case 16: return va == 42 || va == 48 || va == 52;
	}
	return false;
}

/* The VA size a 52-bit build falls back to on a CPU without LPA2 / LVA. */
static unsigned fallback_va(unsigned page_shift)
{
	return page_shift == 14 ? 47 : 48;
}

const char *vs_arm64_geom_init(struct arm64_geom *g, unsigned page_shift, unsigned va_bits, unsigned va_actual,
			       char *why, size_t why_size)
{
	if (page_shift != 12 && page_shift != 14 && page_shift != 16)
		return snprintf(why, why_size, "a page size of 2^%u is not an arm64 granule (4K, 16K, 64K)",
				page_shift), why;
	if (!valid_va(page_shift, va_bits))
		return snprintf(why, why_size, "VA_BITS=%u is not a VA size of %uK-page arm64 kernels",
				va_bits, 1u << (page_shift - 10)), why;
	if (va_actual != va_bits && !(va_bits == 52 && va_actual == fallback_va(page_shift)))
		return snprintf(why, why_size, "a %u-bit VA at run time (TCR_EL1_T1SZ=%u) is impossible with VA_BITS=%u",
				va_actual, 64 - va_actual, va_bits), why;
	g->page_shift = page_shift;
	g->va_bits = va_bits;
	g->va_min = va_bits == 52 ? fallback_va(page_shift) : va_bits;
	/* 64K keeps swapper_pg_dir laid out for VA_BITS (TTBR1 is offset instead). */
	g->walk_bits = page_shift == 16 ? va_bits : va_actual;
	g->bits_per_level = page_shift - 3;
	g->levels = (g->walk_bits - page_shift + g->bits_per_level - 1) / g->bits_per_level;
	/* 64K: bits 15:12 are RES0 without LPA, so the LPA decoding fits every 64K table. */
	g->fmt = page_shift == 16 ? ARM64_FMT_LPA : g->walk_bits == 52 ? ARM64_FMT_LPA2 : ARM64_FMT_PLAIN;
	/* Largest blocks 1G / 32M / 512M; one level up (512G / 64G / 4T) with 52-bit output addresses. */
	g->max_block_shift = page_shift + (page_shift == 12 ? 2 : 1) * g->bits_per_level;
	if (g->fmt == ARM64_FMT_LPA2 || (page_shift == 16 && va_bits == 52))
		g->max_block_shift += g->bits_per_level;
	return NULL;
}

unsigned vs_arm64_level_shift(const struct arm64_geom *g, unsigned level)
{
	return g->page_shift + (g->levels - 1 - level) * g->bits_per_level;
}

/* Index of vaddr's entry in a table of the given level. */
uint64_t vs_arm64_index(const struct arm64_geom *g, unsigned level, uint64_t vaddr)
{
	unsigned shift = vs_arm64_level_shift(g, level);
	unsigned bits = level ? g->bits_per_level : g->walk_bits - shift;
	return (vaddr >> shift) & ((1ull << bits) - 1);
}

static uint64_t bit_range(unsigned hi, unsigned lo)
{
	return (~0ull >> (63 - hi)) & ~((1ull << lo) - 1);
}

/* The output address a descriptor holds (a table's, a page's or a block's base). */
uint64_t vs_arm64_desc_addr(const struct arm64_geom *g, uint64_t desc)
{
	switch (g->fmt) {
	case ARM64_FMT_LPA:
		return (desc & bit_range(47, 16)) | ((desc >> 12) & 0xf) << 48;
	case ARM64_FMT_LPA2:
		return (desc & bit_range(49, g->page_shift)) | ((desc >> 8) & 0x3) << 50;
	case ARM64_FMT_PLAIN:
		break;
	}
	return desc & bit_range(47, g->page_shift);
}
