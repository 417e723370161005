// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's BTF (CONFIG_DEBUG_INFO_BTF: the blob between __start_BTF and
 * __stop_BTF), parsed from bytes read out of the dump: the types --config
 * needs when no vmlinux is given.  Every byte is untrusted: the header,
 * every record and string offset are bound-checked when the blob is parsed,
 * every type id it refers to must exist, and type chains (typedef, const,
 * volatile...) and anonymous-member nesting are walked a bounded number of
 * steps, so a cyclic or damaged blob gives VS_ERR_CORRUPT, never a loop.
 *
 * Types come back as struct vs_di_type (vmsift/debuginfo.h) with the type
 * id in .die, walked as the DWARF backend walks them.
 */
#ifndef VMSIFT_BTF_H
#define VMSIFT_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/debuginfo.h"
#include "vmsift/error.h"

struct vs_btf;

/* data is copied; big_endian is the dump's byte order, ptr_size its long size. */
struct vs_err *vs_btf_parse(const void *data, size_t len, bool big_endian, unsigned ptr_size,
			    struct vs_btf **out);
void vs_btf_free(struct vs_btf *b);
uint32_t vs_btf_count(const struct vs_btf *b);   /* type ids 1..count-1 */
/* How many VAR records, and how many of them lie in a per-CPU DATASEC. */
uint32_t vs_btf_vars(const struct vs_btf *b, uint32_t *percpu);

/* Where a variable's VAR record lies. */
enum vs_btf_var_home { VS_BTF_NO_VAR, VS_BTF_VAR_PERCPU, VS_BTF_VAR_DATA };
/* A variable's type, if a data section lists its VAR record; *home says which kind. */
struct vs_err *vs_btf_var_type(const struct vs_btf *b, const char *var, struct vs_di_type *t,
			       enum vs_btf_var_home *home);
struct vs_err *vs_btf_member_type(const struct vs_btf *b, const struct vs_di_type *agg, const char *member,
				  uint64_t *off, struct vs_di_type *t);
struct vs_err *vs_btf_struct_type(const struct vs_btf *b, const char *name, struct vs_di_type *t);
/* sizeof: a struct/union tag, else a typedef, else an enum tag. */
struct vs_err *vs_btf_size(const struct vs_btf *b, const char *type, uint64_t *size);
/* offsetof(type, a.b...). */
struct vs_err *vs_btf_offset(const struct vs_btf *b, const char *type, const char *member, uint64_t *off);
/* An enumerator's value; enum_type NULL: the first enumerator of that name. */
struct vs_err *vs_btf_enum(const struct vs_btf *b, const char *enum_type, const char *name, int64_t *v);

#endif
