// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The memory model's dispatch, SPARSEMEM mem_section decoding (for every
 * memory section below max_mapnr, the virtual address of its struct page
 * array) and FLATMEM; DISCONTIGMEM is in discontig.c.  All pointers come
 * from the dead kernel's memory and are validated before use.
 */
#include "vmsift/memmodel.h"

#include <stdlib.h>
#include <string.h>

#include "arch.h"

#define SECTION_MARKED_PRESENT 0x1ull
/*
 * The low bits of section_mem_map are flags (PRESENT, HAS_MEM_MAP, ONLINE,
 * EARLY, optionally TAINT_ZONE_DEVICE and VMEMMAP_PREINIT).  The encoded
 * address is at least 64-byte aligned (it is vmemmap_base - a multiple of
 * sizeof(struct page) * PAGES_PER_SECTION), so masking 6 bits is safe even
 * when both optional flags exist; makedumpfile's fixed 5-bit mask is not.
 */
#define SECTION_MAP_MASK (~0x3full)
#define MAX_SECTIONS (1ull << 26)

struct sect_geom {
	uint64_t symbol, size, off_map, per_root, nroots_kernel;
	bool extreme;
};

/*
 * NUMBER(SECTION_SIZE_BITS) and NUMBER(MAX_PHYSMEM_BITS), else the arch's
 * defaults for kernels that did not export them.
 */
static struct vs_err *section_bits(const struct vs_kernel *k, int64_t *ssb, int64_t *mpb)
{
	unsigned s = 0, m = 0;
	if (k->arch && k->arch->sparsemem_bits)
		k->arch->sparsemem_bits(k, &s, &m);
	*ssb = s;
	*mpb = m;
	struct vs_err *err;
	if ((err = vs_err_optional(vs_vmci_number(k->vmci, "SECTION_SIZE_BITS", ssb), NULL)) ||
	    (err = vs_err_optional(vs_vmci_number(k->vmci, "MAX_PHYSMEM_BITS", mpb), NULL)))
		return err;
	if (!*ssb || !*mpb)
		return vs_err_new(VS_ERR_NOKEY, "VMCOREINFO has no NUMBER(%s) and ELF machine %u has no default",
				  *ssb ? "MAX_PHYSMEM_BITS" : "SECTION_SIZE_BITS", k->vc->machine);
	return NULL;
}

static struct vs_err *geometry(struct vs_kernel *k, struct sect_geom *g, unsigned *sbits)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	struct vs_err *err;
	if ((err = vs_vmci_symbol(vi, "mem_section", &g->symbol)) || (err = vs_vmci_size(vi, "mem_section", &g->size)) ||
	    (err = vs_vmci_offset(vi, "mem_section.section_mem_map", &g->off_map)))
		return vs_err_wrap(err, "SPARSEMEM memory model");
	if (g->size < k->long_size || g->size > k->page_size || g->off_map + k->long_size > g->size)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: SIZE(mem_section)=%llu with section_mem_map at %llu is implausible",
				  (unsigned long long)g->size, (unsigned long long)g->off_map);
	int64_t ssb, mpb;
	if ((err = section_bits(k, &ssb, &mpb)))
		return err;
	if (ssb < (int64_t)k->page_shift || ssb > 40 || mpb < ssb || mpb > 64)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: SECTION_SIZE_BITS=%lld / MAX_PHYSMEM_BITS=%lld are implausible",
				  (long long)ssb, (long long)mpb);
	*sbits = (unsigned)ssb;
	/* SECTIONS_PER_ROOT may not be a power of two (24-byte mem_section): divide, never shift. */
	g->per_root = k->page_size / g->size;
	uint64_t nr_mem_sections = 1ull << (mpb - ssb);
	uint64_t len;
	err = vs_vmci_length(vi, "mem_section", &len);
	g->extreme = err || len != nr_mem_sections;
	vs_err_free(err);
	if (!g->extreme)
		g->per_root = 1;
	g->nroots_kernel = (nr_mem_sections + g->per_root - 1) / g->per_root;
	return NULL;
}

/* Reads section nr's section_mem_map word through its root; 0 when absent. */
static struct vs_err *section_word(struct vs_kernel *k, const struct sect_geom *g, uint64_t roots,
				   uint64_t nr, uint64_t *word)
{
	uint64_t base = roots;
	*word = 0;
	if (g->extreme) {
		uint64_t root;
		struct vs_err *err = vs_kernel_read_ptr(k, roots + nr / g->per_root * k->long_size, &root);
		if (err)
			return err;
		if (!root)
			return NULL;
		if (!vs_kernel_is_kernel_addr(k, root))
			return vs_err_new(VS_ERR_CORRUPT, "mem_section root %llu is 0x%llx, not a kernel address",
					  (unsigned long long)(nr / g->per_root), (unsigned long long)root);
		base = root;
	}
	/* Without EXTREME the array is mem_section[NR_MEM_SECTIONS][1]: section nr is entry nr. */
	uint64_t idx = g->extreme ? nr % g->per_root : nr;
	uint64_t at = base + idx * g->size + g->off_map;
	return vs_kernel_read_long(k, at, word);
}

static struct vs_err *decode_all(struct vs_kernel *k, const struct sect_geom *g, uint64_t roots,
				 const struct vs_page_layout *pl, struct vs_memmap *mm)
{
	mm->present_sections = 0;
	for (uint64_t nr = 0; nr < mm->nsections; nr++) {
		uint64_t w;
		mm->mem_map[nr] = 0;
		if (g->extreme && nr / g->per_root >= g->nroots_kernel)
			break;
		struct vs_err *err = section_word(k, g, roots, nr, &w);
		if (err)
			return vs_err_wrap(err, "memory section %llu", (unsigned long long)nr);
		if (!(w & SECTION_MARKED_PRESENT) || !(w & SECTION_MAP_MASK))
			continue;
		uint64_t map = vs_kernel_untag(k, (w & SECTION_MAP_MASK) + nr * mm->pfns_per_section * pl->size);
		if (!vs_kernel_is_kernel_addr(k, map))
			return vs_err_new(VS_ERR_CORRUPT,
					  "memory section %llu: section_mem_map 0x%llx decodes to 0x%llx, not a kernel address",
					  (unsigned long long)nr, (unsigned long long)w, (unsigned long long)map);
		mm->mem_map[nr] = map;
		mm->present_sections++;
	}
	return NULL;
}

/*
 * FLATMEM: one struct page array for all of memory, at the value of the
 * mem_map pointer.  Modelled as a single section covering every pfn.
 */
static struct vs_err *flatmem_init(struct vs_kernel *k, uint64_t max_mapnr, struct vs_memmap *mm)
{
	uint64_t sym, map;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "mem_map", &sym);
	if (err)
		return err;
	if ((err = vs_kernel_read_ptr(k, sym, &map)))
		return vs_err_wrap(err, "FLATMEM mem_map pointer");
	if (!vs_kernel_is_kernel_addr(k, map))
		return vs_err_new(VS_ERR_CORRUPT, "FLATMEM: mem_map is 0x%llx, not a kernel address",
				  (unsigned long long)map);
	mm->model = "FLATMEM";
	mm->section_pfn_shift = 63 - (unsigned)__builtin_clzll(max_mapnr | 1) + 1;
	mm->pfns_per_section = 1ull << mm->section_pfn_shift;
	mm->nsections = 1;
	if (!(mm->mem_map = calloc(1, sizeof(uint64_t))))
		return vs_enomem;
	mm->mem_map[0] = map;
	mm->present_sections = 1;
	return NULL;
}

/*
 * makedumpfile's get_mem_type() order, from the keys alone: DISCONTIGMEM
 * when the node keys are there (a SPARSEMEM kernel does not export
 * OFFSET(pglist_data.node_mem_map)), then SPARSEMEM, then FLATMEM.
 */
struct vs_err *vs_memmap_init(struct vs_kernel *k, const struct vs_page_layout *pl,
			      uint64_t max_mapnr, struct vs_memmap *mm)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	memset(mm, 0, sizeof(*mm));
	if (vs_discontig_detect(vi))
		return vs_discontig_init(k, pl, max_mapnr, mm);
	bool sparse = vs_vmci_get(vi, "SYMBOL(mem_section)") && vs_vmci_get(vi, "SIZE(mem_section)") &&
		      vs_vmci_get(vi, "OFFSET(mem_section.section_mem_map)");
	if (!sparse && vs_vmci_get(vi, "SYMBOL(mem_map)"))
		return flatmem_init(k, max_mapnr, mm);
	struct sect_geom g;
	unsigned sbits = 0;
	struct vs_err *err = geometry(k, &g, &sbits);
	if (err)
		return err;
	mm->model = g.extreme ? "SPARSEMEM_EX" : "SPARSEMEM";
	mm->section_pfn_shift = sbits - k->page_shift;
	mm->pfns_per_section = 1ull << mm->section_pfn_shift;
	mm->nsections = (max_mapnr + mm->pfns_per_section - 1) / mm->pfns_per_section;
	if (mm->nsections > MAX_SECTIONS)
		return vs_err_new(VS_ERR_CORRUPT, "%llu memory sections: max_mapnr is implausible",
				  (unsigned long long)mm->nsections);
	mm->mem_map = calloc(mm->nsections ? mm->nsections : 1, sizeof(uint64_t));
	if (!mm->mem_map)
		return vs_enomem;
	/*
	 * SYMBOL(mem_section) is the root array's address in VMCOREINFO (since
	 * kernel a0b1280368d1 it exports the pointer's value); a vmlinux gives
	 * the pointer variable instead.  Try the first reading, then dereference.
	 */
	err = decode_all(k, &g, g.symbol, pl, mm);
	if (err || !mm->present_sections) {
		uint64_t deref;
		struct vs_err *e2 = vs_kernel_read_ptr(k, g.symbol, &deref);
		if (!e2 && vs_kernel_is_kernel_addr(k, deref)) {
			struct vs_err *e3 = decode_all(k, &g, deref, pl, mm);
			if (!e3 && mm->present_sections) {
				vs_err_free(err);
				err = NULL;
			} else {
				vs_err_free(e3);
			}
		}
		vs_err_free(e2);
	}
	if (!err && !mm->present_sections)
		err = vs_err_new(VS_ERR_CORRUPT, "mem_section at 0x%llx describes no present memory section",
				 (unsigned long long)g.symbol);
	if (!err && k->arch && k->arch->check_memmap)
		k->arch->check_memmap(k, mm, pl->size, mm->warning, sizeof(mm->warning));
	if (err)
		vs_memmap_free(mm);
	return err;
}

void vs_memmap_free(struct vs_memmap *mm)
{
	free(mm->mem_map);
	free(mm->valid_end);
	mm->mem_map = mm->valid_end = NULL;
}
