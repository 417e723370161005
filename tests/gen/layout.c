// SPDX-License-Identifier: GPL-2.0-or-later
// Physical layout: RAM ranges (from the arch), optional extra holes,
// sections, zones, nodes, and where the kernel keeps its vmemmap backing
// and its early allocations.  The arch places the image and the virtual
// bases (layout_x86_64.c, layout_arm64.c).
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

struct geom g_geom = { 12, 27, 16 };     /* x86_64 (and i386) */

/* arm64: the granule sets the page size; SECTION_SIZE_BITS is 29 with
 * 64K pages, else 27; struct mem_section has page_ext and padding. */
void geom_set(const struct opts *o)
{
	if (o->arch == A_S390X)
		g_geom.section_shift = 28;
	if (o->arch == A_PPC64) {        /* book3s64: 16 MiB sections, 16-byte mem_section */
		g_geom.page_shift = o->granule_shift;
		g_geom.section_shift = 24;
		g_geom.sz_mem_section = 16;
		return;
	}
	if (o->arch != A_ARM64)
		return;
	g_geom.page_shift = o->granule_shift;
	g_geom.section_shift = o->granule_shift == 16 ? 29 : 27;
	g_geom.sz_mem_section = 32;
}

void add_range(struct machine *m, uint64_t s, uint64_t e)
{
	if (e <= s)
		return;
	if (m->nram >= (int)(sizeof(m->ram) / sizeof(m->ram[0])))
		die("too many RAM ranges");
	m->ram[m->nram].start = s;
	m->ram[m->nram].end = e;
	m->nram++;
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
	if (pfn < m->arch->zone_lim[0] >> PAGE_SHIFT)
		return 0;                /* ZONE_DMA */
	if (pfn < m->arch->zone_lim[1] >> PAGE_SHIFT)
		return 1;                /* ZONE_DMA32 */
	return 2;                        /* ZONE_NORMAL */
}

/* Bytes needed for early kernel allocations (see kstruct.c, pgtable.c). */
static uint64_t kdata_estimate(const struct machine *m)
{
	uint64_t roots = (1ULL << (m->max_physmem_bits - SECTION_SHIFT)) /
			 SECTIONS_PER_ROOT;
	uint64_t pages = roots * 8 / PAGE_SIZE + 1;

	pages += m->nsections / SECTIONS_PER_ROOT + 2;     /* mem_section pages */
	pages += (SZ_PGLIST / PAGE_SIZE + 6) * MAX_GNODES + 16; /* pgdats, pools */
	pages += m->arch->pgt_pages(m);                     /* page tables */
	return round_up(pages * PAGE_SIZE, 2 * MIB);
}

/* The top of the highest RAM range that is big enough holds the vmemmap
 * backing (VMM_CHUNK per section) and, above it, the early allocations. */
static void reserve_top(struct machine *m)
{
	m->vmm_size = round_up(m->nsections * VMM_CHUNK, PAGE_SIZE);
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
		die("--holes: not enough RAM sections (%llu MiB each)",
		    (unsigned long long)(1ULL << (SECTION_SHIFT - 20)));
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
	punch(m, (cand[2] << SECTION_SHIFT) + MIB + 3 * PAGE_SIZE,
	      (cand[2] << SECTION_SHIFT) + MIB + 10 * PAGE_SIZE);
}

int kimg_fits(const struct machine *m, uint64_t p)
{
	return span_is_ram(m, p, p + m->kimg_size) &&
	       p + m->kimg_size <= m->vmm_phys;
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
		if (VMM_CHUNK < PAGE_SIZE) {     /* ppc64 64K: one vmemmap page, several sections */
			m->sec_vmm_phys[s] = m->vmm_phys + s * VMM_CHUNK;
			m->vmm_chunk_sec[m->nvmm_chunks++] = s;
			continue;
		}
		if (!m->sec_present[s])
			continue;
		m->sec_vmm_phys[s] = next;
		m->vmm_chunk_sec[m->nvmm_chunks++] = s;
		next += VMM_CHUNK;
		/* every third present section through PTEs (at least one) */
		if (m->o->vmemmap4k && (k % 3 == 1 || m->nsections == 1))
			m->sec_4k[s] = 1;
		k++;
	}
}

static void zones(struct machine *m)
{
	const uint64_t lim[3] = { m->arch->zone_lim[0], m->arch->zone_lim[1], ~0ULL };
	uint64_t lo = 0;

	for (int z = 0; z < 3; z++) {
		uint64_t hi = lim[z] == ~0ULL ? ~0ULL : lim[z] >> PAGE_SHIFT;

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
	m->node_start[0] = m->ram[0].start >> SECTION_SHIFT << PFN_SECTION_SHIFT;
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

	m->arch->ram_ranges(m);
	m->max_pfn = m->ram[m->nram - 1].end >> PAGE_SHIFT;
	m->nsections = (m->max_pfn + PAGES_PER_SECTION - 1) >> PFN_SECTION_SHIFT;
	reserve_top(m);
	if (m->o->holes)
		make_holes(m);
	nodes(m);
	m->arch->place(m, &rng);
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
