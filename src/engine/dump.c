// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Two passes over pfn windows ("cycles"), so that memory stays bounded on any
 * machine size: pass 1 counts the dumpable pages (the kdump header and the
 * descriptor table need the count before any page is written), pass 2 writes
 * each window's bitmaps and pages.  With one window, pass 2 reuses pass 1's
 * bitmaps instead of rebuilding them.
 */
#include "vmsift/dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "filter.h"
#include "vmemmap.h"

#define DEFAULT_CYCLE_BUFFER (8ull << 20)
#define PROGRESS_STEP 16384

struct run {
	struct vs_session *s;
	const struct vs_dump_opts *o;
	struct vs_dump_stats *st;
	uint64_t max_mapnr, cycle_pfns;
	struct vs_bitmap bm1, bm2;
	uint8_t *bytes1, *bytes2;
	uint8_t *pagebuf;
	struct vs_kdump_writer *w;
	struct vs_classifier cls;
	bool use_cls;
	struct vs_ranges vmemmap;   /* -e: backing pfns to leave out */
};

static void progress(const struct run *r, enum vs_phase ph, uint64_t done, uint64_t total)
{
	if (r->o->progress)
		r->o->progress(r->o->progress_arg, ph, done, total);
}

static bool stopped(const struct run *r)
{
	return r->o->stop && *r->o->stop;
}

/* Pfns per cycle: both bitmaps fit the buffer; a multiple of one bitmap block's pfns. */
static uint64_t cycle_pfns(const struct run *r)
{
	uint64_t buf = r->o->cycle_buffer ? r->o->cycle_buffer : DEFAULT_CYCLE_BUFFER;
	uint64_t unit = r->s->kernel->page_size * 8;
	uint64_t pfns = buf * 8 / 2 / unit * unit;
	if (pfns < unit)
		pfns = unit;
	uint64_t whole = (r->max_mapnr + unit - 1) / unit * unit;
	return pfns < whole ? pfns : (whole ? whole : unit);
}

static struct vs_err *alloc_run(struct run *r)
{
	r->cycle_pfns = cycle_pfns(r);
	size_t bytes = (size_t)(r->cycle_pfns / 8);
	if (vs_bitmap_alloc(&r->bm1, r->cycle_pfns) || vs_bitmap_alloc(&r->bm2, r->cycle_pfns))
		return vs_enomem;
	r->bytes1 = malloc(bytes);
	r->bytes2 = malloc(bytes);
	r->pagebuf = malloc(r->s->kernel->page_size);
	if (!r->bytes1 || !r->bytes2 || !r->pagebuf)
		return vs_enomem;
	return NULL;
}

static void free_run(struct run *r)
{
	vs_bitmap_free(&r->bm1);
	vs_bitmap_free(&r->bm2);
	free(r->bytes1);
	free(r->bytes2);
	free(r->pagebuf);
	vs_kdump_free(r->w);
	if (r->use_cls)
		vs_classifier_free(&r->cls);
	vs_ranges_free(&r->vmemmap);
}

/* Builds one cycle's bitmaps; with apply_vmemmap, also leaves out the -e pages found so far. */
static struct vs_err *build_cycle(struct run *r, uint64_t start, bool count, bool apply_vmemmap)
{
	uint64_t n = r->max_mapnr - start < r->cycle_pfns ? r->max_mapnr - start : r->cycle_pfns;
	vs_bitmap_reset(&r->bm1, start, n);
	vs_bitmap_reset(&r->bm2, start, n);
	struct vs_err *err = vs_filter_cycle(r->s, r->use_cls ? &r->cls : NULL, &r->bm1, &r->bm2,
					     count ? r->st : NULL);
	if (!err && apply_vmemmap) {
		uint64_t k = vs_vmemmap_apply(&r->vmemmap, &r->bm2);
		if (count)
			r->st->excl_vmemmap += k;
	}
	return err;
}

static struct vs_err *cycle_done(struct run *r, uint64_t start)
{
	progress(r, VS_PHASE_HOLES, start + r->bm1.npfn, r->max_mapnr);
	return stopped(r) ? vs_err_new(VS_ERR_INTR, "interrupted") : NULL;
}

/*
 * With -e the dumpable count is known only once every cycle's vmemmap pages
 * are found: count again with the list applied (without rescanning when
 * everything fits in one cycle).
 */
static struct vs_err *count_with_vmemmap(struct run *r)
{
	vs_ranges_finish(&r->vmemmap);
	if (r->st->cycles == 1) {
		r->st->excl_vmemmap = vs_vmemmap_apply(&r->vmemmap, &r->bm2);
		r->st->dumpable = vs_bitmap_count(&r->bm2);
		return NULL;
	}
	vs_classifier_rewind(&r->cls);
	for (uint64_t start = 0; start < r->max_mapnr; start += r->cycle_pfns) {
		struct vs_err *err = build_cycle(r, start, false, false);
		if (err)
			return err;
		r->st->excl_vmemmap += vs_vmemmap_apply(&r->vmemmap, &r->bm2);
		r->st->dumpable += vs_bitmap_count(&r->bm2);
		if ((err = cycle_done(r, start)))
			return err;
	}
	return NULL;
}

static struct vs_err *count_pass(struct run *r)
{
	bool e = r->o->exclude_vmemmap;
	if (r->use_cls)
		vs_classifier_rewind(&r->cls);
	for (uint64_t start = 0; start < r->max_mapnr; start += r->cycle_pfns) {
		struct vs_err *err = build_cycle(r, start, true, false);
		if (!err && e)
			err = vs_vmemmap_collect(&r->cls, &r->bm1, &r->bm2, &r->vmemmap);
		if (err)
			return err;
		r->st->present += vs_bitmap_count(&r->bm1);
		if (!e)
			r->st->dumpable += vs_bitmap_count(&r->bm2);
		r->st->cycles++;
		if ((err = cycle_done(r, start)))
			return err;
	}
	return e ? count_with_vmemmap(r) : NULL;
}

static void fill_params(const struct run *r, struct vs_kdump_params *p)
{
	const struct vs_session *s = r->s;
	*p = (struct vs_kdump_params){
		.uts = s->kernel->uts,
		.crashtime = s->kernel->crashtime,
		.page_shift = s->kernel->page_shift,
		.max_mapnr = r->max_mapnr,
		.nr_cpus = s->vc->nr_cpus,
		.phys_base = s->kernel->phys_base,
		.dump_level = r->o->dump_level,
		.notes = s->vc->notes,
		.notes_size = s->vc->notes_size,
		.has_vmcoreinfo = s->vc->vmcoreinfo != NULL,
		.vmcoreinfo_offset = s->vc->vmcoreinfo_offset,
		.vmcoreinfo_size = s->vc->vmcoreinfo_size,
		.num_dumpable = r->st->dumpable,
		.share_zero_page = r->o->dump_level & VS_DL_ZERO,
		.excluded_vmemmap = r->o->exclude_vmemmap,
		.codec = vs_codec_get(r->o->compress),
	};
}

static struct vs_err *copy_cycle(struct run *r, uint64_t *done)
{
	unsigned shift = r->s->kernel->page_shift;
	for (uint64_t pfn = vs_bitmap_next(&r->bm2, r->bm2.start); pfn != UINT64_MAX;
	     pfn = vs_bitmap_next(&r->bm2, pfn + 1)) {
		const uint8_t *data;
		struct vs_err *err = vs_vmcore_read_page(r->s->vc, pfn, shift, r->pagebuf, &data);
		if (!err)
			err = vs_kdump_put_page(r->w, pfn, data);
		if (err)
			return err;
		if (++*done % PROGRESS_STEP == 0) {
			progress(r, VS_PHASE_COPY, *done, r->st->dumpable);
			if (stopped(r))
				return vs_err_new(VS_ERR_INTR, "interrupted at pfn 0x%llx", (unsigned long long)pfn);
		}
	}
	return NULL;
}

static struct vs_err *write_pass(struct run *r)
{
	uint64_t done = 0;
	if (r->use_cls)
		vs_classifier_rewind(&r->cls);
	size_t bm_bytes_per_cycle = (size_t)(r->cycle_pfns / 8);
	for (uint64_t start = 0; start < r->max_mapnr; start += r->cycle_pfns) {
		struct vs_err *err = r->st->cycles > 1 ? build_cycle(r, start, false, r->o->exclude_vmemmap) : NULL;
		if (err)
			return err;
		vs_bitmap_bytes(&r->bm1, r->bytes1);
		vs_bitmap_bytes(&r->bm2, r->bytes2);
		size_t len = (size_t)((r->bm1.npfn + 7) / 8);
		err = vs_kdump_write_bitmaps(r->w, (start / r->cycle_pfns) * bm_bytes_per_cycle,
					     r->bytes1, r->bytes2, len);
		if (!err)
			err = copy_cycle(r, &done);
		if (err)
			return err;
	}
	progress(r, VS_PHASE_COPY, done, r->st->dumpable);
	return vs_kdump_finish(r->w);
}

/*
 * The memory model is needed above -d 1, and also below when the kernel
 * exports hwpoison or offline page markers: those pages are left out at
 * every level (reading ballooned memory can stall a dump for hours).  At
 * -d 0/1 a memory model that cannot be set up is a warning, not a failure.
 */
static struct vs_err *setup_classifier(struct run *r)
{
	const struct vs_vmcoreinfo *vi = r->s->vmci;
	bool needed = (r->o->dump_level & ~VS_DL_ZERO) || r->o->exclude_vmemmap;
	bool wanted = vi && (vs_vmci_get(vi, "NUMBER(PG_hwpoison)") ||
			     vs_vmci_get(vi, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)"));
	if (!needed && !wanted)
		return NULL;
	struct vs_err *err = vs_classifier_init(&r->cls, r->s, r->o->dump_level, r->max_mapnr);
	if (!err) {
		r->use_cls = true;
		r->st->classified = true;
		return NULL;
	}
	if (needed)
		return vs_err_wrap(err, "dump level %d needs the kernel memory model", r->o->dump_level);
	snprintf(r->st->no_model_reason, sizeof(r->st->no_model_reason), "%s", err->msg);
	vs_err_free(err);
	return NULL;
}

/*
 * Like makedumpfile, end the dump with the last memory section that has
 * struct pages: PT_LOADs beyond it are firmware or device ranges (QEMU's
 * cores include VGA memory and the BIOS ROM below 4 GiB).
 */
static void clip_to_memmap(struct run *r)
{
	const struct vs_memmap *mm = &r->cls.mm;
	for (uint64_t nr = mm->nsections; nr-- > 0;) {
		if (mm->mem_map[nr]) {
			uint64_t end = (nr + 1) << mm->section_pfn_shift;
			if (end < r->max_mapnr)
				r->max_mapnr = end;
			return;
		}
	}
}

static void cross_check_free(struct run *r)
{
	if (!r->use_cls || !(r->o->dump_level & VS_DL_FREE))
		return;
	struct vs_err *err = vs_zone_free_pages(r->s->kernel, &r->st->zone_free);
	r->st->zone_free_known = !err;
	vs_err_free(err);
}

static struct vs_err *check_supported(const struct vs_session *s, const struct vs_dump_opts *o)
{
	if (o->dump_level < 0 || o->dump_level > VS_DL_MAX)
		return vs_err_new(VS_ERR_INVALID, "dump level %d is out of range 0-31", o->dump_level);
	if ((o->dump_level & ~VS_DL_ZERO) && !s->vmci)
		return vs_err_new(VS_ERR_NOKEY,
				  "dump level %d needs the kernel's layout, but the vmcore has no VMCOREINFO note (give -i VMCOREINFO, or use -d 0 or -d 1)",
				  o->dump_level);
	if (o->exclude_vmemmap && !s->vmci)
		return vs_err_new(VS_ERR_NOKEY, "-e needs the kernel's layout, but the vmcore has no VMCOREINFO note");
	return NULL;
}

struct vs_err *vs_dump_kdump(struct vs_session *s, const struct vs_dump_opts *o,
			     struct vs_sink *sink, struct vs_dump_stats *st)
{
	memset(st, 0, sizeof(*st));
	struct run r = { .s = s, .o = o, .st = st };
	struct vs_err *err = check_supported(s, o);
	r.max_mapnr = vs_vmcore_max_pfn(s->vc, s->kernel->page_shift);
	if (!err)
		err = setup_classifier(&r);
	if (!err && r.use_cls)
		clip_to_memmap(&r);
	st->max_mapnr = r.max_mapnr;
	if (!err)
		err = alloc_run(&r);
	if (!err)
		err = count_pass(&r);
	if (!err)
		cross_check_free(&r);
	struct vs_kdump_params p;
	if (!err) {
		fill_params(&r, &p);
		err = vs_kdump_start(sink, &p, &r.w);
	}
	if (!err)
		err = write_pass(&r);
	if (r.w) {
		struct vs_kdump_counts c;
		vs_kdump_counts(r.w, &c);
		st->written_pages = c.pages;
		st->excl_zero = c.zero_pages;
		if (err || st->lost) {
			st->incomplete = true;
			vs_err_free(vs_kdump_mark_incomplete(r.w));
		}
	}
	st->write_bytes = sink->written;
	st->mmap_fell_back = vs_vmcore_mmap_fell_back(s->vc);
	vs_vmcore_io_stats(s->vc, &st->io);
	free_run(&r);
	return err;
}
