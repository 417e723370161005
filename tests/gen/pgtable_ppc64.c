// SPDX-License-Identifier: GPL-2.0-or-later
// ppc64 (Book3S-64) kernel page tables and vmemmap_list.  Table entries
// are big-endian on ppc64le too (Linux 4.7+).  Radix: swapper_pg_dir maps
// the linear map (1G, 2M leaves and, for the first 2 MiB, pages) and the
// vmemmap by pages; directory entries hold the next table's physical
// address, the valid bit and the next level's index size (tables smaller
// than a page: 256-byte PTE fragments with 64K pages).  Hash: the tables
// stay empty.  Each vmemmap page is also a vmemmap_backing entry, pushed
// at the list head as the kernel does, on hash and on 6.1 radix; 6.12
// radix leaves the list empty.
#include <string.h>

#include "mkvmcore.h"

#define E_PRESENT (1ULL << 63)
#define E_LEAF (1ULL << 62)
#define E_KERNEL_RW 0x18eULL             /* ACCESSED DIRTY PRIVILEGED READ WRITE */
#define MMU_PAGE_64K 2                   /* mmu_psize_defs index */
#define MMU_PAGE_4K 0
#define OFF_PPC_DATA 0x28000             /* from the image end: list head, psize, defs */

/* Index bits of PGD, PUD, PMD, PTE (radix; hash tables stay empty). */
static int idx_bits(int level)
{
	static const int r64[] = { 13, 9, 9, 5 }, r4[] = { 13, 9, 9, 9 };

	return PAGE_SHIFT == 16 ? r64[level] : r4[level];
}

static int lvl_shift(int level)
{
	int s = PAGE_SHIFT;

	for (int l = level + 1; l < 4; l++)
		s += idx_bits(l);
	return s;
}

static uint64_t rd_be64(uint64_t pa)
{
	const uint8_t *pg = kpage_get(pa >> PAGE_SHIFT);
	uint64_t v = 0;

	for (int i = 0; pg && i < 8; i++)
		v = v << 8 | pg[(pa & (PAGE_SIZE - 1)) + i];
	return v;
}

static void wr_be64(uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	kstore_put(pa, b, 8);
}

/* Install a leaf at level (1 PUD, 2 PMD, 3 PTE) mapping va to pa. */
static void map_one(struct machine *m, uint64_t va, uint64_t pa, int level)
{
	uint64_t table = kimg_pa(m, m->init_top_pgt);

	for (int l = 0; l < level; l++) {
		uint64_t slot = table + 8 * ((va >> lvl_shift(l)) & ((1ULL << idx_bits(l)) - 1));
		uint64_t e = rd_be64(slot);

		if (!e) {
			uint64_t size = 8ULL << idx_bits(l + 1);
			uint64_t t = kdata_alloc(m, size, size);

			(void)kpage(t >> PAGE_SHIFT);
			e = t | E_PRESENT | (uint64_t)idx_bits(l + 1);
			wr_be64(slot, e);
		}
		if (e & E_LEAF)
			die("mapping %#llx collides with a leaf", (unsigned long long)va);
		table = e & ~0xc0000000000000ffULL;
	}
	wr_be64(table + 8 * ((va >> lvl_shift(level)) & ((1ULL << idx_bits(level)) - 1)),
		(pa & ~((1ULL << lvl_shift(level)) - 1)) | E_PRESENT | E_LEAF | E_KERNEL_RW);
}

static void map_linear(struct machine *m)
{
	for (int i = 0; i < m->nram; i++) {
		uint64_t a = round_up(m->ram[i].start, PAGE_SIZE), e = round_down(m->ram[i].end, PAGE_SIZE);

		while (a < e) {
			if (a % GIB == 0 && a + GIB <= e && a) {
				map_one(m, dmap(m, a), a, 1);
				a += GIB;
			} else if (a % (2 * MIB) == 0 && a + 2 * MIB <= e && a) {
				map_one(m, dmap(m, a), a, 2);
				a += 2 * MIB;
			} else {
				map_one(m, dmap(m, a), a, 3);
				a += PAGE_SIZE;
			}
		}
	}
}

/* Physical page backing vmemmap page i (of PAGE_SIZE bytes), or 0 if no
 * present section has struct pages there. */
static uint64_t vmm_page_pa(const struct machine *m, uint64_t i)
{
	uint64_t first = i * PAGE_SIZE / VMM_CHUNK, last = ((i + 1) * PAGE_SIZE - 1) / VMM_CHUNK;

	for (uint64_t s = first; s <= last && s < m->nsections; s++) {
		uint64_t off;

		if (!m->sec_present[s])
			continue;
		if (VMM_CHUNK < PAGE_SIZE)   /* chunks indexed by section (layout.c) */
			return m->vmm_phys + i * PAGE_SIZE;
		off = i * PAGE_SIZE - s * VMM_CHUNK;
		if (m->sec_4k[s])
			off ^= PAGE_SIZE;
		return m->sec_vmm_phys[s] + off;
	}
	return 0;
}

static uint64_t vmm_pages(const struct machine *m)
{
	return (m->nsections * VMM_CHUNK + PAGE_SIZE - 1) / PAGE_SIZE;
}

static void map_vmemmap(struct machine *m)
{
	for (uint64_t i = 0; i < vmm_pages(m); i++) {
		uint64_t pa = vmm_page_pa(m, i);

		if (pa)
			map_one(m, m->vmemmap_base + i * PAGE_SIZE, pa, 3);
	}
}

static uint64_t rd_le64(uint64_t pa)
{
	const uint8_t *pg = kpage_get(pa >> PAGE_SHIFT);
	uint64_t v = 0;

	if (pg)
		memcpy(&v, pg + (pa & (PAGE_SIZE - 1)), 8);
	return v;
}

/* --corrupt vmemmap-loop: the last entry points back at the second. */
static void make_loop(uint64_t head)
{
	uint64_t second = head ? rd_le64(head - 0xc000000000000000ULL) : 0, n = head;

	while (n && second) {
		uint64_t pa = n - 0xc000000000000000ULL, next = rd_le64(pa);

		if (!next) {
			kstore_put64(pa, second);
			return;
		}
		n = next;
	}
}

/* vmemmap_backing {list, phys, virt_addr}, newest first. */
static void vmemmap_list(struct machine *m)
{
	uint64_t head = 0;

	for (uint64_t i = 0; i < vmm_pages(m); i++) {
		uint64_t pa = vmm_page_pa(m, i), node;

		if (!pa)
			continue;
		node = kdata_alloc(m, 24, 8);
		kstore_put64(node, head);
		kstore_put64(node + 8, pa);
		kstore_put64(node + 16, m->vmemmap_base + i * PAGE_SIZE);
		head = dmap(m, node);
	}
	if (m->o->corrupt == CR_VMM_LOOP)
		make_loop(head);
	kstore_put64(kimg_pa(m, m->ppc.vmemmap_list), head);
}

/* mmu_psize_defs[].shift and mmu_vmemmap_psize (hash: 64K vmemmap pages). */
static void psize_defs(struct machine *m)
{
	uint64_t base = m->kimg_size - OFF_PPC_DATA;
	uint32_t idx = PAGE_SHIFT == 16 ? MMU_PAGE_64K : MMU_PAGE_4K;

	m->ppc.vmemmap_list = kimg_va(m, base);
	m->ppc.vmemmap_psize = kimg_va(m, base + 0x10);
	m->ppc.cur_cpu_spec = kimg_va(m, base + 0x20);
	m->ppc.psize_defs = kimg_va(m, base + 0x100);
	kstore_put32(kimg_pa(m, m->ppc.vmemmap_psize), idx);
	for (uint32_t i = 0; i < 16; i++) {
		uint32_t s = i == MMU_PAGE_4K ? 12 : i == MMU_PAGE_64K ? 16 : 12 + i;

		kstore_put32(kimg_pa(m, m->ppc.psize_defs) + i * PPC_PSIZE_DEF_SIZE, s);
	}
}

uint64_t ppc64_pgt_pages(const struct machine *m)
{
	uint64_t vmm = vmm_pages(m), per = 1ULL << idx_bits(3);

	/* PTE tables of the vmemmap and the linear map's first 2 MiB, the
	 * PMD/PUD tables above them, vmemmap_list entries */
	return (vmm / per + 4) * ((8ULL << idx_bits(3)) + 2 * 4096) / PAGE_SIZE +
	       vmm * 24 / PAGE_SIZE + m->o->mem / GIB * 2 + 16;
}

void ppc64_pgt_build(struct machine *m)
{
	m->init_top_pgt = kimg_va(m, m->kimg_size - KOFF_FROM_END_PGT);
	(void)kpage(kimg_pa(m, m->init_top_pgt) >> PAGE_SHIFT);
	psize_defs(m);
	if (m->o->ppc_radix) {
		map_linear(m);
		map_vmemmap(m);
	}
	/* 6.1 records every vmemmap page in the list on both MMUs; radix
	 * kernels since 6.5 leave it empty (the tables hold the vmemmap) */
	if (!m->o->ppc_radix || m->o->kver == KV_6_1)
		vmemmap_list(m);
	else
		kstore_put64(kimg_pa(m, m->ppc.vmemmap_list), 0);
}
