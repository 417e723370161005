// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LZO1X pages (-l).  LZO1X-1(11) writes the same LZO1X stream that readers
 * decode with lzo1x_decompress_safe, but hashes into 2048 entries instead of
 * 16384: the library clears that table for every page, and for 4 KiB pages
 * clearing 128 KiB cost more than compressing (callgrind: 54% of all
 * instructions at -l -d 31 on a real vmcore went to that memset).
 */
#include <lzo/lzo1x.h>
#include <stdlib.h>

#include "vmsift/codec.h"

static size_t lzo_bound(size_t len)
{
	return len + len / 16 + 64 + 3;
}

static struct vs_err *lzo_create(size_t page_size, void **ctx)
{
	(void)page_size;
	static int initialised;
	if (!initialised) {
		if (lzo_init() != LZO_E_OK)
			return vs_err_new(VS_ERR_NOTSUP, "the LZO library failed to initialise");
		initialised = 1;
	}
	*ctx = malloc(LZO1X_1_11_MEM_COMPRESS);
	return *ctx ? 0 : vs_enomem;
}

static size_t lzo_compress(void *ctx, const void *src, size_t len, void *dst)
{
	lzo_uint out = 0;
	if (lzo1x_1_11_compress(src, len, dst, &out, ctx) != LZO_E_OK || out >= len)
		return 0;
	return out;
}

static void lzo_destroy(void *ctx)
{
	free(ctx);
}

const struct vs_codec_ops vs_codec_lzo = {
	"lzo", VS_KDUMP_LZO, lzo_bound, lzo_create, lzo_compress, lzo_destroy,
};
