// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes all of buf to fd (stream semantics), retrying on EINTR and short writes. */
static struct vs_err *vs_write_all(int fd, const void *buf, size_t len, size_t *done)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = write(fd, (const char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*done = got;
			return vs_err_os(errno, "writing the dump");
		}
		got += (size_t)n;
	}
	*done = got;
	return NULL;
}

static struct vs_err *file_write_at(struct vs_sink *s, uint64_t off, const void *buf,
				    size_t len, size_t *done)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pwrite(s->fd, (const char *)buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*done = got;
			return vs_err_os(n < 0 ? errno : ENOSPC, "writing %s at offset 0x%llx", s->path,
					 (unsigned long long)(off + got));
		}
		got += (size_t)n;
	}
	*done = got;
	return NULL;
}

static void file_reserve(struct vs_sink *s, uint64_t off, uint64_t len)
{
	if (len)
		(void)fallocate(s->fd, 0, (off_t)off, (off_t)len);  /* best effort */
}

static struct vs_err *file_finish(struct vs_sink *s)
{
	(void)s;
	return NULL;
}

static const struct vs_sink_ops file_ops = { file_write_at, file_reserve, file_finish };

static struct vs_err *put_be64(uint8_t *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	for (int i = 7; i >= 0; i--, u >>= 8)
		p[i] = (uint8_t)u;
	return NULL;
}

static struct vs_err *flat_write_at(struct vs_sink *s, uint64_t off, const void *buf, size_t len,
				    size_t *done)
{
	uint8_t hdr[16];
	put_be64(hdr, (int64_t)off);
	put_be64(hdr + 8, (int64_t)len);
	size_t n;
	*done = 0;
	struct vs_err *err = vs_write_all(s->fd, hdr, sizeof(hdr), &n);
	s->stream_bytes += n;
	if (!err)
		err = vs_write_all(s->fd, buf, len, done);
	s->stream_bytes += *done;
	return err;
}

static void flat_reserve(struct vs_sink *s, uint64_t off, uint64_t len)
{
	(void)s, (void)off, (void)len;
}

static struct vs_err *flat_finish(struct vs_sink *s)
{
	uint8_t end[16];
	put_be64(end, -1);
	put_be64(end + 8, -1);
	size_t n = 0;
	struct vs_err *err = vs_write_all(s->fd, end, sizeof(end), &n);
	s->stream_bytes += n;  /* the end marker is part of what was sent */
	return err;
}

static const struct vs_sink_ops flat_ops = { flat_write_at, flat_reserve, flat_finish };

static struct vs_err *null_write_at(struct vs_sink *s, uint64_t off, const void *buf, size_t len,
				    size_t *done)
{
	(void)s, (void)off, (void)buf;
	*done = len;
	return NULL;
}

static const struct vs_sink_ops null_ops = { null_write_at, flat_reserve, file_finish };

struct vs_err *vs_sink_open_file(const char *path, bool overwrite, struct vs_sink **out)
{
	struct vs_sink *s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return vs_enomem;
	}
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
	s->fd = open(path, flags, 0600);
	if (s->fd < 0) {
		int e = errno;
		free(s->path);
		free(s);
		if (e == EEXIST)
			return vs_err_new(VS_ERR_INVALID, "the dump file %s already exists (use -f to overwrite it)", path);
		return vs_err_os(e, "cannot create the dump file %s", path);
	}
	s->ops = &file_ops;
	s->own_fd = true;
	s->seekable = true;
	*out = s;
	return NULL;
}

struct vs_err *vs_sink_open_flat(int fd, struct vs_sink **out)
{
	struct vs_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return vs_enomem;
	s->ops = &flat_ops;
	s->fd = fd;
	uint8_t hdr[VS_FLAT_HEADER_SIZE] = { 0 };
	memcpy(hdr, VS_FLAT_SIGNATURE, strlen(VS_FLAT_SIGNATURE));
	put_be64(hdr + 16, VS_FLAT_TYPE);
	put_be64(hdr + 24, VS_FLAT_VERSION);
	size_t n;
	struct vs_err *err = vs_write_all(fd, hdr, sizeof(hdr), &n);
	if (err) {
		free(s);
		return vs_err_wrap(err, "standard output");
	}
	s->stream_bytes = n;
	*out = s;
	return NULL;
}

struct vs_err *vs_sink_open_null(struct vs_sink **out)
{
	struct vs_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return vs_enomem;
	s->ops = &null_ops;
	s->fd = -1;
	s->seekable = true;
	s->dry_run = true;
	*out = s;
	return NULL;
}

/*
 * -L bounds the size of what reaches the disk: for a file, the end offset of
 * every write (the file never grows past the limit, wherever a write lands);
 * for a flattened stream, every byte sent, record headers included.
 */
uint64_t vs_sink_room(const struct vs_sink *s, uint64_t off)
{
	if (!s->limit)
		return UINT64_MAX;
	if (s->seekable)
		return off < s->limit ? s->limit - off : 0;
	/* room is kept for this record's header and for the end marker */
	uint64_t used = s->stream_bytes + 2 * VS_FLAT_RECORD_HEADER;
	return used < s->limit ? s->limit - used : 0;
}

bool vs_sink_fits(const struct vs_sink *s, int n, const uint64_t *off, const uint64_t *len)
{
	if (!s->limit)
		return true;
	uint64_t stream = s->stream_bytes + VS_FLAT_RECORD_HEADER;  /* the end marker */
	for (int i = 0; i < n; i++) {
		if (!len[i])
			continue;
		if (s->seekable && (off[i] > s->limit || len[i] > s->limit - off[i]))
			return false;
		stream += VS_FLAT_RECORD_HEADER + len[i];
		if (!s->seekable && stream > s->limit)
			return false;
	}
	return true;
}

struct vs_err *vs_sink_write(struct vs_sink *s, uint64_t off, const void *buf, size_t len,
			     size_t *done)
{
	uint64_t room = vs_sink_room(s, off);
	size_t allowed = len < room ? len : (size_t)room;
	size_t got = 0;
	struct vs_err *err = allowed ? s->ops->write_at(s, off, buf, allowed, &got) : NULL;
	s->written += got;
	*done = got;
	if (!err && allowed < len)
		err = vs_sink_limit_reached(s);
	return err;
}

struct vs_err *vs_sink_limit_reached(const struct vs_sink *s)
{
	return vs_err_new(VS_ERR_NOSPACE, "the dump reached the size limit of %llu bytes (-L)",
			  (unsigned long long)s->limit);
}

void vs_sink_reserve(struct vs_sink *s, uint64_t off, uint64_t len)
{
	uint64_t room = vs_sink_room(s, off);
	s->ops->reserve(s, off, len < room ? len : room);
}

struct vs_err *vs_sink_finish(struct vs_sink *s)
{
	return s->ops->finish(s);
}

bool vs_sink_file_empty(const struct vs_sink *s)
{
	struct stat sb;
	return s && s->path && s->fd >= 0 && fstat(s->fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0;
}

void vs_sink_close(struct vs_sink *s, bool discard)
{
	if (!s)
		return;
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	if (discard && s->path)
		unlink(s->path);
	free(s->path);
	free(s);
}
