// SPDX-License-Identifier: GPL-2.0-or-later
/* Page classification from struct page, per cycle (dump levels 2-16, hwpoison, offline). */
#ifndef VMSIFT_CLASSIFY_H
#define VMSIFT_CLASSIFY_H

#include "vmsift/bitmap.h"
#include "vmsift/dump.h"
#include "vmsift/memmodel.h"
#include "startup.h"
#include "keepset.h"

struct vs_classifier {
	struct vs_session *s;
	struct vs_page_layout pl;
	struct vs_memmap mm;
	int level;
	uint8_t *buf;              /* struct pages copied when not mappable */
	/* An exclusion that runs past the end of a cycle, finished in the next. */
	uint64_t carry_start, carry_end;
	uint64_t *carry_counter;
	struct vs_freelist *fl;    /* -d 16 without a buddy marker: the zones' free lists */
	char no_free_walk[200];    /* why free pages are kept at -d 16, when they are */
	struct vs_startup startup; /* never excluded by the level's rules */
	uint64_t good_mapping;     /* the last page->mapping found to be a kernel address */
	const uint64_t *magic;     /* --private-page-filter values */
	size_t nmagic;
	const struct vs_keepset *keep;  /* --keep-user-stack: never cleared (may be NULL) */
	uint64_t *kept_counter;    /* counts the kept pfns a rule would have cleared */
};

struct vs_err *vs_classifier_init(struct vs_classifier *c, struct vs_session *s, int level,
				  uint64_t max_mapnr);
/* --private-page-filter: refuses a kernel that does not export OFFSET(page.private). */
struct vs_err *vs_classifier_set_magic(struct vs_classifier *c, const uint64_t *magic, size_t n);
void vs_classifier_free(struct vs_classifier *c);
/* Starts a pass over the cycles (forgets any carried exclusion). */
void vs_classifier_rewind(struct vs_classifier *c);
/* Clears excluded pfns of bm2 over its window; counts into st when non-NULL. */
struct vs_err *vs_classify_cycle(struct vs_classifier *c, const struct vs_bitmap *bm1,
				 struct vs_bitmap *bm2, struct vs_dump_stats *st);

#endif
