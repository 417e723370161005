// SPDX-License-Identifier: GPL-2.0-or-later
#include "run.h"

#include "vmsift/kallsyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "userstack.h"

#define DEFAULT_CYCLE_BUFFER (8ull << 20)
/* 2^18 pfns: a 1 GiB page with 4 KiB pages, the largest naturally aligned block. */
#define CYCLE_UNIT_PFNS (1ull << 18)

static void vs_run_cross_check_free(struct vs_run *r);

void vs_run_progress(const struct vs_run *r, enum vs_phase ph, uint64_t done, uint64_t total)
{
	if (r->o->progress)
		r->o->progress(r->o->progress_arg, ph, done, total);
}

bool vs_run_stopped(const struct vs_run *r)
{
	return r->o->stop && *r->o->stop;
}

/* Pfns per cycle: both bitmaps fit the buffer; a multiple of the cycle unit. */
static uint64_t cycle_pfns(const struct vs_run *r)
{
	uint64_t buf = r->o->cycle_buffer ? r->o->cycle_buffer : DEFAULT_CYCLE_BUFFER;
	uint64_t unit = r->s->kernel->page_size * 8;
	if (unit < CYCLE_UNIT_PFNS)
		unit = CYCLE_UNIT_PFNS;
	uint64_t pfns = buf * 8 / 2 / unit * unit;
	if (pfns < unit)
		pfns = unit;
	uint64_t whole = (r->max_mapnr + unit - 1) / unit * unit;
	return pfns < whole ? pfns : (whole ? whole : unit);
}

static struct vs_err *vs_run_alloc(struct vs_run *r)
{
	r->cycle_pfns = cycle_pfns(r);
	size_t bytes = (size_t)(r->cycle_pfns / 8);
	if (vs_bitmap_alloc(&r->bm1, r->cycle_pfns) || vs_bitmap_alloc(&r->bm2, r->cycle_pfns))
		return vs_enomem;
	/* Little-endian hosts write the bitmap words as they are: no second copy of the cycle. */
	if (vs_bitmap_needs_copy() && (!(r->bytes1 = malloc(bytes)) || !(r->bytes2 = malloc(bytes))))
		return vs_enomem;
	if (!(r->pagebuf = malloc(r->s->kernel->page_size)))
		return vs_enomem;
	if (r->s->erase && !(r->erasebuf = malloc(r->s->kernel->page_size)))
		return vs_enomem;
	return NULL;
}

void vs_run_free(struct vs_run *r)
{
	vs_bitmap_free(&r->bm1);
	vs_bitmap_free(&r->bm2);
	free(r->bytes1);
	free(r->bytes2);
	free(r->pagebuf);
	free(r->erasebuf);
	vs_kdump_free(r->w);
	if (r->use_cls)
		vs_classifier_free(&r->cls);
	vs_ranges_free(&r->vmemmap);
	vs_keepset_free(&r->keep);
	vs_early_free(&r->early);
}

/* Builds one cycle's bitmaps; with apply_vmemmap, also leaves out the -e pages found so far. */
struct vs_err *vs_run_build_cycle(struct vs_run *r, uint64_t start, bool count, bool apply_vmemmap)
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

/* With the cycle's final 2nd bitmap: where its startup pages go in the table. */
static struct vs_err *note_early(struct vs_run *r, uint64_t rank0)
{
	if (!r->early_wanted || !r->use_cls)
		return NULL;
	return vs_early_collect(&r->early, &r->cls.startup, &r->bm2, rank0);
}

static struct vs_err *cycle_done(struct vs_run *r, uint64_t start)
{
	vs_run_progress(r, VS_PHASE_HOLES, start + r->bm1.npfn, r->max_mapnr);
	return vs_run_stopped(r) ? vs_err_new(VS_ERR_INTR, "interrupted") : NULL;
}

/*
 * With -e the dumpable count is known only once every cycle's vmemmap pages
 * are found: count again with the list applied (without rescanning when
 * everything fits in one cycle).
 */
static struct vs_err *count_with_vmemmap(struct vs_run *r)
{
	vs_ranges_finish(&r->vmemmap);
	if (r->st->cycles == 1) {
		r->st->excl_vmemmap = vs_vmemmap_apply(&r->vmemmap, &r->bm2);
		r->st->dumpable = vs_bitmap_count(&r->bm2);
		return note_early(r, 0);
	}
	vs_classifier_rewind(&r->cls);
	for (uint64_t start = 0; start < r->max_mapnr; start += r->cycle_pfns) {
		struct vs_err *err = vs_run_build_cycle(r, start, false, false);
		if (err)
			return err;
		r->st->excl_vmemmap += vs_vmemmap_apply(&r->vmemmap, &r->bm2);
		if ((err = note_early(r, r->st->dumpable)))
			return err;
		r->st->dumpable += vs_bitmap_count(&r->bm2);
		if ((err = cycle_done(r, start)))
			return err;
	}
	return NULL;
}

struct vs_err *vs_run_count_pass(struct vs_run *r)
{
	bool e = r->o->exclude_vmemmap;
	if (r->use_cls)
		vs_classifier_rewind(&r->cls);
	for (uint64_t start = 0; start < r->max_mapnr; start += r->cycle_pfns) {
		struct vs_err *err = vs_run_build_cycle(r, start, true, false);
		if (!err && e)
			err = vs_vmemmap_collect(&r->cls, &r->bm1, &r->bm2, &r->vmemmap);
		if (err)
			return err;
		r->st->present += vs_bitmap_count(&r->bm1);
		if (!e && (err = note_early(r, r->st->dumpable)))
			return err;
		if (!e)
			r->st->dumpable += vs_bitmap_count(&r->bm2);
		r->st->cycles++;
		if ((err = cycle_done(r, start)))
			return err;
	}
	struct vs_err *err = e ? count_with_vmemmap(r) : NULL;
	if (!err)
		vs_run_cross_check_free(r);
	return err;
}

/*
 * The memory model is needed above -d 1, and also below when the kernel
 * exports hwpoison or offline page markers: those pages are left out at
 * every level (reading ballooned memory can stall a dump for hours).  At
 * -d 0/1 a memory model that cannot be set up is a warning, not a failure.
 */
static struct vs_err *vs_run_setup_classifier(struct vs_run *r)
{
	const struct vs_vmcoreinfo *vi = r->s->vmci;
	bool needed = (r->o->dump_level & ~VS_DL_ZERO) || r->o->exclude_vmemmap || r->o->nprivate_magic;
	bool wanted = vi && (vs_vmci_get(vi, "NUMBER(PG_hwpoison)") ||
			     vs_vmci_get(vi, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)"));
	if (!needed && !wanted)
		return NULL;
	struct vs_err *err = vs_classifier_init(&r->cls, r->s, r->o->dump_level, r->max_mapnr);
	r->st->private_filter = r->o->nprivate_magic > 0;
	if (!err) {
		r->use_cls = true;
		r->st->classified = true;
		snprintf(r->st->free_walk_error, sizeof(r->st->free_walk_error), "%s", r->cls.no_free_walk);
		snprintf(r->st->memmap_warning, sizeof(r->st->memmap_warning), "%s", r->cls.mm.warning);
		r->st->startup_pages = r->cls.startup.pages;
		snprintf(r->st->startup_note, sizeof(r->st->startup_note), "%s", r->cls.startup.note);
		return vs_classifier_set_magic(&r->cls, r->o->private_magic, r->o->nprivate_magic);
	}
	if (needed && !(r->o->dump_level & ~VS_DL_ZERO) && !r->o->exclude_vmemmap)
		return vs_err_wrap(err, "--private-page-filter needs the kernel memory model");
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
static void vs_run_clip_to_memmap(struct vs_run *r)
{
	const struct vs_memmap *mm = &r->cls.mm;
	for (uint64_t nr = mm->nsections; nr-- > 0;) {
		if (mm->mem_map[nr]) {
			uint64_t end = vs_memmap_end(mm, nr);
			if (end < r->max_mapnr)
				r->max_mapnr = end;
			return;
		}
	}
}

static void vs_run_cross_check_free(struct vs_run *r)
{
	if (!r->use_cls || !(r->o->dump_level & VS_DL_FREE))
		return;
	struct vs_err *err = vs_zone_free_pages(r->s->kernel, &r->st->zone_free);
	r->st->zone_free_known = !err;
	if (err)
		snprintf(r->st->zone_free_error, sizeof(r->st->zone_free_error), "%s", err->msg);
	vs_err_free(err);
	r->st->kallsyms_syms = vs_kallsyms_count(r->s->kernel->kallsyms);
	r->st->kallsyms_verified = vs_kallsyms_verified(r->s->kernel->kallsyms);
}

static struct vs_err *vs_run_check_supported(const struct vs_session *s, const struct vs_dump_opts *o)
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


struct vs_err *vs_run_prepare(struct vs_run *r)
{
	struct vs_err *err = vs_run_check_supported(r->s, r->o);
	r->max_mapnr = vs_vmcore_max_pfn(r->s->vc, r->s->kernel->page_shift);
	if (!err)
		err = vs_run_setup_classifier(r);
	if (!err && r->use_cls)
		vs_run_clip_to_memmap(r);
	if (!err && r->o->keep_user_stack && !(err = vs_user_stack_collect(r->s, &r->keep, r->st))) {
		r->cls.keep = &r->keep;
		r->cls.kept_counter = &r->st->kept_user_stack;
	}
	r->st->max_mapnr = r->max_mapnr;
	if (!err)
		err = vs_run_alloc(r);
	return err;
}

void vs_run_finish_stats(struct vs_run *r)
{
	r->st->mmap_fell_back = vs_vmcore_mmap_fell_back(r->s->vc);
	vs_vmcore_io_stats(r->s->vc, &r->st->io);
}
