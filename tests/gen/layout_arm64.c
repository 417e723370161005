// SPDX-License-Identifier: GPL-2.0-or-later
// The arm64 target: RAM from 0x40000000 as on QEMU virt, the kernel image
// at KIMAGE_VADDR (= MODULES_END) plus the KASLR slide, the linear map at
// PAGE_OFFSET = -(1 << VA_BITS) through a signed PHYS_OFFSET, the vmemmap
// as Linux 6.1 or 6.12 places it, and the VMCOREINFO keys and boot log
// lines of an arm64 kernel.  Page tables: pgtable_arm64.c.
#include <elf.h>

#include "mkvmcore.h"

#define PRSTATUS_ARM64 392               /* 112 + 34 regs * 8 + fpvalid, padded */
#define RAM_BASE 0x40000000ULL           /* QEMU virt */

/* -(1 << bits) as an address */
static uint64_t neg_pow2(int bits)
{
	return (uint64_t)0 - (1ULL << bits);
}

/* Memory that PHYS_OFFSET (memstart_addr) is rounded to. */
static uint64_t memstart_align(void)
{
	return PAGE_SHIFT == 16 ? 512 * MIB : GIB;
}

static void arm64_ram_ranges(struct machine *m)
{
	const struct opts *o = m->o;
	uint64_t end = RAM_BASE + o->mem;

	/* the physical address size the kernel runs with */
	m->max_physmem_bits = o->lpa2 || (o->granule_shift == 16 && o->va_bits == 52 &&
					   !o->va_fallback) ? 52 : 48;
	add_range(m, RAM_BASE, o->unaligned ? end - 0x400 : end);
}

/* VA sizes, descriptor format and level count; see the arm64 facts:
 * a 52-bit 4K/16K kernel without LPA2 folds one level and runs 48-bit
 * (16K: 47); a 64K one without LVA keeps its 3 levels and the top table
 * laid out for 52 bits (TTBR1 points into it); VA_BITS_MIN is the
 * smallest size the build can run with. */
static void arm64_va(struct machine *m)
{
	const struct opts *o = m->o;
	struct a64 *a = &m->a64;
	int ps = PAGE_SHIFT;

	a->va_bits = o->va_bits;
	a->va_actual = o->va_fallback ? (ps == 14 ? 47 : 48) : o->va_bits;
	a->va_min = o->va_bits == 52 ? (ps == 14 ? 47 : 48) : o->va_bits;
	a->fmt = o->lpa2 ? PF_LPA2 : (ps == 16 && a->va_actual == 52) ? PF_LPA : PF_PLAIN;
	a->levels = (a->va_actual - ps + (ps - 3) - 1) / (ps - 3);
	a->va_top = ps == 16 ? a->va_bits : a->va_actual;
}

/* Kernel VA regions of Linux 6.1 (5.11+ vmemmap formula) or 6.12. */
static void arm64_regions(struct machine *m)
{
	struct a64 *a = &m->a64;
	int v612 = m->o->kver == KV_6_12, vmemmap_shift = PAGE_SHIFT - 6;
	uint64_t vmemmap_size;

	a->page_offset = neg_pow2(a->va_bits);
	a->page_end = neg_pow2(a->va_min - 1);
	a->modules_vaddr = a->page_end;
	a->modules_end = a->modules_vaddr + (v612 ? 2 * GIB : 128 * MIB);
	a->vmalloc_start = a->modules_end;
	a->kimage_vaddr = a->modules_end;
	vmemmap_size = (a->page_end - a->page_offset) >> vmemmap_shift;
	if (v612) {
		a->vmemmap_end = neg_pow2(30);
		a->vmemmap_start = a->vmemmap_end - vmemmap_size;
		a->vmalloc_end = a->vmemmap_start - 8 * MIB;
	} else {
		a->vmemmap_start = neg_pow2(a->va_bits - vmemmap_shift);
		a->vmemmap_end = a->vmemmap_start + vmemmap_size;
		a->vmalloc_end = a->vmemmap_start - 256 * MIB;
	}
}

/* memstart_addr: RAM start rounded down; moved down by the size of the
 * unused VA top when a 52-bit build runs smaller; with KASLR moved down
 * by a random multiple of the alignment if the linear region has room
 * beyond what the CPU can address (44 bits on a cortex-a57 like CPU, 52
 * where the 52-bit formats are in use, which leaves none). */
static uint64_t arm64_phys_offset(const struct machine *m, uint64_t *rng)
{
	const struct a64 *a = &m->a64;
	uint64_t po = round_down(m->ram[0].start, memstart_align());
	int cpu_pa = a->fmt == PF_PLAIN ? 44 : 52;
	uint64_t linear = a->page_end - neg_pow2(a->va_actual);

	if (m->o->va_fallback)
		po -= neg_pow2(a->va_actual) - neg_pow2(52);
	if (m->o->kaslr && linear > (1ULL << cpu_pa) &&
	    linear - (1ULL << cpu_pa) >= memstart_align()) {
		uint64_t slots = (linear - (1ULL << cpu_pa)) / memstart_align();

		po -= memstart_align() * (rng_next(rng) % slots);
	}
	return po;
}

/* The image: 2 MiB above the start of RAM as QEMU loads it, or at a
 * random 2 MiB aligned place with --kaslr (the EFI stub's choice). */
static void arm64_place_kernel(struct machine *m, uint64_t *rng)
{
	struct a64 *a = &m->a64;
	uint64_t p = m->ram[0].start + 2 * MIB;

	m->kimg_size = m->o->mem >= 128 * MIB ? 16 * MIB : 4 * MIB;
	if (m->o->kaslr) {
		uint64_t slots = (m->vmm_phys - m->ram[0].start) / (2 * MIB);

		for (int tries = 0; tries < 10000; tries++) {
			uint64_t c = m->ram[0].start + (rng_next(rng) % slots) * 2 * MIB;

			if (kimg_fits(m, c)) {
				p = c;
				break;
			}
		}
		m->kaslr_off = (rng_next(rng) % (1ULL << (a->va_min - 2 - 21))) * 2 * MIB;
	}
	for (uint64_t c = m->ram[0].start; !kimg_fits(m, p) && c < m->vmm_phys;
	     c += 2 * MIB)
		p = c;                           /* --holes took the usual place */
	if (!kimg_fits(m, p))
		die("no room for the kernel image");
	m->kimg_phys = p;
	a->kimage_voffset = a->kimage_vaddr + m->kaslr_off - p;
}

static void arm64_place(struct machine *m, uint64_t *rng)
{
	struct a64 *a = &m->a64;

	arm64_va(m);
	arm64_regions(m);
	arm64_place_kernel(m, rng);
	a->phys_offset = arm64_phys_offset(m, rng);
	m->phys_base = a->phys_offset;
	m->page_offset = a->page_offset;
	/* vmemmap = VMEMMAP_START - (PHYS_OFFSET >> PAGE_SHIFT) * 64, with an
	 * arithmetic shift: PHYS_OFFSET is signed */
	m->vmemmap_base = a->vmemmap_start -
			  (uint64_t)(((int64_t)a->phys_offset >> PAGE_SHIFT) * (int64_t)SPAGE);
}

static uint64_t arm64_dmap(const struct machine *m, uint64_t phys)
{
	return (phys - m->a64.phys_offset) | m->a64.page_offset;
}

static uint64_t arm64_kimg_va(const struct machine *m, uint64_t off)
{
	return m->a64.kimage_vaddr + m->kaslr_off + off;
}

static uint64_t arm64_kimg_pa(const struct machine *m, uint64_t va)
{
	return va - m->a64.kimage_voffset;
}

static void arm64_vmci_mid(struct sbuf *b, const struct machine *m)
{
	if (m->o->kver == KV_6_12) {
		NUMX(b, "VMALLOC_START", m->a64.vmalloc_start);
		SYM(b, "vmemmap", m->vmemmap_base);
	} else {
		SYM(b, "vmap_area_list", m->vmap_area_list);
	}
}

/* arch_crash_save_vmcoreinfo() of arm64, after the generic keys. */
static void arm64_vmci_tail(struct sbuf *b, const struct machine *m)
{
	const struct a64 *a = &m->a64;
	/* pointer authentication: cortex-a57 like CPUs (the 48-bit fallback)
	 * have none; elsewhere the bits above the VA size */
	uint64_t pac = m->o->va_fallback ? 0 : neg_pow2(a->va_actual);

	if (m->o->node_data_key) {       /* not in real arm64 kernels */
		SYM(b, "node_data", m->node_data);
		LEN(b, "node_data", 64);         /* MAX_NUMNODES, 8-byte nodemask */
	}
	NUM(b, "VA_BITS", a->va_bits);
	NUMX(b, "MODULES_VADDR", a->modules_vaddr);
	NUMX(b, "MODULES_END", a->modules_end);
	if (m->o->kver != KV_6_12)
		NUMX(b, "VMALLOC_START", a->vmalloc_start);
	NUMX(b, "VMALLOC_END", a->vmalloc_end);
	NUMX(b, "VMEMMAP_START", a->vmemmap_start);
	NUMX(b, "VMEMMAP_END", a->vmemmap_end);
	NUMX(b, "kimage_voffset", a->kimage_voffset);
	NUMX(b, "PHYS_OFFSET", a->phys_offset);
	NUMX(b, "TCR_EL1_T1SZ", (uint64_t)(64 - a->va_actual));
	sb_add(b, "KERNELOFFSET=%llx\n", (unsigned long long)m->kaslr_off);
	NUMX(b, "KERNELPACMASK", pac);
	sb_add(b, "CRASHTIME=%llu\n", 1700000000ULL + m->o->seed % 1000000);
}

static int arm64_boot_log(const struct machine *m, char (*line)[160], int max)
{
	int n = 0;

	snprintf(line[n++], 160, "Machine model: linux,dummy-virt");
	snprintf(line[n++], 160, "Kernel command line: console=ttyAMA0 panic=5 crashkernel=256M");
	for (int i = 0; i < m->nram && n < max; i++)
		snprintf(line[n++], 160, "  node   0: [mem 0x%016llx-0x%016llx]",
			 (unsigned long long)m->ram[i].start,
			 (unsigned long long)m->ram[i].end - 1);
	return n;
}

const struct arch arch_arm64 = {
	.uts_machine = "aarch64",
	.e_machine = EM_AARCH64,
	.prstatus_size = PRSTATUS_ARM64,
	.nodemask_size = 8,
	.zone_lim = { 4 * GIB, 4 * GIB },        /* DMA below 4G, DMA32 empty */
	.stext_off = 0x10000,                    /* after the 64K image head */
	.ram_ranges = arm64_ram_ranges,
	.place = arm64_place,
	.dmap = arm64_dmap,
	.kimg_va = arm64_kimg_va,
	.kimg_pa = arm64_kimg_pa,
	.pgt_pages = arm64_pgt_pages,
	.pgt_build = arm64_pgt_build,
	.vmci_mid = arm64_vmci_mid,
	.vmci_tail = arm64_vmci_tail,
	.boot_log = arm64_boot_log,
	.hwpoison_61 = 22,
	.hwpoison_612 = 20,
};
