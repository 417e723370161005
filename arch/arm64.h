// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 page-table geometry and descriptor decoding: pure functions of
 * (granule, VA size, descriptor format), kept apart from the ops table so
 * that tests/unit can check them without a dump.
 */
#ifndef VMSIFT_ARCH_ARM64_H
#define VMSIFT_ARCH_ARM64_H

#include <stddef.h>
#include <stdint.h>

enum arm64_fmt {
	ARM64_FMT_PLAIN,  /* PA[47:page_shift] */
	ARM64_FMT_LPA,    /* 64K: PA[47:16], PA[51:48] in bits 15:12 */
	ARM64_FMT_LPA2,   /* 4K/16K, 52-bit VA active: PA[49:page_shift], PA[51:50] in bits 9:8 */
};

struct arm64_geom {
	unsigned page_shift;
	unsigned va_bits;          /* configured (NUMBER(VA_BITS)) */
	unsigned va_min;           /* VA_BITS_MIN: what a 52-bit build falls back to */
	unsigned walk_bits;        /* the VA size swapper_pg_dir is laid out for */
	unsigned bits_per_level;
	unsigned levels;
	unsigned max_block_shift;  /* the largest block a descriptor may map */
	enum arm64_fmt fmt;
};

/* NULL, or why the combination is no arm64 kernel's (written into why). */
const char *vs_arm64_geom_init(struct arm64_geom *g, unsigned page_shift, unsigned va_bits, unsigned va_actual,
			       char *why, size_t why_size);
unsigned vs_arm64_level_shift(const struct arm64_geom *g, unsigned level);
uint64_t vs_arm64_index(const struct arm64_geom *g, unsigned level, uint64_t vaddr);
uint64_t vs_arm64_desc_addr(const struct arm64_geom *g, uint64_t desc);

#endif
