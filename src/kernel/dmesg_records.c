// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log of Linux 3.5 to 5.9: log_buf holds variable-length
 * records, a struct printk_log header (named "log" until 3.11) followed by
 * the text, walked from log_first_idx to log_next_idx.  A header with len 0
 * marks the end of the used buffer: the record is then at index 0.  Every
 * index and length comes from the dump and is bounded by log_buf_len, and
 * the walk by the most records the buffer can hold.
 */
#include <stdlib.h>

#include "dmesg_int.h"

struct rec_keys {
	uint64_t size, off_ts, off_len, off_text_len;
};

static struct vs_err *rec_keys(const struct vs_kernel *k, struct rec_keys *r)
{
	const char *s = "printk_log";
	struct vs_err *err = vs_vmci_size(k->vmci, s, &r->size);
	if (err && err->code == VS_ERR_NOKEY) {
		vs_err_free(err);
		s = "log";  /* struct log before 3.11 */
		err = vs_vmci_size(k->vmci, s, &r->size);
	}
	char name[32];
	const struct { const char *field; uint64_t *v; } f[] = {
		{ "ts_nsec", &r->off_ts }, { "len", &r->off_len }, { "text_len", &r->off_text_len },
	};
	for (size_t i = 0; !err && i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(name, sizeof(name), "%s.%s", s, f[i].field);
		err = vs_vmci_offset(k->vmci, name, f[i].v);
	}
	if (err)
		return vs_err_wrap(err, "the kernel log");
	if (r->size > 4096 || r->size < r->off_ts + 8 || r->size < r->off_len + 2 || r->size < r->off_text_len + 2)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel log: SIZE(%s)=%llu does not hold its fields", s,
				  (unsigned long long)r->size);
	return NULL;
}

static struct vs_err *read_index(struct vs_kernel *k, const char *sym, uint32_t *v)
{
	uint64_t va;
	struct vs_err *err = vs_vmci_symbol(k->vmci, sym, &va);
	if (!err)
		err = vs_kernel_read_u32(k, va, v);
	return err ? vs_err_wrap(err, "the kernel log: %s", sym) : NULL;
}

/*
 * From idx to next, going round at most once: after the wrap to index 0 the
 * walk must meet next before it is back at its start, and it wraps once.
 */
static struct vs_err *walk(struct vs_kernel *k, const struct rec_keys *r, const uint8_t *buf, uint32_t len,
			   uint32_t idx, uint32_t next, FILE *out, unsigned long *records)
{
	const uint32_t start = idx;
	bool wrapped = false;
	/* Every record takes at least a header: a second bound on the walk. */
	for (uint64_t step = 0; step <= len / r->size + 1; step++) {
		if (idx == next)
			return NULL;
		if (wrapped && idx >= start)
			break;
		if (idx > len || len - idx < r->size)
			return vs_err_new(VS_ERR_CORRUPT, "the kernel log: record index %u lies outside log_buf (%u bytes)",
					  idx, len);
		uint32_t rl = vs_kernel_ld16(k, buf + idx + r->off_len);
		if (rl == 0) {  /* the wrap marker: the record is at index 0 */
			if (wrapped || idx == 0)
				break;
			wrapped = true;
			idx = 0;
			continue;
		}
		if (rl < r->size || rl > len - idx)
			return vs_err_new(VS_ERR_CORRUPT, "the kernel log: the record at index %u has length %u", idx, rl);
		uint32_t tl = vs_kernel_ld16(k, buf + idx + r->off_text_len);
		if (tl > rl - r->size)
			tl = (uint32_t)(rl - r->size);
		vs_dmesg_print_record(out, vs_kernel_ld64(k, buf + idx + r->off_ts), buf + idx + r->size, tl);
		(*records)++;
		idx += rl;
	}
	return vs_err_new(VS_ERR_CORRUPT,
			  "the kernel log: the records from index %u go round log_buf without reaching log_next_idx %u (a loop)",
			  start, next);
}

struct vs_err *vs_dmesg_records(struct vs_kernel *k, bool partial, FILE *out, unsigned long *records)
{
	struct rec_keys r;
	uint32_t first, next, len;
	uint8_t *buf;
	struct vs_err *err = rec_keys(k, &r);
	if (!err)
		err = read_index(k, partial ? "clear_idx" : "log_first_idx", &first);
	if (!err)
		err = read_index(k, "log_next_idx", &next);
	if (!err)
		err = vs_dmesg_load_buf(k, &buf, &len);
	if (err)
		return partial ? vs_err_wrap(err, "--partial-dmesg") : err;
	err = walk(k, &r, buf, len, first, next, out, records);
	free(buf);
	return err;
}
