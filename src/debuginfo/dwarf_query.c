// SPDX-License-Identifier: GPL-2.0-or-later
/* Answers from the name index: sizes, member offsets, array lengths, enumerators. */
#include <stdio.h>
#include <string.h>

#include "di_priv.h"

static struct vs_err *no_key(const struct vs_debuginfo *di, const char *what, const char *name)
{
	return vs_err_new(VS_ERR_NOKEY, "%s has no %s %s", di->path, what, name);
}

static bool die_at(struct vs_debuginfo *di, uint64_t off, Dwarf_Die *die)
{
	return DW(dwarf_offdie)(di->dwarf, off, die) != NULL;
}

/* The DIE a DW_AT_type refers to; false for void or a broken reference. */
bool di_type_of(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute a;
	/* dwarf_attr, then the declaration a definition completes (DW_AT_specification). */
	if (!DW(dwarf_attr)(die, DW_AT_type, &a)) {
		Dwarf_Die spec;
		if (!DW(dwarf_attr)(die, DW_AT_specification, &a) || !DW(dwarf_formref_die)(&a, &spec) ||
		    !DW(dwarf_attr)(&spec, DW_AT_type, &a))
			return false;
	}
	return DW(dwarf_formref_die)(&a, type) != NULL;
}

/* Strips typedef, const, volatile, restrict and atomic, a bounded number of times. */
bool di_peel(Dwarf_Die *die)
{
	for (int i = 0; i < DI_MAX_TYPE_CHAIN; i++) {
		switch (DW(dwarf_tag)(die)) {
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			if (!di_type_of(die, die))
				return false;
			break;
		default:
			return true;
		}
	}
	return false;
}

bool di_udata(Dwarf_Die *die, unsigned attr, uint64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	if (!DW(dwarf_attr)(die, attr, &a) || DW(dwarf_formudata)(&a, &w) != 0)
		return false;
	*v = w;
	return true;
}

/* Finds a struct/union tag, else a typedef, else an enum tag, peeled to the real type. */
static struct vs_err *find_type(struct vs_debuginfo *di, const char *name, Dwarf_Die *die)
{
	static const uint8_t kinds[] = { DI_STRUCT, DI_TYPEDEF, DI_ENUM };
	for (size_t i = 0; i < sizeof(kinds); i++) {
		const struct di_name *e = di_names_get(&di->names, kinds[i], name);
		if (!e)
			continue;
		if (!die_at(di, e->value, die) || !di_peel(die))
			return di_die_err(di, NULL, name);
		return NULL;
	}
	return no_key(di, "type", name);
}

struct vs_err *vs_di_size(struct vs_debuginfo *di, const char *type, uint64_t *size)
{
	if (di->btf)
		return vs_btf_size(di->btf, type, size);
	Dwarf_Die die;
	struct vs_err *err = find_type(di, type, &die);
	if (err)
		return err;
	if (!di_udata(&die, DW_AT_byte_size, size))
		return vs_err_new(VS_ERR_NOKEY, "%s: the type %s has no size (only declared?)", di->path, type);
	return NULL;
}

/* DW_AT_data_member_location: a constant, or the DWARF 2 form DW_OP_plus_uconst N. */
static bool member_location(Dwarf_Die *m, uint64_t *off)
{
	Dwarf_Attribute a;
	*off = 0;
	if (!DW(dwarf_attr)(m, DW_AT_data_member_location, &a))
		return true;  /* a union member */
	Dwarf_Word w;
	if (DW(dwarf_formudata)(&a, &w) == 0) {
		*off = w;
		return true;
	}
	Dwarf_Block b;
	if (DW(dwarf_formblock)(&a, &b) != 0 || b.length < 2 || b.data[0] != DW_OP_plus_uconst)
		return false;
	uint64_t v = 0;
	for (size_t i = 1, shift = 0; i < b.length && shift < 64; i++, shift += 7) {
		v |= (uint64_t)(b.data[i] & 0x7f) << shift;
		if (!(b.data[i] & 0x80)) {
			*off = v;
			return true;
		}
	}
	return false;
}

/*
 * Depth-first through the members of a struct/union; anonymous struct/union
 * members are entered (their offset added), as offsetof() sees them.
 * Returns 1 found, 0 not found, -1 corrupt.
 */
int di_find_member(Dwarf_Die *agg, const char *name, int depth, uint64_t *off, Dwarf_Die *found)
{
	if (depth > DI_MAX_NESTING)
		return -1;
	Dwarf_Die m;
	int rc = DW(dwarf_child)(agg, &m);
	for (unsigned n = 0; rc == 0 && n < DI_MAX_CHILDREN; n++, rc = di_next_sibling(&m)) {
		if (DW(dwarf_tag)(&m) != DW_TAG_member)
			continue;
		uint64_t at;
		if (!member_location(&m, &at))
			return -1;
		const char *mname = DW(dwarf_diename)(&m);
		if (mname && strcmp(mname, name) == 0) {
			*off = at;
			*found = m;
			return 1;
		}
		Dwarf_Die t;
		if (mname || !di_type_of(&m, &t) || !di_peel(&t))
			continue;
		int tag = DW(dwarf_tag)(&t);
		if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type)
			continue;
		uint64_t inner;
		int r = di_find_member(&t, name, depth + 1, &inner, found);
		if (r)
			return r < 0 ? r : (*off = at + inner, 1);
	}
	return rc < 0 ? -1 : 0;
}

/* offsetof along a dotted path; *mdie gets the last member's DIE. */
static struct vs_err *member_path(struct vs_debuginfo *di, const char *type, const char *member,
				  uint64_t *off, Dwarf_Die *mdie)
{
	Dwarf_Die agg;
	struct vs_err *err = find_type(di, type, &agg);
	if (err)
		return err;
	char part[128];
	const char *p = member;
	*off = 0;
	for (int depth = 0; *p; depth++) {
		size_t n = strcspn(p, ".");
		if (n == 0 || n >= sizeof(part) || depth > DI_MAX_NESTING)
			return vs_err_new(VS_ERR_INVALID, "bad member name %s.%s", type, member);
		memcpy(part, p, n);
		part[n] = 0;
		p += n + (p[n] == '.');
		if (depth > 0 && (!di_type_of(mdie, &agg) || !di_peel(&agg)))
			return di_die_err(di, mdie, "member without a type");
		uint64_t at;
		int r = di_find_member(&agg, part, 0, &at, mdie);
		if (r < 0)
			return di_die_err(di, &agg, "unreadable members");
		if (r == 0)
			return vs_err_new(VS_ERR_NOKEY, "%s: %s has no member %s", di->path, type, member);
		*off += at;
	}
	return NULL;
}

struct vs_err *vs_di_offset(struct vs_debuginfo *di, const char *type, const char *member, uint64_t *off)
{
	if (di->btf)
		return vs_btf_offset(di->btf, type, member, off);
	Dwarf_Die m;
	return member_path(di, type, member, off, &m);
}

/* First dimension of an array type: DW_AT_count, or upper_bound + 1 - lower_bound. */
static struct vs_err *array_length(struct vs_debuginfo *di, Dwarf_Die *typed, const char *what, uint64_t *len)
{
	Dwarf_Die t, sub;
	if (!di_type_of(typed, &t) || !di_peel(&t) || DW(dwarf_tag)(&t) != DW_TAG_array_type)
		return vs_err_new(VS_ERR_NOKEY, "%s: %s is not an array", di->path, what);
	if (DW(dwarf_child)(&t, &sub) != 0 || DW(dwarf_tag)(&sub) != DW_TAG_subrange_type)
		return di_die_err(di, &t, "array without a subrange");
	uint64_t lo = 0, hi;
	if (di_udata(&sub, DW_AT_count, len))
		return NULL;
	if (!di_udata(&sub, DW_AT_upper_bound, &hi))
		return vs_err_new(VS_ERR_NOKEY, "%s: %s is an array of unknown length", di->path, what);
	di_udata(&sub, DW_AT_lower_bound, &lo);
	if (hi < lo || hi - lo == UINT64_MAX)
		return di_die_err(di, &sub, "array bounds out of order");
	*len = hi - lo + 1;
	return NULL;
}

/* A defined variable, else its declaration. */
struct vs_err *di_find_var(struct vs_debuginfo *di, const char *var, Dwarf_Die *die)
{
	const struct di_name *e = di_names_get(&di->names, DI_VAR, var);
	if (!e)
		e = di_names_get(&di->names, DI_VARDECL, var);
	if (!e)
		return no_key(di, "variable", var);
	if (!die_at(di, e->value, die))
		return di_die_err(di, NULL, var);
	return NULL;
}

struct vs_err *vs_di_var_length(struct vs_debuginfo *di, const char *var, uint64_t *len)
{
	if (di->btf)
		return di_btf_unsupported(di, var);
	Dwarf_Die die;
	struct vs_err *err = di_find_var(di, var, &die);
	return err ? err : array_length(di, &die, var, len);
}

struct vs_err *vs_di_member_length(struct vs_debuginfo *di, const char *type, const char *member, uint64_t *len)
{
	if (di->btf)
		return di_btf_unsupported(di, "the length of an array member");
	Dwarf_Die m;
	uint64_t off;
	struct vs_err *err = member_path(di, type, member, &off, &m);
	return err ? err : array_length(di, &m, member, len);
}

struct vs_err *vs_di_var_is_pointer(struct vs_debuginfo *di, const char *var, bool *is_ptr)
{
	if (di->btf)
		return di_btf_unsupported(di, var);
	Dwarf_Die die, t;
	struct vs_err *err = di_find_var(di, var, &die);
	if (err)
		return err;
	if (!di_type_of(&die, &t) || !di_peel(&t))
		return di_die_err(di, &die, "variable without a type");
	*is_ptr = DW(dwarf_tag)(&t) == DW_TAG_pointer_type;
	return NULL;
}

struct vs_err *vs_di_var_size(struct vs_debuginfo *di, const char *var, uint64_t *size)
{
	if (di->btf)
		return di_btf_unsupported(di, var);
	Dwarf_Die die, t;
	struct vs_err *err = di_find_var(di, var, &die);
	if (err)
		return err;
	if (!di_type_of(&die, &t) || !di_peel(&t) || !di_udata(&t, DW_AT_byte_size, size))
		return vs_err_new(VS_ERR_NOKEY, "%s: the variable %s has no sized type", di->path, var);
	return NULL;
}

static bool enumerator_value(Dwarf_Die *e, int64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Sword s;
	Dwarf_Word u;
	if (!DW(dwarf_attr)(e, DW_AT_const_value, &a))
		return false;
	/* data1..data8 carry no sign: values above INT64_MAX come back as their bits. */
	unsigned form = DW(dwarf_whatform)(&a);
	if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
		if (DW(dwarf_formsdata)(&a, &s) != 0)
			return false;
		*v = s;
		return true;
	}
	if (DW(dwarf_formudata)(&a, &u) != 0)
		return false;
	*v = (int64_t)u;
	return true;
}

static struct vs_err *enum_in_type(struct vs_debuginfo *di, const char *enum_type, const char *name, int64_t *v)
{
	const struct di_name *e = di_names_get(&di->names, DI_ENUM, enum_type);
	Dwarf_Die en, c;
	if (!e)
		return no_key(di, "enum", enum_type);
	if (!die_at(di, e->value, &en))
		return di_die_err(di, NULL, enum_type);
	int rc = DW(dwarf_child)(&en, &c);
	for (unsigned n = 0; rc == 0 && n < DI_MAX_CHILDREN; n++, rc = di_next_sibling(&c)) {
		const char *cn = DW(dwarf_diename)(&c);
		if (DW(dwarf_tag)(&c) == DW_TAG_enumerator && cn && strcmp(cn, name) == 0) {
			if (!enumerator_value(&c, v))
				return di_die_err(di, &c, "enumerator without a value");
			return NULL;
		}
	}
	if (rc < 0)
		return di_die_err(di, &en, "unreadable enumeration");
	return vs_err_new(VS_ERR_NOKEY, "%s: enum %s has no %s", di->path, enum_type, name);
}

struct vs_err *vs_di_enum(struct vs_debuginfo *di, const char *enum_type, const char *name, int64_t *v)
{
	if (di->btf)
		return vs_btf_enum(di->btf, enum_type, name, v);
	if (enum_type)
		return enum_in_type(di, enum_type, name, v);
	struct vs_err *err = di_dwarf_index_enumerators(di);
	if (err)
		return err;
	const struct di_name *e = di_names_get(&di->names, DI_ENUMERATOR, name);
	Dwarf_Die c;
	if (!e)
		return no_key(di, "enumerator", name);
	if (!die_at(di, e->value, &c) || !enumerator_value(&c, v))
		return di_die_err(di, NULL, name);
	return NULL;
}

struct vs_err *vs_di_symbol(const struct vs_debuginfo *di, const char *name, uint64_t *addr)
{
	if (di->btf)
		return di_btf_symbol(di, name, addr);
	const struct di_name *e = di_names_get(&di->names, DI_SYM, name);
	if (!e)
		return no_key(di, "symbol", name);
	*addr = e->value;
	return NULL;
}

bool vs_di_in_image(const struct vs_debuginfo *di, uint64_t addr)
{
	return di->text_end && addr >= di->text_start && addr <= di->text_end;
}
