// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a dump goes.  Writers address the final file by offset; a file sink
 * pwrite()s, a flattened sink turns each write into a record on a stream
 * (makedumpfile -F), so one writer serves both a seekable file and a pipe.
 */
#ifndef VMSIFT_SINK_H
#define VMSIFT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

struct vs_sink {
	const struct vs_sink_ops *ops;
	int fd;
	bool own_fd;
	bool seekable;      /* false for the flattened stream */
	bool dry_run;       /* count bytes, write nothing */
	uint64_t limit;     /* -L: the file (or the whole stream) stays within this many bytes; 0 = none */
	uint64_t written;   /* payload bytes accepted so far */
	uint64_t stream_bytes; /* flattened stream: bytes sent, its headers included */
	char *path;         /* for messages; NULL for stdout */
};

struct vs_sink_ops {
	/* Writes len bytes at off; *done gets the bytes that landed (all on success). */
	struct vs_err *(*write_at)(struct vs_sink *s, uint64_t off, const void *buf, size_t len,
				   size_t *done);
	/* Preallocates [off, off+len) so later writes there cannot fail for space. */
	void (*reserve)(struct vs_sink *s, uint64_t off, uint64_t len);
	struct vs_err *(*finish)(struct vs_sink *s);
};

/* Creates path (refusing to replace an existing file unless overwrite). */
struct vs_err *vs_sink_open_file(const char *path, bool overwrite, struct vs_sink **out);
/* A flattened stream on fd (not closed); writes the 4096-byte flat header. */
struct vs_err *vs_sink_open_flat(int fd, struct vs_sink **out);
/* Counts bytes only (--dry-run). */
struct vs_err *vs_sink_open_null(struct vs_sink **out);

/* Writes what -L lets through; a write cut by it lands partly and gives VS_ERR_NOSPACE. */
struct vs_err *vs_sink_write(struct vs_sink *s, uint64_t off, const void *buf, size_t len,
			     size_t *done);
/* -L: how many bytes one write at off may still carry (UINT64_MAX without a limit). */
uint64_t vs_sink_room(const struct vs_sink *s, uint64_t off);
/* -L: whether n writes, len[i] bytes at off[i], would all land whole. */
bool vs_sink_fits(const struct vs_sink *s, int n, const uint64_t *off, const uint64_t *len);
/* The VS_ERR_NOSPACE error for a write -L did not let through. */
struct vs_err *vs_sink_limit_reached(const struct vs_sink *s);
void vs_sink_reserve(struct vs_sink *s, uint64_t off, uint64_t len);
struct vs_err *vs_sink_finish(struct vs_sink *s);
/* Whether the sink is a file that holds no byte yet (a run that failed before writing). */
bool vs_sink_file_empty(const struct vs_sink *s);
/* Closes; with discard, also removes the file (interrupted run). */
void vs_sink_close(struct vs_sink *s, bool discard);

/* Flattened-format constants. */
#define VS_FLAT_SIGNATURE "makedumpfile"
#define VS_FLAT_HEADER_SIZE 4096
#define VS_FLAT_TYPE 1
#define VS_FLAT_VERSION 1
#define VS_FLAT_RECORD_HEADER 16

#endif
