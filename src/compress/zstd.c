// SPDX-License-Identifier: GPL-2.0-or-later
/* zstd pages (-z), level 1 like makedumpfile. */
#include <zstd.h>

#include "vmsift/codec.h"

static size_t zstd_bound(size_t len)
{
	return ZSTD_compressBound(len);
}

static struct vs_err *zstd_create(size_t page_size, void **ctx)
{
	(void)page_size;
	*ctx = ZSTD_createCCtx();
	return *ctx ? 0 : vs_enomem;
}

static size_t zstd_do_compress(void *ctx, const void *src, size_t len, void *dst)
{
	/* Capping the output at len - 1 lets zstd fail fast on incompressible pages. */
	size_t r = ZSTD_compressCCtx(ctx, dst, len - 1, src, len, 1);
	return ZSTD_isError(r) ? 0 : r;
}

static void zstd_destroy(void *ctx)
{
	ZSTD_freeCCtx(ctx);
}

const struct vs_codec_ops vs_codec_zstd = {
	"zstd", VS_KDUMP_ZSTD, zstd_bound, zstd_create, zstd_do_compress, zstd_destroy,
};
