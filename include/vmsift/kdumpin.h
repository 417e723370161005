// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading kdump-compressed files: the headers, bitmaps and descriptor table
 * (for --reassemble, and as an input to filter again).  Every header value is
 * checked against the file before use.
 */
#ifndef VMSIFT_KDUMPIN_H
#define VMSIFT_KDUMPIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

struct vs_flatmap;

struct vs_kdump_in {
	int fd;
	bool own_fd;
	const struct vs_flatmap *flat; /* a flattened file, read through its record index */
	char *path;
	uint64_t file_size;
	uint8_t main[464];          /* raw main header */
	uint8_t sub[104];           /* raw sub header */
	uint32_t status, block_size, sub_hdr_blocks, bitmap_blocks, nr_cpus, header_version;
	int32_t dump_level;
	uint64_t max_mapnr, phys_base;
	bool split;
	uint64_t start_pfn, end_pfn;  /* the piece's range; whole machine when not split */
	uint64_t bitmap_len;          /* one bitmap */
	uint64_t bitmap1_off, bitmap2_off, desc_off;
	uint8_t *notes;
	uint64_t notes_size, vmcoreinfo_off, vmcoreinfo_size;  /* vmcoreinfo_off within notes */
	uint64_t zero_page_off;       /* data start: where a shared zero page would be */
	uint8_t *eraseinfo;           /* header version 5+: the erase record (--config) */
	uint64_t eraseinfo_size;
	bool big_endian;              /* headers and descriptors in big-endian (an s390x machine's) */
};

struct vs_kdump_desc {
	uint64_t offset;
	uint32_t size, flags;
};

struct vs_err *vs_kdump_in_open(const char *path, struct vs_kdump_in **out);
/*
 * The same on an open file (not closed by vs_kdump_in_close) of file_size
 * bytes; flat (may be NULL) when the file is flattened.
 */
struct vs_err *vs_kdump_in_open_fd(int fd, const char *path, uint64_t file_size,
				   const struct vs_flatmap *flat, struct vs_kdump_in **out);
void vs_kdump_in_close(struct vs_kdump_in *in);
/* Reads len bytes of bitmap 1 or 2 from byte offset off. */
struct vs_err *vs_kdump_in_bitmap(struct vs_kdump_in *in, int which, uint64_t off, void *buf, size_t len);
/*
 * Whether a descriptor points at page data the file holds: inside the file,
 * at most a block, and a block exactly when stored uncompressed.  The last
 * check also rejects a descriptor cut short (its flags and the high bytes of
 * its size missing), which a stream that stopped mid-table leaves.
 */
bool vs_kdump_desc_holds(const struct vs_kdump_in *in, uint64_t offset, uint32_t size, uint32_t flags);
/* The index-th descriptor of the table; one not at offset 0 must hold a page (vs_kdump_desc_holds). */
struct vs_err *vs_kdump_in_desc(struct vs_kdump_in *in, uint64_t index, struct vs_kdump_desc *d);
/*
 * A cut or incomplete file: *total pages have a bit in the 2nd bitmap, *usable
 * of them a descriptor pointing at data the file holds.  unusable (may be
 * NULL) is told the index of every other descriptor in the file that is not
 * all zero.
 */
typedef void vs_desc_fn(void *arg, uint64_t index);
struct vs_err *vs_kdump_in_recovered(struct vs_kdump_in *in, uint64_t *total, uint64_t *usable,
				     vs_desc_fn *unusable, void *arg);
/* Whether path is one piece of a --split dump (kdump-compressed, seekable or flattened). */
bool vs_kdump_path_is_piece(const char *path);
struct vs_err *vs_kdump_in_read(struct vs_kdump_in *in, uint64_t off, void *buf, size_t len);

#endif
