// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The startup set: pages a reader (crash, drgn, libkdumpfile) needs to open
 * the dump at all -- the kernel image, the page tables it walks, the objects
 * VMCOREINFO names, the per-CPU areas and every CPU's stack.  Built once per
 * run; the classifier never excludes a page in it, whatever its struct page
 * says, and counts each page it would have excluded under its reason.
 */
#ifndef VMSIFT_STARTUP_H
#define VMSIFT_STARTUP_H

#include "vmsift/bitmap.h"
#include "vmsift/dump.h"
#include "vmsift/memmodel.h"

struct vs_keep_range {
	uint64_t start, end;  /* pfns [start, end) */
	uint8_t reason;       /* enum vs_keep_reason */
};

/* startup_percpu.c's symbols: __per_cpu_offset, __per_cpu_start, ... */
#define VS_STARTUP_PERCPU_SYMS 6
extern const char *const vs_startup_percpu_names[VS_STARTUP_PERCPU_SYMS];

struct vs_startup {
	struct vs_keep_range *r;  /* after vs_startup_build: sorted, disjoint */
	size_t n, cap;
	uint64_t pages;
	struct vs_kernel *k;
	uint8_t reason;           /* while building: what the next ranges are */
	bool full;                /* too many ranges: the set stopped growing */
	size_t hint;              /* the first range ending after the last cleared pfn */
	/*
	 * Set while free pages are cleared: the image's ranges do not hold
	 * them.  The kernel frees its init sections and (x86_64) the alignment
	 * gaps between its text, rodata and data after boot; those are free
	 * pages, not misread ones.
	 */
	bool yield_image;
	/* The per-CPU symbols (vs_startup_percpu_names), looked up with the image's in one pass. */
	uint64_t percpu_sym[VS_STARTUP_PERCPU_SYMS];
	struct vs_keep_range *saved;  /* vs_startup_save: marked pfns, one per entry */
	size_t nsaved, capsaved;
	char note[240];
};

/*
 * Finds the set through VMCOREINFO, the NT_PRSTATUS notes and the page
 * tables (mm: the sections' struct page addresses, whose tables are kept).
 * What cannot be found is left out and said in note (also when memory for
 * the ranges runs out): the dump goes on without it, so this never fails
 * today; the error return is for callers to stay ready for one.
 */
struct vs_err *vs_startup_build(struct vs_session *s, const struct vs_memmap *mm, uint64_t page_struct_size,
				struct vs_startup *set);
void vs_startup_free(struct vs_startup *set);

/*
 * Clears [first, end) in bm2 except the pfns of the set, returns how many
 * bits it cleared, and adds to kept[reason] (when non-NULL) the set's pfns
 * in the range that were still marked.  Exclusions come in ascending pfn
 * order, so the range after the previous one is checked first: that is the
 * whole cost for a block the set does not touch.
 */
uint64_t vs_startup_clear_slow(struct vs_startup *set, struct vs_bitmap *bm2, uint64_t first, uint64_t end,
			       uint64_t *kept);

static inline uint64_t vs_startup_clear(struct vs_startup *set, struct vs_bitmap *bm2, uint64_t first,
					uint64_t end, uint64_t *kept)
{
	size_t h = set->hint;
	if (h <= set->n && (h == set->n || set->r[h].start >= end) && (h == 0 || set->r[h - 1].end <= first))
		return vs_bitmap_clear_range_count(bm2, first, end);
	return vs_startup_clear_slow(set, bm2, first, end, kept);
}

/*
 * For exclusions that clear bm2 on their own (the free-list walk of kernels
 * without a buddy marker): save remembers the set's pfns still marked in
 * bm2's window, restore marks again those that were cleared since, counts
 * them into kept[reason] (when non-NULL) and returns how many.
 */
struct vs_err *vs_startup_save(struct vs_startup *set, const struct vs_bitmap *bm2);
uint64_t vs_startup_restore(struct vs_startup *set, struct vs_bitmap *bm2, uint64_t *kept);

/* For the builders (startup_objs.c, startup_cpus.c): add what a virtual range maps to. */
void vs_startup_add_virt(struct vs_startup *set, uint64_t vaddr, uint64_t len);
void vs_startup_add_pfns(struct vs_startup *set, uint64_t start, uint64_t end);
void vs_startup_image(struct vs_session *s, struct vs_startup *set);
void vs_startup_objects(struct vs_session *s, const struct vs_memmap *mm, struct vs_startup *set);
void vs_startup_cpus(struct vs_session *s, struct vs_startup *set);
/* After vs_startup_image, which looks its symbols up (set->percpu_sym). */
void vs_startup_per_cpu(struct vs_session *s, struct vs_startup *set);
void vs_startup_note(struct vs_startup *set, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
