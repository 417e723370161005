// SPDX-License-Identifier: GPL-2.0-or-later
/* ppc64 (Book3S-64, hash or radix MMU): shared between ppc64.c and ppc64_vmemmap.c. */
#ifndef VMSIFT_ARCH_PPC64_H
#define VMSIFT_ARCH_PPC64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/kernel.h"

#define PPC64_PAGE_OFFSET 0xc000000000000000ull
#define PPC64_LEVELS 4

/* One vmemmap_backing: chunk_size bytes of struct pages at virt, backed at phys. */
struct ppc64_chunk {
	uint64_t virt, phys;
};

struct ppc64_vmemmap {
	struct ppc64_chunk *chunks;  /* sorted by virt, no overlaps */
	size_t n;
	uint64_t chunk_size;         /* 1 << mmu_psize_defs[mmu_vmemmap_psize].shift */
};

/*
 * Reads the vmemmap_list chunks (hash MMU: the vmemmap is not in the page
 * tables).  An empty or unexported list leaves vm->n 0 (the tables are
 * walked); a damaged one is an error naming the entry.
 */
struct vs_err *vs_ppc64_vmemmap_read(struct vs_kernel *k, uint64_t linear_end, struct ppc64_vmemmap *vm);
/* The chunk holding vaddr, or NULL. */
const struct ppc64_chunk *vs_ppc64_vmemmap_find(const struct ppc64_vmemmap *vm, uint64_t vaddr);

#endif
