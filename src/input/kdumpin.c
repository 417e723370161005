// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/kdumpin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flatmap.h"
#include "../util/bytes.h"

struct vs_err *vs_kdump_in_read(struct vs_kdump_in *in, uint64_t off, void *buf, size_t len)
{
	uint64_t end;
	if (!vs_add_ok(off, len, &end) || end > in->file_size)
		return vs_err_new(VS_ERR_CORRUPT, "%s: %zu bytes at offset 0x%llx lie beyond the end of the file",
				  in->path, len, (unsigned long long)off);
	size_t got = 0;
	if (in->flat) {
		long long n = vs_flat_pread(in->flat, in->fd, buf, len, off);
		return n == (long long)len ? NULL : vs_err_os(n < 0 ? errno : EIO, "reading %s", in->path);
	}
	while (got < len) {
		ssize_t n = pread(in->fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? vs_err_os(errno, "reading %s", in->path)
				     : vs_err_new(VS_ERR_CORRUPT, "%s: unexpected end of file", in->path);
		got += (size_t)n;
	}
	return NULL;
}

static struct vs_err *parse_headers(struct vs_kdump_in *in)
{
	if (in->file_size < sizeof(in->main))
		return vs_err_new(VS_ERR_CORRUPT, "%s: the file ends at %llu bytes, inside its %zu-byte kdump header",
				  in->path, (unsigned long long)in->file_size, sizeof(in->main));
	struct vs_err *err = vs_kdump_in_read(in, 0, in->main, sizeof(in->main));
	if (err)
		return err;
	if (memcmp(in->main, "KDUMP   ", 8) != 0)
		return vs_err_new(VS_ERR_CORRUPT, "%s is not a kdump-compressed file (no \"KDUMP\" signature)", in->path);
	/* The producer's byte order: a header version (6 or so) read the wrong way round is huge. */
	in->big_endian = vs_ld32(in->main + 8, in->big_endian) > 0xffff && vs_ld32(in->main + 8, true) <= 0xffff;
	in->header_version = vs_ld32(in->main + 8, in->big_endian);
	in->status = vs_ld32(in->main + 424, in->big_endian);
	in->block_size = vs_ld32(in->main + 428, in->big_endian);
	in->sub_hdr_blocks = vs_ld32(in->main + 432, in->big_endian);
	in->bitmap_blocks = vs_ld32(in->main + 436, in->big_endian);
	in->nr_cpus = vs_ld32(in->main + 460, in->big_endian);
	uint32_t B = in->block_size;
	if (in->header_version < 6 || B < 1024 || B > (1u << 20) || (B & (B - 1)) || !in->bitmap_blocks ||
	    (in->bitmap_blocks & 1))
		return vs_err_new(VS_ERR_CORRUPT, "%s: header version %u, block size %u, %u bitmap blocks: not supported",
				  in->path, in->header_version, B, in->bitmap_blocks);
	if ((err = vs_kdump_in_read(in, B, in->sub, sizeof(in->sub))))
		return err;
	in->phys_base = vs_ld64(in->sub, in->big_endian);
	in->dump_level = (int32_t)vs_ld32(in->sub + 8, in->big_endian);
	in->split = vs_ld32(in->sub + 12, in->big_endian) != 0;
	in->max_mapnr = vs_ld64(in->sub + 96, in->big_endian);
	in->bitmap_len = (uint64_t)in->bitmap_blocks / 2 * B;
	if (in->max_mapnr > in->bitmap_len * 8)
		return vs_err_new(VS_ERR_CORRUPT, "%s: max_mapnr %llu exceeds the bitmaps", in->path,
				  (unsigned long long)in->max_mapnr);
	in->start_pfn = in->split ? vs_ld64(in->sub + 80, in->big_endian) : 0;
	in->end_pfn = in->split ? vs_ld64(in->sub + 88, in->big_endian) : in->max_mapnr;
	if (in->start_pfn > in->end_pfn || in->end_pfn > in->max_mapnr)
		return vs_err_new(VS_ERR_CORRUPT, "%s: split range %llu-%llu is invalid", in->path,
				  (unsigned long long)in->start_pfn, (unsigned long long)in->end_pfn);
	in->bitmap1_off = (1 + (uint64_t)in->sub_hdr_blocks) * B;
	in->bitmap2_off = in->bitmap1_off + in->bitmap_len;
	in->desc_off = in->bitmap2_off + in->bitmap_len;
	if (in->desc_off > in->file_size)
		return vs_err_new(VS_ERR_CORRUPT,
				  "%s: the file ends at 0x%llx, inside its bitmaps (which end at 0x%llx): no page survived",
				  in->path, (unsigned long long)in->file_size, (unsigned long long)in->desc_off);
	return NULL;
}

static struct vs_err *read_notes(struct vs_kdump_in *in)
{
	uint64_t off = vs_ld64(in->sub + 48, in->big_endian), size = vs_ld64(in->sub + 56, in->big_endian);
	uint64_t vi_off = vs_ld64(in->sub + 32, in->big_endian), vi_size = vs_ld64(in->sub + 40, in->big_endian);
	if (!off || !size)
		return NULL;
	if (size > (64u << 20) || off + size > in->bitmap1_off)
		return vs_err_new(VS_ERR_CORRUPT, "%s: ELF notes at 0x%llx (%llu bytes) overlap the bitmaps", in->path,
				  (unsigned long long)off, (unsigned long long)size);
	if (!(in->notes = malloc(size)))
		return vs_enomem;
	in->notes_size = size;
	if (vi_off >= off && vi_size && vi_size <= size && vi_off - off <= size - vi_size) {
		in->vmcoreinfo_off = vi_off - off;
		in->vmcoreinfo_size = vi_size;
	}
	return vs_kdump_in_read(in, off, in->notes, size);
}

/*
 * Header version 5+: offset_eraseinfo/size_eraseinfo, text after the page
 * data.  A record the file no longer holds (a cut dump) is left behind.
 */
static struct vs_err *read_eraseinfo(struct vs_kdump_in *in)
{
	uint64_t off = vs_ld64(in->sub + 64, in->big_endian), size = vs_ld64(in->sub + 72, in->big_endian);
	if (in->header_version < 5 || !off || !size)
		return NULL;
	if (size > (64u << 20) || off < in->desc_off || off > in->file_size || size > in->file_size - off)
		return NULL;
	if (!(in->eraseinfo = malloc(size)))
		return vs_enomem;
	in->eraseinfo_size = size;
	return vs_kdump_in_read(in, off, in->eraseinfo, size);
}

static struct vs_err *finish_open(struct vs_kdump_in *in, struct vs_err *err, struct vs_kdump_in **out)
{
	if (!err)
		err = parse_headers(in);
	if (!err)
		err = read_notes(in);
	if (!err)
		err = read_eraseinfo(in);
	if (err) {
		vs_kdump_in_close(in);
		return err;
	}
	*out = in;
	return NULL;
}

struct vs_err *vs_kdump_in_open(const char *path, struct vs_kdump_in **out)
{
	struct vs_kdump_in *in = calloc(1, sizeof(*in));
	if (!in || !(in->path = strdup(path))) {
		free(in);
		return vs_enomem;
	}
	struct stat st;
	struct vs_err *err = NULL;
	in->own_fd = true;
	in->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0 || fstat(in->fd, &st) < 0)
		err = vs_err_os(errno, "cannot open %s", path);
	else
		in->file_size = (uint64_t)st.st_size;
	return finish_open(in, err, out);
}

struct vs_err *vs_kdump_in_open_fd(int fd, const char *path, uint64_t file_size,
				   const struct vs_flatmap *flat, struct vs_kdump_in **out)
{
	struct vs_kdump_in *in = calloc(1, sizeof(*in));
	if (!in || !(in->path = strdup(path))) {
		free(in);
		return vs_enomem;
	}
	in->fd = fd;
	in->file_size = file_size;
	in->flat = flat;
	return finish_open(in, NULL, out);
}

void vs_kdump_in_close(struct vs_kdump_in *in)
{
	if (!in)
		return;
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	free(in->notes);
	free(in->eraseinfo);
	free(in->path);
	free(in);
}

struct vs_err *vs_kdump_in_bitmap(struct vs_kdump_in *in, int which, uint64_t off, void *buf, size_t len)
{
	if (off > in->bitmap_len || len > in->bitmap_len - off)
		return vs_err_new(VS_ERR_INVALID, "bitmap read beyond the bitmap");
	return vs_kdump_in_read(in, (which == 1 ? in->bitmap1_off : in->bitmap2_off) + off, buf, len);
}

struct vs_err *vs_kdump_in_desc(struct vs_kdump_in *in, uint64_t index, struct vs_kdump_desc *d)
{
	uint8_t raw[24];
	uint64_t at;
	if (!vs_mul_ok(index, 24, &at) || !vs_add_ok(at, in->desc_off, &at))
		return vs_err_new(VS_ERR_CORRUPT, "%s: descriptor %llu overflows", in->path, (unsigned long long)index);
	struct vs_err *err = vs_kdump_in_read(in, at, raw, sizeof(raw));
	if (err)
		return err;
	d->offset = vs_ld64(raw, in->big_endian);
	d->size = vs_ld32(raw + 8, in->big_endian);
	d->flags = vs_ld32(raw + 12, in->big_endian);
	/* Offset 0: never written (the caller says so); else it must hold a page, as readers take it. */
	if (d->offset && !vs_kdump_desc_holds(in, d->offset, d->size, d->flags))
		return vs_err_new(VS_ERR_CORRUPT, "%s: descriptor %llu (offset 0x%llx, size %u, flags 0x%x) is invalid",
				  in->path, (unsigned long long)index, (unsigned long long)d->offset, d->size, d->flags);
	return NULL;
}

bool vs_kdump_desc_holds(const struct vs_kdump_in *in, uint64_t offset, uint32_t size, uint32_t flags)
{
	uint64_t end;
	return offset && size && size <= in->block_size && vs_add_ok(offset, size, &end) &&
	       end <= in->file_size && (flags || size == in->block_size);
}

static uint64_t count_bits(const uint8_t *b, size_t len)
{
	uint64_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += (uint64_t)__builtin_popcount(b[i]);
	return n;
}

/*
 * Descriptors among the first n whose page data the file holds; fn (may be
 * NULL) is told the others that are not zero yet.
 */
static struct vs_err *count_usable(struct vs_kdump_in *in, uint64_t n, uint64_t *usable, vs_desc_fn *fn,
				   void *arg)
{
	enum { PER_READ = 4096 };
	uint8_t *raw = malloc(PER_READ * 24);
	if (!raw)
		return vs_enomem;
	struct vs_err *err = NULL;
	for (uint64_t i = 0; !err && i < n; i += PER_READ) {
		size_t k = n - i < PER_READ ? (size_t)(n - i) : PER_READ;
		err = vs_kdump_in_read(in, in->desc_off + i * 24, raw, k * 24);
		for (size_t j = 0; !err && j < k; j++) {
			uint64_t off = vs_ld64(raw + j * 24, in->big_endian);
			uint32_t size = vs_ld32(raw + j * 24 + 8, in->big_endian);
			bool ok = vs_kdump_desc_holds(in, off, size, vs_ld32(raw + j * 24 + 12, in->big_endian));
			*usable += ok;
			if (!ok && fn && (off || size))
				fn(arg, i + j);
		}
	}
	free(raw);
	return err;
}

struct vs_err *vs_kdump_in_recovered(struct vs_kdump_in *in, uint64_t *total, uint64_t *usable,
				     vs_desc_fn *unusable, void *arg)
{
	*total = *usable = 0;
	uint64_t bytes = (in->end_pfn + 7) / 8;
	uint8_t *b = malloc(1u << 20);
	struct vs_err *err = b ? NULL : vs_enomem;
	for (uint64_t off = 0; !err && off < bytes; off += 1u << 20) {
		size_t len = bytes - off < (1u << 20) ? (size_t)(bytes - off) : 1u << 20;
		err = vs_kdump_in_bitmap(in, 2, off, b, len);
		if (!err)
			*total += count_bits(b, len);
	}
	free(b);
	uint64_t in_file = in->file_size > in->desc_off ? (in->file_size - in->desc_off) / 24 : 0;
	err = err ? err : count_usable(in, *total < in_file ? *total : in_file, usable, unusable, arg);
	/* The file ends inside a descriptor: readers would take its first bytes for a whole one. */
	if (!err && unusable && in_file < *total && in->file_size > in->desc_off &&
	    (in->file_size - in->desc_off) % 24)
		unusable(arg, in_file);
	return err;
}

bool vs_kdump_path_is_piece(const char *path)
{
	uint8_t head[16] = { 0 };
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? pread(fd, head, sizeof(head), 0) : -1;
	struct vs_flatmap *fm = NULL;
	struct vs_kdump_in *in = NULL;
	struct vs_err *err = NULL;
	uint64_t size = (uint64_t)st.st_size;
	if (n > 0 && vs_flat_signature(head, (size_t)n)) {
		err = vs_flatmap_build(fd, size, &fm);
		size = fm ? fm->size : 0;
	} else if (n < 8 || memcmp(head, "KDUMP   ", 8) != 0) {
		err = vs_err_new(VS_ERR_INVALID, "not a kdump file");
	}
	if (!err)
		err = vs_kdump_in_open_fd(fd, path, size, fm, &in);
	bool piece = !err && in->split;
	vs_err_free(err);
	vs_kdump_in_close(in);
	vs_flatmap_free(fm);
	close(fd);
	return piece;
}
