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

/*
 * One file of the input: the whole dump, or one piece of a --split set,
 * which holds the descriptors and data of blocks [start_blk, end_blk) only.
 */
struct vs_kdpart {
	int fd;
	bool own_fd;                  /* false for the vmcore's own fd */
	uint64_t file_size;           /* of the encoded file when flattened */
	struct vs_kdump_in *in;
	struct vs_flatmap *flat;      /* a flattened file's record index */
	uint64_t start_blk, end_blk;
	uint64_t rank_base;           /* set bits of the 2nd bitmap before start_blk */
	uint64_t rank_end;            /* ... before end_blk */
	uint64_t dumpable;            /* set bits in [start_blk, end_blk): descriptors in its table */
	uint64_t table_in_file;       /* descriptors the file holds */
	bool zero_ok;                 /* its data area starts with the shared zero page */
};

struct vs_kdsrc {
	struct vs_kdump_in *in;       /* the first part's headers, which every part shares */
	struct vs_flatmap *flat;      /* the first part's, when flattened */
	struct vs_kdpart *parts;      /* sorted by start_blk, not overlapping */
	size_t nparts;
	uint64_t gap_blks;            /* blocks no part covers (a salvaged set with a missing piece) */
	uint64_t gap_first, gap_first_blks;  /* the first such range */
	const char *dropped;          /* salvage: the first piece left out, holding nothing readable */
	char dropped_why[200];
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
	uint64_t dumpable;            /* set bits of the 2nd bitmap: descriptors in all tables */
	uint64_t table_end;           /* end of the descriptor table: where page data starts */
};

/*
 * Opens vc->fd (paths[0]) as a kdump-compressed file (flat: a flattened
 * one), and paths[1..n) as the other pieces of its --split set; sets up vc's
 * readers.  salvage: a set with a missing piece is read with the missing
 * pfns lost instead of refused.
 */
struct vs_err *vs_kd_open(struct vs_vmcore *vc, const char *const *paths, size_t n, bool flat, bool salvage);
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
/* kdset.c: the other pieces opened, checked against the first, sorted and their ranges checked. */
struct vs_err *vs_kd_add_parts(struct vs_kdsrc *kd, const char *const *paths, size_t n, bool salvage);
/* Opens one more piece into p (its own fd; flattened or not, told by content) and checks its header. */
struct vs_err *vs_kd_open_part(struct vs_kdpart *p, const char *path);
/*
 * Salvage: whether err (opening path into p) means the piece holds nothing
 * readable, so it is left out as a missing piece; then p is released, err
 * freed and the first such piece noted.
 */
bool vs_kd_drop_part(struct vs_kdsrc *kd, struct vs_kdpart *p, const char *path, struct vs_err *err);
struct vs_err *vs_kd_check_header(const struct vs_kdump_in *in, const struct vs_flatmap *flat);
struct vs_err *vs_kd_check_tiling(struct vs_kdsrc *kd, bool salvage);
void vs_kd_free_parts(struct vs_kdsrc *kd);
/* Bytes [off, off + len) of bitmap which (1 or 2), each block's bit from the part that holds it. */
struct vs_err *vs_kd_bitmap(const struct vs_kdsrc *kd, int which, uint64_t off, uint8_t *buf, size_t len);
/* The part holding block blk, NULL in a gap; hint: the index of the last one found. */
const struct vs_kdpart *vs_kd_part_of(const struct vs_kdsrc *kd, uint64_t blk, size_t *hint);
uint64_t vs_kd_max_pfn(const struct vs_vmcore *vc);
void vs_kd_describe(const struct vs_vmcore *vc, char *buf, size_t len);

#endif
