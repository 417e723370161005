// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kdump-compressed writer.  Page data and descriptors are buffered and
 * flushed in pairs, data first: a descriptor only reaches the file once the
 * bytes it points at did, so a dump cut short by a full disk or -L has only
 * valid descriptors, and the rest read back as zero ("page lost" to crash).
 */
#include "vmsift/kdump.h"

#include <stdlib.h>
#include <string.h>

#include "kdump_layout.h"

#define DATA_CACHE (2u << 20)
#define DESC_CACHE 8192u

/* A page written first: its place in the table and its descriptor, reused by the ordinary pass. */
struct early_page {
	uint64_t pfn, index;
	uint8_t desc[VS_PAGE_DESC_SIZE];
};

struct vs_kdump_writer {
	struct vs_sink *sink;
	struct vs_kdump_params p;
	struct vs_kdump_layout lay;
	void *cctx;
	uint8_t *cbuf;          /* compression output, codec bound size */
	uint8_t *data;          /* data cache */
	size_t data_len;
	uint64_t data_file_off; /* where data[0] goes */
	uint8_t *desc;          /* descriptor cache, 24 bytes each */
	size_t ndesc;
	uint64_t desc_index;    /* index of desc[0] in the table */
	uint8_t *desc_early;    /* per cached descriptor: 1 when its page was written first */
	struct early_page *early;
	size_t nearly, early_cap, early_next;  /* early_next: the next one the ordinary pass meets */
	size_t early_described;  /* early pages whose descriptors are in the file */
	struct vs_kdump_counts cnt;
	bool failed;
	bool zero_page_cut;     /* -L left no room for the shared zero page */
};

/* Pages may sit at any file offset (QEMU cores): load words with memcpy, never by cast. */
bool vs_page_is_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 64 <= len; i += 64) {
		uint64_t w[8], acc = 0;
		memcpy(w, p + i, sizeof(w));
		for (int k = 0; k < 8; k++)
			acc |= w[k];
		if (acc)
			return false;
	}
	for (size_t i = len & ~(size_t)63; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static void put_desc(uint8_t *d, uint64_t offset, uint32_t size, uint32_t flags, bool be)
{
	vs_st64(d, offset, be);
	vs_st32(d + 8, size, be);
	vs_st32(d + 12, flags, be);
	vs_st64(d + 16, 0, be);
}

/* Writes that must land after a full disk (they fill preallocated space), never past -L. */
static struct vs_err *write_forced(struct vs_sink *s, uint64_t off, const void *buf, size_t len)
{
	uint64_t room = vs_sink_room(s, off);
	if (len > room)
		len = (size_t)room;
	size_t done;
	struct vs_err *err = s->ops->write_at(s, off, buf, len, &done);
	s->written += done;
	return err;
}

static struct vs_err *write_region(struct vs_kdump_writer *w, uint64_t off, const void *buf, size_t len)
{
	size_t done;
	return vs_sink_write(w->sink, off, buf, len, &done);
}

static struct vs_err *write_headers(struct vs_kdump_writer *w)
{
	uint64_t B = w->lay.block_size;
	uint8_t *blk = calloc(1, B);
	if (!blk)
		return vs_enomem;
	vs_kdump_fill_main_header(&w->p, &w->lay, blk);
	struct vs_err *err = write_region(w, 0, blk, B);
	if (!err && w->p.notes_size)
		err = write_region(w, w->lay.notes_off, w->p.notes, w->p.notes_size);
	if (!err) {
		uint8_t sub[VS_SUB_HEADER_SIZE];
		vs_kdump_fill_sub_header(&w->p, &w->lay, sub);
		err = write_region(w, B, sub, sizeof(sub));
	}
	/* The bitmap blocks past max_mapnr are zero; write them so a stream rebuilds the same file. */
	uint64_t used = (w->p.max_mapnr + 7) / 8, tail = w->lay.bitmap_len - used;
	memset(blk, 0, B);
	for (int i = 0; i < 2 && !err && tail; i++) {
		uint64_t off = (i ? w->lay.bitmap2_off : w->lay.bitmap1_off) + used;
		for (uint64_t t = 0; !err && t < tail; t += B)
			err = write_region(w, off + t, blk, (size_t)(tail - t < B ? tail - t : B));
	}
	if (!err && w->p.share_zero_page) {
		/* -L below the data area: go on, so that the bitmaps still land */
		memset(blk, 0, B);
		err = write_region(w, w->lay.data_off, blk, B);
		if (err && err->code == VS_ERR_NOSPACE && w->sink->limit) {
			vs_err_free(err);
			err = NULL;
			w->zero_page_cut = true;
		}
	}
	free(blk);
	return err;
}

struct vs_err *vs_kdump_start(struct vs_sink *sink, const struct vs_kdump_params *p,
			      struct vs_kdump_writer **out)
{
	struct vs_kdump_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return vs_enomem;
	w->sink = sink;
	w->p = *p;
	struct vs_err *err = vs_kdump_layout(p, &w->lay);
	if (err) {
		free(w);
		return err;
	}
	size_t B = w->lay.block_size;
	w->data = malloc(DATA_CACHE + B);
	w->desc = malloc((size_t)DESC_CACHE * VS_PAGE_DESC_SIZE);
	w->desc_early = calloc(DESC_CACHE, 1);
	if (p->codec) {
		w->cbuf = malloc(p->codec->bound(B));
		err = p->codec->create(B, &w->cctx);
	}
	if (!err && (!w->data || !w->desc || !w->desc_early || (p->codec && !w->cbuf)))
		err = vs_enomem;
	w->data_file_off = w->lay.data_off + (p->share_zero_page ? B : 0);
	if (!err) {
		vs_sink_reserve(sink, 0, w->lay.data_off);
		err = write_headers(w);
		if (err)  /* the headers that landed must not claim a complete dump */
			vs_err_free(vs_kdump_mark_incomplete(w));
	}
	if (err) {
		vs_kdump_free(w);
		return err;
	}
	*out = w;
	return NULL;
}

struct vs_err *vs_kdump_write_bitmaps(struct vs_kdump_writer *w, uint64_t byte_off,
				      const uint8_t *bm1, const uint8_t *bm2, size_t len)
{
	if (byte_off > w->lay.bitmap_len || len > w->lay.bitmap_len - byte_off)
		return vs_err_new(VS_ERR_INVALID, "bitmap write past the bitmap's end");
	struct vs_err *err = write_region(w, w->lay.bitmap1_off + byte_off, bm1, len);
	if (!err)
		err = write_region(w, w->lay.bitmap2_off + byte_off, bm2, len);
	return err;
}

/* Descriptors whose data lies wholly below file offset limit stay valid. */
static size_t valid_descs(const struct vs_kdump_writer *w, uint64_t limit)
{
	size_t n = 0;
	while (n < w->ndesc) {
		const uint8_t *d = w->desc + n * VS_PAGE_DESC_SIZE;
		uint64_t off = vs_ld64(d, w->p.big_endian);
		uint32_t size = vs_ld32(d + 8, w->p.big_endian);
		if (off + size > limit)
			break;
		n++;
	}
	return n;
}

/*
 * -L: how many of the cached pages fit whole, data and descriptors, under the
 * limit (*data_len gets their data bytes).  Cutting between pages rather than
 * inside one keeps the last descriptor valid and the file within the limit.
 */
static size_t pages_within_limit(const struct vs_kdump_writer *w, size_t *data_len)
{
	uint64_t desc_at = w->lay.desc_off + w->desc_index * VS_PAGE_DESC_SIZE, data_end = 0;
	size_t k = 0;
	*data_len = 0;
	for (; k < w->ndesc; k++) {
		if (w->desc_early[k])  /* its data and descriptor are in the file already */
			continue;
		const uint8_t *d = w->desc + k * VS_PAGE_DESC_SIZE;
		uint64_t off = vs_ld64(d, w->p.big_endian);
		if (off >= w->data_file_off)
			data_end = off + vs_ld32(d + 8, w->p.big_endian) - w->data_file_off;
		else if (w->zero_page_cut)  /* the shared zero page, which the headers wrote if they could */
			break;
		uint64_t at[2] = { w->data_file_off, desc_at }, len[2] = { data_end, (k + 1) * VS_PAGE_DESC_SIZE };
		if (!vs_sink_fits(w->sink, 2, at, len))
			break;
		*data_len = (size_t)data_end;
	}
	return k;
}

/*
 * The first nd cached descriptors, in runs that leave out those of pages
 * written first: those are in the file already, and a flattened stream must
 * not carry a region twice (crash reads such a stream in place and takes
 * overlapping records for a corrupt file).  forced after a full disk.
 */
static struct vs_err *write_descs(struct vs_kdump_writer *w, size_t nd, bool forced)
{
	uint64_t base = w->lay.desc_off + w->desc_index * VS_PAGE_DESC_SIZE;
	struct vs_err *err = NULL;
	for (size_t k = 0, e; !err && k < nd; k = e) {
		if (w->desc_early[k]) {
			e = k + 1;
			continue;
		}
		for (e = k; e < nd && !w->desc_early[e]; e++)
			;
		const uint8_t *d = w->desc + k * VS_PAGE_DESC_SIZE;
		size_t len = (e - k) * VS_PAGE_DESC_SIZE;
		err = forced ? write_forced(w->sink, base + k * VS_PAGE_DESC_SIZE, d, len)
			     : write_region(w, base + k * VS_PAGE_DESC_SIZE, d, len);
	}
	return err;
}

static struct vs_err *flush(struct vs_kdump_writer *w)
{
	if (w->failed)
		return NULL;
	size_t done = 0, data_len = w->data_len;
	size_t fit = w->sink->limit ? pages_within_limit(w, &data_len) : w->ndesc;
	struct vs_err *err = NULL;
	if (data_len)
		err = vs_sink_write(w->sink, w->data_file_off, w->data, data_len, &done);
	if (!err && fit < w->ndesc)
		err = vs_sink_limit_reached(w->sink);
	size_t nd = err ? valid_descs(w, w->data_file_off + done) : w->ndesc;
	if (nd > fit)
		nd = fit;
	struct vs_err *derr = write_descs(w, nd, err != NULL);
	for (size_t k = 0; k < nd; k++)  /* the pages written first were counted then */
		w->cnt.pages += !w->desc_early[k];
	w->data_file_off += w->data_len;
	w->desc_index += w->ndesc;
	w->data_len = 0;
	w->ndesc = 0;
	if (err || derr) {
		w->failed = true;
		vs_err_free(derr && err ? derr : NULL);
		return err ? err : derr;
	}
	return NULL;
}

struct vs_err *vs_kdump_put_prepared(struct vs_kdump_writer *w, uint64_t pfn,
				     const struct vs_kdump_page *pg)
{
	if (w->desc_index + w->ndesc >= (w->p.split ? w->p.piece_pages : w->p.num_dumpable))
		return vs_err_new(VS_ERR_INVALID, "pfn 0x%llx: more pages than the 2nd bitmap holds",
				  (unsigned long long)pfn);
	uint64_t B = w->lay.block_size;
	uint8_t *d = w->desc + w->ndesc * VS_PAGE_DESC_SIZE;
	w->desc_early[w->ndesc] = 0;
	if (w->early_next < w->nearly && w->early[w->early_next].pfn == pfn) {
		const struct early_page *e = &w->early[w->early_next++];
		if (e->index != w->desc_index + w->ndesc)
			return vs_err_new(VS_ERR_INVALID, "pfn 0x%llx: descriptor %llu when written first, %llu now",
					  (unsigned long long)pfn, (unsigned long long)e->index,
					  (unsigned long long)(w->desc_index + w->ndesc));
		memcpy(d, e->desc, VS_PAGE_DESC_SIZE);
		w->desc_early[w->ndesc] = 1;
	} else if (!pg) {
		return vs_err_new(VS_ERR_INVALID, "pfn 0x%llx: not among the pages written first",
				  (unsigned long long)pfn);
	} else if (pg->zero && w->p.share_zero_page) {
		put_desc(d, w->lay.data_off, (uint32_t)B, 0, w->p.big_endian);
		w->cnt.zero_pages++;
	} else {
		put_desc(d, w->data_file_off + w->data_len, pg->size, pg->flags, w->p.big_endian);
		memcpy(w->data + w->data_len, pg->data, pg->size);
		w->data_len += pg->size;
		w->cnt.data_bytes += pg->size;
		w->cnt.raw_pages += pg->flags == 0;
	}
	w->ndesc++;
	if (w->ndesc == DESC_CACHE || w->data_len + B > DATA_CACHE)
		return flush(w);
	return NULL;
}

void vs_kdump_prepare(const struct vs_codec_ops *codec, void *cctx, bool share_zero,
		      const uint8_t *data, size_t page_size, uint8_t *buf,
		      struct vs_kdump_page *out)
{
	*out = (struct vs_kdump_page){ .data = data, .size = (uint32_t)page_size };
	if (share_zero && vs_page_is_zero(data, page_size)) {
		out->zero = true;
		return;
	}
	if (!codec)
		return;
	size_t n = codec->compress(cctx, data, page_size, buf);
	if (n && n < page_size) {
		out->data = buf;
		out->size = (uint32_t)n;
		out->flags = codec->flag;
	}
}

struct vs_err *vs_kdump_put_page(struct vs_kdump_writer *w, uint64_t pfn, const uint8_t *data)
{
	struct vs_kdump_page pg;
	vs_kdump_prepare(w->p.codec, w->cctx, w->p.share_zero_page, data, w->lay.block_size,
			 w->cbuf, &pg);
	return vs_kdump_put_prepared(w, pfn, &pg);
}

struct vs_err *vs_kdump_early_begin(struct vs_kdump_writer *w, size_t n)
{
	if (w->nearly || w->desc_index || w->ndesc)
		return vs_err_new(VS_ERR_INVALID, "pages written first must come before every other page");
	if (!n)
		return NULL;
	w->early = calloc(n, sizeof(*w->early));
	if (!w->early)
		return vs_enomem;
	w->early_cap = n;
	return NULL;
}

/*
 * Writes the descriptors not written yet of the early pages whose data lies
 * below limit, in runs of consecutive table entries; forced after a full
 * disk (the table's space was reserved), as flush() does.
 */
static struct vs_err *early_descs(struct vs_kdump_writer *w, uint64_t limit, bool forced)
{
	enum { RUN = 1024 };
	uint8_t buf[RUN * VS_PAGE_DESC_SIZE];
	struct vs_err *err = NULL;
	size_t i = w->early_described;
	while (!err && i < w->nearly) {
		size_t k = 0;
		uint64_t first = w->early[i].index;
		for (; i < w->nearly && k < RUN && w->early[i].index == first + k; i++) {
			const uint8_t *d = w->early[i].desc;
			uint64_t off = vs_ld64(d, w->p.big_endian);
			bool zero_ref = off == w->lay.data_off && w->p.share_zero_page;
			if (zero_ref ? w->zero_page_cut : off + vs_ld32(d + 8, w->p.big_endian) > limit)
				break;
			memcpy(buf + k++ * VS_PAGE_DESC_SIZE, d, VS_PAGE_DESC_SIZE);
		}
		if (!k) {  /* its data did not land: no descriptor (a later zero page's may) */
			i++;
			continue;
		}
		uint64_t at = w->lay.desc_off + first * VS_PAGE_DESC_SIZE;
		err = forced ? write_forced(w->sink, at, buf, k * VS_PAGE_DESC_SIZE)
			     : write_region(w, at, buf, k * VS_PAGE_DESC_SIZE);
		if (!err)
			w->cnt.pages += k;
	}
	if (!err)
		w->early_described = w->nearly;
	return err;
}

/*
 * Writes the early data cached so far, then the descriptors of those pages
 * (data first, as flush() does: a cut leaves only valid descriptors); on
 * failure, the descriptors of what landed.
 */
static struct vs_err *early_flush(struct vs_kdump_writer *w)
{
	size_t done = 0;
	struct vs_err *err = w->data_len ? vs_sink_write(w->sink, w->data_file_off, w->data, w->data_len, &done)
					 : NULL;
	if (err) {
		w->failed = true;
		vs_err_free(early_descs(w, w->data_file_off + done, true));
		return err;
	}
	w->data_file_off += w->data_len;
	w->data_len = 0;
	err = early_descs(w, w->data_file_off, false);
	if (err)
		w->failed = true;
	return err;
}

/* Under -L: the page of size bytes and its descriptor both land whole. */
static bool early_fits(const struct vs_kdump_writer *w, uint64_t index, uint32_t size)
{
	if (!w->sink->limit)
		return true;
	uint64_t at[2] = { w->data_file_off, w->lay.desc_off + index * VS_PAGE_DESC_SIZE };
	uint64_t len[2] = { w->data_len + size, VS_PAGE_DESC_SIZE };
	return vs_sink_fits(w->sink, 2, at, len);
}

struct vs_err *vs_kdump_put_early(struct vs_kdump_writer *w, uint64_t pfn, uint64_t index, const uint8_t *data)
{
	struct vs_kdump_page pg;
	vs_kdump_prepare(w->p.codec, w->cctx, w->p.share_zero_page, data, w->lay.block_size, w->cbuf, &pg);
	return vs_kdump_put_early_prepared(w, pfn, index, &pg);
}

struct vs_err *vs_kdump_put_early_prepared(struct vs_kdump_writer *w, uint64_t pfn, uint64_t index,
					   const struct vs_kdump_page *page)
{
	if (w->failed)
		return NULL;
	uint64_t want = w->p.split ? w->p.piece_pages : w->p.num_dumpable;
	const struct early_page *prev = w->nearly ? &w->early[w->nearly - 1] : NULL;
	if (w->nearly == w->early_cap || index >= want || (prev && (pfn <= prev->pfn || index <= prev->index)))
		return vs_err_new(VS_ERR_INVALID, "pfn 0x%llx: page written first out of order (descriptor %llu)",
				  (unsigned long long)pfn, (unsigned long long)index);
	uint64_t B = w->lay.block_size;
	const struct vs_kdump_page pg = *page;
	struct early_page *e = &w->early[w->nearly];
	if (pg.zero && w->p.share_zero_page) {
		put_desc(e->desc, w->lay.data_off, (uint32_t)B, 0, w->p.big_endian);
		w->cnt.zero_pages++;
	} else {
		if (!early_fits(w, index, pg.size)) {
			struct vs_err *err = early_flush(w);
			if (!err) {
				w->failed = true;
				err = vs_sink_limit_reached(w->sink);
				vs_err_free(early_descs(w, w->data_file_off, true));
			}
			return err;
		}
		put_desc(e->desc, w->data_file_off + w->data_len, pg.size, pg.flags, w->p.big_endian);
		memcpy(w->data + w->data_len, pg.data, pg.size);
		w->data_len += pg.size;
		w->cnt.data_bytes += pg.size;
		w->cnt.raw_pages += pg.flags == 0;
	}
	e->pfn = pfn;
	e->index = index;
	w->nearly++;
	return w->data_len + B > DATA_CACHE ? early_flush(w) : NULL;
}

struct vs_err *vs_kdump_early_done(struct vs_kdump_writer *w)
{
	if (w->failed)
		return NULL;
	struct vs_err *err = early_flush(w);  /* the last data, then every descriptor not written yet */
	w->cnt.first_pages = w->nearly;
	w->cnt.first_end = w->data_file_off;
	if (err)
		w->failed = true;
	return err;
}

struct vs_err *vs_kdump_eraseinfo(struct vs_kdump_writer *w, const char *text, size_t len)
{
	struct vs_err *err = flush(w);
	if (err || !len || w->failed)
		return err;
	w->p.eraseinfo_offset = w->data_file_off;
	w->p.eraseinfo_size = len;
	err = write_region(w, w->data_file_off, text, len);
	w->data_file_off += len;
	uint8_t sub[VS_SUB_HEADER_SIZE];
	vs_kdump_fill_sub_header(&w->p, &w->lay, sub);
	return err ? err : write_region(w, w->lay.block_size, sub, sizeof(sub));
}

struct vs_err *vs_kdump_finish(struct vs_kdump_writer *w)
{
	struct vs_err *err = flush(w);
	uint64_t want = w->p.split ? w->p.piece_pages : w->p.num_dumpable;
	if (!err && w->zero_page_cut)
		err = vs_sink_limit_reached(w->sink);
	if (!err && w->desc_index != want)
		err = vs_err_new(VS_ERR_INVALID, "wrote %llu pages but the 2nd bitmap holds %llu",
				 (unsigned long long)w->desc_index, (unsigned long long)want);
	if (!err)
		err = vs_sink_finish(w->sink);
	return err;
}

struct vs_err *vs_kdump_mark_incomplete(struct vs_kdump_writer *w)
{
	if (!w->sink->seekable || w->sink->dry_run)
		return NULL;
	uint8_t st[4];
	vs_st32(st, vs_kdump_status(&w->p) | VS_DH_INCOMPLETE, w->p.big_endian);
	return write_forced(w->sink, VS_DH_STATUS_OFF, st, 4);
}

void vs_kdump_counts(const struct vs_kdump_writer *w, struct vs_kdump_counts *c)
{
	*c = w->cnt;
}

void vs_kdump_free(struct vs_kdump_writer *w)
{
	if (!w)
		return;
	if (w->p.codec && w->cctx)
		w->p.codec->destroy(w->cctx);
	free(w->cbuf);
	free(w->data);
	free(w->desc);
	free(w->desc_early);
	free(w->early);
	free(w);
}
