// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One pass over kallsyms_names, read through a 64 KiB window.  Each entry is
 * a token count (one byte, or two since Linux 6.1, 73bbb94466fd) and that
 * many token numbers; the first decoded character is the type letter.  A
 * symbol nobody asked about costs its count byte and a table lookup per
 * token until no wanted name fits (most go at the first or second token);
 * the few left are compared token by token.  Only the symbols at the
 * candidate indices are decoded in full.
 */
#include <stdlib.h>
#include <string.h>

#include "kallsyms_priv.h"

#define WINDOW (64u << 10)
#define ENTRY_MAX 128u   /* a one-byte-count entry: the count and up to 127 token numbers */

/*
 * A window on the stream: a pointer into the dump's mapping where the bytes
 * are physically contiguous there (no copy), else into buf.  Nothing else
 * is read from the dump during a pass (hit() only takes notes), so the
 * mapping stays put.
 */
struct ks_stream {
	struct vs_kallsyms *ks;
	uint8_t *buf;
	const uint8_t *data;
	uint64_t start;   /* stream offset of data[0] */
	size_t len;
};

static struct vs_err *ks_map(struct ks_stream *s, uint64_t pos, size_t want)
{
	struct vs_kallsyms *ks = s->ks;
	uint64_t paddr, span;
	struct vs_err *err = vs_kernel_vtop_span(ks->k, ks->names + pos, &paddr, &span);
	if (!err && span < want)
		want = (size_t)span;
	if (!err)
		err = vs_vmcore_map_phys(ks->k->vc, paddr, want, s->buf, &s->data);
	if (!err) {
		s->start = pos;
		s->len = want;
	}
	return err;
}

static struct vs_err *ks_fill(struct ks_stream *s, uint64_t pos)
{
	const struct vs_kallsyms *ks = s->ks;
	s->len = 0;
	if (pos >= ks->names_room)
		return vs_err_new(VS_ERR_CORRUPT, "kallsyms_names: byte %llu is past the table's end (%llu bytes)",
				  (unsigned long long)pos, (unsigned long long)ks->names_room);
	size_t want = ks->names_room - pos < WINDOW ? (size_t)(ks->names_room - pos) : WINDOW;
	struct vs_err *err = ks_map(s, pos, want);
	size_t page = (size_t)(ks->k->page_size - ((ks->names + pos) & (ks->k->page_size - 1)));
	if (err && page < want) {  /* the window may reach unreadable memory past the table: this page only */
		vs_err_free(err);
		err = ks_map(s, pos, page);
	}
	if (err)
		return vs_err_wrap(err, "kallsyms_names at 0x%llx + %llu", (unsigned long long)ks->names,
				   (unsigned long long)pos);
	return NULL;
}

static inline struct vs_err *ks_byte(struct ks_stream *s, uint64_t pos, uint8_t *b)
{
	if (pos - s->start >= s->len) {
		struct vs_err *err = ks_fill(s, pos);
		if (err)
			return err;
	}
	*b = s->data[pos - s->start];
	return NULL;
}

/* Refills the window at pos unless want bytes from pos are in it (fewer when the table ends sooner). */
static inline struct vs_err *ks_ensure(struct ks_stream *s, uint64_t pos, size_t want)
{
	uint64_t off = pos - s->start;
	return off >= s->len || s->len - off < want ? ks_fill(s, pos) : NULL;
}

/* Where a partial match stands: which searched names still match, and how far. */
struct ks_match {
	uint64_t mask;
	size_t off;      /* name characters matched */
	bool typed;      /* the type letter has gone by */
};

static void ks_match_token(const struct vs_kallsyms *ks, const struct ks_walk *w, const size_t *lens,
			   struct ks_match *m, uint8_t tok)
{
	const char *s = ks->tokens + ks->token_at[tok];
	size_t len = ks->token_len[tok];
	if (!m->typed && len) {
		s++, len--;
		m->typed = true;
	}
	for (uint64_t bits = m->mask; bits; bits &= bits - 1) {
		unsigned b = (unsigned)__builtin_ctzll(bits);
		size_t id = w->search[b];
		if (len > lens[id] - m->off || memcmp(w->names[id] + m->off, s, len))
			m->mask &= ~(1ull << b);
	}
	m->off += len;
}

#define PREFIX 16   /* name characters the hot loop matches by table */

/*
 * The hot loop's tables.  first[t]: the searched names a symbol whose first
 * token is t can still be (the type letter dropped).  at[o * 256 + t]: those
 * whose characters from o on begin with token t (o < PREFIX), so a symbol's
 * tokens are matched a table lookup each until no name is left; tokens are
 * bucketed by first character so building costs a few compares per name
 * character, not per token.
 */
static void ks_token_masks(const struct vs_kallsyms *ks, const struct ks_walk *w, const size_t *lens, uint64_t *first,
			   uint64_t *at)
{
	uint64_t all = w->nsearch >= 64 ? ~0ull : (1ull << w->nsearch) - 1;
	uint16_t start[257] = { 0 }, start2[257] = { 0 }, fill[256];
	uint8_t by_char[256], by_second[256];
	for (int t = 0; t < 256; t++) {
		const char *c = ks->tokens + ks->token_at[t];
		start[(uint8_t)c[0] + 1]++;
		start2[(uint8_t)(c[0] ? c[1] : 0) + 1]++;
	}
	for (int c = 0; c < 256; c++) {
		start[c + 1] += start[c];
		start2[c + 1] += start2[c];
	}
	memcpy(fill, start, sizeof(fill));
	for (int t = 0; t < 256; t++)
		by_char[fill[(uint8_t)ks->tokens[ks->token_at[t]]]++] = (uint8_t)t;
	memcpy(fill, start2, sizeof(fill));
	for (int t = 0; t < 256; t++) {
		const char *c = ks->tokens + ks->token_at[t];
		by_second[fill[(uint8_t)(c[0] ? c[1] : 0)]++] = (uint8_t)t;
	}
	/* first: the type letter, then characters from the name's start; a bare letter or an empty token fits all. */
	for (int k = start2[0]; k < start2[1]; k++)
		first[by_second[k]] = all;
	for (size_t b = 0; b < w->nsearch; b++) {
		const char *name = w->names[w->search[b]];
		size_t len = lens[w->search[b]];
		uint8_t c = (uint8_t)name[0];
		for (int k = start2[c]; c && k < start2[c + 1]; k++) {
			uint8_t t = by_second[k];
			if (ks->token_len[t] - 1u <= len && !memcmp(name, ks->tokens + ks->token_at[t] + 1, ks->token_len[t] - 1u))
				first[t] |= 1ull << b;
		}
	}
	memset(at, 0, PREFIX * 256 * sizeof(*at));
	for (size_t b = 0; b < w->nsearch; b++) {
		const char *name = w->names[w->search[b]];
		size_t len = lens[w->search[b]];
		for (size_t o = 0; o < PREFIX && o <= len; o++) {
			for (int k = start[0]; k < start[1]; k++)  /* empty tokens fit anywhere */
				at[o * 256 + by_char[k]] |= 1ull << b;
			uint8_t c = (uint8_t)name[o];
			for (int k = start[c]; c && o < len && k < start[c + 1]; k++) {
				uint8_t t = by_char[k];
				if (ks->token_len[t] <= len - o && !memcmp(name + o, ks->tokens + ks->token_at[t], ks->token_len[t]))
					at[o * 256 + t] |= 1ull << b;
			}
		}
	}
}

/* Compares the symbol's tokens at pos with the searched names in mask. */
static struct vs_err *ks_search(struct ks_stream *s, const struct ks_walk *w, const size_t *lens, uint64_t mask,
				uint64_t pos, size_t ntok, uint32_t index)
{
	struct ks_match m = { mask, 0, false };
	struct vs_err *err = NULL;
	for (size_t t = 0; t < ntok && m.mask; t++) {
		uint8_t tok;
		if ((err = ks_byte(s, pos + t, &tok)))
			return err;
		ks_match_token(s->ks, w, lens, &m, tok);
	}
	for (uint64_t bits = m.mask; bits && !err; bits &= bits - 1) {
		size_t id = w->search[__builtin_ctzll(bits)];
		if (m.typed && m.off == lens[id])
			err = w->hit(w->arg, id, index);
	}
	return err;
}

/* Decodes the symbol's name (type letter dropped) and reports every name it equals. */
static struct vs_err *ks_decode_cmp(struct ks_stream *s, const struct ks_walk *w, uint64_t pos, size_t ntok,
				    uint32_t index)
{
	char name[KS_NAME_MAX];
	size_t out = 0;
	bool typed = false;
	struct vs_err *err;
	for (size_t t = 0; t < ntok; t++) {
		uint8_t tok;
		if ((err = ks_byte(s, pos + t, &tok)))
			return err;
		const char *c = s->ks->tokens + s->ks->token_at[tok];
		if (!typed && *c)
			c++, typed = true;
		for (; *c && out < sizeof(name) - 1; c++)
			name[out++] = *c;
	}
	name[out] = '\0';
	for (size_t id = 0; id < w->nnames; id++)
		if (typed && !strcmp(name, w->names[id]) && (err = w->hit(w->arg, id, index)))
			return err;
	return NULL;
}

/* An entry's token count and first token number (if any), byte by byte across windows. */
static struct vs_err *ks_head_slow(struct ks_stream *s, uint64_t pos, size_t *ntok, size_t *hdr, uint8_t *tok0)
{
	uint8_t b0, b1 = 0;
	struct vs_err *err;
	if ((err = ks_byte(s, pos, &b0)) || ((b0 & 0x80) && (err = ks_byte(s, pos + 1, &b1))))
		return err;
	/* Two-byte counts since Linux 6.1; older names never reach 128 tokens, so the high bit is unambiguous. */
	*hdr = b0 & 0x80 ? 2 : 1;
	*ntok = b0 & 0x80 ? (b0 & 0x7fu) | (size_t)b1 << 7 : b0;
	return *ntok ? ks_byte(s, pos + *hdr, tok0) : NULL;
}

/* What the hot loop needs, in one place. */
struct ks_fast {
	const uint64_t *first, *at;
	const uint16_t *token_len;
	uint32_t n;
	uint64_t room;
};

/*
 * The hot loop, over the bytes in the window: skips every symbol that has a
 * one-byte count, is no candidate (index stop) and whose first tokens rule
 * out every searched name, a table lookup per token.  Returns the index
 * of the first symbol that needs a closer look (or n), *pos its offset.
 */
static uint32_t ks_skip(const struct ks_fast *f, const struct ks_stream *s, uint32_t i, uint32_t stop, uint64_t *pos)
{
	const uint8_t *d = s->data - s->start;   /* indexed by stream offset */
	const uint64_t *first = f->first, *at = f->at;
	const uint16_t *token_len = f->token_len;
	/* Below safe a whole one-byte-count entry (and the next count) is in the window and the room. */
	uint64_t p = *pos, end = s->start + s->len < f->room ? s->start + s->len : f->room;
	uint64_t safe = end < ENTRY_MAX ? 0 : end - ENTRY_MAX;
	if (stop > f->n)
		stop = f->n;
	for (; i != stop && p <= safe; i++) {
		uint8_t ntok = d[p], t0 = d[p + 1];
		if (ntok & 0x80)
			break;
		uint64_t mask = first[t0];
		if (mask) {
			size_t off = token_len[t0];
			if (!off--)  /* an empty first token: the type letter comes later */
				break;
			for (unsigned k = 2; k <= ntok && mask && off < PREFIX; k++) {
				uint8_t t = d[p + k];
				mask &= at[off * 256 + t];
				off += token_len[t];
			}
			if (mask)
				break;
		}
		p += 1u + ntok;
	}
	*pos = p;
	return i;
}

/* One symbol the hot loop stopped at: read byte by byte across windows. */
static struct vs_err *ks_entry(struct ks_stream *s, const struct ks_walk *w, const size_t *lens, const struct ks_fast *f,
			       uint32_t i, bool cand, uint64_t *pos)
{
	size_t ntok, hdr;
	uint8_t tok0 = 0;
	struct vs_err *err = ks_head_slow(s, *pos, &ntok, &hdr, &tok0);
	if (err)
		return vs_err_wrap(err, "kallsyms symbol %u of %u", i, f->n);
	uint64_t tokpos = *pos + hdr;
	if (ntok > f->room - tokpos)
		return vs_err_new(VS_ERR_CORRUPT,
				  "kallsyms_names: symbol %u of %u (byte %llu) has %zu tokens, past the table's end (%llu bytes)",
				  i, f->n, (unsigned long long)*pos, ntok, (unsigned long long)f->room);
	*pos = tokpos + ntok;
	if (cand)
		return ks_decode_cmp(s, w, tokpos, ntok, i);
	uint64_t mask = ntok ? f->first[tok0] : 0;
	return mask ? ks_search(s, w, lens, mask, tokpos, ntok, i) : NULL;
}

static struct vs_err *ks_walk_entries(struct ks_stream *s, const struct ks_walk *w, const size_t *lens,
				      const uint64_t *first, const uint64_t *at)
{
	const struct ks_fast f = { first, at, s->ks->token_len, s->ks->n, s->ks->names_room };
	uint64_t pos = 0;
	size_t c = 0;
	uint32_t next = w->ncands ? w->cands[0] : KS_NO_INDEX;
	struct vs_err *err;
	for (uint32_t i = 0; i < f.n; i++) {
		if ((err = ks_ensure(s, pos, ENTRY_MAX)))
			return vs_err_wrap(err, "kallsyms symbol %u of %u", i, f.n);
		if ((i = ks_skip(&f, s, i, next, &pos)) >= f.n)
			break;
		bool cand = i == next;
		if (cand) {
			while (c < w->ncands && w->cands[c] <= i)
				c++;
			next = c < w->ncands ? w->cands[c] : KS_NO_INDEX;
		}
		if ((err = ks_entry(s, w, lens, &f, i, cand, &pos)))
			return err;
	}
	return NULL;
}

struct vs_err *ks_walk(struct vs_kallsyms *ks, const struct ks_walk *w)
{
	if (w->nsearch > KS_SEARCH_MAX)
		return vs_err_new(VS_ERR_INVALID, "kallsyms: %zu names in one pass (at most %d)", w->nsearch,
				  KS_SEARCH_MAX);
	struct ks_stream s = { ks, malloc(WINDOW), NULL, 0, 0 };
	size_t *lens = malloc((w->nnames ? w->nnames : 1) * sizeof(*lens));
	uint64_t *first = calloc((1 + PREFIX) * 256, sizeof(*first));
	struct vs_err *err = NULL;
	if (!s.buf || !lens || !first) {
		err = vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	} else {
		for (size_t i = 0; i < w->nnames; i++)
			lens[i] = strlen(w->names[i]);
		ks_token_masks(ks, w, lens, first, first + 256);
		err = ks_walk_entries(&s, w, lens, first, first + 256);
	}
	free(first);
	free(lens);
	free(s.buf);
	return err;
}
