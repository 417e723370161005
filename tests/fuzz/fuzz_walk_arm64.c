// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arm64 walkers (arch/arm64*.c) fed damaged page tables and VMCOREINFO:
 * small tests/gen/mkvmcore cores of every granule and descriptor format
 * (4k-48, 4k-52 LPA2, 4k-52-on-48, 16k-47, 16k-52 LPA2, 64k-42, 64k-52
 * LPA), written by fuzz.mk into build/fuzz/arm64 (FUZZ_ARM64_CORES sets
 * another directory), each kept in a memfd; an input patches one of them,
 * the dump runs, and the patches are undone (walkcore.c).
 *
 * Input: as walkcore.h says (byte 0's layout mod 7); each 11-byte
 * page-table patch is: byte: a table page of the walk from swapper_pg_dir,
 * mod their count, bit 7 means the value's low byte picks a table page whose
 * address becomes the descriptor; little-endian u16 word of that page;
 * u64 value.
 */
#include <stdlib.h>

#include "arm64.h"
#include "walkcore.h"

#define NLAYOUTS 7
#define MAX_TABLES 256

static const char *const layouts[NLAYOUTS] = { "4k-48", "4k-52", "4k-52-on-48", "16k-47",
					       "16k-52", "64k-42", "64k-52" };

static const struct wc_key keys[] = {
	{ "NUMBER(VA_BITS)", WC_DEC },           { "NUMBER(TCR_EL1_T1SZ)", WC_HEX0X },
	{ "NUMBER(PHYS_OFFSET)", WC_HEX0X },     { "NUMBER(kimage_voffset)", WC_HEX0X },
	{ "PAGESIZE", WC_DEC },                  { "SYMBOL(swapper_pg_dir)", WC_HEX },
	{ "SYMBOL(vmemmap)", WC_HEX },           { "NUMBER(VMEMMAP_START)", WC_HEX0X },
	{ "NUMBER(SECTION_SIZE_BITS)", WC_DEC }, { "SYMBOL(mem_section)", WC_HEX },
	{ "NUMBER(MAX_PHYSMEM_BITS)", WC_DEC },  { "KERNELOFFSET", WC_DEC },
};

struct core {
	struct wc_core w;
	size_t table_off[MAX_TABLES];
	uint64_t table_pa[MAX_TABLES];
	size_t ntables, page;
};

static struct core cores[NLAYOUTS];

/* Every table page reachable from swapper_pg_dir (breadth first, at most MAX_TABLES). */
static void find_tables(struct wc_core *w)
{
	struct core *c = (struct core *)w;
	struct arm64_geom g;
	char why[160];
	unsigned page_shift = (unsigned)__builtin_ctzll(wc_vmci_value(w, "PAGESIZE", 10));
	unsigned va = (unsigned)wc_vmci_value(w, "NUMBER(VA_BITS)", 10);
	unsigned actual = 64 - (unsigned)wc_vmci_value(w, "NUMBER(TCR_EL1_T1SZ)", 16);
	if (vs_arm64_geom_init(&g, page_shift, va, actual, why, sizeof(why)))
		abort();
	c->page = (size_t)1 << page_shift;
	uint64_t pgd = wc_vmci_value(w, "SYMBOL(swapper_pg_dir)", 16) - wc_vmci_value(w, "NUMBER(kimage_voffset)", 16);
	unsigned level[MAX_TABLES];
	c->table_pa[0] = pgd;
	level[0] = 0;
	c->ntables = 1;
	for (size_t i = 0; i < c->ntables; i++) {
		if (!(c->table_off[i] = wc_file_off(w, c->table_pa[i])))
			abort();
		if (level[i] + 1 == g.levels)
			continue;
		size_t slots = i ? c->page / 8 : (size_t)1 << (g.walk_bits - vs_arm64_level_shift(&g, 0));
		for (size_t s = 0; s < slots && c->ntables < MAX_TABLES; s++) {
			uint64_t e = wc_ld_le(w->file + c->table_off[i] + s * 8, 8);
			if ((e & 3) != 3)
				continue;
			level[c->ntables] = level[i] + 1;
			c->table_pa[c->ntables++] = vs_arm64_desc_addr(&g, e);
		}
	}
}

static size_t patch(const struct wc_core *w, const uint8_t p[11], uint8_t raw[8])
{
	const struct core *c = (const struct core *)w;
	size_t off = c->table_off[(p[0] & 0x7f) % c->ntables] + (wc_ld_le(p + 1, 2) % (c->page / 8)) * 8;
	uint64_t v = wc_ld_le(p + 3, 8);
	if (p[0] & 0x80)  /* a descriptor to another table: loops, shared and cross-level tables */
		v = c->table_pa[(v & 0xff) % c->ntables] | (v & 0xffff000000000ffcull) | 3;
	wc_st64_le(raw, v);
	return off;
}

WC_HARNESS("arm64", false, find_tables, patch)
