// SPDX-License-Identifier: GPL-2.0-or-later
// struct page contents for every pfn, as Linux 6.1 or 6.12 would leave
// them.  Layout (64 bytes): flags@0, lru / compound_head@8, mapping@24,
// index@32, private@40, _mapcount / page_type@48, _refcount@52,
// memcg_data@56.  Slab pages overlay struct slab, first tail pages the
// folio's second-page fields.
#include <string.h>

#include "mkvmcore.h"

#define TAIL_MAPPING 0xdead000000000400ULL
#define DTOR_COMPOUND 1
#define DTOR_HUGETLB 2
#define DTOR_TRANSHUGE 3
/* zone in bits 51..53 (node 0 above), last_cpupid all ones in 30..50 */
#define CPUPID_BITS 0x0007ffffc0000000ULL

static const struct kflags kf61 = {
	.lru = 4, .private_ = 13, .swapcache = 10, .swapbacked = 19,
	.slab = 9, .hwpoison = 23, .head = 16, .reserved = 12, .uptodate = 2,
	.referenced = 1, .dirty = 3, .active = 5, .workingset = 6,
	.mappedtodisk = 17,
	.buddy = 0xffffff7fU, .offline = 0xfffffeffU, .table = 0xfffffdffU,
};

static const struct kflags kf612 = {
	.lru = 5, .private_ = 14, .swapcache = 10, .swapbacked = 17,
	.slab = -1, .hwpoison = 21, .head = 6, .reserved = 13, .uptodate = 3,
	.referenced = 2, .dirty = 4, .active = 8, .workingset = 9,
	.mappedtodisk = 11,
	.buddy = 0xf0000000U, .offline = 0xf1000000U, .table = 0xf2000000U,
	.hugetlb = 0xf4000000U, .slab_type = 0xf5000000U,
};

/* The version's flags; PG_hwpoison moves with the arch's optional flags
 * (x86_64 has PG_uncached, arm64 does not). */
const struct kflags *kflags_of(const struct machine *m)
{
	static struct kflags f;
	static const struct machine *cached;

	if (cached != m) {
		int v612 = m->o->kver == KV_6_12;

		f = v612 ? kf612 : kf61;
		f.hwpoison = v612 ? m->arch->hwpoison_612 : m->arch->hwpoison_61;
		cached = m;
	}
	return &f;
}

struct sp {                              /* struct page being built */
	uint64_t flags, w8, w16, mapping, index, private_;
	uint32_t mapcount, refcount;
	uint64_t memcg;
	int split_words;                 /* w16 and mapping hold smaller fields */
};

static uint64_t bit(int n)
{
	return n >= 0 ? 1ULL << n : 0;
}

/* SPARSEMEM: in the vmemmap.  FLATMEM / DISCONTIGMEM: in the direct map,
 * where the backing chunks of a node's sections lie back to back. */
uint64_t spage_va(const struct machine *m, uint64_t pfn)
{
	if (m->o->memmodel == MM_SPARSE)
		return m->vmemmap_base + pfn * SPAGE;
	return dmap(m, m->sec_vmm_phys[pfn >> PFN_SECTION_SHIFT] +
		       (pfn & (PAGES_PER_SECTION - 1)) * SPAGE);
}

/* A word of smaller fields, given as its little-endian value: bytes
 * 0 and 1 (compound_dtor, _order) as they are, u32 at byte 4. */
static void st_u8u8_u32(uint8_t *out, uint64_t w)
{
	out[0] = (uint8_t)w;
	out[1] = (uint8_t)(w >> 8);
	out[2] = out[3] = 0;
	st32(out + 4, (uint32_t)(w >> 32));
}

static void emit(const struct sp *p, uint8_t out[64])
{
	st64(out + 0, p->flags);
	st64(out + 8, p->w8);
	if (p->split_words) {            /* 6.1 first tail page */
		st_u8u8_u32(out + 16, p->w16);
		st32(out + 24, (uint32_t)p->mapping);
		st32(out + 28, (uint32_t)(p->mapping >> 32));
	} else {
		st64(out + 16, p->w16);
		st64(out + 24, p->mapping);
	}
	st64(out + 32, p->index);
	st64(out + 40, p->private_);
	st32(out + 48, p->mapcount);
	st32(out + 52, p->refcount);
	st64(out + 56, p->memcg);
}

static void base(const struct machine *m, uint64_t pfn, struct sp *p)
{
	memset(p, 0, sizeof(*p));
	p->flags = ((uint64_t)pfn_zone(m, pfn) << 51) | CPUPID_BITS;
	p->mapcount = 0xffffffffU;
	p->refcount = 1;
}

/* Reserved page (memblock, kernel image, holes inside a section). */
static void reserved(const struct machine *m, uint64_t pfn, struct sp *p)
{
	const struct kflags *f = kflags_of(m);

	base(m, pfn, p);
	p->flags |= bit(f->reserved);
	p->w8 = p->w16 = spage_va(m, pfn) + 8;     /* INIT_LIST_HEAD(lru) */
}

static int is_reserved_area(const struct machine *m, uint64_t pfn)
{
	uint64_t pa = pfn << PAGE_SHIFT;

	return pa < MIB ||
	       (pa >= m->vmm_phys && pa < m->kdata_phys + m->kdata_size) ||
	       (pa >= m->kimg_phys && pa < m->kimg_phys + m->kimg_size);
}

static void kernel_page(const struct machine *m, uint64_t pfn, struct sp *p)
{
	uint64_t h = hash3(m->o->seed, pfn, 1);

	if (is_reserved_area(m, pfn)) {
		reserved(m, pfn, p);
		return;
	}
	base(m, pfn, p);
	if (h % 8 == 6)     /* movable non-LRU page: mapping bit 1, not anon */
		p->mapping = m->pool_mapping + 256 * (h >> 8 & 7) + 2;
}

static void slab_page(const struct machine *m, uint64_t pfn, struct sp *p,
		      int order)
{
	const struct kflags *f = kflags_of(m);
	uint64_t h = hash3(m->o->seed, pfn, 2);
	uint64_t cache = m->pool_kmem + 256 * (h % 16);
	uint64_t other = spage_va(m, pfn ^ (1 + (h >> 8 & 63))) + 8;

	base(m, pfn, p);
	p->flags |= bit(f->slab) | (order ? bit(f->head) : 0);
	p->index = dmap(m, (pfn << PAGE_SHIFT) + 64 * (h >> 16 & 63)); /* freelist */
	p->private_ = 0x80000000ULL | (h >> 24 & 0x7fff) << 16 | (h >> 40 & 0xff);
	if (m->o->kver == KV_6_1) {
		p->w8 = other;                      /* slab_list.next */
		p->w16 = (h & 3) == 0 ? 1 : other;  /* .prev, or slabs = 1 */
		p->mapping = cache;                 /* slab_cache */
	} else {
		p->w8 = cache;                      /* slab_cache */
		p->w16 = other;                     /* slab_list.next / next */
		/* per-cpu partial: {next, int slabs}; slabs = 1 puts a 1 in
		 * the word where other pages keep "mapping" */
		p->mapping = (h & 3) == 0 ? 1 : other;
		p->mapcount = f->slab_type;
	}
}

static void pagetable_page(const struct machine *m, uint64_t pfn, struct sp *p)
{
	base(m, pfn, p);
	p->mapcount = kflags_of(m)->table;
}

static void file_page(const struct machine *m, uint64_t pfn, struct sp *p,
		      int priv)
{
	const struct kflags *f = kflags_of(m);
	uint64_t h = hash3(m->o->seed, pfn, 3);

	base(m, pfn, p);
	p->flags |= bit(f->lru) | bit(f->uptodate);
	p->flags |= (h & 1 ? bit(f->referenced) : 0) | (h & 2 ? bit(f->active) : 0);
	p->flags |= (h & 4 ? bit(f->dirty) : 0) | (h & 8 ? bit(f->mappedtodisk) : 0);
	p->w8 = spage_va(m, pfn + 1) + 8;
	p->w16 = spage_va(m, pfn - 1) + 8;
	p->mapping = m->pool_mapping + 256 * ((h >> 8) % 15);
	p->index = h >> 20 & 0xfffff;
	p->mapcount = h & 16 ? 0 : 0xffffffffU;
	p->refcount = 1 + (uint32_t)(h >> 5 & 1);
	if (priv) {
		p->flags |= bit(f->private_);
		p->private_ = m->pool_bh + 256 * (h >> 12 & 15);
	}
}

static void swapcache_page(const struct machine *m, uint64_t pfn, struct sp *p)
{
	const struct kflags *f = kflags_of(m);
	uint64_t h = hash3(m->o->seed, pfn, 4);

	base(m, pfn, p);
	/* not mapped any more: no anon mapping; half still on the LRU */
	p->flags |= bit(f->swapcache) | bit(f->swapbacked) | bit(f->uptodate);
	p->flags |= h & 1 ? bit(f->lru) : 0;
	p->private_ = (h >> 8 & 0xffffff) << 1;     /* swap entry */
}

static void anon_page(const struct machine *m, uint64_t pfn, struct sp *p)
{
	const struct kflags *f = kflags_of(m);
	uint64_t h = hash3(m->o->seed, pfn, 5);

	base(m, pfn, p);
	p->flags |= bit(f->lru) | bit(f->swapbacked) | bit(f->uptodate);
	p->flags |= (h & 1 ? bit(f->active) : 0) | (h & 2 ? bit(f->dirty) : 0);
	p->flags |= h % 10 == 3 ? bit(f->swapcache) : 0;  /* mapped, in swap cache */
	p->w8 = spage_va(m, pfn + 1) + 8;
	p->w16 = spage_va(m, pfn - 1) + 8;
	/* anon_vma | PAGE_MAPPING_ANON, or | PAGE_MAPPING_KSM (3) */
	p->mapping = m->pool_anon + 256 * (h >> 8 & 15) + (h % 20 == 7 ? 3 : 1);
	p->index = 0x7f0000000ULL + (h >> 16 & 0xffff);
	p->mapcount = 0;
}

/* Head page of a compound kind (THP, file THP, hugetlb). */
static void compound_head_page(const struct machine *m, uint64_t pfn,
			       struct sp *p, int kind)
{
	const struct kflags *f = kflags_of(m);
	uint64_t h = hash3(m->o->seed, pfn, 6);

	base(m, pfn, p);
	p->flags |= bit(f->head) | bit(f->uptodate);
	p->index = (h >> 16 & 0xffff) << 9;
	if (kind == K_THP) {
		p->flags |= bit(f->lru) | bit(f->swapbacked);
		p->mapping = m->pool_anon + 256 * (h & 15) + 1;
	} else if (kind == K_FILETHP) {
		p->flags |= bit(f->lru);
		p->mapping = m->pool_mapping + 256 * (h % 15);
	} else {                                    /* hugetlb: not on LRU */
		p->mapping = h & 1 ? m->pool_mapping + 256 * 15 /* hugetlbfs */
				   : m->pool_anon + 256 * (h >> 4 & 15) + 1;
		p->private_ = 0x5;                  /* hugetlb folio flags */
		if (f->hugetlb)
			p->mapcount = f->hugetlb;
	}
}

static void compound_tail_page(const struct machine *m, uint64_t pfn,
			       uint64_t head, int order, int kind, struct sp *p)
{
	const struct kflags *f = kflags_of(m);
	uint64_t i = pfn - head;

	base(m, pfn, p);
	p->refcount = 0;
	p->w8 = spage_va(m, head) | 1;               /* compound_head */
	if (i == 1 && m->o->kver == KV_6_1) {
		int dtor = kind == K_HUGETLB ? DTOR_HUGETLB
			 : kind == K_THP ? DTOR_TRANSHUGE : DTOR_COMPOUND;

		p->w16 = (uint64_t)dtor | (uint64_t)order << 8 |
			 0xffffffffULL << 32;        /* compound_mapcount -1 */
		p->mapping = (uint64_t)(1U << order) << 32; /* pincount, nr */
		p->split_words = 1;
	} else if (i == 1) {
		p->flags |= (uint64_t)order;         /* folio order, low byte */
		p->flags |= kind == K_THP ? bit(f->workingset) : 0; /* rmappable */
		p->w16 = 0xffffffffffffffffULL;      /* large/entire mapcount */
		p->index = 1ULL << order;            /* _folio_nr_pages */
	} else if (i == 2 && kind == K_THP && m->o->kver == KV_6_1) {
		p->mapping = spage_va(m, pfn) + 24; /* empty deferred_list */
		p->index = spage_va(m, pfn) + 24;
	} else {
		p->mapping = TAIL_MAPPING;
	}
}

static void free_page_sp(const struct machine *m, uint64_t pfn,
			 const struct run *r, struct sp *p)
{
	int order, z = pfn_zl(m, pfn);
	uint64_t head = free_block_of(pfn, r->start, r->start + r->len, &order);
	const uint64_t *l = m->fl[z][order];
	size_t n = m->fl_n[z][order], lo = 0, hi = n;

	base(m, pfn, p);
	p->refcount = 0;
	if (head != pfn)
		return;
	while (lo < hi) {                            /* index in its list */
		size_t mid = (lo + hi) / 2;

		if (l[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	p->w8 = lo + 1 < n ? spage_va(m, l[lo + 1]) + 8
			   : freelist_head_va(m, z, order);
	p->w16 = lo > 0 ? spage_va(m, l[lo - 1]) + 8
			: freelist_head_va(m, z, order);
	p->private_ = (uint64_t)order;
	p->mapcount = kflags_of(m)->buddy;
	if (m->corrupt_pfn && pfn == m->corrupt_pfn)
		p->w8 = m->corrupt_next;             /* --corrupt list-* */
}

static void special_page(const struct machine *m, uint64_t pfn, int kind,
			 struct sp *p)
{
	const struct kflags *f = kflags_of(m);
	uint64_t h = hash3(m->o->seed, pfn, 7);

	base(m, pfn, p);
	if (kind == K_HWPOISON) {
		p->flags |= bit(f->hwpoison);
	} else if (kind == K_ZFS_ARC) {              /* kernel data, tagged */
		p->private_ = ZFS_ARC_MAGIC;
	} else {                                     /* K_OFFLINE (balloon) */
		p->mapcount = f->offline;
		p->mapping = h & 1 ? 0 : m->pool_mapping + 256 * 14 + 2;
	}
}

static void fill_from_run(const struct machine *m, uint64_t pfn,
			  const struct run *r, struct sp *p)
{
	uint64_t head = pfn & ~((1ULL << r->order) - 1);

	switch (r->kind) {
	case K_KERNEL: kernel_page(m, pfn, p); return;
	case K_ZERO: base(m, pfn, p); return;
	case K_PGTABLE: pagetable_page(m, pfn, p); return;
	case K_CACHE: file_page(m, pfn, p, 0); return;
	case K_CACHE_PRIV: file_page(m, pfn, p, 1); return;
	case K_SWAPCACHE: swapcache_page(m, pfn, p); return;
	case K_ANON: anon_page(m, pfn, p); return;
	case K_FREE: free_page_sp(m, pfn, r, p); return;
	case K_HWPOISON: case K_OFFLINE: case K_ZFS_ARC: special_page(m, pfn, r->kind, p); return;
	default: break;
	}
	if (head != pfn) {
		compound_tail_page(m, pfn, head, r->order, r->kind, p);
		return;
	}
	if (r->kind == K_SLAB)
		slab_page(m, pfn, p, r->order);
	else
		compound_head_page(m, pfn, p, r->kind);
}

/* --startup-bait: the struct page lies (bait.c says which and how). */
static void bait_apply(const struct machine *m, uint64_t pfn, struct sp *p)
{
	uint64_t arg;
	int mark = m->nbait ? bait_mark(m, pfn, &arg) : BM_NONE;

	switch (mark) {
	case BM_CACHE: file_page(m, pfn, p, 0); break;
	case BM_ANON:
		base(m, pfn, p);
		p->flags |= bit(kflags_of(m)->swapbacked) | bit(kflags_of(m)->lru);
		p->mapping = m->pool_anon + 1;
		p->mapcount = 0;
		break;
	case BM_FREE:                                /* an order-0 buddy on no list */
		base(m, pfn, p);
		p->refcount = 0;
		p->mapcount = kflags_of(m)->buddy;
		break;
	case BM_BADMAP: p->mapping = arg; break;     /* a user-space address */
	case BM_LRU: p->flags |= bit(kflags_of(m)->lru); break;
	case BM_BADTAIL: p->w8 = spage_va(m, arg) | 1; break;
	default: break;
	}
}

void spage_fill(const struct machine *m, uint64_t pfn, uint8_t out[64])
{
	const struct run *r = run_find(m, pfn);
	struct sp p;

	if (r)
		fill_from_run(m, pfn, r, &p);
	else
		reserved(m, pfn, &p);             /* hole inside a section */
	bait_apply(m, pfn, &p);
	emit(&p, out);
}

/* Fill one vmemmap page: the SPAGES_PER_PAGE struct pages from first_pfn on.
 * Runs are looked up with a remembered position, since the writer walks
 * memory upwards. */
void vmm_page_fill(const struct machine *m, uint64_t first_pfn, uint8_t *buf)
{
	static size_t hint;
	const struct run *r = NULL;

	for (uint64_t i = 0; i < SPAGES_PER_PAGE; i++) {
		uint64_t pfn = first_pfn + i;
		struct sp p;

		if (!r || pfn >= r->start + r->len) {
			r = NULL;
			if (hint < m->nruns && m->runs[hint].start <= pfn &&
			    pfn < m->runs[hint].start + m->runs[hint].len)
				r = &m->runs[hint];
			else if (hint + 1 < m->nruns && m->runs[hint + 1].start <= pfn &&
				 pfn < m->runs[hint + 1].start + m->runs[hint + 1].len)
				r = &m->runs[++hint];
			else if ((r = run_find(m, pfn)) != NULL)
				hint = (size_t)(r - m->runs);
		}
		if (r && pfn >= r->start)
			fill_from_run(m, pfn, r, &p);
		else
			reserved(m, pfn, &p), r = NULL;
		bait_apply(m, pfn, &p);
		emit(&p, buf + i * SPAGE);
	}
}

/* Is physical page pfn a vmemmap backing page?  Then which pfns' struct
 * pages does it hold (SPAGES_PER_PAGE of them, from *first_pfn)? */
int vmm_describes(const struct machine *m, uint64_t pfn, uint64_t *first_pfn)
{
	uint64_t pa = pfn << PAGE_SHIFT, j, i, s;

	if (pa < m->vmm_phys || pa >= m->vmm_phys + m->nvmm_chunks * VMM_CHUNK)
		return 0;
	j = (pa - m->vmm_phys) / VMM_CHUNK;
	i = (pa - m->vmm_phys) % VMM_CHUNK / PAGE_SIZE;
	s = m->vmm_chunk_sec[j];
	if (m->sec_4k[s])
		i ^= 1;
	*first_pfn = (s << PFN_SECTION_SHIFT) + i * SPAGES_PER_PAGE;
	return 1;
}
