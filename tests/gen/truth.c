// SPDX-License-Identifier: GPL-2.0-or-later
// Ground truth for the generated core.
//
// Conventions (they follow the order in which makedumpfile's
// __exclude_unnecessary_pages tests a page; first match wins):
//  - Every RAM pfn (a page wholly inside a RAM range; a partial last page
//    of an unaligned range is not RAM) belongs to exactly one kind.  A
//    compound page (THP, file THP, hugetlb, compound slab) has one kind
//    for all its pages, so it is excluded or kept as a whole.  Free pages
//    are counted page by page (every page of every buddy block).
//  - The category of a kind at dump level L is fixed: free -> "free" if
//    L & 16; cache, swapcache, filethp -> "cache" if L & 2 or L & 4;
//    cache_private -> "cache_private" if L & 4; anon, thp, hugetlb ->
//    "user" if L & 8; hwpoison and offline are excluded at every level;
//    kernel, slab, pagetable, zero are never excluded by type.
//  - Zero pages: at L & 1, a page counts as "zero" only if it is still
//    kept after the rules above and its content is all zero.  This is
//    makedumpfile's behaviour: zero content is only checked on the pages
//    that remain.  So free pages with zero content count as "zero" at
//    -d 1 but as "free" at -d 17, and nothing excluded by type is zero.
//  - Kernel pages whose content happens to be zero (unused parts of
//    early allocations) are listed as kind "zero": they behave exactly
//    like the zero kind.
//  - vmemmap_excludable: 4 KiB vmemmap pages all of whose 64 struct
//    pages describe RAM pages that are excluded (bitmap-2 clear) in a
//    -d 31 kdump dump (zero pages stay dumpable there).
//    vmemmap_excludable_mdf: what makedumpfile 1.7.x -e removes: the same
//    but only runs of >= 2 such pages inside one 32768-pfn bitmap block
//    and inside one of its vmemmap "groups" (a group never reaches into
//    the last 2 MiB of its vmemmap); -1 where its x86_64 walk does not
//    apply (--kaslr, --l5, --vmemmap-4k).
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

static const char *const cat_names[C_NCATS] = {
	"keep", "zero", "cache", "cache_private", "user", "free",
	"hwpoison", "offline",
};

int kind_category(int kind, int level)
{
	switch (kind) {
	case K_FREE:
		return level & 16 ? C_FREE : C_KEEP;
	case K_CACHE: case K_SWAPCACHE: case K_FILETHP:
		return level & 6 ? C_CACHE : C_KEEP;
	case K_CACHE_PRIV:
		return level & 4 ? C_CACHE_PRIV : C_KEEP;
	case K_ANON: case K_THP: case K_HUGETLB:
		return level & 8 ? C_USER : C_KEEP;
	case K_HWPOISON:
		return C_HWPOISON;
	case K_OFFLINE:
		return C_OFFLINE;
	default:
		return C_KEEP;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Kernel pfns with all-zero content, sorted. */
static uint64_t *kernel_zero_pfns(const struct machine *m, size_t *n)
{
	uint64_t s = m->kdata_phys >> PAGE_SHIFT;
	uint64_t e = round_up(m->kdata_next, PAGE_SIZE) >> PAGE_SHIFT;
	size_t cap = (size_t)(e - s) + kstore_count() + 1, k = 0;
	uint64_t *v = xcalloc(cap, sizeof(*v));

	for (uint64_t p = s; p < e; p++)
		if (page_is_zero(m, p))
			v[k++] = p;
	for (size_t i = 0; i < kstore_count(); i++) {
		uint64_t p = kstore_pfn_at(i);

		if ((p < s || p >= e) && page_is_zero(m, p))
			v[k++] = p;
	}
	qsort(v, k, sizeof(*v), cmp_u64);
	*n = k;
	return v;
}

struct tally {
	uint64_t pages[K_NKINDS];        /* pages per kind (zero incl. kernel) */
	uint64_t zero_of[K_NKINDS];      /* of those, all-zero content */
};

static void tally(const struct machine *m, size_t nkz, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < m->nruns; i++)
		t->pages[m->runs[i].kind] += m->runs[i].len;
	t->pages[K_KERNEL] -= nkz;
	t->pages[K_ZERO] += nkz;
	t->zero_of[K_ZERO] = t->pages[K_ZERO];
	if (!m->o->free_fill)
		t->zero_of[K_FREE] = t->pages[K_FREE];
}

static void level_counts(const struct tally *t, int level, uint64_t c[C_NCATS])
{
	memset(c, 0, sizeof(uint64_t) * C_NCATS);
	for (int k = 0; k < K_NKINDS; k++) {
		int cat = kind_category(k, level);

		if (cat != C_KEEP)
			c[cat] += t->pages[k];
		else if (level & 1)
			c[C_ZERO] += t->zero_of[k];
	}
}

/* Replay of makedumpfile's x86_64 vmemmap grouping (find_vmemmap_x86_64):
 * group i describes pfns [g[2i], g[2i+1]] (both inclusive). */
static size_t mdf_groups(const struct machine *m, uint64_t *g)
{
	const uint64_t hp = 2 * MIB;
	uint64_t vs = 0, ve = 0, sd = 0, ld = 0, d = 0, ng = 0;
	int start = 1, lastv = 0, lasti = 0;

	for (uint64_t i = 0; i * PAGES_PER_SECTION < m->max_pfn; i++) {
		int brk = 0, biv = 0, valid = i < m->nsections && m->sec_present[i];

		ve += hp;
		if (valid) {
			d = m->sec_vmm_phys[i];
			if (start)
				sd = d, ld = sd - hp, start = 0;
			if (lasti)
				sd = d, ld = sd - hp, brk = 1;
			lastv = 1, lasti = 0;
			if (d != ld + hp)
				brk = biv = 1;
		} else {
			if (lastv)
				brk = biv = 1;
			lastv = 0, lasti = 1;
		}
		if (brk) {
			if (biv) {
				g[2 * ng] = vs / SPAGE;
				g[2 * ng + 1] = (ve - hp) / SPAGE;
				ng++;
			}
			vs = ve - hp;
			sd = d;
		}
		ld = d;
	}
	g[2 * ng] = vs / SPAGE;
	g[2 * ng + 1] = (ve - hp) / SPAGE;
	return ng + 1;
}

static uint64_t mdf_count_run(const uint64_t *g, size_t ng, uint64_t sp,
			      uint64_t nw)
{
	uint64_t ep = sp + nw * 64 - 1;

	if (nw < 2)
		return 0;
	for (size_t i = 0; i < ng; i++)
		if (sp >= g[2 * i] && ep <= g[2 * i + 1])
			return nw;
	return 0;
}

static void vmemmap_excludable(const struct machine *m, int64_t *clean,
			       int64_t *mdf)
{
	uint64_t spp = SPAGES_PER_PAGE, nw = (m->max_pfn + spp - 1) / spp, *g;
	uint16_t *cnt = xcalloc(nw, sizeof(*cnt));
	size_t ng;
	int applies = !m->o->kaslr && !m->o->l5 && !m->o->vmemmap4k &&
		      m->o->arch == A_X86_64;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		if (kind_category(r->kind, 31) == C_KEEP)
			continue;
		for (uint64_t p = r->start; p < r->start + r->len; p++)
			cnt[p / spp]++;
	}
	g = xcalloc(2 * (m->nsections + 2), sizeof(*g));
	ng = mdf_groups(m, g);
	*clean = 0;
	*mdf = 0;
	for (uint64_t blk = 0; blk < nw; blk += 512) {
		uint64_t run = 0, w;

		for (w = blk; w < blk + 512 && w < nw; w++) {
			if (cnt[w] == spp) {
				++*clean;
				run++;
				continue;
			}
			*mdf += (int64_t)mdf_count_run(g, ng, (w - run) * 64, run);
			run = 0;
		}
		*mdf += (int64_t)mdf_count_run(g, ng, (w - run) * 64, run);
	}
	if (!applies)
		*mdf = -1;
	free(cnt);
	free(g);
}

static void header(FILE *f, const struct machine *m, const struct tally *t)
{
	uint64_t ram = 0, c[C_NCATS], nfree = 0;
	int64_t vc, vm;

	for (int k = 0; k < K_NKINDS; k++)
		ram += t->pages[k];
	for (int z = 0; z < NZL; z++)
		nfree += m->zone_free[z];
	fprintf(f, "# format vmsift-truth-1\n# kernel %s\n",
		m->o->kver == KV_6_12 ? "6.12" : "6.1");
	fprintf(f, "# mem %llu\n# seed %llu\n", (unsigned long long)m->o->mem,
		(unsigned long long)m->o->seed);
	fprintf(f, "# memmodel %s\n", m->o->memmodel == MM_FLAT ? "flat" :
		m->o->memmodel == MM_DISCONTIG ? "discontig" : "sparse");
	fprintf(f, "# max_mapnr %llu\n# ram_pages %llu\n# nr_free_pages %llu\n",
		(unsigned long long)m->max_pfn, (unsigned long long)ram,
		(unsigned long long)nfree);
	fprintf(f, "# page_offset 0x%llx\n# vmemmap_base 0x%llx\n"
		"# phys_base 0x%llx\n# kaslr_offset 0x%llx\n",
		(unsigned long long)m->page_offset,
		(unsigned long long)m->vmemmap_base,
		(unsigned long long)m->phys_base,
		(unsigned long long)m->kaslr_off);
	for (int k = 0; k < K_NKINDS; k++)
		fprintf(f, "# pages.%s %llu\n", kind_names[k],
			(unsigned long long)t->pages[k]);
	level_counts(t, 31, c);
	for (int i = 1; i < C_NCATS; i++)
		fprintf(f, "# %s %llu\n", cat_names[i], (unsigned long long)c[i]);
	for (int l = 0; l < 32; l++) {
		uint64_t ex = 0;

		level_counts(t, l, c);
		for (int i = 1; i < C_NCATS; i++) {
			fprintf(f, "# d%d.%s %llu\n", l, cat_names[i],
				(unsigned long long)c[i]);
			ex += c[i];
		}
		fprintf(f, "# d%d.excluded %llu\n", l, (unsigned long long)ex);
	}
	if (m->o->user_task)
		usertask_truth(f);
	fprintf(f, "# zfs_arc_magic 0x%llx\n", (unsigned long long)ZFS_ARC_MAGIC);
	fprintf(f, "# dmesg_first_seq %d\n# dmesg_clear_seq %d\n",
		printk_first_seq(), printk_first_seq() + 10);
	if (m->o->corrupt == CR_MEMMAP_UNMAPPED)
		fprintf(f, "# memmap_unmapped_pfns %llu %llu\n",
			(unsigned long long)(m->corrupt_section << PFN_SECTION_SHIFT),
			(unsigned long long)PAGES_PER_SECTION);
	vmemmap_excludable(m, &vc, &vm);
	fprintf(f, "# vmemmap_excludable %lld\n# vmemmap_excludable_mdf %lld\n",
		(long long)vc, (long long)vm);
	bait_truth(m, f);
}

static void emit(FILE *f, uint64_t *cs, uint64_t *cl, int *ck, uint64_t s,
		 uint64_t l, int k)
{
	if (*cl && *ck == k && *cs + *cl == s) {
		*cl += l;
		return;
	}
	if (*cl)
		fprintf(f, "%llu %llu %s\n", (unsigned long long)*cs,
			(unsigned long long)*cl, kind_names[*ck]);
	*cs = s, *cl = l, *ck = k;
}

static void body(FILE *f, const struct machine *m, const uint64_t *kz, size_t nkz)
{
	uint64_t cs = 0, cl = 0;
	int ck = 0;
	size_t zi = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		uint64_t p = r->start, e = r->start + r->len;

		while (r->kind == K_KERNEL && zi < nkz && kz[zi] < e) {
			if (kz[zi] >= p) {
				emit(f, &cs, &cl, &ck, p, kz[zi] - p, K_KERNEL);
				emit(f, &cs, &cl, &ck, kz[zi], 1, K_ZERO);
				p = kz[zi] + 1;
			}
			zi++;
		}
		if (p < e)
			emit(f, &cs, &cl, &ck, p, e - p, r->kind);
	}
	emit(f, &cs, &cl, &ck, ~0ULL, 0, 0);
}

void truth_write(const struct machine *m)
{
	FILE *f = fopen(m->o->truth, "w");
	size_t nkz;
	uint64_t *kz = kernel_zero_pfns(m, &nkz);
	struct tally t;

	if (!f)
		die("cannot create %s", m->o->truth);
	tally(m, nkz, &t);
	header(f, m, &t);
	body(f, m, kz, nkz);
	if (fclose(f))
		die("write error on %s", m->o->truth);
	free(kz);
}
