// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One dump run over pfn windows ("cycles"), shared by the output formats:
 * memory stays bounded on any machine size because only one window's
 * bitmaps exist at a time.  Cycles are at least 2^18 pfns and aligned to
 * that, so no free block, THP or 1 GiB hugetlb page crosses a cycle and any
 * cycle can be rebuilt on its own.
 */
#ifndef VMSIFT_RUN_H
#define VMSIFT_RUN_H

#include "vmsift/dump.h"
#include "vmsift/kdump.h"
#include "classify.h"
#include "early.h"
#include "vmemmap.h"

struct vs_run {
	struct vs_session *s;
	const struct vs_dump_opts *o;
	struct vs_dump_stats *st;
	uint64_t max_mapnr, cycle_pfns;
	struct vs_bitmap bm1, bm2;
	uint8_t *bytes1, *bytes2;
	uint8_t *pagebuf;
	uint8_t *erasebuf;          /* --config: the erased copy of a page */
	struct vs_kdump_writer *w;
	struct vs_classifier cls;
	bool use_cls;
	struct vs_ranges vmemmap;   /* -e: backing pfns to leave out */
	struct vs_keepset keep;     /* --keep-user-stack: pfns never left out */
	uint64_t copy_start, copy_end; /* --split: the pfns this file's pages come from */
	uint64_t copy_rank0;        /* --split: kept pfns before copy_start */
	bool early_wanted;          /* kdump output: note the startup pages to write first */
	struct vs_early early;      /* startup pages the dump keeps, when wanted */
	size_t early_next;          /* the next of them the ordinary pass meets */
};

void vs_run_progress(const struct vs_run *r, enum vs_phase ph, uint64_t done, uint64_t total);
bool vs_run_stopped(const struct vs_run *r);
/* Checks options, computes max_mapnr, sets up the memory model and buffers. */
struct vs_err *vs_run_prepare(struct vs_run *r);
void vs_run_free(struct vs_run *r);
/* Builds the cycle starting at start; count adds to the statistics. */
struct vs_err *vs_run_build_cycle(struct vs_run *r, uint64_t start, bool count, bool apply_vmemmap);
/* Pass 1: counts present, excluded and dumpable pages over all cycles. */
struct vs_err *vs_run_count_pass(struct vs_run *r);
/* Fills the I/O statistics at the end of a run. */
void vs_run_finish_stats(struct vs_run *r);

#endif
