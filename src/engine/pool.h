// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --num-threads: worker threads compress batches of pages, each with its
 * own codec context.  The calling thread maps the pages (in its mmap window,
 * which workers read in place; with pread input each worker reads its own),
 * hands out batches, and writes finished batches strictly in pfn order, so
 * the file is the same as a single-threaded run's.
 */
#ifndef VMSIFT_POOL_H
#define VMSIFT_POOL_H

#include "run.h"

struct vs_pool;

struct vs_err *vs_pool_start(struct vs_run *r, int nthreads, struct vs_pool **out);
/* Queues one dumpable pfn (written: already in the file, not read); may write finished batches. */
struct vs_err *vs_pool_submit(struct vs_pool *p, uint64_t pfn, bool written);
/*
 * Where finished pages go, in submission order: vs_kdump_put_prepared by
 * default; the pass that writes the startup pages first sets its own and
 * puts NULL back (after a drain) to restore the default.
 */
typedef struct vs_err *vs_pool_put_fn(void *arg, uint64_t pfn, const struct vs_kdump_page *pg);
void vs_pool_set_put(struct vs_pool *p, vs_pool_put_fn *put, void *arg);
/* Writes everything queued so far. */
struct vs_err *vs_pool_drain(struct vs_pool *p);
void vs_pool_stop(struct vs_pool *p);

#endif
