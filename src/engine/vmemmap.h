// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -e: the pages of the vmemmap (struct page arrays) that describe only
 * excluded memory are themselves left out.  Found cycle by cycle as a range
 * list of backing pfns, applied when each cycle is (re)built.
 */
#ifndef VMSIFT_VMEMMAP_H
#define VMSIFT_VMEMMAP_H

#include "../util/ranges.h"
#include "classify.h"

/* Adds the backing pfns of vmemmap pages whose described pfns are all present and excluded. */
struct vs_err *vs_vmemmap_collect(struct vs_classifier *c, const struct vs_bitmap *bm1,
				  const struct vs_bitmap *bm2, struct vs_ranges *out);
/* Clears the listed pfns in bm2's window; returns how many were set. */
uint64_t vs_vmemmap_apply(const struct vs_ranges *rl, struct vs_bitmap *bm2);

#endif
