// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * disk_dump_header and kdump_sub_header, field by field (docs/format.md).
 * Explicit offsets rather than C structs, so the bytes do not depend on the
 * compiler's padding.
 */
#include "kdump_layout.h"

#include <limits.h>

struct vs_err *vs_kdump_layout(const struct vs_kdump_params *p, struct vs_kdump_layout *l)
{
	if (p->page_shift < 10 || p->page_shift > 20)
		return vs_err_new(VS_ERR_INVALID, "page size 2^%u is out of range", p->page_shift);
	uint64_t B = 1ull << p->page_shift;
	uint64_t desc_bytes, tmp;
	l->block_size = B;
	l->sub_hdr_blocks = (VS_SUB_HEADER_SIZE + p->notes_size + B - 1) / B;
	l->notes_off = B + VS_SUB_HEADER_SIZE;
	uint64_t bytes = (p->max_mapnr + 7) / 8;
	l->bitmap_len = (bytes + B - 1) / B * B;
	l->bitmap1_off = (1 + l->sub_hdr_blocks) * B;
	l->bitmap2_off = l->bitmap1_off + l->bitmap_len;
	l->desc_off = l->bitmap2_off + l->bitmap_len;
	if (!vs_mul_ok(p->num_dumpable, VS_PAGE_DESC_SIZE, &desc_bytes) ||
	    !vs_add_ok(l->desc_off, desc_bytes, &tmp) || tmp > (uint64_t)INT64_MAX / 2)
		return vs_err_new(VS_ERR_INVALID, "%llu dumpable pages do not fit in a kdump file",
				  (unsigned long long)p->num_dumpable);
	l->data_off = tmp;
	return NULL;
}

uint32_t vs_kdump_status(const struct vs_kdump_params *p)
{
	uint32_t st = (p->codec ? p->codec->flag : 0) | p->extra_status;
	if (p->excluded_vmemmap)
		st |= VS_DH_EXCLUDED_VMEMMAP;
	return st;
}

void vs_kdump_fill_main_header(const struct vs_kdump_params *p, const struct vs_kdump_layout *l,
			       uint8_t *h)
{
	memset(h, 0, VS_MAIN_HEADER_SIZE);
	memcpy(h, VS_KDUMP_SIGNATURE, 8);
	vs_st32(h + 8, VS_KDUMP_HEADER_VERSION, p->big_endian);
	memcpy(h + 12, &p->uts, sizeof(p->uts));          /* 6 x 65 bytes */
	vs_st64(h + 408, (uint64_t)p->crashtime, p->big_endian);         /* timeval.tv_sec; tv_usec stays 0 */
	vs_st32(h + 424, vs_kdump_status(p), p->big_endian);
	vs_st32(h + 428, (uint32_t)l->block_size, p->big_endian);
	vs_st32(h + 432, (uint32_t)l->sub_hdr_blocks, p->big_endian);
	vs_st32(h + 436, (uint32_t)(2 * l->bitmap_len / l->block_size), p->big_endian);
	vs_st32(h + 440, p->max_mapnr > UINT_MAX ? UINT_MAX : (uint32_t)p->max_mapnr, p->big_endian);
	vs_st32(h + 460, p->nr_cpus, p->big_endian);
}

void vs_kdump_fill_sub_header(const struct vs_kdump_params *p, const struct vs_kdump_layout *l,
			      uint8_t *s)
{
	memset(s, 0, VS_SUB_HEADER_SIZE);
	vs_st64(s + 0, p->phys_base, p->big_endian);
	vs_st32(s + 8, (uint32_t)p->dump_level, p->big_endian);
	if (p->split) {
		vs_st32(s + 12, 1, p->big_endian);
		vs_st64(s + 16, p->start_pfn > UINT_MAX ? UINT_MAX : p->start_pfn, p->big_endian);
		vs_st64(s + 24, p->end_pfn > UINT_MAX ? UINT_MAX : p->end_pfn, p->big_endian);
		vs_st64(s + 80, p->start_pfn, p->big_endian);
		vs_st64(s + 88, p->end_pfn, p->big_endian);
	}
	if (p->has_vmcoreinfo) {
		vs_st64(s + 32, l->notes_off + p->vmcoreinfo_offset, p->big_endian);
		vs_st64(s + 40, p->vmcoreinfo_size, p->big_endian);
	}
	if (p->notes_size) {
		vs_st64(s + 48, l->notes_off, p->big_endian);
		vs_st64(s + 56, p->notes_size, p->big_endian);
	}
	vs_st64(s + 64, p->eraseinfo_offset, p->big_endian);
	vs_st64(s + 72, p->eraseinfo_size, p->big_endian);
	vs_st64(s + 96, p->max_mapnr, p->big_endian);
}
