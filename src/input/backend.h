// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One ops table per input format behind struct vs_vmcore: the engine and the
 * kernel code call vs_vmcore_* and never learn which format they read.
 */
#ifndef VMSIFT_BACKEND_H
#define VMSIFT_BACKEND_H

#include "vmsift/vmcore.h"
#include "pageio.h"

struct vs_input_ops {
	uint64_t (*max_pfn)(const struct vs_vmcore *vc, unsigned page_shift);
	enum vs_page_src (*page_src)(const struct vs_vmcore *vc, uint64_t start, uint64_t len);
	/* One page through io; an error is counted by the caller as an unreadable page. */
	struct vs_err *(*read_page)(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t pfn, unsigned page_shift,
				    void *buf, const uint8_t **data);
	struct vs_err *(*read_phys)(struct vs_vmcore *vc, uint64_t paddr, void *buf, size_t len);
	struct vs_err *(*map_phys)(struct vs_vmcore *vc, uint64_t paddr, size_t len, void *buf,
				   const uint8_t **data);
	bool (*page_mapped)(const struct vs_vmcore *vc, uint64_t pfn, unsigned page_shift);
	/* May be NULL: the format has no pages without data beyond what its pieces say. */
	struct vs_err *(*missing)(struct vs_vmcore *vc, uint64_t first, uint64_t end, vs_missing_fn *fn, void *arg);
	/* Per-reader state for a new io (may be NULL), and its release. */
	struct vs_err *(*reader_new)(struct vs_vmcore *vc, struct vs_pageio *io);
	void (*reader_free)(struct vs_pageio *io);
	void (*describe)(const struct vs_vmcore *vc, char *buf, size_t len);
	void (*close)(struct vs_vmcore *vc);   /* the format's own state; may be NULL */
};

extern const struct vs_input_ops vs_elf_input_ops, vs_kdump_input_ops;

#endif
