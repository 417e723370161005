// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pfns that must stay in the dump whatever their struct page says
 * (--keep-user-stack): a sorted, duplicate-free array.  The classifier asks
 * it before clearing a range of the 2nd bitmap.
 */
#ifndef VMSIFT_KEEPSET_H
#define VMSIFT_KEEPSET_H

#include <stddef.h>
#include <stdint.h>

#include "vmsift/bitmap.h"
#include "vmsift/error.h"

struct vs_keepset {
	uint64_t *pfn;
	size_t n, cap;
};

struct vs_err *vs_keepset_add(struct vs_keepset *ks, uint64_t pfn);
/* Sorts and drops duplicates; call once after the last add. */
void vs_keepset_finish(struct vs_keepset *ks);
void vs_keepset_free(struct vs_keepset *ks);
/*
 * Clears [first, end) of bm2 except the kept pfns whose bit was set; returns
 * how many bits were cleared, and adds the kept ones to *kept (may be NULL).
 */
uint64_t vs_keepset_clear_range(const struct vs_keepset *ks, struct vs_bitmap *bm2, uint64_t first,
				uint64_t end, uint64_t *kept);
/*
 * The same, with the clearing of each stretch between kept pfns done by
 * clear(arg, bm2, from, to, clear_kept) -- another keep rule's (the startup
 * set's) clear, so that both hold.
 */
typedef uint64_t (*vs_keepset_clear_fn)(void *arg, struct vs_bitmap *bm2, uint64_t first, uint64_t end,
					 uint64_t *kept);
uint64_t vs_keepset_clear_range_with(const struct vs_keepset *ks, struct vs_bitmap *bm2, uint64_t first,
				     uint64_t end, uint64_t *kept, vs_keepset_clear_fn clear, void *arg,
				     uint64_t *clear_kept);

#endif
