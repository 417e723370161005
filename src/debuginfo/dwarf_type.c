// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Types for --config: a variable's or member's DW_AT_type chain walked to
 * its innermost type, remembering arrays and pointers met on the way, as
 * makedumpfile's erase rules read them ("char *" is a string, "struct s *"
 * is erased through the pointer, an array is count x element).  A function
 * pointer counts as void *: makedumpfile follows it to the return type and
 * would erase bytes of the function's code.
 */
#include <stdio.h>
#include <string.h>

#include "di_priv.h"

/* Elements of an array type: the product of its subranges (C's a[2][3] is one DIE). */
static bool array_count(Dwarf_Die *arr, uint64_t *count)
{
	Dwarf_Die sub;
	uint64_t total = 1;
	int rc = DW(dwarf_child)(arr, &sub);
	for (unsigned n = 0; rc == 0 && n < DI_MAX_NESTING; n++, rc = di_next_sibling(&sub)) {
		if (DW(dwarf_tag)(&sub) != DW_TAG_subrange_type)
			continue;
		uint64_t c, lo = 0, hi;
		if (!di_udata(&sub, DW_AT_count, &c)) {
			if (!di_udata(&sub, DW_AT_upper_bound, &hi)) {
				*count = 0;  /* flexible array member */
				return true;
			}
			di_udata(&sub, DW_AT_lower_bound, &lo);
			if (hi < lo || hi - lo >= (1ull << 40))
				return false;
			c = hi - lo + 1;
		}
		if (c && total > (1ull << 40) / c)
			return false;
		total *= c;
	}
	*count = total;
	return rc >= 0;
}

/* Follows die's DW_AT_type to the end. */
static struct vs_err *walk(struct vs_debuginfo *di, Dwarf_Die *die, const char *what, struct vs_di_type *t)
{
	memset(t, 0, sizeof(*t));
	t->count = 1;
	t->ptr_size = 8;
	Dwarf_Die cur = *die;
	bool arrays = false;
	int i = 0;
	for (;; i++) {
		Dwarf_Die next;
		/* A function pointer is not followed to the function's return type (makedumpfile does). */
		if (DW(dwarf_tag)(&cur) == DW_TAG_subroutine_type || !di_type_of(&cur, &next))
			break;
		if (i >= DI_MAX_TYPE_CHAIN)
			return di_die_err(di, die, "type chain too long");
		cur = next;
		uint64_t v;
		switch (DW(dwarf_tag)(&cur)) {
		case DW_TAG_array_type:
			if (!arrays && !array_count(&cur, &t->count))
				return di_die_err(di, &cur, "array bounds out of range");
			arrays = true;  /* arrays of arrays: the outer one's count, as a[2][3] */
			t->flags |= VS_DI_T_ARRAY;
			break;
		case DW_TAG_pointer_type:
			t->flags |= VS_DI_T_PTR;
			if (di_udata(&cur, DW_AT_byte_size, &v) && (v == 4 || v == 8))
				t->ptr_size = (unsigned)v;
			break;
		case DW_TAG_structure_type:
		case DW_TAG_union_type: t->flags |= VS_DI_T_STRUCT; break;
		case DW_TAG_base_type:
		case DW_TAG_enumeration_type: t->flags |= VS_DI_T_BASE; break;
		}
	}
	if (i == 0)
		return vs_err_new(VS_ERR_CORRUPT, "%s: %s has no type", di->path, what);
	const char *name = DW(dwarf_diename)(&cur);
	if (name)
		snprintf(t->name, sizeof(t->name), "%s", name);
	else if (t->flags == VS_DI_T_PTR || DW(dwarf_tag)(&cur) == DW_TAG_subroutine_type)
		snprintf(t->name, sizeof(t->name), "void");
	if (!di_udata(&cur, DW_AT_byte_size, &t->size))
		t->size = DW(dwarf_tag)(&cur) == DW_TAG_pointer_type ? t->ptr_size : 0;
	t->die = DW(dwarf_dieoffset)(&cur);
	return NULL;
}

struct vs_err *vs_di_var_type(struct vs_debuginfo *di, const char *var, struct vs_di_type *t)
{
	if (di->btf)
		return di_btf_var_type(di, var, t);
	Dwarf_Die die;
	struct vs_err *err = di_find_var(di, var, &die);
	return err ? err : walk(di, &die, var, t);
}

struct vs_err *vs_di_member_type(struct vs_debuginfo *di, const struct vs_di_type *agg, const char *member,
				 uint64_t *off, struct vs_di_type *t)
{
	if (di->btf)
		return vs_btf_member_type(di->btf, agg, member, off, t);
	Dwarf_Die a, m;
	if (!(agg->flags & VS_DI_T_STRUCT) || !DW(dwarf_offdie)(di->dwarf, agg->die, &a))
		return vs_err_new(VS_ERR_NOKEY, "%s: %s is not a struct or union, it has no member %s", di->path,
				  *agg->name ? agg->name : "(an anonymous type)", member);
	int r = di_find_member(&a, member, 0, off, &m);
	if (r < 0)
		return di_die_err(di, &a, "unreadable members");
	if (r == 0)
		return vs_err_new(VS_ERR_NOKEY, "%s: struct %s has no member %s", di->path,
				  *agg->name ? agg->name : "(anonymous)", member);
	return walk(di, &m, member, t);
}

struct vs_err *vs_di_struct_type(struct vs_debuginfo *di, const char *name, struct vs_di_type *t)
{
	if (di->btf)
		return vs_btf_struct_type(di->btf, name, t);
	uint64_t size;
	struct vs_err *err = vs_di_size(di, name, &size);
	if (err)
		return err;
	static const uint8_t kinds[] = { DI_STRUCT, DI_TYPEDEF };
	for (size_t i = 0; i < sizeof(kinds); i++) {
		const struct di_name *e = di_names_get(&di->names, kinds[i], name);
		Dwarf_Die die;
		if (!e || !DW(dwarf_offdie)(di->dwarf, e->value, &die) || !di_peel(&die))
			continue;
		int tag = DW(dwarf_tag)(&die);
		if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type)
			continue;
		memset(t, 0, sizeof(*t));
		t->flags = VS_DI_T_STRUCT;
		t->count = 1;
		t->ptr_size = 8;
		t->size = size;
		t->die = DW(dwarf_dieoffset)(&die);
		snprintf(t->name, sizeof(t->name), "%s", name);
		return NULL;
	}
	return vs_err_new(VS_ERR_NOKEY, "%s: %s is not a struct or union", di->path, name);
}
