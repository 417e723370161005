// SPDX-License-Identifier: GPL-2.0-or-later
// --kallsyms: the kernel's compressed symbol table in the image, located by
// SYMBOL(kallsyms_*) in VMCOREINFO as Linux 6.0+ exports it.  Names are
// token numbers into a 256-entry token table (a few tokens span several
// characters, one carries the type letter, one symbol needs a two-byte token
// count); addresses are 32-bit offsets against kallsyms_relative_base, either
// plain (arm64) or in x86_64's KALLSYMS_ABSOLUTE_PERCPU form, where per-CPU
// symbols keep small absolute values.
#include <stdlib.h>
#include <string.h>

#include "ktokens.h"
#include "mkvmcore.h"

#define KS_AREA_FROM_END 0x100000        /* image offset from _end */
#define KS_AREA_SIZE 0x80000
#define KS_FILLER 200                    /* gen_fn_NNN text symbols */
#define KS_MAX (KS_FILLER + 16)

struct ksym {
	const char *name;
	char type;
	uint64_t addr;
	int percpu;
};

/* Multi-character tokens (numbers 0x80 on); the others are single characters. */
static const char *const multi[] = { "Dnode_", "gen_fn_", "node_", "init_", "_map", "pg_dir" };
#define NMULTI (sizeof(multi) / sizeof(multi[0]))

static void token_of(int i, char *out)
{
	ktok_text(multi, NMULTI, i, out);
}

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The symbols, ascending by address; returns how many. */
static int collect(const struct machine *m, struct ksym *s, char *big)
{
	static char filler[KS_FILLER][16];
	int n = 0;

	if (m->o->kallsyms == KS_PERCPU) {
		s[n++] = (struct ksym){ "fixed_percpu_data", 'D', 0, 1 };
		s[n++] = (struct ksym){ "pcpu_hot", 'D', 0x2c000, 1 };
	}
	s[n++] = (struct ksym){ "_text", 'T', kimg_va(m, 0), 0 };
	s[n++] = (struct ksym){ "_stext", 'T', m->stext, 0 };
	for (int i = 0; i < KS_FILLER; i++) {
		snprintf(filler[i], sizeof(filler[i]), "gen_fn_%03d", i);
		s[n++] = (struct ksym){ filler[i], i % 3 ? 't' : 'T', m->stext + 0x100 * (uint64_t)(i + 1), 0 };
	}
	memset(big, 'x', 200);
	strcpy(big + 200, "_big");                /* 204 characters, one token each: > 127 tokens */
	s[n++] = (struct ksym){ big, 't', m->stext + 0x100 * (KS_FILLER + 1), 0 };
	s[n++] = (struct ksym){ "_etext", 'T', kimg_va(m, m->kimg_size / 4 * 3), 0 };
	s[n++] = (struct ksym){ "swapper_pg_dir", 'D', m->init_top_pgt, 0 };
	s[n++] = (struct ksym){ "init_uts_ns", 'D',
				m->init_uts_ns + (m->o->kallsyms == KS_DISAGREE ? PAGE_SIZE : 0), 0 };
	s[n++] = (struct ksym){ "node_online_map", 'D', m->node_online_map, 0 };
	s[n++] = (struct ksym){ "vmap_area_list", 'd', m->vmap_area_list, 0 };
	if (m->o->memmodel != MM_FLAT)
		s[n++] = (struct ksym){ "node_data", 'D', m->node_data, 0 };
	s[n++] = (struct ksym){ "_end", 'B', kimg_va(m, m->kimg_size), 0 };
	qsort(s, (size_t)n, sizeof(*s), ksym_cmp);
	return n;
}

static size_t encode(char type, const char *name, uint8_t *out)
{
	return ktok_encode(multi, NMULTI, type, name, out);
}

static void put32(uint64_t pa, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	kstore_put(pa, b, 4);
}

static uint64_t put_tokens(uint64_t pa_index, uint64_t pa_table)
{
	uint64_t at = 0;

	for (int i = 0; i < 256; i++) {
		char t[16];
		uint8_t idx[2] = { (uint8_t)at, (uint8_t)(at >> 8) };

		token_of(i, t);
		kstore_put(pa_index + 2 * (uint64_t)i, idx, 2);
		kstore_put(pa_table + at, t, strlen(t) + 1);
		at += strlen(t) + 1;
	}
	return at;
}

void kallsyms_build(struct machine *m)
{
	struct ksym s[KS_MAX];
	char big[256];
	uint64_t off = m->kimg_size - KS_AREA_FROM_END, pa = m->kimg_phys + off;
	int n;

	if (m->o->kallsyms == KS_NONE)
		return;
	n = collect(m, s, big);
	uint64_t base = kimg_va(m, 0);
	uint64_t a_index = 0x10, a_table = 0x210, a_offsets = 0x1400;
	uint64_t a_names = a_offsets + round_up(4 * (uint64_t)n, 16);

	put32(pa, (uint32_t)n);
	kstore_put64(pa + 8, base);
	if (put_tokens(pa + a_index, pa + a_table) > a_offsets - a_table)
		die("kallsyms: token table too big");
	uint64_t w = a_names;
	for (int i = 0; i < n; i++) {
		uint8_t tok[512];
		size_t cnt = encode(s[i].type, s[i].name, tok);
		uint8_t hdr[2] = { (uint8_t)cnt, 0 };
		size_t hl = 1;
		int32_t v;

		if (m->o->kallsyms == KS_PERCPU)
			v = s[i].percpu ? (int32_t)s[i].addr : (int32_t)(base - 1 - s[i].addr);
		else
			v = (int32_t)(uint32_t)(s[i].addr - base);
		put32(pa + a_offsets + 4 * (uint64_t)i, (uint32_t)v);
		if (cnt > 0x7f) {                /* Linux 6.1's two-byte count */
			hdr[0] = (uint8_t)(0x80 | (cnt & 0x7f));
			hdr[1] = (uint8_t)(cnt >> 7);
			hl = 2;
		}
		kstore_put(pa + w, hdr, hl);
		kstore_put(pa + w + hl, tok, cnt);
		w += hl + cnt;
	}
	if (w > KS_AREA_SIZE)
		die("kallsyms: tables overflow their area");
	m->ks_num = kimg_va(m, off);
	m->ks_base = kimg_va(m, off + 8);
	m->ks_token_index = kimg_va(m, off + a_index);
	m->ks_token_table = kimg_va(m, off + a_table);
	m->ks_offsets = kimg_va(m, off + a_offsets);
	m->ks_names = kimg_va(m, off + a_names);
}

void kallsyms_vmci(struct sbuf *b, const struct machine *m)
{
	if (m->o->kallsyms == KS_NONE)
		return;
	SYM(b, "kallsyms_names", m->ks_names);
	SYM(b, "kallsyms_num_syms", m->ks_num);
	SYM(b, "kallsyms_token_table", m->ks_token_table);
	SYM(b, "kallsyms_token_index", m->ks_token_index);
	SYM(b, "kallsyms_offsets", m->ks_offsets);
	SYM(b, "kallsyms_relative_base", m->ks_base);
}
