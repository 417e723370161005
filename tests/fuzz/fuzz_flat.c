// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -R: the flattened-stream reader, fed the input as its standard input, and
 * replaying records into a sink that only checks where they land.
 */
#include <errno.h>

#include "fuzzutil.h"
#include "vmsift/rearrange.h"
#include "vmsift/sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Records may address any offset: like a file sink, refuse what no file can hold. */
static struct vs_err *check_write(struct vs_sink *s, uint64_t off, const void *buf, size_t len,
				  size_t *done)
{
	(void)s;
	*done = 0;
	if (!buf || off > INT64_MAX || len > INT64_MAX - off)
		return vs_err_os(EFBIG, "writing at offset 0x%llx", (unsigned long long)off);
	const volatile uint8_t *p = buf;  /* every byte handed over must be readable */
	for (size_t i = 0; i < len; i += 512)
		(void)p[i];
	if (len)
		(void)p[len - 1];
	*done = len;
	return NULL;
}

static void no_reserve(struct vs_sink *s, uint64_t off, uint64_t len)
{
	(void)s, (void)off, (void)len;
}

static struct vs_err *no_finish(struct vs_sink *s)
{
	(void)s;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vs_sink_ops ops = { check_write, no_reserve, no_finish };
	fz_file(data, size);
	struct vs_sink sink = { .ops = &ops, .fd = -1, .seekable = true };
	struct vs_rearrange_stats st;
	vs_err_free(vs_rearrange(fz_fd(), &sink, &st));
	return 0;
}
