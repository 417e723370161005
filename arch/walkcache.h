// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the page-table walkers share: a few recent translations (a virtual
 * range and the physical address it maps to, remembered round-robin) and a
 * binary search of sorted ranges, used to ask whether a table lies in the
 * dump's memory before reading it (a read elsewhere gives zeros, which can
 * look like valid entries).  Inline: both sit on every translation.
 */
#ifndef VMSIFT_ARCH_WALKCACHE_H
#define VMSIFT_ARCH_WALKCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vmsift/vmcore.h"

#define VS_TLB_SIZE 8

struct vs_tlb {
	struct {
		uint64_t va, len, pa;  /* len 0: unused */
	} e[VS_TLB_SIZE];
	unsigned next;
};

static inline void vs_tlb_remember(struct vs_tlb *t, uint64_t va, uint64_t len, uint64_t pa)
{
	t->e[t->next].va = va;
	t->e[t->next].len = len;
	t->e[t->next].pa = pa;
	t->next = (t->next + 1) % VS_TLB_SIZE;
}

/* The remembered translation of vaddr and how many bytes from it it covers. */
static inline bool vs_tlb_lookup(const struct vs_tlb *t, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	for (unsigned i = 0; i < VS_TLB_SIZE; i++) {
		uint64_t off = vaddr - t->e[i].va;
		if (t->e[i].len && off < t->e[i].len) {
			*paddr = t->e[i].pa + off;
			*span = t->e[i].len - off;
			return true;
		}
	}
	return false;
}

static inline void vs_tlb_clear(struct vs_tlb *t)
{
	memset(t, 0, sizeof(*t));
}

/*
 * How many of the n items (stride bytes apart from base, sorted by the
 * uint64_t at offset key_off) have a key at or below key: one past the
 * index of the last item starting at or below key, 0 if none does.
 */
static inline size_t vs_count_at_or_below(const void *base, size_t n, size_t stride, size_t key_off, uint64_t key)
{
	const char *b = base;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;
		memcpy(&k, b + mid * stride + key_off, sizeof(k));
		if (k <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is physical address pa in one of the dump's memory pieces? */
static inline bool vs_phys_in_dump(const struct vs_vmcore *vc, uint64_t pa)
{
	size_t i = vs_count_at_or_below(vc->pieces, vc->npieces, sizeof(vc->pieces[0]),
					offsetof(struct vs_piece, paddr), pa);
	return i && pa - vc->pieces[i - 1].paddr < vc->pieces[i - 1].memsz;
}

#endif
