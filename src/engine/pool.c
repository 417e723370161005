// SPDX-License-Identifier: GPL-2.0-or-later
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vmsift/erase.h"

#define BATCH 64

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_WORKING, SLOT_DONE };

struct slot {
	enum slot_state state;
	uint64_t seq;
	size_t n;
	uint64_t pfn[BATCH];
	struct vs_kdump_page pg[BATCH];
	uint8_t *buf;              /* BATCH pages of codec output */
	struct vs_err *err;
	/* Shared mode: the pages' bytes, in the caller's mmap window or in inbuf. */
	const uint8_t *src[BATCH];
	bool written[BATCH];       /* written first (src/engine/early.h): not read again */
	uint8_t *inbuf;            /* BATCH pages, allocated when a page is not in a window */
	size_t nrefs;              /* how many src point into the window */
};

struct worker {
	struct vs_pool *pool;
	pthread_t tid;
	struct vs_pageio *io;
	void *cctx;
	uint8_t *pagebuf;
	uint8_t *erasebuf;         /* --config: the erased copy of a page */
	bool started;
};

struct vs_pool {
	struct vs_run *r;
	const struct vs_codec_ops *codec;
	bool share_zero;
	size_t stride;             /* bytes per page in a slot buffer */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct slot *slots;
	size_t nslots;
	uint64_t submit_seq, work_seq, write_seq;
	bool filling;              /* the caller owns the slot at submit_seq */
	bool quit;
	struct worker *workers;
	int nworkers;
	vs_pool_put_fn *put;       /* NULL: vs_kdump_put_prepared */
	void *put_arg;
	/*
	 * Shared mode (the input is mmapped): the calling thread maps each page
	 * in its own window and workers read it there, so a window is mapped
	 * once, not once per worker.  A window is replaced only when no queued
	 * page points into it (refs == 0).
	 */
	bool shared;
	uint64_t refs;
	uint8_t *scratch;          /* one page, for pages that are not in a window */
};

/* How many pfns from index i on are consecutive. */
static size_t run_length(const struct slot *s, size_t i)
{
	size_t k = 1;
	while (i + k < s->n && s->pfn[i + k] == s->pfn[i + k - 1] + 1)
		k++;
	return k;
}

static void process_slot(struct worker *w, struct slot *s)
{
	struct vs_pool *p = w->pool;
	struct vs_run *r = p->r;
	size_t P = r->s->kernel->page_size;
	for (size_t i = 0; i < s->n && !s->err; i++) {
		if (s->written[i])
			continue;
		const uint8_t *data = s->src[i];
		uint8_t *out = s->buf + i * p->stride;
		if (!p->shared && (i == 0 || s->pfn[i] != s->pfn[i - 1] + 1))
			vs_vmcore_expect_run(r->s->vc, w->io, run_length(s, i), r->s->kernel->page_shift);
		if (!p->shared)
			s->err = vs_vmcore_read_page_io(r->s->vc, w->io, s->pfn[i], r->s->kernel->page_shift,
							w->pagebuf, &data);
		if (s->err)
			break;
		const uint8_t *orig = data;
		data = vs_erase_page(r->s->erase, s->pfn[i] << r->s->kernel->page_shift, data, P, w->erasebuf);
		vs_kdump_prepare(p->codec, w->cctx, p->share_zero, data, P, out, &s->pg[i]);
		/*
		 * Raw pages: a worker's own window moves on, and its erase buffer is
		 * reused for the next page: keep a copy (shared ones stay until written).
		 */
		if ((!p->shared || data != orig) && !s->pg[i].zero && s->pg[i].data != out) {
			memcpy(out, data, P);
			s->pg[i].data = out;
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct vs_pool *p = w->pool;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct slot *s = &p->slots[p->work_seq % p->nslots];
		while (!p->quit && !(s->state == SLOT_QUEUED && s->seq == p->work_seq)) {
			pthread_cond_wait(&p->work, &p->mu);
			s = &p->slots[p->work_seq % p->nslots];
		}
		if (p->quit)
			break;
		s->state = SLOT_WORKING;
		p->work_seq++;
		pthread_mutex_unlock(&p->mu);
		process_slot(w, s);
		pthread_mutex_lock(&p->mu);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Waits for the oldest queued batch and writes it. */
static struct vs_err *write_oldest(struct vs_pool *p)
{
	struct slot *s = &p->slots[p->write_seq % p->nslots];
	pthread_mutex_lock(&p->mu);
	while (s->state != SLOT_DONE)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	struct vs_err *err = s->err;
	s->err = NULL;
	for (size_t i = 0; !err && i < s->n; i++) {
		const struct vs_kdump_page *pg = s->written[i] ? NULL : &s->pg[i];
		err = p->put ? p->put(p->put_arg, s->pfn[i], pg) : vs_kdump_put_prepared(p->r->w, s->pfn[i], pg);
	}
	p->refs -= s->nrefs;
	s->nrefs = 0;
	s->n = 0;
	pthread_mutex_lock(&p->mu);  /* workers look at every slot's state under the lock */
	s->state = SLOT_FREE;
	pthread_mutex_unlock(&p->mu);
	p->write_seq++;
	return err;
}

static void queue_current(struct vs_pool *p)
{
	struct slot *s = &p->slots[p->submit_seq % p->nslots];
	pthread_mutex_lock(&p->mu);
	s->seq = p->submit_seq++;
	s->state = SLOT_QUEUED;
	p->filling = false;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/* Shared mode: maps the page in the caller's window, or copies it into the slot. */
static struct vs_err *fetch(struct vs_pool *p, struct slot *s, uint64_t pfn)
{
	struct vs_vmcore *vc = p->r->s->vc;
	size_t P = p->r->s->kernel->page_size;
	const uint8_t *data;
	struct vs_err *err = vs_vmcore_read_page(vc, pfn, p->r->s->kernel->page_shift, p->scratch, &data);
	if (err)
		return err;
	if (vs_vmcore_data_mapped(vc, data)) {
		s->src[s->n] = data;
		s->nrefs++;
		p->refs++;
		return NULL;
	}
	if (!s->inbuf && !(s->inbuf = malloc(BATCH * P)))
		return vs_enomem;
	memcpy(s->inbuf + s->n * P, data, P);
	s->src[s->n] = s->inbuf + s->n * P;
	return NULL;
}

struct vs_err *vs_pool_submit(struct vs_pool *p, uint64_t pfn, bool written)
{
	/* Reading this page would replace the window that queued pages point into. */
	if (!written && p->shared && p->refs &&
	    !vs_vmcore_page_mapped(p->r->s->vc, pfn, p->r->s->kernel->page_shift)) {
		struct vs_err *err = vs_pool_drain(p);
		if (err)
			return err;
	}
	struct slot *s = &p->slots[p->submit_seq % p->nslots];
	if (!p->filling) {  /* starting a batch: if the ring is full, the oldest batch goes first */
		pthread_mutex_lock(&p->mu);
		bool busy = s->state != SLOT_FREE;
		pthread_mutex_unlock(&p->mu);
		if (busy) {
			struct vs_err *err = write_oldest(p);
			if (err)
				return err;
		}
		p->filling = true;
	}
	if (p->shared && !written) {
		struct vs_err *err = fetch(p, s, pfn);
		if (err)
			return err;
	}
	s->written[s->n] = written;
	s->pfn[s->n++] = pfn;
	if (s->n == BATCH)
		queue_current(p);
	return NULL;
}

void vs_pool_set_put(struct vs_pool *p, vs_pool_put_fn *put, void *arg)
{
	p->put = put;
	p->put_arg = arg;
}

struct vs_err *vs_pool_drain(struct vs_pool *p)
{
	struct slot *s = &p->slots[p->submit_seq % p->nslots];
	if (p->filling && s->n)
		queue_current(p);
	struct vs_err *err = NULL;
	while (!err && p->write_seq < p->submit_seq)
		err = write_oldest(p);
	return err;
}

static struct vs_err *start_worker(struct vs_pool *p, struct worker *w)
{
	w->pool = p;
	struct vs_err *err = p->shared ? NULL : vs_vmcore_io_new(p->r->s->vc, &w->io);
	if (!err && p->codec)
		err = p->codec->create(p->r->s->kernel->page_size, &w->cctx);
	if (!err && !p->shared && !(w->pagebuf = malloc(p->r->s->kernel->page_size)))
		err = vs_enomem;
	if (!err && p->r->s->erase && !(w->erasebuf = malloc(p->r->s->kernel->page_size)))
		err = vs_enomem;
	if (!err && pthread_create(&w->tid, NULL, worker_main, w) != 0)
		err = vs_err_new(VS_ERR_OS, "cannot start a compression thread");
	w->started = !err;
	return err;
}

struct vs_err *vs_pool_start(struct vs_run *r, int nthreads, struct vs_pool **out)
{
	struct vs_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return vs_enomem;
	p->r = r;
	p->codec = vs_codec_get(r->o->compress);
	p->share_zero = r->o->dump_level & VS_DL_ZERO;
	size_t P = r->s->kernel->page_size;
	p->stride = p->codec && p->codec->bound(P) > P ? p->codec->bound(P) : P;
	p->nslots = (size_t)nthreads * 3 + 2;
	p->shared = vs_vmcore_uses_mmap(r->s->vc);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->slots = calloc(p->nslots, sizeof(*p->slots));
	p->workers = calloc((size_t)nthreads, sizeof(*p->workers));
	p->scratch = malloc(P);
	struct vs_err *err = p->slots && p->workers && p->scratch ? NULL : vs_enomem;
	for (size_t i = 0; !err && i < p->nslots; i++)
		if (!(p->slots[i].buf = malloc(BATCH * p->stride)))
			err = vs_enomem;
	for (int i = 0; !err && i < nthreads; i++, p->nworkers++)
		err = start_worker(p, &p->workers[i]);
	if (err) {
		vs_pool_stop(p);
		return err;
	}
	*out = p;
	return NULL;
}

void vs_pool_stop(struct vs_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; p->workers && i < p->nworkers; i++) {
		struct worker *w = &p->workers[i];
		if (w->started)
			pthread_join(w->tid, NULL);
		if (w->cctx)
			p->codec->destroy(w->cctx);
		if (w->io)
			vs_vmcore_io_free(p->r->s->vc, w->io);
		free(w->pagebuf);
		free(w->erasebuf);
	}
	for (size_t i = 0; p->slots && i < p->nslots; i++) {
		free(p->slots[i].buf);
		free(p->slots[i].inbuf);
		vs_err_free(p->slots[i].err);
	}
	free(p->slots);
	free(p->workers);
	free(p->scratch);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}
