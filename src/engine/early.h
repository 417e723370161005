// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Startup pages first.  The pages of the startup set that the dump keeps are
 * written at the head of the data area, with their descriptors, before any
 * other page: a dump cut short (a full disk, -L, a dropped ssh stream) still
 * opens in crash and drgn, because what they read to start came first.  The
 * descriptor table is indexed by a page's rank among the kept pfns, so the
 * ranks are noted while the count pass has each cycle's final bitmap.
 */
#ifndef VMSIFT_EARLY_H
#define VMSIFT_EARLY_H

#include <stddef.h>
#include <stdint.h>

#include "vmsift/bitmap.h"
#include "vmsift/error.h"
#include "startup.h"

/* At most this many pages go first (their descriptors wait in memory: 40 bytes each). */
#define VS_EARLY_MAX_PAGES 65536u

struct vs_early {
	uint64_t *pfn;   /* ascending */
	uint64_t *rank;  /* of pfn[i] among all kept pfns of the dump */
	size_t n, cap;
	bool full;       /* the set had more kept pages than VS_EARLY_MAX_PAGES */
};

/*
 * Notes the set's pfns set in bm2 (one cycle's final 2nd bitmap), ranked
 * from rank0, the kept pfns of the cycles before.
 */
struct vs_err *vs_early_collect(struct vs_early *e, const struct vs_startup *set, const struct vs_bitmap *bm2,
				uint64_t rank0);
void vs_early_free(struct vs_early *e);

#endif
