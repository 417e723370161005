// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A --split set as the input dump: every piece has the whole headers and
 * bitmaps but the descriptors and data of its own pfn range only.  The
 * pieces are checked to be of one dump (a piece of another dump would mix
 * two machines' memory) and to tile [0, max_mapnr): a missing piece is
 * refused, or with salvage its range is read as lost (left out, counted,
 * the output flagged incomplete), as a cut file's tail is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kdsrc.h"

/* crash and makedumpfile handle far fewer; bounds the work per lookup. */
#define MAX_PARTS 1024u

static struct vs_err *open_file(struct vs_kdpart *p, const char *path);

struct vs_err *vs_kd_open_part(struct vs_kdpart *p, const char *path)
{
	struct vs_err *err = open_file(p, path);
	return err ? err : vs_kd_check_header(p->in, p->flat);
}

static void release(struct vs_kdpart *p)
{
	vs_kdump_in_close(p->in);
	vs_flatmap_free(p->flat);
	if (p->own_fd && p->fd >= 0)
		close(p->fd);
	*p = (struct vs_kdpart){ .fd = -1 };
}

bool vs_kd_drop_part(struct vs_kdsrc *kd, struct vs_kdpart *p, const char *path, struct vs_err *err)
{
	if (err->code != VS_ERR_CORRUPT)
		return false;
	if (!kd->dropped) {
		kd->dropped = path;
		snprintf(kd->dropped_why, sizeof(kd->dropped_why), "%s", err->msg);
	}
	vs_err_free(err);
	release(p);
	return true;
}

static struct vs_err *open_file(struct vs_kdpart *p, const char *path)
{
	struct stat st;
	p->own_fd = true;
	p->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0 || fstat(p->fd, &st) < 0)
		return vs_err_os(errno, "cannot open the --split piece %s", path);
	if (!S_ISREG(st.st_mode))
		return vs_err_new(VS_ERR_INVALID, "%s is not a regular file", path);
	p->file_size = (uint64_t)st.st_size;
	uint8_t head[16] = { 0 };
	ssize_t n = pread(p->fd, head, sizeof(head), 0);
	if (n < 0)
		return vs_err_os(errno, "reading %s", path);
	struct vs_err *err = NULL;
	if (n == 0)
		return vs_err_new(VS_ERR_CORRUPT, "the --split piece %s is empty", path);
	if (vs_flat_signature(head, (size_t)n)) {
		err = vs_flatmap_build(p->fd, p->file_size, &p->flat);
		if (!err)
			p->file_size = p->flat->size;
	} else if (n < 8 || memcmp(head, "KDUMP   ", 8) != 0) {  /* corrupt: -R leaves such a piece out */
		return vs_err_new(VS_ERR_CORRUPT,
				  "%s is not a kdump-compressed file: several inputs must be the pieces of one --split dump",
				  path);
	}
	return err ? err : vs_kdump_in_open_fd(p->fd, path, p->file_size, p->flat, &p->in);
}

static const char *vmcoreinfo_of(const struct vs_kdump_in *in)
{
	return in->vmcoreinfo_size ? (const char *)in->notes + in->vmcoreinfo_off : NULL;
}

/* What differs between two pieces' headers, or NULL when they come from one dump. */
static const char *differs(const struct vs_kdump_in *a, const struct vs_kdump_in *b)
{
	if (memcmp(a->main + 12, b->main + 12, 6 * 65))
		return "utsname (kernel release, machine or host name)";
	if (memcmp(a->main + 408, b->main + 408, 16))
		return "crash timestamp";
	if (a->block_size != b->block_size || a->sub_hdr_blocks != b->sub_hdr_blocks ||
	    a->bitmap_blocks != b->bitmap_blocks || a->max_mapnr != b->max_mapnr || a->nr_cpus != b->nr_cpus)
		return "header geometry (block size, bitmaps, max_mapnr or CPU count)";
	if (a->dump_level != b->dump_level || a->phys_base != b->phys_base)
		return "dump level or phys_base";
	if (a->vmcoreinfo_size != b->vmcoreinfo_size ||
	    (a->vmcoreinfo_size && memcmp(vmcoreinfo_of(a), vmcoreinfo_of(b), a->vmcoreinfo_size)))
		return "VMCOREINFO";
	return NULL;
}

static struct vs_err *check_piece(const struct vs_kdpart *first, const struct vs_kdpart *p)
{
	const struct vs_kdpart *q = p->in->split ? first : p;
	if (!q->in->split)
		return vs_err_new(VS_ERR_INVALID,
				  "%s is not a --split piece: several inputs must be the pieces of one --split dump",
				  q->in->path);
	const char *what = differs(first->in, p->in);
	if (what)
		return vs_err_new(VS_ERR_INVALID, "%s is a piece of another dump than %s: the %s differs", p->in->path,
				  first->in->path, what);
	return NULL;
}

static int by_start(const void *a, const void *b)
{
	const struct vs_kdpart *x = a, *y = b;
	return x->start_blk < y->start_blk ? -1 : x->start_blk > y->start_blk;
}

struct vs_err *vs_kd_add_parts(struct vs_kdsrc *kd, const char *const *paths, size_t n, bool salvage)
{
	if (n > MAX_PARTS)
		return vs_err_new(VS_ERR_INVALID, "%zu input files: at most %u pieces are read", n, MAX_PARTS);
	struct vs_kdpart *parts = realloc(kd->parts, n * sizeof(*parts));
	if (!parts)
		return vs_enomem;
	kd->parts = parts;
	struct vs_err *err = NULL;
	size_t k = 1;   /* parts opened */
	for (size_t i = 1; !err && i < n; i++) {
		parts[k] = (struct vs_kdpart){ .fd = -1 };
		kd->nparts = k + 1;
		err = vs_kd_open_part(&parts[k], paths[i]);
		if (err && salvage && vs_kd_drop_part(kd, &parts[k], paths[i], err)) {
			err = NULL;
			kd->nparts = k;
			continue;
		}
		if (!err)
			err = check_piece(&parts[0], &parts[k]);
		k++;
	}
	n = kd->nparts;
	for (size_t i = 0; !err && i < n; i++) {
		parts[i].start_blk = parts[i].in->start_pfn;
		parts[i].end_blk = parts[i].in->end_pfn;
	}
	if (!err)
		qsort(parts, n, sizeof(*parts), by_start);
	return err;
}

static struct vs_err *gap(struct vs_kdsrc *kd, uint64_t from, uint64_t to, bool salvage)
{
	if (from >= to)
		return NULL;
	if (salvage) {
		if (!kd->gap_blks)
			kd->gap_first = from, kd->gap_first_blks = to - from;
		kd->gap_blks += to - from;
		return NULL;
	}
	return vs_err_new(VS_ERR_INVALID,
			  "the --split pieces given do not cover pfns 0x%llx-0x%llx: a piece is missing (give every "
			  "piece, or add -R to salvage the others, the missing pages left out and the dump marked "
			  "incomplete)", (unsigned long long)from, (unsigned long long)(to - 1));
}

struct vs_err *vs_kd_check_tiling(struct vs_kdsrc *kd, bool salvage)
{
	uint64_t at = 0, max = kd->parts[0].in->max_mapnr;
	for (size_t i = 0; i < kd->nparts; i++) {
		const struct vs_kdpart *p = &kd->parts[i];
		if (p->start_blk < at)
			return vs_err_new(VS_ERR_INVALID,
					  "the --split pieces %s and %s overlap at pfn 0x%llx (a piece given twice?)",
					  kd->parts[i - 1].in->path, p->in->path, (unsigned long long)p->start_blk);
		struct vs_err *err = gap(kd, at, p->start_blk, salvage);
		if (err)
			return err;
		at = p->end_blk;
	}
	return gap(kd, at, max, salvage);
}

void vs_kd_free_parts(struct vs_kdsrc *kd)
{
	for (size_t i = 0; i < kd->nparts; i++)
		release(&kd->parts[i]);
	free(kd->parts);
	kd->parts = NULL;
	kd->nparts = 0;
}

const struct vs_kdpart *vs_kd_part_of(const struct vs_kdsrc *kd, uint64_t blk, size_t *hint)
{
	size_t h = *hint < kd->nparts ? *hint : 0;
	const struct vs_kdpart *p = &kd->parts[h];
	if (blk >= p->start_blk && blk < p->end_blk)
		return p;
	size_t lo = 0, hi = kd->nparts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		p = &kd->parts[mid];
		if (blk < p->start_blk)
			hi = mid;
		else if (blk >= p->end_blk)
			lo = mid + 1;
		else
			return *hint = mid, p;
	}
	return NULL;
}

/* The bits of byte b (blocks 8b..8b+7) that lie in [start, end). */
static uint8_t range_mask(uint64_t b, uint64_t start, uint64_t end)
{
	uint8_t m = 0;
	for (unsigned i = 0; i < 8; i++)
		if (b * 8 + i >= start && b * 8 + i < end)
			m |= (uint8_t)(1u << i);
	return m;
}

/*
 * Every piece holds the whole bitmaps; each block's bit is taken from the
 * piece that holds its data, so a piece's table always matches the bits it
 * is indexed by.  Gaps take the first piece's bits: pages there are lost.
 */
struct vs_err *vs_kd_bitmap(const struct vs_kdsrc *kd, int which, uint64_t off, uint8_t *buf, size_t len)
{
	struct vs_err *err = vs_kdump_in_bitmap(kd->parts[0].in, which, off, buf, len);
	if (err || (kd->nparts == 1 && !kd->parts[0].start_blk && kd->parts[0].end_blk >= kd->in->max_mapnr))
		return err;
	uint8_t *tmp = malloc(len);
	if (!tmp)
		return vs_enomem;
	for (size_t i = 0; !err && i < kd->nparts; i++) {
		const struct vs_kdpart *p = &kd->parts[i];
		uint64_t a = p->start_blk / 8 > off ? p->start_blk / 8 : off;
		uint64_t z = (p->end_blk + 7) / 8 < off + len ? (p->end_blk + 7) / 8 : off + len;
		if (i == 0 || a >= z)
			continue;
		err = vs_kdump_in_bitmap(p->in, which, a, tmp, (size_t)(z - a));
		for (uint64_t b = a; !err && b < z; b++) {
			uint8_t m = range_mask(b, p->start_blk, p->end_blk);
			buf[b - off] = (uint8_t)((buf[b - off] & ~m) | (tmp[b - a] & m));
		}
	}
	free(tmp);
	return err;
}
