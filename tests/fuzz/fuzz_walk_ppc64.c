// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ppc64 walkers (arch/ppc64*.c) fed damaged page tables, vmemmap_list
 * entries and VMCOREINFO: small tests/gen/mkvmcore ppc64le cores (radix
 * 64K and 4K whose vmemmap is only in the big-endian tables (6.12), hash
 * 64K whose vmemmap is only in vmemmap_list, radix 64K with both (6.1)),
 * written by fuzz.mk into build/fuzz/ppc64 (FUZZ_PPC64_CORES sets another
 * directory), each kept in a memfd; an input patches one of them, the dump
 * runs, and the patches are undone (walkcore.c).
 *
 * Input: as walkcore.h says (byte 0's layout mod 4: bits 0-1); each 11-byte
 * patch is: byte: bits 0-6 a target, mod the core's count: the table pages
 * reachable from swapper_pg_dir, then the vmemmap_list entries; bit 7
 * turns the value into a directory entry to another table (loops, shared
 * tables, wrong levels) or a list link to another entry; u16 word of the
 * target; u64 value, stored big-endian into tables, little-endian into
 * list entries.
 */
#include <stdlib.h>

#include "walkcore.h"

#define NLAYOUTS 4
#define MAX_TARGETS 256
#define PAGE_OFFSET 0xc000000000000000ull

static const char *const layouts[NLAYOUTS] = { "radix-64k", "radix-4k", "hash-64k", "radix-64k-61" };

static const struct wc_key keys[] = {
	{ "NUMBER(RADIX_MMU)", WC_DEC },            { "PAGESIZE", WC_DEC },
	{ "SYMBOL(swapper_pg_dir)", WC_HEX },       { "SYMBOL(vmemmap_list)", WC_HEX },
	{ "SYMBOL(mmu_vmemmap_psize)", WC_HEX },    { "SYMBOL(mmu_psize_defs)", WC_HEX },
	{ "SIZE(vmemmap_backing)", WC_DEC },        { "OFFSET(vmemmap_backing.list)", WC_DEC },
	{ "OFFSET(vmemmap_backing.phys)", WC_DEC }, { "OFFSET(vmemmap_backing.virt_addr)", WC_DEC },
	{ "SIZE(mmu_psize_def)", WC_DEC },          { "OFFSET(mmu_psize_def.shift)", WC_DEC },
	{ "NUMBER(MAX_PHYSMEM_BITS)", WC_DEC },     { "NUMBER(SECTION_SIZE_BITS)", WC_DEC },
	{ "SYMBOL(mem_section)", WC_HEX },          { "NUMBER(VMALLOC_START)", WC_HEX0X },
};

/* A patchable place: a table (nwords 8-byte entries, big-endian) or a list entry (3 words). */
struct target {
	size_t off;
	uint64_t pa;
	unsigned nwords;
	bool table;
};

struct core {
	struct wc_core w;
	struct target t[MAX_TARGETS];
	size_t nt;
	unsigned page_shift;
};

static struct core cores[NLAYOUTS];

static uint64_t ld_be(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void add_target(struct core *c, uint64_t pa, unsigned nwords, bool table)
{
	size_t off = wc_file_off(&c->w, pa);
	if (!off || c->nt == MAX_TARGETS)
		return;
	c->t[c->nt++] = (struct target){ off, pa, nwords, table };
}

/* Radix index bits of PGD, PUD, PMD, PTE (as arch/ppc64.c). */
static unsigned idx_bits(const struct core *c, unsigned level)
{
	static const unsigned r64[] = { 13, 9, 9, 5 }, r4[] = { 13, 9, 9, 9 };
	return c->page_shift == 16 ? r64[level] : r4[level];
}

/* The tables reachable from swapper_pg_dir (breadth first), then the list entries. */
static void find_targets(struct wc_core *w)
{
	struct core *c = (struct core *)w;
	unsigned level[MAX_TARGETS];
	c->page_shift = (unsigned)__builtin_ctzll(wc_vmci_value(w, "PAGESIZE", 10));
	add_target(c, wc_vmci_value(w, "SYMBOL(swapper_pg_dir)", 16) - PAGE_OFFSET, 1u << idx_bits(c, 0), true);
	level[0] = 0;
	for (size_t i = 0; i < c->nt && level[i] < 3; i++)
		for (unsigned s = 0; s < c->t[i].nwords && c->nt < MAX_TARGETS / 2; s++) {
			uint64_t e = ld_be(w->file + c->t[i].off + s * 8);
			if (!(e >> 63) || (e >> 62 & 1))
				continue;
			level[c->nt] = level[i] + 1;
			add_target(c, e & ~0xc0000000000000ffull, 1u << idx_bits(c, level[i] + 1), true);
		}
	size_t head_off = wc_file_off(w, wc_vmci_value(w, "SYMBOL(vmemmap_list)", 16) - PAGE_OFFSET);
	uint64_t node = head_off ? wc_ld_le(w->file + head_off, 8) : 0;
	while (node && c->nt < MAX_TARGETS) {
		size_t before = c->nt;
		add_target(c, node - PAGE_OFFSET, 3, false);
		if (c->nt == before)
			break;
		node = wc_ld_le(w->file + c->t[c->nt - 1].off, 8);
	}
	if (!c->nt)
		abort();
}

/* The patch's offset and 8 bytes: a link to another target with bit 7. */
static size_t patch(const struct wc_core *w, const uint8_t p[11], uint8_t raw[8])
{
	const struct core *c = (const struct core *)w;
	const struct target *t = &c->t[(p[0] & 0x7f) % c->nt];
	uint64_t v = wc_ld_le(p + 3, 8);
	if (p[0] & 0x80) {
		const struct target *o = &c->t[(v & 0xff) % c->nt];
		v = t->table ? o->pa | 1ull << 63 | (v >> 8 & 0x1f) : o->pa + PAGE_OFFSET;
	}
	if (t->table)
		wc_st64_be(raw, v);
	else
		wc_st64_le(raw, v);
	return t->off + (wc_ld_le(p + 1, 2) % t->nwords) * 8;
}

WC_HARNESS("ppc64", false, find_targets, patch)
