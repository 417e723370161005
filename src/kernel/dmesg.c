// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lockless printk ring buffer (Linux 5.10+, kernel commit 896fbe20b4e2
 * "printk: use the lockless ringbuffer"): records are descriptors whose
 * state_var holds an id and a state, with text blocks in a data ring that
 * start with the descriptor id.  Every offset comes from VMCOREINFO; every
 * size read from the dump is bounded before use.  vs_dmesg_write() at the
 * end picks this reader or those of the older layouts (dmesg_records.c,
 * dmesg_plain.c).
 */
#include "dmesg_int.h"

#include <stdlib.h>

#define MAX_COUNT_BITS 24
#define MAX_SIZE_BITS 28
/*
 * The rings are read in chunks as the walk goes, never whole: a corrupt
 * count_bits/size_bits (up to 2^24 records, 256 MiB of text) must not make
 * a small capture kernel allocate 1.4 GiB.
 */
#define CHUNK_BYTES (64u << 10)
#define MAX_TEXT 65535u            /* printk_info.text_len is a u16 */
#define STATE_COMMITTED 1
#define STATE_FINALIZED 2

struct prb_keys {
	uint64_t prb_sym, off_desc_ring, off_text_ring, off_count_bits, off_descs, off_infos, off_head, off_tail;
	uint64_t size_desc, off_state, off_text_lpos, off_begin, off_next, off_size_bits, off_data;
	uint64_t size_info, off_ts, off_len, off_counter;
	bool has_seq;               /* --partial-dmesg: skip records with seq < min_seq */
	uint64_t off_seq, min_seq;
};

static struct vs_err *keys(const struct vs_kernel *k, struct prb_keys *p)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	struct vs_err *err;
	if ((err = vs_vmci_symbol(vi, "prb", &p->prb_sym)))
		return err;
	const struct { const char *name; uint64_t *v; bool size; } key[] = {
		{ "printk_ringbuffer.desc_ring", &p->off_desc_ring, 0 }, { "printk_ringbuffer.text_data_ring", &p->off_text_ring, 0 },
		{ "prb_desc_ring.count_bits", &p->off_count_bits, 0 }, { "prb_desc_ring.descs", &p->off_descs, 0 },
		{ "prb_desc_ring.infos", &p->off_infos, 0 }, { "prb_desc_ring.head_id", &p->off_head, 0 },
		{ "prb_desc_ring.tail_id", &p->off_tail, 0 }, { "prb_desc", &p->size_desc, 1 },
		{ "prb_desc.state_var", &p->off_state, 0 }, { "prb_desc.text_blk_lpos", &p->off_text_lpos, 0 },
		{ "prb_data_blk_lpos.begin", &p->off_begin, 0 }, { "prb_data_blk_lpos.next", &p->off_next, 0 },
		{ "prb_data_ring.size_bits", &p->off_size_bits, 0 }, { "prb_data_ring.data", &p->off_data, 0 },
		{ "printk_info", &p->size_info, 1 }, { "printk_info.ts_nsec", &p->off_ts, 0 },
		{ "printk_info.text_len", &p->off_len, 0 }, { "atomic_long_t.counter", &p->off_counter, 0 },
	};
	for (size_t i = 0; i < sizeof(key) / sizeof(key[0]); i++) {
		err = key[i].size ? vs_vmci_size(vi, key[i].name, key[i].v) : vs_vmci_offset(vi, key[i].name, key[i].v);
		if (err)
			return vs_err_wrap(err, "the kernel log");
		if (*key[i].v > 4096)
			return vs_err_new(VS_ERR_CORRUPT, "the kernel log: VMCOREINFO %s=%llu is implausible",
					  key[i].name, (unsigned long long)*key[i].v);
	}
	/*
	 * Every field read from a descriptor or info record lies inside it (each
	 * value is <= 4096): state_var and the lpos are longs, ts_nsec a u64.
	 */
	unsigned l = k->long_size;
	if (p->size_desc < p->off_state + p->off_counter + l || p->size_desc < p->off_text_lpos + p->off_begin + l ||
	    p->size_desc < p->off_text_lpos + p->off_next + l || p->size_info < p->off_len + 2 ||
	    p->size_info < p->off_ts + 8)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel log: prb_desc/printk_info sizes do not hold their fields");
	return NULL;
}

/* A window of consecutive array elements [first, first + n). */
struct chunk {
	uint64_t va, elem, first, n;
	uint8_t buf[CHUNK_BYTES];
};

struct ring {
	uint64_t count, size;       /* descriptors; data bytes */
	uint64_t head, tail;
	uint64_t data_va;
	struct chunk descs, infos;
	uint8_t text[MAX_TEXT];
};

static struct vs_err *load_ring(struct vs_kernel *k, const struct prb_keys *p, struct ring *r)
{
	uint64_t prb, descs_va, infos_va, data_va;
	uint32_t cbits, sbits;
	struct vs_err *err;
	if ((err = vs_kernel_read_ptr(k, p->prb_sym, &prb)))
		return vs_err_wrap(err, "the kernel log: the prb pointer");
	uint64_t dr = prb + p->off_desc_ring, tr = prb + p->off_text_ring;
	if ((err = vs_kernel_read_u32(k, dr + p->off_count_bits, &cbits)) ||
	    (err = vs_kernel_read_ptr(k, dr + p->off_descs, &descs_va)) ||
	    (err = vs_kernel_read_ptr(k, dr + p->off_infos, &infos_va)) ||
	    (err = vs_kernel_read_long(k, dr + p->off_head + p->off_counter, &r->head)) ||
	    (err = vs_kernel_read_long(k, dr + p->off_tail + p->off_counter, &r->tail)) ||
	    (err = vs_kernel_read_u32(k, tr + p->off_size_bits, &sbits)) ||
	    (err = vs_kernel_read_ptr(k, tr + p->off_data, &data_va)))
		return vs_err_wrap(err, "the kernel log: printk_ringbuffer at 0x%llx", (unsigned long long)prb);
	if (cbits > MAX_COUNT_BITS || sbits > MAX_SIZE_BITS)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel log: ring of 2^%u records / 2^%u bytes is implausible",
				  cbits, sbits);
	r->count = 1ull << cbits;
	r->size = 1ull << sbits;
	r->data_va = data_va;
	r->descs = (struct chunk){ .va = descs_va, .elem = p->size_desc };
	r->infos = (struct chunk){ .va = infos_va, .elem = p->size_info };
	return NULL;
}

/* Element idx of a ring array (idx < count), reading the chunk that holds it when needed. */
static struct vs_err *element(struct vs_kernel *k, const struct ring *r, struct chunk *c, uint64_t idx,
			      const uint8_t **e)
{
	if (idx < c->first || idx >= c->first + c->n) {
		uint64_t n = CHUNK_BYTES / c->elem;  /* elem <= 4096: at least 16 */
		if (n > r->count - idx)
			n = r->count - idx;
		struct vs_err *err = vs_kernel_read_virt(k, c->va + idx * c->elem, c->buf, (size_t)(n * c->elem));
		if (err) {
			c->n = 0;
			return vs_err_wrap(err, "the kernel log: ring array at 0x%llx, record %llu",
					   (unsigned long long)c->va, (unsigned long long)idx);
		}
		c->first = idx;
		c->n = n;
	}
	*e = c->buf + (idx - c->first) * c->elem;
	return NULL;
}

/*
 * The record's text (at most want bytes): a data block starting with the
 * descriptor id (an unsigned long), maybe wrapped to offset 0.  NULL with
 * *len 0 when there is none.
 */
static struct vs_err *record_text(struct vs_kernel *k, struct ring *r, unsigned sbits, uint64_t begin,
				  uint64_t next, size_t want, const uint8_t **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	if (begin == next || (begin & 1) || (next & 1))
		return NULL;  /* no data, or a data-less record marker */
	uint64_t b = begin % r->size, n = next % r->size;
	uint64_t start = b, end = n;
	if ((begin >> sbits) != (next >> sbits)) {  /* wrapped: the block is at the ring's start */
		if (n == 0)
			end = r->size;
		else
			start = 0;
	}
	uint64_t id_size = k->long_size;
	if (end <= start || end - start < id_size)
		return NULL;
	uint64_t bytes = end - start - id_size;
	if (bytes > want)
		bytes = want;
	if (bytes) {
		struct vs_err *err = vs_kernel_read_virt(k, r->data_va + start + id_size, r->text, (size_t)bytes);
		if (err)
			return vs_err_wrap(err, "the kernel log: text at 0x%llx", (unsigned long long)(r->data_va + start + id_size));
	}
	*text = r->text;
	*len = (size_t)bytes;
	return NULL;
}

static void print_text(FILE *out, const uint8_t *t, size_t n, int indent)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\n')
			fprintf(out, "\n%*s", indent, "");
		else if ((t[i] >= 0x20 && t[i] < 0x7f) || t[i] == '\t' || t[i] == '\v' || t[i] == '\f' || t[i] == '\r')
			fputc(t[i], out);  /* printable or white space pass through, as makedumpfile prints them */
		else
			fprintf(out, "\\x%02x", t[i]);
	}
}

/*
 * --partial-dmesg: records before the last "dmesg --clear".  clear_seq is a
 * u64 until 5.12 and a latched_seq {seqcount, val[2]} since 5.13 (kernel
 * commit 7d7a23a91c91 "printk: use seqcount_latch for clear_seq"), where
 * the valid copy is val[seq & 1].
 */
static struct vs_err *clear_seq(struct vs_kernel *k, uint64_t *seq)
{
	uint64_t sym, val_off;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "clear_seq", &sym);
	if (err)
		return vs_err_wrap(err, "--partial-dmesg");
	err = vs_vmci_offset(k->vmci, "latched_seq.val", &val_off);
	if (err && err->code == VS_ERR_NOKEY) {
		vs_err_free(err);
		return vs_kernel_read_u64(k, sym, seq);
	}
	if (err)
		return err;
	uint32_t latch;
	if ((err = vs_kernel_read_u32(k, sym, &latch)))
		return err;
	return vs_kernel_read_u64(k, sym + val_off + (latch & 1) * 8, seq);
}

static struct vs_err *print_records(struct vs_kernel *k, const struct prb_keys *p, struct ring *r, unsigned sbits,
				   FILE *out, unsigned long *records)
{
	/* state_var: the state in a long's top two bits, the descriptor id below. */
	unsigned state_shift = k->long_size * 8 - 2;
	uint64_t id_mask = (1ull << state_shift) - 1;
	uint64_t id = r->tail & id_mask;
	for (uint64_t i = 0; i < r->count; i++, id = (id + 1) & id_mask) {
		uint64_t idx = id % r->count;
		const uint8_t *d, *info;
		struct vs_err *err = element(k, r, &r->descs, idx, &d);
		if (!err)
			err = element(k, r, &r->infos, idx, &info);
		if (err)
			return err;
		uint64_t sv = vs_kernel_ld_long(k, d + p->off_state + p->off_counter);
		unsigned state = (unsigned)(sv >> state_shift);
		bool cleared = p->has_seq && vs_kernel_ld64(k, info + p->off_seq) < p->min_seq;
		if ((sv & id_mask) == id && (state == STATE_COMMITTED || state == STATE_FINALIZED) && !cleared) {
			uint64_t ts = vs_kernel_ld64(k, info + p->off_ts);
			uint16_t tlen = vs_kernel_ld16(k, info + p->off_len);
			size_t n;
			const uint8_t *t;
			err = record_text(k, r, sbits, vs_kernel_ld_long(k, d + p->off_text_lpos + p->off_begin),
					  vs_kernel_ld_long(k, d + p->off_text_lpos + p->off_next), tlen, &t, &n);
			if (err)
				return err;
			vs_dmesg_print_record(out, ts, t, t ? n : 0);
			(*records)++;
		}
		if (id == (r->head & id_mask))
			break;
	}
	return NULL;
}

void vs_dmesg_print_record(FILE *out, uint64_t ts, const uint8_t *text, size_t len)
{
	int w = fprintf(out, "[%5llu.%06llu] ", (unsigned long long)(ts / 1000000000),
			(unsigned long long)(ts % 1000000000 / 1000));
	print_text(out, text, len, w);
	fputc('\n', out);
}

static struct vs_err *lockless(struct vs_kernel *k, bool partial, FILE *out, unsigned long *records)
{
	struct prb_keys p;
	struct ring *r = calloc(1, sizeof(*r));
	*records = 0;
	if (!r)
		return vs_enomem;
	struct vs_err *err = keys(k, &p);
	p.has_seq = false;
	if (!err && partial) {
		err = vs_vmci_offset(k->vmci, "printk_info.seq", &p.off_seq);
		if (!err && p.off_seq + 8 > p.size_info)
			err = vs_err_new(VS_ERR_CORRUPT, "--partial-dmesg: OFFSET(printk_info.seq) lies outside the record");
		if (!err)
			err = clear_seq(k, &p.min_seq);
		p.has_seq = !err;
	}
	if (!err)
		err = load_ring(k, &p, r);
	if (!err)
		err = print_records(k, &p, r, (unsigned)__builtin_ctzll(r->size), out, records);
	free(r);
	return err;
}

/* Present at all: a present but invalid value is the chosen reader's error to report. */
static bool has_symbol(const struct vs_kernel *k, const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	return vs_vmci_get(k->vmci, key) != NULL;
}

/*
 * The layout is told by the VMCOREINFO keys the kernel exports, never by
 * its version: SYMBOL(prb) since the lockless ring (5.10, 896fbe20b4e2),
 * SYMBOL(log_first_idx) since the variable-length records (3.5, kernel
 * commit 7ff9554bb578 "printk: convert byte-buffer to variable-length
 * record buffer"), SYMBOL(log_end) before that.
 */
struct vs_err *vs_dmesg_write(struct vs_kernel *k, bool partial, FILE *out, unsigned long *records)
{
	*records = 0;
	if (has_symbol(k, "prb"))
		return lockless(k, partial, out, records);
	if (has_symbol(k, "log_first_idx"))
		return vs_dmesg_records(k, partial, out, records);
	if (has_symbol(k, "log_end"))  /* no clear index: --partial-dmesg gives it all, as makedumpfile does */
		return vs_dmesg_plain(k, out, records);
	return vs_err_new(VS_ERR_NOTSUP, "the kernel log: VMCOREINFO has no SYMBOL(prb), SYMBOL(log_first_idx) "
			  "or SYMBOL(log_end) (no printk ring layout vmsift knows)");
}
