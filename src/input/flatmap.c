// SPDX-License-Identifier: GPL-2.0-or-later
#include "flatmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmsift/sink.h"

/* No real stream has more; bounds what a corrupt stream can make us allocate (384 MiB). */
#define MAX_RECORDS (16u << 20)
/* Streams whose records overwrite each other are indexed in quadratic time: bound it. */
#define MAX_OVERLAP_RECORDS 8192u
/* Files are at most 2^63 bytes (off_t). */
#define MAX_OFF (1ull << 62)

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

bool vs_flat_signature(const void *head, size_t len)
{
	return len >= sizeof(VS_FLAT_SIGNATURE) && memcmp(head, VS_FLAT_SIGNATURE, sizeof(VS_FLAT_SIGNATURE)) == 0;
}

static struct vs_err *read_at(int fd, void *buf, size_t len, uint64_t off, size_t *got)
{
	*got = 0;
	while (*got < len) {
		ssize_t n = pread(fd, (char *)buf + *got, len - *got, (off_t)(off + *got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vs_err_os(errno, "reading the flattened dump at offset 0x%llx",
					 (unsigned long long)(off + *got));
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return NULL;
}

static struct vs_err *check_header(int fd, uint64_t stream_size)
{
	uint8_t h[32];
	size_t got;
	struct vs_err *err = read_at(fd, h, sizeof(h), 0, &got);
	if (err)
		return err;
	if (got < sizeof(h) || !vs_flat_signature(h, got))
		return vs_err_new(VS_ERR_CORRUPT, "not a flattened dump (no \"%s\" signature)", VS_FLAT_SIGNATURE);
	if (be64(h + 16) != VS_FLAT_TYPE || be64(h + 24) != VS_FLAT_VERSION)
		return vs_err_new(VS_ERR_NOTSUP, "flattened header type %llu version %llu is not supported",
				  (unsigned long long)be64(h + 16), (unsigned long long)be64(h + 24));
	if (stream_size < VS_FLAT_HEADER_SIZE)
		return vs_err_new(VS_ERR_CORRUPT, "the flattened dump ends inside its %d-byte header",
				  VS_FLAT_HEADER_SIZE);
	return NULL;
}

static struct vs_err *push(struct vs_flatmap *fm, size_t *cap, const struct vs_flat_rec *r)
{
	if (fm->n == *cap) {
		if (fm->n >= MAX_RECORDS)
			return vs_err_new(VS_ERR_CORRUPT, "the flattened dump has more than %u records", MAX_RECORDS);
		size_t nc = *cap ? *cap * 2 : 1024;
		struct vs_flat_rec *p = realloc(fm->recs, nc * sizeof(*p));
		if (!p)
			return vs_enomem;
		fm->recs = p;
		*cap = nc;
	}
	fm->recs[fm->n++] = *r;
	return NULL;
}

/* Walks the record headers (the payloads are skipped, not read). */
static struct vs_err *scan(int fd, uint64_t stream_size, struct vs_flatmap *fm)
{
	size_t cap = 0;
	uint64_t pos = VS_FLAT_HEADER_SIZE;
	for (;;) {
		uint8_t rh[16];
		size_t got;
		struct vs_err *err = read_at(fd, rh, sizeof(rh), pos, &got);
		if (err)
			return err;
		if (got < sizeof(rh)) {
			fm->truncated = true;
			fm->cut_at = pos + got;
			return NULL;
		}
		uint64_t off = be64(rh), size = be64(rh + 8);
		if (off == UINT64_MAX && size == UINT64_MAX)
			return NULL;
		if (off >= MAX_OFF || size == 0 || size >= MAX_OFF || off + size > MAX_OFF)
			return vs_err_new(VS_ERR_CORRUPT,
					  "flattened record %zu (stream offset 0x%llx) has offset %lld and size %lld: corrupt",
					  fm->n, (unsigned long long)pos, (long long)off, (long long)size);
		pos += sizeof(rh);
		struct vs_flat_rec r = { .off = off, .size = size, .pos = pos };
		if (size > stream_size - pos) {  /* cut inside this record: keep what it holds */
			r.size = stream_size - pos;
			fm->truncated = true;
			fm->cut_at = stream_size;
		}
		if (r.size && (err = push(fm, &cap, &r)))
			return err;
		if (fm->truncated)
			return NULL;
		pos += size;
	}
}

static int by_off(const void *a, const void *b)
{
	const struct vs_flat_rec *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int by_pos_desc(const void *a, const void *b)
{
	const struct vs_flat_rec *x = a, *y = b;
	return x->pos > y->pos ? -1 : x->pos < y->pos;
}

/* Appends to out the parts of r that no extent of the sorted, disjoint old covers. */
static size_t visible_parts(const struct vs_flat_rec *old, size_t n, const struct vs_flat_rec *r,
			    struct vs_flat_rec *out)
{
	size_t k = 0;
	uint64_t cur = r->off, end = r->off + r->size;
	for (size_t i = 0; i < n && old[i].off < end; i++) {
		uint64_t oend = old[i].off + old[i].size;
		if (oend <= cur)
			continue;
		if (old[i].off > cur)
			out[k++] = (struct vs_flat_rec){ cur, old[i].off - cur, r->pos + (cur - r->off) };
		cur = oend;
	}
	if (cur < end)
		out[k++] = (struct vs_flat_rec){ cur, end - cur, r->pos + (cur - r->off) };
	return k;
}

/*
 * Records that overwrite earlier ones (allowed by the format: -R replays
 * them in order): the newest wins.  Painted newest first, each record adds
 * the parts not painted yet; at most 2n - 1 extents come out (their ends are
 * record ends).  Quadratic, so only for the few records a stream with
 * overwrites has.
 */
static struct vs_err *resolve_overlaps(struct vs_flatmap *fm)
{
	if (fm->n > MAX_OVERLAP_RECORDS)
		return vs_err_new(VS_ERR_NOTSUP,
				  "the flattened file has %zu records, some overwriting others: rebuild it with -R first", fm->n);
	size_t cap = 2 * fm->n, n = 0;
	struct vs_flat_rec *done = malloc(cap * sizeof(*done)), *parts = malloc(cap * sizeof(*parts));
	struct vs_flat_rec *merged = malloc(cap * sizeof(*merged));
	if (!done || !parts || !merged) {
		free(done), free(parts), free(merged);
		return vs_enomem;
	}
	qsort(fm->recs, fm->n, sizeof(*fm->recs), by_pos_desc);
	for (size_t r = 0; r < fm->n; r++) {
		size_t k = visible_parts(done, n, &fm->recs[r], parts), a = 0, b = 0, m = 0;
		if (!k)
			continue;  /* wholly overwritten */
		while (a < n || b < k)  /* both sorted by offset, disjoint */
			merged[m++] = b == k || (a < n && done[a].off < parts[b].off) ? done[a++] : parts[b++];
		struct vs_flat_rec *t = done;
		done = merged;
		merged = t;
		n = m;
	}
	free(parts);
	free(merged);
	free(fm->recs);
	fm->recs = done;
	fm->n = n;
	return NULL;
}

static struct vs_err *sort_and_check(struct vs_flatmap *fm)
{
	qsort(fm->recs, fm->n, sizeof(*fm->recs), by_off);
	for (size_t i = 1; i < fm->n; i++) {
		if (fm->recs[i].off < fm->recs[i - 1].off + fm->recs[i - 1].size) {
			struct vs_err *err = resolve_overlaps(fm);
			if (err)
				return err;
			break;
		}
	}
	for (size_t i = 0; i < fm->n; i++) {
		const struct vs_flat_rec *r = &fm->recs[i];
		if (r->off + r->size > fm->size)
			fm->size = r->off + r->size;
		fm->payload += r->size;
	}
	return NULL;
}

struct vs_err *vs_flatmap_build(int fd, uint64_t stream_size, struct vs_flatmap **out)
{
	struct vs_flatmap *fm = calloc(1, sizeof(*fm));
	if (!fm)
		return vs_enomem;
	struct vs_err *err = check_header(fd, stream_size);
	if (!err)
		err = scan(fd, stream_size, fm);
	if (!err && fm->n == 0)
		err = vs_err_new(VS_ERR_CORRUPT, "the flattened dump holds no records%s",
				 fm->truncated ? " (it is cut right after its header)" : "");
	if (!err)
		err = sort_and_check(fm);
	if (err) {
		vs_flatmap_free(fm);
		return err;
	}
	*out = fm;
	return NULL;
}

void vs_flatmap_free(struct vs_flatmap *fm)
{
	if (!fm)
		return;
	free(fm->recs);
	free(fm);
}

/* Index of the first record ending after off. */
static size_t first_after(const struct vs_flatmap *fm, uint64_t off)
{
	size_t lo = 0, hi = fm->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fm->recs[mid].off + fm->recs[mid].size <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long long vs_flat_pread(const struct vs_flatmap *fm, int fd, void *buf, size_t len, uint64_t off)
{
	if (off >= fm->size)
		return 0;
	if (len > fm->size - off)
		len = (size_t)(fm->size - off);
	uint8_t *b = buf;
	memset(b, 0, len);
	for (size_t i = first_after(fm, off); i < fm->n && fm->recs[i].off < off + len; i++) {
		const struct vs_flat_rec *r = &fm->recs[i];
		uint64_t lo = r->off > off ? r->off : off;
		uint64_t hi = r->off + r->size < off + len ? r->off + r->size : off + len;
		size_t want = (size_t)(hi - lo), got = 0;
		while (got < want) {
			ssize_t n = pread(fd, b + (lo - off) + got, want - got, (off_t)(r->pos + (lo - r->off) + got));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			if (n == 0) {
				errno = EIO;  /* the stream shrank since it was indexed */
				return -1;
			}
			got += (size_t)n;
		}
	}
	return (long long)len;
}
