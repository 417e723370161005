// SPDX-License-Identifier: GPL-2.0-or-later
// Physical and virtual layout: RAM ranges like a PC's e820 map, optional
// extra holes, sections, zones, and where the kernel keeps its image, its
// vmemmap backing and its early allocations.
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

static void add_range(struct machine *m, uint64_t s, uint64_t e)
{
	if (e <= s)
		return;
	if (m->nram >= (int)(sizeof(m->ram) / sizeof(m->ram[0])))
		die("too many RAM ranges");
	m->ram[m->nram].start = s;
	m->ram[m->nram].end = e;
	m->nram++;
}

/* Low 640K (BIOS data area excluded), then 1M..top of low RAM, then the
 * rest above 4G as a PC does when RAM does not fit below the PCI hole. */
static void base_ranges(struct machine *m)
{
	uint64_t mem = m->o->mem;

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

/* Remove [s, e) from the RAM ranges, splitting one if needed. */
static void punch(struct machine *m, uint64_t s, uint64_t e)
{
	for (int i = 0; i < m->nram; i++) {
		struct range r = m->ram[i];

		if (e <= r.start || s >= r.end)
			continue;
		if (s > r.start && e < r.end) {
			m->ram[i].end = s;
			add_range(m, e, r.end);
		} else if (s <= r.start) {
			m->ram[i].start = e < r.end ? e : r.end;
		} else {
			m->ram[i].end = s;
		}
	}
	/* keep ranges sorted (insertion sort; there are few) */
	for (int i = 1; i < m->nram; i++)
		for (int j = i; j > 0 && m->ram[j].start < m->ram[j - 1].start; j--) {
			struct range t = m->ram[j];

			m->ram[j] = m->ram[j - 1];
			m->ram[j - 1] = t;
		}
}

int pfn_is_ram(const struct machine *m, uint64_t pfn)
{
	for (int i = 0; i < m->nram; i++)
		if (pfn >= m->ram[i].start >> PAGE_SHIFT &&
		    pfn < m->ram[i].end >> PAGE_SHIFT)
			return 1;
	return 0;
}

static int span_is_ram(const struct machine *m, uint64_t s, uint64_t e)
{
	for (int i = 0; i < m->nram; i++)
		if (s >= m->ram[i].start && e <= m->ram[i].end)
			return 1;
	return 0;
}

int pfn_node(const struct machine *m, uint64_t pfn)
{
	return m->nnodes > 1 && pfn >= m->node_start[1];
}

int pfn_zl(const struct machine *m, uint64_t pfn)
{
	return pfn_node(m, pfn) * NR_ZONES + pfn_zone(m, pfn);
}

int pfn_zone(const struct machine *m, uint64_t pfn)
{
	(void)m;
	if (pfn < (16 * MIB) >> PAGE_SHIFT)
		return 0;                /* ZONE_DMA */
	if (pfn < (4 * GIB) >> PAGE_SHIFT)
		return 1;                /* ZONE_DMA32 */
	return 2;                        /* ZONE_NORMAL */
}

/* Bytes needed for early kernel allocations (see kstruct.c, pgtable.c). */
static uint64_t kdata_estimate(const struct machine *m)
{
	uint64_t roots = m->o->l5 ? (1ULL << (52 - SECTION_SHIFT)) / SECTIONS_PER_ROOT
				  : (1ULL << (46 - SECTION_SHIFT)) / SECTIONS_PER_ROOT;
	uint64_t pages = roots * 8 / PAGE_SIZE + 1;

	pages += m->nsections / SECTIONS_PER_ROOT + 2;     /* mem_section pages */
	pages += 48 * MAX_GNODES + 16;                      /* pgdats, pools */
	pages += m->max_pfn / (512ULL << 18) + 8;           /* direct-map PUDs */
	pages += m->nsections / 512 + 8;                    /* vmemmap PMDs */
	pages += m->o->vmemmap4k ? m->nsections / 3 + 2 : 0; /* PTE pages */
	return round_up(pages * PAGE_SIZE, 2 * MIB);
}

/* The top of the highest RAM range that is big enough holds the vmemmap
 * backing (2 MiB per section) and, above it, the early allocations. */
static void reserve_top(struct machine *m)
{
	m->vmm_size = m->nsections * 2 * MIB;
	m->kdata_size = kdata_estimate(m);
	for (int i = m->nram - 1; i >= 0; i--) {
		uint64_t end = round_down(m->ram[i].end, 2 * MIB);

		if (end < m->ram[i].start + m->vmm_size + m->kdata_size + 2 * MIB)
			continue;
		m->kdata_phys = end - m->kdata_size;
		m->kdata_next = m->kdata_phys;
		m->vmm_phys = m->kdata_phys - m->vmm_size;
		return;
	}
	die("--mem too small for the kernel's reservations");
}

static int section_is_candidate(const struct machine *m, uint64_t s)
{
	uint64_t b = s << SECTION_SHIFT, e = b + (1ULL << SECTION_SHIFT);

	return s >= 1 && span_is_ram(m, b, e) && e <= m->vmm_phys;
}

/* --holes: a whole missing section, a 4 MiB hole inside a section and a
 * 7-page hole that is not 2 MiB aligned. */
static void make_holes(struct machine *m)
{
	uint64_t cand[3], n = 0, want[3], found = 0;

	for (uint64_t s = 0; s < m->nsections; s++)
		if (section_is_candidate(m, s))
			n++;
	if (n < 2)
		die("--holes: not enough RAM sections");
	want[0] = n / 3;
	want[1] = n >= 3 ? n / 2 : n - 1;
	want[2] = n >= 3 ? 2 * n / 3 : n - 1;
	if (n >= 3 && want[1] == want[0])
		want[1]++;
	if (n >= 3 && want[2] <= want[1])
		want[2] = want[1] + 1 < n ? want[1] + 1 : want[1];
	for (uint64_t s = 0, i = 0; s < m->nsections && found < 3; s++) {
		if (!section_is_candidate(m, s))
			continue;
		for (int j = 0; j < 3; j++)
			if (want[j] == i)
				cand[j] = s, found++;
		i++;
	}
	punch(m, cand[0] << SECTION_SHIFT, (cand[0] + 1) << SECTION_SHIFT);
	punch(m, (cand[1] << SECTION_SHIFT) + 64 * MIB,
	      (cand[1] << SECTION_SHIFT) + 68 * MIB);
	punch(m, (cand[2] << SECTION_SHIFT) + MIB + 0x3000,
	      (cand[2] << SECTION_SHIFT) + MIB + 0xa000);
}

static int kimg_fits(const struct machine *m, uint64_t p)
{
	return span_is_ram(m, p, p + m->kimg_size) &&
	       p + m->kimg_size <= m->vmm_phys;
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

static void place_virtual(struct machine *m, uint64_t *rng)
{
	m->page_offset = m->o->l5 ? 0xff11000000000000ULL : 0xffff888000000000ULL;
	m->vmemmap_base = m->o->l5 ? 0xffd4000000000000ULL : 0xffffea0000000000ULL;
	if (m->o->kaslr) {
		m->page_offset += (rng_next(rng) % 8192) * GIB;
		m->vmemmap_base = (m->o->l5 ? 0xffd0000000000000ULL
					    : 0xffffd00000000000ULL) +
				  (rng_next(rng) % 16384) * GIB;
	}
}

static void sections_and_vmemmap(struct machine *m)
{
	uint64_t next = m->vmm_phys, k = 0;

	m->sec_present = xcalloc(m->nsections, 1);
	m->sec_4k = xcalloc(m->nsections, 1);
	m->sec_vmm_phys = xcalloc(m->nsections, sizeof(uint64_t));
	m->vmm_chunk_sec = xcalloc(m->nsections, sizeof(uint64_t));
	for (int i = 0; i < m->nram; i++) {
		uint64_t s = m->ram[i].start >> SECTION_SHIFT;
		uint64_t e = (m->ram[i].end - 1) >> SECTION_SHIFT;

		for (; s <= e; s++)
			m->sec_present[s] = 1;
	}
	/* FLATMEM / DISCONTIGMEM arrays cover holes too: back every section
	 * of a node (flat: of all memory), so each array is contiguous */
	for (int n = 0; m->o->memmodel != MM_SPARSE && n < m->nnodes; n++)
		for (uint64_t s = m->node_start[n] >> PFN_SECTION_SHIFT;
		     s << PFN_SECTION_SHIFT < m->node_end[n]; s++)
			m->sec_present[s] = 1;
	for (uint64_t s = 0; s < m->nsections; s++) {
		if (!m->sec_present[s])
			continue;
		m->sec_vmm_phys[s] = next;
		m->vmm_chunk_sec[m->nvmm_chunks++] = s;
		next += 2 * MIB;
		/* every third present section through PTEs (at least one) */
		if (m->o->vmemmap4k && (k % 3 == 1 || m->nsections == 1))
			m->sec_4k[s] = 1;
		k++;
	}
}

static void zones(struct machine *m)
{
	static const uint64_t lim[3] = { 16 * MIB, 4 * GIB, ~0ULL };
	uint64_t lo = 0;

	for (int z = 0; z < 3; z++) {
		uint64_t hi = lim[z] >> PAGE_SHIFT;

		if (hi > m->max_pfn)
			hi = m->max_pfn;
		m->zone_start[z] = lo < hi ? lo : 0;
		m->zone_end[z] = lo < hi ? hi : 0;
		if (lo < hi)
			m->nr_zones = z + 1;
		lo = hi;
	}
}

/* Node spans: one node over everything, or the two discontig nodes. */
static void nodes(struct machine *m)
{
	m->nnodes = 1;
	m->node_start[0] = 0;
	m->node_end[0] = m->max_pfn;
	if (m->o->memmodel != MM_DISCONTIG)
		return;
	m->nnodes = 2;
	m->node_id[1] = 2;                   /* node 1 offline */
	m->node_end[0] = round_down(m->o->mem / 2, 2 * MIB) >> PAGE_SHIFT;
	m->node_start[1] = m->node_end[0] + (DISCONTIG_GAP >> PAGE_SHIFT);
	m->node_end[1] = m->max_pfn;
}

void layout_build(struct machine *m)
{
	uint64_t rng = m->o->seed ^ 0x6c61796f7574ULL;

	base_ranges(m);
	m->max_pfn = m->ram[m->nram - 1].end >> PAGE_SHIFT;
	m->nsections = (m->max_pfn + PAGES_PER_SECTION - 1) >> PFN_SECTION_SHIFT;
	reserve_top(m);
	if (m->o->holes)
		make_holes(m);
	nodes(m);
	place_kernel(m, &rng);
	place_virtual(m, &rng);
	sections_and_vmemmap(m);
	zones(m);
}

void machine_free(struct machine *m)
{
	free(m->sec_present);
	free(m->sec_4k);
	free(m->sec_vmm_phys);
	free(m->vmm_chunk_sec);
	free(m->runs);
	for (int z = 0; z < NZL; z++)
		for (int o = 0; o < MAX_ORDER_NR; o++)
			free(m->fl[z][o]);
	kstore_free();
}
