// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms' address table, read a block of entries at a time as needed:
 * verification and lookups touch a few dozen entries of the ~200k, so the
 * table is never held.
 */
#include "kallsyms_priv.h"

static struct vs_err *ks_raw(struct vs_kallsyms *ks, uint32_t i, uint64_t *raw)
{
	if (i - ks->blk_first >= ks->blk_n) {
		uint8_t buf[KS_ADDR_BLOCK * 8];
		uint32_t first = i / KS_ADDR_BLOCK * KS_ADDR_BLOCK;
		uint32_t cnt = ks->n - first < KS_ADDR_BLOCK ? ks->n - first : KS_ADDR_BLOCK;
		struct vs_err *err = vs_kernel_read_virt(ks->k, ks->addrs + (uint64_t)first * ks->width, buf,
							 (size_t)cnt * ks->width);
		if (err)
			return vs_err_wrap(err, "%s[%u] at 0x%llx", ks->width == 4 ? "kallsyms_offsets" : "kallsyms_addresses",
					   first, (unsigned long long)(ks->addrs + (uint64_t)first * ks->width));
		for (uint32_t j = 0; j < cnt; j++)
			ks->blk[j] = ks->width == 4 ? (uint64_t)(int64_t)(int32_t)vs_kernel_ld32(ks->k, buf + 4 * j)
						    : vs_kernel_ld_long(ks->k, buf + (size_t)j * ks->width);
		ks->blk_first = first;
		ks->blk_n = cnt;
	}
	*raw = ks->blk[i - ks->blk_first];
	return NULL;
}

struct vs_err *ks_addr_as(struct vs_kallsyms *ks, uint32_t i, enum ks_addr_mode mode, uint64_t *addr)
{
	uint64_t raw;
	struct vs_err *err = ks_raw(ks, i, &raw);
	if (err)
		return err;
	int64_t off = (int64_t)raw;
	switch (mode) {
	case KS_RELATIVE:
		*addr = ks->base + (uint32_t)off;
		break;
	case KS_PERCPU:
		*addr = off >= 0 ? (uint64_t)off : ks->base - 1 - (uint64_t)off;
		break;
	default:
		*addr = raw;
	}
	return NULL;
}

/* The table is in ascending address order, so a binary search; on a corrupt table it just finds nothing. */
struct vs_err *ks_addr_find(struct vs_kallsyms *ks, uint64_t value, enum ks_addr_mode mode, uint32_t max,
			    uint32_t *first, uint32_t *count)
{
	uint32_t lo = 0, hi = ks->n;
	uint64_t a;
	struct vs_err *err;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if ((err = ks_addr_as(ks, mid, mode, &a)))
			return err;
		if (a < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	*count = 0;
	for (uint32_t i = lo; i < ks->n && *count < max; i++, (*count)++) {
		if ((err = ks_addr_as(ks, i, mode, &a)))
			return err;
		if (a != value)
			break;
	}
	return NULL;
}

struct vs_err *ks_addr_gap(struct vs_kallsyms *ks, uint32_t i, uint64_t *gap)
{
	uint64_t at, a;
	struct vs_err *err = ks_addr_as(ks, i, ks->mode, &at);
	*gap = 0;
	for (uint32_t j = i + 1; j < ks->n && !err; j++) {  /* aliases share an address */
		if (!(err = ks_addr_as(ks, j, ks->mode, &a)) && a > at) {
			*gap = a - at;
			break;
		}
	}
	return err;
}
