// SPDX-License-Identifier: GPL-2.0-or-later
// Contents of every physical page: kernel structures from the store,
// vmemmap backing from the struct pages, and otherwise a deterministic
// pattern from (seed, pfn) that is never all zero: mostly compressible
// text, one page in eight incompressible noise.  Zero pages (and free
// pages unless --free-content pattern) are all zero; offline pages carry
// a recognisable "OFFLINE!" pattern.
#include <string.h>

#include "mkvmcore.h"

static uint8_t tmpl[MAX_PAGE_SIZE];
static uint64_t tmpl_seed = ~0ULL;

static void make_template(uint64_t seed)
{
	static const char *const words[16] = {
		"kernel ", "page ", "cache ", "vmsift ", "memory ", "struct ",
		"buffer ", "inode ", "dentry ", "block ", "socket ", "task ",
		"mapping ", "folio ", "slab ", "zone "
	};
	uint64_t st = seed ^ 0x74657874ULL;
	size_t n = 0;

	while (n < PAGE_SIZE) {
		const char *w = words[rng_next(&st) & 15];
		size_t l = strlen(w);

		if (n + l > PAGE_SIZE)
			l = PAGE_SIZE - n;
		memcpy(tmpl + n, w, l);
		n += l;
		if (n % 64 > 56 && n < PAGE_SIZE)
			tmpl[n++] = '\n';
	}
	tmpl_seed = seed;
}

static void stamp(uint8_t *p, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--, v >>= 4)
		p[i] = (uint8_t)hex[v & 15];
}

static void pattern(uint64_t seed, uint64_t pfn, uint8_t *buf)
{
	uint64_t h = hash3(seed, pfn, 0x70);

	if (h % 8 == 5) {                            /* noise */
		uint64_t x = h | 1, *w = (uint64_t *)(void *)buf;

		for (size_t i = 0; i < PAGE_SIZE / 8; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w[i] = x;
		}
		return;
	}
	if (tmpl_seed != seed)
		make_template(seed);
	memcpy(buf, tmpl, PAGE_SIZE);
	for (size_t off = 0; off < PAGE_SIZE; off += 512)
		stamp(buf + off, pfn);
}

static void offline_pattern(uint64_t pfn, uint8_t *buf)
{
	memcpy(buf, "OFFLINE!", 8);
	memcpy(buf + 8, &pfn, 8);
	for (size_t i = 16; i < PAGE_SIZE; i += 8)
		memcpy(buf + i, "OFFLINE!", 8);
}

static int in_kdata(const struct machine *m, uint64_t pfn)
{
	uint64_t pa = pfn << PAGE_SHIFT;

	return pa >= m->kdata_phys && pa < round_up(m->kdata_next, PAGE_SIZE);
}

static const struct run *run_at(const struct machine *m, uint64_t pfn)
{
	static size_t hint;
	const struct run *r;

	if (hint < m->nruns && m->runs[hint].start <= pfn &&
	    pfn < m->runs[hint].start + m->runs[hint].len)
		return &m->runs[hint];
	if (hint + 1 < m->nruns && m->runs[hint + 1].start <= pfn &&
	    pfn < m->runs[hint + 1].start + m->runs[hint + 1].len)
		return &m->runs[++hint];
	r = run_find(m, pfn);
	if (r)
		hint = (size_t)(r - m->runs);
	return r;
}

static int all_zero(const uint8_t *p)
{
	static const uint8_t z[MAX_PAGE_SIZE];

	return !memcmp(p, z, PAGE_SIZE);
}

int page_is_zero(const struct machine *m, uint64_t pfn)
{
	const uint8_t *k = kpage_get(pfn);
	const struct run *r;
	uint64_t first;

	if (k)
		return all_zero(k);
	if (in_kdata(m, pfn))
		return 1;                  /* allocated, zeroed, never written */
	if (vmm_describes(m, pfn, &first))
		return 0;
	r = run_at(m, pfn);
	if (!r)
		return 0;
	if (r->kind == K_ZERO)
		return 1;
	return r->kind == K_FREE && !m->o->free_fill;
}

void page_fill(const struct machine *m, uint64_t pfn, uint8_t *buf)
{
	const uint8_t *k = kpage_get(pfn);
	const struct run *r;
	uint64_t first;

	if (k) {
		memcpy(buf, k, PAGE_SIZE);
		return;
	}
	if (vmm_describes(m, pfn, &first)) {
		vmm_page_fill(m, first, buf);
		return;
	}
	if (page_is_zero(m, pfn)) {
		memset(buf, 0, PAGE_SIZE);
		return;
	}
	r = run_at(m, pfn);
	if (r && r->kind == K_OFFLINE)
		offline_pattern(pfn, buf);
	else
		pattern(m->o->seed, pfn, buf);
}
