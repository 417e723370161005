// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms out of the dump.  The kernel keeps its symbol names compressed:
 * kallsyms_names is a sequence of entries, each a token count and that many
 * token numbers; kallsyms_token_index[256] gives each token's offset in
 * kallsyms_token_table (NUL-terminated strings).  Addresses are in the same
 * order, ascending: either kallsyms_addresses[] (unsigned longs), or 32-bit
 * kallsyms_offsets[] read against kallsyms_relative_base in one of two ways
 * (enum ks_addr_mode).  Nothing in VMCOREINFO says which way, so the table is
 * checked against the SYMBOL() values VMCOREINFO does export.
 *
 * The capture kernel's memory is small and this runs on every dump that
 * needs a symbol VMCOREINFO lacks, so only the token table is held.  The
 * check goes by address: a binary search of the address table gives the
 * symbols at each exported value, and only those are decoded; the names
 * asked for are found in the same single pass over the name stream
 * (kallsyms_walk.c; the check in kallsyms_lookup.c).  This file reads what
 * is kept and answers the public lookups.
 */
#include <stdlib.h>
#include <string.h>

#include "kallsyms_priv.h"

static const char *const table_syms[] = {
	"kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table", "kallsyms_token_index",
	"kallsyms_offsets", "kallsyms_relative_base", "kallsyms_addresses", "kallsyms_markers",
	"kallsyms_seqs_of_names",
};

/* Bytes from at up to the nearest kallsyms table above it that VMCOREINFO names, at most cap. */
static uint64_t ks_room(const struct vs_vmcoreinfo *vi, uint64_t at, uint64_t cap)
{
	for (size_t i = 0; i < sizeof(table_syms) / sizeof(table_syms[0]); i++) {
		uint64_t v;
		if (!vs_err_optional(vs_vmci_symbol(vi, table_syms[i], &v), NULL) && v > at && v - at < cap)
			cap = v - at;
	}
	return cap;
}

static struct vs_err *ks_read_tokens(struct vs_kallsyms *ks, const struct vs_vmcoreinfo *vi, uint64_t table,
				     uint64_t index)
{
	uint8_t raw[512];
	struct vs_err *err = vs_kernel_read_virt(ks->k, index, raw, sizeof(raw));
	if (err)
		return vs_err_wrap(err, "kallsyms_token_index at 0x%llx", (unsigned long long)index);
	uint64_t room = ks_room(vi, table, 1u << 17);
	uint16_t last = 0;
	for (int i = 0; i < 256; i++) {
		ks->token_at[i] = vs_kernel_ld16(ks->k, raw + 2 * i);
		if (ks->token_at[i] >= room)
			return vs_err_new(VS_ERR_CORRUPT,
					  "kallsyms_token_index[%d] is %u, past kallsyms_token_table's end (%llu bytes)", i,
					  ks->token_at[i], (unsigned long long)room);
		if (ks->token_at[i] > last)
			last = ks->token_at[i];
	}
	/* The table ends with the token that starts last; no token is long. */
	ks->tokens_len = (size_t)last + 256 < room ? (size_t)last + 256 : (size_t)room;
	if (!(ks->tokens = calloc(1, ks->tokens_len + 1)))
		return vs_err_new(VS_ERR_NOMEM, "kallsyms_token_table: out of memory");
	if ((err = vs_kernel_read_virt(ks->k, table, ks->tokens, ks->tokens_len)))
		return vs_err_wrap(err, "kallsyms_token_table at 0x%llx", (unsigned long long)table);
	for (int i = 0; i < 256; i++)
		ks->token_len[i] = (uint16_t)strlen(ks->tokens + ks->token_at[i]);
	return NULL;
}

static struct vs_err *ks_locate_addrs(struct vs_kallsyms *ks, const struct vs_vmcoreinfo *vi)
{
	uint64_t base;
	bool relative = vs_vmci_get(vi, "SYMBOL(kallsyms_offsets)") != NULL;
	struct vs_err *err;
	ks->width = relative ? 4 : ks->k->long_size;
	ks->mode = relative ? KS_RELATIVE : KS_ABSOLUTE;
	const char *what = relative ? "kallsyms_offsets" : "kallsyms_addresses";
	if ((err = vs_vmci_symbol(vi, what, &ks->addrs)))
		return err;
	/* The entries are read on demand: a count the table has no room for is refused now. */
	uint64_t need = (uint64_t)ks->n * ks->width, room = ks_room(vi, ks->addrs, need);
	if (room < need)
		return vs_err_new(VS_ERR_CORRUPT, "kallsyms_num_syms is %u, but %s has room for %llu", ks->n, what,
				  (unsigned long long)(room / ks->width));
	if (!relative)
		return NULL;
	if ((err = vs_vmci_symbol(vi, "kallsyms_relative_base", &base)))
		return err;
	if ((err = vs_kernel_read_long(ks->k, base, &ks->base)))
		return vs_err_wrap(err, "kallsyms_relative_base at 0x%llx", (unsigned long long)base);
	return NULL;
}

/* Reads what the reader keeps (counts, tokens, where the tables are); no symbol is checked yet. */
struct vs_err *ks_open(struct vs_kernel *k, struct vs_kallsyms **out)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	uint64_t num, table, index;
	struct vs_kallsyms *ks;
	struct vs_err *err;
	*out = NULL;
	if (!(ks = calloc(1, sizeof(*ks))))
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	ks->k = k;
	if ((err = vs_vmci_symbol(vi, "kallsyms_names", &ks->names)) ||
	    (err = vs_vmci_symbol(vi, "kallsyms_num_syms", &num)) ||
	    (err = vs_vmci_symbol(vi, "kallsyms_token_table", &table)) ||
	    (err = vs_vmci_symbol(vi, "kallsyms_token_index", &index))) {
	} else if ((err = vs_kernel_read_u32(k, num, &ks->n))) {
		err = vs_err_wrap(err, "kallsyms_num_syms at 0x%llx", (unsigned long long)num);
	} else if (ks->n == 0 || ks->n > KS_MAX_SYMS) {
		err = vs_err_new(VS_ERR_CORRUPT, "kallsyms_num_syms at 0x%llx is %u (1 to %u expected)",
				 (unsigned long long)num, ks->n, KS_MAX_SYMS);
	} else if (!(err = ks_read_tokens(ks, vi, table, index))) {
		ks->names_room = ks_room(vi, ks->names, KS_MAX_NAMES_BYTES);
		err = ks_locate_addrs(ks, vi);
	}
	if (err) {
		vs_kallsyms_free(ks);
		return err;
	}
	*out = ks;
	return NULL;
}

void vs_kallsyms_free(struct vs_kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->tokens);
	free(ks);
}

uint32_t vs_kallsyms_count(const struct vs_kallsyms *ks)
{
	return ks ? ks->n : 0;
}

uint32_t vs_kallsyms_verified(const struct vs_kallsyms *ks)
{
	return ks ? ks->verified : 0;
}

/* Why kallsyms could not stand in for SYMBOL(name). */
static struct vs_err *ks_unusable(struct vs_err *err, const char *name)
{
	struct vs_err *e = vs_err_new(err->code == VS_ERR_NOMEM ? VS_ERR_NOMEM : VS_ERR_NOKEY,
				      "VMCOREINFO has no SYMBOL(%s), and the dump's kallsyms cannot stand in: %s", name,
				      err->msg);
	vs_err_free(err);
	return e;
}

struct vs_err *vs_kallsyms_lookup(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs,
				  uint64_t *gaps)
{
	bool *found = malloc((n + 1) * sizeof(*found));
	if (!found)
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	struct vs_err *err = ks_lookup(k, names, n, addrs, gaps, found);
	free(found);
	return err && !k->kallsyms ? ks_unusable(err, n ? names[0] : "") : err;
}

struct vs_err *vs_kernel_symbol(struct vs_kernel *k, const char *name, uint64_t *addr, uint64_t *gap)
{
	uint64_t g;
	bool found;
	struct vs_err *err = vs_vmci_symbol(k->vmci, name, addr);
	if (!err || err->code != VS_ERR_NOKEY) {
		if (gap)
			*gap = 0;
		return err;
	}
	vs_err_free(err);
	if ((err = ks_lookup(k, &name, 1, addr, &g, &found)))
		return k->kallsyms ? err : ks_unusable(err, name);
	if (gap)
		*gap = g;
	return found ? NULL : vs_err_new(VS_ERR_NOKEY, "kallsyms has no symbol %s", name);
}

struct vs_err *vs_kernel_symbols(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs,
				 uint64_t *gaps)
{
	const char **missing = malloc((n + 1) * sizeof(*missing));
	size_t *at = malloc((n + 1) * sizeof(*at)), nmiss = 0;
	uint64_t *ma = malloc((n + 1) * sizeof(*ma)), *mg = malloc((n + 1) * sizeof(*mg));
	bool *found = malloc((n + 1) * sizeof(*found)), found_any = false;
	struct vs_err *err = NULL;
	if (!missing || !at || !ma || !mg || !found)
		err = vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	for (size_t i = 0; !err && i < n; i++) {
		if (gaps)
			gaps[i] = 0;
		if (!(err = vs_vmci_symbol(k->vmci, names[i], &addrs[i]))) {
			found_any = true;
			continue;
		}
		addrs[i] = 0;
		if (err->code == VS_ERR_NOMEM)
			break;
		if (err->code == VS_ERR_NOKEY) {  /* else a bad value: absent, as kallsyms would not be asked */
			at[nmiss] = i;
			missing[nmiss++] = names[i];
		}
		vs_err_free(err);
		err = NULL;
	}
	if (!err && nmiss && !(err = ks_lookup(k, missing, nmiss, ma, mg, found))) {
		for (size_t m = 0; m < nmiss; m++) {
			addrs[at[m]] = ma[m];
			if (gaps)
				gaps[at[m]] = mg[m];
		}
	} else if (err && !k->kallsyms && err->code != VS_ERR_NOMEM && nmiss) {
		/* Some names missing from an unusable table is an answer when VMCOREINFO gave others. */
		if (found_any) {
			vs_err_free(err);
			err = NULL;
		} else {
			err = ks_unusable(err, missing[0]);
		}
	}
	free(missing);
	free(at);
	free(ma);
	free(mg);
	free(found);
	return err;
}
