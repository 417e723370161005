// SPDX-License-Identifier: GPL-2.0-or-later
/* Building the 1st and 2nd bitmaps of one cycle (a pfn window). */
#ifndef VMSIFT_FILTER_H
#define VMSIFT_FILTER_H

#include "vmsift/bitmap.h"
#include "vmsift/dump.h"
#include "classify.h"

/*
 * Fills bm1 (pfns inside a PT_LOAD) and bm2 (pfns whose data will be dumped)
 * for the window the bitmaps are set to.  With counts, adds the pages each
 * rule excluded.
 */
struct vs_err *vs_filter_cycle(struct vs_session *s, struct vs_classifier *cls,
			       struct vs_bitmap *bm1, struct vs_bitmap *bm2,
			       struct vs_dump_stats *counts);

#endif
