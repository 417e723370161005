// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMCOREINFO text: the parser and every typed lookup the engine makes, then
 * the whole engine (and the printk ring reader) on the mini machine (minicore.h) with the input as its
 * VMCOREINFO note, at -d 31 (so sizes, offsets, bit numbers and symbols that
 * overflow or point anywhere reach the memory model and the walkers).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "minicore.h"
#include "vmsift/memmodel.h"
#include "vmsift/vmcoreinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"page", "mem_section", "init_uts_ns", "init_top_pgt", "zone.free_area", "page.flags",
	"phys_base", "SECTION_SIZE_BITS", "MAX_PHYSMEM_BITS", "PG_head_mask", "node_data",
};

static void lookups(const struct vs_vmcoreinfo *vi)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t u;
		int64_t s;
		vs_err_free(vs_vmci_symbol(vi, names[i], &u));
		vs_err_free(vs_vmci_size(vi, names[i], &u));
		vs_err_free(vs_vmci_offset(vi, names[i], &u));
		vs_err_free(vs_vmci_length(vi, names[i], &u));
		vs_err_free(vs_vmci_number(vi, names[i], &s));
	}
	uint64_t u;
	vs_err_free(vs_vmci_dec(vi, "PAGESIZE", &u));
	vs_err_free(vs_vmci_hex(vi, "KERNELOFFSET", &u));
	(void)vs_vmci_get(vi, "OSRELEASE");
	struct vs_page_layout pl;
	vs_err_free(vs_page_layout_init(vi, &pl));
}

/* The memory variant that matches the text best, so valid texts get far. */
static unsigned variant_for(const uint8_t *d, size_t n)
{
	unsigned v = 0;
	if (memmem(d, n, "PAGE_SLAB_MAPCOUNT_VALUE", 24))
		v |= MINI_V612;
	if (memmem(d, n, "LENGTH(mem_section)=1\n", 22))
		v |= MINI_VEXTREME;
	if (memmem(d, n, "pgtable_l5_enabled)=1", 21))
		v |= MINI_VL5;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t ram[MINI_RAM_BYTES];
	struct vs_vmcoreinfo *vi;
	struct vs_err *err = vs_vmci_parse((const char *)data, size, &vi);
	if (err) {
		vs_err_free(err);
		return 0;
	}
	lookups(vi);
	vs_vmci_free(vi);
	struct mini_opts o = { .variant = variant_for(data, size), .vmcoreinfo = (const char *)data,
			       .vmcoreinfo_len = size };
	mini_memory(o.variant, ram);
	size_t len;
	uint8_t *elf = mini_elf(&o, ram, &len);
	if (!elf)
		return 0;
	const char *path = fz_file(elf, len);
	free(elf);
	struct fz_dump d = { .level = 31, .exclude_vmemmap = size & 1, .elf_out = size & 2,
			     .max_pfn = 1u << 20, .dmesg = true, .dmesg_partial = size & 4 };
	fz_run_dump(path, &d);
	return 0;
}
