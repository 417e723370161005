// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading pages of a kdump-compressed input.  A page has data when its bit
 * is set in both bitmaps and its descriptor (found through the rank index)
 * points at bytes the file holds; anything else is ABSENT (excluded when the
 * input was made, or a hole) or LOST (the dump was cut), never zeros.
 */
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "kdcodec.h"
#include "backend.h"
#include "kdsrc.h"
#include "../util/bytes.h"

#define BM_CACHE 4096u   /* bitmap bytes a reader keeps: 32768 blocks */

struct kd_reader {
	struct vs_pageio *desc;   /* each part's descriptor table, read ahead */
	size_t nparts;
	size_t hint;              /* the part the last lookup found */
	size_t io_part;           /* the part the page reader reads; SIZE_MAX: none yet */
	uint64_t bm_base;         /* byte offset of the cached 2nd-bitmap bytes */
	size_t bm_len;            /* 0: nothing cached */
	uint8_t bm[BM_CACHE];
	struct vs_kdcodec *codec;
	uint8_t *page;            /* read_phys: one block */
	uint8_t *block;           /* several pages per block: the last block decoded */
	uint64_t block_no;        /* which one; UINT64_MAX: none */
};

struct desc {
	uint64_t offset;
	uint32_t size, flags;
	const struct vs_kdpart *part;  /* the file it points into */
};

struct vs_err *vs_kd_reader_new(struct vs_vmcore *vc, struct vs_pageio *io)
{
	struct kd_reader *rd = calloc(1, sizeof(*rd));
	if (!rd)
		return vs_enomem;
	io->reader = rd;
	rd->io_part = SIZE_MAX;
	const struct vs_kdsrc *kd = vc->kd;
	struct vs_err *err = (rd->desc = calloc(kd->nparts, sizeof(*rd->desc))) ? NULL : vs_enomem;
	for (size_t i = 0; !err && i < kd->nparts; i++) {
		rd->nparts = i + 1;
		err = vs_pageio_init_small(&rd->desc[i], kd->parts[i].fd, kd->parts[i].file_size, false);
		rd->desc[i].flat = kd->parts[i].flat;
	}
	if (!err)
		err = vs_kdcodec_new(&rd->codec);
	if (!err && !(rd->page = malloc(vc->kd->in->block_size)))
		err = vs_enomem;
	rd->block_no = UINT64_MAX;
	if (!err && vc->kd->bshift && !(rd->block = malloc(vc->kd->in->block_size)))
		err = vs_enomem;
	return err;
}

void vs_kd_reader_free(struct vs_pageio *io)
{
	struct kd_reader *rd = io->reader;
	if (!rd)
		return;
	for (size_t i = 0; i < rd->nparts; i++)
		vs_pageio_fini(&rd->desc[i]);
	free(rd->desc);
	vs_kdcodec_free(rd->codec);
	free(rd->page);
	free(rd->block);
	free(rd);
	io->reader = NULL;
}

/* Makes the reader's bitmap cache hold block blk's byte. */
static struct vs_err *cache_bitmap(const struct vs_kdsrc *kd, struct kd_reader *rd, uint64_t blk)
{
	uint64_t byte = blk >> 3;
	if (rd->bm_len && byte >= rd->bm_base && byte < rd->bm_base + rd->bm_len)
		return NULL;
	uint64_t base = byte / BM_CACHE * BM_CACHE, bytes = (kd->max_blk + 7) / 8;
	size_t len = bytes - base < BM_CACHE ? (size_t)(bytes - base) : BM_CACHE;
	rd->bm_len = 0;
	struct vs_err *err = vs_kd_bitmap(kd, 2, base, rd->bm, len);
	if (err)
		return err;
	rd->bm_base = base;
	rd->bm_len = len;
	return NULL;
}

/* Set bits before block blk, counted from the rank entry; bm holds bytes from bm_base on. */
static uint64_t rank_of(const struct vs_kdsrc *kd, const uint8_t *bm, uint64_t bm_base, uint64_t blk)
{
	uint64_t r = kd->rank[blk / VS_KD_RANK_BLOCKS];
	uint64_t from = blk / VS_KD_RANK_BLOCKS * (VS_KD_RANK_BLOCKS / 8), to = blk >> 3;
	for (uint64_t b = from; b < to; b++)
		r += (uint64_t)__builtin_popcount(bm[b - bm_base]);
	return r + (uint64_t)__builtin_popcount(bm[to - bm_base] & ((1u << (blk & 7)) - 1));
}

static bool decode_desc(const struct vs_kdump_in *in, const uint8_t *raw, struct desc *d)
{
	d->offset = vs_ld64(raw, in->big_endian);
	d->size = vs_ld32(raw + 8, in->big_endian);
	d->flags = vs_ld32(raw + 12, in->big_endian);
	return vs_kdump_desc_holds(in, d->offset, d->size, d->flags);
}

/*
 * Block blk's descriptor, whose index among all set bits of the 2nd bitmap
 * is idx: in the table of the part that holds blk, which starts with that
 * part's first block.  Unusable when no part holds blk (a missing piece).
 */
static struct vs_err *read_desc(const struct vs_kdsrc *kd, struct kd_reader *rd, uint64_t blk, uint64_t idx,
				struct desc *d, bool *usable)
{
	*usable = false;
	const struct vs_kdpart *part = vs_kd_part_of(kd, blk, &rd->hint);
	if (!part || idx - part->rank_base >= part->table_in_file)
		return NULL;
	const uint8_t *raw;
	const struct vs_kdump_in *in = part->in;
	uint64_t at = in->desc_off + (idx - part->rank_base) * 24;
	uint64_t hi = in->desc_off + part->table_in_file * 24;
	struct vs_err *err = vs_pageio_get(&rd->desc[part - kd->parts], at, 24, in->desc_off, hi, &raw);
	d->part = part;
	if (!err)
		*usable = decode_desc(in, raw, d);
	return err;
}

/* Where pfn's data is: ABSENT, LOST (with a reason), or FULL with its descriptor. */
static struct vs_err *locate(const struct vs_kdsrc *kd, struct kd_reader *rd, uint64_t pfn,
			     enum vs_page_src *src, struct desc *d)
{
	*src = VS_PAGE_ABSENT;
	uint64_t blk = pfn >> kd->bshift;
	if (blk >= kd->max_blk)
		return NULL;
	struct vs_err *err = cache_bitmap(kd, rd, blk);
	if (err)
		return err;
	if (!(rd->bm[(blk >> 3) - rd->bm_base] >> (blk & 7) & 1))
		return NULL;
	bool usable;
	err = read_desc(kd, rd, blk, rank_of(kd, rd->bm, rd->bm_base, blk), d, &usable);
	*src = usable ? VS_PAGE_FULL : VS_PAGE_LOST;
	return err;
}

/* Several pages per block: the block is decoded once into the reader's block buffer. */
static struct vs_err *fetch_in_block(const struct vs_kdsrc *kd, struct kd_reader *rd, const struct desc *d,
				     uint64_t pfn, const uint8_t *src, const uint8_t **data)
{
	uint64_t blk = pfn >> kd->bshift, sub = (pfn & ((1ull << kd->bshift) - 1)) << kd->shift;
	if (!d->flags) {
		*data = src + sub;
		return NULL;
	}
	if (rd->block_no != blk) {
		rd->block_no = UINT64_MAX;
		struct vs_err *err = vs_kdcodec_decode(rd->codec, d->flags, src, d->size, rd->block, kd->in->block_size);
		if (err)
			return err;
		rd->block_no = blk;
	}
	*data = rd->block + sub;
	return NULL;
}

static struct vs_err *fetch_desc(struct vs_vmcore *vc, struct vs_pageio *io, const struct desc *d, uint64_t pfn,
				 uint8_t *buf, const uint8_t **data)
{
	const struct vs_kdsrc *kd = vc->kd;
	struct kd_reader *rd = io->reader;
	uint32_t B = kd->in->block_size;
	if (d->part->zero_ok && d->offset == kd->table_end && d->size == B && !d->flags) {
		memset(buf, 0, 1u << kd->shift);  /* the shared zero page: no read back to the data area's start */
		*data = buf;
		return NULL;
	}
	if (kd->bshift && rd->block_no == pfn >> kd->bshift) {
		*data = rd->block + ((pfn & ((1ull << kd->bshift) - 1)) << kd->shift);
		return NULL;
	}
	size_t part = (size_t)(d->part - kd->parts);
	if (rd->io_part != part) {  /* pfns are read in order: a set's reader moves to the next piece rarely */
		vs_pageio_retarget(io, d->part->fd, d->part->flat, d->part->file_size);
		rd->io_part = part;
	}
	const uint8_t *src;
	struct vs_err *err = vs_pageio_get(io, d->offset, d->size, kd->in->desc_off, d->part->file_size, &src);
	if (err)
		return err;
	if (kd->bshift)
		return fetch_in_block(kd, rd, d, pfn, src, data);
	*data = d->flags ? buf : src;
	return d->flags ? vs_kdcodec_decode(rd->codec, d->flags, src, d->size, buf, B) : NULL;
}

struct vs_err *vs_kd_fetch(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t pfn, uint8_t *buf,
			   const uint8_t **data)
{
	enum vs_page_src src;
	struct desc d;
	struct vs_err *err = locate(vc->kd, io->reader, pfn, &src, &d);
	if (!err && src == VS_PAGE_FULL)
		err = fetch_desc(vc, io, &d, pfn, buf, data);
	else if (!err)
		err = vs_err_new(VS_ERR_CORRUPT, "the input dump has no data for this page (%s)",
				 src == VS_PAGE_LOST ? "cut off or lost" : "not in the dump");
	if (err)
		return vs_err_wrap(err, "pfn 0x%llx", (unsigned long long)pfn);
	return NULL;
}

/* Whether the 1st bitmap has pfn: its runs are the pieces, sorted. */
static bool in_memory(const struct vs_vmcore *vc, uint64_t pfn)
{
	uint64_t paddr = pfn << vc->kd->shift;
	size_t lo = 0, hi = vc->npieces;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vs_piece *p = &vc->pieces[mid];
		if (paddr < p->paddr)
			hi = mid;
		else if (paddr >= p->paddr + p->memsz)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

enum vs_page_src vs_kd_page_src(const struct vs_vmcore *vc, uint64_t pfn)
{
	enum vs_page_src src;
	struct desc d;
	if (!in_memory(vc, pfn))
		return VS_PAGE_ABSENT;
	struct vs_err *err = locate(vc->kd, vc->meta->reader, pfn, &src, &d);
	if (err) {
		vs_err_free(err);
		return VS_PAGE_LOST;
	}
	return src;
}

/* Kernel metadata reads: pages the input lacks read as zero, as holes of an ELF core do. */
struct vs_err *vs_kd_read_phys(struct vs_vmcore *vc, uint64_t paddr, void *buf, size_t len)
{
	struct kd_reader *rd = vc->meta->reader;
	uint64_t P = 1ull << vc->kd->shift, end;
	if (!vs_add_ok(paddr, len, &end))
		return vs_err_new(VS_ERR_CORRUPT, "physical range at 0x%llx overflows", (unsigned long long)paddr);
	uint8_t *out = buf;
	while (len) {
		uint64_t pfn = paddr >> vc->kd->shift, in_page = paddr & (P - 1);
		size_t chunk = P - in_page < len ? (size_t)(P - in_page) : len;
		const uint8_t *data;
		struct vs_err *err = vs_kd_fetch(vc, vc->meta, pfn, rd->page, &data);
		if (err) {
			vs_err_free(err);
			memset(out, 0, chunk);
		} else {
			memcpy(out, data + in_page, chunk);
		}
		out += chunk;
		paddr += chunk;
		len -= chunk;
	}
	return NULL;
}

struct run {
	vs_missing_fn *fn;
	void *arg;
	uint64_t start, n;
	enum vs_page_src why;
};

static void run_add(struct run *r, uint64_t pfn, enum vs_page_src why)
{
	if (r->n && r->why == why && r->start + r->n == pfn) {
		r->n++;
		return;
	}
	if (r->n)
		r->fn(r->arg, r->start, r->n, r->why);
	*r = (struct run){ r->fn, r->arg, pfn, 1, why };
}

/*
 * Block blk (bit i of the cached chunk): FULL when it has data or is no
 * memory at all, ABSENT when bitmap 1 has it and bitmap 2 not, LOST when its
 * descriptor points at nothing.  *idx follows the descriptor index along
 * consecutive blocks (every bitmap-2 bit has a descriptor, memory or not).
 */
static struct vs_err *block_state(const struct vs_kdsrc *kd, struct kd_reader *rd, const uint8_t *b1, uint64_t i,
				  uint64_t blk, uint64_t *idx, enum vs_page_src *why)
{
	bool in1 = b1[i >> 3] >> (i & 7) & 1, in2 = rd->bm[i >> 3] >> (i & 7) & 1;
	*why = in1 && !in2 ? VS_PAGE_ABSENT : VS_PAGE_FULL;
	if (!in2)
		return NULL;
	*idx = *idx == UINT64_MAX ? rank_of(kd, rd->bm, rd->bm_base, blk) : *idx + 1;
	struct desc d;
	bool usable;
	struct vs_err *err = read_desc(kd, rd, blk, *idx, &d, &usable);
	if (!err && in1 && !usable)
		*why = VS_PAGE_LOST;
	return err;
}

/* The pages of [first, end) in one bitmap chunk (from byte base) that are in bitmap 1 without data. */
static struct vs_err *missing_chunk(struct vs_vmcore *vc, uint64_t base, uint64_t first, uint64_t end,
				    struct run *run)
{
	const struct vs_kdsrc *kd = vc->kd;
	struct kd_reader *rd = vc->meta->reader;
	uint8_t b1[BM_CACHE];
	struct vs_err *err = cache_bitmap(kd, rd, first >> kd->bshift);
	if (!err)
		err = vs_kd_bitmap(kd, 1, base, b1, rd->bm_len);
	uint64_t idx = UINT64_MAX, idx_blk = UINT64_MAX;
	enum vs_page_src why = VS_PAGE_FULL;
	for (uint64_t pfn = first; !err && pfn < end; pfn++) {
		uint64_t blk = pfn >> kd->bshift, i = blk - base * 8;
		if (blk != idx_blk) {  /* what this block lacks, found once for all its pages */
			err = block_state(kd, rd, b1, i, blk, &idx, &why);
			idx_blk = blk;
		}
		if (!err && why != VS_PAGE_FULL)
			run_add(run, pfn, why);
	}
	return err;
}

struct vs_err *vs_kd_missing(struct vs_vmcore *vc, uint64_t first, uint64_t end, vs_missing_fn *fn, void *arg)
{
	const struct vs_kdsrc *kd = vc->kd;
	if (end > kd->max_pfn)
		end = kd->max_pfn;
	struct run run = { .fn = fn, .arg = arg };
	struct vs_err *err = NULL;
	for (uint64_t pfn = first; !err && pfn < end;) {
		uint64_t base = (pfn >> kd->bshift >> 3) / BM_CACHE * BM_CACHE;
		uint64_t stop = ((base + BM_CACHE) * 8) << kd->bshift;
		if (stop > end)
			stop = end;
		err = missing_chunk(vc, base, pfn, stop, &run);
		pfn = stop;
	}
	if (!err && run.n)
		fn(arg, run.start, run.n, run.why);
	return err;
}

static enum vs_page_src kd_page_src(const struct vs_vmcore *vc, uint64_t start, uint64_t len)
{
	(void)len;  /* one page: the engine asks page by page */
	return vs_kd_page_src(vc, start >> vc->kd->shift);
}

static struct vs_err *kd_read_page(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t pfn, unsigned page_shift,
				   void *buf, const uint8_t **data)
{
	(void)page_shift;  /* the session checked it is the input's page size */
	return vs_kd_fetch(vc, io, pfn, buf, data);
}

static struct vs_err *kd_map_phys(struct vs_vmcore *vc, uint64_t paddr, size_t len, void *buf, const uint8_t **data)
{
	*data = buf;
	return vs_kd_read_phys(vc, paddr, buf, len);
}

static uint64_t kd_max_pfn(const struct vs_vmcore *vc, unsigned page_shift)
{
	(void)page_shift;
	return vs_kd_max_pfn(vc);
}

/* Pages are read with pread only (no mmap windows), so none is ever in a window. */
static bool kd_page_mapped(const struct vs_vmcore *vc, uint64_t pfn, unsigned page_shift)
{
	(void)vc, (void)pfn, (void)page_shift;
	return false;
}

const struct vs_input_ops vs_kdump_input_ops = {
	.max_pfn = kd_max_pfn,
	.page_src = kd_page_src,
	.read_page = kd_read_page,
	.read_phys = vs_kd_read_phys,
	.map_phys = kd_map_phys,
	.page_mapped = kd_page_mapped,
	.missing = vs_kd_missing,
	.reader_new = vs_kd_reader_new,
	.reader_free = vs_kd_reader_free,
	.describe = vs_kd_describe,
	.close = vs_kd_close,
};
