// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel debug information (-x VMLINUX): one pass over the vmlinux's DWARF
 * builds a name index of the types and variables declared at file scope, and
 * the .symtab is hashed once; every query is then answered from them.
 * libelf/libdw are loaded on first use (see src/debuginfo/dwlib.h).
 *
 * Every byte of the file is untrusted: type chains, member nesting and DIE
 * walks are bounded, and a corrupt file gives an error naming the vmlinux and
 * the DIE offset, never a crash or an endless loop.
 */
#ifndef VMSIFT_DEBUGINFO_H
#define VMSIFT_DEBUGINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsift/error.h"

struct vs_debuginfo;

struct vs_err *vs_di_open(const char *path, struct vs_debuginfo **out);

/*
 * A loaded module's debug file (a relocatable .ko with DWARF), relocated by
 * libdwfl to where the dump's kernel loaded each section (the module's
 * sect_attrs).  Its symbols are then dump addresses; a symbol in a section
 * the table does not hold (not loaded) is left out.  vs_di_release() gives
 * the release its .modinfo vermagic names; vs_di_build_id() its build-id.
 */
struct vs_di_section {
	char name[64];
	uint64_t addr;
};
struct vs_err *vs_di_open_module(const char *path, const struct vs_di_section *sec, size_t nsec,
				 struct vs_debuginfo **out);
void vs_di_close(struct vs_debuginfo *di);

/*
 * Without a vmlinux: the kernel's own BTF (__start_BTF..__stop_BTF) and
 * kallsyms, read out of the dump k (which must outlive the result).  Its
 * symbols are run-time addresses (vs_di_in_image() is false for all);
 * the types of variables are known only where BTF has them (today's
 * kernels: per-CPU variables only), which is said, with the name, when a
 * query needs one.  -g and array lengths of variables need a vmlinux.
 */
struct vs_kernel;
struct vs_err *vs_di_open_dump(struct vs_kernel *k, struct vs_debuginfo **out);
bool vs_di_from_dump(const struct vs_debuginfo *di);

const char *vs_di_path(const struct vs_debuginfo *di);
uint16_t vs_di_machine(const struct vs_debuginfo *di);    /* e_machine */
/* The release the file holds (init_uts_ns, else linux_banner), "" if none. */
const char *vs_di_release(const struct vs_debuginfo *di);
/* NT_GNU_BUILD_ID as lower-case hex, "" if none. */
const char *vs_di_build_id(const struct vs_debuginfo *di);

/*
 * Queries: NULL and the value, or VS_ERR_NOKEY (absent) / VS_ERR_CORRUPT.
 * Symbol values are link-time addresses (not relocated by KASLR).
 */
struct vs_err *vs_di_symbol(const struct vs_debuginfo *di, const char *name, uint64_t *addr);
/* Whether addr lies in the kernel image [_text, _end]: these move with KERNELOFFSET. */
bool vs_di_in_image(const struct vs_debuginfo *di, uint64_t addr);
/* sizeof: a struct/union tag, else a typedef, else an enum tag. */
struct vs_err *vs_di_size(struct vs_debuginfo *di, const char *type, uint64_t *size);
/* offsetof(type, a.b...): members of anonymous structs/unions are found through them. */
struct vs_err *vs_di_offset(struct vs_debuginfo *di, const char *type, const char *member, uint64_t *off);
/* Element count of an array: a variable's (name) or a member's (type, member). */
struct vs_err *vs_di_var_length(struct vs_debuginfo *di, const char *var, uint64_t *len);
struct vs_err *vs_di_member_length(struct vs_debuginfo *di, const char *type, const char *member, uint64_t *len);
/* Whether a variable is a pointer (vs an array or scalar): SPARSEMEM_EXTREME's mem_section. */
struct vs_err *vs_di_var_is_pointer(struct vs_debuginfo *di, const char *var, bool *is_ptr);
/* An enumerator's value; enum_type NULL: the first enumerator of that name anywhere. */
struct vs_err *vs_di_enum(struct vs_debuginfo *di, const char *enum_type, const char *name, int64_t *v);
/* sizeof(variable) from its type: a struct member or an integer the dump holds. */
struct vs_err *vs_di_var_size(struct vs_debuginfo *di, const char *var, uint64_t *size);

/*
 * The type of a variable or member as --config's erase rules see it: the
 * DW_AT_type chain followed to its end (typedefs, qualifiers, arrays and
 * pointers on the way are remembered in flags), as makedumpfile does.
 */
#define VS_DI_T_ARRAY 0x1u
#define VS_DI_T_PTR 0x2u
#define VS_DI_T_STRUCT 0x4u    /* struct or union */
#define VS_DI_T_BASE 0x8u      /* base type or enum: an integer */
struct vs_di_type {
	unsigned flags;
	char name[128];      /* the innermost type's name; "void" for void *; "" when anonymous */
	uint64_t size;       /* innermost type's size: an array's element, a pointer's target */
	uint64_t count;      /* array elements (all dimensions); 0 for a flexible array */
	uint64_t die;        /* innermost type's DIE, for its members */
	unsigned ptr_size;   /* the pointer size the DWARF gives (8 if none seen) */
};
struct vs_err *vs_di_var_type(struct vs_debuginfo *di, const char *var, struct vs_di_type *t);
/* Member of the struct/union agg (a vs_di_type of it): its offset and type. */
struct vs_err *vs_di_member_type(struct vs_debuginfo *di, const struct vs_di_type *agg, const char *member,
				 uint64_t *off, struct vs_di_type *t);
/* A struct/union type by its tag (or typedef) name. */
struct vs_err *vs_di_struct_type(struct vs_debuginfo *di, const char *name, struct vs_di_type *t);

/*
 * VMCOREINFO text from the debug information, in the kernel's own key order
 * and format.  Values DWARF cannot hold come from opts: the page size (of the
 * dump, or the vmlinux's architecture), KASLR offset and what only the
 * running kernel knew; a key whose value is unknown is left out.
 */
struct vs_di_gen_opts {
	uint64_t page_size;            /* 0: the architecture's base page size */
	bool has_kaslr;                /* KERNELOFFSET known: added to image symbols */
	uint64_t kaslr_offset;
	bool has_phys_base;
	int64_t phys_base;
	bool has_l5;                   /* 5-level paging was on (x86_64) */
	bool l5;
	bool has_sme_mask;
	uint64_t sme_mask;
};
/* *text is malloc'ed and NUL-terminated. */
struct vs_err *vs_di_vmcoreinfo(struct vs_debuginfo *di, const struct vs_di_gen_opts *o, char **text, size_t *len);

/* What the index holds, for -D and the benchmark. */
struct vs_di_stats {
	uint64_t units, dies_seen, names, symbols;
	double index_seconds;
};
void vs_di_stats(const struct vs_debuginfo *di, struct vs_di_stats *st);

#endif
