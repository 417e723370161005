// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BTF blob checked once, whole, when it is parsed: the header (magic
 * 0xeB9F in the dump's byte order, version 1, the type and string sections
 * inside the blob), every record inside the type section, every name offset
 * inside the string section (which must end with a NUL), every type id a
 * record names below the count.  The queries (btf_query.c) can then index
 * freely; only chains and nesting remain for them to bound.
 */
#include <stdlib.h>
#include <string.h>

#include "btf_priv.h"

#define BTF_MAGIC 0xeB9Fu
#define BTF_HDR_MIN 24u

uint32_t btf_u32(const struct vs_btf *b, const uint8_t *p)
{
	return b->be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		     : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t info(const struct vs_btf *b, uint32_t id) { return btf_u32(b, b->types + b->rec[id] + 4); }
unsigned btf_kind(const struct vs_btf *b, uint32_t id) { return id ? info(b, id) >> 24 & 0x1f : 0; }
unsigned btf_vlen(const struct vs_btf *b, uint32_t id) { return id ? info(b, id) & 0xffff : 0; }
bool btf_kflag(const struct vs_btf *b, uint32_t id) { return id && info(b, id) >> 31; }
const char *btf_name(const struct vs_btf *b, uint32_t id) { return id ? b->strs + btf_u32(b, b->types + b->rec[id]) : ""; }
uint32_t btf_size_type(const struct vs_btf *b, uint32_t id) { return id ? btf_u32(b, b->types + b->rec[id] + 8) : 0; }
const uint8_t *btf_extra(const struct vs_btf *b, uint32_t id) { return b->types + b->rec[id] + 12; }

/* Bytes that follow a record's 12-byte head; -1 for a kind this reader does not know. */
static int64_t extra_len(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case BTF_INT: case BTF_VAR: case BTF_DECL_TAG: return 4;
	case BTF_PTR: case BTF_FWD: case BTF_TYPEDEF: case BTF_VOLATILE: case BTF_CONST: case BTF_RESTRICT:
	case BTF_FUNC: case BTF_FLOAT: case BTF_TYPE_TAG: return 0;
	case BTF_ARRAY: return 12;
	case BTF_STRUCT: case BTF_UNION: case BTF_DATASEC: case BTF_ENUM64: return 12 * (int64_t)vlen;
	case BTF_ENUM: case BTF_FUNC_PROTO: return 8 * (int64_t)vlen;
	}
	return -1;
}

static struct vs_err *corrupt(const char *what, uint32_t id)
{
	return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF is corrupt: %s (type id %u)", what, id);
}

static struct vs_err *header(struct vs_btf *b)
{
	const uint8_t *d = b->data;
	if (b->len < BTF_HDR_MIN)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF is %zu bytes: shorter than its header", b->len);
	unsigned magic = b->be ? (unsigned)d[0] << 8 | d[1] : (unsigned)d[1] << 8 | d[0];
	if (magic != BTF_MAGIC)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF has magic 0x%04x, not 0xeb9f (in the dump's "
				  "byte order)", magic);
	if (d[2] != 1)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF is version %u, not 1", d[2]);
	uint64_t hdr = btf_u32(b, d + 4), toff = btf_u32(b, d + 8), tlen = btf_u32(b, d + 12);
	uint64_t soff = btf_u32(b, d + 16), slen = btf_u32(b, d + 20);
	if (hdr < BTF_HDR_MIN || hdr > b->len || toff + tlen > b->len - hdr || soff + slen > b->len - hdr)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF header (length %llu) puts its types at "
				  "+%llu..%llu and strings at +%llu..%llu, outside its %zu bytes",
				  (unsigned long long)hdr, (unsigned long long)toff, (unsigned long long)(toff + tlen),
				  (unsigned long long)soff, (unsigned long long)(soff + slen), b->len);
	if (!slen || d[hdr + soff] || d[hdr + soff + slen - 1])
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF string section does not begin and end with NUL");
	b->types = d + hdr + toff;
	b->strs = (const char *)d + hdr + soff;
	b->str_len = (uint32_t)slen;
	/* Every record is at least 12 bytes: the id count is bounded by the section. */
	if (!(b->rec = calloc(tlen / 12 + 2, sizeof(*b->rec))))
		return vs_enomem;
	uint64_t at = 0;
	b->count = 1;
	while (at < tlen) {
		if (tlen - at < 12)
			return corrupt("a record runs past the type section", b->count);
		b->rec[b->count] = (uint32_t)at;
		int64_t extra = extra_len(btf_kind(b, b->count), btf_vlen(b, b->count));
		if (extra < 0)
			return corrupt("unknown kind", b->count);
		if ((uint64_t)extra > tlen - at - 12)
			return corrupt("a record runs past the type section", b->count);
		at += 12 + (uint64_t)extra;
		b->count++;
	}
	return NULL;
}

static bool name_ok(const struct vs_btf *b, uint32_t off) { return off < b->str_len; }
static bool id_ok(const struct vs_btf *b, uint32_t id) { return id < b->count; }

/* Names and ids inside one record's trailing entries of n bytes each: name at +0 (if named), type at +tpos. */
static struct vs_err *check_entries(const struct vs_btf *b, uint32_t id, unsigned n, bool named, int tpos)
{
	const uint8_t *e = btf_extra(b, id);
	for (unsigned i = 0; i < btf_vlen(b, id); i++, e += n) {
		if (named && !name_ok(b, btf_u32(b, e)))
			return corrupt("a member's name is outside the string section", id);
		if (tpos >= 0 && !id_ok(b, btf_u32(b, e + tpos)))
			return corrupt("a member's type id is past the last type", id);
	}
	return NULL;
}

static struct vs_err *check_record(const struct vs_btf *b, uint32_t id)
{
	unsigned kind = btf_kind(b, id);
	if (!name_ok(b, btf_u32(b, b->types + b->rec[id])))
		return corrupt("its name is outside the string section", id);
	switch (kind) {
	case BTF_PTR: case BTF_TYPEDEF: case BTF_VOLATILE: case BTF_CONST: case BTF_RESTRICT: case BTF_FUNC:
	case BTF_VAR: case BTF_TYPE_TAG: case BTF_DECL_TAG: case BTF_FUNC_PROTO:
		if (!id_ok(b, btf_size_type(b, id)))
			return corrupt("it refers to a type id past the last type", id);
		return kind == BTF_FUNC_PROTO ? check_entries(b, id, 8, true, 4) : NULL;
	case BTF_ARRAY:
		if (!id_ok(b, btf_u32(b, btf_extra(b, id))) || !id_ok(b, btf_u32(b, btf_extra(b, id) + 4)))
			return corrupt("an array's element type id is past the last type", id);
		return NULL;
	case BTF_STRUCT: case BTF_UNION: return check_entries(b, id, 12, true, 4);
	case BTF_ENUM: return check_entries(b, id, 8, true, -1);
	case BTF_ENUM64: return check_entries(b, id, 12, true, -1);
	case BTF_DATASEC: return check_entries(b, id, 12, false, 0);
	}
	return NULL;
}

static size_t hash(uint8_t ns, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ns;
	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	return (size_t)h;
}

uint32_t btf_lookup(const struct vs_btf *b, uint8_t ns, const char *name)
{
	for (size_t i = hash(ns, name) & (b->cap - 1);; i = (i + 1) & (b->cap - 1)) {
		if (!b->slot[i].id)
			return 0;
		if (b->slot[i].ns == ns && strcmp(btf_name(b, b->slot[i].id), name) == 0)
			return b->slot[i].id;
	}
}

static uint8_t name_class(unsigned kind)
{
	switch (kind) {
	case BTF_STRUCT: case BTF_UNION: return BTF_NS_TAG;
	case BTF_TYPEDEF: return BTF_NS_TYPEDEF;
	case BTF_ENUM: case BTF_ENUM64: return BTF_NS_ENUM;
	case BTF_VAR: return BTF_NS_VAR;
	}
	return 0;
}

/* The first id of each (class, name) wins. */
static struct vs_err *index_names(struct vs_btf *b)
{
	for (b->cap = 1024; b->cap < (size_t)b->count * 2; b->cap *= 2)
		;
	if (!(b->slot = calloc(b->cap, sizeof(*b->slot))))
		return vs_enomem;
	for (uint32_t id = 1; id < b->count; id++) {
		uint8_t ns = name_class(btf_kind(b, id));
		const char *name = btf_name(b, id);
		if (!ns || !*name || btf_lookup(b, ns, name))
			continue;
		size_t i = hash(ns, name) & (b->cap - 1);
		while (b->slot[i].id)
			i = (i + 1) & (b->cap - 1);
		b->slot[i].id = id;
		b->slot[i].ns = ns;
	}
	return NULL;
}

/* Each VAR's home: a per-CPU DATASEC or another one. */
static struct vs_err *var_homes(struct vs_btf *b)
{
	if (!(b->home = calloc(b->count, 1)))
		return vs_enomem;
	for (uint32_t id = 1; id < b->count; id++) {
		unsigned kind = btf_kind(b, id);
		b->nvars += kind == BTF_VAR;
		if (kind != BTF_DATASEC)
			continue;
		bool percpu = strcmp(btf_name(b, id), ".data..percpu") == 0;
		const uint8_t *e = btf_extra(b, id);
		for (unsigned i = 0; i < btf_vlen(b, id); i++, e += 12) {
			uint32_t v = btf_u32(b, e);
			if (btf_kind(b, v) != BTF_VAR)
				return corrupt("a data section lists a type that is not a variable", id);
			b->home[v] = percpu ? VS_BTF_VAR_PERCPU : VS_BTF_VAR_DATA;
		}
	}
	for (uint32_t id = 1; id < b->count; id++)
		b->npercpu += b->home[id] == VS_BTF_VAR_PERCPU;
	return NULL;
}

struct vs_err *vs_btf_parse(const void *data, size_t len, bool big_endian, unsigned ptr_size, struct vs_btf **out)
{
	struct vs_btf *b = calloc(1, sizeof(*b));
	if (!b || !(b->data = malloc(len ? len : 1))) {
		free(b);
		return vs_enomem;
	}
	memcpy(b->data, data, len);
	b->len = len;
	b->be = big_endian;
	b->ptr_size = ptr_size;
	struct vs_err *err = header(b);
	for (uint32_t id = 1; !err && id < b->count; id++)
		err = check_record(b, id);
	if (!err)
		err = var_homes(b);
	if (!err)
		err = index_names(b);
	if (err) {
		vs_btf_free(b);
		return err;
	}
	*out = b;
	return NULL;
}

void vs_btf_free(struct vs_btf *b)
{
	if (!b)
		return;
	free(b->slot);
	free(b->home);
	free(b->rec);
	free(b->data);
	free(b);
}

uint32_t vs_btf_count(const struct vs_btf *b) { return b->count; }

uint32_t vs_btf_vars(const struct vs_btf *b, uint32_t *percpu)
{
	*percpu = b->npercpu;
	return b->nvars;
}
