// SPDX-License-Identifier: GPL-2.0-or-later
#include "kdcodec.h"

#include <libdeflate.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <stdlib.h>
#include <zstd.h>

#include "vmsift/codec.h"

struct vs_kdcodec {
	struct libdeflate_decompressor *zlib;  /* allocated on first use */
	ZSTD_DCtx *zstd;
};

struct vs_err *vs_kdcodec_new(struct vs_kdcodec **out)
{
	static int lzo_ready;
	if (!lzo_ready) {
		if (lzo_init() != LZO_E_OK)
			return vs_err_new(VS_ERR_NOTSUP, "the LZO library failed to initialise");
		lzo_ready = 1;
	}
	*out = calloc(1, sizeof(**out));
	return *out ? NULL : vs_enomem;
}

void vs_kdcodec_free(struct vs_kdcodec *c)
{
	if (!c)
		return;
	if (c->zlib)
		libdeflate_free_decompressor(c->zlib);
	ZSTD_freeDCtx(c->zstd);
	free(c);
}

static struct vs_err *bad(const char *codec, size_t size)
{
	return vs_err_new(VS_ERR_CORRUPT, "its %zu bytes of %s data do not decompress to one page", size, codec);
}

struct vs_err *vs_kdcodec_decode(struct vs_kdcodec *c, uint32_t flags, const uint8_t *src, size_t size,
				 uint8_t *dst, size_t page_size)
{
	if (flags == VS_KDUMP_ZLIB) {
		if (!c->zlib && !(c->zlib = libdeflate_alloc_decompressor()))
			return vs_enomem;
		size_t got = 0;
		if (libdeflate_zlib_decompress(c->zlib, src, size, dst, page_size, &got) != LIBDEFLATE_SUCCESS ||
		    got != page_size)
			return bad("zlib", size);
		return NULL;
	}
	if (flags == VS_KDUMP_LZO) {
		lzo_uint got = page_size;
		if (lzo1x_decompress_safe(src, size, dst, &got, NULL) != LZO_E_OK || got != page_size)
			return bad("lzo", size);
		return NULL;
	}
	if (flags == VS_KDUMP_SNAPPY) {
		size_t got = 0;
		if (snappy_uncompressed_length((const char *)src, size, &got) != SNAPPY_OK || got != page_size ||
		    snappy_uncompress((const char *)src, size, (char *)dst, &got) != SNAPPY_OK || got != page_size)
			return bad("snappy", size);
		return NULL;
	}
	if (flags == VS_KDUMP_ZSTD) {
		if (!c->zstd && !(c->zstd = ZSTD_createDCtx()))
			return vs_enomem;
		size_t got = ZSTD_decompressDCtx(c->zstd, dst, page_size, src, size);
		if (ZSTD_isError(got) || got != page_size)
			return bad("zstd", size);
		return NULL;
	}
	return vs_err_new(VS_ERR_CORRUPT, "its compression flags 0x%x name no known codec", flags);
}
