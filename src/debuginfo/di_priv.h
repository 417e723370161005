// SPDX-License-Identifier: GPL-2.0-or-later
/* Internals shared by the debuginfo files. */
#ifndef VMSIFT_DEBUGINFO_PRIV_H
#define VMSIFT_DEBUGINFO_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "dwlib.h"
#include "vmsift/btf.h"
#include "vmsift/debuginfo.h"
#include "vmsift/kernel.h"

/* What a name stands for; struct and typedef names live in separate C namespaces. */
enum di_kind { DI_SYM = 1, DI_STRUCT, DI_TYPEDEF, DI_ENUM, DI_VAR, DI_VARDECL, DI_ENUMERATOR };

struct di_name {
	const char *name;   /* points into the mapped file (or .strtab): lives as long as the Elf */
	uint64_t value;     /* symbol value, or a DIE's offset in .debug_info */
	uint8_t kind;
	uint8_t rank;       /* a lower rank replaces a higher one (global symbol over local) */
};

/* Open-addressing hash of (kind, name); the first entry of a rank wins. */
struct di_names {
	struct di_name *slots;
	size_t cap, n;
};

/* Inserts or, when rank is lower than the stored one, replaces; -1 on ENOMEM. */
int di_names_put(struct di_names *t, uint8_t kind, const char *name, uint64_t value, uint8_t rank);
const struct di_name *di_names_get(const struct di_names *t, uint8_t kind, const char *name);
void di_names_free(struct di_names *t);

struct vs_debuginfo {
	char *path;
	int fd;
	Elf *elf;
	Dwarf *dwarf;
	Dwfl *dwfl;                     /* a module's: owns elf and dwarf */
	const struct vs_di_section *sec; /* a module's loaded sections (while opening) */
	size_t nsec;
	uint16_t machine;
	struct di_names names;
	uint64_t text_start, text_end;  /* _text, _end */
	char release[65];
	char build_id[2 * 64 + 1];
	struct vs_di_stats st;
	/* Enumerators are indexed on the first query that names no enum type. */
	int enumerators_indexed;
	/* The dump's own BTF and kallsyms instead of a file (btf_backend.c). */
	struct vs_btf *btf;
	struct vs_kernel *k;
};

/* Bounds on walks over untrusted DWARF. */
#define DI_MAX_TYPE_CHAIN 32   /* typedef/const/volatile links followed */
#define DI_MAX_NESTING 16      /* anonymous struct/union members entered */
#define DI_MAX_CHILDREN (1u << 20)  /* members of one struct, enumerators of one enum */

/* elffile.c */
struct vs_err *di_elf_open(struct vs_debuginfo *di);
struct vs_err *di_new(const char *path, struct vs_debuginfo **out);
struct vs_err *di_finish_open(struct vs_debuginfo *di, struct vs_err *err, struct vs_debuginfo **out);
struct vs_err *di_elf_symbols(struct vs_debuginfo *di);
void di_elf_identity(struct vs_debuginfo *di);

/* module_file.c: a module section's load address; false when not loaded. */
bool di_module_section_addr(const struct vs_debuginfo *di, const char *name, uint64_t *addr);

/* dwarf_index.c */
struct vs_err *di_dwarf_index(struct vs_debuginfo *di);
struct vs_err *di_dwarf_index_enumerators(struct vs_debuginfo *di);
struct vs_err *di_die_err(struct vs_debuginfo *di, Dwarf_Die *die, const char *what);

/* dwarf_query.c: the helpers the type walk of dwarf_type.c shares. */
bool di_type_of(Dwarf_Die *die, Dwarf_Die *type);
bool di_peel(Dwarf_Die *die);
bool di_udata(Dwarf_Die *die, unsigned attr, uint64_t *v);
/* 1 found (offset and member DIE), 0 not found, -1 corrupt; anonymous members are entered. */
int di_find_member(Dwarf_Die *agg, const char *name, int depth, uint64_t *off, Dwarf_Die *found);
struct vs_err *di_find_var(struct vs_debuginfo *di, const char *var, Dwarf_Die *die);

/* btf_backend.c: the answers of a vs_debuginfo that holds the dump's BTF. */
struct vs_err *di_btf_symbol(const struct vs_debuginfo *di, const char *name, uint64_t *addr);
struct vs_err *di_btf_var_type(const struct vs_debuginfo *di, const char *var, struct vs_di_type *t);
struct vs_err *di_btf_unsupported(const struct vs_debuginfo *di, const char *what);

/* Next sibling of die, guarding against offsets that do not advance; 1 at the end. */
int di_next_sibling(Dwarf_Die *die);

#endif
