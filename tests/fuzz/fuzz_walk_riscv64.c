// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The riscv64 walker (arch/riscv64.c) fed damaged page tables and
 * VMCOREINFO: small tests/gen/mkvmcore cores of Sv39, Sv48, Sv57, Sv57 with
 * Svnapot runs (6.12 keys) and Sv39 with 6.1's keys (no
 * va_kernel_pa_offset: the image is searched for), written by fuzz.mk into
 * build/fuzz/riscv64 (FUZZ_RISCV64_CORES sets another directory), each kept
 * in a memfd; an input patches one of them, the dump runs, and the patches
 * are undone (walkcore.c).
 *
 * Input: as walkcore.h says (byte 0's layout mod 5); each 11-byte
 * page-table patch is: byte: a table page of the walk from swapper_pg_dir,
 * mod their count, bit 7 means the value's low byte picks a table page whose
 * PFN becomes the PTE's, with the value's flag bits; little-endian u16 word
 * of that page; u64 value.
 */
#include <stdlib.h>

#include "walkcore.h"

#define NLAYOUTS 5
#define MAX_TABLES 256

static const char *const layouts[NLAYOUTS] = { "sv39", "sv48", "sv57", "sv57-napot", "sv39-61" };
#define IMAGE_PA 0x80200000ull  /* where tests/gen loads the image (6.1 cores export no offset) */

static const struct wc_key keys[] = {
	{ "NUMBER(VA_BITS)", WC_DEC },            { "NUMBER(phys_ram_base)", WC_DEC },
	{ "NUMBER(PAGE_OFFSET)", WC_HEX0X },      { "NUMBER(va_kernel_pa_offset)", WC_HEX0X },
	{ "PAGESIZE", WC_DEC },                   { "SYMBOL(swapper_pg_dir)", WC_HEX },
	{ "NUMBER(KERNEL_LINK_ADDR)", WC_HEX0X }, { "NUMBER(VMEMMAP_START)", WC_HEX0X },
	{ "NUMBER(SECTION_SIZE_BITS)", WC_DEC },  { "SYMBOL(mem_section)", WC_HEX },
	{ "NUMBER(MAX_PHYSMEM_BITS)", WC_DEC },   { "SYMBOL(vmemmap)", WC_HEX },
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
	unsigned levels = ((unsigned)wc_vmci_value(w, "NUMBER(VA_BITS)", 10) - 12) / 9;
	uint64_t pgd_va = wc_vmci_value(w, "SYMBOL(swapper_pg_dir)", 16), off;
	if (!wc_vmci_find(w, "NUMBER(va_kernel_pa_offset)", 16, &off))
		off = wc_vmci_value(w, "NUMBER(KERNEL_LINK_ADDR)", 16) - IMAGE_PA;
	c->page = 4096;
	unsigned level[MAX_TABLES];
	c->table_pa[0] = pgd_va - off;
	level[0] = 0;
	c->ntables = 1;
	for (size_t i = 0; i < c->ntables; i++) {
		if (!(c->table_off[i] = wc_file_off(w, c->table_pa[i])))
			abort();
		if (level[i] + 1 == levels)
			continue;
		for (size_t s = 0; s < 512 && c->ntables < MAX_TABLES; s++) {
			uint64_t e = wc_ld_le(w->file + c->table_off[i] + s * 8, 8);
			if ((e & 0xf) != 1)  /* valid, R/W/X clear: a pointer to the next level */
				continue;
			level[c->ntables] = level[i] + 1;
			c->table_pa[c->ntables++] = (e >> 10 & ((1ull << 44) - 1)) << 12;
		}
	}
}

static size_t patch(const struct wc_core *w, const uint8_t p[11], uint8_t raw[8])
{
	const struct core *c = (const struct core *)w;
	size_t off = c->table_off[(p[0] & 0x7f) % c->ntables] + (wc_ld_le(p + 1, 2) % (c->page / 8)) * 8;
	uint64_t v = wc_ld_le(p + 3, 8);
	if (p[0] & 0x80)  /* a PTE to another table: loops, shared and cross-level tables */
		v = (c->table_pa[(v & 0xff) % c->ntables] >> 12) << 10 | (v & 0xffc00000000003feull) | 1;
	wc_st64_le(raw, v);
	return off;
}

WC_HARNESS("riscv64", false, find_tables, patch)
