// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -E: an ELF core of the kept pages.  Each input PT_LOAD becomes one or more
 * output segments: a run of 256 or more excluded pages ends a segment (its
 * memory keeps covering the run, its file data stops at the last kept page)
 * and a new one starts at the next kept page, as makedumpfile lays them out.
 * The writer (elfout.c) gives the excluded rest a data-less PT_LOAD of its own.
 * Shorter excluded runs stay inside a segment; unlike makedumpfile, vmsift
 * writes zeros there instead of the excluded pages' contents, so user and
 * free memory is scrubbed and ballooned (offline) memory is never read.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "vmsift/erase.h"
#include "vmsift/elfout.h"

#define SPLIT_RUN 256
#define WRITE_CHUNK (1u << 20)

struct elf_run {
	struct vs_run r;
	struct vs_elf_seg *segs;
	size_t nsegs, cap;
	uint64_t total_pages;    /* pages in the segments' file data: what progress counts */
	uint8_t *out;            /* write buffer */
	size_t out_len;
	uint64_t out_off;
	uint64_t landed_end;     /* end of the last bytes that reached the file */
};

/*
 * Whether pfn's data goes into the file.  Pages past max_mapnr (firmware
 * ranges after the last memory section, such as QEMU's VGA memory and BIOS
 * ROM) are outside the memory model: their segments are kept, with no data,
 * as in the kdump format (makedumpfile -E writes some of them).  The cycle
 * holding pfn is built on demand (any cycle can be rebuilt on its own).
 */
static struct vs_err *dumpable(struct vs_run *r, uint64_t pfn, bool *yes)
{
	if (pfn >= r->max_mapnr) {
		*yes = false;
		return NULL;
	}
	if (!(pfn >= r->bm2.start && pfn < r->bm2.start + r->bm2.npfn)) {
		struct vs_err *err = vs_run_build_cycle(r, pfn / r->cycle_pfns * r->cycle_pfns, false,
							r->o->exclude_vmemmap);
		if (err)
			return err;
	}
	*yes = vs_bit_test(&r->bm2, pfn);
	return NULL;
}

/* Kept in the ELF: dumpable, and with -d 1 not all zero (read to find out). */
static struct vs_err *keep_page(struct elf_run *e, uint64_t pfn, bool *keep)
{
	struct vs_run *r = &e->r;
	struct vs_err *err = dumpable(r, pfn, keep);
	if (err)
		return err;
	if (!*keep || !(r->o->dump_level & VS_DL_ZERO))
		return NULL;
	const uint8_t *data;
	err = vs_vmcore_read_page(r->s->vc, pfn, r->s->kernel->page_shift, r->pagebuf, &data);
	if (!err && vs_page_is_zero(data, r->s->kernel->page_size)) {
		*keep = false;
		r->st->excl_zero++;
	}
	return err;
}

static struct vs_err *push_seg(struct elf_run *e, const struct vs_elf_seg *s)
{
	if (e->nsegs == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 256;
		struct vs_elf_seg *n = realloc(e->segs, cap * sizeof(*n));
		if (!n)
			return vs_enomem;
		e->segs = n;
		e->cap = cap;
	}
	e->segs[e->nsegs++] = *s;
	return NULL;
}

static struct vs_err *plan_load(struct elf_run *e, const struct vs_load *l)
{
	struct vs_run *r = &e->r;
	unsigned shift = r->s->kernel->page_shift;
	uint64_t P = 1ull << shift, start = l->paddr, end = l->paddr + l->memsz;
	struct vs_elf_seg cur = { .paddr = start, .vaddr = l->vaddr };
	uint64_t kept_end = start, run = 0;
	for (uint64_t pfn = start >> shift; pfn << shift < end; pfn++) {
		bool keep;
		struct vs_err *err = keep_page(e, pfn, &keep);
		if (err)
			return err;
		if (!keep) {
			run++;
			continue;
		}
		if (run >= SPLIT_RUN) {
			cur.memsz = (pfn << shift) - cur.paddr;
			cur.filesz = kept_end - cur.paddr;
			if ((err = push_seg(e, &cur)))
				return err;
			cur = (struct vs_elf_seg){ .paddr = pfn << shift, .vaddr = l->vaddr + ((pfn << shift) - start) };
		}
		run = 0;
		kept_end = (pfn + 1) * P < end ? (pfn + 1) * P : end;
	}
	cur.memsz = end - cur.paddr;
	cur.filesz = kept_end - cur.paddr;
	return push_seg(e, &cur);
}

static struct vs_err *flush_out(struct elf_run *e, struct vs_sink *sink)
{
	size_t done;
	struct vs_err *err = e->out_len ? vs_sink_write(sink, e->out_off, e->out, e->out_len, &done) : NULL;
	if (e->out_len)
		e->landed_end = e->out_off + done;
	e->out_off += e->out_len;
	e->out_len = 0;
	return err;
}

/* Appends n bytes (data, or zeros when data is NULL) to the output. */
static struct vs_err *emit(struct elf_run *e, struct vs_sink *sink, const uint8_t *data, size_t n)
{
	if (e->out_len + n > WRITE_CHUNK) {
		struct vs_err *err = flush_out(e, sink);
		if (err)
			return err;
	}
	if (data)
		memcpy(e->out + e->out_len, data, n);
	else
		memset(e->out + e->out_len, 0, n);
	e->out_len += n;
	return NULL;
}

static struct vs_err *write_seg(struct elf_run *e, struct vs_sink *sink, const struct vs_elf_seg *s, uint64_t *done)
{
	struct vs_run *r = &e->r;
	unsigned shift = r->s->kernel->page_shift;
	uint64_t P = 1ull << shift;
	e->out_off = s->offset;
	for (uint64_t a = s->paddr; a < s->paddr + s->filesz;) {
		uint64_t pfn = a >> shift, next = (pfn + 1) << shift;
		uint64_t stop = next < s->paddr + s->filesz ? next : s->paddr + s->filesz;
		bool yes = false;
		struct vs_err *err = dumpable(r, pfn, &yes);
		if (!err && yes) {
			const uint8_t *data;
			err = vs_vmcore_read_page(r->s->vc, pfn, shift, r->pagebuf, &data);
			/* Every copy of the page: makedumpfile erases only the first one it writes. */
			if (!err)
				data = vs_erase_page(r->s->erase, pfn << shift, data, (size_t)P, r->erasebuf);
			if (!err)
				err = emit(e, sink, data + (a & (P - 1)), (size_t)(stop - a));
			r->st->written_pages++;
		} else if (!err) {
			err = emit(e, sink, NULL, (size_t)(stop - a));
		}
		if (err)
			return err;
		if (++*done % 16384 == 0)
			vs_run_progress(r, VS_PHASE_COPY, *done, e->total_pages);
		if (vs_run_stopped(r))  /* SIGINT/SIGTERM: stop here, the file gets marked incomplete */
			return vs_err_new(VS_ERR_INTR, "interrupted at pfn 0x%llx", (unsigned long long)pfn);
		a = stop;
	}
	return flush_out(e, sink);
}

/*
 * A cut run (full disk, -L, signal) keeps the segments written before segment
 * cut, and of that one the whole pages that landed: the memory after them is
 * left out of the headers rather than shown as zeros.  Returns how many
 * segments the headers keep.
 */
static size_t keep_landed(struct elf_run *e, struct vs_elfout *eo, size_t cut)
{
	if (cut >= eo->nsegs)
		return eo->nsegs;
	struct vs_elf_seg *s = &eo->segs[cut];
	if (e->landed_end <= s->offset)
		return cut;
	uint64_t landed = (e->landed_end - s->offset) / eo->page_size * eo->page_size;
	if (landed < s->filesz)
		s->filesz = s->memsz = landed;
	return s->filesz ? cut + 1 : cut;
}

static struct vs_err *plan_all(struct elf_run *e)
{
	const struct vs_vmcore *vc = e->r.s->vc;
	for (size_t i = 0; i < vc->nloads; i++) {
		struct vs_err *err = plan_load(e, &vc->loads[i]);
		if (err)
			return err;
		if (vs_run_stopped(&e->r))
			return vs_err_new(VS_ERR_INTR, "interrupted");
	}
	return NULL;
}

/*
 * --config: the notes followed by an ERASEINFO note (n_type 0).  Its size is
 * reserved before the pages, for every object whole, as makedumpfile does;
 * the text of what the pages erased is filled in after them, zero-padded.
 */
struct erase_note {
	uint8_t *notes;
	size_t size, desc_off, desc_size;
};

static void put32(uint8_t *p, uint32_t v, bool big_endian)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (big_endian ? 24 - 8 * i : 8 * i));
}

static struct vs_err *erase_note_plan(const struct vs_session *s, struct erase_note *n)
{
	const struct vs_vmcore *vc = s->vc;
	size_t bound = vs_erase_record_bound(s->erase) + vc->eraseinfo_size;
	if (!bound)
		return NULL;
	size_t base = (vc->notes_size + 3) & ~(size_t)3, desc = (bound + 3) & ~(size_t)3;
	if (bound > UINT32_MAX || !(n->notes = calloc(1, base + 24 + desc)))
		return vs_enomem;
	if (vc->notes_size)
		memcpy(n->notes, vc->notes, vc->notes_size);
	put32(n->notes + base, sizeof("ERASEINFO"), vc->big_endian);
	put32(n->notes + base + 4, (uint32_t)bound, vc->big_endian);
	memcpy(n->notes + base + 12, "ERASEINFO", sizeof("ERASEINFO"));
	n->desc_off = base + 24;
	n->desc_size = bound;
	n->size = base + 24 + desc;
	return NULL;
}

static struct vs_err *erase_note_write(const struct vs_session *s, struct erase_note *n, uint64_t notes_off,
				       struct vs_sink *sink)
{
	if (!n->notes)
		return NULL;
	char *text;
	size_t len, done;
	struct vs_err *err = vs_erase_record(s->erase, (const char *)s->vc->eraseinfo, s->vc->eraseinfo_size,
					     &text, &len);
	if (err)
		return err;
	memcpy(n->notes + n->desc_off, text, len < n->desc_size ? len : n->desc_size);
	free(text);
	return vs_sink_write(sink, notes_off + n->desc_off, n->notes + n->desc_off, n->size - n->desc_off, &done);
}

struct vs_err *vs_dump_elf(struct vs_session *s, const struct vs_dump_opts *o,
			   struct vs_sink *sink, struct vs_dump_stats *st)
{
	memset(st, 0, sizeof(*st));
	s->vc->unreadable = 0;
	s->vc->unreadable_pfn = UINT64_MAX;
	struct elf_run e = { .r = { .s = s, .o = o, .st = st } };
	struct vs_elfout eo = { .is64 = s->vc->elf_class == 2, .big_endian = s->vc->big_endian,
				.machine = s->vc->machine, .notes = s->vc->notes,
				.notes_size = s->vc->notes_size, .page_size = s->kernel->page_size };
	struct erase_note en = { 0 };
	struct vs_err *err = erase_note_plan(s, &en);
	if (en.notes) {
		eo.notes = en.notes;
		eo.notes_size = en.size;
	}
	if (!err)
		err = vs_run_prepare(&e.r);
	if (!err)
		err = vs_run_count_pass(&e.r);
	if (!err && !(e.out = malloc(WRITE_CHUNK)))
		err = vs_enomem;
	if (!err)
		err = plan_all(&e);
	eo.segs = e.segs;
	eo.nsegs = e.nsegs;
	if (!err)
		err = vs_elfout_layout(&eo);
	bool started = !err;  /* from here on the file holds (part of) a dump */
	if (!err)
		err = vs_elfout_write_headers(&eo, sink, false, eo.nsegs);
	size_t i = 0;
	uint64_t done = 0;
	for (size_t k = 0; k < eo.nsegs; k++)
		e.total_pages += (eo.segs[k].filesz + s->kernel->page_size - 1) / s->kernel->page_size;
	for (; !err && i < eo.nsegs; i++)
		err = write_seg(&e, sink, &eo.segs[i], &done);
	if (!err)
		err = erase_note_write(s, &en, eo.notes_off, sink);
	if (!err)
		err = vs_sink_finish(sink);
	st->unreadable = s->vc->unreadable;
	st->unreadable_pfn = s->vc->unreadable_pfn;
	st->unreadable_errnum = s->vc->unreadable_errnum;
	if ((err && started) || st->lost || st->unreadable) {
		st->incomplete = true;
		if (sink->seekable && !sink->dry_run)  /* headers only: they fit in space already written */
			vs_err_free(vs_elfout_write_headers(&eo, sink, true, !err ? eo.nsegs : keep_landed(&e, &eo, i ? i - 1 : 0)));
	}
	vs_run_progress(&e.r, VS_PHASE_COPY, done, e.total_pages);
	st->write_bytes = sink->written;
	vs_run_finish_stats(&e.r);
	vs_run_free(&e.r);
	free(en.notes);
	free(e.segs);
	free(e.out);
	return err;
}
