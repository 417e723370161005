// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Byte layout of the kdump-compressed headers (64-bit producer).  Headers
 * and page descriptors are in the dumped machine's byte order, as its own
 * makedumpfile writes them (its C structs as they are in memory).
 */
#ifndef VMSIFT_KDUMP_LAYOUT_H
#define VMSIFT_KDUMP_LAYOUT_H

#include <string.h>

#include "vmsift/kdump.h"
#include "../util/bytes.h"

#define VS_MAIN_HEADER_SIZE 464
#define VS_SUB_HEADER_SIZE 104
#define VS_PAGE_DESC_SIZE 24
#define VS_DH_STATUS_OFF 424

struct vs_kdump_layout {
	uint64_t block_size;
	uint64_t sub_hdr_blocks;
	uint64_t notes_off;
	uint64_t bitmap_len;      /* one bitmap, bytes (whole blocks) */
	uint64_t bitmap1_off, bitmap2_off;
	uint64_t desc_off;
	uint64_t data_off;        /* first byte after the descriptor table */
};

static inline void vs_st32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++, v >>= 8)
		p[be ? 3 - i : i] = (uint8_t)v;
}

static inline void vs_st64(uint8_t *p, uint64_t v, bool be)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[be ? 7 - i : i] = (uint8_t)v;
}

struct vs_err *vs_kdump_layout(const struct vs_kdump_params *p, struct vs_kdump_layout *l);
uint32_t vs_kdump_status(const struct vs_kdump_params *p);
void vs_kdump_fill_main_header(const struct vs_kdump_params *p, const struct vs_kdump_layout *l,
			       uint8_t *out);
void vs_kdump_fill_sub_header(const struct vs_kdump_params *p, const struct vs_kdump_layout *l,
			      uint8_t *out);

#endif
