// SPDX-License-Identifier: GPL-2.0-or-later
#include "pageio.h"

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
	io->rbuf = malloc(VS_READAHEAD);
	if (!io->rbuf)
		return vs_enomem;
	return NULL;
}

struct vs_err *vs_pageio_init_small(struct vs_pageio *io, int fd, uint64_t file_size, bool use_mmap)
{
	struct vs_err *err = vs_pageio_init(io, fd, file_size, use_mmap, 2u << 20);
	if (!err)
		io->ra_size = 64u << 10;
	return err;
}

static void drop_window(struct vs_pageio *io)
{
	if (io->win) {
		munmap(io->win, io->win_len);
		io->st.munmaps++;
		io->win = NULL;
	}
}

void vs_pageio_fini(struct vs_pageio *io)
{
	drop_window(io);
	free(io->rbuf);
	io->rbuf = NULL;
}

/* Maps a window that covers [off, off+len), stays inside [lo, hi) rounded to host pages. */
static bool map_window(struct vs_pageio *io, uint64_t off, uint64_t len, uint64_t lo, uint64_t hi)
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
	drop_window(io);
	void *m = mmap(NULL, end - start, PROT_READ, MAP_PRIVATE, io->fd, (off_t)start);
	if (m == MAP_FAILED)
		return false;
	madvise(m, end - start, MADV_SEQUENTIAL);
	io->st.mmaps++;
	io->st.bytes_mapped += end - start;
	io->win = m;
	io->win_off = start;
	io->win_len = end - start;
	return true;
}

static struct vs_err *fill_readahead(struct vs_pageio *io, uint64_t off, uint64_t len, uint64_t hi)
{
	uint64_t want = hi - off;
	if (want > io->ra_size)
		want = io->ra_size;
	if (want < len)
		want = len;
	uint64_t got = 0;
	while (got < want) {
		ssize_t n = pread(io->fd, io->rbuf + got, want - got, (off_t)(off + got));
		io->st.preads++;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (got >= len)
				break;  /* keep what lies before a bad spot further ahead */
			io->rbuf_len = 0;
			return vs_err_os(errno, "reading the vmcore at file offset 0x%llx",
					 (unsigned long long)(off + got));
		}
		if (n == 0)
			break;
		got += (uint64_t)n;
	}
	io->rbuf_off = off;
	io->rbuf_len = got;
	if (got < len)
		return vs_err_new(VS_ERR_CORRUPT,
				  "the vmcore ends at file offset 0x%llx, inside data that its program headers describe",
				  (unsigned long long)(off + got));
	return NULL;
}

struct vs_err *vs_pageio_get(struct vs_pageio *io, uint64_t off, uint64_t len,
			     uint64_t lo, uint64_t hi, const uint8_t **p)
{
	if (io->win && off >= io->win_off && off + len <= io->win_off + io->win_len) {
		*p = io->win + (off - io->win_off);
		return NULL;
	}
	if (io->use_mmap && len <= io->win_size) {
		if (map_window(io, off, len, lo, hi)) {
			*p = io->win + (off - io->win_off);
			return NULL;
		}
		io->use_mmap = false;
		io->fell_back = true;
	}
	if (len > VS_READAHEAD)
		return vs_err_new(VS_ERR_INVALID, "read of %llu bytes exceeds the read buffer",
				  (unsigned long long)len);
	if (!(io->rbuf_len && off >= io->rbuf_off && off + len <= io->rbuf_off + io->rbuf_len)) {
		struct vs_err *err = fill_readahead(io, off, len, hi);
		if (err)
			return err;
	}
	*p = io->rbuf + (off - io->rbuf_off);
	return NULL;
}
