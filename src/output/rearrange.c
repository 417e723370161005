// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The flattened stream is a 4096-byte header, then records {be64 offset,
 * be64 size, payload}, ended by {-1, -1}.  Anything else fails at once with a
 * message saying what was found: kdumpctl relies on -R failing cleanly to
 * tell that a raw dump device holds no dump.
 */
#include "vmsift/rearrange.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kdump_layout.h"
#include "vmsift/kdumpin.h"
#include "../util/bytes.h"

#define COPY_CHUNK (1u << 20)

/* Set by the caller's SIGINT/SIGTERM handler (vs_rearrange_stoppable); may stay NULL. */
static const volatile sig_atomic_t *stop_flag;

/* Reads exactly len bytes; *got < len only at end of stream. */
static struct vs_err *read_full(int fd, void *buf, size_t len, size_t *got)
{
	*got = 0;
	while (*got < len) {
		ssize_t n = read(fd, (char *)buf + *got, len - *got);
		if (n < 0 && errno == EINTR && stop_flag && *stop_flag)
			return vs_err_new(VS_ERR_INTR, "interrupted");
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
		/* A cut record still gives its first bytes: the pages they complete are recovered. */
		err = got ? vs_sink_write(sink, off, buf, got, &done) : NULL;
		if (!err && got < want)
			return vs_err_new(VS_ERR_CORRUPT,
					  "the flattened stream ends inside record %llu (for file offset 0x%llx): truncated",
					  (unsigned long long)rec, (unsigned long long)(off + got));
		if (err)
			return err;
		off += want;
		size -= want;
	}
	return NULL;
}

/*
 * A rebuild cut short (full disk, truncated stream) leaves a partial file:
 * make it say so as a direct dump would, with the kdump header's incomplete
 * status bit or the ELF e_flags bit, rather than look complete.
 */
static void mark_incomplete(struct vs_sink *sink)
{
	uint8_t h[VS_DH_STATUS_OFF + 4];
	int rfd = sink->path ? open(sink->path, O_RDONLY | O_CLOEXEC) : -1;
	ssize_t n = rfd >= 0 ? pread(rfd, h, sizeof(h), 0) : -1;
	if (rfd >= 0)
		close(rfd);
	size_t done;
	if (n == (ssize_t)sizeof(h) && memcmp(h, VS_KDUMP_SIGNATURE, 8) == 0) {
		uint8_t v[4];
		bool be = vs_ld32(h + 8, false) > 0xffff && vs_ld32(h + 8, true) <= 0xffff;  /* header_version */
		vs_st32(v, vs_ld32(h + VS_DH_STATUS_OFF, be) | VS_DH_INCOMPLETE, be);
		vs_err_free(sink->ops->write_at(sink, VS_DH_STATUS_OFF, v, 4, &done));
	} else if (n >= 52 && memcmp(h, "\177ELF", 4) == 0 && (h[4] == 1 || h[4] == 2)) {
		size_t at = h[4] == 2 ? 48 : 36;  /* e_flags; bit 0 is DUMP_ELF_INCOMPLETE */
		bool be = h[5] == 2;
		uint8_t v[4];
		uint32_t f = vs_ld32(h + at, be) | 1;
		for (int i = 0; i < 4; i++)
			v[be ? 3 - i : i] = (uint8_t)(f >> (8 * i));
		vs_err_free(sink->ops->write_at(sink, at, v, 4, &done));
	}
}

struct zero_ctx {
	struct vs_sink *sink;
	uint64_t desc_off;
	uint64_t first, n;     /* the run of descriptors to zero */
	struct vs_err *err;
};

static void zero_run(struct zero_ctx *z)
{
	static const uint8_t zeros[24 * 256];
	while (z->n && !z->err) {
		uint64_t k = z->n < 256 ? z->n : 256;
		size_t done;
		z->err = z->sink->ops->write_at(z->sink, z->desc_off + z->first * 24, zeros, (size_t)k * 24, &done);
		z->first += k;
		z->n -= k;
	}
}

static void zero_desc(void *arg, uint64_t index)
{
	struct zero_ctx *z = arg;
	if (z->n && z->first + z->n == index) {
		z->n++;
		return;
	}
	zero_run(z);
	z->first = index;
	z->n = 1;
}

/*
 * A file cut inside its descriptor table ends before the table does; libkdumpfile
 * maps the table and dies of SIGBUS reading past the end.  The rest of the table
 * is made to read as zeros (lost pages), as a hole: it takes no disk space.
 */
static struct vs_err *cover_table(struct vs_sink *sink, uint64_t desc_off, uint64_t pages)
{
	struct stat sb;
	uint64_t end;
	if (sink->fd < 0 || !vs_mul_ok(pages, 24, &end) || !vs_add_ok(end, desc_off, &end) || end > INT64_MAX)
		return NULL;
	if (fstat(sink->fd, &sb) == 0 && (uint64_t)sb.st_size < end && ftruncate(sink->fd, (off_t)end) != 0)
		return vs_err_os(errno, "extending the cut descriptor table to 0x%llx", (unsigned long long)end);
	return NULL;
}

/*
 * A cut kdump file: descriptors whose data never arrived are zeroed (crash
 * and libkdumpfile would otherwise read past the end of the file), and the
 * pages it holds are counted for the message.
 */
static void salvage(struct vs_sink *sink, struct vs_rearrange_stats *st)
{
	struct vs_kdump_in *in = NULL;
	struct vs_err *err = sink->path ? vs_kdump_in_open(sink->path, &in) : NULL;
	if (!err && in) {
		struct zero_ctx z = { .sink = sink, .desc_off = in->desc_off };
		err = vs_kdump_in_recovered(in, &st->pages, &st->pages_recovered, zero_desc, &z);
		zero_run(&z);
		if (!err && !z.err)
			z.err = cover_table(sink, in->desc_off, st->pages);
		st->salvaged = !err;
		if (!err && z.err)  /* the count stands; the lost pages' descriptors could not be cleared */
			err = vs_err_wrap(z.err, "clearing the descriptors of the pages that did not arrive");
		else
			vs_err_free(z.err);
	}
	if (err)
		snprintf(st->salvage_error, sizeof(st->salvage_error), "%s", err->msg);
	vs_err_free(err);
	vs_kdump_in_close(in);
}

struct vs_err *vs_rearrange_stoppable(int fd, struct vs_sink *sink, const volatile sig_atomic_t *stop,
				      struct vs_rearrange_stats *st)
{
	stop_flag = stop;
	struct vs_err *err = vs_rearrange(fd, sink, st);
	stop_flag = NULL;
	return err;
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
		if (stop_flag && *stop_flag) {
			err = vs_err_new(VS_ERR_INTR, "interrupted after %llu records",
					 (unsigned long long)st->records);
			break;
		}
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
	if (err && st->records) {
		mark_incomplete(sink);
		salvage(sink, st);
	}
	return err;
}
