// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kdump-compressed run: pass 1 counts the dumpable pages (the header and
 * descriptor table need the count before any page is written), pass 2 writes
 * each cycle's bitmaps and pages.  With one cycle, pass 2 reuses pass 1's
 * bitmaps instead of rebuilding them.
 */
#include <stdlib.h>
#include <string.h>

#include "vmsift/erase.h"
#include "early.h"
#include "pool.h"
#include "run.h"

#define PROGRESS_STEP 16384

static void fill_params(const struct vs_run *r, struct vs_kdump_params *p)
{
	const struct vs_session *s = r->s;
	*p = (struct vs_kdump_params){
		.uts = s->kernel->uts,
		.crashtime = s->kernel->crashtime,
		.page_shift = s->kernel->page_shift,
		.max_mapnr = r->max_mapnr,
		.nr_cpus = s->vc->nr_cpus,
		.phys_base = s->kernel->phys_base,
		/* Pages a kdump input lacks stay out: the result is filtered at both levels. */
		.dump_level = r->o->dump_level | (s->vc->input_dump_level > 0 ? s->vc->input_dump_level : 0),
		.notes = s->vc->notes,
		.notes_size = s->vc->notes_size,
		.has_vmcoreinfo = s->vc->vmcoreinfo != NULL,
		.vmcoreinfo_offset = s->vc->vmcoreinfo_offset,
		.vmcoreinfo_size = s->vc->vmcoreinfo_size,
		.num_dumpable = r->st->dumpable,
		.share_zero_page = r->o->dump_level & VS_DL_ZERO,
		.excluded_vmemmap = r->o->exclude_vmemmap,
		.codec = vs_codec_get(r->o->compress),
		.big_endian = s->vc->big_endian,
	};
}

/* Kept pfns from pfn on, counted up to 256 (one read fetches at most that many). */
static uint64_t kept_run(const struct vs_bitmap *bm, uint64_t pfn, uint64_t end)
{
	uint64_t k = 1;
	while (k < 256 && pfn + k < end && vs_bit_test(bm, pfn + k))
		k++;
	return k;
}

/* Whether pfn's page was written first (src/engine/early.h); pfns come in ascending order. */
static bool written_first(struct vs_run *r, uint64_t pfn)
{
	while (r->early_next < r->early.n && r->early.pfn[r->early_next] < pfn)
		r->early_next++;
	return r->early_next < r->early.n && r->early.pfn[r->early_next] == pfn;
}

/* run_left: pages of the current run of kept pfns not read yet. */
static struct vs_err *copy_page(struct vs_run *r, struct vs_pool *pool, uint64_t pfn, uint64_t prev,
				uint64_t *run_left)
{
	bool written = written_first(r, pfn);
	if (pool)
		return vs_pool_submit(pool, pfn, written);
	if (written)
		return vs_kdump_put_prepared(r->w, pfn, NULL);
	if (r->s->vc->sparse && (pfn != prev + 1 || !*run_left)) {
		uint64_t end = r->bm2.start + r->bm2.npfn < r->copy_end ? r->bm2.start + r->bm2.npfn : r->copy_end;
		/* The reader may fetch fewer than asked (larger pages): count what it will hold. */
		*run_left = vs_vmcore_expect_run(r->s->vc, NULL, kept_run(&r->bm2, pfn, end),
						  r->s->kernel->page_shift);
	}
	if (*run_left)
		--*run_left;
	const uint8_t *data;
	struct vs_err *err = vs_vmcore_read_page(r->s->vc, pfn, r->s->kernel->page_shift, r->pagebuf, &data);
	if (err)
		return err;
	/* Erased before the zero-page test and compression, as makedumpfile does. */
	data = vs_erase_page(r->s->erase, pfn << r->s->kernel->page_shift, data, r->s->kernel->page_size, r->erasebuf);
	return vs_kdump_put_page(r->w, pfn, data);
}

static struct vs_err *copy_cycle(struct vs_run *r, struct vs_pool *pool, uint64_t *done)
{
	uint64_t first = r->bm2.start > r->copy_start ? r->bm2.start : r->copy_start;
	uint64_t prev = UINT64_MAX - 1, run_left = 0;
	for (uint64_t pfn = vs_bitmap_next(&r->bm2, first); pfn < r->copy_end;
	     prev = pfn, pfn = vs_bitmap_next(&r->bm2, pfn + 1)) {
		struct vs_err *err = copy_page(r, pool, pfn, prev, &run_left);
		if (err)
			return err;
		if (++*done % PROGRESS_STEP == 0)
			vs_run_progress(r, VS_PHASE_COPY, *done, r->st->dumpable);
		/* Every page: on slow input 16384 pages can take minutes, and SIGTERM must not wait. */
		if (vs_run_stopped(r))
			return vs_err_new(VS_ERR_INTR, "interrupted at pfn 0x%llx", (unsigned long long)pfn);
	}
	return NULL;
}

/* The pool's writer during the early pass: each page at the rank pass 1 noted for it. */
struct early_put {
	struct vs_run *r;
	size_t next, end;  /* r->early indexes still to come */
};

static struct vs_err *put_early(void *arg, uint64_t pfn, const struct vs_kdump_page *pg)
{
	struct early_put *ep = arg;
	struct vs_run *r = ep->r;
	if (!pg || ep->next >= ep->end || r->early.pfn[ep->next] != pfn)
		return vs_err_new(VS_ERR_INVALID, "pfn 0x%llx: not the next page to write first", (unsigned long long)pfn);
	uint64_t index = r->early.rank[ep->next++] - r->copy_rank0;
	return vs_kdump_put_early_prepared(r->w, pfn, index, pg);
}

/* Serially, or through the pool's workers (who read, erase and compress each page). */
static struct vs_err *early_pages(struct vs_run *r, struct vs_pool *pool, size_t first, size_t n)
{
	const struct vs_early *e = &r->early;
	struct early_put ep = { .r = r, .next = first, .end = first + n };
	unsigned shift = r->s->kernel->page_shift;
	struct vs_err *err = NULL;
	if (pool)
		vs_pool_set_put(pool, put_early, &ep);
	for (size_t j = first; !err && j < first + n; j++) {
		if (pool) {
			err = vs_pool_submit(pool, e->pfn[j], false);
		} else {
			const uint8_t *data;
			err = vs_vmcore_read_page(r->s->vc, e->pfn[j], shift, r->pagebuf, &data);
			/* Erased before the zero-page test and compression, as every page. */
			if (!err)
				err = vs_kdump_put_early(r->w, e->pfn[j], e->rank[j] - r->copy_rank0,
							 vs_erase_page(r->s->erase, e->pfn[j] << shift, data,
								       r->s->kernel->page_size, r->erasebuf));
		}
		if (!err && vs_run_stopped(r))
			err = vs_err_new(VS_ERR_INTR, "interrupted at pfn 0x%llx", (unsigned long long)e->pfn[j]);
	}
	if (pool) {
		if (!err)
			err = vs_pool_drain(pool);
		vs_pool_set_put(pool, NULL, NULL);
	}
	return err;
}

/*
 * The startup pages of this file's pfn range, before any other page (their
 * ranks in the table counted from copy_rank0, the kept pfns before the range).
 */
static struct vs_err *write_early(struct vs_run *r, struct vs_pool *pool)
{
	const struct vs_early *e = &r->early;
	size_t i = 0, n = 0;
	while (i < e->n && e->pfn[i] < r->copy_start)
		i++;
	while (i + n < e->n && e->pfn[i + n] < r->copy_end)
		n++;
	r->early_next = 0;
	struct vs_err *err = vs_kdump_early_begin(r->w, n);
	if (!err)
		err = early_pages(r, pool, i, n);
	struct vs_err *derr = vs_kdump_early_done(r->w);
	if (err) {
		vs_err_free(derr);
		return err;
	}
	return derr;
}

static struct vs_err *write_cycles(struct vs_run *r, struct vs_pool *pool, uint64_t *done)
{
	if (r->use_cls)
		vs_classifier_rewind(&r->cls);
	size_t bm_bytes_per_cycle = (size_t)(r->cycle_pfns / 8);
	for (uint64_t start = 0; start < r->max_mapnr; start += r->cycle_pfns) {
		struct vs_err *err = NULL;
		if (r->st->cycles > 1) {
			/* Building the cycle reads struct pages through the window queued pages point into. */
			if (pool)
				err = vs_pool_drain(pool);
			if (!err)
				err = vs_run_build_cycle(r, start, false, r->o->exclude_vmemmap);
		}
		if (err)
			return err;
		const uint8_t *b1 = vs_bitmap_file_bytes(&r->bm1, r->bytes1);
		const uint8_t *b2 = vs_bitmap_file_bytes(&r->bm2, r->bytes2);
		size_t len = (size_t)((r->bm1.npfn + 7) / 8);
		err = vs_kdump_write_bitmaps(r->w, (start / r->cycle_pfns) * bm_bytes_per_cycle, b1, b2, len);
		/* After the first cycle's bitmaps: a dump cut inside the early pages still has them. */
		if (!err && start == 0)
			err = write_early(r, pool);
		if (!err)
			err = copy_cycle(r, pool, done);
		if (err)
			return err;
	}
	return NULL;
}

/* The input's erase record (a kdump file filtered again) and then this run's. */
static struct vs_err *write_eraseinfo(struct vs_run *r)
{
	const struct vs_vmcore *vc = r->s->vc;
	if (!r->s->erase && !vc->eraseinfo_size)
		return NULL;
	char *text;
	size_t len;
	struct vs_err *err = vs_erase_record(r->s->erase, (const char *)vc->eraseinfo, vc->eraseinfo_size, &text, &len);
	if (err)
		return err;
	err = vs_kdump_eraseinfo(r->w, text, len);
	free(text);
	return err;
}

static struct vs_err *write_pass(struct vs_run *r)
{
	uint64_t done = 0;
	struct vs_pool *pool = NULL;
	/* Fewer than 1 in 8 pages kept: read each kept page alone, not its neighbours. */
	vs_vmcore_set_sparse(r->s->vc, r->st->dumpable * 8 < r->st->present);
	/* Starting workers costs more than it saves for a small dump. */
	bool small = r->o->threads_auto && r->st->dumpable < 8192;
	if (r->o->num_threads > 1 && !small) {
		struct vs_err *err = vs_pool_start(r, r->o->num_threads, &pool);
		if (err)
			return err;
	}
	struct vs_err *err = write_cycles(r, pool, &done);
	if (!err && pool)
		err = vs_pool_drain(pool);
	vs_pool_stop(pool);
	vs_run_progress(r, VS_PHASE_COPY, done, r->st->dumpable);
	if (!err)
		err = write_eraseinfo(r);
	return err ? err : vs_kdump_finish(r->w);
}


/* Writes one file (the whole dump, or one --split piece) with parameters p. */
static struct vs_err *write_file(struct vs_run *r, struct vs_sink *sink, const struct vs_kdump_params *p)
{
	struct vs_dump_stats *st = r->st;
	struct vs_err *err = vs_kdump_start(sink, p, &r->w);
	vs_erase_reset(r->s->erase);  /* each --split piece records what it holds */
	if (!err)
		err = write_pass(r);
	st->unreadable = r->s->vc->unreadable;
	st->unreadable_pfn = r->s->vc->unreadable_pfn;
	st->unreadable_errnum = r->s->vc->unreadable_errnum;
	if (!r->w && err && err->code == VS_ERR_NOSPACE)  /* the headers were cut: they say so */
		st->incomplete = true;
	if (r->w) {
		struct vs_kdump_counts c;
		vs_kdump_counts(r->w, &c);
		st->written_pages += c.pages;
		st->first_pages += c.first_pages;
		st->first_end = c.first_end;  /* --split: the last piece's */
		st->excl_zero += c.zero_pages;
		if (err || st->lost || st->unreadable) {
			st->incomplete = true;
			vs_err_free(vs_kdump_mark_incomplete(r->w));
		}
		vs_kdump_free(r->w);
		r->w = NULL;
	}
	st->write_bytes += sink->written;
	return err;
}

static void begin(struct vs_run *r, struct vs_session *s, const struct vs_dump_opts *o, struct vs_dump_stats *st)
{
	memset(st, 0, sizeof(*st));
	s->vc->unreadable = 0;
	s->vc->unreadable_pfn = UINT64_MAX;
	*r = (struct vs_run){ .s = s, .o = o, .st = st, .copy_end = UINT64_MAX, .early_wanted = true };
}

struct vs_err *vs_dump_kdump(struct vs_session *s, const struct vs_dump_opts *o,
			     struct vs_sink *sink, struct vs_dump_stats *st)
{
	struct vs_run r;
	begin(&r, s, o, st);
	struct vs_err *err = vs_run_prepare(&r);
	if (!err)
		err = vs_run_count_pass(&r);
	struct vs_kdump_params p;
	if (!err) {
		fill_params(&r, &p);
		err = write_file(&r, sink, &p);
	}
	vs_run_finish_stats(&r);
	vs_run_free(&r);
	return err;
}

/* Dumpable pages per split block: where the pieces' boundaries may go. */
static struct vs_err *block_counts(struct vs_run *r, uint64_t block, uint64_t *counts)
{
	if (r->use_cls)
		vs_classifier_rewind(&r->cls);
	for (uint64_t start = 0; start < r->max_mapnr; start += r->cycle_pfns) {
		struct vs_err *err = r->st->cycles > 1 ? vs_run_build_cycle(r, start, false, r->o->exclude_vmemmap) : NULL;
		if (err)
			return err;
		for (uint64_t pfn = vs_bitmap_next(&r->bm2, r->bm2.start); pfn != UINT64_MAX;
		     pfn = vs_bitmap_next(&r->bm2, pfn + 1))
			counts[pfn / block]++;
	}
	return NULL;
}

/*
 * --split: N files, each with the whole headers and bitmaps but the pages of
 * one pfn range only.  The ranges are makedumpfile's: each piece but the last
 * takes whole split blocks until it holds at least dumpable/N pages, so a
 * piece is never empty while blocks remain, and the last takes the rest.
 * Blocks are multiples of 64 pfns, as crash's bitmap index needs of a piece's
 * start; makedumpfile's are not when --splitblock-size is not a multiple of
 * 256 KiB (with 4 KiB pages), and only then do the boundaries differ.
 */
struct vs_err *vs_dump_kdump_split(struct vs_session *s, const struct vs_dump_opts *o,
				   struct vs_sink **sinks, int nsinks, uint64_t splitblock_pfns,
				   struct vs_dump_stats *st)
{
	struct vs_run r;
	begin(&r, s, o, st);
	struct vs_err *err = vs_run_prepare(&r);
	if (!err)
		err = vs_run_count_pass(&r);
	uint64_t block = splitblock_pfns < 64 ? 64 : splitblock_pfns / 64 * 64;
	uint64_t nblocks = (r.max_mapnr + block - 1) / block;
	uint64_t *counts = err ? NULL : calloc(nblocks ? nblocks : 1, sizeof(*counts));
	if (!err && !counts)
		err = vs_enomem;
	if (!err)
		err = block_counts(&r, block, counts);
	uint64_t b = 0, start = 0, per_piece = st->dumpable / (uint64_t)nsinks;
	for (int i = 0; !err && i < nsinks; i++) {
		uint64_t end = r.max_mapnr, pages = 0;
		bool last = i + 1 == nsinks;
		while (b < nblocks && (last || pages < per_piece))
			pages += counts[b++];
		if (!last)
			end = b * block < r.max_mapnr ? b * block : r.max_mapnr;
		struct vs_kdump_params p;
		fill_params(&r, &p);
		p.split = true;
		p.start_pfn = start;
		p.end_pfn = end;
		p.piece_pages = pages;
		r.copy_start = start;
		r.copy_end = end;
		err = write_file(&r, sinks[i], &p);
		start = end;
		r.copy_rank0 += pages;
	}
	free(counts);
	vs_run_finish_stats(&r);
	vs_run_free(&r);
	return err;
}
