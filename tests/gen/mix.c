// SPDX-License-Identifier: GPL-2.0-or-later
// The page mix: cut all RAM into runs of page kinds, deterministically
// from the seed.  Memory the kernel reserved for itself (low 640K, the
// image, vmemmap backing, early allocations) is K_KERNEL; the rest is
// drawn per 2 MiB chunk: a whole THP / hugetlb / file THP / free chunk,
// or a "mixed" chunk cut into short runs of the small kinds.
#include <string.h>

#include "mkvmcore.h"

static const int maxlen[K_NKINDS] = {
	[K_KERNEL] = 64, [K_SLAB] = 16, [K_PGTABLE] = 8, [K_ZERO] = 8,
	[K_CACHE] = 48, [K_CACHE_PRIV] = 24, [K_SWAPCACHE] = 16,
	[K_ANON] = 48, [K_FREE] = 64, [K_HWPOISON] = 2, [K_OFFLINE] = 16,
	[K_ZFS_ARC] = 32,
};

struct mixer {
	struct machine *m;
	uint64_t rng;
	double p_chunk[K_NKINDS];        /* whole-chunk kinds */
	double w_small[K_NKINDS];        /* per-run weights in mixed chunks */
	double w_sum;
};

static void push(struct machine *m, uint64_t start, uint64_t len, int kind,
		 int order)
{
	struct run *last = m->nruns ? &m->runs[m->nruns - 1] : NULL;

	while (len) {
		uint32_t n = len > 0x40000000ULL ? 0x40000000U : (uint32_t)len;

		if (last && last->kind == kind && last->order == order &&
		    last->start + last->len == start &&
		    (uint64_t)last->len + n <= 0x40000000ULL) {
			last->len += n;
		} else {
			if (m->nruns == m->runs_cap) {
				m->runs_cap = m->runs_cap ? m->runs_cap * 2 : 4096;
				m->runs = xrealloc(m->runs, m->runs_cap, sizeof(*m->runs));
			}
			last = &m->runs[m->nruns++];
			last->start = start;
			last->len = n;
			last->kind = (uint8_t)kind;
			last->order = (uint8_t)order;
		}
		start += n;
		len -= n;
	}
}

static int draw_small(struct mixer *x)
{
	double u = rng_unit(&x->rng) * x->w_sum;

	for (int k = 0; k < K_NKINDS; k++) {
		if (u < x->w_small[k])
			return k;
		u -= x->w_small[k];
	}
	return K_KERNEL;
}

/* Fill [c, e) (inside one 2 MiB chunk) with short runs. */
static void fill_mixed(struct mixer *x, uint64_t c, uint64_t e)
{
	while (c < e) {
		int k = x->w_sum > 0 ? draw_small(x) : K_KERNEL;
		uint64_t len = 1 + rng_next(&x->rng) % (uint64_t)maxlen[k];
		int order = 0;

		if (k == K_SLAB) {
			/* SLUB slabs are order 0..3 compound pages */
			order = (int)(rng_next(&x->rng) % 4);
			while (order && (ctz64(c) < order || (1ULL << order) > e - c))
				order--;
			len <<= order;
		}
		if (len > e - c)
			len = (e - c) >> order << order;
		push(x->m, c, len, k, order);
		c += len;
	}
}

static void fill_piece(struct mixer *x, uint64_t a, uint64_t b)
{
	uint64_t c = a;

	while (c < b) {
		uint64_t next = round_down(c + 512, 512);
		double u;

		if (c % 512 || c + 512 > b) {
			fill_mixed(x, c, next < b ? next : b);
			c = next < b ? next : b;
			continue;
		}
		u = rng_unit(&x->rng);
		if (u < x->p_chunk[K_THP])
			push(x->m, c, 512, K_THP, 9);
		else if ((u -= x->p_chunk[K_THP]) < x->p_chunk[K_HUGETLB])
			push(x->m, c, 512, K_HUGETLB, 9);
		else if ((u -= x->p_chunk[K_HUGETLB]) < x->p_chunk[K_FILETHP])
			push(x->m, c, 512, K_FILETHP, 9);
		else if ((u -= x->p_chunk[K_FILETHP]) < x->p_chunk[K_FREE])
			push(x->m, c, 512, K_FREE, 0);
		else
			fill_mixed(x, c, c + 512);
		c += 512;
	}
}

static void mixer_init(struct mixer *x, struct machine *m)
{
	const double *mix = m->o->mix;

	memset(x, 0, sizeof(*x));
	x->m = m;
	x->rng = m->o->seed ^ 0x6d6978ULL;
	x->p_chunk[K_THP] = mix[K_THP] / 100;
	x->p_chunk[K_HUGETLB] = mix[K_HUGETLB] / 100;
	x->p_chunk[K_FILETHP] = mix[K_FILETHP] / 100;
	x->p_chunk[K_FREE] = 0.75 * mix[K_FREE] / 100;
	for (int k = 0; k < K_NKINDS; k++) {
		double w = k == K_FREE ? 0.25 * mix[k] : mix[k];

		if (k == K_THP || k == K_HUGETLB || k == K_FILETHP)
			continue;
		/* weight by run count, so divide by the mean run length */
		x->w_small[k] = w / ((1.0 + maxlen[k]) / 2.0 *
				     (k == K_SLAB ? 2.5 : 1.0));
		x->w_sum += x->w_small[k];
	}
}

/* Is pfn reserved by the kernel (low 1M, image, vmemmap backing and
 * early allocations)?  *end is where that answer changes. */
static int reserved_at(const struct machine *m, uint64_t pfn, uint64_t *end)
{
	uint64_t ks = m->kimg_phys >> PAGE_SHIFT;
	uint64_t ke = (m->kimg_phys + m->kimg_size) >> PAGE_SHIFT;
	uint64_t ts = m->vmm_phys >> PAGE_SHIFT;
	uint64_t te = (m->kdata_phys + m->kdata_size) >> PAGE_SHIFT;

	if (pfn < (MIB >> PAGE_SHIFT)) {
		*end = MIB >> PAGE_SHIFT;
		return 1;
	}
	if (pfn >= ks && pfn < ke) {
		*end = ke;
		return 1;
	}
	if (pfn >= ts && pfn < te) {
		*end = te;
		return 1;
	}
	/* the image always lies below the top reservation */
	*end = pfn < ks ? ks : pfn < ts ? ts : ~0ULL;
	return 0;
}

void mix_build(struct machine *m)
{
	struct mixer x;

	mixer_init(&x, m);
	for (int i = 0; i < m->nram; i++) {
		uint64_t c = (m->ram[i].start + PAGE_SIZE - 1) >> PAGE_SHIFT;
		uint64_t e = m->ram[i].end >> PAGE_SHIFT;

		while (c < e) {
			uint64_t stop;
			int res = reserved_at(m, c, &stop);

			if (stop > e)
				stop = e;
			if (res)
				push(m, c, stop - c, K_KERNEL, 0);
			else
				fill_piece(&x, c, stop);
			c = stop;
		}
	}
}

const struct run *run_find(const struct machine *m, uint64_t pfn)
{
	size_t lo = 0, hi = m->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct run *r = &m->runs[mid];

		if (pfn < r->start)
			hi = mid;
		else if (pfn >= r->start + r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* Order of the buddy block that starts at pfn in a free run ending at
 * run_end: the largest naturally aligned block that fits, up to
 * MAX_ORDER-1.  Walking a free run with this gives its block list. */
int free_block_at(uint64_t pfn, uint64_t run_end, int *order)
{
	int o = ctz64(pfn);

	if (o > MAX_ORDER_NR - 1)
		o = MAX_ORDER_NR - 1;
	while ((1ULL << o) > run_end - pfn)
		o--;
	*order = o;
	return 1;
}

/* The buddy block holding pfn in the free run [s, e): the largest
 * naturally aligned block around pfn that fits in the run.  This is the
 * same block list that walking the run with free_block_at() gives. */
uint64_t free_block_of(uint64_t pfn, uint64_t s, uint64_t e, int *order)
{
	for (int o = MAX_ORDER_NR - 1; o > 0; o--) {
		uint64_t b = pfn & ~((1ULL << o) - 1);

		if (b >= s && b + (1ULL << o) <= e) {
			*order = o;
			return b;
		}
	}
	*order = 0;
	return pfn;
}
