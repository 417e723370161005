// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppc64 / ppc64le (Book3S-64): 4K or 64K pages, hash or radix MMU
 * (NUMBER(RADIX_MMU) since 6.7, else probed: see probe_mmu()).  The linear map is
 * PAGE_OFFSET (0xc000000000000000) + physical on both MMUs; under hash it
 * is not in the Linux page tables at all.  The vmemmap comes from the
 * vmemmap_list chunks when the kernel keeps them (hash), else from the
 * page tables rooted at swapper_pg_dir, whose entries are big-endian on
 * either byte order (since 4.7: the radix MMU walks them in hardware).
 * The table geometry is not exported: it follows from the page size and
 * the MMU (see geometry()).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "walkcache.h"
#include "ppc64.h"
#include "../src/util/bytes.h"

#define E_PRESENT (1ull << 63)   /* _PAGE_PRESENT (radix "valid") */
#define E_LEAF (1ull << 62)      /* _PAGE_PTE: a leaf, also at the upper levels */
#define DIR_FLAGS 0xc0000000000000ffull  /* directory entry: flags and next-level size */
#define PA_BITS 53               /* _PAGE_PA_MAX since 4.11: the RPN ends below bit 53 */
#define SECTION_SIZE_BITS 24

struct ppc64_data {
	bool radix;
	unsigned idx[PPC64_LEVELS];  /* index bits of PGD, PUD, PMD, PTE */
	uint64_t pgd_phys, linear_end;
	struct ppc64_vmemmap vm;
	int walk_code;               /* nonzero: why the page tables are not walked */
	char walk_broken[240];
	int broken_code;             /* nonzero: why nothing translates */
	char broken[240];
};

static bool number(const struct vs_kernel *k, const char *name, int64_t *v)
{
	struct vs_err *err = k->vmci ? vs_vmci_number(k->vmci, name, v) : vs_err_new(VS_ERR_NOKEY, "none");
	bool ok = !err;
	vs_err_free(err);
	return ok;
}

static unsigned level_shift(const struct vs_kernel *k, const struct ppc64_data *d, unsigned level)
{
	unsigned s = k->page_shift;
	for (unsigned l = level + 1; l < PPC64_LEVELS; l++)
		s += d->idx[l];
	return s;
}

/* Is pa in the dump?  (A table elsewhere would read as zeros.) */
static bool in_dump(const struct vs_vmcore *vc, uint64_t pa)
{
	return vs_phys_in_dump(vc, pa);
}

static const char *const level_name[PPC64_LEVELS] = { "PGD", "PUD", "PMD", "PTE" };

static struct vs_err *bad_entry(uint64_t vaddr, unsigned level, uint64_t slot, uint64_t e, const char *why)
{
	return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: %s entry at physical 0x%llx is 0x%llx (%s)",
			  (unsigned long long)vaddr, level_name[level], (unsigned long long)slot,
			  (unsigned long long)e, why);
}

/* A leaf at level: the physical base of its 1 << shift bytes. */
static struct vs_err *leaf(uint64_t vaddr, unsigned level, uint64_t slot, uint64_t e, unsigned shift,
			   uint64_t *paddr, uint64_t *span)
{
	if (!(e & E_PRESENT))
		return bad_entry(vaddr, level, slot, e, "not present");
	uint64_t size = 1ull << shift, pa = e & ((1ull << PA_BITS) - 1) & ~(size - 1);
	*paddr = pa | (vaddr & (size - 1));
	*span = size - (vaddr & (size - 1));
	return NULL;
}

/* Walks swapper_pg_dir: 4 levels at most, each entry bound-checked and big-endian. */
static struct vs_err *walk(struct vs_kernel *k, const struct ppc64_data *d, uint64_t vaddr, uint64_t *paddr,
			   uint64_t *span)
{
	if (d->walk_code)
		return vs_err_new(d->walk_code, "ppc64: cannot translate 0x%llx: %s", (unsigned long long)vaddr,
				  d->walk_broken);
	uint64_t table = d->pgd_phys;
	for (unsigned level = 0; level < PPC64_LEVELS; level++) {
		unsigned shift = level_shift(k, d, level);
		uint64_t slot = table + (vaddr >> shift & ((1ull << d->idx[level]) - 1)) * 8;
		uint8_t raw[8];
		if (!in_dump(k->vc, slot))
			return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: the %s table at physical 0x%llx is outside the dump's memory",
					  (unsigned long long)vaddr, level_name[level], (unsigned long long)table);
		struct vs_err *err = vs_vmcore_read_phys(k->vc, slot, raw, sizeof(raw));
		if (err)
			return vs_err_wrap(err, "kernel virtual address 0x%llx: %s table at physical 0x%llx",
					   (unsigned long long)vaddr, level_name[level], (unsigned long long)table);
		uint64_t e = vs_ld64(raw, true);
		if (!e)
			return bad_entry(vaddr, level, slot, e, "none");
		if (level == PPC64_LEVELS - 1 || (e & E_LEAF)) {
			if (level == 0)
				return bad_entry(vaddr, level, slot, e, "a leaf where none is allowed");
			return leaf(vaddr, level, slot, e, shift, paddr, span);
		}
		table = e & ~DIR_FLAGS;
		if (table >> PA_BITS)
			return bad_entry(vaddr, level, slot, e, "the next table lies beyond any physical address");
	}
	return NULL;  /* not reached: the PTE level returns */
}

static struct vs_err *ppc64_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	struct ppc64_data *d = k->arch_data;
	uint64_t dummy;
	if (!span)
		span = &dummy;
	if (d->broken_code)
		return vs_err_new(d->broken_code, "ppc64: cannot translate 0x%llx: %s", (unsigned long long)vaddr,
				  d->broken);
	if (vaddr >= PPC64_PAGE_OFFSET && vaddr < d->linear_end) {
		*paddr = vaddr - PPC64_PAGE_OFFSET;
		*span = d->linear_end - vaddr;
		return NULL;
	}
	const struct ppc64_chunk *c = vs_ppc64_vmemmap_find(&d->vm, vaddr);
	if (c) {
		*paddr = c->phys + (vaddr - c->virt);
		*span = d->vm.chunk_size - (vaddr - c->virt);
		return NULL;
	}
	if (vaddr < PPC64_PAGE_OFFSET)
		return vs_err_new(VS_ERR_CORRUPT, "0x%llx is not a ppc64 kernel address", (unsigned long long)vaddr);
	return walk(k, d, vaddr, paddr, span);
}

static void set_broken(int *code, char *buf, size_t size, int c, const char *why)
{
	*code = c;
	snprintf(buf, size, "%s", why);
}

/*
 * Index bits per level (PGD, PUD, PMD, PTE); the kernel picks them at
 * boot from the MMU (book3s64 __pgd_index_size etc.) and exports none:
 *  - radix (4.7+): 13/9/9/5 with 64K pages, 13/9/9/9 with 4K (52-bit VA);
 *  - hash 64K: 8/10/10/8 since 4.17 (4PB of VA; 8/7/10/8 in 4.12-4.16);
 *  - hash 4K: 9/9/7/9 since 3.7.
 */
static void geometry(const struct vs_kernel *k, struct ppc64_data *d)
{
	static const unsigned radix64[] = { 13, 9, 9, 5 }, radix4[] = { 13, 9, 9, 9 };
	static const unsigned hash64[] = { 8, 10, 10, 8 }, hash4[] = { 9, 9, 7, 9 };
	const unsigned *g = d->radix ? (k->page_shift == 16 ? radix64 : radix4)
				     : (k->page_shift == 16 ? hash64 : hash4);
	for (unsigned l = 0; l < PPC64_LEVELS; l++)
		d->idx[l] = g[l];
}

/*
 * MAX_PHYSMEM_BITS for kernels that do not export it (5.9 added it to
 * the generic VMCOREINFO): 51 with 64K pages since 4.20, else 46.
 */
static unsigned default_physmem_bits(const struct vs_kernel *k)
{
	return k->page_shift == 16 ? 51 : 46;
}

/*
 * The linear map ends where physical memory can end, or earlier at
 * VMALLOC_START (exported since 2024; vmalloc follows the linear map in
 * the 0xc region since 5.2).
 */
static void linear_range(const struct vs_kernel *k, struct ppc64_data *d)
{
	int64_t bits, vstart;
	if (!number(k, "MAX_PHYSMEM_BITS", &bits) || bits < 32 || bits > PA_BITS)
		bits = default_physmem_bits(k);
	d->linear_end = PPC64_PAGE_OFFSET + (1ull << bits);
	if (number(k, "VMALLOC_START", &vstart) && (uint64_t)vstart > PPC64_PAGE_OFFSET &&
	    (uint64_t)vstart < d->linear_end)
		d->linear_end = (uint64_t)vstart;
}

/*
 * The root: swapper_pg_dir, a linear address.  Under radix the tables map
 * the linear map too, so walking swapper_pg_dir's own address must land on
 * it: if not, the geometry or the tables are wrong and only the linear map
 * and vmemmap_list translate (the error names both addresses).
 */
static void root(struct vs_kernel *k, struct ppc64_data *d)
{
	uint64_t va, pa, span;
	char why[240];
	struct vs_err *err = vs_vmci_symbol(k->vmci, "swapper_pg_dir", &va);
	vs_err_free(err);
	if (err || va < PPC64_PAGE_OFFSET || va >= d->linear_end) {
		set_broken(&d->walk_code, d->walk_broken, sizeof(d->walk_broken), VS_ERR_NOKEY,
			   "VMCOREINFO has no SYMBOL(swapper_pg_dir) in the linear map");
		return;
	}
	d->pgd_phys = va - PPC64_PAGE_OFFSET;
	if (!d->radix)
		return;
	err = walk(k, d, va, &pa, &span);
	if (!err && pa == d->pgd_phys)
		return;
	if (err)
		snprintf(why, sizeof(why), "the radix tables (%u/%u/%u/%u index bits) do not map swapper_pg_dir 0x%llx: %s",
			 d->idx[0], d->idx[1], d->idx[2], d->idx[3], (unsigned long long)va, err->msg);
	else
		snprintf(why, sizeof(why), "the radix tables map swapper_pg_dir 0x%llx to 0x%llx, not 0x%llx",
			 (unsigned long long)va, (unsigned long long)pa, (unsigned long long)d->pgd_phys);
	vs_err_free(err);
	set_broken(&d->walk_code, d->walk_broken, sizeof(d->walk_broken), VS_ERR_CORRUPT, why);
}

/*
 * Kernels before NUMBER(RADIX_MMU) (Debian 12's 6.1) do not say which MMU
 * runs.  Only radix tables map the linear map, so swapper_pg_dir walking
 * to itself with the radix geometry means radix; else hash.
 */
static void probe_mmu(struct vs_kernel *k, struct ppc64_data *d)
{
	d->radix = true;
	geometry(k, d);
	root(k, d);
	if (!d->walk_code || d->walk_code == VS_ERR_NOKEY)
		return;
	d->radix = false;
	d->walk_code = 0;
	d->walk_broken[0] = 0;
	geometry(k, d);
	root(k, d);
}

static struct vs_err *ppc64_init(struct vs_kernel *k)
{
	struct ppc64_data *d = calloc(1, sizeof(*d));
	if (!d)
		return vs_enomem;
	k->arch_data = d;
	k->phys_base = 0;
	int64_t radix = 0;
	if (!k->vmci) {
		set_broken(&d->broken_code, d->broken, sizeof(d->broken), VS_ERR_NOKEY, "the dump has no VMCOREINFO");
		return NULL;
	}
	if (k->page_shift != 12 && k->page_shift != 16) {
		char why[120];
		snprintf(why, sizeof(why), "VMCOREINFO: PAGESIZE=%llu is neither 4K nor 64K",
			 (unsigned long long)k->page_size);
		set_broken(&d->broken_code, d->broken, sizeof(d->broken), VS_ERR_CORRUPT, why);
		return NULL;
	}
	linear_range(k, d);
	if (number(k, "RADIX_MMU", &radix)) {  /* exported since 6.7, with cur_cpu_spec */
		d->radix = radix == 1;
		geometry(k, d);
		root(k, d);
	} else {
		probe_mmu(k, d);
	}
	struct vs_err *err = vs_ppc64_vmemmap_read(k, d->linear_end, &d->vm);
	if (err) {
		set_broken(&d->broken_code, d->broken, sizeof(d->broken), err->code, err->msg);
		vs_err_free(err);
	}
	return NULL;
}

static void ppc64_fini(struct vs_kernel *k)
{
	struct ppc64_data *d = k->arch_data;
	if (d)
		free(d->vm.chunks);
	free(d);
	k->arch_data = NULL;
}

static bool ppc64_is_kernel_addr(const struct vs_kernel *k, uint64_t v)
{
	(void)k;
	return v >= PPC64_PAGE_OFFSET;
}

static void ppc64_sparsemem_bits(const struct vs_kernel *k, unsigned *ssb, unsigned *mpb)
{
	*ssb = SECTION_SIZE_BITS;
	*mpb = default_physmem_bits(k);
}

/*
 * With vmemmap_list chunks, the lowest one starts the vmemmap: the struct
 * page of pfn 0, where RAM starts on ppc64.  mem_section must agree.
 */
static void ppc64_check_memmap(const struct vs_kernel *k, const struct vs_memmap *mm, uint64_t size, char *warn,
			       size_t warn_size)
{
	const struct ppc64_data *d = k->arch_data;
	(void)size;
	if (!d || !d->vm.n || !mm->nsections || !mm->mem_map[0] || mm->mem_map[0] == d->vm.chunks[0].virt)
		return;
	snprintf(warn, warn_size,
		 "the lowest vmemmap_list entry starts at 0x%llx, but mem_section has memory section 0's struct pages at 0x%llx: using mem_section's",
		 (unsigned long long)d->vm.chunks[0].virt, (unsigned long long)mm->mem_map[0]);
}

/* Exported by arch/powerpc's vmcore_info.c (machine_kexec.c before 6.9) only. */
static const char *const ppc64_marks[] = { "SYMBOL(mmu_psize_defs)", "SYMBOL(vmemmap_list)",
					   "SYMBOL(mmu_vmemmap_psize)", "NUMBER(RADIX_MMU)", NULL };

const struct vs_arch_ops vs_arch_ppc64 = {
	.name = "ppc64",
	.elf_machine = EM_PPC64,
	.page_shift = 16,
	.long_size = 8,
	.vmcoreinfo_marks = ppc64_marks,
	.init = ppc64_init,
	.vtop = ppc64_vtop,
	.fini = ppc64_fini,
	.is_kernel_addr = ppc64_is_kernel_addr,
	.sparsemem_bits = ppc64_sparsemem_bits,
	.check_memmap = ppc64_check_memmap,
};
