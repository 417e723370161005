// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --reassemble: --split pieces joined into one kdump-compressed file.  The
 * pieces must tile [0, max_mapnr) with identical headers; page data is
 * copied as stored (no recompression), zero pages again share one page.
 */
#include "vmsift/reassemble.h"

#include <stdlib.h>
#include <string.h>

#include "vmsift/kdump.h"
#include "vmsift/kdumpin.h"
#include "../util/bytes.h"

#define BM_CHUNK (1u << 20)
#define CODEC_BITS (VS_KDUMP_ZLIB | VS_KDUMP_LZO | VS_KDUMP_SNAPPY | VS_KDUMP_ZSTD)

static int by_start(const void *a, const void *b)
{
	const struct vs_kdump_in *x = *(struct vs_kdump_in *const *)a, *y = *(struct vs_kdump_in *const *)b;
	return x->start_pfn < y->start_pfn ? -1 : x->start_pfn > y->start_pfn;
}

static struct vs_err *check_tiling(struct vs_kdump_in **in, int n)
{
	for (int i = 0; i < n; i++) {
		const struct vs_kdump_in *p = in[i], *first = in[0];
		if (!p->split)
			return vs_err_new(VS_ERR_INVALID, "%s is not a --split piece", p->path);
		if (p->max_mapnr != first->max_mapnr || p->block_size != first->block_size ||
		    p->bitmap_blocks != first->bitmap_blocks || p->dump_level != first->dump_level)
			return vs_err_new(VS_ERR_INVALID, "%s and %s are pieces of different dumps", first->path, p->path);
		uint64_t want = i ? in[i - 1]->end_pfn : 0;
		if (p->start_pfn != want)
			return vs_err_new(VS_ERR_INVALID, "the pieces do not cover pfn 0x%llx (next piece %s starts at 0x%llx)",
					  (unsigned long long)want, p->path, (unsigned long long)p->start_pfn);
	}
	if (in[n - 1]->end_pfn != in[0]->max_mapnr)
		return vs_err_new(VS_ERR_INVALID, "the pieces end at pfn 0x%llx, not at max_mapnr 0x%llx",
				  (unsigned long long)in[n - 1]->end_pfn, (unsigned long long)in[0]->max_mapnr);
	return NULL;
}

static uint64_t popcount_range(const uint8_t *bm, uint64_t first, uint64_t end, uint64_t base)
{
	uint64_t n = 0;
	for (uint64_t p = first; p < end; p++)
		n += bm[(p - base) >> 3] >> ((p - base) & 7) & 1;
	return n;
}

/* Copies both bitmaps; counts the dumpable pages of each piece. */
static struct vs_err *copy_bitmaps(struct vs_kdump_in **in, int n, struct vs_kdump_writer *w,
				   uint64_t *pages, bool count_only)
{
	uint8_t *b1 = malloc(BM_CHUNK), *b2 = malloc(BM_CHUNK);
	struct vs_err *err = b1 && b2 ? NULL : vs_enomem;
	uint64_t len = (in[0]->max_mapnr + 7) / 8;
	for (uint64_t off = 0; !err && off < len; off += BM_CHUNK) {
		size_t l = len - off < BM_CHUNK ? (size_t)(len - off) : BM_CHUNK;
		err = vs_kdump_in_bitmap(in[0], 1, off, b1, l);
		if (!err)
			err = vs_kdump_in_bitmap(in[0], 2, off, b2, l);
		if (!err && !count_only)
			err = vs_kdump_write_bitmaps(w, off, b1, b2, l);
		uint64_t lo = off * 8, hi = lo + (uint64_t)l * 8;
		for (int i = 0; !err && count_only && i < n; i++) {
			uint64_t a = in[i]->start_pfn > lo ? in[i]->start_pfn : lo;
			uint64_t z = in[i]->end_pfn < hi ? in[i]->end_pfn : hi;
			if (a < z)
				pages[i] += popcount_range(b2, a, z, lo);
		}
	}
	free(b1);
	free(b2);
	return err;
}

/* A piece's data starts after a descriptor table sized for the whole dump. */
static struct vs_err *copy_pages(struct vs_kdump_in *in, uint64_t pages, uint64_t zero_off,
				 struct vs_kdump_writer *w, uint8_t *buf)
{
	bool zero_shared = in->dump_level & 1;
	for (uint64_t i = 0; i < pages; i++) {
		struct vs_kdump_desc d;
		struct vs_err *err = vs_kdump_in_desc(in, i, &d);
		if (!err && d.offset == 0)
			err = vs_err_new(VS_ERR_CORRUPT, "%s is incomplete: page %llu of %llu was never written",
					 in->path, (unsigned long long)i, (unsigned long long)pages);
		if (err)
			return err;
		struct vs_kdump_page pg = { .data = buf, .size = d.size, .flags = d.flags };
		pg.zero = zero_shared && d.offset == zero_off;
		if (!pg.zero && (err = vs_kdump_in_read(in, d.offset, buf, d.size)))
			return err;
		if ((err = vs_kdump_put_prepared(w, in->start_pfn, &pg)))
			return err;
	}
	return NULL;
}

static void params_from(const struct vs_kdump_in *p, uint64_t total, struct vs_kdump_params *kp)
{
	memset(kp, 0, sizeof(*kp));
	memcpy(&kp->uts, p->main + 12, sizeof(kp->uts));
	kp->crashtime = (int64_t)vs_ld64(p->main + 408, p->big_endian);
	kp->page_shift = (unsigned)__builtin_ctz(p->block_size);
	kp->max_mapnr = p->max_mapnr;
	kp->nr_cpus = p->nr_cpus;
	kp->phys_base = p->phys_base;
	kp->dump_level = p->dump_level;
	kp->notes = p->notes;
	kp->notes_size = p->notes_size;
	kp->has_vmcoreinfo = p->vmcoreinfo_size != 0;
	kp->vmcoreinfo_offset = p->vmcoreinfo_off;
	kp->vmcoreinfo_size = p->vmcoreinfo_size;
	kp->num_dumpable = total;
	kp->share_zero_page = p->dump_level & 1;
	kp->extra_status = p->status & (CODEC_BITS | VS_DH_EXCLUDED_VMEMMAP);
	kp->big_endian = p->big_endian;
}

static struct vs_err *join(struct vs_kdump_in **in, int n, struct vs_sink *sink, struct vs_reassemble_stats *st)
{
	uint64_t *pages = calloc((size_t)n, sizeof(*pages)), total = 0;
	uint8_t *buf = malloc(in[0]->block_size);
	struct vs_err *err = pages && buf ? NULL : vs_enomem;
	if (!err)
		err = copy_bitmaps(in, n, NULL, pages, true);
	for (int i = 0; i < n; i++)
		total += pages ? pages[i] : 0;
	struct vs_kdump_params kp;
	struct vs_kdump_writer *w = NULL;
	/* An incomplete piece makes the whole incomplete: prefer its header, as makedumpfile does. */
	int hdr = 0;
	for (int i = 0; i < n; i++)
		if (in[i]->status & VS_DH_INCOMPLETE)
			hdr = i;
	if (!err) {
		params_from(in[hdr], total, &kp);
		err = vs_kdump_start(sink, &kp, &w);
	}
	if (!err)
		err = copy_bitmaps(in, n, w, NULL, false);
	uint64_t zero_off = in[0]->desc_off + 24 * total;
	for (int i = 0; !err && i < n; i++)
		err = copy_pages(in[i], pages[i], zero_off, w, buf);
	if (!err)
		err = vs_kdump_finish(w);
	if (w && (err || (in[hdr]->status & VS_DH_INCOMPLETE))) {
		st->incomplete = true;
		vs_err_free(vs_kdump_mark_incomplete(w));
	}
	st->pages = total;
	vs_kdump_free(w);
	free(pages);
	free(buf);
	return err;
}

struct vs_err *vs_reassemble(const char *const *paths, int n, struct vs_sink *sink,
			     struct vs_reassemble_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (n < 1)
		return vs_err_new(VS_ERR_INVALID, "--reassemble needs the pieces and the output file");
	struct vs_kdump_in **in = calloc((size_t)n, sizeof(*in));
	struct vs_err *err = in ? NULL : vs_enomem;
	for (int i = 0; !err && i < n; i++)
		err = vs_kdump_in_open(paths[i], &in[i]);
	if (!err) {
		qsort(in, (size_t)n, sizeof(*in), by_start);
		err = check_tiling(in, n);
	}
	if (!err)
		err = join(in, n, sink, st);
	for (int i = 0; in && i < n; i++)
		vs_kdump_in_close(in[i]);
	free(in);
	return err;
}
