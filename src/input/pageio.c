// SPDX-License-Identifier: GPL-2.0-or-later
#include "pageio.h"

#include "flatmap.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t host_page(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	return ps > 0 ? (uint64_t)ps : 4096;
}

struct vs_err *vs_pageio_init(struct vs_pageio *io, int fd, uint64_t file_size,
			      bool use_mmap, uint64_t win_size)
{
	*io = (struct vs_pageio){ .fd = fd, .file_size = file_size, .use_mmap = use_mmap };
	uint64_t hp = host_page();
	if (!win_size)
		win_size = VS_DEFAULT_WINDOW;
	io->win_size = (win_size + hp - 1) & ~(hp - 1);
	io->ra_size = VS_READAHEAD;
	io->nwin = 1;
	return NULL;
}

struct vs_err *vs_pageio_init_small(struct vs_pageio *io, int fd, uint64_t file_size, bool use_mmap)
{
	struct vs_err *err = vs_pageio_init(io, fd, file_size, use_mmap, 2u << 20);
	if (!err) {
		io->ra_size = 64u << 10;
		io->nwin = VS_MAX_WINDOWS;
	}
	return err;
}

static void drop_window(struct vs_pageio *io, struct vs_window *w)
{
	if (w->p) {
		munmap(w->p, w->len);
		io->st.munmaps++;
		w->p = NULL;
	}
}

void vs_pageio_fini(struct vs_pageio *io)
{
	for (unsigned i = 0; i < VS_MAX_WINDOWS; i++)
		drop_window(io, &io->wins[i]);
	for (unsigned i = 0; i < VS_MAX_WINDOWS; i++) {
		free(io->rbufs[i].p);
		io->rbufs[i] = (struct vs_rbuf){ 0 };
	}
}

/* Maps a window that covers [off, off+len), stays inside [lo, hi) rounded to host pages. */
void vs_pageio_retarget(struct vs_pageio *io, int fd, const struct vs_flatmap *flat, uint64_t file_size)
{
	for (unsigned i = 0; i < VS_MAX_WINDOWS; i++) {
		drop_window(io, &io->wins[i]);
		io->rbufs[i].len = 0;
	}
	io->fd = fd;
	io->flat = flat;
	io->file_size = file_size;
}

static const struct vs_window *map_window(struct vs_pageio *io, uint64_t off, uint64_t len, uint64_t lo,
					  uint64_t hi)
{
	uint64_t hp = host_page();
	uint64_t lo_al = lo & ~(hp - 1);
	uint64_t start = off & ~(io->win_size - 1);
	if (start < lo_al)
		start = lo_al;
	if (off - start + len > io->win_size)
		start = off & ~(hp - 1);
	uint64_t end = start + io->win_size;
	uint64_t hi_al = (hi + hp - 1) & ~(hp - 1);
	if (end > hi_al)
		end = hi_al;
	if (end < off + len)
		end = (off + len + hp - 1) & ~(hp - 1);
	struct vs_window *w = &io->wins[0];
	for (unsigned i = 1; i < io->nwin; i++)
		if (!io->wins[i].p || io->wins[i].used < w->used)
			w = &io->wins[i];
	drop_window(io, w);
	void *m = mmap(NULL, end - start, PROT_READ, MAP_PRIVATE, io->fd, (off_t)start);
	if (m == MAP_FAILED)
		return NULL;
	madvise(m, end - start, io->sparse ? MADV_RANDOM : MADV_SEQUENTIAL);
	io->st.mmaps++;
	io->st.bytes_mapped += end - start;
	*w = (struct vs_window){ m, start, end - start, ++io->tick };
	return w;
}

bool vs_pageio_mapped(const struct vs_pageio *io, uint64_t off, uint64_t len)
{
	for (unsigned i = 0; i < io->nwin; i++) {
		const struct vs_window *w = &io->wins[i];
		if (w->p && off >= w->off && off + len <= w->off + w->len)
			return true;
	}
	return false;
}

bool vs_pageio_owns(const struct vs_pageio *io, const void *ptr)
{
	const uint8_t *b = ptr;
	for (unsigned i = 0; i < io->nwin; i++) {
		const struct vs_window *w = &io->wins[i];
		if (w->p && b >= w->p && b < w->p + w->len)
			return true;
	}
	return false;
}

static const struct vs_window *find_window(struct vs_pageio *io, uint64_t off, uint64_t len)
{
	for (unsigned i = 0; i < io->nwin; i++) {
		struct vs_window *w = &io->wins[i];
		if (w->p && off >= w->off && off + len <= w->off + w->len) {
			w->used = ++io->tick;
			return w;
		}
	}
	return NULL;
}

static const uint8_t *find_buffered(struct vs_pageio *io, uint64_t off, uint64_t len)
{
	for (unsigned i = 0; i < io->nwin; i++) {
		struct vs_rbuf *b = &io->rbufs[i];
		if (b->len && off >= b->off && off + len <= b->off + b->len) {
			b->used = ++io->tick;
			return b->p + (off - b->off);
		}
	}
	return NULL;
}

/* The buffer to refill (least recently used), holding at least want bytes. */
static struct vs_rbuf *refill_buffer(struct vs_pageio *io, uint64_t want)
{
	struct vs_rbuf *b = &io->rbufs[0];
	for (unsigned i = 1; i < io->nwin; i++)
		if (io->rbufs[i].used < b->used)
			b = &io->rbufs[i];
	b->len = 0;
	if (b->cap < want) {
		/* Exactly what is asked: a pool worker's reads are at most one batch. */
		uint64_t cap = want;
		uint8_t *p = realloc(b->p, cap);
		if (!p)
			return NULL;
		b->p = p;
		b->cap = cap;
	}
	b->used = ++io->tick;
	return b;
}

static struct vs_err *fill_readahead(struct vs_pageio *io, uint64_t off, uint64_t len, uint64_t hi,
				     const uint8_t **p)
{
	uint64_t want = hi - off, ra = io->ra_next ? io->ra_next : io->ra_size;
	io->ra_next = 0;
	if (want > ra)
		want = ra;
	if (want < len)
		want = len;
	struct vs_rbuf *b = refill_buffer(io, want);
	if (!b)
		return vs_enomem;
	uint64_t got = 0;
	while (got < want) {
		ssize_t n = io->flat ? (ssize_t)vs_flat_pread(io->flat, io->fd, b->p + got, want - got, off + got)
				     : pread(io->fd, b->p + got, want - got, (off_t)(off + got));
		io->st.preads++;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (got >= len)
				break;  /* keep what lies before a bad spot further ahead */
			return vs_err_os(errno, "reading the vmcore at file offset 0x%llx",
					 (unsigned long long)(off + got));
		}
		if (n == 0)
			break;
		got += (uint64_t)n;
	}
	if (got < len)
		return vs_err_new(VS_ERR_CORRUPT,
				  "the vmcore ends at file offset 0x%llx, inside data that its program headers describe",
				  (unsigned long long)(off + got));
	b->off = off;
	b->len = got;
	*p = b->p;
	return NULL;
}

struct vs_err *vs_pageio_get(struct vs_pageio *io, uint64_t off, uint64_t len,
			     uint64_t lo, uint64_t hi, const uint8_t **p)
{
	const struct vs_window *w = find_window(io, off, len);
	if (w) {
		*p = w->p + (off - w->off);
		return NULL;
	}
	if (io->use_mmap && len <= io->win_size) {
		if ((w = map_window(io, off, len, lo, hi))) {
			*p = w->p + (off - w->off);
			return NULL;
		}
		io->use_mmap = false;
		io->fell_back = true;
	}
	if (len > VS_READAHEAD)
		return vs_err_new(VS_ERR_INVALID, "read of %llu bytes exceeds the read buffer",
				  (unsigned long long)len);
	if ((*p = find_buffered(io, off, len)))
		return NULL;
	return fill_readahead(io, off, len, hi, p);
}

void vs_pageio_set_sparse(struct vs_pageio *io, bool sparse)
{
	io->sparse = sparse;
	io->ra_size = sparse ? 16u << 10 : VS_READAHEAD;
	io->ra_next = 0;
	for (unsigned i = 0; i < VS_MAX_WINDOWS; i++)
		io->rbufs[i].len = 0;
}

void vs_pageio_expect(struct vs_pageio *io, uint64_t bytes)
{
	io->ra_next = bytes < VS_READAHEAD ? bytes : VS_READAHEAD;
}
