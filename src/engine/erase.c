// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The erase set (vmsift/erase.h): objects as --config named them, then
 * physical pieces, each within one page, sorted, so a page finds its pieces
 * by binary search.  makedumpfile translates only an object's first byte
 * and assumes the rest is physically contiguous; here every page of it goes
 * through the page tables (vmalloc'ed and module data are not contiguous).
 */
#include "vmsift/erase.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct object {
	unsigned cmd;
	const char *text;      /* owned by the command table */
	uint64_t vaddr, paddr, size;
	bool nullify;
	uint32_t rank;         /* record order: of its command's first object */
};

struct piece {
	uint64_t paddr;
	uint32_t len;
	uint32_t object;
	atomic_bool written;
};

struct vs_erase {
	struct object *obj;
	size_t nobj, capobj;
	struct piece *pc;
	size_t npc;
	char **texts;          /* per command */
	uint32_t *cmd_rank;    /* per command, 0 = none yet */
	size_t ncmd;
	uint32_t next_rank;
	uint64_t page_size;
	uint32_t *by_start;    /* hash of objects by physical start: index + 1, 0 = empty */
	size_t hcap;
};

struct vs_erase *vs_erase_new(void)
{
	return calloc(1, sizeof(struct vs_erase));
}

void vs_erase_free(struct vs_erase *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->ncmd; i++)
		free(e->texts[i]);
	free(e->texts);
	free(e->cmd_rank);
	free(e->obj);
	free(e->pc);
	free(e->by_start);
	free(e);
}

static struct vs_err *grow_cmds(struct vs_erase *e, unsigned cmd, const char *text)
{
	if (cmd >= e->ncmd) {
		size_t n = cmd + 1;
		char **t = realloc(e->texts, n * sizeof(*t));
		if (!t)
			return vs_enomem;
		e->texts = t;
		uint32_t *r = realloc(e->cmd_rank, n * sizeof(*r));
		if (!r)
			return vs_enomem;
		e->cmd_rank = r;
		for (size_t i = e->ncmd; i < n; i++)
			e->texts[i] = NULL, e->cmd_rank[i] = 0;
		e->ncmd = n;
	}
	if (!e->texts[cmd] && !(e->texts[cmd] = strdup(text)))
		return vs_enomem;
	return NULL;
}

static size_t slot_of(const struct vs_erase *e, uint64_t paddr)
{
	size_t i = (size_t)(paddr * 0x9e3779b97f4a7c15ull >> 17) & (e->hcap - 1);
	while (e->by_start[i] && e->obj[e->by_start[i] - 1].paddr != paddr)
		i = (i + 1) & (e->hcap - 1);
	return i;
}

/* Keeps the start hash at most half full; -1 on ENOMEM. */
static int grow_hash(struct vs_erase *e)
{
	if ((e->nobj + 1) * 2 <= e->hcap)
		return 0;
	size_t cap = e->hcap ? e->hcap * 2 : 256;
	uint32_t *h = calloc(cap, sizeof(*h));
	if (!h)
		return -1;
	free(e->by_start);
	e->by_start = h;
	e->hcap = cap;
	for (size_t i = 0; i < e->nobj; i++)
		e->by_start[slot_of(e, e->obj[i].paddr)] = (uint32_t)i + 1;
	return 0;
}

struct vs_err *vs_erase_add(struct vs_erase *e, struct vs_kernel *k, unsigned cmd, const char *text,
			    uint64_t vaddr, uint64_t size, bool nullify)
{
	uint64_t paddr;
	struct vs_err *err = vs_kernel_vtop(k, vaddr, &paddr);
	if (err)
		return vs_err_wrap(err, "%s at 0x%llx", text, (unsigned long long)vaddr);
	if (e->nobj >= UINT32_MAX - 1 || grow_hash(e) < 0)
		return vs_enomem;
	/* Same start as an earlier object: one record, the larger size (makedumpfile's rule). */
	size_t slot = slot_of(e, paddr);
	if (e->by_start[slot]) {
		struct object *o = &e->obj[e->by_start[slot] - 1];
		if (size > o->size)
			o->size = size;
		return NULL;
	}
	if ((err = grow_cmds(e, cmd, text)))
		return err;
	if (e->nobj == e->capobj) {
		size_t cap = e->capobj ? e->capobj * 2 : 64;
		struct object *o = realloc(e->obj, cap * sizeof(*o));
		if (!o)
			return vs_enomem;
		e->obj = o;
		e->capobj = cap;
	}
	if (!e->cmd_rank[cmd])
		e->cmd_rank[cmd] = ++e->next_rank;
	e->obj[e->nobj] = (struct object){ cmd, e->texts[cmd], vaddr, paddr, size, nullify, e->cmd_rank[cmd] };
	e->by_start[slot] = (uint32_t)++e->nobj;
	return NULL;
}

static struct vs_err *add_piece(struct vs_erase *e, size_t *cap, uint64_t paddr, uint64_t len, size_t obj)
{
	if (e->npc == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct piece *p = realloc(e->pc, c * sizeof(*p));
		if (!p)
			return vs_enomem;
		e->pc = p;
		*cap = c;
	}
	struct piece *p = &e->pc[e->npc++];
	p->paddr = paddr;
	p->len = (uint32_t)len;
	p->object = (uint32_t)obj;
	atomic_init(&p->written, false);
	return NULL;
}

static int by_paddr(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr ? 1 : (x->object > y->object) - (x->object < y->object);
}

/* One object, page by page. */
static struct vs_err *translate(struct vs_erase *e, struct vs_kernel *k, size_t i, size_t *cap)
{
	const struct object *o = &e->obj[i];
	uint64_t P = k->page_size;
	for (uint64_t done = 0; done < o->size;) {
		uint64_t va = o->vaddr + done, pa, span;
		struct vs_err *err = vs_kernel_vtop_span(k, va, &pa, &span);
		if (err)
			return vs_err_wrap(err, "%s: byte %llu of %llu at 0x%llx", o->text, (unsigned long long)done,
					   (unsigned long long)o->size, (unsigned long long)va);
		uint64_t n = P - (pa & (P - 1));
		if (n > o->size - done)
			n = o->size - done;
		if ((err = add_piece(e, cap, pa, n, i)))
			return err;
		done += n;
	}
	return NULL;
}

struct vs_err *vs_erase_finish(struct vs_erase *e, struct vs_kernel *k)
{
	size_t cap = 0;
	e->page_size = k->page_size;
	for (size_t i = 0; i < e->nobj; i++) {
		struct vs_err *err = translate(e, k, i, &cap);
		if (err)
			return err;
	}
	qsort(e->pc, e->npc, sizeof(*e->pc), by_paddr);
	return NULL;
}

size_t vs_erase_objects(const struct vs_erase *e)
{
	return e ? e->nobj : 0;
}

uint64_t vs_erase_bytes(const struct vs_erase *e)
{
	uint64_t n = 0;
	for (size_t i = 0; e && i < e->nobj; i++)
		n += e->obj[i].size;
	return n;
}

static size_t first_piece(const struct vs_erase *e, uint64_t paddr)
{
	size_t lo = 0, hi = e->npc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->pc[mid].paddr < paddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const uint8_t *vs_erase_page(const struct vs_erase *e, uint64_t paddr, const uint8_t *data, size_t len,
			     uint8_t *buf)
{
	if (!e || !e->npc)
		return data;
	/* Pieces never cross a page: those starting in [paddr, paddr + len) are all. */
	size_t i = first_piece(e, paddr);
	if (i == e->npc || e->pc[i].paddr >= paddr + len)
		return data;
	memcpy(buf, data, len);
	for (; i < e->npc && e->pc[i].paddr < paddr + len; i++) {
		struct piece *p = (struct piece *)&e->pc[i];  /* the flags are the only state writers change */
		uint64_t at = p->paddr - paddr, n = p->len < len - at ? p->len : len - at;
		memset(buf + at, e->obj[p->object].nullify ? 0 : VS_ERASE_FILL, (size_t)n);
		atomic_store_explicit(&p->written, true, memory_order_relaxed);
	}
	return buf;
}

void vs_erase_reset(struct vs_erase *e)
{
	for (size_t i = 0; e && i < e->npc; i++)
		atomic_store_explicit(&e->pc[i].written, false, memory_order_relaxed);
}

size_t vs_erase_record_bound(const struct vs_erase *e)
{
	size_t n = 0;
	for (size_t i = 0; e && i < e->nobj; i++) {
		char num[32];
		int d = snprintf(num, sizeof(num), "%llu", (unsigned long long)e->obj[i].size);
		/* "erase " EXPR " " then "nullify\n" or "size N\n" */
		n += 6 + strlen(e->obj[i].text) + 1 + (e->obj[i].nullify ? 8 : 5 + (size_t)d + 1);
	}
	return n;
}

static int by_rank(const void *a, const void *b)
{
	const struct object *const *x = a, *const *y = b;
	if ((*x)->rank != (*y)->rank)
		return (*x)->rank < (*y)->rank ? -1 : 1;
	return *x < *y ? -1 : *x > *y;
}

struct vs_err *vs_erase_record(const struct vs_erase *e, const char *prev, size_t prev_len, char **text,
			       size_t *len)
{
	size_t nobj = e ? e->nobj : 0;
	uint64_t *bytes = calloc(nobj + 1, sizeof(*bytes));
	const struct object **order = calloc(nobj + 1, sizeof(*order));
	char *out = NULL;
	size_t cap = prev_len + 1, n = prev_len;
	for (size_t i = 0; i < nobj; i++)
		cap += strlen(e->obj[i].text) + 40;
	if (!bytes || !order || !(out = malloc(cap))) {
		free(bytes), free(order), free(out);
		return vs_enomem;
	}
	if (prev_len)
		memcpy(out, prev, prev_len);
	for (size_t i = 0; i < (e ? e->npc : 0); i++)
		if (atomic_load_explicit(&e->pc[i].written, memory_order_relaxed))
			bytes[e->pc[i].object] += e->pc[i].len;
	for (size_t i = 0; i < nobj; i++)
		order[i] = &e->obj[i];
	qsort(order, nobj, sizeof(*order), by_rank);
	for (size_t i = 0; i < nobj; i++) {
		const struct object *o = order[i];
		uint64_t b = bytes[o - e->obj];
		if (!b)
			continue;  /* in pages left out: nothing of it is in this file */
		if (o->nullify)
			n += (size_t)sprintf(out + n, "erase %s nullify\n", o->text);
		else
			n += (size_t)sprintf(out + n, "erase %s size %llu\n", o->text, (unsigned long long)b);
	}
	out[n] = 0;
	free(bytes);
	free(order);
	*text = out;
	*len = n;
	return NULL;
}
