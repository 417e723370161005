// SPDX-License-Identifier: GPL-2.0-or-later
// The s390x target (big-endian): RAM from 0, one kernel address space of
// 3, 4 or 5 translation levels (a region-third, -second or -first table
// as root), the VMCOREINFO keys and boot log lines of an s390x kernel.
// Two layouts: before 6.7 the identity map starts at 0 and holds the
// kernel image (virtual == physical); from 6.7 on (kernel commits 6f8325d,
// 7bb90b7) the identity map starts at IDENTITYBASE and the image is
// mapped apart.  KERNELOFFSET is taken as the image's virtual start and
// KERNELOFFPHYS as its physical one (an assumption about the newest
// kernels' keys; arch/s390x.c confirms what it uses against the tables).
// Page tables: pgtable_s390x.c.
#include <elf.h>

#include "mkvmcore.h"

#define PRSTATUS_S390X 336               /* 112 + s390_regs 216, fpvalid, padded */
#define TEXT_OFFSET MIB                  /* _text above the lowcore area */

/* The size of the address space the root translates. */
static uint64_t va_limit(const struct machine *m)
{
	int bits = 20 + 11 * (m->o->s390_levels - 1);

	return bits >= 64 ? 0 : 1ULL << bits;
}

/* A quarter of the address space (2^62 when the root is region-first). */
static uint64_t quarter(const struct machine *m)
{
	uint64_t l = va_limit(m);

	return l ? l / 4 : 1ULL << 62;
}

static int uncoupled(const struct machine *m)
{
	return m->o->kver == KV_6_12;
}

static void s390x_ram_ranges(struct machine *m)
{
	uint64_t end = m->o->mem;

	m->max_physmem_bits = 46;
	add_range(m, 0, m->o->unaligned ? end - 0x400 : end);
}

/* Image 1M above 0, or anywhere 1M aligned with --kaslr; the identity
 * base (6.7+) a random multiple of 2G in the first quarter. */
static void s390x_place(struct machine *m, uint64_t *rng)
{
	uint64_t p = TEXT_OFFSET;

	m->kimg_size = m->o->mem >= 128 * MIB ? 16 * MIB : 4 * MIB;
	if (m->o->kaslr) {
		uint64_t slots = m->vmm_phys / MIB;

		for (int tries = 0; tries < 10000; tries++) {
			uint64_t c = (rng_next(rng) % slots) * MIB;

			if (c >= TEXT_OFFSET && kimg_fits(m, c)) {
				p = c;
				break;
			}
		}
	}
	if (!kimg_fits(m, p))
		die("no room for the kernel image");
	m->kimg_phys = p;
	m->page_offset = 0;
	if (uncoupled(m)) {
		m->page_offset = quarter(m) + (m->o->kaslr ? (rng_next(rng) % 16) * 2 * GIB : 0);
		m->kaslr_off = 2 * quarter(m) + (m->o->kaslr ? (rng_next(rng) % 64) * MIB : 0);
	} else {
		m->kaslr_off = p - TEXT_OFFSET;  /* KERNELOFFSET: the image's shift */
	}
	m->vmemmap_base = 3 * quarter(m);
	m->phys_base = 0;
}

static uint64_t s390x_dmap(const struct machine *m, uint64_t phys)
{
	return m->page_offset + phys;
}

static uint64_t s390x_kimg_va(const struct machine *m, uint64_t off)
{
	return uncoupled(m) ? m->kaslr_off + off : m->kimg_phys + off;
}

static uint64_t s390x_kimg_pa(const struct machine *m, uint64_t va)
{
	return uncoupled(m) ? va - m->kaslr_off + m->kimg_phys : va;
}

static void s390x_vmci_mid(struct sbuf *b, const struct machine *m)
{
	if (m->o->kver == KV_6_12) {
		NUMX(b, "VMALLOC_START", m->vmemmap_base - 64 * GIB);
		SYM(b, "vmemmap", m->vmemmap_base);
	} else {
		SYM(b, "vmap_area_list", m->vmap_area_list);
	}
}

/* arch_crash_save_vmcoreinfo() of s390, after the generic keys. */
static void s390x_vmci_tail(struct sbuf *b, const struct machine *m)
{
	SYM(b, "lowcore_ptr", s390x_lowcore_ptr(m));
	SYM(b, "high_memory", s390x_high_memory(m));
	LEN(b, "lowcore_ptr", 64);
	sb_add(b, "SAMODE31=%llx\n", 0x10000ULL);
	sb_add(b, "EAMODE31=%llx\n", 0x12000ULL);
	if (uncoupled(m))
		sb_add(b, "IDENTITYBASE=%llx\n", (unsigned long long)m->page_offset);
	sb_add(b, "KERNELOFFSET=%llx\n", (unsigned long long)m->kaslr_off);
	if (uncoupled(m))
		sb_add(b, "KERNELOFFPHYS=%llx\n", (unsigned long long)m->kimg_phys);
	sb_add(b, "CRASHTIME=%llu\n", 1700000000ULL + m->o->seed % 1000000);
}

static int s390x_boot_log(const struct machine *m, char (*line)[160], int max)
{
	int n = 0;

	snprintf(line[n++], 160, "setup: Linux is running under KVM in 64-bit mode");
	snprintf(line[n++], 160, "Kernel command line: console=ttysclp0 panic=5 crashkernel=256M");
	for (int i = 0; i < m->nram && n < max; i++)
		snprintf(line[n++], 160, "  node   0: [mem 0x%016llx-0x%016llx]",
			 (unsigned long long)m->ram[i].start,
			 (unsigned long long)m->ram[i].end - 1);
	return n;
}

const struct arch arch_s390x = {
	.uts_machine = "s390x",
	.e_machine = EM_S390,
	.prstatus_size = PRSTATUS_S390X,
	.nodemask_size = 8,
	.zone_lim = { 2 * GIB, 2 * GIB },        /* DMA below 2G, no DMA32 */
	.stext_off = 0,
	.ram_ranges = s390x_ram_ranges,
	.place = s390x_place,
	.dmap = s390x_dmap,
	.kimg_va = s390x_kimg_va,
	.kimg_pa = s390x_kimg_pa,
	.pgt_pages = s390x_pgt_pages,
	.pgt_build = s390x_pgt_build,
	.vmci_mid = s390x_vmci_mid,
	.vmci_tail = s390x_vmci_tail,
	.boot_log = s390x_boot_log,
	.vmci_note = s390x_vmci_note,
	.hwpoison_61 = 22,
	.hwpoison_612 = 20,
};
