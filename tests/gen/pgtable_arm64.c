// SPDX-License-Identifier: GPL-2.0-or-later
// The arm64 kernel page tables rooted at swapper_pg_dir (a kernel-image
// symbol): the linear map of all RAM, the kernel image and the vmemmap.
// Descriptors in the plain, LPA (64K) or LPA2 (4K/16K) format; 0b11 table
// or page, 0b01 block.  The linear map uses the largest blocks that fit,
// but some block-sized units are mapped by pages (as rodata/kfence
// splits do), and some runs carry the contiguous bit; the vmemmap uses
// 2 MiB blocks with 4K pages and base pages otherwise.
#include "mkvmcore.h"

#define D_TABLE 3ULL
#define D_PAGE 3ULL
#define D_BLOCK 1ULL
#define D_AP_RO (1ULL << 7)
#define D_SH_INNER (3ULL << 8)           /* not with LPA2: PA[51:50] there */
#define D_AF (1ULL << 10)
#define D_DBM (1ULL << 51)               /* Linux's PTE_WRITE */
#define D_CONT (1ULL << 52)
#define D_PXN (1ULL << 53)
#define D_UXN (1ULL << 54)
#define T_PXN (1ULL << 59)               /* PXNTable */
#define T_UXN (1ULL << 60)               /* UXNTable */

static uint64_t bits(int hi, int lo)
{
	return (~0ULL >> (63 - hi)) & ~((1ULL << lo) - 1);
}

/* Output address -> descriptor bits, in the table's format. */
static uint64_t enc_pa(const struct a64 *a, uint64_t pa)
{
	switch (a->fmt) {
	case PF_LPA:
		return (pa & bits(47, 16)) | ((pa >> 48) & 0xf) << 12;
	case PF_LPA2:
		return (pa & bits(49, PAGE_SHIFT)) | ((pa >> 50) & 3) << 8;
	default:
		return pa & bits(47, PAGE_SHIFT);
	}
}

static uint64_t dec_pa(const struct a64 *a, uint64_t d)
{
	switch (a->fmt) {
	case PF_LPA:
		return (d & bits(47, 16)) | ((d >> 12) & 0xf) << 48;
	case PF_LPA2:
		return (d & bits(49, PAGE_SHIFT)) | ((d >> 8) & 3) << 50;
	default:
		return d & bits(47, PAGE_SHIFT);
	}
}

static int level_shift(const struct a64 *a, int level)
{
	return PAGE_SHIFT + (a->levels - 1 - level) * (PAGE_SHIFT - 3);
}

/* Attributes of a kernel mapping (Linux PAGE_KERNEL / PAGE_KERNEL_ROX). */
static uint64_t attrs(const struct a64 *a, int text)
{
	uint64_t sh = a->fmt == PF_LPA2 ? 0 : D_SH_INNER;

	return text ? D_AF | sh | D_UXN | D_AP_RO
		    : D_AF | sh | D_PXN | D_UXN | D_DBM;
}

/* Install one leaf of size 1 << leaf_shift mapping va to pa. */
static void map_one(struct machine *m, uint64_t va, uint64_t pa, int leaf_shift,
		    uint64_t attr, uint64_t table_attr)
{
	const struct a64 *a = &m->a64;
	uint64_t table = kimg_pa(m, m->init_top_pgt);
	int level = 0;

	for (; level_shift(a, level) > leaf_shift; level++) {
		int sh = level_shift(a, level);
		int ibits = level ? PAGE_SHIFT - 3 : a->va_top - sh;
		uint64_t ent_pa = table + 8 * ((va >> sh) & ((1ULL << ibits) - 1));
		uint64_t ent = pgt_rd64(ent_pa);

		if (!ent) {
			uint64_t t = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

			(void)kpage(t >> PAGE_SHIFT);   /* zero-filled table */
			ent = enc_pa(a, t) | table_attr | D_TABLE;
			kstore_put64(ent_pa, ent);
		}
		if ((ent & 3) != D_TABLE)
			die("mapping %#llx collides with a block",
			    (unsigned long long)va);
		table = dec_pa(a, ent);
	}
	if (level_shift(a, level) != leaf_shift)
		die("no level maps %d-bit leaves", leaf_shift);
	kstore_put64(table + 8 * ((va >> leaf_shift) & ((1ULL << (PAGE_SHIFT - 3)) - 1)),
		     enc_pa(a, pa) | attr | (leaf_shift == PAGE_SHIFT ? D_PAGE : D_BLOCK));
}

/* Granule-dependent sizes: the block of the level above the pages, and
 * how many entries a contiguous run has at page and block level. */
static int blk_shift(void)
{
	return PAGE_SHIFT + PAGE_SHIFT - 3;      /* 2M, 32M, 512M */
}

static uint64_t cont_pte(void)
{
	return PAGE_SHIFT == 14 ? 128 : PAGE_SHIFT == 16 ? 32 : 16;
}

static uint64_t cont_pmd(void)
{
	return PAGE_SHIFT == 12 ? 16 : 32;
}

/* Map [s, e) of physical memory at linear+pa by pages; aligned runs of
 * cont_pte() pages carry the contiguous bit, one in two by the seed. */
static void map_pages(struct machine *m, uint64_t s, uint64_t e, uint64_t attr,
		      uint64_t tattr, uint64_t (*va_of)(const struct machine *, uint64_t))
{
	uint64_t run = cont_pte() * PAGE_SIZE;

	for (uint64_t p = s; p < e;) {
		if (p % run == 0 && p + run <= e && hash3(m->o->seed, p / run, 0x636f6e74) % 2) {
			for (uint64_t q = p; q < p + run; q += PAGE_SIZE)
				map_one(m, va_of(m, q), q, PAGE_SHIFT, attr | D_CONT, tattr);
			p += run;
			continue;
		}
		map_one(m, va_of(m, p), p, PAGE_SHIFT, attr, tattr);
		p += PAGE_SIZE;
	}
}

/* Block-sized unit u of the linear map goes by pages: unit 1 always (so
 * every layout has some), else one in eight. */
static int unit_by_pages(const struct machine *m, uint64_t u)
{
	return u == 1 || hash3(m->o->seed, u, 0x70676c76) % 8 == 0;
}

/* A cont_pmd() group of block units that all go by blocks: group 1
 * always carries the contiguous bit, others one in three. */
static int group_cont(const struct machine *m, uint64_t g)
{
	for (uint64_t u = g * cont_pmd(); u < (g + 1) * cont_pmd(); u++)
		if (unit_by_pages(m, u))
			return 0;
	return g == 1 || hash3(m->o->seed, g, 0x636d6420) % 3 == 0;
}

/* 4K: a whole GiB by one level-1 block: the second always, later ones one
 * in two, never the first (it holds the forced page-level unit). */
static int gib_block(const struct machine *m, uint64_t a, uint64_t base, uint64_t e)
{
	uint64_t u = (a - base) / GIB;

	return PAGE_SHIFT == 12 && a % GIB == 0 && a + GIB <= e && u &&
	       (u == 1 || hash3(m->o->seed, u, 0x31474942) % 2 == 0);
}

static void map_linear_range(struct machine *m, uint64_t s, uint64_t e)
{
	const uint64_t blk = 1ULL << blk_shift(), grp = blk * cont_pmd();
	const uint64_t base = m->ram[0].start, data = attrs(&m->a64, 0);
	const uint64_t tattr = T_PXN | T_UXN;

	for (uint64_t a = s; a < e;) {
		uint64_t next = round_up(a + 1, blk);

		if (gib_block(m, a, base, e)) {
			map_one(m, dmap(m, a), a, 30, data, tattr);
			a += GIB;
		} else if (a % blk || a + blk > e || unit_by_pages(m, (a - base) / blk)) {
			next = next < e ? next : e;
			map_pages(m, a, next, data, tattr, dmap);
			a = next;
		} else if (a % grp == 0 && a + grp <= e && group_cont(m, (a - base) / grp)) {
			for (uint64_t b = a; b < a + grp; b += blk)
				map_one(m, dmap(m, b), b, blk_shift(), data | D_CONT, tattr);
			a += grp;
		} else {
			map_one(m, dmap(m, a), a, blk_shift(), data, tattr);
			a += blk;
		}
	}
}

static void map_linear(struct machine *m)
{
	for (int i = 0; i < m->nram; i++)
		map_linear_range(m, round_up(m->ram[i].start, PAGE_SIZE),
				 round_down(m->ram[i].end, PAGE_SIZE));
}

static uint64_t image_va(const struct machine *m, uint64_t pa)
{
	return kimg_va(m, pa - m->kimg_phys);
}

/* Text (first half) read-only executable: 2 MiB blocks with 4K pages,
 * else contiguous pages; data read-write by pages. */
static void map_kernel(struct machine *m)
{
	uint64_t text_end = m->kimg_phys + m->kimg_size / 2;
	uint64_t text = attrs(&m->a64, 1), data = attrs(&m->a64, 0);

	for (uint64_t p = m->kimg_phys; p < text_end; p += 2 * MIB) {
		if (PAGE_SHIFT == 12) {
			map_one(m, image_va(m, p), p, 21, text, T_UXN);
			continue;
		}
		for (uint64_t q = p; q < p + 2 * MIB; q += PAGE_SIZE)
			map_one(m, image_va(m, q), q, PAGE_SHIFT, text | D_CONT, T_UXN);
	}
	map_pages(m, text_end, m->kimg_phys + m->kimg_size, data, T_UXN, image_va);
}

/* A section's memmap: one 2 MiB block (4K), or base pages, swapped
 * pairwise in the --vmemmap-4k sections so that a walker cannot get away
 * with arithmetic. */
static void map_vmemmap(struct machine *m)
{
	uint64_t data = attrs(&m->a64, 0), tattr = T_PXN | T_UXN;

	for (uint64_t s = 0; s < m->nsections; s++) {
		uint64_t va = spage_va(m, s << PFN_SECTION_SHIFT);
		uint64_t pa = m->sec_vmm_phys[s];

		if (!m->sec_present[s])
			continue;
		if (PAGE_SHIFT == 12 && !m->sec_4k[s]) {
			map_one(m, va, pa, 21, data, tattr);
			continue;
		}
		for (uint64_t i = 0; i < VMM_CHUNK / PAGE_SIZE; i++)
			map_one(m, va + i * PAGE_SIZE,
				pa + (m->sec_4k[s] ? i ^ 1 : i) * PAGE_SIZE,
				PAGE_SHIFT, data, tattr);
	}
}

/* Table pages needed (a generous estimate for the early allocations). */
uint64_t arm64_pgt_pages(const struct machine *m)
{
	uint64_t ents = PAGE_SIZE / 8;
	uint64_t units = m->o->mem / (1ULL << blk_shift()) + 1;
	uint64_t vmm_pages = m->nsections * (VMM_CHUNK / PAGE_SIZE);

	return units / 4 + units / ents + 4ULL * m->nram +   /* linear map */
	       vmm_pages / ents + m->nsections / ents +       /* vmemmap */
	       m->nsections / 3 + (16 * MIB / PAGE_SIZE) / ents + /* image */
	       64;                                            /* upper levels */
}

void arm64_pgt_build(struct machine *m)
{
	m->init_top_pgt = kimg_va(m, m->kimg_size - KOFF_FROM_END_PGT);
	(void)kpage(kimg_pa(m, m->init_top_pgt) >> PAGE_SHIFT);
	map_linear(m);
	map_kernel(m);
	map_vmemmap(m);
}
