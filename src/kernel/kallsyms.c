// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms out of the dump.  The kernel keeps its symbol names compressed:
 * kallsyms_names is a sequence of entries, each a token count and that many
 * token numbers; kallsyms_token_index[256] gives each token's offset in
 * kallsyms_token_table (NUL-terminated strings).  The first decoded
 * character is the symbol's type letter.  Addresses are in the same order,
 * ascending: either kallsyms_addresses[] (unsigned longs), or 32-bit
 * kallsyms_offsets[] read against kallsyms_relative_base in one of two ways
 * (see struct vs_kallsyms).  Nothing in VMCOREINFO says which way, nor
 * whether token counts can take two bytes, so the table is decoded and then
 * checked against the SYMBOL() values VMCOREINFO does export.
 */
#include "vmsift/kallsyms.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SYMS (1u << 22)             /* 4M symbols; Debian's 6.12 has ~200k */
#define MAX_NAMES_BYTES (64u << 20)
#define READ_CHUNK (64u << 10)
#define NAME_MAX_LEN 1024               /* KSYM_NAME_LEN is 512 since 6.1 */

enum ks_addr_mode {
	KS_ABSOLUTE,        /* kallsyms_addresses[]: plain unsigned longs */
	KS_RELATIVE,        /* relative_base + (u32)offset */
	/*
	 * CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP until Linux 6.15): an
	 * offset >= 0 is an absolute address (the per-CPU symbols near 0), a
	 * negative one means relative_base - 1 - offset.
	 */
	KS_PERCPU,
};

struct vs_kallsyms {
	uint32_t n;
	uint8_t *names;         /* raw kallsyms_names, names_len bytes */
	size_t names_len;
	char *tokens;           /* kallsyms_token_table, NUL-terminated at the end */
	size_t tokens_len;
	uint16_t token_at[256];
	uint64_t *raw;          /* offsets (sign-extended 32-bit) or addresses */
	uint64_t base;          /* kallsyms_relative_base */
	enum ks_addr_mode mode;
	uint32_t verified;
};

static uint64_t ks_addr_as(const struct vs_kallsyms *ks, uint32_t i, enum ks_addr_mode mode)
{
	int64_t off = (int64_t)ks->raw[i];
	switch (mode) {
	case KS_RELATIVE:
		return ks->base + (uint32_t)off;
	case KS_PERCPU:
		return off >= 0 ? (uint64_t)off : ks->base - 1 - (uint64_t)off;
	default:
		return ks->raw[i];
	}
}

static uint64_t ks_addr(const struct vs_kallsyms *ks, uint32_t i)
{
	return ks_addr_as(ks, i, ks->mode);
}

/* Decodes the entry at *pos into name (type letter dropped); advances *pos. */
static struct vs_err *ks_decode(const struct vs_kallsyms *ks, size_t *pos, char *name, char *type)
{
	size_t p = *pos;
	if (p >= ks->names_len)
		return vs_err_new(VS_ERR_CORRUPT, "kallsyms_names: entry at byte %zu is past the table's end", p);
	size_t len = ks->names[p++];
	/* Two-byte counts since Linux 6.1 (73bbb94466fd, "big" symbols); older
	 * names never reach 128 tokens, so the high bit is unambiguous. */
	if (len & 0x80) {
		if (p >= ks->names_len)
			return vs_err_new(VS_ERR_CORRUPT, "kallsyms_names: entry at byte %zu is cut", *pos);
		len = (len & 0x7f) | (size_t)ks->names[p++] << 7;
	}
	if (len > ks->names_len - p)
		return vs_err_new(VS_ERR_CORRUPT, "kallsyms_names: entry at byte %zu has %zu tokens past the table's end",
				  *pos, len);
	size_t out = 0;
	bool first = true;
	for (size_t t = 0; t < len; t++) {
		for (const char *c = ks->tokens + ks->token_at[ks->names[p + t]]; *c; c++) {
			if (first) {
				*type = *c;
				first = false;
			} else if (out < NAME_MAX_LEN - 1) {
				name[out++] = *c;
			}
		}
	}
	name[out] = '\0';
	*pos = p + len;
	return NULL;
}

static struct vs_err *ks_read_tokens(struct vs_kernel *k, struct vs_kallsyms *ks, uint64_t table, uint64_t index)
{
	uint8_t raw[512];
	struct vs_err *err = vs_kernel_read_virt(k, index, raw, sizeof(raw));
	if (err)
		return vs_err_wrap(err, "kallsyms_token_index at 0x%llx", (unsigned long long)index);
	uint16_t last = 0;
	for (int i = 0; i < 256; i++) {
		ks->token_at[i] = vs_kernel_ld16(k, raw + 2 * i);
		if (ks->token_at[i] > last)
			last = ks->token_at[i];
	}
	/* The table ends with the token that starts last; no token is long. */
	ks->tokens_len = (size_t)last + 256;
	if (!(ks->tokens = calloc(1, ks->tokens_len + 1)))
		return vs_err_new(VS_ERR_NOMEM, "kallsyms_token_table: out of memory");
	if ((err = vs_kernel_read_virt(k, table, ks->tokens, ks->tokens_len)))
		return vs_err_wrap(err, "kallsyms_token_table at 0x%llx", (unsigned long long)table);
	return NULL;
}

/* Makes sure bytes [0, want) of kallsyms_names are in memory. */
static struct vs_err *ks_names_fill(struct vs_kernel *k, struct vs_kallsyms *ks, uint64_t names, size_t *cap,
				    size_t want)
{
	while (ks->names_len < want) {
		if (ks->names_len + READ_CHUNK > MAX_NAMES_BYTES)
			return vs_err_new(VS_ERR_CORRUPT, "kallsyms_names: longer than %u MiB", MAX_NAMES_BYTES >> 20);
		if (ks->names_len + READ_CHUNK > *cap) {
			size_t ncap = *cap ? *cap * 2 : 4 * READ_CHUNK;
			uint8_t *p = realloc(ks->names, ncap);
			if (!p)
				return vs_err_new(VS_ERR_NOMEM, "kallsyms_names: out of memory");
			ks->names = p;
			*cap = ncap;
		}
		struct vs_err *err = vs_kernel_read_virt(k, names + ks->names_len, ks->names + ks->names_len, READ_CHUNK);
		if (err)
			return vs_err_wrap(err, "kallsyms_names at 0x%llx + %zu", (unsigned long long)names,
					   ks->names_len);
		ks->names_len += READ_CHUNK;
	}
	return NULL;
}

/* Reads kallsyms_names up to the end of its last entry. */
static struct vs_err *ks_read_names(struct vs_kernel *k, struct vs_kallsyms *ks, uint64_t names)
{
	size_t cap = 0, pos = 0;
	struct vs_err *err;
	for (uint32_t i = 0; i < ks->n; i++) {
		if ((err = ks_names_fill(k, ks, names, &cap, pos + 2)))
			return err;
		size_t len = ks->names[pos];
		size_t hdr = 1;
		if (len & 0x80) {
			len = (len & 0x7f) | (size_t)ks->names[pos + 1] << 7;
			hdr = 2;
		}
		if ((err = ks_names_fill(k, ks, names, &cap, pos + hdr + len)))
			return err;
		pos += hdr + len;
	}
	ks->names_len = pos;
	return NULL;
}

static struct vs_err *ks_read_addrs(struct vs_kernel *k, struct vs_kallsyms *ks, const struct vs_vmcoreinfo *vi)
{
	uint64_t at, base;
	bool relative = vs_vmci_get(vi, "SYMBOL(kallsyms_offsets)") != NULL;
	unsigned width = relative ? 4 : k->long_size;
	struct vs_err *err;
	if (relative) {
		if ((err = vs_vmci_symbol(vi, "kallsyms_offsets", &at)) ||
		    (err = vs_vmci_symbol(vi, "kallsyms_relative_base", &base)) ||
		    (err = vs_kernel_read_long(k, base, &ks->base)))
			return err;
	} else if ((err = vs_vmci_symbol(vi, "kallsyms_addresses", &at))) {
		return err;
	}
	uint8_t *buf = malloc((size_t)ks->n * width);
	if (!(ks->raw = malloc((size_t)ks->n * sizeof(*ks->raw))) || !buf) {
		free(buf);
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory for %u addresses", ks->n);
	}
	if ((err = vs_kernel_read_virt(k, at, buf, (size_t)ks->n * width))) {
		free(buf);
		return vs_err_wrap(err, "%s at 0x%llx", relative ? "kallsyms_offsets" : "kallsyms_addresses",
				   (unsigned long long)at);
	}
	for (uint32_t i = 0; i < ks->n; i++)
		ks->raw[i] = relative ? (uint64_t)(int64_t)(int32_t)vs_kernel_ld32(k, buf + 4 * (size_t)i)
				      : vs_kernel_ld_long(k, buf + (size_t)i * width);
	free(buf);
	ks->mode = relative ? KS_RELATIVE : KS_ABSOLUTE;
	return NULL;
}

/* A SYMBOL() that VMCOREINFO exports, and what kallsyms says of it. */
struct ks_check {
	const char *name;
	uint64_t value;
	bool seen, agrees[3];   /* by enum ks_addr_mode */
	uint64_t got[3];        /* the first address kallsyms gave, per mode */
};

static int ks_check_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ks_check *)a)->name, ((const struct ks_check *)b)->name);
}

/*
 * The SYMBOL(name)=address entries worth checking.  Not mem_section: since
 * Linux 4.15 (83e3c48729d9, mem_section allocated at run time) VMCOREINFO
 * gives the pointer's value, not the variable's address.
 */
static struct vs_err *ks_checks(const struct vs_vmcoreinfo *vi, struct ks_check **out, size_t *n, char **names)
{
	size_t cnt = 0, bytes = 0;
	for (size_t i = 0; i < vi->n; i++)
		if (!strncmp(vi->entries[i].key, "SYMBOL(", 7)) {
			cnt++;
			bytes += strlen(vi->entries[i].key);
		}
	struct ks_check *c = calloc(cnt ? cnt : 1, sizeof(*c));
	char *buf = malloc(bytes + 1);
	if (!c || !buf) {
		free(c);
		free(buf);
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	}
	size_t m = 0;
	char *w = buf;
	for (size_t i = 0; i < vi->n; i++) {
		const char *key = vi->entries[i].key;
		size_t len = strlen(key);
		if (strncmp(key, "SYMBOL(", 7) || len < 9 || key[len - 1] != ')')
			continue;
		memcpy(w, key + 7, len - 8);
		w[len - 8] = '\0';
		if (strcmp(w, "mem_section") && !vs_err_optional(vs_vmci_symbol(vi, w, &c[m].value), NULL) &&
		    vs_vmci_get(vi, key) == vi->entries[i].value) {  /* first occurrence only */
			c[m++].name = w;
			w += len - 7;
		}
	}
	qsort(c, m, sizeof(*c), ks_check_cmp);
	*out = c;
	*n = m;
	*names = buf;
	return NULL;
}

static void ks_note(const struct vs_kallsyms *ks, struct ks_check *c, uint32_t i)
{
	for (int mode = KS_ABSOLUTE; mode <= KS_PERCPU; mode++) {
		uint64_t a = ks_addr_as(ks, i, (enum ks_addr_mode)mode);
		if (!c->seen)
			c->got[mode] = a;
		c->agrees[mode] |= a == c->value;
	}
	c->seen = true;
}

/* Picks the address mode every checked symbol agrees with; says which one disagrees if none. */
static struct vs_err *ks_verify(struct vs_kallsyms *ks, const struct vs_vmcoreinfo *vi)
{
	struct ks_check *c = NULL, key = { 0 };
	size_t nc = 0;
	char *buf = NULL, name[NAME_MAX_LEN], type;
	struct vs_err *err = ks_checks(vi, &c, &nc, &buf);
	if (err)
		return err;
	size_t pos = 0;
	for (uint32_t i = 0; i < ks->n && !err; i++) {
		if ((err = ks_decode(ks, &pos, name, &type)))
			break;
		key.name = name;
		struct ks_check *hit = nc ? bsearch(&key, c, nc, sizeof(*c), ks_check_cmp) : NULL;
		if (hit)
			ks_note(ks, hit, i);
	}
	enum ks_addr_mode modes[2] = { ks->mode, KS_PERCPU }, best = ks->mode;
	int nmodes = ks->mode == KS_RELATIVE ? 2 : 1;
	uint32_t best_agree = 0;
	const struct ks_check *best_bad = NULL;
	for (int m = 0; m < nmodes && !err && !ks->verified; m++) {
		uint32_t agree = 0;
		const struct ks_check *bad = NULL;
		for (size_t j = 0; j < nc; j++) {
			if (c[j].seen && c[j].agrees[modes[m]])
				agree++;
			else if (c[j].seen && !bad)
				bad = &c[j];
		}
		if (agree && !bad) {
			ks->mode = modes[m];
			ks->verified = agree;
		} else if (m == 0 || agree > best_agree) {
			best = modes[m];
			best_agree = agree;
			best_bad = bad;
		}
	}
	if (!err && !ks->verified) {
		if (best_bad)
			err = vs_err_new(VS_ERR_CORRUPT,
					 "kallsyms says %s is at 0x%llx, VMCOREINFO says 0x%llx: the table is not trusted",
					 best_bad->name, (unsigned long long)best_bad->got[best],
					 (unsigned long long)best_bad->value);
		else
			err = vs_err_new(VS_ERR_NOKEY,
					 "kallsyms has none of the %zu symbols VMCOREINFO exports, so it cannot be checked",
					 nc);
	}
	free(c);
	free(buf);
	return err;
}

struct vs_err *vs_kallsyms_load(struct vs_kernel *k, struct vs_kallsyms **out)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	uint64_t names, num, table, index;
	struct vs_err *err;
	*out = NULL;
	if ((err = vs_vmci_symbol(vi, "kallsyms_names", &names)) || (err = vs_vmci_symbol(vi, "kallsyms_num_syms", &num)) ||
	    (err = vs_vmci_symbol(vi, "kallsyms_token_table", &table)) ||
	    (err = vs_vmci_symbol(vi, "kallsyms_token_index", &index)))
		return err;
	struct vs_kallsyms *ks = calloc(1, sizeof(*ks));
	if (!ks)
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	if ((err = vs_kernel_read_u32(k, num, &ks->n)))
		err = vs_err_wrap(err, "kallsyms_num_syms at 0x%llx", (unsigned long long)num);
	else if (ks->n == 0 || ks->n > MAX_SYMS)
		err = vs_err_new(VS_ERR_CORRUPT, "kallsyms_num_syms at 0x%llx is %u (1 to %u expected)",
				 (unsigned long long)num, ks->n, MAX_SYMS);
	if (!err && !(err = ks_read_tokens(k, ks, table, index)) && !(err = ks_read_names(k, ks, names)) &&
	    !(err = ks_read_addrs(k, ks, vi)))
		err = ks_verify(ks, vi);
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
	free(ks->names);
	free(ks->tokens);
	free(ks->raw);
	free(ks);
}

struct vs_err *vs_kallsyms_find(const struct vs_kallsyms *ks, const char *name, uint64_t *addr, uint64_t *gap)
{
	char got[NAME_MAX_LEN], type;
	size_t pos = 0;
	for (uint32_t i = 0; i < ks->n; i++) {
		struct vs_err *err = ks_decode(ks, &pos, got, &type);
		if (err)
			return err;
		if (strcmp(got, name))
			continue;
		*addr = ks_addr(ks, i);
		if (gap) {
			*gap = 0;
			for (uint32_t j = i + 1; j < ks->n && !*gap; j++)  /* aliases share an address */
				if (ks_addr(ks, j) > *addr)
					*gap = ks_addr(ks, j) - *addr;
		}
		return NULL;
	}
	return vs_err_new(VS_ERR_NOKEY, "kallsyms has no symbol %s", name);
}

uint32_t vs_kallsyms_count(const struct vs_kallsyms *ks)
{
	return ks ? ks->n : 0;
}

uint32_t vs_kallsyms_verified(const struct vs_kallsyms *ks)
{
	return ks ? ks->verified : 0;
}

struct vs_err *vs_kernel_symbol(struct vs_kernel *k, const char *name, uint64_t *addr, uint64_t *gap)
{
	struct vs_err *err = vs_vmci_symbol(k->vmci, name, addr);
	if (!err || err->code != VS_ERR_NOKEY) {
		if (gap)
			*gap = 0;
		return err;
	}
	vs_err_free(err);
	if (!k->kallsyms_tried) {
		k->kallsyms_tried = true;
		k->kallsyms_err = vs_kallsyms_load(k, &k->kallsyms);
	}
	if (k->kallsyms)
		return vs_kallsyms_find(k->kallsyms, name, addr, gap);
	return vs_err_new(k->kallsyms_err->code == VS_ERR_NOMEM ? VS_ERR_NOMEM : VS_ERR_NOKEY,
			  "VMCOREINFO has no SYMBOL(%s), and the dump's kallsyms cannot stand in: %s", name,
			  k->kallsyms_err->msg);
}

struct vs_err *vs_kernel_symbols(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs,
				 uint64_t *gaps)
{
	bool found_any = false;
	struct vs_err *last = NULL;
	for (size_t i = 0; i < n; i++) {
		struct vs_err *err = vs_kernel_symbol(k, names[i], &addrs[i], gaps ? &gaps[i] : NULL);
		if (!err) {
			found_any = true;
			continue;
		}
		addrs[i] = 0;
		if (gaps)
			gaps[i] = 0;
		if (err->code == VS_ERR_NOMEM) {
			vs_err_free(last);
			return err;
		}
		vs_err_free(last);
		last = err;
	}
	/* Some names missing from a usable table is an answer, not an error. */
	if (found_any || k->kallsyms) {
		vs_err_free(last);
		return NULL;
	}
	return last;
}
