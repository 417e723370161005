// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The input dump, whatever its format: told by content, then opened by the
 * format's backend (elf.c, kdsrc_open.c); the readers and their statistics
 * are shared by all formats.
 */
#include "vmsift/vmcore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "elf_priv.h"
#include "flatmap.h"
#include "kdsrc.h"
#include "pageio.h"

static struct vs_err *read_head(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vs_err_os(errno, "reading the file header");
		if (n == 0)
			return vs_err_new(VS_ERR_CORRUPT, "the file shrank while its header was read");
		got += (size_t)n;
	}
	return NULL;
}

/* The format is told by content: the first bytes of an ELF, kdump or flattened file. */
static struct vs_err *open_format(struct vs_vmcore *vc, const char *const *paths, size_t n,
				  const struct vs_vmcore_opts *opts)
{
	const char *path = paths[0];
	uint8_t head[16] = { 0 };
	size_t len = vc->file_size < sizeof(head) ? (size_t)vc->file_size : sizeof(head);
	bool salvage = opts && opts->salvage;
	if (!len && salvage && n > 1)  /* an empty first piece: left out as a missing one */
		return vs_kd_open(vc, paths, n, false, true);
	if (!len)
		return vs_err_new(VS_ERR_CORRUPT, "%s is empty: no dump", path);
	struct vs_err *err = read_head(vc->fd, head, len);
	if (!err && len >= 8 && memcmp(head, "KDUMP   ", 8) == 0)
		return vs_kd_open(vc, paths, n, false, salvage);
	if (!err && vs_flat_signature(head, len))
		return vs_kd_open(vc, paths, n, true, salvage);
	if (!err && n > 1 && salvage)  /* a first piece without a header is left out, as a missing one */
		return vs_kd_open(vc, paths, n, false, true);
	if (!err && n > 1)
		return vs_err_new(VS_ERR_INVALID,
				  "%s is not a kdump-compressed file: several inputs must be the pieces of one --split dump",
				  path);
	return err ? err : vs_elf_open(vc, opts);
}

struct vs_err *vs_vmcore_open(const char *path, const struct vs_vmcore_opts *opts,
			      struct vs_vmcore **out)
{
	return vs_vmcore_open_set(&path, 1, opts, out);
}

struct vs_err *vs_vmcore_open_set(const char *const *paths, size_t n, const struct vs_vmcore_opts *opts,
				  struct vs_vmcore **out)
{
	const char *path = paths[0];
	struct vs_vmcore *vc = calloc(1, sizeof(*vc));
	if (!vc)
		return vs_enomem;
	vc->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (vc->fd < 0) {
		int e = errno;
		free(vc);
		return vs_err_os(e, "cannot open the vmcore %s", path);
	}
	struct stat st;
	struct vs_err *err = NULL;
	if (fstat(vc->fd, &st) < 0)
		err = vs_err_os(errno, "cannot stat %s", path);
	else if (!S_ISREG(st.st_mode))
		err = vs_err_new(VS_ERR_INVALID, "%s is not a regular file", path);
	vc->file_size = err ? 0 : (uint64_t)st.st_size;
	vc->input_dump_level = -1;
	if (!err)
		err = open_format(vc, paths, n, opts);
	if (err) {
		vs_vmcore_close(vc);
		return err;
	}
	*out = vc;
	return NULL;
}

void vs_vmcore_close(struct vs_vmcore *vc)
{
	if (!vc)
		return;
	void (*reader_free)(struct vs_pageio *) = vc->ops ? vc->ops->reader_free : NULL;
	if (vc->io) {
		if (reader_free)
			reader_free(vc->io);
		vs_pageio_fini(vc->io);
		free(vc->io);
	}
	if (vc->meta) {
		if (reader_free)
			reader_free(vc->meta);
		vs_pageio_fini(vc->meta);
		free(vc->meta);
	}
	if (vc->ops && vc->ops->close)
		vc->ops->close(vc);
	if (vc->fd >= 0)
		close(vc->fd);
	free(vc->loads);
	free(vc->pieces);
	free(vc->notes);
	free(vc->eraseinfo);
	free(vc);
}

bool vs_vmcore_uses_mmap(const struct vs_vmcore *vc)
{
	return vc->io && vc->io->use_mmap;
}

bool vs_vmcore_mmap_fell_back(const struct vs_vmcore *vc)
{
	return (vc->io && vc->io->fell_back) || (vc->meta && vc->meta->fell_back);
}

void vs_vmcore_io_stats(const struct vs_vmcore *vc, struct vs_io_stats *st)
{
	*st = vc->io ? vc->io->st : (struct vs_io_stats){ 0 };
	if (vc->meta) {
		st->mmaps += vc->meta->st.mmaps;
		st->munmaps += vc->meta->st.munmaps;
		st->preads += vc->meta->st.preads;
		st->bytes_mapped += vc->meta->st.bytes_mapped;
	}
}

struct vs_err *vs_vmcore_io_new(struct vs_vmcore *vc, struct vs_pageio **out)
{
	struct vs_pageio *io = calloc(1, sizeof(*io));
	if (!io)
		return vs_enomem;
	struct vs_err *err = vs_pageio_init(io, vc->fd, vc->file_size, vc->io->use_mmap, vc->io->win_size);
	if (!err && vc->ops->reader_new)
		err = vc->ops->reader_new(vc, io);
	if (err) {
		if (vc->ops->reader_free)
			vc->ops->reader_free(io);
		vs_pageio_fini(io);
		free(io);
		return err;
	}
	vs_pageio_set_sparse(io, vc->sparse);
	*out = io;
	return NULL;
}

void vs_vmcore_io_free(struct vs_vmcore *vc, struct vs_pageio *io)
{
	if (!io)
		return;
	if (vc->ops->reader_free)
		vc->ops->reader_free(io);
	vs_pageio_fini(io);
	vc->io->st.mmaps += io->st.mmaps;
	vc->io->st.munmaps += io->st.munmaps;
	vc->io->st.preads += io->st.preads;
	vc->io->st.bytes_mapped += io->st.bytes_mapped;
	vc->io->fell_back |= io->fell_back;
	free(io);
}

void vs_vmcore_set_sparse(struct vs_vmcore *vc, bool sparse)
{
	vs_pageio_set_sparse(vc->io, sparse);
	vc->sparse = sparse;
}

uint64_t vs_vmcore_expect_run(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t npages,
			      unsigned page_shift)
{
	uint64_t fill = (uint64_t)VS_READAHEAD >> page_shift;
	if (fill == 0)
		fill = 1;
	if (npages > fill)
		npages = fill;
	vs_pageio_expect(io ? io : vc->io, npages << page_shift);
	return npages;
}

const char *vs_vmcore_format_name(const struct vs_vmcore *vc)
{
	switch (vc->format) {
	case VS_INPUT_KDUMP:
		return "kdump-compressed file";
	case VS_INPUT_FLAT_KDUMP:
		return "flattened kdump-compressed file";
	case VS_INPUT_ELF:
		break;
	}
	return "ELF core";
}
