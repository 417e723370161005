// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zlib-format pages (-c).  libdeflate writes standard zlib streams that every
 * reader's uncompress() decodes, several times faster than zlib at level 1,
 * and it can stop early when the output would not fit.
 */
#include <libdeflate.h>

#include "vmsift/codec.h"

static size_t zlib_bound(size_t len)
{
	return len + len / 8 + 64;
}

static struct vs_err *zlib_create(size_t page_size, void **ctx)
{
	(void)page_size;
	*ctx = libdeflate_alloc_compressor(1);
	return *ctx ? 0 : vs_enomem;
}

static size_t zlib_compress(void *ctx, const void *src, size_t len, void *dst)
{
	/* A cap of len - 1 makes libdeflate give up (return 0) when it cannot shrink the page. */
	return libdeflate_zlib_compress(ctx, src, len, dst, len - 1);
}

static void zlib_destroy(void *ctx)
{
	libdeflate_free_compressor(ctx);
}

const struct vs_codec_ops vs_codec_zlib = {
	"zlib", VS_KDUMP_ZLIB, zlib_bound, zlib_create, zlib_compress, zlib_destroy,
};
