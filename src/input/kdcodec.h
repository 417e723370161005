// SPDX-License-Identifier: GPL-2.0-or-later
/* Page decompression for kdump-compressed input: one context per reader thread. */
#ifndef VMSIFT_KDCODEC_H
#define VMSIFT_KDCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

struct vs_kdcodec;

struct vs_err *vs_kdcodec_new(struct vs_kdcodec **out);
void vs_kdcodec_free(struct vs_kdcodec *c);
/*
 * Decodes size bytes stored with descriptor flags into exactly page_size
 * bytes at dst.  An error names the codec; the caller adds the pfn.
 */
struct vs_err *vs_kdcodec_decode(struct vs_kdcodec *c, uint32_t flags, const uint8_t *src, size_t size,
				 uint8_t *dst, size_t page_size);

#endif
