// SPDX-License-Identifier: GPL-2.0-or-later
// The ppc64le target (pseries): RAM from 0, the kernel image at physical 0
// mapped at PAGE_OFFSET (0xc000000000000000) like the whole linear map,
// the vmemmap at 0xc00c000000000000 (5.2+ layout of both MMUs), 4K or 64K
// pages, SECTION_SIZE_BITS 24, and the VMCOREINFO keys of
// arch/powerpc's vmcore_info: vmemmap_list, mmu_psize_defs,
// NUMBER(RADIX_MMU).  Page tables and vmemmap_list: pgtable_ppc64.c.
#include <elf.h>

#include "mkvmcore.h"

#define PRSTATUS_PPC64 504               /* 112 + 48 regs * 8 + fpvalid, padded */
#define PPC_PAGE_OFFSET 0xc000000000000000ULL
#define PPC_VMEMMAP 0xc00c000000000000ULL

static void ppc64_ram_ranges(struct machine *m)
{
	/* book3s64 MAX_PHYSMEM_BITS: 51 with 64K pages (4.20+), 46 with 4K */
	m->max_physmem_bits = PAGE_SHIFT == 16 ? 51 : 46;
	add_range(m, 0, m->o->unaligned ? m->o->mem - 0x400 : m->o->mem);
}

/* The image at physical 0 (where the pseries kernel runs), no KASLR. */
static void ppc64_place(struct machine *m, uint64_t *rng)
{
	(void)rng;
	m->kimg_size = m->o->mem >= 128 * MIB ? 16 * MIB : 4 * MIB;
	if (!kimg_fits(m, 0))
		die("no room for the kernel image at 0");
	m->kimg_phys = 0;
	m->page_offset = PPC_PAGE_OFFSET;
	m->vmemmap_base = PPC_VMEMMAP;
	m->phys_base = 0;
}

static uint64_t ppc64_dmap(const struct machine *m, uint64_t phys)
{
	(void)m;
	return PPC_PAGE_OFFSET + phys;
}

static uint64_t ppc64_kimg_va(const struct machine *m, uint64_t off)
{
	return PPC_PAGE_OFFSET + m->kimg_phys + off;
}

static uint64_t ppc64_kimg_pa(const struct machine *m, uint64_t va)
{
	(void)m;
	return va - PPC_PAGE_OFFSET;
}

static void ppc64_vmci_mid(struct sbuf *b, const struct machine *m)
{
	if (m->o->kver != KV_6_12)
		SYM(b, "vmap_area_list", m->vmap_area_list);
}

/* arch_crash_save_vmcoreinfo() of powerpc, after the generic keys. */
static void ppc64_vmci_tail(struct sbuf *b, const struct machine *m)
{
	SYM(b, "node_data", m->node_data);
	LEN(b, "node_data", MAX_NUMNODES);
	SYM(b, "vmemmap_list", m->ppc.vmemmap_list);
	SYM(b, "mmu_vmemmap_psize", m->ppc.vmemmap_psize);
	SYM(b, "mmu_psize_defs", m->ppc.psize_defs);
	SIZ(b, "vmemmap_backing", 24);
	OFF(b, "vmemmap_backing.list", 0);
	OFF(b, "vmemmap_backing.phys", 8);
	OFF(b, "vmemmap_backing.virt_addr", 16);
	SIZ(b, "mmu_psize_def", PPC_PSIZE_DEF_SIZE);
	OFF(b, "mmu_psize_def.shift", 0);
	if (m->o->kver == KV_6_12) {     /* 6.7+; Debian 12's 6.1 has neither */
		SYM(b, "cur_cpu_spec", m->ppc.cur_cpu_spec);
		OFF(b, "cpu_spec.cpu_features", 24);
		OFF(b, "cpu_spec.mmu_features", 40);
		NUM(b, "RADIX_MMU", m->o->ppc_radix);
	}
	sb_add(b, "KERNELOFFSET=0\n");
	sb_add(b, "CRASHTIME=%llu\n", 1700000000ULL + m->o->seed % 1000000);
}

static int ppc64_boot_log(const struct machine *m, char (*line)[160], int max)
{
	int n = 0;

	snprintf(line[n++], 160, "Using pSeries machine description");
	snprintf(line[n++], 160, "%s MMU mode", m->o->ppc_radix ? "Radix" : "Hash");
	snprintf(line[n++], 160, "Kernel command line: console=hvc0 panic=5 crashkernel=512M");
	for (int i = 0; i < m->nram && n < max; i++)
		snprintf(line[n++], 160, "  node   0: [mem 0x%016llx-0x%016llx]",
			 (unsigned long long)m->ram[i].start,
			 (unsigned long long)m->ram[i].end - 1);
	return n;
}

/* Both byte orders share everything but the utsname machine: ppc64 (big-endian) and ppc64le. */
#define PPC64_ARCH(machine) { \
	.uts_machine = machine, \
	.e_machine = EM_PPC64, \
	.prstatus_size = PRSTATUS_PPC64, \
	.nodemask_size = SZ_NODEMASK, \
	.zone_lim = { 0, 0 },                    /* all of RAM in ZONE_NORMAL */ \
	.stext_off = 0, \
	.ram_ranges = ppc64_ram_ranges, \
	.place = ppc64_place, \
	.dmap = ppc64_dmap, \
	.kimg_va = ppc64_kimg_va, \
	.kimg_pa = ppc64_kimg_pa, \
	.pgt_pages = ppc64_pgt_pages, \
	.pgt_build = ppc64_pgt_build, \
	.vmci_mid = ppc64_vmci_mid, \
	.vmci_tail = ppc64_vmci_tail, \
	.boot_log = ppc64_boot_log, \
	.hwpoison_61 = 22, \
	.hwpoison_612 = 20, \
}

const struct arch arch_ppc64 = PPC64_ARCH("ppc64le");
const struct arch arch_ppc64be = PPC64_ARCH("ppc64");
