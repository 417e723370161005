// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's BTF as read out of a dump (--config without -x): any bytes,
 * in both byte orders.  Whatever parses is queried by every name it holds
 * (as a variable, a struct, a type's size, each struct's members, an
 * enumerator): every answer comes back in bounds, cycles included.
 */
#include <stdlib.h>
#include <string.h>

#include "../../src/debuginfo/btf_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void members(const struct vs_btf *b, const struct vs_di_type *agg)
{
	uint32_t id = (uint32_t)agg->die;
	unsigned k = btf_kind(b, id);
	if (k != BTF_STRUCT && k != BTF_UNION)
		return;
	const uint8_t *e = btf_extra(b, id);
	for (unsigned i = 0; i < btf_vlen(b, id) && i < 64; i++, e += 12) {
		uint64_t off;
		struct vs_di_type t;
		struct vs_err *err = vs_btf_member_type(b, agg, b->strs + btf_u32(b, e), &off, &t);
		if (!err && (t.die >= b->count || strlen(t.name) >= sizeof(t.name)))
			abort();
		vs_err_free(err);
	}
}

static void query(const struct vs_btf *b, const char *name, unsigned *enum_scans)
{
	struct vs_di_type t;
	enum vs_btf_var_home home;
	uint64_t v;
	int64_t e;
	struct vs_err *err = vs_btf_var_type(b, name, &t, &home);
	if (!err && t.die >= b->count)
		abort();
	vs_err_free(err);
	if (!(err = vs_btf_struct_type(b, name, &t)))
		members(b, &t);
	vs_err_free(err);
	vs_err_free(vs_btf_size(b, name, &v));
	if ((*enum_scans)++ < 16)   /* an enumerator without its enum scans every type */
		vs_err_free(vs_btf_enum(b, NULL, name, &e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int be = 0; be < 2; be++) {
		struct vs_btf *b;
		struct vs_err *err = vs_btf_parse(data, size, be, 8, &b);
		if (err) {
			vs_err_free(err);
			continue;
		}
		unsigned enum_scans = 0;
		for (uint32_t id = 1; id < vs_btf_count(b); id++)
			query(b, btf_name(b, id), &enum_scans);
		vs_btf_free(b);
	}
	return 0;
}
