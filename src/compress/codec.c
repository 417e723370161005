// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/codec.h"

const struct vs_codec_ops *vs_codec_get(enum vs_compress c)
{
	switch (c) {
	case VS_COMPRESS_ZLIB:
		return &vs_codec_zlib;
	case VS_COMPRESS_LZO:
		return &vs_codec_lzo;
	case VS_COMPRESS_SNAPPY:
		return &vs_codec_snappy;
	case VS_COMPRESS_ZSTD:
		return &vs_codec_zstd;
	case VS_COMPRESS_NONE:
		break;
	}
	return 0;
}
