// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-page compression behind one small interface.  A context belongs to one
 * thread; create one per worker.
 */
#ifndef VMSIFT_CODEC_H
#define VMSIFT_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

enum vs_compress { VS_COMPRESS_NONE, VS_COMPRESS_ZLIB, VS_COMPRESS_LZO, VS_COMPRESS_SNAPPY, VS_COMPRESS_ZSTD };

/* Descriptor flags and header status bits of the kdump format. */
#define VS_KDUMP_ZLIB   0x01u
#define VS_KDUMP_LZO    0x02u
#define VS_KDUMP_SNAPPY 0x04u
#define VS_KDUMP_ZSTD   0x20u

struct vs_codec_ops {
	const char *name;
	uint32_t flag;
	/* Bytes of output buffer compress() needs for an input of len bytes. */
	size_t (*bound)(size_t len);
	struct vs_err *(*create)(size_t page_size, void **ctx);
	/*
	 * Compresses len bytes into dst (bound(len) bytes).  Returns the
	 * compressed size, or 0 when the result would not be smaller than the
	 * input (the page is then stored raw, as makedumpfile does).
	 */
	size_t (*compress)(void *ctx, const void *src, size_t len, void *dst);
	void (*destroy)(void *ctx);
};

/* NULL for VS_COMPRESS_NONE. */
const struct vs_codec_ops *vs_codec_get(enum vs_compress c);

extern const struct vs_codec_ops vs_codec_zlib, vs_codec_lzo, vs_codec_snappy, vs_codec_zstd;

#endif
