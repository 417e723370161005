// SPDX-License-Identifier: GPL-2.0-or-later
/* The kdump-compressed input backend behind struct vs_vmcore (kdsrc.c). */
#ifndef VMSIFT_KDSRC_H
#define VMSIFT_KDSRC_H

#include "vmsift/kdumpin.h"
#include "vmsift/vmcore.h"
#include "flatmap.h"
#include "pageio.h"

/* One rank entry per 512 bytes of the 2nd bitmap (4096 blocks). */
#define VS_KD_RANK_BLOCKS 4096u

struct vs_kdsrc {
	struct vs_kdump_in *in;
	struct vs_flatmap *flat;      /* a flattened file's record index */
	/*
	 * A bitmap bit and a descriptor stand for one block, which is one page,
	 * except in QEMU's aarch64 files: 64 KiB blocks of 4 KiB pages.
	 */
	unsigned shift;               /* log2(page size) */
	unsigned bshift;              /* log2(pages per block) */
	uint64_t max_blk;             /* blocks the bitmaps describe (max_mapnr) */
	uint64_t max_pfn;             /* pages: max_blk << bshift */
	uint64_t *rank;               /* set bits of the 2nd bitmap before block k * VS_KD_RANK_BLOCKS */
	uint64_t nrank;
	uint64_t dumpable;            /* set bits of the 2nd bitmap: descriptors in the table */
	uint64_t table_end;           /* end of the descriptor table: where page data starts */
	bool zero_ok;                 /* the data area starts with the shared zero page */
	uint64_t table_in_file;       /* descriptors the file holds */
};

/* Opens vc->fd as a kdump-compressed file (flat: a flattened one); sets up vc's readers. */
struct vs_err *vs_kd_open(struct vs_vmcore *vc, const char *path, bool flat);
void vs_kd_close(struct vs_vmcore *vc);
/* Per-reader state (descriptor read-ahead, bitmap cache, decompressors) for io. */
struct vs_err *vs_kd_reader_new(struct vs_vmcore *vc, struct vs_pageio *io);
void vs_kd_reader_free(struct vs_pageio *io);
/* One page through io: *data points into io's buffer or at buf (decompressed). */
struct vs_err *vs_kd_fetch(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t pfn, uint8_t *buf,
			   const uint8_t **data);
enum vs_page_src vs_kd_page_src(const struct vs_vmcore *vc, uint64_t pfn);
struct vs_err *vs_kd_read_phys(struct vs_vmcore *vc, uint64_t paddr, void *buf, size_t len);
struct vs_err *vs_kd_missing(struct vs_vmcore *vc, uint64_t first, uint64_t end, vs_missing_fn *fn, void *arg);
uint64_t vs_kd_max_pfn(const struct vs_vmcore *vc);
void vs_kd_describe(const struct vs_vmcore *vc, char *buf, size_t len);

#endif
