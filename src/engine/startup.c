// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The startup set as sorted, disjoint pfn ranges, and the exclusion that
 * spares them.  The set is small (the image is one range, the rest a few
 * hundred pages), so a binary search per excluded block keeps its cost
 * far below the struct page scan's.
 */
#include "startup.h"

#include "vmsift/kallsyms.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"

/* Bounds the set against corrupt sizes and pointer arrays: far above any real kernel's. */
#define MAX_RANGES (1u << 20)
/* Translations per virtual range: 2^22 steps of 2 MiB cover 8 TiB of direct map. */
#define MAX_WALK_STEPS (1ull << 22)

const char *const vs_keep_reason_names[VS_KEEP_NREASONS] = { "image", "page_tables", "vmcoreinfo", "per_cpu",
							     "cpu_stack" };

void vs_startup_note(struct vs_startup *set, const char *fmt, ...)
{
	size_t used = strlen(set->note);
	if (used + 3 >= sizeof(set->note))
		return;
	if (used)
		used += (size_t)snprintf(set->note + used, sizeof(set->note) - used, "; ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(set->note + used, sizeof(set->note) - used, fmt, ap);
	va_end(ap);
}

static void add_range(struct vs_startup *set, uint64_t start, uint64_t end, uint8_t reason)
{
	if (start >= end || set->full)
		return;
	if (set->n) {  /* the walks add the same or adjacent pages over and over */
		struct vs_keep_range *last = &set->r[set->n - 1];
		if (last->reason == reason && start <= last->end && end >= last->start) {
			last->start = start < last->start ? start : last->start;
			last->end = end > last->end ? end : last->end;
			return;
		}
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 256;
		struct vs_keep_range *r = cap <= MAX_RANGES ? realloc(set->r, cap * sizeof(*r)) : NULL;
		if (!r) {
			set->full = true;
			return;
		}
		set->r = r;
		set->cap = cap;
	}
	set->r[set->n++] = (struct vs_keep_range){ start, end, reason };
}

void vs_startup_add_pfns(struct vs_startup *set, uint64_t start, uint64_t end)
{
	add_range(set, start, end, set->reason);
}

/* The walker's callback: a page-table page is part of the set. */
static void saw_table(void *arg, uint64_t paddr)
{
	struct vs_startup *set = arg;
	uint64_t pfn = paddr >> set->k->page_shift;
	for (size_t i = set->n, seen = 0; i-- > 0 && seen < 8; seen++)  /* the top levels repeat */
		if (set->r[i].reason == VS_KEEP_PGTABLE && pfn >= set->r[i].start && pfn < set->r[i].end)
			return;
	add_range(set, pfn, pfn + 1, VS_KEEP_PGTABLE);
}

/* Adds the pages [vaddr, vaddr + len) map to; unmapped pages are skipped. */
void vs_startup_add_virt(struct vs_startup *set, uint64_t vaddr, uint64_t len)
{
	struct vs_kernel *k = set->k;
	uint64_t page = k->page_size, va = vaddr & ~(page - 1);
	uint64_t end = vaddr + len < vaddr ? UINT64_MAX : vaddr + len;
	for (uint64_t steps = 0; va < end && steps < MAX_WALK_STEPS; steps++) {
		uint64_t pa, span;
		struct vs_err *err = vs_kernel_vtop_span(k, va, &pa, &span);
		if (err || span == 0) {
			vs_err_free(err);
			span = page - (va & (page - 1));
		} else {
			uint64_t n = span < end - va ? span : end - va;
			add_range(set, pa >> k->page_shift, ((pa + n - 1) >> k->page_shift) + 1, set->reason);
		}
		if (va + span < va)
			break;
		va += span;
	}
}

/*
 * Translates [va, end) once per last-level table (page_size / 8 entries of
 * page_size each), so that every table page on the way is recorded without
 * a walk per page.
 */
static void walk_tables(struct vs_startup *set, uint64_t va, uint64_t end)
{
	struct vs_kernel *k = set->k;
	uint64_t cover = k->page_size * (k->page_size / 8);
	for (uint64_t steps = 0; va < end && steps < MAX_WALK_STEPS; steps++) {
		uint64_t pa, span = 0;
		struct vs_err *err = vs_kernel_vtop_span(k, va, &pa, &span);
		vs_err_free(err);
		uint64_t next = (va & ~(cover - 1)) + cover;
		if (!err && va + span > next)
			next = va + span;
		if (next <= va)
			break;
		va = next;
	}
}

/* The tables that map the struct pages (vmemmap) and the direct map. */
static void add_tables(struct vs_session *s, const struct vs_memmap *mm, uint64_t size, struct vs_startup *set)
{
	uint64_t run_start = 0, run_end = 0;
	for (uint64_t sec = 0; sec < mm->nsections; sec++) {
		uint64_t va = mm->mem_map[sec];
		if (!va)
			continue;
		uint64_t len = mm->pfns_per_section * size;
		if (va != run_end) {  /* consecutive sections are usually consecutive in the vmemmap */
			walk_tables(set, run_start, run_end);
			run_start = va;
		}
		run_end = va + len;
	}
	walk_tables(set, run_start, run_end);
	const struct vs_arch_ops *a = s->kernel->arch;
	for (size_t i = 0; a && a->direct_map && i < s->vc->npieces; i++) {
		const struct vs_piece *p = &s->vc->pieces[i];
		uint64_t va;
		if (a->direct_map(s->kernel, p->paddr, &va))
			walk_tables(set, va, va + p->memsz);
	}
}

static int by_start(const void *a, const void *b)
{
	const struct vs_keep_range *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->reason > y->reason) - (x->reason < y->reason);
}

/* Sorted and disjoint; where ranges overlap, the one that starts first keeps the pfns. */
static void normalise(struct vs_startup *set)
{
	qsort(set->r, set->n, sizeof(*set->r), by_start);
	size_t out = 0;
	uint64_t covered = 0;
	for (size_t i = 0; i < set->n; i++) {
		struct vs_keep_range r = set->r[i];
		if (out && r.end <= covered)
			continue;
		if (out && r.start < covered)
			r.start = covered;
		if (out && set->r[out - 1].reason == r.reason && set->r[out - 1].end == r.start)
			set->r[out - 1].end = r.end;
		else
			set->r[out++] = r;
		covered = r.end;
	}
	set->n = out;
	set->pages = 0;
	for (size_t i = 0; i < set->n; i++)
		set->pages += set->r[i].end - set->r[i].start;
}

struct vs_err *vs_startup_build(struct vs_session *s, const struct vs_memmap *mm, uint64_t page_struct_size,
				struct vs_startup *set)
{
	memset(set, 0, sizeof(*set));
	struct vs_kernel *k = s->kernel;
	set->k = k;
	k->on_table = saw_table;
	k->on_table_arg = set;
	vs_startup_image(s, set);
	set->reason = VS_KEEP_PGTABLE;
	add_tables(s, mm, page_struct_size, set);
	vs_startup_objects(s, mm, set);
	vs_startup_cpus(s, set);
	k->on_table = NULL;
	k->on_table_arg = NULL;
	if (set->full)
		vs_startup_note(set, "more than %u ranges: the rest left out", MAX_RANGES);
	normalise(set);
	return NULL;
}

void vs_startup_free(struct vs_startup *set)
{
	free(set->r);
	free(set->saved);
	set->saved = NULL;
	set->r = NULL;
	set->n = set->cap = 0;
}

static uint64_t count_marked(const struct vs_bitmap *bm, uint64_t first, uint64_t end)
{
	uint64_t lo = bm->start, hi = bm->start + bm->npfn, n = 0;
	for (uint64_t p = first < lo ? lo : first; p < end && p < hi; p++)
		n += vs_bit_test(bm, p);
	return n;
}

uint64_t vs_startup_clear_slow(struct vs_startup *set, struct vs_bitmap *bm2, uint64_t first, uint64_t end,
			       uint64_t *kept)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {  /* the first range ending after first */
		size_t mid = lo + (hi - lo) / 2;
		if (set->r[mid].end <= first)
			lo = mid + 1;
		else
			hi = mid;
	}
	set->hint = lo;
	uint64_t cleared = 0, pos = first;
	for (size_t i = lo; i < set->n && set->r[i].start < end; i++) {
		if (set->yield_image && set->r[i].reason == VS_KEEP_IMAGE)
			continue;  /* cleared with the next stretch */
		uint64_t s = set->r[i].start > pos ? set->r[i].start : pos;
		uint64_t e = set->r[i].end < end ? set->r[i].end : end;
		if (s > pos)
			cleared += vs_bitmap_clear_range_count(bm2, pos, s);
		if (kept)
			kept[set->r[i].reason] += count_marked(bm2, s, e);
		pos = e;
	}
	if (pos < end)
		cleared += vs_bitmap_clear_range_count(bm2, pos, end);
	return cleared;
}

struct vs_err *vs_startup_save(struct vs_startup *set, const struct vs_bitmap *bm2)
{
	uint64_t lo = bm2->start, hi = bm2->start + bm2->npfn;
	set->nsaved = 0;
	for (size_t i = 0; i < set->n; i++) {
		if (set->r[i].reason == VS_KEEP_IMAGE)  /* the free-list walk only clears free pages */
			continue;
		for (uint64_t p = set->r[i].start < lo ? lo : set->r[i].start; p < set->r[i].end && p < hi; p++) {
			if (!vs_bit_test(bm2, p))
				continue;
			if (set->nsaved == set->capsaved) {
				size_t cap = set->capsaved ? set->capsaved * 2 : 1024;
				struct vs_keep_range *s = realloc(set->saved, cap * sizeof(*s));
				if (!s)
					return vs_enomem;
				set->saved = s;
				set->capsaved = cap;
			}
			set->saved[set->nsaved++] = (struct vs_keep_range){ p, p + 1, set->r[i].reason };
		}
	}
	return NULL;
}

uint64_t vs_startup_restore(struct vs_startup *set, struct vs_bitmap *bm2, uint64_t *kept)
{
	uint64_t n = 0;
	for (size_t i = 0; i < set->nsaved; i++) {
		const struct vs_keep_range *s = &set->saved[i];
		if (vs_bit_test(bm2, s->start))
			continue;
		vs_bit_set(bm2, s->start);
		if (kept)
			kept[s->reason]++;
		n++;
	}
	set->nsaved = 0;
	return n;
}
