// SPDX-License-Identifier: GPL-2.0-or-later
/* snappy pages (-p). */
#include <snappy-c.h>

#include "vmsift/codec.h"

static size_t snappy_bound(size_t len)
{
	return snappy_max_compressed_length(len);
}

static struct vs_err *snappy_create(size_t page_size, void **ctx)
{
	(void)page_size;
	*ctx = (void *)1;  /* stateless */
	return 0;
}

static size_t snappy_do_compress(void *ctx, const void *src, size_t len, void *dst)
{
	(void)ctx;
	size_t out = snappy_max_compressed_length(len);
	if (snappy_compress(src, len, dst, &out) != SNAPPY_OK || out >= len)
		return 0;
	return out;
}

static void snappy_destroy(void *ctx)
{
	(void)ctx;
}

const struct vs_codec_ops vs_codec_snappy = {
	"snappy", VS_KDUMP_SNAPPY, snappy_bound, snappy_create, snappy_do_compress, snappy_destroy,
};
