// SPDX-License-Identifier: GPL-2.0-or-later
// The riscv64 kernel page tables rooted at swapper_pg_dir (an image
// symbol): the linear map of all RAM, the kernel image and the vmemmap,
// in Sv39, Sv48 or Sv57.  A PTE holds the PFN in bits 53:10; it points to
// the next level when R, W and X are all clear, else it is a leaf, at any
// level.  The linear map uses 1 GiB leaves (the first GiB always, later
// ones one in two), 2 MiB leaves, and 4 KiB pages for some 2 MiB units;
// with --layout svNN-napot some 64 KiB runs of those pages are Svnapot
// PTEs (bit 63, PPN bits 3:0 = 1000).  The image: text by 2 MiB leaves,
// data by pages; the vmemmap by 2 MiB leaves or, --vmemmap-4k, pages.
#include "mkvmcore.h"

#define P_V (1ULL << 0)
#define P_R (1ULL << 1)
#define P_W (1ULL << 2)
#define P_X (1ULL << 3)
#define P_G (1ULL << 5)
#define P_A (1ULL << 6)
#define P_D (1ULL << 7)
#define P_N (1ULL << 63)
#define PPN_SHIFT 10
#define DATA (P_V | P_R | P_W | P_A | P_D | P_G)
#define TEXT (P_V | P_R | P_X | P_A | P_G)
#define NAPOT_PAGES 16ULL

static int level_shift(const struct rv64 *r, int level)
{
	return 12 + (r->levels - 1 - level) * 9;
}

static uint64_t pte_of(uint64_t pa, uint64_t flags)
{
	return (pa >> 12) << PPN_SHIFT | flags;
}

static uint64_t pte_pa(uint64_t pte)
{
	return (pte >> PPN_SHIFT & ((1ULL << 44) - 1)) << 12;
}

/* Install the leaf PTE value pte for va at the level of leaf_shift. */
static void put_leaf(struct machine *m, uint64_t va, int leaf_shift, uint64_t pte)
{
	const struct rv64 *r = &m->rv;
	uint64_t table = kimg_pa(m, m->init_top_pgt);
	int level = 0;

	for (; level_shift(r, level) > leaf_shift; level++) {
		uint64_t ent_pa = table + 8 * ((va >> level_shift(r, level)) & 511);
		uint64_t ent = pgt_rd64(ent_pa);

		if (!ent) {
			uint64_t t = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

			(void)kpage(t >> PAGE_SHIFT);   /* zero-filled table */
			ent = pte_of(t, P_V);
			kstore_put64(ent_pa, ent);
		}
		if (ent & (P_R | P_W | P_X))
			die("mapping %#llx collides with a leaf", (unsigned long long)va);
		table = pte_pa(ent);
	}
	if (level_shift(r, level) != leaf_shift)
		die("no level maps %d-bit leaves", leaf_shift);
	kstore_put64(table + 8 * ((va >> leaf_shift) & 511), pte);
}

static void map_one(struct machine *m, uint64_t va, uint64_t pa, int leaf_shift, uint64_t flags)
{
	put_leaf(m, va, leaf_shift, pte_of(pa, flags));
}

/* 4 KiB pages for [s, e); with --layout svNN-napot, aligned 64 KiB runs
 * one in two by Svnapot PTEs (all 16 the same: base PPN | 0b1000). */
static void map_pages(struct machine *m, uint64_t s, uint64_t e, uint64_t flags,
		      uint64_t (*va_of)(const struct machine *, uint64_t))
{
	const uint64_t run = NAPOT_PAGES * PAGE_SIZE;

	for (uint64_t p = s; p < e;) {
		if (m->o->napot && p % run == 0 && p + run <= e &&
		    hash3(m->o->seed, p / run, 0x6e61706f) % 2) {
			uint64_t pte = pte_of(p, flags) | (0x8ULL << PPN_SHIFT) | P_N;

			for (uint64_t q = p; q < p + run; q += PAGE_SIZE)
				put_leaf(m, va_of(m, q), 12, pte);
			p += run;
			continue;
		}
		map_one(m, va_of(m, p), p, 12, flags);
		p += PAGE_SIZE;
	}
}

/* 2 MiB unit u of the linear map goes by pages: the second of each GiB
 * always (so every machine has some), else one in eight. */
static int unit_by_pages(const struct machine *m, uint64_t u)
{
	return u % 512 == 1 || hash3(m->o->seed, u, 0x70676c76) % 8 == 0;
}

/* A whole GiB by one leaf: the first always (a machine of 1G + 64M has
 * one, and pages and 2 MiB leaves after it), later ones one in two. */
static int gib_leaf(const struct machine *m, uint64_t a, uint64_t base, uint64_t e)
{
	uint64_t g = (a - base) / GIB;

	return a % GIB == 0 && a + GIB <= e &&
	       (g == 0 || hash3(m->o->seed, g, 0x31474942) % 2 == 0);
}

static void map_linear_range(struct machine *m, uint64_t s, uint64_t e)
{
	const uint64_t blk = 2 * MIB, base = m->ram[0].start;

	for (uint64_t a = s; a < e;) {
		uint64_t next = round_up(a + 1, blk);

		if (gib_leaf(m, a, base, e)) {
			map_one(m, dmap(m, a), a, 30, DATA);
			a += GIB;
		} else if (a % blk || a + blk > e || unit_by_pages(m, (a - base) / blk)) {
			next = next < e ? next : e;
			map_pages(m, a, next, DATA, dmap);
			a = next;
		} else {
			map_one(m, dmap(m, a), a, 21, DATA);
			a += blk;
		}
	}
}

static uint64_t image_va(const struct machine *m, uint64_t pa)
{
	return kimg_va(m, pa - m->kimg_phys);
}

static void map_kernel(struct machine *m)
{
	uint64_t text_end = m->kimg_phys + m->kimg_size / 2;

	for (uint64_t p = m->kimg_phys; p < text_end; p += 2 * MIB)
		map_one(m, image_va(m, p), p, 21, TEXT);
	for (uint64_t p = text_end; p < m->kimg_phys + m->kimg_size; p += PAGE_SIZE)
		map_one(m, image_va(m, p), p, 12, DATA);
}

/* A section's memmap: one 2 MiB leaf, or pages swapped pairwise in the
 * --vmemmap-4k sections so that a walker cannot get away with arithmetic. */
static void map_vmemmap(struct machine *m)
{
	for (uint64_t s = 0; s < m->nsections; s++) {
		uint64_t va = spage_va(m, s << PFN_SECTION_SHIFT);
		uint64_t pa = m->sec_vmm_phys[s];

		if (!m->sec_present[s])
			continue;
		if (!m->sec_4k[s]) {
			map_one(m, va, pa, 21, DATA);
			continue;
		}
		for (uint64_t i = 0; i < VMM_CHUNK / PAGE_SIZE; i++)
			map_one(m, va + i * PAGE_SIZE, pa + (i ^ 1) * PAGE_SIZE, 12, DATA);
	}
}

/* Table pages needed (a generous estimate for the early allocations). */
uint64_t riscv64_pgt_pages(const struct machine *m)
{
	uint64_t units = m->o->mem / (2 * MIB) + 1;

	return units / 4 + units / 512 + 4ULL * m->nram +     /* linear map */
	       m->nsections + m->nsections / 512 +            /* vmemmap */
	       (16 * MIB / PAGE_SIZE) / 512 + 8 +              /* image */
	       64;                                             /* upper levels */
}

void riscv64_pgt_build(struct machine *m)
{
	m->init_top_pgt = kimg_va(m, m->kimg_size - KOFF_FROM_END_PGT);
	(void)kpage(kimg_pa(m, m->init_top_pgt) >> PAGE_SHIFT);
	for (int i = 0; i < m->nram; i++)
		map_linear_range(m, round_up(m->ram[i].start, PAGE_SIZE),
				 round_down(m->ram[i].end, PAGE_SIZE));
	map_kernel(m);
	map_vmemmap(m);
}
