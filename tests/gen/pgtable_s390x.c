// SPDX-License-Identifier: GPL-2.0-or-later
// The s390x kernel DAT tables rooted at swapper_pg_dir (an image symbol):
// region and segment tables of 2048 entries (16K, every entry carrying
// its table's type, empty ones invalid), page tables of 256 entries (2K,
// two to a page).  The identity map uses 2G region-third leaves where a
// whole aligned 2G is RAM, else 1M segments, with some megabytes by 4K
// pages (unit 1 always, so every layout has some); the vmemmap 1M
// segments, or pages swapped pairwise with --vmemmap-4k; the image of a
// 6.7+ layout 1M segments for text and pages for data.
#include "mkvmcore.h"

#define CRST_BYTES (2048 * 8)
#define PT_BYTES (256 * 8)
#define E_INVALID 0x20ULL
#define E_TL_FULL 0x03ULL                /* next table: all four quarters */
#define E_LARGE 0x400ULL
#define SEG_SOFT 0x3003ULL               /* dirty, young, read, write */
#define PTE_SOFT 0x013ULL                /* present, write, read */
#define NOEXEC 0x100ULL
#define PTE_INVALID 0x400ULL
#define LC_VMCORE_INFO 0xe0cULL          /* lowcore: physical address of the note */
#define LC_OS_INFO 0xe18ULL
#define NOTE_BYTES (16 * 1024ULL)

static uint64_t note_pa;                 /* the kernel's copy of the VMCOREINFO note */

/* Region/segment levels above the page tables: 1 (segment) .. 4 (region-first). */
static int root_level(const struct machine *m)
{
	return m->o->s390_levels - 1;
}

static uint64_t empty_entry(int level)
{
	return (uint64_t)level << 2 | E_INVALID;
}

static uint64_t new_crst(struct machine *m, int level)
{
	uint64_t t = kdata_alloc(m, CRST_BYTES, CRST_BYTES);

	for (unsigned i = 0; i < 2048; i++)
		kstore_put64(t + 8 * i, empty_entry(level));
	return t;
}

/* Page tables are 2K: the second half of the last page is handed out next. */
static uint64_t new_pt(struct machine *m)
{
	static uint64_t spare;
	uint64_t t = spare;

	if (t)
		spare = 0;
	else {
		t = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);
		spare = t + PT_BYTES;
	}
	for (unsigned i = 0; i < 256; i++)
		kstore_put64(t + 8 * i, PTE_INVALID);
	return t;
}

static uint64_t index_of(uint64_t va, int level)
{
	return va >> (20 + 11 * level) & 2047;
}

/* Install one leaf of 1 << shift (12, 20 or 31) mapping va to pa. */
static void map_one(struct machine *m, uint64_t va, uint64_t pa, int shift, uint64_t attr)
{
	uint64_t table = kimg_pa(m, m->init_top_pgt);
	int leaf_level = shift == 31 ? 1 : shift == 20 ? 0 : -1;

	for (int level = root_level(m) - 1; level > leaf_level; level--) {
		uint64_t slot = table + 8 * index_of(va, level), e = pgt_rd64(slot);

		if (e & E_INVALID) {
			uint64_t t = level ? new_crst(m, level - 1) : new_pt(m);

			e = level ? t | (uint64_t)level << 2 | E_TL_FULL : t;
			kstore_put64(slot, e);
		}
		if (e & E_LARGE)
			die("mapping %#llx collides with a large page", (unsigned long long)va);
		table = level ? e & ~0xfffULL : e & ~0x7ffULL;
	}
	if (leaf_level >= 0)
		kstore_put64(table + 8 * index_of(va, leaf_level),
			     pa | E_LARGE | SEG_SOFT | attr | (uint64_t)leaf_level << 2);
	else
		kstore_put64(table + 8 * (va >> 12 & 255), pa | PTE_SOFT | attr);
}

static int mb_by_pages(const struct machine *m, uint64_t u)
{
	return u == 1 || hash3(m->o->seed, u, 0x73333930) % 8 == 0;
}

static int range_is_ram(const struct machine *m, uint64_t s, uint64_t e)
{
	for (int i = 0; i < m->nram; i++)
		if (s >= m->ram[i].start && e <= m->ram[i].end)
			return 1;
	return 0;
}

static void map_identity_range(struct machine *m, uint64_t s, uint64_t e)
{
	for (uint64_t a = s; a < e;) {
		uint64_t next = round_up(a + 1, MIB);

		if (a % (2 * GIB) == 0 && a + 2 * GIB <= e && range_is_ram(m, a, a + 2 * GIB)) {
			map_one(m, dmap(m, a), a, 31, NOEXEC);
			a += 2 * GIB;
		} else if (a % MIB || a + MIB > e || mb_by_pages(m, a / MIB)) {
			for (next = next < e ? next : e; a < next; a += PAGE_SIZE)
				map_one(m, dmap(m, a), a, 12, NOEXEC);
		} else {
			map_one(m, dmap(m, a), a, 20, NOEXEC);
			a += MIB;
		}
	}
}

static void map_vmemmap(struct machine *m)
{
	for (uint64_t s = 0; s < m->nsections; s++) {
		uint64_t va = spage_va(m, s << PFN_SECTION_SHIFT), pa = m->sec_vmm_phys[s];

		if (!m->sec_present[s])
			continue;
		if (!m->sec_4k[s]) {
			for (uint64_t o = 0; o < VMM_CHUNK; o += MIB)
				map_one(m, va + o, pa + o, 20, NOEXEC);
			continue;
		}
		for (uint64_t i = 0; i < VMM_CHUNK / PAGE_SIZE; i++)
			map_one(m, va + i * PAGE_SIZE, pa + (i ^ 1) * PAGE_SIZE, 12, NOEXEC);
	}
}

/* 6.7+: the image apart from the identity map; text read-only executable. */
static void map_image(struct machine *m)
{
	uint64_t text_end = m->kimg_phys + m->kimg_size / 2;

	for (uint64_t p = m->kimg_phys; p < text_end; p += MIB)
		map_one(m, kimg_va(m, p - m->kimg_phys), p, 20, 0x200);
	for (uint64_t p = text_end; p < m->kimg_phys + m->kimg_size; p += PAGE_SIZE)
		map_one(m, kimg_va(m, p - m->kimg_phys), p, 12, NOEXEC);
}

uint64_t s390x_lowcore_ptr(const struct machine *m)
{
	return kimg_va(m, m->kimg_size - KOFF_FROM_END_UTS + 0xc00);
}

uint64_t s390x_high_memory(const struct machine *m)
{
	return kimg_va(m, m->kimg_size - KOFF_FROM_END_UTS + 0xe00);
}

uint64_t s390x_pgt_pages(const struct machine *m)
{
	uint64_t mbs = m->o->mem / MIB + 1;

	return 4 * (4 * (m->o->mem / (2 * GIB) + 2) + 8) +   /* region, segment tables */
	       mbs / 8 + 8 + m->nsections * 8 +              /* page tables */
	       16 * MIB / PAGE_SIZE / 512 + 16 + 64;
}

void s390x_pgt_build(struct machine *m)
{
	m->init_top_pgt = kimg_va(m, m->kimg_size - KOFF_FROM_END_PGT);
	for (unsigned i = 0; i < 2048; i++)
		kstore_put64(kimg_pa(m, m->init_top_pgt) + 8 * i, empty_entry(root_level(m) - 1));
	for (int i = 0; i < m->nram; i++)
		map_identity_range(m, round_up(m->ram[i].start, PAGE_SIZE), round_down(m->ram[i].end, PAGE_SIZE));
	if (m->o->kver == KV_6_12)
		map_image(m);
	map_vmemmap(m);
	/* The lowcore: no OS_INFO (as a kdump kernel may leave it), where the note is */
	note_pa = kdata_alloc(m, NOTE_BYTES, PAGE_SIZE);
	kstore_put64(LC_OS_INFO, 0);
	kstore_put64(LC_VMCORE_INFO, note_pa);
	/* lowcore_ptr[0] -> the lowcore at 0 (identity); high_memory: the end of RAM */
	kstore_put64(kimg_pa(m, s390x_lowcore_ptr(m)), dmap(m, 0));
	kstore_put64(kimg_pa(m, s390x_high_memory(m)), dmap(m, m->ram[m->nram - 1].end));
}

/* The note as the kernel keeps it (Elf64_Nhdr, "VMCOREINFO", the text). */
void s390x_vmci_note(const struct machine *m, const char *text, size_t len)
{
	(void)m;
	if (24 + len > NOTE_BYTES)
		die("VMCOREINFO does not fit its note buffer");
	kstore_put32(note_pa, 11);
	kstore_put32(note_pa + 4, (uint32_t)len);
	kstore_put32(note_pa + 8, 0);
	kstore_put(note_pa + 12, "VMCOREINFO", 11);
	kstore_put(note_pa + 24, text, len);
}
