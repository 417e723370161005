// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64: kernel-image addresses translate linearly through phys_base, the
 * direct map through page_offset (from the PT_LOADs), everything else by
 * walking the kernel page tables from init_top_pgt (4- or 5-level).
 */
#include <elf.h>
#include <stdlib.h>

#include "arch.h"
#include "../src/util/bytes.h"

#define START_KERNEL_MAP 0xffffffff80000000ull
#define DEFAULT_KERNEL_IMAGE_SIZE (1ull << 30)
#define PTE_PRESENT 0x1ull
#define PTE_PSE 0x80ull
#define PTE_ADDR_MASK 0x000ffffffffff000ull

#define TLB_SIZE 8

/* A translated leaf mapping: [va, va + len) is physically contiguous at pa. */
struct tlb_entry {
	uint64_t va, len, pa;
};

struct x86_64_data {
	struct tlb_entry tlb[TLB_SIZE];  /* recent page-table leaves, so the vmemmap scan walks once per leaf */
	unsigned tlb_next;
	uint64_t pgd_phys;      /* physical address of init_top_pgt, 0 if unknown */
	uint64_t kernel_image_size;
	uint64_t page_offset;   /* direct-map base, 0 if unknown */
	uint64_t phys_end;      /* highest PT_LOAD end: the direct map's extent */
	uint64_t sme_mask;
	bool l5;
};

/* phys_base: NUMBER(phys_base) (printed signed: often negative with KASLR), else from the text PT_LOAD. */
static uint64_t find_phys_base(const struct vs_kernel *k)
{
	int64_t n;
	struct vs_err *err = vs_vmci_number(k->vmci, "phys_base", &n);
	if (!err)
		return (uint64_t)n;
	vs_err_free(err);
	if (k->vc->has_phys_base)  /* a kdump-compressed input's sub-header */
		return k->vc->phys_base;
	for (size_t i = 0; i < k->vc->nloads; i++) {
		const struct vs_load *l = &k->vc->loads[i];
		if (l->vaddr >= START_KERNEL_MAP)
			return l->paddr - (l->vaddr - START_KERNEL_MAP);
	}
	return 0;
}

/* /proc/vmcore's RAM PT_LOADs carry direct-map addresses: page_offset = vaddr - paddr. */
static uint64_t find_page_offset(const struct vs_kernel *k)
{
	uint64_t po = 0;
	for (size_t i = 0; i < k->vc->nloads; i++) {
		const struct vs_load *l = &k->vc->loads[i];
		if (l->vaddr >= 0xffff800000000000ull && l->vaddr < START_KERNEL_MAP && l->vaddr >= l->paddr)
			po = l->vaddr - l->paddr;
	}
	return po;
}

static struct vs_err *x86_64_init(struct vs_kernel *k)
{
	struct x86_64_data *d = calloc(1, sizeof(*d));
	if (!d)
		return vs_enomem;
	k->arch_data = d;
	k->phys_base = find_phys_base(k);
	d->page_offset = find_page_offset(k);
	for (size_t i = 0; i < k->vc->npieces; i++) {
		uint64_t end = k->vc->pieces[i].paddr + k->vc->pieces[i].memsz;
		if (end > d->phys_end)
			d->phys_end = end;
	}
	int64_t n;
	struct vs_err *err = vs_vmci_number(k->vmci, "pgtable_l5_enabled", &n);
	d->l5 = !err && n;
	vs_err_free(err);
	err = vs_vmci_number(k->vmci, "KERNEL_IMAGE_SIZE", &n);
	d->kernel_image_size = !err && n > 0 ? (uint64_t)n : DEFAULT_KERNEL_IMAGE_SIZE;
	vs_err_free(err);
	err = vs_vmci_number(k->vmci, "sme_mask", &n);
	d->sme_mask = err ? 0 : (uint64_t)n;
	vs_err_free(err);
	uint64_t pgt;
	/* init_level4_pgt was renamed init_top_pgt in 4.13 (kernel commit 65ade2f872b4). */
	err = vs_vmci_symbol(k->vmci, "init_top_pgt", &pgt);
	if (err) {
		vs_err_free(err);
		err = vs_vmci_symbol(k->vmci, "init_level4_pgt", &pgt);
	}
	if (!err && pgt >= START_KERNEL_MAP)
		d->pgd_phys = pgt - START_KERNEL_MAP + k->phys_base;
	vs_err_free(err);
	return NULL;
}

static void remember(struct x86_64_data *d, uint64_t va, uint64_t len, uint64_t pa)
{
	d->tlb[d->tlb_next] = (struct tlb_entry){ va, len, pa };
	d->tlb_next = (d->tlb_next + 1) % TLB_SIZE;
}

static bool lookup(const struct x86_64_data *d, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		const struct tlb_entry *t = &d->tlb[i];
		if (t->len && vaddr - t->va < t->len) {
			*paddr = t->pa + (vaddr - t->va);
			*span = t->len - (vaddr - t->va);
			return true;
		}
	}
	return false;
}

static const char *const level_names[] = { "PTE", "PMD", "PUD", "P4D", "PGD" };

/* Walks from the top-level table at root; the leaf is remembered only for the kernel's own tables. */
static struct vs_err *walk_from(struct vs_kernel *k, struct x86_64_data *d, uint64_t root, uint64_t vaddr,
				uint64_t *paddr, uint64_t *span)
{
	bool kernel = root == d->pgd_phys;
	uint64_t mask = PTE_ADDR_MASK & ~d->sme_mask, table = root;
	for (int level = d->l5 ? 4 : 3; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		uint64_t slot = table + ((vaddr >> shift) & 511) * 8;
		vs_kernel_saw_table(k, table);
		uint8_t raw[8];
		struct vs_err *err = vs_vmcore_read_phys(k->vc, slot, raw, sizeof(raw));
		if (err)
			return err;
		uint64_t e = vs_ld64le(raw);
		if (!(e & PTE_PRESENT))
			return vs_err_new(VS_ERR_CORRUPT,
					  "%s virtual address 0x%llx is not mapped (%s entry at physical 0x%llx is 0x%llx)",
					  kernel ? "kernel" : "user", (unsigned long long)vaddr, level_names[d->l5 || level < 3 ? level : 4],
					  (unsigned long long)slot, (unsigned long long)e);
		if ((level == 1 || level == 2) && (e & PTE_PSE)) {
			uint64_t leaf = 1ull << shift;
			*paddr = ((e & mask) & ~(leaf - 1)) | (vaddr & (leaf - 1));
			*span = leaf - (vaddr & (leaf - 1));
			if (kernel)
				remember(d, vaddr & ~(leaf - 1), leaf, (e & mask) & ~(leaf - 1));
			return NULL;
		}
		table = e & mask;
	}
	*paddr = table | (vaddr & 0xfff);
	*span = 0x1000 - (vaddr & 0xfff);
	if (kernel)
		remember(d, vaddr & ~0xfffull, 0x1000, table);
	return NULL;
}

static struct vs_err *walk(struct vs_kernel *k, struct x86_64_data *d, uint64_t vaddr,
			   uint64_t *paddr, uint64_t *span)
{
	if (!d->pgd_phys)
		return vs_err_new(VS_ERR_NOKEY,
				  "cannot translate 0x%llx: VMCOREINFO has no SYMBOL(init_top_pgt)",
				  (unsigned long long)vaddr);
	return walk_from(k, d, d->pgd_phys, vaddr, paddr, span);
}

/*
 * A task's tables map its user half (with page-table isolation, mm->pgd is
 * the kernel's copy, which maps user memory too).
 */
static struct vs_err *x86_64_user_vtop(struct vs_kernel *k, uint64_t root, uint64_t vaddr, uint64_t *paddr)
{
	struct x86_64_data *d = k->arch_data;
	uint64_t span;
	if (vaddr >> (d->l5 ? 56 : 47))
		return vs_err_new(VS_ERR_CORRUPT, "0x%llx is not a user address", (unsigned long long)vaddr);
	return walk_from(k, d, root & PTE_ADDR_MASK & ~d->sme_mask, vaddr, paddr, &span);
}

static struct vs_err *x86_64_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	struct x86_64_data *d = k->arch_data;
	uint64_t dummy;
	if (!span)
		span = &dummy;
	if (k->on_table) {  /* recording the tables: walk, and fall back to the shortcuts */
		struct vs_err *err = walk(k, d, vaddr, paddr, span);
		if (!err)
			return NULL;
		vs_err_free(err);
	}
	if (vaddr >= START_KERNEL_MAP && vaddr - START_KERNEL_MAP < d->kernel_image_size) {
		*paddr = vaddr - START_KERNEL_MAP + k->phys_base;
		*span = d->kernel_image_size - (vaddr - START_KERNEL_MAP);
		return NULL;
	}
	/* The direct map spans physical memory only; vmemmap and vmalloc lie above it. */
	if (d->page_offset && vaddr >= d->page_offset && vaddr - d->page_offset < d->phys_end) {
		*paddr = vaddr - d->page_offset;
		*span = d->phys_end - *paddr;
		return NULL;
	}
	if (lookup(d, vaddr, paddr, span))
		return NULL;
	return walk(k, d, vaddr, paddr, span);
}

static void x86_64_fini(struct vs_kernel *k)
{
	free(k->arch_data);
	k->arch_data = NULL;
}

/* The kernel owns the upper half of the canonical address space. */
static bool x86_64_is_kernel_addr(const struct vs_kernel *k, uint64_t v)
{
	(void)k;
	return v >> 63;
}

/* makedumpfile's defaults for kernels that do not export them (4.x and older). */
static void x86_64_sparsemem_bits(const struct vs_kernel *k, unsigned *ssb, unsigned *mpb)
{
	const struct x86_64_data *d = k->arch_data;
	*ssb = 27;
	*mpb = d && d->l5 ? 52 : 46;
}

/* Exported by arch/x86/kernel/machine_kexec_64.c only. */
static bool x86_64_direct_map(const struct vs_kernel *k, uint64_t paddr, uint64_t *vaddr)
{
	const struct x86_64_data *d = k->arch_data;
	if (!d || !d->page_offset || paddr >= d->phys_end)
		return false;
	*vaddr = d->page_offset + paddr;
	return true;
}

static const char *const x86_64_marks[] = { "SYMBOL(init_top_pgt)", "SYMBOL(init_level4_pgt)",
					    "NUMBER(pgtable_l5_enabled)", "NUMBER(phys_base)",
					    "NUMBER(sme_mask)", NULL };

const struct vs_arch_ops vs_arch_x86_64 = {
	.name = "x86_64",
	.elf_machine = EM_X86_64,
	.page_shift = 12,
	.long_size = 8,
	.vmcoreinfo_marks = x86_64_marks,
	.init = x86_64_init,
	.vtop = x86_64_vtop,
	.user_vtop = x86_64_user_vtop,
	.fini = x86_64_fini,
	.is_kernel_addr = x86_64_is_kernel_addr,
	.sparsemem_bits = x86_64_sparsemem_bits,
	.prstatus_sp_offset = 264,  /* pr_reg at 112, rsp is register 19 */
	.direct_map = x86_64_direct_map,
};
