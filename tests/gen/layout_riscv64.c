// SPDX-License-Identifier: GPL-2.0-or-later
// The riscv64 target: RAM from 0x80000000 as on QEMU virt, the kernel
// image 2 MiB above it (where OpenSBI's fw_dynamic puts it) mapped at
// KERNEL_LINK_ADDR (plus a 2 MiB aligned KASLR offset with --kaslr, 6.6+),
// the linear map at PAGE_OFFSET for phys_ram_base, the vmemmap and vmalloc
// regions below it as Linux 6.x places them for Sv39, Sv48 and Sv57, and
// the VMCOREINFO keys of riscv's crash_core.c (6.1) or vmcore_info.c
// (6.12).  Page tables: pgtable_riscv64.c.
#include <elf.h>
#include <string.h>

#include "mkvmcore.h"

#define PRSTATUS_RISCV64 376             /* 112 + 32 regs * 8 + fpvalid, padded */
#define RAM_BASE 0x80000000ULL           /* QEMU virt */
#define KERNEL_LINK 0xffffffff80000000ULL

/* --layout svNN[-napot]: returns 0 when s is no riscv64 layout. */
int riscv64_layout_arg(struct opts *o, const char *s)
{
	static const struct { const char *name; int va, napot; } t[] = {
		{ "sv39", 39, 0 }, { "sv48", 48, 0 }, { "sv57", 57, 0 },
		{ "sv39-napot", 39, 1 }, { "sv48-napot", 48, 1 }, { "sv57-napot", 57, 1 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(s, t[i].name)) {
			o->arch = A_RISCV64;
			o->va_bits = t[i].va;
			o->napot = t[i].napot;
			return 1;
		}
	return 0;
}

void riscv64_check(struct opts *o)
{
	if (!o->va_bits)
		o->va_bits = 39;
	if (o->va_bits != 39 && o->va_bits != 48 && o->va_bits != 57)
		die("--va-bits %d is no riscv64 mode (39, 48, 57)", o->va_bits);
	if (o->granule_shift || o->lpa2 || o->va_fallback || o->node_data_key)
		die("--granule, --lpa2, --phys-offset-neg, --node-data are arm64 options");
	if (o->l5 || o->elf32 || o->memmodel != MM_SPARSE)
		die("--l5, --elf32 and --memmodel are x86_64 options");
	if (o->kaslr && o->kver_set && o->kver != KV_6_12)
		die("riscv64 has KASLR only since 6.6: use --kernel 6.12");
	if (o->kaslr)
		o->kver = KV_6_12;
	if (o->mem < 64 * MIB || o->mem > 64 * GIB)
		die("--arch riscv64 needs 64M <= --mem <= 64G");
}

static void rv_ram_ranges(struct machine *m)
{
	uint64_t end = RAM_BASE + m->o->mem;

	m->max_physmem_bits = 56;        /* asm/sparsemem.h, 64-bit */
	add_range(m, RAM_BASE, m->o->unaligned ? end - 0x400 : end);
}

/* PAGE_OFFSET and the vmalloc size per mode (Documentation/arch/riscv/vm-layout.rst). */
static void rv_regions(struct machine *m)
{
	struct rv64 *r = &m->rv;
	uint64_t vmalloc_size, vmemmap_size;

	r->va_bits = m->o->va_bits;
	r->levels = (r->va_bits - 12) / 9;
	switch (r->va_bits) {
	case 39: r->page_offset = 0xffffffd600000000ULL; vmalloc_size = 64 * GIB; break;
	case 48: r->page_offset = 0xffffaf8000000000ULL; vmalloc_size = 32ULL << 40; break;
	default: r->page_offset = 0xff60000000000000ULL; vmalloc_size = 16ULL << 50; break;
	}
	r->vmalloc_end = r->page_offset;
	r->vmalloc_start = r->page_offset - vmalloc_size;
	/* room for the struct pages of the whole VA half: 1 << (VA_BITS - 12 - 1 + 6) */
	vmemmap_size = 1ULL << (r->va_bits - 7);
	r->vmemmap_end = r->vmalloc_start;
	r->vmemmap_start = r->vmalloc_start - vmemmap_size;
	r->phys_ram_base = RAM_BASE;     /* memblock_start_of_DRAM() rounded to 2 MiB */
	r->kernel_link_addr = KERNEL_LINK;
}

static void rv_place(struct machine *m, uint64_t *rng)
{
	struct rv64 *r = &m->rv;
	uint64_t image_va;

	rv_regions(m);
	m->kimg_size = m->o->mem >= 128 * MIB ? 16 * MIB : 4 * MIB;
	m->kimg_phys = RAM_BASE + 2 * MIB;
	if (!kimg_fits(m, m->kimg_phys))
		die("no room for the kernel image");
	if (m->o->kaslr)
		m->kaslr_off = (rng_next(rng) % ((GIB - m->kimg_size) / (2 * MIB))) * 2 * MIB;
	image_va = r->kernel_link_addr + m->kaslr_off;
	r->va_kernel_pa_offset = image_va - m->kimg_phys;
	r->modules_end = image_va;              /* 6.12: the image's _start */
	r->modules_vaddr = image_va + m->kimg_size - 2 * GIB;   /* _end - 2G */
	m->phys_base = r->phys_ram_base;
	m->page_offset = r->page_offset;
	/* vmemmap = VMEMMAP_START - (phys_ram_base >> PAGE_SHIFT) */
	m->vmemmap_base = r->vmemmap_start - (r->phys_ram_base >> PAGE_SHIFT) * SPAGE;
}

static uint64_t rv_dmap(const struct machine *m, uint64_t phys)
{
	return phys - m->rv.phys_ram_base + m->rv.page_offset;
}

static uint64_t rv_kimg_va(const struct machine *m, uint64_t off)
{
	return m->rv.kernel_link_addr + m->kaslr_off + off;
}

static uint64_t rv_kimg_pa(const struct machine *m, uint64_t va)
{
	return va - m->rv.va_kernel_pa_offset;
}

static void rv_vmci_mid(struct sbuf *b, const struct machine *m)
{
	if (m->o->kver == KV_6_12) {             /* the generic keys of 6.12 */
		NUMX(b, "VMALLOC_START", m->rv.vmalloc_start);
		SYM(b, "vmemmap", m->vmemmap_base);
	} else
		SYM(b, "vmap_area_list", m->vmap_area_list);
}

/* arch_crash_save_vmcoreinfo() of riscv: 6.1's crash_core.c has no
 * va_kernel_pa_offset yet; 6.12's vmcore_info.c leaves VMALLOC_START to
 * the generic keys.  Values as Debian's 6.12.117 exports them. */
static void rv_vmci_tail(struct sbuf *b, const struct machine *m)
{
	const struct rv64 *r = &m->rv;
	int v612 = m->o->kver == KV_6_12;

	if (!v612)
		NUM(b, "VA_BITS", r->va_bits);
	NUM(b, "phys_ram_base", r->phys_ram_base);
	NUMX(b, "PAGE_OFFSET", r->page_offset);
	if (!v612)
		NUMX(b, "VMALLOC_START", r->vmalloc_start);
	NUMX(b, "VMALLOC_END", r->vmalloc_end);
	if (v612)
		NUM(b, "VA_BITS", r->va_bits);
	NUMX(b, "VMEMMAP_START", r->vmemmap_start);
	NUMX(b, "VMEMMAP_END", r->vmemmap_end);
	NUMX(b, "MODULES_VADDR", r->modules_vaddr);
	NUMX(b, "MODULES_END", r->modules_end);
	NUMX(b, "KERNEL_LINK_ADDR", r->kernel_link_addr);
	if (v612)
		NUMX(b, "va_kernel_pa_offset", r->va_kernel_pa_offset);
	sb_add(b, "CRASHTIME=%llu\n", 1700000000ULL + m->o->seed % 1000000);
}

static int rv_boot_log(const struct machine *m, char (*line)[160], int max)
{
	int n = 0;

	snprintf(line[n++], 160, "Machine model: riscv-virtio,qemu");
	snprintf(line[n++], 160, "Kernel command line: console=ttyS0 panic=5 crashkernel=256M");
	for (int i = 0; i < m->nram && n < max; i++)
		snprintf(line[n++], 160, "  node   0: [mem 0x%016llx-0x%016llx]",
			 (unsigned long long)m->ram[i].start,
			 (unsigned long long)m->ram[i].end - 1);
	return n;
}

const struct arch arch_riscv64 = {
	.uts_machine = "riscv64",
	.e_machine = EM_RISCV,
	.prstatus_size = PRSTATUS_RISCV64,
	.nodemask_size = 8,
	.zone_lim = { 4 * GIB, 4 * GIB },        /* DMA32 below 4G as one zone */
	.stext_off = 0x1000,
	.ram_ranges = rv_ram_ranges,
	.place = rv_place,
	.dmap = rv_dmap,
	.kimg_va = rv_kimg_va,
	.kimg_pa = rv_kimg_pa,
	.pgt_pages = riscv64_pgt_pages,
	.pgt_build = riscv64_pgt_build,
	.vmci_mid = rv_vmci_mid,
	.vmci_tail = rv_vmci_tail,
	.boot_log = rv_boot_log,
	.hwpoison_61 = 22,                       /* no PG_uncached, as arm64 */
	.hwpoison_612 = 20,
};
