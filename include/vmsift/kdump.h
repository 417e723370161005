// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writer of the kdump-compressed format (header version 6), as makedumpfile
 * writes it: see docs/format.md.  The caller supplies the number of dumpable
 * pages up front (the descriptor table precedes the data), then the bitmaps,
 * then every dumpable page in ascending pfn order.
 */
#ifndef VMSIFT_KDUMP_H
#define VMSIFT_KDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/codec.h"
#include "vmsift/error.h"
#include "vmsift/sink.h"

#define VS_KDUMP_SIGNATURE "KDUMP   "
#define VS_KDUMP_HEADER_VERSION 6
#define VS_UTSNAME_LEN 65
#define VS_DH_INCOMPLETE 0x08u
#define VS_DH_EXCLUDED_VMEMMAP 0x10u

struct vs_utsname {
	char sysname[VS_UTSNAME_LEN], nodename[VS_UTSNAME_LEN], release[VS_UTSNAME_LEN];
	char version[VS_UTSNAME_LEN], machine[VS_UTSNAME_LEN], domainname[VS_UTSNAME_LEN];
};

struct vs_kdump_params {
	struct vs_utsname uts;
	int64_t crashtime;
	unsigned page_shift;
	uint64_t max_mapnr;
	unsigned nr_cpus;
	uint64_t phys_base;
	int dump_level;
	const uint8_t *notes;         /* copied verbatim; may be NULL */
	size_t notes_size;
	bool has_vmcoreinfo;
	size_t vmcoreinfo_offset;     /* of the text, within notes */
	size_t vmcoreinfo_size;
	uint64_t num_dumpable;        /* set bits of the 2nd bitmap */
	bool share_zero_page;         /* -d 1: zero pages point at one stored page */
	bool excluded_vmemmap;        /* -e */
	const struct vs_codec_ops *codec; /* NULL = store raw */
	uint32_t extra_status;        /* ORed into the header status (--reassemble keeps the pieces' bits) */
	/* --split: this file holds the pages of [start_pfn, end_pfn) only, piece_pages of them */
	bool split;
	uint64_t start_pfn, end_pfn, piece_pages;
	/* Set by vs_kdump_eraseinfo: where the erase record landed. */
	uint64_t eraseinfo_offset, eraseinfo_size;
	bool big_endian;              /* the dumped machine's byte order: headers and descriptors */
};

struct vs_kdump_writer;

struct vs_err *vs_kdump_start(struct vs_sink *sink, const struct vs_kdump_params *p,
			      struct vs_kdump_writer **out);
/* Writes bytes [byte_off, byte_off + len) of the 1st and 2nd bitmaps. */
struct vs_err *vs_kdump_write_bitmaps(struct vs_kdump_writer *w, uint64_t byte_off,
				      const uint8_t *bm1, const uint8_t *bm2, size_t len);

/* A page ready for the file: already compressed (or raw), as workers produce it. */
struct vs_kdump_page {
	const uint8_t *data;
	uint32_t size;
	uint32_t flags;   /* codec flag, 0 = raw */
	bool zero;        /* all-zero page (only used with share_zero_page) */
};

/* Compresses and appends one page (serial path). */
struct vs_err *vs_kdump_put_page(struct vs_kdump_writer *w, uint64_t pfn, const uint8_t *data);
/* Appends a page a worker has already prepared (NULL for a page written first). */
struct vs_err *vs_kdump_put_prepared(struct vs_kdump_writer *w, uint64_t pfn,
				     const struct vs_kdump_page *pg);
/*
 * Startup pages first (src/engine/early.h): after the bitmaps' places are
 * reserved and before the first vs_kdump_put_page, early_begin says how many
 * pages come first, put_early writes each (in ascending pfn order, with its
 * index in the descriptor table), and early_done writes their descriptors.
 * When the ordinary pass reaches such a pfn, vs_kdump_put_prepared (pg may
 * be NULL) reuses the descriptor instead of writing the page again.
 */
struct vs_err *vs_kdump_early_begin(struct vs_kdump_writer *w, size_t n);
struct vs_err *vs_kdump_put_early(struct vs_kdump_writer *w, uint64_t pfn, uint64_t index, const uint8_t *data);
/* The same for a page a worker has already prepared. */
struct vs_err *vs_kdump_put_early_prepared(struct vs_kdump_writer *w, uint64_t pfn, uint64_t index,
					   const struct vs_kdump_page *pg);
struct vs_err *vs_kdump_early_done(struct vs_kdump_writer *w);
/*
 * --config: the erase record, written after the last page's data, with its
 * place in the sub-header (written again; a flattened stream re-sends it).
 * Call after the last page, before vs_kdump_finish.
 */
struct vs_err *vs_kdump_eraseinfo(struct vs_kdump_writer *w, const char *text, size_t len);
/* Flushes everything and ends the stream. */
struct vs_err *vs_kdump_finish(struct vs_kdump_writer *w);
/* Sets DUMP_DH_COMPRESSED_INCOMPLETE in the header (seekable sinks only). */
struct vs_err *vs_kdump_mark_incomplete(struct vs_kdump_writer *w);
void vs_kdump_free(struct vs_kdump_writer *w);

struct vs_kdump_counts {
	uint64_t pages;       /* descriptors written */
	uint64_t zero_pages;  /* of which shared zero */
	uint64_t raw_pages;
	uint64_t data_bytes;
	uint64_t first_pages;  /* written first (vs_kdump_put_early) */
	uint64_t first_end;    /* the file offset where their data ends */
};
void vs_kdump_counts(const struct vs_kdump_writer *w, struct vs_kdump_counts *c);

/* Prepares a page (zero check, compression) into out, using buf of codec bound size. */
void vs_kdump_prepare(const struct vs_codec_ops *codec, void *cctx, bool share_zero,
		      const uint8_t *data, size_t page_size, uint8_t *buf,
		      struct vs_kdump_page *out);

bool vs_page_is_zero(const uint8_t *p, size_t len);

#endif
