// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppc64's vmemmap_list: under the hash MMU the kernel maps the vmemmap
 * through the hash table, not the Linux page tables, and records each
 * vmemmap page it populates in a list of struct vmemmap_backing {list,
 * phys, virt_addr}, each entry one page of mmu_psize_defs[mmu_vmemmap_psize]
 * size.  Every value read here is untrusted: the walk is bounded by how
 * many such pages the dump's memory could hold, entries must be aligned,
 * inside the dump and not overlap.
 */
#include <stdlib.h>

#include "arch.h"
#include "walkcache.h"
#include "ppc64.h"

#define MAX_PSIZE_IDX 64        /* MMU_PAGE_COUNT is 16 (6.x); room to spare */

struct list_keys {
	uint64_t head_sym, psize_sym, defs_sym;
	uint64_t def_size, off_shift, off_list, off_phys, off_virt, size;
};

static bool keys(const struct vs_kernel *k, struct list_keys *l)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	struct vs_err *err = NULL;
	if ((err = vs_vmci_symbol(vi, "vmemmap_list", &l->head_sym)) ||
	    (err = vs_vmci_symbol(vi, "mmu_vmemmap_psize", &l->psize_sym)) ||
	    (err = vs_vmci_symbol(vi, "mmu_psize_defs", &l->defs_sym)) ||
	    (err = vs_vmci_size(vi, "mmu_psize_def", &l->def_size)) ||
	    (err = vs_vmci_offset(vi, "mmu_psize_def.shift", &l->off_shift)) ||
	    (err = vs_vmci_size(vi, "vmemmap_backing", &l->size)) ||
	    (err = vs_vmci_offset(vi, "vmemmap_backing.list", &l->off_list)) ||
	    (err = vs_vmci_offset(vi, "vmemmap_backing.phys", &l->off_phys)) ||
	    (err = vs_vmci_offset(vi, "vmemmap_backing.virt_addr", &l->off_virt))) {
		vs_err_free(err);
		return false;
	}
	return true;
}

/* The vmemmap page size: mmu_psize_defs[mmu_vmemmap_psize].shift. */
static struct vs_err *chunk_shift(struct vs_kernel *k, const struct list_keys *l, unsigned *shift)
{
	uint32_t idx, sh;
	struct vs_err *err = vs_kernel_read_u32(k, l->psize_sym, &idx);
	if (err)
		return vs_err_wrap(err, "mmu_vmemmap_psize at 0x%llx", (unsigned long long)l->psize_sym);
	if (idx >= MAX_PSIZE_IDX || l->def_size > 4096 || l->off_shift + 4 > l->def_size)
		return vs_err_new(VS_ERR_CORRUPT, "mmu_vmemmap_psize is %u with SIZE(mmu_psize_def)=%llu: implausible",
				  idx, (unsigned long long)l->def_size);
	uint64_t at = l->defs_sym + idx * l->def_size + l->off_shift;
	if ((err = vs_kernel_read_u32(k, at, &sh)))
		return vs_err_wrap(err, "mmu_psize_defs[%u].shift at 0x%llx", idx, (unsigned long long)at);
	if (sh < 12 || sh > 34)
		return vs_err_new(VS_ERR_CORRUPT, "mmu_psize_defs[%u].shift (the vmemmap page size) is %u, not 12..34",
				  idx, sh);
	*shift = sh;
	return NULL;
}

static uint64_t dump_bytes(const struct vs_vmcore *vc)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < vc->npieces; i++)
		sum += vc->pieces[i].memsz;
	return sum;
}

static struct vs_err *bad_entry(uint64_t node, const struct ppc64_chunk *c, uint64_t size, const char *why)
{
	return vs_err_new(VS_ERR_CORRUPT, "vmemmap_list entry at 0x%llx (virt_addr 0x%llx, phys 0x%llx, %llu bytes): %s",
			  (unsigned long long)node, (unsigned long long)c->virt, (unsigned long long)c->phys,
			  (unsigned long long)size, why);
}

static struct vs_err *read_entry(struct vs_kernel *k, const struct list_keys *l, uint64_t node,
				 struct ppc64_chunk *c, uint64_t *next)
{
	struct vs_err *err;
	if ((err = vs_kernel_read_ptr(k, node + l->off_virt, &c->virt)) ||
	    (err = vs_kernel_read_long(k, node + l->off_phys, &c->phys)) ||
	    (err = vs_kernel_read_ptr(k, node + l->off_list, next)))
		return vs_err_wrap(err, "vmemmap_list entry at 0x%llx", (unsigned long long)node);
	return NULL;
}

static struct vs_err *check_entry(uint64_t node, const struct ppc64_chunk *c,
				  uint64_t size, uint64_t linear_end)
{
	if ((c->virt | c->phys) & (size - 1))
		return bad_entry(node, c, size, "not aligned to the vmemmap page size");
	if (c->virt < linear_end || c->virt + size < c->virt)
		return bad_entry(node, c, size, "virt_addr is not a vmemmap address");
	if (c->phys + size < c->phys || c->phys >> 53)
		return bad_entry(node, c, size, "phys is beyond any physical address");
	return NULL;
}

static int by_virt(const void *a, const void *b)
{
	const struct ppc64_chunk *x = a, *y = b;
	return x->virt < y->virt ? -1 : x->virt > y->virt;
}

/* Follows the list from head; stops at NULL or back at head (a circular list). */
static struct vs_err *walk(struct vs_kernel *k, const struct list_keys *l, uint64_t head, uint64_t linear_end,
			   struct ppc64_vmemmap *vm)
{
	uint64_t limit = dump_bytes(k->vc) / vm->chunk_size + 1, cap = 0, node = head;
	while (node) {
		if (vm->n == limit)
			return vs_err_new(VS_ERR_CORRUPT, "vmemmap_list has more than %llu entries of %llu bytes, more than the dump's memory can back: a loop? (last at 0x%llx)",
					  (unsigned long long)limit, (unsigned long long)vm->chunk_size,
					  (unsigned long long)node);
		if (vm->n == cap) {
			cap = cap ? cap * 2 : 64;
			void *p = realloc(vm->chunks, cap * sizeof(*vm->chunks));
			if (!p)
				return vs_enomem;
			vm->chunks = p;
		}
		uint64_t next;
		struct ppc64_chunk *c = &vm->chunks[vm->n];
		struct vs_err *err = read_entry(k, l, node, c, &next);
		if (!err)
			err = check_entry(node, c, vm->chunk_size, linear_end);
		if (err)
			return err;
		vm->n++;
		node = next == head ? 0 : next;
	}
	qsort(vm->chunks, vm->n, sizeof(*vm->chunks), by_virt);
	for (size_t i = 1; i < vm->n; i++)
		if (vm->chunks[i].virt - vm->chunks[i - 1].virt < vm->chunk_size)
			return bad_entry(0, &vm->chunks[i], vm->chunk_size, "two entries map this vmemmap page");
	return NULL;
}

struct vs_err *vs_ppc64_vmemmap_read(struct vs_kernel *k, uint64_t linear_end, struct ppc64_vmemmap *vm)
{
	struct list_keys l;
	unsigned shift = 0;
	uint64_t head;
	*vm = (struct ppc64_vmemmap){ 0 };
	if (!k->vmci || !keys(k, &l))
		return NULL;  /* not exported: the tables hold the vmemmap */
	if (l.off_list + 8 > l.size || l.off_phys + 8 > l.size || l.off_virt + 8 > l.size)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: vmemmap_backing offsets (%llu, %llu, %llu) lie outside SIZE(vmemmap_backing)=%llu",
				  (unsigned long long)l.off_list, (unsigned long long)l.off_phys,
				  (unsigned long long)l.off_virt, (unsigned long long)l.size);
	struct vs_err *err = vs_kernel_read_ptr(k, l.head_sym, &head);
	if (err)
		return vs_err_wrap(err, "vmemmap_list at 0x%llx", (unsigned long long)l.head_sym);
	if (!head)
		return NULL;  /* radix kernels may leave it empty */
	if ((err = chunk_shift(k, &l, &shift)))
		return err;
	vm->chunk_size = 1ull << shift;
	err = walk(k, &l, head, linear_end, vm);
	if (err) {
		free(vm->chunks);
		*vm = (struct ppc64_vmemmap){ 0 };
	}
	return err;
}

const struct ppc64_chunk *vs_ppc64_vmemmap_find(const struct ppc64_vmemmap *vm, uint64_t vaddr)
{
	/* the last chunk starting at or below vaddr */
	size_t i = vs_count_at_or_below(vm->chunks, vm->n, sizeof(vm->chunks[0]), offsetof(struct ppc64_chunk, virt),
					vaddr);
	if (i && vaddr - vm->chunks[i - 1].virt < vm->chunk_size)
		return &vm->chunks[i - 1];
	return NULL;
}
