// SPDX-License-Identifier: GPL-2.0-or-later
/* Internals shared by btf_parse.c and btf_query.c. */
#ifndef VMSIFT_BTF_PRIV_H
#define VMSIFT_BTF_PRIV_H

#include "vmsift/btf.h"

/* BTF kinds (the kernel's uapi numbering). */
enum {
	BTF_INT = 1, BTF_PTR, BTF_ARRAY, BTF_STRUCT, BTF_UNION, BTF_ENUM, BTF_FWD, BTF_TYPEDEF, BTF_VOLATILE,
	BTF_CONST, BTF_RESTRICT, BTF_FUNC, BTF_FUNC_PROTO, BTF_VAR, BTF_DATASEC, BTF_FLOAT, BTF_DECL_TAG,
	BTF_TYPE_TAG, BTF_ENUM64, BTF_KIND_MAX = BTF_ENUM64
};

#define BTF_MAX_CHAIN 32      /* typedef/const/volatile/array/pointer links followed */
#define BTF_MAX_NESTING 16    /* anonymous struct/union members entered */

/* Name classes of the index: C keeps tags and typedefs apart. */
enum { BTF_NS_TAG = 1, BTF_NS_TYPEDEF, BTF_NS_ENUM, BTF_NS_VAR };

struct vs_btf {
	uint8_t *data;          /* the copied blob */
	size_t len;
	bool be;
	unsigned ptr_size;
	const uint8_t *types;   /* type section */
	const char *strs;       /* string section, NUL-terminated at its end */
	uint32_t str_len;
	uint32_t count;         /* type ids 0 (void) .. count-1 */
	uint32_t *rec;          /* rec[id]: offset of the id's record in the type section */
	uint8_t *home;          /* home[id] of a VAR: enum vs_btf_var_home */
	uint32_t nvars, npercpu;
	struct { uint32_t id; uint8_t ns; } *slot;  /* name index, open addressing */
	size_t cap;
};

uint32_t btf_u32(const struct vs_btf *b, const uint8_t *p);
/* A type's fields: kind, vlen, kind_flag, name, size-or-type, and its trailing data. */
unsigned btf_kind(const struct vs_btf *b, uint32_t id);
unsigned btf_vlen(const struct vs_btf *b, uint32_t id);
bool btf_kflag(const struct vs_btf *b, uint32_t id);
const char *btf_name(const struct vs_btf *b, uint32_t id);
uint32_t btf_size_type(const struct vs_btf *b, uint32_t id);
const uint8_t *btf_extra(const struct vs_btf *b, uint32_t id);
/* The first id of that class and name; 0 when none. */
uint32_t btf_lookup(const struct vs_btf *b, uint8_t ns, const char *name);

#endif
