// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Byte access to the input file through large mmap windows, with a pread()
 * fallback.  Windows are bounded (default 64 MiB): for /proc/vmcore the
 * kernel builds the page tables of the whole window at mmap time, and the
 * capture kernel has little memory to spare for them.
 */
#ifndef VMSIFT_PAGEIO_H
#define VMSIFT_PAGEIO_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/vmcore.h"

/*
 * 256 MiB: for /proc/vmcore the kernel fills a window's page tables at mmap
 * time (512 KiB for this size, one window at a time), and larger windows
 * mean fewer mmap/munmap calls when kept pages are spread over all memory.
 */
#define VS_DEFAULT_WINDOW (256ull << 20)
#define VS_READAHEAD      (1u << 20)
#define VS_MAX_WINDOWS    4

struct vs_flatmap;

struct vs_pageio {
	int fd;
	const struct vs_flatmap *flat;  /* a flattened file: reads go through its record index */
	void *reader;                   /* the input format's per-reader state (kdump input) */
	uint64_t file_size;
	bool use_mmap;
	bool fell_back;
	uint64_t win_size;
	/*
	 * Mapped windows, least recently used replaced first: one for bulk
	 * reads, which move forward; a few for scattered metadata reads, which
	 * alternate between page tables in different places.
	 */
	struct vs_window {
		uint8_t *p;    /* NULL when free */
		uint64_t off, len, used;
	} wins[VS_MAX_WINDOWS];
	unsigned nwin;
	uint64_t tick;
	/*
	 * Without mmap: read-ahead buffers, least recently used refilled first
	 * (nwin of them, like the windows: scattered metadata reads alternate
	 * between page tables in a few places).  Allocated on first use.
	 */
	struct vs_rbuf {
		uint8_t *p;
		uint64_t cap, off, len, used;
	} rbufs[VS_MAX_WINDOWS];
	uint64_t ra_size;      /* read-ahead size */
	uint64_t ra_next;      /* bytes the caller will read in order from the next fill (0: unknown) */
	bool sparse;           /* scattered access: no read-around, small read-ahead */
	struct vs_io_stats st;
};

struct vs_err *vs_pageio_init(struct vs_pageio *io, int fd, uint64_t file_size,
			      bool use_mmap, uint64_t win_size);
/*
 * Sparse access: pages far apart (a -d 31 dump of an idle machine).  Reading
 * around them then only pulls in memory that is not dumped (and on a sparse
 * saved core makes the kernel zero-fill page cache for holes).
 */
void vs_pageio_set_sparse(struct vs_pageio *io, bool sparse);
/*
 * The caller will read the next bytes bytes in order (a run of kept pages),
 * so the next read-ahead fill reads exactly that (up to VS_READAHEAD): not
 * the excluded pages around the run, nor pages another thread will read.
 */
void vs_pageio_expect(struct vs_pageio *io, uint64_t bytes);
/* A reader for small scattered reads (page tables, mem_section): small window and read-ahead. */
struct vs_err *vs_pageio_init_small(struct vs_pageio *io, int fd, uint64_t file_size, bool use_mmap);
void vs_pageio_fini(struct vs_pageio *io);
/* Reads another file from now on (the next piece of a --split set): what was read of the last is dropped. */
void vs_pageio_retarget(struct vs_pageio *io, int fd, const struct vs_flatmap *flat, uint64_t file_size);

/* True when [off, off+len) lies in a mapped window: reading it maps nothing. */
bool vs_pageio_mapped(const struct vs_pageio *io, uint64_t off, uint64_t len);
/* True when ptr points into a mapped window (not the read-ahead buffer). */
bool vs_pageio_owns(const struct vs_pageio *io, const void *ptr);

/*
 * Returns in *p a pointer to len bytes at file offset off.  [lo, hi) is the
 * file range the caller allows to be mapped or read ahead (the enclosing
 * segment); it must contain [off, off + len).
 */
struct vs_err *vs_pageio_get(struct vs_pageio *io, uint64_t off, uint64_t len,
			     uint64_t lo, uint64_t hi, const uint8_t **p);

#endif
