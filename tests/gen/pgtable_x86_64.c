// SPDX-License-Identifier: GPL-2.0-or-later
// The x86_64 kernel page table rooted at init_top_pgt: the direct map with 1 GiB
// pages, the kernel image with 2 MiB pages, and the vmemmap with 2 MiB
// pages (or 4 KiB PTEs for the --vmemmap-4k sections, mapped in a
// shuffled order so that a walker cannot get away with arithmetic).
#include "mkvmcore.h"

#define PTE_P 0x001ULL
#define PTE_RW 0x002ULL
#define PTE_A 0x020ULL
#define PTE_D 0x040ULL
#define PTE_PSE 0x080ULL
#define PTE_G 0x100ULL
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_A | PTE_D)
#define LARGE_DATA (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PSE | PTE_G | PTE_NX)
#define LARGE_TEXT (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PSE | PTE_G)
#define SMALL_DATA (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_G | PTE_NX)

/* A 64-bit word of a page-table page already in the store (0 if none). */
uint64_t pgt_rd64(uint64_t phys)
{
	const uint8_t *pg = kpage_get(phys >> PAGE_SHIFT);
	uint64_t v = 0;

	if (pg)
		v = ld64t(pg + (phys & (PAGE_SIZE - 1)));
	return v;
}

static unsigned idx(uint64_t va, int shift)
{
	return (unsigned)((va >> shift) & 511);
}

/* Install one mapping of size 1 << leaf_shift (12, 21 or 30). */
static void map_one(struct machine *m, uint64_t va, uint64_t pa,
		    int leaf_shift, uint64_t flags)
{
	uint64_t table = kimg_pa(m, m->init_top_pgt);
	int shift = m->o->l5 ? 48 : 39;

	for (; shift > leaf_shift; shift -= 9) {
		uint64_t ent_pa = table + 8ULL * idx(va, shift);
		uint64_t ent = pgt_rd64(ent_pa);

		if (!(ent & PTE_P)) {
			uint64_t t = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

			(void)kpage(t >> PAGE_SHIFT);       /* zero-filled table */
			ent = t | TABLE_FLAGS;
			kstore_put64(ent_pa, ent);
		}
		if (ent & PTE_PSE)
			die("mapping %#llx collides with a large page",
			    (unsigned long long)va);
		table = ent & PTE_ADDR;
	}
	kstore_put64(table + 8ULL * idx(va, leaf_shift), pa | flags);
}

static void map_direct(struct machine *m)
{
	uint64_t top = round_up(m->max_pfn << PAGE_SHIFT, GIB);

	for (uint64_t pa = 0; pa < top; pa += GIB)
		map_one(m, dmap(m, pa), pa, 30, LARGE_DATA);
}

static void map_kernel(struct machine *m)
{
	for (uint64_t off = 0; off < m->kimg_size; off += 2 * MIB)
		map_one(m, kimg_va(m, off), m->kimg_phys + off, 21, LARGE_TEXT);
}

static void map_vmemmap(struct machine *m)
{
	for (uint64_t s = 0; s < m->nsections; s++) {
		uint64_t va = m->vmemmap_base + s * PAGES_PER_SECTION * SPAGE;
		uint64_t pa = m->sec_vmm_phys[s];

		if (!m->sec_present[s])
			continue;
		if (!m->sec_4k[s]) {
			map_one(m, va, pa, 21, LARGE_DATA);
			continue;
		}
		/* page i of the section's memmap lives at backing page i ^ 1 */
		for (uint64_t i = 0; i < 512; i++)
			map_one(m, va + i * PAGE_SIZE, pa + (i ^ 1) * PAGE_SIZE,
				12, SMALL_DATA);
	}
}

/* Table pages needed (an estimate for the early-allocation area). */
uint64_t x86_pgt_pages(const struct machine *m)
{
	return m->max_pfn / (512ULL << 18) + 8 +            /* direct-map PUDs */
	       m->nsections / 512 + 8 +                     /* vmemmap PMDs */
	       (m->o->vmemmap4k ? m->nsections / 3 + 2 : 0); /* PTE pages */
}

void x86_pgt_build(struct machine *m)
{
	m->init_top_pgt = kimg_va(m, m->kimg_size - KOFF_FROM_END_PGT);
	(void)kpage(kimg_pa(m, m->init_top_pgt) >> PAGE_SHIFT);
	map_direct(m);
	map_kernel(m);
	map_vmemmap(m);
}
