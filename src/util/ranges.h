// SPDX-License-Identifier: GPL-2.0-or-later
/* A growing list of [start, end) pfn ranges, merged when appended in order. */
#ifndef VMSIFT_RANGES_H
#define VMSIFT_RANGES_H

#include <stddef.h>
#include <stdint.h>

struct vs_range {
	uint64_t start, end;
};

struct vs_ranges {
	struct vs_range *r;
	size_t n, cap;
	int sorted;  /* set by vs_ranges_finish */
};

/* Adds [start, end); merges with the last range when adjacent or overlapping. -1 on ENOMEM. */
int vs_ranges_add(struct vs_ranges *rl, uint64_t start, uint64_t end);
/* Sorts and merges; call before vs_ranges_first. */
void vs_ranges_finish(struct vs_ranges *rl);
/* Index of the first range ending after pfn (binary search). */
size_t vs_ranges_first(const struct vs_ranges *rl, uint64_t pfn);
uint64_t vs_ranges_total(const struct vs_ranges *rl);
void vs_ranges_free(struct vs_ranges *rl);

#endif
