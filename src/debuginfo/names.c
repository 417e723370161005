// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "di_priv.h"

static uint64_t hash(uint8_t kind, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull ^ kind;  /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static int grow(struct di_names *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct di_name *s = calloc(cap, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].name)
			continue;
		size_t j = hash(t->slots[i].kind, t->slots[i].name) & (cap - 1);
		while (s[j].name)
			j = (j + 1) & (cap - 1);
		s[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = s;
	t->cap = cap;
	return 0;
}

static struct di_name *find(const struct di_names *t, uint8_t kind, const char *name)
{
	if (!t->cap)
		return NULL;
	size_t j = hash(kind, name) & (t->cap - 1);
	while (t->slots[j].name) {
		if (t->slots[j].kind == kind && strcmp(t->slots[j].name, name) == 0)
			return &t->slots[j];
		j = (j + 1) & (t->cap - 1);
	}
	return &t->slots[j];
}

int di_names_put(struct di_names *t, uint8_t kind, const char *name, uint64_t value, uint8_t rank)
{
	if ((t->n + 1) * 2 > t->cap && grow(t) < 0)
		return -1;
	struct di_name *e = find(t, kind, name);
	if (e->name && e->rank <= rank)
		return 0;
	if (!e->name)
		t->n++;
	*e = (struct di_name){ name, value, kind, rank };
	return 0;
}

const struct di_name *di_names_get(const struct di_names *t, uint8_t kind, const char *name)
{
	const struct di_name *e = find(t, kind, name);
	return e && e->name ? e : NULL;
}

void di_names_free(struct di_names *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
