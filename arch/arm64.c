// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 (AArch64): 4K, 16K and 64K granules; 36- to 52-bit kernel VA with
 * the level count computed from granule and VA size; plain, LPA (64K,
 * PA[51:48] in descriptor bits 15:12) and LPA2 (4K/16K with 52-bit VA
 * active, PA[51:50] in bits 9:8) descriptors.  The root swapper_pg_dir is
 * an image symbol, found through kimage_voffset; the linear map goes
 * through the signed PHYS_OFFSET once the page tables confirm it;
 * everything else is walked.  Both byte orders (aarch64_be) are read.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "walkcache.h"
#include "arm64.h"
#include "../src/util/bytes.h"

#define DESC_VALID 0x1ull
#define DESC_TABLE 0x3ull      /* table, or page at the last level */
#define TAG_BIT 55

struct arm64_data {
	struct arm64_geom g;
	struct vs_tlb tlb;
	uint64_t pgd_phys;
	uint64_t page_offset;                /* PAGE_OFFSET: where the linear map formula starts */
	uint64_t linear_start, linear_end;   /* its addresses valid at run time; end 0 = 2^64 */
	int64_t phys_offset;
	bool linear_ok;                      /* PHYS_OFFSET known and agreeing with the tables */
	bool va_known;
	int broken_code;                     /* nonzero: why nothing translates */
	char broken[240];
};

static struct vs_err *broken(const struct arm64_data *d, uint64_t vaddr)
{
	return vs_err_new(d->broken_code, "arm64: cannot translate 0x%llx: %s", (unsigned long long)vaddr,
			  d->broken);
}

static void remember(struct arm64_data *d, uint64_t va, uint64_t len, uint64_t pa)
{
	vs_tlb_remember(&d->tlb, va, len, pa);
}

static bool lookup(const struct arm64_data *d, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	return vs_tlb_lookup(&d->tlb, vaddr, paddr, span);
}

static struct vs_err *unmapped(uint64_t vaddr, unsigned level, uint64_t slot, uint64_t e, const char *why)
{
	return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: level %u descriptor at physical 0x%llx is 0x%llx (%s)",
			  (unsigned long long)vaddr, level, (unsigned long long)slot, (unsigned long long)e, why);
}

/* Is a page-table page at pa in the dump?  (Reads elsewhere would give zeros.) */
static bool in_dump(const struct vs_vmcore *vc, uint64_t pa)
{
	return vs_phys_in_dump(vc, pa);
}

/* Walks swapper_pg_dir; at most g.levels descriptor reads, each bound-checked by the reader. */
static struct vs_err *walk(struct vs_kernel *k, struct arm64_data *d, uint64_t vaddr, uint64_t *paddr,
			   uint64_t *span)
{
	const struct arm64_geom *g = &d->g;
	uint64_t table = d->pgd_phys;
	if (vaddr >> g->walk_bits != ~0ull >> g->walk_bits)  /* TTBR1 translates only these */
		return vs_err_new(VS_ERR_CORRUPT, "0x%llx is not a kernel virtual address of a %u-bit VA space",
				  (unsigned long long)vaddr, g->walk_bits);
	for (unsigned level = 0; level < g->levels; level++) {
		uint64_t slot = table + vs_arm64_index(g, level, vaddr) * 8;
		vs_kernel_saw_table(k, table);
		if (!in_dump(k->vc, slot))
			return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: the level %u table at physical 0x%llx is outside the dump's memory",
					  (unsigned long long)vaddr, level, (unsigned long long)table);
		uint8_t raw[8];
		struct vs_err *err = vs_vmcore_read_phys(k->vc, slot, raw, sizeof(raw));
		if (err)
			return vs_err_wrap(err, "kernel virtual address 0x%llx: level %u table at physical 0x%llx",
					   (unsigned long long)vaddr, level, (unsigned long long)table);
		uint64_t e = vs_ld64(raw, k->big_endian);
		unsigned shift = vs_arm64_level_shift(g, level);
		bool last = level + 1 == g->levels;
		if (!(e & DESC_VALID))
			return unmapped(vaddr, level, slot, e, "not valid");
		if ((e & DESC_TABLE) == DESC_TABLE && !last) {
			table = vs_arm64_desc_addr(g, e);
			continue;
		}
		if ((e & DESC_TABLE) != DESC_TABLE && (last || shift > g->max_block_shift))
			return unmapped(vaddr, level, slot, e, "a block where none is allowed");
		uint64_t leaf = 1ull << shift, base = vs_arm64_desc_addr(g, e) & ~(leaf - 1);
		*paddr = base | (vaddr & (leaf - 1));
		*span = leaf - (vaddr & (leaf - 1));
		remember(d, vaddr & ~(leaf - 1), leaf, base);
		return NULL;
	}
	return unmapped(vaddr, g->levels, table, 0, "no leaf");  /* not reached: the last level returns */
}

static bool in_linear(const struct arm64_data *d, uint64_t vaddr)
{
	return vaddr >= d->linear_start && (d->linear_end == 0 || vaddr < d->linear_end);
}

static struct vs_err *arm64_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	struct arm64_data *d = k->arch_data;
	uint64_t dummy;
	if (!span)
		span = &dummy;
	if (d->broken_code)
		return broken(d, vaddr);
	if (k->on_table) {  /* recording the tables: walk, and fall back to the shortcuts */
		struct vs_err *err = walk(k, d, vaddr, paddr, span);
		if (!err)
			return NULL;
		vs_err_free(err);
	}
	if (d->linear_ok && in_linear(d, vaddr)) {
		/* (va & ~PAGE_OFFSET) + PHYS_OFFSET, mod 2^64: a negative PHYS_OFFSET works too. */
		*paddr = (vaddr - d->page_offset) + (uint64_t)d->phys_offset;
		*span = d->linear_end - vaddr;
		return NULL;
	}
	if (lookup(d, vaddr, paddr, span))
		return NULL;
	return walk(k, d, vaddr, paddr, span);
}

static void set_broken(struct arm64_data *d, int code, const char *why)
{
	d->broken_code = code;
	snprintf(d->broken, sizeof(d->broken), "%s", why);
}

static bool number(const struct vs_kernel *k, const char *name, int64_t *v)
{
	struct vs_err *err = vs_vmci_number(k->vmci, name, v);
	bool ok = !err;
	vs_err_free(err);
	return ok;
}

/* VA_BITS, and the size in use: 64 - TCR_EL1.T1SZ (5.9+), else VA_BITS. */
static bool geometry(struct vs_kernel *k, struct arm64_data *d)
{
	int64_t va, t1sz;
	char why[200];
	if (!number(k, "VA_BITS", &va)) {
		set_broken(d, VS_ERR_NOKEY, "VMCOREINFO has no NUMBER(VA_BITS)");
		return false;
	}
	int64_t actual = number(k, "TCR_EL1_T1SZ", &t1sz) ? 64 - t1sz : va;
	if (va < 0 || va > 64 || actual < 0 || actual > 64) {
		snprintf(why, sizeof(why), "VMCOREINFO: VA_BITS=%lld / TCR_EL1_T1SZ=%lld are implausible",
			 (long long)va, (long long)(64 - actual));
		set_broken(d, VS_ERR_CORRUPT, why);
		return false;
	}
	char bad[160];
	if (vs_arm64_geom_init(&d->g, k->page_shift, (unsigned)va, (unsigned)actual, bad, sizeof(bad))) {
		snprintf(why, sizeof(why), "VMCOREINFO: %s", bad);
		set_broken(d, VS_ERR_CORRUPT, why);
		return false;
	}
	d->va_known = true;
	return true;
}

/*
 * Since 5.4 the linear map is the bottom of the kernel half (PAGE_OFFSET =
 * -(1 << VA_BITS)) and ends at -(1 << (VA_BITS_MIN - 1)); before, it was
 * the top half.  The kernel image tells which: it lies above the linear
 * map only in the newer layout.
 */
static void linear_range(struct arm64_data *d, uint64_t image_va)
{
	unsigned va = d->g.va_bits, low = va < 48 ? va : 48;
	if (image_va >= 0 - (1ull << (low - 1))) {
		d->page_offset = 0 - (1ull << va);
		d->linear_end = 0 - (1ull << (d->g.va_min - 1));
	} else {
		d->page_offset = 0 - (1ull << (va - 1));
		d->linear_end = 0;
	}
	/* A 52-bit kernel running 48-bit (47 with 16K) has no addresses below -(1 << 48). */
	uint64_t lowest = 0 - (1ull << d->g.walk_bits);
	d->linear_start = d->page_offset > lowest ? d->page_offset : lowest;
}

/* The root: swapper_pg_dir is an image symbol, PA = VA - kimage_voffset. */
static bool root(struct vs_kernel *k, struct arm64_data *d, uint64_t *pgd_va)
{
	int64_t voff;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "swapper_pg_dir", pgd_va);
	vs_err_free(err);
	if (err) {
		set_broken(d, VS_ERR_NOKEY, "VMCOREINFO has no SYMBOL(swapper_pg_dir)");
		return false;
	}
	if (!number(k, "kimage_voffset", &voff)) {
		set_broken(d, VS_ERR_NOKEY, "VMCOREINFO has no NUMBER(kimage_voffset)");
		return false;
	}
	d->pgd_phys = *pgd_va - (uint64_t)voff;
	return true;
}

/* The tables must map swapper_pg_dir where kimage_voffset says: else the VA size or format is wrong. */
static void check_root(struct vs_kernel *k, struct arm64_data *d, uint64_t pgd_va)
{
	uint64_t pa, span;
	char why[240];
	struct vs_err *err = walk(k, d, pgd_va, &pa, &span);
	if (!err && pa == d->pgd_phys)
		return;
	if (err)
		snprintf(why, sizeof(why), "the page tables (%u levels, %u-bit VA) do not map swapper_pg_dir 0x%llx: %s",
			 d->g.levels, d->g.walk_bits, (unsigned long long)pgd_va, err->msg);
	else
		snprintf(why, sizeof(why), "the page tables (%u levels, %u-bit VA) map swapper_pg_dir 0x%llx to 0x%llx, not 0x%llx as kimage_voffset says",
			 d->g.levels, d->g.walk_bits, (unsigned long long)pgd_va, (unsigned long long)pa,
			 (unsigned long long)d->pgd_phys);
	vs_err_free(err);
	set_broken(d, VS_ERR_CORRUPT, why);
}

/*
 * PHYS_OFFSET gives the linear map without walking, once the tables agree
 * at one linear address (mem_section's, else the first RAM's); if they
 * disagree the linear map is walked too.
 */
static void check_linear(struct vs_kernel *k, struct arm64_data *d)
{
	uint64_t va = 0, pa, span;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "mem_section", &va);
	vs_err_free(err);
	if (err || !in_linear(d, va)) {
		if (!k->vc->npieces)
			return;
		va = d->page_offset + (k->vc->pieces[0].paddr - (uint64_t)d->phys_offset);
	}
	if (!in_linear(d, va))
		return;
	err = walk(k, d, va, &pa, &span);
	d->linear_ok = err || pa == va - d->page_offset + (uint64_t)d->phys_offset;
	vs_err_free(err);  /* unmapped there: nothing says PHYS_OFFSET is wrong */
}

static struct vs_err *arm64_init(struct vs_kernel *k)
{
	struct arm64_data *d = calloc(1, sizeof(*d));
	if (!d)
		return vs_enomem;
	k->arch_data = d;
	int64_t po;
	bool has_po = number(k, "PHYS_OFFSET", &po);
	k->phys_base = has_po ? (uint64_t)po : 0;  /* the kdump header's phys_base on arm64 */
	uint64_t pgd_va;
	if (!k->vmci) {
		set_broken(d, VS_ERR_NOKEY, "the dump has no VMCOREINFO");
		return NULL;
	}
	if (!geometry(k, d) || !root(k, d, &pgd_va))
		return NULL;
	linear_range(d, pgd_va);
	check_root(k, d, pgd_va);
	if (!d->broken_code && has_po) {
		d->phys_offset = po;
		check_linear(k, d);
	}
	return NULL;
}

static void arm64_fini(struct vs_kernel *k)
{
	free(k->arch_data);
	k->arch_data = NULL;
}

/* TBI: the top byte may carry a KASAN or MTE tag; bit 55 says which half the address is in. */
static uint64_t arm64_untag(const struct vs_kernel *k, uint64_t v)
{
	(void)k;
	return v >> TAG_BIT & 1 ? v | 0xff00000000000000ull : v & 0x00ffffffffffffffull;
}

static bool arm64_is_kernel_addr(const struct vs_kernel *k, uint64_t v)
{
	const struct arm64_data *d = k->arch_data;
	if (d && d->va_known)
		return v >= 0 - (1ull << d->g.va_bits);
	return v >> 63;
}

/*
 * For kernels that did not export them: SECTION_SIZE_BITS was 30 before
 * 5.12 (which exports it from 5.12.13 on), MAX_PHYSMEM_BITS follows the
 * descriptor format.
 */
static void arm64_sparsemem_bits(const struct vs_kernel *k, unsigned *ssb, unsigned *mpb)
{
	const struct arm64_data *d = k->arch_data;
	*ssb = 30;
	*mpb = d && d->va_known && d->g.fmt != ARM64_FMT_PLAIN ? 52 : 48;
}

/*
 * Where the kernel says struct pages start (the struct page of pfn 0):
 * SYMBOL(vmemmap) (6.9+), else NUMBER(VMEMMAP_START) less PHYS_OFFSET's
 * pfn (5.18+; PHYS_OFFSET is negative on a 52-bit kernel running 48-bit,
 * so the shift is arithmetic).  False when it exports neither.
 */
static bool exported_vmemmap(const struct vs_kernel *k, uint64_t size, uint64_t *base, const char **from)
{
	int64_t start, po;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "vmemmap", base);
	vs_err_free(err);
	*from = "SYMBOL(vmemmap)";
	if (!err)
		return true;
	if (!number(k, "VMEMMAP_START", &start) || !number(k, "PHYS_OFFSET", &po))
		return false;
	*from = "NUMBER(VMEMMAP_START) and NUMBER(PHYS_OFFSET)";
	*base = (uint64_t)start - (uint64_t)(po >> k->page_shift) * size;
	return true;
}

/*
 * The engine takes struct pages from mem_section (through the page tables);
 * the exported base must agree for every present section.  If not, one of
 * them is damaged: say so, naming both, and keep mem_section's (pages are
 * never lost to a wrong VMCOREINFO value).
 */
static void arm64_check_memmap(const struct vs_kernel *k, const struct vs_memmap *mm, uint64_t size,
			       char *warn, size_t warn_size)
{
	uint64_t base;
	const char *from;
	if (!k->vmci || !exported_vmemmap(k, size, &base, &from))
		return;
	base = arm64_untag(k, base);
	for (uint64_t nr = 0; nr < mm->nsections; nr++) {
		uint64_t want = base + nr * mm->pfns_per_section * size;
		if (!mm->mem_map[nr] || mm->mem_map[nr] == want)
			continue;
		snprintf(warn, warn_size,
			 "the vmemmap base from %s is 0x%llx (memory section %llu's struct pages at 0x%llx), but mem_section has 0x%llx there: using mem_section's",
			 from, (unsigned long long)base, (unsigned long long)nr, (unsigned long long)want,
			 (unsigned long long)mm->mem_map[nr]);
		return;
	}
}

/* The linear map: (pa - PHYS_OFFSET) | PAGE_OFFSET, mod 2^64 as in arm64_vtop. */
static bool arm64_direct_map(const struct vs_kernel *k, uint64_t paddr, uint64_t *vaddr)
{
	const struct arm64_data *d = k->arch_data;
	if (!d || !d->linear_ok)
		return false;
	*vaddr = paddr - (uint64_t)d->phys_offset + d->page_offset;
	return in_linear(d, *vaddr);
}

/* Exported by arch/arm64's vmcore_info.c (crash_core.c before 6.9) only. */
static const char *const arm64_marks[] = { "NUMBER(kimage_voffset)", "NUMBER(TCR_EL1_T1SZ)",
					   "NUMBER(KERNELPACMASK)", NULL };

const struct vs_arch_ops vs_arch_arm64 = {
	.name = "aarch64",
	.elf_machine = EM_AARCH64,
	.page_shift = 12,
	.long_size = 8,
	.vmcoreinfo_marks = arm64_marks,
	.init = arm64_init,
	.vtop = arm64_vtop,
	.fini = arm64_fini,
	.is_kernel_addr = arm64_is_kernel_addr,
	.untag = arm64_untag,
	.sparsemem_bits = arm64_sparsemem_bits,
	.check_memmap = arm64_check_memmap,
	.prstatus_sp_offset = 360,  /* pr_reg at 112, sp = regs[31] */
	.direct_map = arm64_direct_map,
};
