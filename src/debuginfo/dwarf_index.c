// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one pass over .debug_info: each compile unit's top-level DIEs (where C
 * declares every file-scope type and variable) go into the name index.  A
 * DIE's children are skipped through DW_AT_sibling, so the pass reads a small
 * part of the section; members and enumerators are read only when asked for.
 */
#include <time.h>

#include "di_priv.h"

#ifndef DW_LANG_Rust
#define DW_LANG_Rust 0x1c
#endif

struct vs_err *di_die_err(struct vs_debuginfo *di, Dwarf_Die *die, const char *what)
{
	int e = DW(dwarf_errno)();
	return vs_err_new(VS_ERR_CORRUPT, "%s: DWARF DIE at .debug_info offset 0x%llx: %s%s%s", di->path,
			  die ? (unsigned long long)DW(dwarf_dieoffset)(die) : 0ull, what, e ? ": " : "",
			  e ? DW(dwarf_errmsg)(e) : "");
}

int di_next_sibling(Dwarf_Die *die)
{
	Dwarf_Off at = DW(dwarf_dieoffset)(die);
	Dwarf_Die next;
	int rc = DW(dwarf_siblingof)(die, &next);
	if (rc != 0)
		return rc;
	/* A corrupt DW_AT_sibling pointing backwards would loop for ever. */
	if (DW(dwarf_dieoffset)(&next) <= at)
		return -1;
	*die = next;
	return 0;
}

static bool is_declaration(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	bool flag = false;
	return DW(dwarf_attr)(die, DW_AT_declaration, &a) && DW(dwarf_formflag)(&a, &flag) == 0 && flag;
}

/* Struct/union/enum: a declaration ("struct page;") ranks after a definition. */
static int index_die(struct vs_debuginfo *di, Dwarf_Die *die)
{
	int tag = DW(dwarf_tag)(die);
	uint8_t kind;
	switch (tag) {
	case DW_TAG_structure_type:
	case DW_TAG_union_type: kind = DI_STRUCT; break;
	case DW_TAG_typedef: kind = DI_TYPEDEF; break;
	case DW_TAG_enumeration_type: kind = DI_ENUM; break;
	case DW_TAG_variable: kind = DI_VAR; break;
	default: return 0;
	}
	const char *name = DW(dwarf_diename)(die);
	if (!name || !*name)
		return 0;
	di->st.dies_seen++;
	bool decl = is_declaration(die);
	if (kind == DI_VAR && decl)
		kind = DI_VARDECL;
	return di_names_put(&di->names, kind, name, DW(dwarf_dieoffset)(die), decl && kind != DI_VARDECL);
}

static struct vs_err *index_unit(struct vs_debuginfo *di, Dwarf_Die *cudie)
{
	if (DW(dwarf_srclang)(cudie) == DW_LANG_Rust)
		return NULL;  /* Rust types are not the kernel's C structures */
	Dwarf_Die die;
	int rc = DW(dwarf_child)(cudie, &die);
	if (rc < 0)
		return di_die_err(di, cudie, "unreadable compile unit");
	for (uint64_t n = 0; rc == 0; n++) {
		if (n >= DI_MAX_CHILDREN * 16ull)
			return di_die_err(di, cudie, "compile unit with too many top-level entries");
		if (index_die(di, &die) < 0)
			return vs_enomem;
		rc = di_next_sibling(&die);
	}
	return rc < 0 ? di_die_err(di, &die, "cannot step to the next entry") : NULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct vs_err *di_dwarf_index(struct vs_debuginfo *di)
{
	double t0 = now();
	if (!di->dwarf)
		di->dwarf = DW(dwarf_begin_elf)(di->elf, DWARF_C_READ, NULL);
	if (!di->dwarf) {
		int e = DW(dwarf_errno)();
		return vs_err_new(VS_ERR_NOKEY, "%s has no usable DWARF debug information (%s): -x needs the "
				  "debug vmlinux (Debian: /usr/lib/debug/boot/vmlinux-RELEASE from "
				  "linux-image-RELEASE-dbg)", di->path, DW(dwarf_errmsg)(e));
	}
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie;
	int rc;
	while ((rc = DW(dwarf_get_units)(di->dwarf, cu, &next, &version, &unit_type, &cudie, NULL)) == 0) {
		cu = next;
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		di->st.units++;
		struct vs_err *err = index_unit(di, &cudie);
		if (err)
			return err;
	}
	if (rc < 0)
		return vs_err_new(VS_ERR_CORRUPT, "%s: unreadable DWARF unit header after %llu units: %s", di->path,
				  (unsigned long long)di->st.units, DW(dwarf_errmsg)(-1));
	if (!di->st.units)
		return vs_err_new(VS_ERR_NOKEY, "%s has no DWARF compile units: -x needs the debug vmlinux", di->path);
	di->st.index_seconds = now() - t0;
	return NULL;
}

/* Enumerators of every named or anonymous enum at file scope, on demand. */
static struct vs_err *index_enum_children(struct vs_debuginfo *di, Dwarf_Die *en)
{
	Dwarf_Die c;
	int rc = DW(dwarf_child)(en, &c);
	for (unsigned n = 0; rc == 0 && n < DI_MAX_CHILDREN; n++) {
		const char *name = DW(dwarf_diename)(&c);
		if (DW(dwarf_tag)(&c) == DW_TAG_enumerator && name &&
		    di_names_put(&di->names, DI_ENUMERATOR, name, DW(dwarf_dieoffset)(&c), 0) < 0)
			return vs_enomem;
		rc = di_next_sibling(&c);
	}
	return rc < 0 ? di_die_err(di, en, "unreadable enumeration") : NULL;
}

struct vs_err *di_dwarf_index_enumerators(struct vs_debuginfo *di)
{
	if (di->enumerators_indexed)
		return NULL;
	di->enumerators_indexed = 1;
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie;
	while (DW(dwarf_get_units)(di->dwarf, cu, &next, &version, &unit_type, &cudie, NULL) == 0) {
		cu = next;
		Dwarf_Die die;
		int rc = DW(dwarf_child)(&cudie, &die);
		for (uint64_t n = 0; rc == 0 && n < DI_MAX_CHILDREN * 16ull; n++) {
			if (DW(dwarf_tag)(&die) == DW_TAG_enumeration_type) {
				struct vs_err *err = index_enum_children(di, &die);
				if (err)
					return err;
			}
			rc = di_next_sibling(&die);
		}
	}
	return NULL;
}
