// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Physical ranges left out of an ELF input's PT_LOADs.  A live /proc/kcore
 * maps the crash kernel's reservation as RAM, but the /proc/vmcore of a
 * crash will not hold it (the capture kernel runs there), so --mem-usage
 * must not count it, or the table sizes a dump that can never exist.
 */
#include <stdlib.h>

#include "elf_priv.h"
#include "vmsift/error.h"

/* Appends the part [a, b) of load l to out[n]. */
static void emit(const struct vs_load *l, uint64_t a, uint64_t b, struct vs_load *out, size_t *n)
{
	uint64_t k = a - l->paddr, len = b - a;
	uint64_t lost_lo = l->filesz, lost_hi = l->filesz + l->lost;
	struct vs_load *p = &out[(*n)++];
	*p = *l;
	p->paddr = a;
	p->vaddr = l->vaddr + k;
	p->offset = l->offset + k;
	p->memsz = len;
	p->filesz = l->filesz > k ? (l->filesz - k < len ? l->filesz - k : len) : 0;
	/* the part of the load's missing file tail [filesz, filesz + lost) inside [k, k + len) */
	uint64_t lo = lost_lo > k ? lost_lo : k, hi = lost_hi < k + len ? lost_hi : k + len;
	p->lost = hi > lo ? hi - lo : 0;
}

/* The omitted range that overlaps [cur, end) and starts first, or NULL. */
static const struct vs_phys_range *first_overlap(const struct vs_phys_range *omit, size_t nomit,
						 uint64_t cur, uint64_t end)
{
	const struct vs_phys_range *best = NULL;
	for (size_t i = 0; i < nomit; i++)
		if (omit[i].start < end && omit[i].end > cur && (!best || omit[i].start < best->start))
			best = &omit[i];
	return best;
}

/* Each step moves cur past one omitted range, so at most nomit + 1 pieces per load. */
static void cut_load(const struct vs_load *l, const struct vs_phys_range *omit, size_t nomit,
		     struct vs_load *out, size_t *n)
{
	uint64_t cur = l->paddr, end = l->paddr + l->memsz;
	for (size_t step = 0; cur < end && step <= nomit; step++) {
		const struct vs_phys_range *r = first_overlap(omit, nomit, cur, end);
		if (!r) {
			emit(l, cur, end, out, n);
			return;
		}
		if (r->start > cur)
			emit(l, cur, r->start, out, n);
		cur = r->end;
	}
}

struct vs_err *vs_loads_omit(struct vs_vmcore *vc, const struct vs_phys_range *omit, size_t nomit)
{
	if (!nomit)
		return NULL;
	if (nomit > VS_MAX_OMIT)
		return vs_err_new(VS_ERR_INVALID, "%zu physical ranges to leave out: at most %d", nomit,
				  VS_MAX_OMIT);
	struct vs_load *out = calloc(vc->nloads, (nomit + 1) * sizeof(*out));
	if (!out)
		return vs_enomem;
	size_t n = 0;
	for (size_t i = 0; i < vc->nloads; i++)
		cut_load(&vc->loads[i], omit, nomit, out, &n);
	free(vc->loads);
	vc->loads = out;
	vc->nloads = n;
	if (!n)
		return vs_err_new(VS_ERR_CORRUPT, "no memory is left once the crash kernel's reservation is left out");
	return NULL;
}
