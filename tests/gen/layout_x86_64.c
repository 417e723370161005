// SPDX-License-Identifier: GPL-2.0-or-later
// The x86_64 target: RAM like a PC's e820 map, the kernel image at 16 MiB
// mapped at __START_KERNEL_map, the direct map at page_offset_base, its
// VMCOREINFO keys and boot log lines.  Page tables: pgtable_x86_64.c.
#include <elf.h>

#include "mkvmcore.h"

#define PRSTATUS_X86_64 336              /* sizeof(struct elf_prstatus) */

/* Low 640K (BIOS data area excluded), then 1M..top of low RAM, then the
 * rest above 4G as a PC does when RAM does not fit below the PCI hole. */
static void x86_ram_ranges(struct machine *m)
{
	uint64_t mem = m->o->mem;

	m->max_physmem_bits = m->o->l5 ? 52 : 46;
	add_range(m, 0x1000, m->o->unaligned ? 0x9fc00 : 0x9f000);
	if (m->o->memmodel == MM_DISCONTIG) {
		/* node 0 below mem/2, node 2 after a hole that swallows a whole
		 * section, so its node_mem_map is not mem_map + start * 64 */
		uint64_t half = round_down(mem / 2, 2 * MIB);

		add_range(m, MIB, half);
		add_range(m, half + DISCONTIG_GAP, mem + DISCONTIG_GAP);
	} else if (mem <= 3 * GIB) {
		add_range(m, MIB, mem);
	} else {
		add_range(m, MIB, 3 * GIB);
		add_range(m, 4 * GIB, 4 * GIB + (mem - 3 * GIB));
	}
}

/* The kernel image: at 16 MiB (or 2 MiB on tiny machines), or anywhere
 * 2 MiB aligned with --kaslr, with an independent virtual slide. */
static void place_kernel(struct machine *m, uint64_t *rng)
{
	uint64_t p = 16 * MIB;

	m->kimg_size = m->o->mem >= 128 * MIB ? 16 * MIB : 4 * MIB;
	if (m->o->kaslr) {
		uint64_t slots = m->vmm_phys / (2 * MIB);

		for (int tries = 0; tries < 10000; tries++) {
			uint64_t c = (rng_next(rng) % slots) * 2 * MIB;

			if (c >= 16 * MIB && kimg_fits(m, c)) {
				p = c;
				break;
			}
		}
		m->kaslr_off = (rng_next(rng) % 256) * 2 * MIB;
	}
	if (!kimg_fits(m, p))
		p = 2 * MIB;
	if (!kimg_fits(m, p))
		die("no room for the kernel image");
	m->kimg_phys = p;
	m->phys_base = p - KTEXT_OFF - m->kaslr_off;
}

static void x86_place(struct machine *m, uint64_t *rng)
{
	place_kernel(m, rng);
	m->page_offset = m->o->l5 ? 0xff11000000000000ULL : 0xffff888000000000ULL;
	m->vmemmap_base = m->o->l5 ? 0xffd4000000000000ULL : 0xffffea0000000000ULL;
	if (m->o->kaslr) {
		m->page_offset += (rng_next(rng) % 8192) * GIB;
		m->vmemmap_base = (m->o->l5 ? 0xffd0000000000000ULL
					    : 0xffffd00000000000ULL) +
				  (rng_next(rng) % 16384) * GIB;
	}
}

static uint64_t x86_dmap(const struct machine *m, uint64_t phys)
{
	return m->page_offset + phys;
}

/* Kernel-image virtual address of offset off from _text. */
static uint64_t x86_kimg_va(const struct machine *m, uint64_t off)
{
	return START_KERNEL_MAP + KTEXT_OFF + m->kaslr_off + off;
}

static uint64_t x86_kimg_pa(const struct machine *m, uint64_t va)
{
	return va - START_KERNEL_MAP + m->phys_base;
}

static void x86_vmci_mid(struct sbuf *b, const struct machine *m)
{
	if (m->o->kver == KV_6_12) {
		sb_add(b, "NUMBER(VMALLOC_START)=0x%llx\n",
		       m->o->l5 ? 0xffa0000000000000ULL : 0xffffc90000000000ULL);
		SYM(b, "vmemmap", m->vmemmap_base);
	} else {
		SYM(b, "vmap_area_list", m->vmap_area_list);
	}
}

static void x86_vmci_tail(struct sbuf *b, const struct machine *m)
{
	NUM(b, "phys_base", (int64_t)m->phys_base);
	SYM(b, "init_top_pgt", m->init_top_pgt);
	NUM(b, "pgtable_l5_enabled", m->o->l5);
	if (m->o->memmodel != MM_FLAT) {         /* CONFIG_NUMA */
		SYM(b, "node_data", m->node_data);
		LEN(b, "node_data", MAX_NUMNODES);
	}
	sb_add(b, "KERNELOFFSET=%llx\n", (unsigned long long)m->kaslr_off);
	NUM(b, "KERNEL_IMAGE_SIZE", KERNEL_IMAGE_SIZE);
	sb_add(b, "CRASHTIME=%llu\n", 1700000000ULL + m->o->seed % 1000000);
}

static int x86_boot_log(const struct machine *m, char (*line)[160], int max)
{
	int n = 0;

	snprintf(line[n++], 160, "Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro crashkernel=256M");
	for (int i = 0; i < m->nram && n < max; i++)
		snprintf(line[n++], 160, "BIOS-e820: [mem 0x%016llx-0x%016llx] usable",
			 (unsigned long long)m->ram[i].start,
			 (unsigned long long)m->ram[i].end - 1);
	return n;
}

const struct arch arch_x86_64 = {
	.uts_machine = "x86_64",
	.e_machine = EM_X86_64,
	.prstatus_size = PRSTATUS_X86_64,
	.nodemask_size = SZ_NODEMASK,
	.zone_lim = { 16 * MIB, 4 * GIB },
	.ram_ranges = x86_ram_ranges,
	.place = x86_place,
	.dmap = x86_dmap,
	.kimg_va = x86_kimg_va,
	.kimg_pa = x86_kimg_pa,
	.pgt_pages = x86_pgt_pages,
	.pgt_build = x86_pgt_build,
	.vmci_mid = x86_vmci_mid,
	.vmci_tail = x86_vmci_tail,
	.boot_log = x86_boot_log,
	.hwpoison_61 = 23,
	.hwpoison_612 = 21,
};
