// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * s390x (z/Architecture): big-endian, 4K pages, one kernel address space
 * translated by DAT tables from swapper_pg_dir: up to three region tables
 * (first, second, third; 2048 entries each), a segment table (2048
 * entries, 1M each) and page tables (256 entries).  The root's type is in
 * every one of its entries (the TT bits), so its first entry tells how
 * many levels there are, as the ASCE designation type would.  Leaves: 4K
 * pages, 1M segments and 2G region-third entries (EDAT1/EDAT2).
 *
 * Up to 6.6 the identity map started at 0 and the kernel image lay in it
 * (virtual == physical for everything swapper_pg_dir is reached by).
 * Since 6.7 (kernel commits 6f8325d and 7bb90b7) virtual and physical
 * addresses differ: the identity map starts at IDENTITYBASE, and the image
 * is mapped apart at KERNELOFFSET, loaded at physical KERNELOFFPHYS, where
 * the kernel exports those keys.  The root's physical address is taken
 * from whichever of these the page tables confirm, so a kernel whose keys
 * mean something else is refused, not misread.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "walkcache.h"
#include "../src/util/bytes.h"

#define ENTRIES 2048u            /* region and segment tables */
#define PT_ENTRIES 256u
#define SEGMENT_SHIFT 20
#define INDEX_BITS 11
#define MAX_LEVELS 4             /* region-first, -second, -third, segment */

/* Region- and segment-table entry bits (the architecture's). */
#define E_INVALID 0x20ull
#define E_TYPE 0x0cull           /* TT: 3 region-first ... 0 segment */
#define E_OFFSET 0xc0ull         /* TF: first valid quarter of the next table */
#define E_LENGTH 0x03ull         /* TL: last valid quarter of the next table */
#define E_LARGE 0x400ull         /* FC: a 1M segment or a 2G region-third leaf */
#define R_ORIGIN (~0xfffull)
#define S_ORIGIN (~0x7ffull)     /* page tables are 2K */
#define PTE_INVALID 0x400ull
#define PTE_ZERO 0x800ull        /* bit 52 must be zero */

struct s390x_data {
	struct vs_tlb tlb;
	uint64_t root_phys;
	unsigned levels;         /* region/segment levels above the page tables: 1..4 */
	uint64_t va_limit;       /* 0: the full 2^64 (region-first root) */
	int broken_code;
	char broken[400];
};

static const char *const table_names[] = { "segment table", "region-third table", "region-second table",
					   "region-first table" };

static void set_broken(struct s390x_data *d, int code, const char *why)
{
	d->broken_code = code;
	snprintf(d->broken, sizeof(d->broken), "%s", why);
}

static void remember(struct s390x_data *d, uint64_t va, uint64_t len, uint64_t pa)
{
	vs_tlb_remember(&d->tlb, va, len, pa);
}

static bool lookup(const struct s390x_data *d, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	return vs_tlb_lookup(&d->tlb, vaddr, paddr, span);
}

static struct vs_err *bad_entry(uint64_t vaddr, const char *table, uint64_t slot, uint64_t e, const char *why)
{
	return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: %s entry at physical 0x%llx is 0x%llx (%s)",
			  (unsigned long long)vaddr, table, (unsigned long long)slot, (unsigned long long)e, why);
}

/* Is pa in the dump's memory?  (Reads elsewhere give zeros, which look like valid segment entries.) */
static bool in_dump(const struct vs_vmcore *vc, uint64_t pa)
{
	return vs_phys_in_dump(vc, pa);
}

static struct vs_err *read_entry(struct vs_kernel *k, uint64_t vaddr, const char *table, uint64_t slot,
				 uint64_t *e)
{
	uint8_t raw[8];
	if (!in_dump(k->vc, slot))
		return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: the %s entry at physical 0x%llx is outside the dump's memory",
				  (unsigned long long)vaddr, table, (unsigned long long)slot);
	struct vs_err *err = vs_vmcore_read_phys(k->vc, slot, raw, sizeof(raw));
	if (err)
		return vs_err_wrap(err, "kernel virtual address 0x%llx: %s entry at physical 0x%llx",
				   (unsigned long long)vaddr, table, (unsigned long long)slot);
	*e = vs_ld64(raw, true);  /* z/Architecture tables are big-endian whatever the dump says */
	return NULL;
}

/* Level l (0 = segment) indexes VA bits 20 + 11 * l up. */
static uint64_t rs_index(uint64_t vaddr, unsigned level)
{
	return vaddr >> (SEGMENT_SHIFT + INDEX_BITS * level) & (ENTRIES - 1);
}

static struct vs_err *leaf(struct s390x_data *d, uint64_t vaddr, uint64_t base, unsigned shift,
			   uint64_t *paddr, uint64_t *span)
{
	uint64_t size = 1ull << shift, off = vaddr & (size - 1);
	*paddr = base + off;
	*span = size - off;
	remember(d, vaddr - off, size, base);
	return NULL;
}

/* At most d->levels region/segment reads and one page-table read. */
static struct vs_err *walk(struct vs_kernel *k, struct s390x_data *d, uint64_t table, uint64_t vaddr,
			   uint64_t *paddr, uint64_t *span)
{
	if (d->va_limit && vaddr >= d->va_limit)
		return vs_err_new(VS_ERR_CORRUPT, "0x%llx is beyond the %u-level kernel address space (limit 0x%llx)",
				  (unsigned long long)vaddr, d->levels + 1, (unsigned long long)d->va_limit);
	uint64_t first = 0, last = 3;  /* valid quarters of the table (TF..TL of the entry pointing to it) */
	for (unsigned level = d->levels; level-- > 0;) {
		const char *name = table_names[level];
		uint64_t idx = rs_index(vaddr, level), slot = table + idx * 8, e;
		if (idx / 512 < first || idx / 512 > last)
			return vs_err_new(VS_ERR_CORRUPT, "kernel virtual address 0x%llx: index %llu is outside the %s at physical 0x%llx (valid quarters %llu..%llu)",
					  (unsigned long long)vaddr, (unsigned long long)idx, name,
					  (unsigned long long)table, (unsigned long long)first, (unsigned long long)last);
		struct vs_err *err = read_entry(k, vaddr, name, slot, &e);
		if (err)
			return err;
		if (e & E_INVALID)
			return bad_entry(vaddr, name, slot, e, "invalid");
		if ((e & E_TYPE) >> 2 != level)
			return bad_entry(vaddr, name, slot, e, "its type is another level's");
		if (level == 0) {
			if (e & E_LARGE)
				return leaf(d, vaddr, e & ~((1ull << SEGMENT_SHIFT) - 1), SEGMENT_SHIFT, paddr, span);
			table = e & S_ORIGIN;
			break;
		}
		if (e & E_LARGE) {
			if (level != 1)
				return bad_entry(vaddr, name, slot, e, "a large page where none is allowed");
			return leaf(d, vaddr, e & ~((1ull << 31) - 1), 31, paddr, span);
		}
		first = (e & E_OFFSET) >> 6;
		last = e & E_LENGTH;
		table = e & R_ORIGIN;
	}
	uint64_t slot = table + (vaddr >> 12 & (PT_ENTRIES - 1)) * 8, e;
	struct vs_err *err = read_entry(k, vaddr, "page table", slot, &e);
	if (err)
		return err;
	if (e & PTE_INVALID)
		return bad_entry(vaddr, "page table", slot, e, "invalid");
	if (e & PTE_ZERO)
		return bad_entry(vaddr, "page table", slot, e, "reserved bit 52 set");
	return leaf(d, vaddr, e & ~0xfffull, 12, paddr, span);
}

static struct vs_err *s390x_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	struct s390x_data *d = k->arch_data;
	uint64_t dummy;
	if (!span)
		span = &dummy;
	if (d->broken_code)
		return vs_err_new(d->broken_code, "s390x: cannot translate 0x%llx: %s", (unsigned long long)vaddr,
				  d->broken);
	if (lookup(d, vaddr, paddr, span))
		return NULL;
	return walk(k, d, d->root_phys, vaddr, paddr, span);
}

/* The root's type from its first entry (every entry of a table carries it). */
static bool root_levels(struct vs_kernel *k, struct s390x_data *d, uint64_t root)
{
	uint64_t e;
	char why[200];
	struct vs_err *err = read_entry(k, 0, "root", root, &e);
	if (err) {
		snprintf(why, sizeof(why), "swapper_pg_dir at physical 0x%llx cannot be read: %.150s",
			 (unsigned long long)root, err->msg);
		vs_err_free(err);
		set_broken(d, VS_ERR_CORRUPT, why);
		return false;
	}
	d->levels = (unsigned)((e & E_TYPE) >> 2) + 1;
	unsigned bits = SEGMENT_SHIFT + INDEX_BITS * d->levels;
	d->va_limit = bits >= 64 ? 0 : 1ull << bits;
	d->root_phys = root;
	return true;
}

static bool hex_key(const struct vs_kernel *k, const char *key, uint64_t *v)
{
	struct vs_err *err = vs_vmci_hex(k->vmci, key, v);
	bool ok = !err;
	vs_err_free(err);
	return ok;
}

/* Does the table at root map swapper_pg_dir (va) to root itself? */
static bool root_confirmed(struct vs_kernel *k, struct s390x_data *d, uint64_t root, uint64_t va, char *why,
			   size_t why_size)
{
	uint64_t pa, span;
	if (!root_levels(k, d, root)) {
		snprintf(why, why_size, "%.180s", d->broken);
		d->broken_code = 0;
		return false;
	}
	struct vs_err *err = walk(k, d, root, va, &pa, &span);
	if (!err && pa == root)
		return true;
	if (err)
		snprintf(why, why_size, "%.190s", err->msg);
	else
		snprintf(why, why_size, "the tables at 0x%llx map it to 0x%llx", (unsigned long long)root,
			 (unsigned long long)pa);
	vs_err_free(err);
	vs_tlb_clear(&d->tlb);
	return false;
}

/*
 * swapper_pg_dir's physical address, tried in kernel order: the image at
 * KERNELOFFSET loaded at KERNELOFFPHYS, the identity map at IDENTITYBASE
 * (both keys since the 6.7 uncoupling), virtual == physical (before it).
 */
static void find_root(struct vs_kernel *k, struct s390x_data *d)
{
	uint64_t va, voff, poff, ibase;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "swapper_pg_dir", &va);
	vs_err_free(err);
	if (err) {
		set_broken(d, VS_ERR_NOKEY, "VMCOREINFO has no SYMBOL(swapper_pg_dir)");
		return;
	}
	uint64_t cand[3];
	unsigned n = 0;
	if (hex_key(k, "KERNELOFFPHYS", &poff) && hex_key(k, "KERNELOFFSET", &voff) && va >= voff)
		cand[n++] = va - voff + poff;
	if (hex_key(k, "IDENTITYBASE", &ibase) && va >= ibase)
		cand[n++] = va - ibase;
	cand[n++] = va;
	char why[3][200], msg[400];
	for (unsigned i = 0; i < n; i++)
		if (root_confirmed(k, d, cand[i], va, why[i], sizeof(why[i])))
			return;
	snprintf(msg, sizeof(msg), "no page table confirms SYMBOL(swapper_pg_dir)=0x%llx at physical 0x%llx: %s",
		 (unsigned long long)va, (unsigned long long)cand[0], why[0]);
	set_broken(d, VS_ERR_CORRUPT, msg);
}

static struct vs_err *s390x_init(struct vs_kernel *k)
{
	struct s390x_data *d = calloc(1, sizeof(*d));
	if (!d)
		return vs_enomem;
	k->arch_data = d;
	k->phys_base = 0;  /* the kdump sub-header's phys_base is 0 on s390x */
	if (!k->vmci) {
		set_broken(d, VS_ERR_NOKEY, "the dump has no VMCOREINFO");
		return NULL;
	}
	find_root(k, d);
	return NULL;
}

static void s390x_fini(struct vs_kernel *k)
{
	free(k->arch_data);
	k->arch_data = NULL;
}

/* One address space holds the kernel from its lowcore up to what the root translates. */
static bool s390x_is_kernel_addr(const struct vs_kernel *k, uint64_t v)
{
	const struct s390x_data *d = k->arch_data;
	if (v < k->page_size)
		return false;
	return !d || d->broken_code || !d->va_limit || v < d->va_limit;
}

/* SECTION_SIZE_BITS 28; MAX_PHYSMEM_BITS 46 (42 before 3.3) for kernels that do not export them. */
static void s390x_sparsemem_bits(const struct vs_kernel *k, unsigned *ssb, unsigned *mpb)
{
	(void)k;
	*ssb = 28;
	*mpb = 46;
}

/* Exported by arch/s390's arch_crash_save_vmcoreinfo() only. */
static const char *const s390x_marks[] = { "SYMBOL(lowcore_ptr)", "LENGTH(lowcore_ptr)", "SAMODE31", "EAMODE31",
					   "IDENTITYBASE", "KERNELOFFPHYS", NULL };

const struct vs_arch_ops vs_arch_s390x = {
	.name = "s390x",
	.elf_machine = EM_S390,
	.page_shift = 12,
	.long_size = 8,
	.vmcoreinfo_marks = s390x_marks,
	.init = s390x_init,
	.vtop = s390x_vtop,
	.fini = s390x_fini,
	.is_kernel_addr = s390x_is_kernel_addr,
	.sparsemem_bits = s390x_sparsemem_bits,
};
