// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel log before the lockless ring (--printk records|plain): the
// same boot-like records stored as Linux 3.5-5.9 stores them (variable-
// length struct printk_log records in log_buf, with a zero-length wrap
// marker) or as older kernels do (a plain character ring indexed by
// log_end).  The 4 KiB buffer is overrun in both, so the oldest records
// are gone and the ring wraps.
#include <string.h>

#include "mkvmcore.h"

#define OFF_PRINTK 0x20000               /* from the image end, as printk.c */
#define LOG_LEN 4096u                    /* log_buf_len, a power of two */
#define HDR 16u                          /* struct printk_log without caller_id */
#define LOG_ALIGN 4u                     /* records are 4-byte aligned on x86 */
/* The variables, at these offsets from the printk area. */
#define V_LOG_BUF 0x00
#define V_LOG_BUF_LEN 0x08
#define V_FIRST_IDX 0x0c
#define V_NEXT_IDX 0x10
#define V_CLEAR_IDX 0x14
#define V_LOG_END 0x18
#define V_LOGGED 0x1c
#define BUF_OFF 0x1000

static uint8_t lbuf[LOG_LEN];
static uint32_t first_idx, next_idx, log_end;
static int first_seq, next_seq;
static uint32_t rec_idx[256];

static uint32_t len_at(uint32_t idx)
{
	return ld16t(lbuf + idx + 8);
}

/* The record after the one at idx; a zero len marks "the record is at 0". */
static uint32_t next_of(uint32_t idx)
{
	uint32_t l = len_at(idx);

	return l ? idx + l : len_at(0);
}

static int has_space(uint32_t size, int empty)
{
	uint32_t free;

	if (next_idx > first_idx || empty)
		free = LOG_LEN - next_idx > first_idx ? LOG_LEN - next_idx : first_idx;
	else
		free = first_idx - next_idx;
	return free >= size + HDR;       /* room for a wrap marker too */
}

static void store_record(int i)
{
	uint16_t tlen = (uint16_t)strlen(printk_text(i));
	uint16_t size = (uint16_t)round_up(HDR + tlen, LOG_ALIGN);
	uint64_t ts = printk_ts(i);
	uint8_t *h;

	while (first_seq < next_seq && !has_space(size, 0)) {
		first_idx = next_of(first_idx);
		first_seq++;
	}
	if (next_idx + size + HDR > LOG_LEN) {
		memset(lbuf + next_idx, 0, HDR);  /* len 0: continue at 0 */
		next_idx = 0;
	}
	h = lbuf + next_idx;
	memset(h, 0, size);
	st64(h, ts);
	st16(h + 8, size);
	st16(h + 10, tlen);
	h[15] = g_big_endian ? 6 : 6 << 5;       /* level 6, 5 flag bits (bit-field order) */
	memcpy(h + HDR, printk_text(i), tlen);
	rec_idx[i] = next_idx;
	next_idx += size;
	next_seq++;
}

static void store_plain(int i)
{
	char line[256];
	uint64_t ts = printk_ts(i);
	int n = snprintf(line, sizeof(line), "<6>[%5llu.%06llu] %s\n",
			 (unsigned long long)(ts / 1000000000ULL),
			 (unsigned long long)(ts % 1000000000ULL / 1000), printk_text(i));

	for (int c = 0; c < n; c++)
		lbuf[log_end++ & (LOG_LEN - 1)] = (uint8_t)line[c];
}

void printk_old_build(struct machine *m)
{
	uint64_t base = m->kimg_phys + m->kimg_size - OFF_PRINTK;
	uint64_t va = kimg_va(m, m->kimg_size - OFF_PRINTK);
	uint32_t clear;
	int n = printk_nrec();

	if (m->o->printk_count && m->o->printk_count < n)
		n = m->o->printk_count;
	memset(lbuf, 0, sizeof(lbuf));
	first_idx = next_idx = log_end = 0;
	first_seq = next_seq = 0;
	for (int i = 0; i < n; i++) {
		if (m->o->printk == PK_RECORDS)
			store_record(i);
		else
			store_plain(i);
	}
	if (m->o->corrupt == CR_LOG_WILD)        /* the newest record runs past the end */
		st16(lbuf + rec_idx[next_seq - 1] + 8, 0xfff0);
	if (m->o->corrupt == CR_LOG_LOOP) {      /* a wrap marker where the walk should stop, */
		memset(lbuf + next_idx, 0, HDR);
		next_idx += 2;                   /* and an end no record boundary reaches */
	}
	m->prb = va;                             /* the printk area */
	kstore_put64(base + V_LOG_BUF, va + BUF_OFF);
	kstore_put32(base + V_LOG_BUF_LEN, m->o->corrupt == CR_LOG_LEN ? 0x7fffffffu : LOG_LEN);
	kstore_put32(base + V_FIRST_IDX, first_idx);
	kstore_put32(base + V_NEXT_IDX, next_idx);
	/* "dmesg -c" 10 records in (or after the last) */
	clear = first_seq + 10 < next_seq ? rec_idx[first_seq + 10] : next_idx;
	kstore_put32(base + V_CLEAR_IDX, clear);
	kstore_put32(base + V_LOG_END, log_end);
	kstore_put32(base + V_LOGGED, log_end < LOG_LEN ? log_end : LOG_LEN);
	kstore_put(base + BUF_OFF, lbuf, sizeof(lbuf));
}

void printk_old_expected(const struct machine *m, FILE *f)
{
	if (m->o->printk == PK_PLAIN) {      /* the ring as is, oldest byte first */
		uint32_t at = log_end < LOG_LEN ? 0 : log_end & (LOG_LEN - 1);
		uint32_t n = log_end < LOG_LEN ? log_end : LOG_LEN;

		for (uint32_t c = 0; c < n; c++)
			fputc(lbuf[(at + c) & (LOG_LEN - 1)], f);
		return;
	}
	for (int i = first_seq; i < next_seq; i++) {
		uint64_t ts = printk_ts(i);
		int n = fprintf(f, "[%5llu.%06llu] ", (unsigned long long)(ts / 1000000000ULL),
				(unsigned long long)(ts % 1000000000ULL / 1000));

		printk_put_text(f, printk_text(i), n);
		fputc('\n', f);
	}
}

/* What log_buf_vmcoreinfo_setup() exported before the lockless ring. */
const char *printk_old_vmcoreinfo(const struct machine *m)
{
	static char buf[1024];
	unsigned long long va = (unsigned long long)m->prb;
	const char *st = m->o->printk_struct_log ? "log" : "printk_log";  /* renamed in 3.11 */

	if (m->o->printk == PK_PLAIN)
		snprintf(buf, sizeof(buf),
			 "SYMBOL(log_buf)=%llx\nSYMBOL(log_end)=%llx\n"
			 "SYMBOL(log_buf_len)=%llx\nSYMBOL(logged_chars)=%llx\n",
			 va + V_LOG_BUF, va + V_LOG_END, va + V_LOG_BUF_LEN, va + V_LOGGED);
	else
		snprintf(buf, sizeof(buf),
			 "SYMBOL(log_buf)=%llx\nSYMBOL(log_buf_len)=%llx\n"
			 "SYMBOL(log_first_idx)=%llx\nSYMBOL(clear_idx)=%llx\n"
			 "SYMBOL(log_next_idx)=%llx\nSIZE(%s)=%u\n"
			 "OFFSET(%s.ts_nsec)=0\nOFFSET(%s.len)=8\n"
			 "OFFSET(%s.text_len)=10\n",
			 va + V_LOG_BUF, va + V_LOG_BUF_LEN, va + V_FIRST_IDX, va + V_CLEAR_IDX,
			 va + V_NEXT_IDX, st, HDR, st, st, st);
	return buf;
}
