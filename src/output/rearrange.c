// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The flattened stream is a 4096-byte header, then records {be64 offset,
 * be64 size, payload}, ended by {-1, -1}.  Anything else fails at once with a
 * message saying what was found: kdumpctl relies on -R failing cleanly to
 * tell that a raw dump device holds no dump.
 */
#include "vmsift/rearrange.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COPY_CHUNK (1u << 20)

/* Reads exactly len bytes; *got < len only at end of stream. */
static struct vs_err *read_full(int fd, void *buf, size_t len, size_t *got)
{
	*got = 0;
	while (*got < len) {
		ssize_t n = read(fd, (char *)buf + *got, len - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vs_err_os(errno, "reading the flattened stream");
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return NULL;
}

static int64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

static struct vs_err *check_header(int fd)
{
	uint8_t *h = malloc(VS_FLAT_HEADER_SIZE);
	if (!h)
		return vs_enomem;
	size_t got;
	struct vs_err *err = read_full(fd, h, VS_FLAT_HEADER_SIZE, &got);
	if (!err && got == 0)
		err = vs_err_new(VS_ERR_CORRUPT, "the input is empty: no flattened dump");
	else if (!err && (got < 16 || memcmp(h, VS_FLAT_SIGNATURE, sizeof(VS_FLAT_SIGNATURE)) != 0))
		err = vs_err_new(VS_ERR_CORRUPT, "the input is not a flattened dump (no \"%s\" signature)",
				 VS_FLAT_SIGNATURE);
	else if (!err && got < VS_FLAT_HEADER_SIZE)
		err = vs_err_new(VS_ERR_CORRUPT, "the flattened stream ends inside its %d-byte header",
				 VS_FLAT_HEADER_SIZE);
	else if (!err && (be64(h + 16) != VS_FLAT_TYPE || be64(h + 24) != VS_FLAT_VERSION))
		err = vs_err_new(VS_ERR_NOTSUP, "flattened header type %lld version %lld is not supported",
				 (long long)be64(h + 16), (long long)be64(h + 24));
	free(h);
	return err;
}

static struct vs_err *copy_record(int fd, struct vs_sink *sink, uint64_t off, uint64_t size,
				  uint8_t *buf, uint64_t rec)
{
	while (size) {
		size_t want = size > COPY_CHUNK ? COPY_CHUNK : (size_t)size, got, done;
		struct vs_err *err = read_full(fd, buf, want, &got);
		if (err)
			return err;
		if (got < want)
			return vs_err_new(VS_ERR_CORRUPT,
					  "the flattened stream ends inside record %llu (for file offset 0x%llx): truncated",
					  (unsigned long long)rec, (unsigned long long)(off + got));
		err = vs_sink_write(sink, off, buf, want, &done);
		if (err)
			return err;
		off += want;
		size -= want;
	}
	return NULL;
}

struct vs_err *vs_rearrange(int fd, struct vs_sink *sink, struct vs_rearrange_stats *st)
{
	*st = (struct vs_rearrange_stats){ 0 };
	struct vs_err *err = check_header(fd);
	if (err)
		return err;
	uint8_t *buf = malloc(COPY_CHUNK);
	if (!buf)
		return vs_enomem;
	for (;;) {
		uint8_t rh[16];
		size_t got;
		err = read_full(fd, rh, sizeof(rh), &got);
		if (err)
			break;
		if (got < sizeof(rh)) {
			err = vs_err_new(VS_ERR_CORRUPT,
					 "the flattened stream ends after %llu records without its end marker: truncated",
					 (unsigned long long)st->records);
			break;
		}
		int64_t off = be64(rh), size = be64(rh + 8);
		if (off == -1 && size == -1)
			break;
		if (off < 0 || size <= 0 || (uint64_t)off + (uint64_t)size < (uint64_t)off) {
			err = vs_err_new(VS_ERR_CORRUPT,
					 "flattened record %llu has offset %lld and size %lld: corrupt stream",
					 (unsigned long long)st->records, (long long)off, (long long)size);
			break;
		}
		err = copy_record(fd, sink, (uint64_t)off, (uint64_t)size, buf, st->records);
		if (err)
			break;
		st->records++;
		st->bytes += (uint64_t)size;
	}
	free(buf);
	return err;
}
