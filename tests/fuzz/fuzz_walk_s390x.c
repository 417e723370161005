// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The s390x walker (arch/s390x.c) fed damaged DAT tables and VMCOREINFO:
 * small big-endian tests/gen/mkvmcore cores of 3, 4 and 5 levels, before
 * 6.7 (identity at 0) and since (IDENTITYBASE, the image apart), written by
 * fuzz.mk into build/fuzz/s390x (FUZZ_S390X_CORES sets another directory),
 * each kept in a memfd; an input patches one of them, the dump runs, and
 * the patches are undone (walkcore.c).
 *
 * Input: as walkcore.h says (byte 0's layout mod 4); each 11-byte table
 * patch is: byte: a table of the walk from swapper_pg_dir, mod their
 * count, bit 7 means the value's low byte picks a table whose address
 * becomes the entry; little-endian u16 entry index; u64 value, stored
 * big-endian as the machine's tables are.
 */
#include <stdlib.h>

#include "walkcore.h"

#define NLAYOUTS 4
#define MAX_TABLES 512

/* Base cores: fuzz.mk names them s390x-LEVELS-KERNEL. */
static const char *const layouts[NLAYOUTS] = { "3-6.1", "4-6.12", "5-6.1", "5-6.12" };

static const struct wc_key keys[] = {
	{ "PAGESIZE", WC_DEC },                  { "SYMBOL(swapper_pg_dir)", WC_HEX },
	{ "KERNELOFFSET", WC_HEX },              { "KERNELOFFPHYS", WC_HEX },
	{ "IDENTITYBASE", WC_HEX },              { "SYMBOL(mem_section)", WC_HEX },
	{ "NUMBER(SECTION_SIZE_BITS)", WC_DEC }, { "NUMBER(MAX_PHYSMEM_BITS)", WC_DEC },
	{ "SYMBOL(vmemmap)", WC_HEX },           { "SYMBOL(high_memory)", WC_HEX },
};

struct core {
	struct wc_core w;
	size_t table_off[MAX_TABLES];
	uint64_t table_pa[MAX_TABLES];
	unsigned table_entries[MAX_TABLES];  /* 2048 (region, segment) or 256 (page) */
	size_t ntables;
};

static struct core cores[NLAYOUTS];

/* Every table reachable from swapper_pg_dir (breadth first, at most MAX_TABLES). */
static void find_tables(struct wc_core *w)
{
	struct core *c = (struct core *)w;
	uint64_t pgd = wc_vmci_value(w, "SYMBOL(swapper_pg_dir)", 16), phys;
	if (wc_vmci_find(w, "KERNELOFFPHYS", 16, &phys))
		pgd = pgd - wc_vmci_value(w, "KERNELOFFSET", 16) + phys;
	int level[MAX_TABLES];
	c->table_pa[0] = pgd;
	c->table_entries[0] = 2048;
	c->ntables = 1;
	if (!(c->table_off[0] = wc_file_off(w, pgd)))
		abort();
	level[0] = (int)(wc_ld(w, w->file + c->table_off[0], 8) >> 2 & 3);
	for (size_t i = 0; i < c->ntables; i++) {
		if (!(c->table_off[i] = wc_file_off(w, c->table_pa[i])))
			abort();
		if (level[i] < 0)
			continue;  /* a page table */
		for (size_t s = 0; s < 2048 && c->ntables < MAX_TABLES; s++) {
			uint64_t e = wc_ld(w, w->file + c->table_off[i] + s * 8, 8);
			if (e & 0x20 || e & 0x400)  /* invalid, or a large leaf */
				continue;
			level[c->ntables] = level[i] - 1;
			c->table_pa[c->ntables] = level[i] ? e & ~0xfffull : e & ~0x7ffull;
			c->table_entries[c->ntables++] = level[i] ? 2048 : 256;
		}
	}
}

static size_t patch(const struct wc_core *w, const uint8_t p[11], uint8_t raw[8])
{
	const struct core *c = (const struct core *)w;
	size_t t = (p[0] & 0x7f) % c->ntables;
	size_t off = c->table_off[t] + (wc_ld_le(p + 1, 2) % c->table_entries[t]) * 8;
	uint64_t v = wc_ld_le(p + 3, 8);
	if (p[0] & 0x80)  /* an entry to another table: loops, shared and cross-level tables */
		v = c->table_pa[(v & 0xff) % c->ntables] | (v & 0xfdf);
	wc_st64_be(raw, v);
	return off;
}

WC_HARNESS("s390x", true, find_tables, patch)
