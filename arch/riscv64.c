// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * riscv64: Sv39, Sv48 or Sv57 paging, 4K pages, 9 index bits per level.
 * The kernel picks the mode at boot (it falls back from Sv57 to Sv48 to
 * Sv39 on harts without the larger one) and exports the result as
 * NUMBER(VA_BITS), which is a run-time value on riscv.  A PTE holds the
 * PFN in bits 53:10 and is a leaf at any level when one of R/W/X is set;
 * an Svnapot PTE (bit 63) at the last level maps a naturally aligned
 * 64 KiB run.  The root swapper_pg_dir is an image symbol, found through
 * NUMBER(va_kernel_pa_offset); the linear map goes through
 * NUMBER(PAGE_OFFSET) and NUMBER(phys_ram_base) once the page tables
 * confirm them; everything else is walked.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "walkcache.h"
#include "../src/util/bytes.h"

#define RV_PAGE_SHIFT 12
#define RV_LEVEL_BITS 9
#define PTE_V 0x1ull
#define PTE_R 0x2ull
#define PTE_W 0x4ull
#define PTE_X 0x8ull
#define PTE_N (1ull << 63)                 /* Svnapot */
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK ((1ull << 44) - 1)    /* bits 53:10 */
#define NAPOT_64K_SHIFT 16
#define IMAGE_ALIGN (2ull << 20)           /* rv64 loads the image on a PMD boundary */
#define IMAGE_TRIES 4096                   /* load places tried without va_kernel_pa_offset */

struct rv_data {
	unsigned va_bits, levels;
	struct vs_tlb tlb;
	uint64_t pgd_phys;
	uint64_t page_offset, phys_ram_base;  /* linear VA = PA - phys_ram_base + PAGE_OFFSET */
	uint64_t linear_end;                  /* the linear map's addresses that map dumped RAM */
	bool linear_ok;                       /* the formula agrees with the tables */
	bool va_known;
	int broken_code;                      /* nonzero: why nothing translates */
	char broken[480];
};

static struct vs_err *broken(const struct rv_data *d, uint64_t vaddr)
{
	return vs_err_new(d->broken_code, "riscv64: cannot translate 0x%llx: %s", (unsigned long long)vaddr,
			  d->broken);
}

static void set_broken(struct rv_data *d, int code, const char *why)
{
	d->broken_code = code;
	snprintf(d->broken, sizeof(d->broken), "%s", why);
}

static void remember(struct rv_data *d, uint64_t va, uint64_t len, uint64_t pa)
{
	vs_tlb_remember(&d->tlb, va, len, pa);
}

static bool lookup(const struct rv_data *d, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	return vs_tlb_lookup(&d->tlb, vaddr, paddr, span);
}

static unsigned level_shift(const struct rv_data *d, unsigned level)
{
	return RV_PAGE_SHIFT + (d->levels - 1 - level) * RV_LEVEL_BITS;
}

static struct vs_err *bad_pte(uint64_t vaddr, unsigned level, uint64_t slot, uint64_t e, const char *why)
{
	return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: level %u PTE at physical 0x%llx is 0x%llx (%s)",
			  (unsigned long long)vaddr, level, (unsigned long long)slot, (unsigned long long)e, why);
}

/* Is a page-table page at pa in the dump?  (Reads elsewhere would give zeros.) */
static bool in_dump(const struct vs_vmcore *vc, uint64_t pa)
{
	return vs_phys_in_dump(vc, pa);
}

/*
 * A leaf's size and base: its level's size, or 64 KiB for an Svnapot PTE
 * (PPN bits 3:0 = 1000, the only size the extension defines).  NULL, or
 * why the leaf is invalid.
 */
static const char *leaf_of(uint64_t e, unsigned shift, bool last, uint64_t *base, uint64_t *size)
{
	uint64_t ppn = e >> PTE_PPN_SHIFT & PTE_PPN_MASK;
	if (e & PTE_N) {
		if (!last || (ppn & 0xf) != 0x8)
			return "a reserved Svnapot encoding";
		*size = 1ull << NAPOT_64K_SHIFT;
		*base = (ppn << RV_PAGE_SHIFT) & ~(*size - 1);
		return NULL;
	}
	*size = 1ull << shift;
	*base = ppn << RV_PAGE_SHIFT;
	if (*base & (*size - 1))
		return "a misaligned superpage";
	return NULL;
}

/* Walks from root; at most d->levels PTE reads, each bound-checked by the reader. */
static struct vs_err *walk_from(struct vs_kernel *k, struct rv_data *d, uint64_t root, uint64_t vaddr,
				uint64_t *paddr, uint64_t *span, uint64_t *leaf_size)
{
	uint64_t table = root;
	unsigned top = d->va_bits - 1;
	if (vaddr >> top != ~0ull >> top)  /* the kernel half, sign-extended from bit VA_BITS-1 */
		return vs_err_new(VS_ERR_CORRUPT, "0x%llx is not a kernel virtual address of Sv%u",
				  (unsigned long long)vaddr, d->va_bits);
	for (unsigned level = 0; level < d->levels; level++) {
		unsigned shift = level_shift(d, level);
		uint64_t slot = table + (vaddr >> shift & ((1ull << RV_LEVEL_BITS) - 1)) * 8;
		if (!in_dump(k->vc, slot))
			return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: the level %u table at physical 0x%llx is outside the dump's memory",
					  (unsigned long long)vaddr, level, (unsigned long long)table);
		uint8_t raw[8];
		struct vs_err *err = vs_vmcore_read_phys(k->vc, slot, raw, sizeof(raw));
		if (err)
			return vs_err_wrap(err, "kernel virtual address 0x%llx: level %u table at physical 0x%llx",
					   (unsigned long long)vaddr, level, (unsigned long long)table);
		uint64_t e = vs_ld64(raw, k->big_endian);
		bool last = level + 1 == d->levels;
		if (!(e & PTE_V))
			return bad_pte(vaddr, level, slot, e, "not valid");
		if ((e & (PTE_R | PTE_W)) == PTE_W)
			return bad_pte(vaddr, level, slot, e, "writable but not readable: reserved");
		if (!(e & (PTE_R | PTE_W | PTE_X))) {
			if (last || (e & PTE_N))
				return bad_pte(vaddr, level, slot, e, "a table pointer where a leaf must be");
			table = (e >> PTE_PPN_SHIFT & PTE_PPN_MASK) << RV_PAGE_SHIFT;
			continue;
		}
		uint64_t base, leaf;
		const char *why = leaf_of(e, shift, last, &base, &leaf);
		if (why)
			return bad_pte(vaddr, level, slot, e, why);
		*paddr = base | (vaddr & (leaf - 1));
		*span = leaf - (vaddr & (leaf - 1));
		*leaf_size = leaf;
		return NULL;
	}
	return bad_pte(vaddr, d->levels, table, 0, "no leaf");  /* not reached: the last level returns */
}

static struct vs_err *walk(struct vs_kernel *k, struct rv_data *d, uint64_t vaddr, uint64_t *paddr,
			   uint64_t *span)
{
	uint64_t leaf;
	struct vs_err *err = walk_from(k, d, d->pgd_phys, vaddr, paddr, span, &leaf);
	if (!err)
		remember(d, vaddr & ~(leaf - 1), leaf, *paddr & ~(leaf - 1));
	return err;
}

static bool in_linear(const struct rv_data *d, uint64_t vaddr)
{
	return vaddr >= d->page_offset && vaddr < d->linear_end;
}

static struct vs_err *rv_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	struct rv_data *d = k->arch_data;
	uint64_t dummy;
	if (!span)
		span = &dummy;
	if (d->broken_code)
		return broken(d, vaddr);
	if (d->linear_ok && in_linear(d, vaddr)) {
		*paddr = vaddr - d->page_offset + d->phys_ram_base;
		*span = d->linear_end - vaddr;
		return NULL;
	}
	if (lookup(d, vaddr, paddr, span))
		return NULL;
	return walk(k, d, vaddr, paddr, span);
}

static bool number(const struct vs_kernel *k, const char *name, int64_t *v)
{
	struct vs_err *err = vs_vmci_number(k->vmci, name, v);
	bool ok = !err;
	vs_err_free(err);
	return ok;
}

/* NUMBER(VA_BITS): 39, 48 or 57, the mode the kernel booted in. */
static bool geometry(struct vs_kernel *k, struct rv_data *d)
{
	int64_t va;
	char why[200];
	if (!number(k, "VA_BITS", &va)) {
		set_broken(d, VS_ERR_NOKEY, "VMCOREINFO has no NUMBER(VA_BITS)");
		return false;
	}
	if (va != 39 && va != 48 && va != 57) {
		snprintf(why, sizeof(why), "VMCOREINFO: VA_BITS=%lld is no riscv64 paging mode (Sv39, Sv48, Sv57)",
			 (long long)va);
		set_broken(d, VS_ERR_CORRUPT, why);
		return false;
	}
	if (k->page_shift != RV_PAGE_SHIFT) {
		snprintf(why, sizeof(why), "VMCOREINFO: a page size of %llu bytes is not riscv64's 4096",
			 (unsigned long long)k->page_size);
		set_broken(d, VS_ERR_CORRUPT, why);
		return false;
	}
	d->va_bits = (unsigned)va;
	d->levels = ((unsigned)va - RV_PAGE_SHIFT) / RV_LEVEL_BITS;
	d->va_known = true;
	return true;
}

/* Whether the tables at root map pgd_va to root; if not, why (when why is given). */
static bool maps_itself(struct vs_kernel *k, struct rv_data *d, uint64_t root, uint64_t pgd_va,
			char *why, size_t why_size)
{
	uint64_t pa = 0, span, leaf;
	struct vs_err *err = walk_from(k, d, root, pgd_va, &pa, &span, &leaf);
	bool ok = !err && pa == root;
	if (!ok && why && err)
		snprintf(why, why_size, "%s", err->msg);
	else if (!ok && why)
		snprintf(why, why_size, "they map it to 0x%llx", (unsigned long long)pa);
	vs_err_free(err);
	return ok;
}

/*
 * Kernels before NUMBER(va_kernel_pa_offset) was exported (6.0 to 6.3;
 * no KASLR on riscv yet, so the image is linked at KERNEL_LINK_ADDR):
 * the image was loaded on some 2 MiB boundary of RAM; the right one is
 * where swapper_pg_dir maps itself.
 */
static bool find_image(struct vs_kernel *k, struct rv_data *d, uint64_t pgd_va)
{
	int64_t link;
	if (!number(k, "KERNEL_LINK_ADDR", &link) || pgd_va < (uint64_t)link || !k->vc->npieces)
		return false;
	uint64_t off = pgd_va - (uint64_t)link;
	int64_t ram;
	/* From the start of RAM (6.0+ export it), else the dump's first byte. */
	uint64_t start = number(k, "phys_ram_base", &ram) ? (uint64_t)ram : k->vc->pieces[0].paddr;
	start &= ~(IMAGE_ALIGN - 1);
	for (unsigned i = 0; i < IMAGE_TRIES; i++) {
		uint64_t root = start + i * IMAGE_ALIGN + off;
		if (in_dump(k->vc, root) && maps_itself(k, d, root, pgd_va, NULL, 0)) {
			d->pgd_phys = root;
			return true;
		}
	}
	return false;
}

/* The root: swapper_pg_dir is an image symbol, PA = VA - va_kernel_pa_offset. */
static bool root(struct vs_kernel *k, struct rv_data *d, uint64_t *pgd_va)
{
	int64_t off;
	char why[480], walk_why[200];
	struct vs_err *err = vs_vmci_symbol(k->vmci, "swapper_pg_dir", pgd_va);
	vs_err_free(err);
	if (err) {
		set_broken(d, VS_ERR_NOKEY, "VMCOREINFO has no SYMBOL(swapper_pg_dir)");
		return false;
	}
	if (number(k, "va_kernel_pa_offset", &off)) {
		d->pgd_phys = *pgd_va - (uint64_t)off;
		if (maps_itself(k, d, d->pgd_phys, *pgd_va, walk_why, sizeof(walk_why)))
			return true;
		/* The walk's own reason says which table is missing: kexec-tools
		 * (riscv, 2.0.32) leaves /proc/iomem's "Reserved" ranges out of
		 * /proc/vmcore, and early page tables live there. */
		snprintf(why, sizeof(why), "the Sv%u page tables at 0x%llx (swapper_pg_dir 0x%llx less va_kernel_pa_offset 0x%llx) do not map swapper_pg_dir to itself: %s",
			 d->va_bits, (unsigned long long)d->pgd_phys, (unsigned long long)*pgd_va,
			 (unsigned long long)off, walk_why);
		set_broken(d, VS_ERR_CORRUPT, why);
		return false;
	}
	if (find_image(k, d, *pgd_va))
		return true;
	set_broken(d, VS_ERR_NOKEY, "VMCOREINFO has no NUMBER(va_kernel_pa_offset), and no 2 MiB boundary of RAM holds an image whose swapper_pg_dir maps itself");
	return false;
}

/* The highest physical address the dump holds: the linear map's formula stops there. */
static uint64_t dump_end(const struct vs_vmcore *vc)
{
	uint64_t end = 0;
	for (size_t i = 0; i < vc->npieces; i++)
		if (vc->pieces[i].paddr + vc->pieces[i].memsz > end)
			end = vc->pieces[i].paddr + vc->pieces[i].memsz;
	return end;
}

/*
 * PAGE_OFFSET and phys_ram_base give the linear map without walking once
 * the tables agree at one linear address (mem_section's, else the first
 * RAM's); if they disagree the linear map is walked too.
 */
static void check_linear(struct vs_kernel *k, struct rv_data *d)
{
	int64_t po, base;
	if (!number(k, "PAGE_OFFSET", &po) || !number(k, "phys_ram_base", &base) || !k->vc->npieces)
		return;
	uint64_t end = dump_end(k->vc);
	if ((uint64_t)base >= end || (uint64_t)po >> (d->va_bits - 1) != ~0ull >> (d->va_bits - 1))
		return;
	d->page_offset = (uint64_t)po;
	d->phys_ram_base = (uint64_t)base;
	d->linear_end = d->page_offset + (end - d->phys_ram_base);
	if (d->linear_end < d->page_offset)
		return;  /* wraps: no linear map is that large */
	uint64_t va = 0, pa, span;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "mem_section", &va);
	vs_err_free(err);
	if (err || !in_linear(d, va)) {
		uint64_t first = k->vc->pieces[0].paddr;
		if (first < d->phys_ram_base)
			return;
		va = d->page_offset + (first - d->phys_ram_base);
	}
	err = walk(k, d, va, &pa, &span);
	d->linear_ok = err || pa == va - d->page_offset + d->phys_ram_base;
	vs_err_free(err);  /* unmapped there: nothing says the formula is wrong */
}

static struct vs_err *rv_init(struct vs_kernel *k)
{
	struct rv_data *d = calloc(1, sizeof(*d));
	if (!d)
		return vs_enomem;
	k->arch_data = d;
	if (!k->vmci) {
		set_broken(d, VS_ERR_NOKEY, "the dump has no VMCOREINFO");
		return NULL;
	}
	int64_t base;
	/* The kdump header's phys_base on riscv64 is the start of RAM. */
	k->phys_base = number(k, "phys_ram_base", &base) ? (uint64_t)base : 0;
	uint64_t pgd_va;
	if (!geometry(k, d) || !root(k, d, &pgd_va))
		return NULL;
	check_linear(k, d);
	return NULL;
}

static void rv_fini(struct vs_kernel *k)
{
	free(k->arch_data);
	k->arch_data = NULL;
}

static bool rv_is_kernel_addr(const struct vs_kernel *k, uint64_t v)
{
	const struct rv_data *d = k->arch_data;
	if (d && d->va_known)
		return v >> (d->va_bits - 1) == ~0ull >> (d->va_bits - 1);
	return v >> 63;
}

/* asm/sparsemem.h of riscv64 (every kernel that exports riscv VMCOREINFO). */
static void rv_sparsemem_bits(const struct vs_kernel *k, unsigned *ssb, unsigned *mpb)
{
	(void)k;
	*ssb = 27;
	*mpb = 56;
}

/*
 * riscv's vmemmap is offset so that the struct page of phys_ram_base's
 * pfn sits at VMEMMAP_START: vmemmap = VMEMMAP_START - (phys_ram_base >>
 * PAGE_SHIFT) * sizeof(struct page).  Every present section's struct
 * pages must be there; if not, say so, naming both, and keep
 * mem_section's (pages are never lost to a wrong VMCOREINFO value).
 */
static void rv_check_memmap(const struct vs_kernel *k, const struct vs_memmap *mm, uint64_t size,
			    char *warn, size_t warn_size)
{
	int64_t start, ram;
	if (!k->vmci || !number(k, "VMEMMAP_START", &start) || !number(k, "phys_ram_base", &ram))
		return;
	uint64_t base = (uint64_t)start - ((uint64_t)ram >> k->page_shift) * size;
	for (uint64_t nr = 0; nr < mm->nsections; nr++) {
		uint64_t want = base + nr * mm->pfns_per_section * size;
		if (!mm->mem_map[nr] || mm->mem_map[nr] == want)
			continue;
		snprintf(warn, warn_size,
			 "the vmemmap base from NUMBER(VMEMMAP_START) and NUMBER(phys_ram_base) is 0x%llx (memory section %llu's struct pages at 0x%llx), but mem_section has 0x%llx there: using mem_section's",
			 (unsigned long long)base, (unsigned long long)nr, (unsigned long long)want,
			 (unsigned long long)mm->mem_map[nr]);
		return;
	}
}

/* Exported by arch/riscv's vmcore_info.c (crash_core.c before 6.9) only. */
static const char *const riscv64_marks[] = { "NUMBER(phys_ram_base)", "NUMBER(va_kernel_pa_offset)",
					     "NUMBER(KERNEL_LINK_ADDR)", NULL };

const struct vs_arch_ops vs_arch_riscv64 = {
	.name = "riscv64",
	.elf_machine = EM_RISCV,
	.page_shift = RV_PAGE_SHIFT,
	.long_size = 8,
	.vmcoreinfo_marks = riscv64_marks,
	.init = rv_init,
	.vtop = rv_vtop,
	.fini = rv_fini,
	.is_kernel_addr = rv_is_kernel_addr,
	.sparsemem_bits = rv_sparsemem_bits,
	.check_memmap = rv_check_memmap,
};
