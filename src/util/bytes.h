// SPDX-License-Identifier: GPL-2.0-or-later
/* Unaligned, endian-explicit loads and overflow-checked arithmetic. */
#ifndef VMSIFT_BYTES_H
#define VMSIFT_BYTES_H

#include <stdbool.h>
#include <stdint.h>

static inline uint16_t vs_ld16(const void *p, bool be)
{
	const uint8_t *b = p;
	return be ? (uint16_t)(b[0] << 8 | b[1]) : (uint16_t)(b[1] << 8 | b[0]);
}

static inline uint32_t vs_ld32(const void *p, bool be)
{
	const uint8_t *b = p;
	if (be)
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

static inline uint64_t vs_ld64(const void *p, bool be)
{
	const uint8_t *b = p;
	uint64_t hi = vs_ld32(be ? b : b + 4, be), lo = vs_ld32(be ? b + 4 : b, be);
	return hi << 32 | lo;
}

/* A little-endian u64 on any host (file-format fields, x86 page-table entries). */
static inline uint64_t vs_ld64le(const void *p)
{
	return vs_ld64(p, false);
}

/* a + b, false on overflow */
static inline bool vs_add_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

static inline bool vs_mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

#endif
