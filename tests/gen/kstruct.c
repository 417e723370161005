// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel data structures in the dumped memory: init_uts_ns, the
// SPARSEMEM_EXTREME mem_section tree, node_data / pglist_data / zones
// with real free lists and NR_FREE_PAGES counters, node_online_map,
// vmap_area_list, and pools of fake objects that struct pages point to.
#include <string.h>

#include "mkvmcore.h"

static const char *const zone_names[NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device"
};

static uint64_t uts_pa(const struct machine *m)
{
	return m->kimg_phys + m->kimg_size - KOFF_FROM_END_UTS;
}

static void put_str(uint64_t pa, const char *s)
{
	kstore_put(pa, s, strlen(s) + 1);
}

static void build_uts(struct machine *m, const char *release)
{
	uint64_t pa = uts_pa(m);          /* OFFSET(uts_namespace.name) = 0 */
	const char *const f[6] = {
		"Linux", "vmsift-synthetic", release,
		"#1 SMP PREEMPT_DYNAMIC Debian (synthetic)",
		m->arch->uts_machine, "(none)"
	};

	for (int i = 0; i < 6; i++)
		put_str(pa + 65 * i, f[i]);
	m->init_uts_ns = kimg_va(m, m->kimg_size - KOFF_FROM_END_UTS);
	/* node_online_map: node 0 online (and node 2 with --memmodel discontig) */
	m->node_online_map = m->init_uts_ns + 0x800;
	kstore_put64(pa + 0x800, m->nnodes > 1 ? 5 : 1);
	/* an empty vmap_area_list points to itself */
	m->vmap_area_list = m->init_uts_ns + 0x900;
	kstore_put64(pa + 0x900, m->vmap_area_list);
	kstore_put64(pa + 0x908, m->vmap_area_list);
	/* ppc64: the first vmap_area's va_start is where makedumpfile puts
	 * vmalloc (VMALLOC_START of the 0xc region, 5.2+): read as if the
	 * list head were a vmap_area's list */
	if (m->o->arch == A_PPC64)
		kstore_put64(pa + 0x900 - OFF_VMAP_AREA_LIST, 0xc008000000000000ULL);
	for (int z = 0; z < NR_ZONES; z++)
		put_str(pa + 0xa00 + 16 * z, zone_names[z]);
}

/* Pools of fake objects: address_spaces, anon_vmas, kmem_caches and
 * buffer_heads.  Each object starts with a tag so its page is not zero. */
static uint64_t make_pool(struct machine *m, const char *tag)
{
	uint64_t pa = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

	for (unsigned i = 0; i < 16; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%s#%u", tag, i);
		put_str(pa + 256 * i, buf);
	}
	return dmap(m, pa);
}

/* --corrupt memmap-unmapped: the middle present section's struct pages
 * are said to be 2^39 bytes away, where nothing maps them. */
static uint64_t section_mem_map(const struct machine *m, uint64_t s)
{
	if (m->o->corrupt == CR_MEMMAP_UNMAPPED && s == m->corrupt_section)
		return (m->vmemmap_base + (1ULL << 39)) | SECTION_FLAGS;
	return m->vmemmap_base | SECTION_FLAGS;
}

static void build_mem_section(struct machine *m)
{
	uint64_t nroots = (1ULL << (m->max_physmem_bits - SECTION_SHIFT)) /
			  SECTIONS_PER_ROOT;
	uint64_t root = kdata_alloc(m, nroots * 8, PAGE_SIZE);
	uint64_t usage = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

	put_str(usage, "mem_section_usage");
	m->corrupt_section = m->nsections / 2;
	while (m->corrupt_section + 1 < m->nsections && !m->sec_present[m->corrupt_section])
		m->corrupt_section++;
	(void)kpage(root >> PAGE_SHIFT);
	m->mem_section = dmap(m, root);
	for (uint64_t s = 0; s < m->nsections; s++) {
		uint64_t r = s / SECTIONS_PER_ROOT, rp;

		if (!m->sec_present[s])
			continue;
		rp = 0;
		{
			const uint8_t *pg = kpage_get((root + 8 * r) >> PAGE_SHIFT);

			if (pg)
				rp = ld64t(pg + ((root + 8 * r) & (PAGE_SIZE - 1)));
		}
		if (!rp) {
			uint64_t pa = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

			(void)kpage(pa >> PAGE_SHIFT);
			rp = dmap(m, pa);
			kstore_put64(root + 8 * r, rp);
		}
		/* encoded as mem_map - section_start_pfn * sizeof(struct page),
		 * which for SPARSEMEM_VMEMMAP is just vmemmap_base */
		rp = dmap_pa(m, rp) + g_geom.sz_mem_section * (s % SECTIONS_PER_ROOT);
		kstore_put64(rp, section_mem_map(m, s));
		kstore_put64(rp + 8, dmap(m, usage));
	}
}

static void fl_push(struct machine *m, int z, int o, uint64_t pfn)
{
	size_t n = m->fl_n[z][o];

	if ((n & (n - 1)) == 0 && n >= 64)
		m->fl[z][o] = xrealloc(m->fl[z][o], n * 2, sizeof(uint64_t));
	else if (n == 0)
		m->fl[z][o] = xrealloc(NULL, 64, sizeof(uint64_t));
	m->fl[z][o][m->fl_n[z][o]++] = pfn;
	m->zone_free[z] += 1ULL << o;
}

/* The buddy free lists, from the free runs, in ascending pfn order. */
static void build_freelists(struct machine *m)
{
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		uint64_t end = r->start + r->len;

		if (r->kind != K_FREE)
			continue;
		for (uint64_t p = r->start; p < end;) {
			int o;

			free_block_at(p, end, &o);
			fl_push(m, pfn_zl(m, p), o, p);
			p += 1ULL << o;
		}
	}
}

/* zl = node index * NR_ZONES + zone */
uint64_t zone_va(const struct machine *m, int zl)
{
	return m->node_pgdat[zl / NR_ZONES] + OFF_PGLIST_NODE_ZONES +
	       (uint64_t)(zl % NR_ZONES) * SZ_ZONE;
}

/* &zone->free_area[order].free_list[MIGRATE_MOVABLE] */
uint64_t freelist_head_va(const struct machine *m, int zl, int order)
{
	return zone_va(m, zl) + OFF_ZONE_FREE_AREA +
	       (uint64_t)order * SZ_FREE_AREA + 16 * MIGRATE_MOVABLE;
}

/* The part of zone z inside node n, in pfns; empty as s == e == 0. */
static void zone_span(const struct machine *m, int n, int z, uint64_t *s, uint64_t *e)
{
	*s = m->zone_start[z] > m->node_start[n] ? m->zone_start[z] : m->node_start[n];
	*e = m->zone_end[z] < m->node_end[n] ? m->zone_end[z] : m->node_end[n];
	if (z >= 3 || *e <= *s)
		*s = *e = 0;
}

static void build_zone(struct machine *m, uint64_t pgdat_pa, int n, int z)
{
	uint64_t za = pgdat_pa + OFF_PGLIST_NODE_ZONES + (uint64_t)z * SZ_ZONE;
	uint64_t present = 0, zs, ze;
	int zl = n * NR_ZONES + z;

	zone_span(m, n, z, &zs, &ze);
	for (int i = 0; i < m->nram; i++) {
		uint64_t s = (m->ram[i].start + PAGE_SIZE - 1) >> PAGE_SHIFT;
		uint64_t e = m->ram[i].end >> PAGE_SHIFT;

		s = s > zs ? s : zs;
		e = e < ze ? e : ze;
		present += e > s ? e - s : 0;
	}
	kstore_put64(za + OFF_ZONE_PGDAT, m->node_pgdat[n]);
	kstore_put64(za + OFF_ZONE_START_PFN, zs);
	kstore_put64(za + OFF_ZONE_SPANNED, ze - zs);
	kstore_put64(za + OFF_ZONE_PRESENT, present);
	kstore_put64(za + OFF_ZONE_NAME, m->init_uts_ns + 0xa00 + 16 * z);
	for (int o = 0; o < MAX_ORDER_NR; o++) {
		uint64_t fa = za + OFF_ZONE_FREE_AREA + (uint64_t)o * SZ_FREE_AREA;
		uint64_t fva = zone_va(m, zl) + OFF_ZONE_FREE_AREA +
			       (uint64_t)o * SZ_FREE_AREA;
		size_t nf = z < 3 ? m->fl_n[zl][o] : 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			uint64_t self = fva + 16 * mt;
			uint64_t next = self, prev = self;

			if (mt == MIGRATE_MOVABLE && nf) {
				next = spage_va(m, m->fl[zl][o][0]) + 8;
				prev = spage_va(m, m->fl[zl][o][nf - 1]) + 8;
			}
			kstore_put64(fa + 16 * mt, next);
			kstore_put64(fa + 16 * mt + 8, prev);
		}
		kstore_put64(fa + OFF_FREE_AREA_NR_FREE, nf);
	}
	kstore_put64(za + OFF_ZONE_VM_STAT + 8 * NR_FREE_PAGES_IDX,
		     z < 3 ? m->zone_free[zl] : 0);
}

static void build_node(struct machine *m, int n, uint64_t pa)
{
	uint64_t present = 0, spanned = m->node_end[n] - m->node_start[n];
	int nr_zones = 0;

	for (size_t i = 0; i < m->nruns; i++)
		if (pfn_node(m, m->runs[i].start) == n)
			present += m->runs[i].len;
	for (int z = 0; z < NR_ZONES; z++) {
		uint64_t zs, ze;

		build_zone(m, pa, n, z);
		zone_span(m, n, z, &zs, &ze);
		if (ze)
			nr_zones = z + 1;
	}
	if (m->o->corrupt == CR_SPANNED && n == 0)
		spanned = 1ULL << 40;   /* runs over node 2 */
	kstore_put32(pa + OFF_PGLIST_NR_ZONES, (uint32_t)nr_zones);
	kstore_put64(pa + OFF_PGLIST_NODE_START_PFN, m->node_start[n]);
	kstore_put64(pa + OFF_PGLIST_NODE_PRESENT, present);
	kstore_put64(pa + OFF_PGLIST_NODE_SPANNED, spanned);
	kstore_put32(pa + OFF_PGLIST_NODE_ID, m->node_id[n]);
	kstore_put64(pa + OFF_PGLIST_NODE_MEM_MAP, spage_va(m, m->node_start[n]));
}

/* One pglist_data per node, node_data[] slots; FLATMEM's mem_map variable. */
static void build_pgdat(struct machine *m)
{
	uint64_t nd = m->kimg_phys + m->kimg_size - KOFF_FROM_END_NODE_DATA;
	uint64_t pa[MAX_GNODES];

	m->node_data = kimg_va(m, m->kimg_size - KOFF_FROM_END_NODE_DATA);
	for (int n = 0; n < m->nnodes; n++) {
		pa[n] = kdata_alloc(m, SZ_PGLIST, PAGE_SIZE);
		m->node_pgdat[n] = dmap(m, pa[n]);
	}
	m->pgdat = m->node_pgdat[0];
	for (int n = 0; n < m->nnodes; n++) {
		uint64_t slot = m->node_pgdat[n];

		if (m->o->corrupt == CR_NODE_PTR && n == 1)
			slot = m->page_offset + (1ULL << 44);  /* mapped by nothing */
		kstore_put64(nd + 8ULL * m->node_id[n], slot);
		build_node(m, n, pa[n]);
	}
	if (m->nnodes > 1)  /* offline node 1: junk a reader must not follow */
		kstore_put64(nd + 8, 0xdeadbeefULL);
	m->mem_map_sym = m->init_uts_ns + 0x980;
	kstore_put64(kimg_pa(m, m->mem_map_sym), spage_va(m, 0));
}

/* --corrupt list-loop / list-wild: the last head of the longest list
 * points back at the first one / at a kernel address outside memory. */
static void corrupt_list(struct machine *m)
{
	int bz = 0, bo = 0;

	if (m->o->corrupt != CR_LIST_LOOP && m->o->corrupt != CR_LIST_WILD)
		return;
	for (int z = 0; z < NZL; z++)
		for (int o = 0; o < MAX_ORDER_NR; o++)
			if (m->fl_n[z][o] > m->fl_n[bz][bo])
				bz = z, bo = o;
	if (m->fl_n[bz][bo] < 2)
		die("--corrupt: no free list with two entries");
	m->corrupt_pfn = m->fl[bz][bo][m->fl_n[bz][bo] - 1];
	m->corrupt_next = m->o->corrupt == CR_LIST_LOOP
			  ? spage_va(m, m->fl[bz][bo][0]) + 8
			  : m->page_offset + (1ULL << 45) + 8;
}

void kstruct_build(struct machine *m)
{
	char release[64];

	snprintf(release, sizeof(release), "%s",
		 m->o->kver == KV_6_12 ? "6.12.0-synthetic" : "6.1.0-synthetic");
	m->stext = kimg_va(m, m->arch->stext_off);
	build_uts(m, release);
	m->pool_mapping = make_pool(m, "address_space");
	m->pool_anon = make_pool(m, "anon_vma");
	m->pool_kmem = make_pool(m, "kmem_cache");
	m->pool_bh = make_pool(m, "buffer_head");
	if (m->o->memmodel == MM_SPARSE)
		build_mem_section(m);
	build_freelists(m);
	build_pgdat(m);
	corrupt_list(m);
}
