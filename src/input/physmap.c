// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Physical address map: PT_LOADs may be unsorted, overlap (the x86_64 kernel
 * text PT_LOAD duplicates RAM), start or end inside a page, or have
 * memsz > filesz (makedumpfile -E output).  They are flattened into sorted,
 * non-overlapping pieces; where two overlap, the one that starts first keeps
 * the shared bytes (both hold the same memory in a real vmcore).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "backend.h"
#include "pageio.h"
#include "../util/bytes.h"

static int cmp_load(const void *a, const void *b)
{
	const struct vs_load *x = a, *y = b;
	if (x->paddr != y->paddr)
		return x->paddr < y->paddr ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

struct vs_err *vs_pieces_build(struct vs_vmcore *vc)
{
	struct vs_load *sorted = malloc(vc->nloads * sizeof(*sorted));
	vc->pieces = calloc(vc->nloads, sizeof(*vc->pieces));
	if (!sorted || !vc->pieces) {
		free(sorted);
		return vs_enomem;
	}
	memcpy(sorted, vc->loads, vc->nloads * sizeof(*sorted));
	qsort(sorted, vc->nloads, sizeof(*sorted), cmp_load);
	uint64_t covered = 0;
	bool any = false;
	for (size_t i = 0; i < vc->nloads; i++) {
		const struct vs_load *l = &sorted[i];
		uint64_t end = l->paddr + l->memsz;
		uint64_t start = (any && covered > l->paddr) ? covered : l->paddr;
		if (start >= end)
			continue;
		uint64_t skip = start - l->paddr;
		struct vs_piece *p = &vc->pieces[vc->npieces++];
		p->paddr = start;
		p->memsz = end - start;
		uint64_t fend = l->filesz + l->lost;  /* bytes the headers claim */
		p->filesz = l->filesz > skip ? l->filesz - skip : 0;
		uint64_t claimed = fend > skip ? fend - skip : 0;
		p->lostsz = claimed - p->filesz;
		p->offset = l->offset + skip;
		covered = end;
		any = true;
	}
	free(sorted);
	return NULL;
}

static uint64_t elf_max_pfn(const struct vs_vmcore *vc, unsigned page_shift)
{
	uint64_t max = 0;
	for (size_t i = 0; i < vc->npieces; i++) {
		uint64_t end = vc->pieces[i].paddr + vc->pieces[i].memsz;
		uint64_t pfn = (end >> page_shift) + ((end & ((1ull << page_shift) - 1)) != 0);
		if (pfn > max)
			max = pfn;
	}
	return max;
}

/* Index of the last piece starting at or below paddr, or -1. */
static long find_piece(const struct vs_vmcore *vc, uint64_t paddr)
{
	long lo = 0, hi = (long)vc->npieces - 1, best = -1;
	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;
		if (vc->pieces[mid].paddr <= paddr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return best;
}

static enum vs_page_src elf_page_src(const struct vs_vmcore *vc, uint64_t start, uint64_t len)
{
	long i = find_piece(vc, start);
	if (i >= 0) {
		const struct vs_piece *p = &vc->pieces[i];
		if (start + len <= p->paddr + p->filesz)
			return VS_PAGE_FULL;
	} else {
		i = 0;
	}
	bool file = false, zero = false;
	for (size_t k = (size_t)i; k < vc->npieces && vc->pieces[k].paddr < start + len; k++) {
		const struct vs_piece *p = &vc->pieces[k];
		uint64_t lo = p->paddr > start ? p->paddr : start;
		uint64_t pend = p->paddr + p->memsz;
		uint64_t hi = pend < start + len ? pend : start + len;
		if (lo >= hi)
			continue;
		uint64_t fend = p->paddr + p->filesz, lend = fend + p->lostsz;
		if (lo < lend && hi > fend)
			return VS_PAGE_LOST;
		if (lo < fend)
			file = true;
		if (hi > fend)
			zero = true;
	}
	if (file)
		return VS_PAGE_PARTIAL;
	return zero ? VS_PAGE_ZERO : VS_PAGE_ABSENT;
}

/* Copies the file-backed bytes of [start, start+len) into buf; the rest becomes zero. */
static struct vs_err *assemble(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t start, size_t len,
			       uint8_t *buf)
{
	memset(buf, 0, len);
	long i = find_piece(vc, start);
	for (size_t k = i < 0 ? 0 : (size_t)i; k < vc->npieces && vc->pieces[k].paddr < start + len; k++) {
		const struct vs_piece *p = &vc->pieces[k];
		uint64_t fend = p->paddr + p->filesz;
		uint64_t lo = p->paddr > start ? p->paddr : start;
		uint64_t hi = fend < start + len ? fend : start + len;
		if (lo >= hi)
			continue;
		const uint8_t *src;
		uint64_t off = p->offset + (lo - p->paddr);
		struct vs_err *err = vs_pageio_get(io, off, hi - lo, p->offset, p->offset + p->filesz, &src);
		if (err)
			return vs_err_wrap(err, "physical address 0x%llx", (unsigned long long)lo);
		memcpy(buf + (lo - start), src, hi - lo);
	}
	return NULL;
}

static bool elf_page_mapped(const struct vs_vmcore *vc, uint64_t pfn, unsigned page_shift)
{
	uint64_t psize = 1ull << page_shift, start = pfn << page_shift;
	long i = find_piece(vc, start);
	if (i < 0)
		return false;
	const struct vs_piece *p = &vc->pieces[i];
	return start + psize <= p->paddr + p->filesz &&
	       vs_pageio_mapped(vc->io, p->offset + (start - p->paddr), psize);
}

bool vs_vmcore_data_mapped(const struct vs_vmcore *vc, const uint8_t *data)
{
	return vs_pageio_owns(vc->io, data);
}

void vs_vmcore_note_unreadable(struct vs_vmcore *vc, uint64_t pfn, const struct vs_err *err)
{
	if (__atomic_fetch_add(&vc->unreadable, 1, __ATOMIC_RELAXED) == 0)
		__atomic_store_n(&vc->unreadable_errnum, err->errnum, __ATOMIC_RELAXED);
	uint64_t first = __atomic_load_n(&vc->unreadable_pfn, __ATOMIC_RELAXED);
	while (pfn < first && !__atomic_compare_exchange_n(&vc->unreadable_pfn, &first, pfn, true,
							    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static struct vs_err *elf_read_page(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t pfn, unsigned page_shift,
				    void *buf, const uint8_t **data)
{
	uint64_t psize = 1ull << page_shift, start = pfn << page_shift;
	long i = find_piece(vc, start);
	const struct vs_piece *p = i >= 0 ? &vc->pieces[i] : NULL;
	if (p && start + psize <= p->paddr + p->filesz) {
		uint64_t off = p->offset + (start - p->paddr);
		return vs_pageio_get(io, off, psize, p->offset, p->offset + p->filesz, data);
	}
	*data = buf;
	return assemble(vc, io, start, psize, buf);
}

static struct vs_err *elf_read_phys(struct vs_vmcore *vc, uint64_t paddr, void *buf, size_t len)
{
	uint64_t end;
	if (!vs_add_ok(paddr, len, &end))
		return vs_err_new(VS_ERR_CORRUPT, "physical range at 0x%llx overflows",
				  (unsigned long long)paddr);
	while (len) {
		size_t chunk = len > VS_READAHEAD ? VS_READAHEAD : len;
		struct vs_err *err = assemble(vc, vc->meta, paddr, chunk, buf);
		if (err)
			return err;
		paddr += chunk;
		buf = (uint8_t *)buf + chunk;
		len -= chunk;
	}
	return NULL;
}

static struct vs_err *elf_map_phys(struct vs_vmcore *vc, uint64_t paddr, size_t len, void *buf,
				   const uint8_t **data)
{
	long i = find_piece(vc, paddr);
	if (i >= 0 && len <= VS_READAHEAD) {
		const struct vs_piece *p = &vc->pieces[i];
		if (paddr + len <= p->paddr + p->filesz) {
			uint64_t off = p->offset + (paddr - p->paddr);
			return vs_pageio_get(vc->io, off, len, p->offset, p->offset + p->filesz, data);
		}
	}
	*data = buf;
	return elf_read_phys(vc, paddr, buf, len);
}

static void elf_describe(const struct vs_vmcore *vc, char *buf, size_t len)
{
	snprintf(buf, len, "ELF class %d, machine %u, %zu PT_LOAD", vc->elf_class == 2 ? 64 : 32, vc->machine,
		 vc->nloads);
}

const struct vs_input_ops vs_elf_input_ops = {
	.max_pfn = elf_max_pfn,
	.page_src = elf_page_src,
	.read_page = elf_read_page,
	.read_phys = elf_read_phys,
	.map_phys = elf_map_phys,
	.page_mapped = elf_page_mapped,
	.describe = elf_describe,
};

/* The format-independent calls. */

uint64_t vs_vmcore_max_pfn(const struct vs_vmcore *vc, unsigned page_shift)
{
	return vc->ops->max_pfn(vc, page_shift);
}

enum vs_page_src vs_vmcore_page_src(const struct vs_vmcore *vc, uint64_t start, uint64_t len)
{
	return vc->ops->page_src(vc, start, len);
}

bool vs_vmcore_page_mapped(const struct vs_vmcore *vc, uint64_t pfn, unsigned page_shift)
{
	return vc->ops->page_mapped(vc, pfn, page_shift);
}

struct vs_err *vs_vmcore_read_page(struct vs_vmcore *vc, uint64_t pfn, unsigned page_shift,
				   void *buf, const uint8_t **data)
{
	return vs_vmcore_read_page_io(vc, vc->io, pfn, page_shift, buf, data);
}

struct vs_err *vs_vmcore_read_page_io(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t pfn,
				      unsigned page_shift, void *buf, const uint8_t **data)
{
	struct vs_err *err = vc->ops->read_page(vc, io, pfn, page_shift, buf, data);
	if (err) {  /* zero-filled and counted; the caller marks the dump incomplete */
		vs_vmcore_note_unreadable(vc, pfn, err);
		vs_err_free(err);
		memset(buf, 0, 1ull << page_shift);
		*data = buf;
	}
	return NULL;
}

struct vs_err *vs_vmcore_read_phys(struct vs_vmcore *vc, uint64_t paddr, void *buf, size_t len)
{
	return vc->ops->read_phys(vc, paddr, buf, len);
}

struct vs_err *vs_vmcore_map_phys(struct vs_vmcore *vc, uint64_t paddr, size_t len, void *buf,
				  const uint8_t **data)
{
	return vc->ops->map_phys(vc, paddr, len, buf, data);
}

struct vs_err *vs_vmcore_missing(struct vs_vmcore *vc, uint64_t first, uint64_t end, vs_missing_fn *fn,
				 void *arg)
{
	return vc->ops->missing ? vc->ops->missing(vc, first, end, fn, arg) : NULL;
}

void vs_vmcore_describe(const struct vs_vmcore *vc, char *buf, size_t len)
{
	vc->ops->describe(vc, buf, len);
}
