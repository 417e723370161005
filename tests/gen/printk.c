// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel log: a lockless printk ring buffer (Linux 5.10+ layout) in
// the kernel image, holding boot-like records.  The 4 KiB text ring is
// overrun once, so the oldest records are gone, one block wraps around
// the end of the ring, and the tail does not start at id 0.  Also writes
// the text that makedumpfile --dump-dmesg should print (--dmesg FILE).
#include <ctype.h>
#include <string.h>

#include "mkvmcore.h"

#define DESC_BITS 7                      /* 128 descriptors */
#define TEXT_BITS 12                     /* 4 KiB text ring */
#define NREC 96
#define SZ_DESC 24
#define SZ_INFO 88
#define OFF_PRINTK 0x20000               /* from the image end */
#define ST_FINALIZED 2ULL
#define ST_REUSABLE 3ULL

struct rec {
	char text[160];
	uint64_t ts, begin, next;
	int valid;
};

static struct rec recs[NREC];
static uint64_t head_lpos;

static void make_texts(const struct machine *m)
{
	int n = 0;

	snprintf(recs[n++].text, 160, "Linux version %s (vmsift@synthetic) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC",
		 m->o->kver == KV_6_12 ? "6.12.0-synthetic" : "6.1.0-synthetic");
	{
		char lines[19][160];
		int nl = m->arch->boot_log(m, lines, 19);

		for (int i = 0; i < nl; i++)
			memcpy(recs[n++].text, lines[i], 160);
	}
	snprintf(recs[n++].text, 160, "mkvmcore: seed %llu, %llu MiB",
		 (unsigned long long)m->o->seed, (unsigned long long)(m->o->mem >> 20));
	while (n < NREC - 4) {
		uint64_t h = hash3(m->o->seed, (uint64_t)n, 0x6c6f67);

		snprintf(recs[n].text, 160, "synthetic event %d: value %08llx%s", n,
			 (unsigned long long)(h & 0xffffffff),
			 h & 0x100000000ULL ? " (with some extra words to vary the length)" : "");
		n++;
	}
	snprintf(recs[n++].text, 160, "multi-line record: first line\nsecond line\n\tthird line");
	snprintf(recs[n++].text, 160, "control bytes: \x01\x7f end");
	snprintf(recs[n++].text, 160, "sysrq: Trigger a crash");
	snprintf(recs[n++].text, 160, "Kernel panic - not syncing: sysrq triggered crash");
	for (int i = 0; i < NREC; i++)
		recs[i].ts = 1000000ULL * ((uint64_t)i * 37 + 3) + 1234 * (uint64_t)i;
}

int printk_nrec(void)
{
	return NREC;
}

const char *printk_text(int i)
{
	return recs[i].text;
}

uint64_t printk_ts(int i)
{
	return recs[i].ts;
}

/* A record's text as makedumpfile prints it: continuation lines indented,
 * bytes that are neither printable nor white space as \xNN. */
void printk_put_text(FILE *f, const char *text, int indent)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n')
			fprintf(f, "\n%*s", indent, "");
		else if (isprint(*p) || isspace(*p))
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
}

/* Place each record's data block as the kernel does: [id][text] aligned
 * to 8; a block that would cross the end of the ring is stored at its
 * start instead.  Only the blocks in the last ring-size bytes survive. */
static void place(uint8_t *ring)
{
	const uint64_t rs = 1ULL << TEXT_BITS;

	head_lpos = 0;
	for (uint64_t id = 0; id < NREC; id++) {
		struct rec *r = &recs[id];
		uint64_t size = round_up(8 + strlen(r->text), 8), at;

		r->begin = head_lpos;
		r->next = r->begin + size;
		at = r->begin % rs;
		st64(ring + at, id);             /* the id where the block begins */
		if (r->begin / rs != r->next / rs) {
			r->next = (r->next / rs) * rs + size;
			at = 0;
			st64(ring, id);
		}
		memcpy(ring + at + 8, r->text, strlen(r->text));
		head_lpos = r->next;
	}
	for (int i = 0; i < NREC; i++)
		recs[i].valid = recs[i].begin + rs >= head_lpos;
}

static uint32_t caller_of(uint64_t id);

static int first_valid(void)
{
	int i = 0;

	while (i < NREC && !recs[i].valid)
		i++;
	return i;
}

void printk_build(struct machine *m)
{
	uint64_t base = m->kimg_phys + m->kimg_size - OFF_PRINTK;
	uint64_t va = kimg_va(m, m->kimg_size - OFF_PRINTK);
	uint64_t descs = base + 0x1000, infos = base + 0x2000, text = base + 0x5000;
	uint8_t ring[1 << TEXT_BITS];
	int tail;

	make_texts(m);
	if (m->o->printk != PK_LOCKLESS) {
		printk_old_build(m);
		return;
	}
	memset(ring, 0, sizeof(ring));
	place(ring);
	tail = first_valid();
	m->prb = va;                             /* struct printk_ringbuffer *prb */
	m->printk_rb_static = va + 0x40;
	m->clear_seq = va + 0x100;
	kstore_put64(base, m->printk_rb_static);
	/* desc_ring: count_bits, descs, infos, head_id, tail_id, last_finalized */
	kstore_put32(base + 0x40, DESC_BITS);
	kstore_put64(base + 0x48, va + 0x1000);
	kstore_put64(base + 0x50, va + 0x2000);
	kstore_put64(base + 0x58, NREC - 1);
	kstore_put64(base + 0x60, (uint64_t)tail);
	kstore_put64(base + 0x68, NREC - 1);
	/* text_data_ring: size_bits, data, head_lpos, tail_lpos; then fail */
	kstore_put32(base + 0x70, TEXT_BITS);
	kstore_put64(base + 0x78, va + 0x5000);
	kstore_put64(base + 0x80, head_lpos);
	kstore_put64(base + 0x88, recs[tail].begin);
	/* clear_seq: latched_seq { seqcount latch; u64 val[2] } */
	kstore_put64(base + 0x108, (uint64_t)tail + 10);
	kstore_put64(base + 0x110, (uint64_t)tail + 10);
	for (uint64_t id = 0; id < NREC; id++) {
		uint64_t d = descs + (id % (1U << DESC_BITS)) * SZ_DESC;
		uint64_t in = infos + (id % (1U << DESC_BITS)) * SZ_INFO;
		uint64_t st = recs[id].valid ? ST_FINALIZED : ST_REUSABLE;
		uint16_t len = (uint16_t)strlen(recs[id].text);
		uint32_t caller = caller_of(id);

		kstore_put64(d, st << 62 | id);
		kstore_put64(d + 8, recs[id].begin);
		kstore_put64(d + 16, recs[id].next);
		kstore_put64(in, id);                         /* seq */
		kstore_put64(in + 8, recs[id].ts);
		kstore_put16(in + 16, len);
		/* level 6: u8 flags:5, level:3 (big-endian bit-fields start at the top) */
		kstore_put(in + 19, &(uint8_t){ g_big_endian ? 6 : 6 << 5 }, 1);
		kstore_put32(in + 20, caller);
	}
	kstore_put(text, ring, sizeof(ring));
}

static uint32_t caller_of(uint64_t id)
{
	return id % 3 ? (uint32_t)(100 + id) : 0x80000000U;   /* task or CPU 0 */
}

/* What makedumpfile --dump-dmesg prints for these records: 1.7.2 prints
 * "[time] text"; later versions add the caller, "[time] [    T123] text". */
void printk_expected(const struct machine *m, FILE *f, int with_caller)
{
	if (m->o->printk != PK_LOCKLESS) {
		printk_old_expected(m, f);
		return;
	}
	for (int i = first_valid(); i < NREC; i++) {
		char pre[64], who[16];
		uint32_t c = caller_of((uint64_t)i);
		int n = snprintf(pre, sizeof(pre), "[%5llu.%06llu] ",
				 (unsigned long long)(recs[i].ts / 1000000000ULL),
				 (unsigned long long)(recs[i].ts % 1000000000ULL / 1000));

		if (with_caller) {
			snprintf(who, sizeof(who), "%c%u", c & 0x80000000U ? 'C' : 'T',
				 c & 0x7fffffffU);
			n += snprintf(pre + n, sizeof(pre) - (size_t)n, "[%8s] ", who);
		}

		fputs(pre, f);
		printk_put_text(f, recs[i].text, n);
		fputc('\n', f);
	}
}

int printk_first_seq(void)
{
	return first_valid();
}

/* The keys log_buf_vmcoreinfo_setup() adds, with our struct layouts. */
const char *printk_vmcoreinfo(const struct machine *m)
{
	static char buf[2048];

	if (m->o->printk != PK_LOCKLESS)
		return printk_old_vmcoreinfo(m);
	snprintf(buf, sizeof(buf),
		 "SYMBOL(prb)=%llx\nSYMBOL(printk_rb_static)=%llx\n"
		 "SYMBOL(clear_seq)=%llx\n"
		 "SIZE(printk_ringbuffer)=88\nOFFSET(printk_ringbuffer.desc_ring)=0\n"
		 "OFFSET(printk_ringbuffer.text_data_ring)=48\n"
		 "OFFSET(printk_ringbuffer.fail)=80\n"
		 "SIZE(prb_desc_ring)=48\nOFFSET(prb_desc_ring.count_bits)=0\n"
		 "OFFSET(prb_desc_ring.descs)=8\nOFFSET(prb_desc_ring.infos)=16\n"
		 "OFFSET(prb_desc_ring.head_id)=24\nOFFSET(prb_desc_ring.tail_id)=32\n"
		 "SIZE(prb_desc)=24\nOFFSET(prb_desc.state_var)=0\n"
		 "OFFSET(prb_desc.text_blk_lpos)=8\n"
		 "SIZE(prb_data_blk_lpos)=16\nOFFSET(prb_data_blk_lpos.begin)=0\n"
		 "OFFSET(prb_data_blk_lpos.next)=8\n"
		 "SIZE(printk_info)=88\nOFFSET(printk_info.seq)=0\n"
		 "OFFSET(printk_info.ts_nsec)=8\nOFFSET(printk_info.text_len)=16\n"
		 "OFFSET(printk_info.caller_id)=20\nOFFSET(printk_info.dev_info)=24\n"
		 "SIZE(dev_printk_info)=64\nOFFSET(dev_printk_info.subsystem)=0\n"
		 "LENGTH(printk_info_subsystem)=16\nOFFSET(dev_printk_info.device)=16\n"
		 "LENGTH(printk_info_device)=48\n"
		 "SIZE(prb_data_ring)=32\nOFFSET(prb_data_ring.size_bits)=0\n"
		 "OFFSET(prb_data_ring.data)=8\nOFFSET(prb_data_ring.head_lpos)=16\n"
		 "OFFSET(prb_data_ring.tail_lpos)=24\n"
		 "SIZE(atomic_long_t)=8\nOFFSET(atomic_long_t.counter)=0\n"
		 "SIZE(latched_seq)=24\nOFFSET(latched_seq.val)=8\n",
		 (unsigned long long)m->prb, (unsigned long long)m->printk_rb_static,
		 (unsigned long long)m->clear_seq);
	return buf;
}
