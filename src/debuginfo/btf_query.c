// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Answers from a parsed BTF blob, with the meaning the DWARF backend gives
 * them (dwarf_type.c): a type chain is walked to its innermost type,
 * remembering arrays and pointers; a function pointer counts as void *.
 * BTF writes C's a[2][3] as an array of arrays: directly nested arrays
 * multiply, as DWARF's one array with two subranges does.  Chains and the
 * anonymous members entered are bounded: a cyclic blob is an error.
 */
#include <stdio.h>
#include <string.h>

#include "btf_priv.h"

#define BTF_MAX_COUNT (1ull << 40)
/* Members looked at in one search, nesting included: a struct that holds itself anonymously many times
 * would otherwise cost vlen^depth. */
#define BTF_MAX_MEMBER_VISITS (1u << 20)

static struct vs_err *chain_err(uint32_t id, const char *what)
{
	return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF is corrupt: the type chain of %s (from type id %u) "
			  "is longer than %d links: a cycle", what, id, BTF_MAX_CHAIN);
}

static bool is_qualifier(unsigned kind)
{
	return kind == BTF_TYPEDEF || kind == BTF_VOLATILE || kind == BTF_CONST || kind == BTF_RESTRICT ||
	       kind == BTF_TYPE_TAG;
}

/* Strips typedefs and qualifiers; false on a chain too long. */
static bool peel(const struct vs_btf *b, uint32_t *id)
{
	for (int i = 0; i < BTF_MAX_CHAIN; i++) {
		if (!is_qualifier(btf_kind(b, *id)))
			return true;
		*id = btf_size_type(b, *id);
	}
	return false;
}

/* sizeof a type id; false when unknown, cyclic or overflowing. */
static bool type_size(const struct vs_btf *b, uint32_t id, uint64_t *size)
{
	uint64_t mult = 1;
	for (int i = 0; i < BTF_MAX_CHAIN; i++) {
		if (!peel(b, &id))
			return false;
		switch (btf_kind(b, id)) {
		case BTF_INT: case BTF_STRUCT: case BTF_UNION: case BTF_ENUM: case BTF_ENUM64: case BTF_FLOAT: {
			uint32_t one = btf_size_type(b, id);
			if (one && mult > BTF_MAX_COUNT / one)
				return false;
			*size = mult * one;
			return true;
		}
		case BTF_PTR:
			*size = mult * b->ptr_size;
			return true;
		case BTF_ARRAY: {
			uint32_t n = btf_u32(b, btf_extra(b, id) + 8);
			if (n && mult > BTF_MAX_COUNT / n)
				return false;
			mult *= n;
			id = btf_u32(b, btf_extra(b, id));
			break;
		}
		default:
			return false;
		}
	}
	return false;
}

static struct vs_err *walk(const struct vs_btf *b, uint32_t id, const char *what, struct vs_di_type *t)
{
	memset(t, 0, sizeof(*t));
	t->count = 1;
	t->ptr_size = b->ptr_size;
	if (!id)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF gives %s no type", what);
	bool arrays = false, in_array = false, via_ptr = false;
	uint32_t cur = id;
	for (int i = 0;; i++) {
		if (i >= BTF_MAX_CHAIN)
			return chain_err(id, what);
		unsigned kind = btf_kind(b, cur);
		bool next_in_array = false;
		via_ptr = false;
		if (kind == BTF_ARRAY) {
			uint32_t n = btf_u32(b, btf_extra(b, cur) + 8);
			if (!arrays)
				t->count = n;
			else if (in_array && n && t->count > BTF_MAX_COUNT / n)
				return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF: %s is an array too large", what);
			else if (in_array)
				t->count *= n;
			arrays = next_in_array = true;
			t->flags |= VS_DI_T_ARRAY;
			cur = btf_u32(b, btf_extra(b, cur));
		} else if (kind == BTF_PTR) {
			t->flags |= VS_DI_T_PTR;
			via_ptr = true;
			cur = btf_size_type(b, cur);
		} else if (is_qualifier(kind)) {
			cur = btf_size_type(b, cur);
		} else {
			break;
		}
		in_array = next_in_array;
		if (!cur)
			break;  /* void */
	}
	unsigned kind = btf_kind(b, cur);
	if (kind == BTF_STRUCT || kind == BTF_UNION)
		t->flags |= VS_DI_T_STRUCT;
	else if (kind == BTF_INT || kind == BTF_ENUM || kind == BTF_ENUM64)
		t->flags |= VS_DI_T_BASE;
	const char *name = btf_name(b, cur);
	if (*name)
		snprintf(t->name, sizeof(t->name), "%s", name);
	else if (t->flags == VS_DI_T_PTR || kind == BTF_FUNC_PROTO)
		snprintf(t->name, sizeof(t->name), "void");
	if (!cur)
		t->size = via_ptr ? b->ptr_size : 0;   /* void *: the pointer's own size, as DWARF's */
	else if (kind != BTF_FUNC_PROTO && !type_size(b, cur, &t->size))
		t->size = 0;
	if (t->size && t->count > BTF_MAX_COUNT / t->size)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF: %s is an array of %llu elements of %llu bytes: "
				  "too large", what, (unsigned long long)t->count, (unsigned long long)t->size);
	t->die = cur;
	return NULL;
}

struct vs_err *vs_btf_var_type(const struct vs_btf *b, const char *var, struct vs_di_type *t,
			       enum vs_btf_var_home *home)
{
	uint32_t id = btf_lookup(b, BTF_NS_VAR, var);
	*home = id ? (enum vs_btf_var_home)b->home[id] : VS_BTF_NO_VAR;
	if (*home == VS_BTF_NO_VAR)
		return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF has no type for the variable %s", var);
	return walk(b, btf_size_type(b, id), var, t);
}

/* 1 found, 0 not, -1 nesting too deep or too many members; anonymous structs/unions are searched through. */
static int find_member(const struct vs_btf *b, uint32_t agg, const char *name, int depth, uint64_t *off,
		       uint32_t *type, unsigned *visits)
{
	if (depth >= BTF_MAX_NESTING)
		return -1;
	const uint8_t *e = btf_extra(b, agg);
	for (unsigned i = 0; i < btf_vlen(b, agg); i++, e += 12) {
		if (++*visits > BTF_MAX_MEMBER_VISITS)
			return -1;
		const char *mname = b->strs + btf_u32(b, e);
		uint32_t mtype = btf_u32(b, e + 4), bits = btf_u32(b, e + 8);
		if (btf_kflag(b, agg))
			bits &= 0xffffff;   /* the top byte is a bitfield's width */
		if (*mname) {
			if (strcmp(mname, name) != 0)
				continue;
			*off = bits / 8;
			*type = mtype;
			return 1;
		}
		uint32_t inner = mtype;
		if (!peel(b, &inner))
			return -1;
		unsigned k = btf_kind(b, inner);
		if (k != BTF_STRUCT && k != BTF_UNION)
			continue;
		int r = find_member(b, inner, name, depth + 1, off, type, visits);
		if (r)
			return r < 0 ? r : (*off += bits / 8, 1);
	}
	return 0;
}

static struct vs_err *member_of(const struct vs_btf *b, uint32_t agg, const char *aname, const char *member,
				uint64_t *off, uint32_t *type)
{
	unsigned k = btf_kind(b, agg);
	if (k != BTF_STRUCT && k != BTF_UNION)
		return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF: %s is not a struct or union, it has no member %s",
				  *aname ? aname : "(an anonymous type)", member);
	unsigned visits = 0;
	int r = find_member(b, agg, member, 0, off, type, &visits);
	if (r < 0)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF is corrupt: the members of %s (type id %u) "
				  "nest deeper than %d or number more than %u: a cycle", *aname ? aname : "(anonymous)",
				  agg, BTF_MAX_NESTING, BTF_MAX_MEMBER_VISITS);
	if (!r)
		return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF: struct %s has no member %s",
				  *aname ? aname : "(anonymous)", member);
	return NULL;
}

struct vs_err *vs_btf_member_type(const struct vs_btf *b, const struct vs_di_type *agg, const char *member,
				  uint64_t *off, struct vs_di_type *t)
{
	uint32_t type;
	if (!(agg->flags & VS_DI_T_STRUCT) || agg->die >= b->count)
		return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF: %s is not a struct or union, it has no member %s",
				  *agg->name ? agg->name : "(an anonymous type)", member);
	struct vs_err *err = member_of(b, (uint32_t)agg->die, agg->name, member, off, &type);
	return err ? err : walk(b, type, member, t);
}

/* A struct/union tag, else a typedef, else an enum tag (the DWARF backend's order), peeled. */
static struct vs_err *find_type(const struct vs_btf *b, const char *name, uint32_t *id)
{
	static const uint8_t ns[] = { BTF_NS_TAG, BTF_NS_TYPEDEF, BTF_NS_ENUM };
	for (size_t i = 0; i < sizeof(ns); i++) {
		if (!(*id = btf_lookup(b, ns[i], name)))
			continue;
		return peel(b, id) ? NULL : chain_err(*id, name);
	}
	return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF has no type %s", name);
}

struct vs_err *vs_btf_size(const struct vs_btf *b, const char *type, uint64_t *size)
{
	uint32_t id;
	struct vs_err *err = find_type(b, type, &id);
	if (!err && !type_size(b, id, size))
		err = vs_err_new(VS_ERR_NOKEY, "the kernel's BTF gives %s no size", type);
	return err;
}

struct vs_err *vs_btf_struct_type(const struct vs_btf *b, const char *name, struct vs_di_type *t)
{
	uint32_t id;
	struct vs_err *err = find_type(b, name, &id);
	if (err)
		return err;
	unsigned k = btf_kind(b, id);
	if (k != BTF_STRUCT && k != BTF_UNION)
		return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF: %s is not a struct or union", name);
	memset(t, 0, sizeof(*t));
	t->flags = VS_DI_T_STRUCT;
	t->count = 1;
	t->ptr_size = b->ptr_size;
	t->size = btf_size_type(b, id);
	t->die = id;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return NULL;
}

struct vs_err *vs_btf_offset(const struct vs_btf *b, const char *type, const char *member, uint64_t *off)
{
	uint32_t id;
	struct vs_err *err = find_type(b, type, &id);
	*off = 0;
	char part[128];
	for (const char *p = member; !err && *p;) {
		size_t n = strcspn(p, ".");
		if (n >= sizeof(part))
			return vs_err_new(VS_ERR_INVALID, "member name too long in %s", member);
		memcpy(part, p, n);
		part[n] = 0;
		p += n + (p[n] == '.');
		uint64_t at;
		if (!peel(b, &id))
			return chain_err(id, member);
		if (!(err = member_of(b, id, type, part, &at, &id)))
			*off += at;
	}
	return err;
}

/* An enumerator of the enum id named name. */
static bool enumerator(const struct vs_btf *b, uint32_t id, const char *name, int64_t *v)
{
	unsigned k = btf_kind(b, id), n = k == BTF_ENUM ? 8 : 12;
	if (k != BTF_ENUM && k != BTF_ENUM64)
		return false;
	const uint8_t *e = btf_extra(b, id);
	for (unsigned i = 0; i < btf_vlen(b, id); i++, e += n) {
		if (strcmp(b->strs + btf_u32(b, e), name) != 0)
			continue;
		uint32_t lo = btf_u32(b, e + 4);
		if (k == BTF_ENUM64)
			*v = (int64_t)((uint64_t)btf_u32(b, e + 8) << 32 | lo);
		else
			*v = btf_kflag(b, id) ? (int64_t)(int32_t)lo : (int64_t)lo;   /* kind_flag: signed */
		return true;
	}
	return false;
}

struct vs_err *vs_btf_enum(const struct vs_btf *b, const char *enum_type, const char *name, int64_t *v)
{
	if (enum_type) {
		uint32_t id = btf_lookup(b, BTF_NS_ENUM, enum_type);
		if (!id)
			return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF has no enum %s", enum_type);
		return enumerator(b, id, name, v) ? NULL
			: vs_err_new(VS_ERR_NOKEY, "the kernel's BTF: enum %s has no %s", enum_type, name);
	}
	for (uint32_t id = 1; id < b->count; id++)
		if (enumerator(b, id, name, v))
			return NULL;
	return vs_err_new(VS_ERR_NOKEY, "the kernel's BTF has no enumerator %s", name);
}
