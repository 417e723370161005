// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A flattened dump file (makedumpfile -F, vmsift -F) read in place: its
 * records are indexed by the file offset they stand for, so reads of the
 * dump it encodes go straight to the records' payloads.  The index costs 24
 * bytes per record (makedumpfile writes records of 64 KiB and more, so about
 * 0.04% of the stream); rebuilding a seekable copy as -R does would need as
 * much free disk as the dump itself and a full copy before the first read.
 */
#ifndef VMSIFT_FLATMAP_H
#define VMSIFT_FLATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

struct vs_flat_rec {
	uint64_t off;    /* offset in the encoded file */
	uint64_t size;
	uint64_t pos;    /* where the payload starts in the stream */
};

struct vs_flatmap {
	struct vs_flat_rec *recs;   /* sorted by off, not overlapping */
	size_t n;
	uint64_t size;              /* the encoded file's size: the highest record end */
	uint64_t payload;           /* bytes the records hold */
	bool truncated;             /* the stream stops without its end marker */
	uint64_t cut_at;            /* stream offset where it stops, when truncated */
};

/* True when the first bytes are a flattened header's signature. */
bool vs_flat_signature(const void *head, size_t len);
/* Indexes the stream in fd (stream_size bytes). */
struct vs_err *vs_flatmap_build(int fd, uint64_t stream_size, struct vs_flatmap **out);
void vs_flatmap_free(struct vs_flatmap *fm);
/*
 * Reads len bytes of the encoded file at off: bytes no record covers read as
 * zero (an unwritten part of the file).  Returns how many bytes lie before
 * the encoded file's end (fewer than len at its end), or -1 with errno.
 */
long long vs_flat_pread(const struct vs_flatmap *fm, int fd, void *buf, size_t len, uint64_t off);

#endif
