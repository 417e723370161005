// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checking the dump's kallsyms against VMCOREINFO and finding names in it,
 * both in one pass over the name stream.  A SYMBOL(name)=value agrees when a
 * symbol called name sits at value: the binary search of the address table
 * gives the few symbols at value, and only those are decoded.  The SYMBOL()s
 * no symbol sits at (absent from kallsyms, or the table is wrong) are looked
 * for by name in the same pass, so a disagreement can be named; a rare
 * second pass settles a name that was at none of its candidates.
 */
#include <stdlib.h>
#include <string.h>

#include "kallsyms_priv.h"

#define ALIASES_MAX 32   /* symbols at one address a check looks at */

/* A SYMBOL() that VMCOREINFO exports, and what kallsyms says of it. */
struct ks_check {
	uint64_t value;
	bool in_range;               /* some mode has symbols at value */
	bool searched;               /* looked for by name in the first pass */
	bool seen, agrees[KS_NMODES];
};

struct ks_hit {
	size_t id;
	uint32_t index;
};

struct ks_job {
	struct vs_kallsyms *ks;
	const char **names;          /* the names asked for, then the checks' */
	size_t nuser, nnames;
	uint32_t *first;             /* per name: the first symbol called so */
	struct ks_check *checks;     /* nnames - nuser of them */
	char *check_names;
	enum ks_addr_mode modes[2];
	int nmodes;
	struct ks_hit *hits;         /* the current pass's notes */
	size_t nhits, cap;
};

/* A pass only takes notes (it reads the stream in place); the addresses are read after it. */
static struct vs_err *ks_hit(void *arg, size_t id, uint32_t index)
{
	struct ks_job *j = arg;
	if (j->nhits == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 64;
		struct ks_hit *h = realloc(j->hits, cap * sizeof(*h));
		if (!h)
			return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
		j->hits = h;
		j->cap = cap;
	}
	j->hits[j->nhits++] = (struct ks_hit){ id, index };
	return NULL;
}

/* What the notes of the last pass say: the first symbol of each name, and which checks agree. */
static struct vs_err *ks_settle(struct ks_job *j)
{
	for (size_t h = 0; h < j->nhits; h++) {
		size_t id = j->hits[h].id;
		uint32_t index = j->hits[h].index;
		if (index < j->first[id])
			j->first[id] = index;
		if (id < j->nuser)
			continue;
		struct ks_check *c = &j->checks[id - j->nuser];
		c->seen = true;
		for (int m = 0; m < j->nmodes; m++) {
			uint64_t a;
			struct vs_err *err = ks_addr_as(j->ks, index, j->modes[m], &a);
			if (err)
				return err;
			c->agrees[j->modes[m]] |= a == c->value;
		}
	}
	j->nhits = 0;
	return NULL;
}

/* Passes over the stream: the candidates in the first, the searched names 64 at a time. */
static struct vs_err *ks_passes(struct ks_job *j, const uint32_t *cands, size_t ncands, const size_t *search,
				size_t nsearch)
{
	struct vs_err *err = NULL;
	size_t done = 0;
	while (!err && (ncands || done < nsearch)) {
		size_t chunk = nsearch - done < KS_SEARCH_MAX ? nsearch - done : KS_SEARCH_MAX;
		struct ks_walk w = { j->names, j->nnames, cands, ncands, search + done, chunk, ks_hit, j };
		if (!(err = ks_walk(j->ks, &w)))
			err = ks_settle(j);
		done += chunk;
		ncands = 0;
	}
	return err;
}

/*
 * The SYMBOL(name)=address entries worth checking, first occurrence only.
 * Not mem_section: since Linux 4.15 (83e3c48729d9, mem_section allocated at
 * run time) VMCOREINFO gives the pointer's value, not the variable's address.
 */
static struct vs_err *ks_add_checks(struct ks_job *j, const struct vs_vmcoreinfo *vi)
{
	size_t cnt = 0, bytes = 0;
	for (size_t i = 0; i < vi->n; i++)
		if (!strncmp(vi->entries[i].key, "SYMBOL(", 7)) {
			cnt++;
			bytes += strlen(vi->entries[i].key);
		}
	const char **names = realloc(j->names, (j->nuser + cnt + 1) * sizeof(*names));
	if (names)
		j->names = names;
	j->checks = calloc(cnt + 1, sizeof(*j->checks));
	j->check_names = malloc(bytes + 1);
	if (!names || !j->checks || !j->check_names)
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	char *w = j->check_names;
	for (size_t i = 0; i < vi->n; i++) {
		const char *key = vi->entries[i].key;
		size_t len = strlen(key);
		struct ks_check *c = &j->checks[j->nnames - j->nuser];
		if (strncmp(key, "SYMBOL(", 7) || len < 9 || key[len - 1] != ')')
			continue;
		memcpy(w, key + 7, len - 8);
		w[len - 8] = '\0';
		if (strcmp(w, "mem_section") && !vs_err_optional(vs_vmci_symbol(vi, w, &c->value), NULL) &&
		    vs_vmci_get(vi, key) == vi->entries[i].value) {
			j->names[j->nnames++] = w;
			w += len - 7;
		}
	}
	return NULL;
}

static int ks_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The symbols at each check's value, in every mode still possible (ascending, unique). */
static struct vs_err *ks_candidates(struct ks_job *j, uint32_t **out, size_t *n)
{
	size_t nchecks = j->nnames - j->nuser, cnt = 0;
	uint32_t *c = malloc((nchecks * (size_t)j->nmodes * ALIASES_MAX + 1) * sizeof(*c));
	if (!c)
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	for (size_t i = 0; i < nchecks; i++) {
		for (int m = 0; m < j->nmodes; m++) {
			uint32_t first, count;
			struct vs_err *err = ks_addr_find(j->ks, j->checks[i].value, j->modes[m], ALIASES_MAX, &first,
							  &count);
			if (err) {
				free(c);
				return err;
			}
			j->checks[i].in_range |= count > 0;
			while (count--)
				c[cnt++] = first++;
		}
	}
	qsort(c, cnt, sizeof(*c), ks_u32_cmp);
	size_t u = 0;
	for (size_t i = 0; i < cnt; i++)
		if (!u || c[u - 1] != c[i])
			c[u++] = c[i];
	*out = c;
	*n = u;
	return NULL;
}

/* Picks the address mode every seen check agrees with; says which one disagrees if none. */
static struct vs_err *ks_pick_mode(struct ks_job *j)
{
	struct vs_kallsyms *ks = j->ks;
	size_t nchecks = j->nnames - j->nuser;
	enum ks_addr_mode best = j->modes[0];
	uint32_t best_agree = 0;
	long best_bad = -1;
	for (int m = 0; m < j->nmodes; m++) {
		uint32_t agree = 0;
		long bad = -1;
		for (size_t i = 0; i < nchecks; i++) {
			if (j->checks[i].seen && j->checks[i].agrees[j->modes[m]])
				agree++;
			else if (j->checks[i].seen && bad < 0)
				bad = (long)i;
		}
		if (agree && bad < 0) {
			ks->mode = j->modes[m];
			ks->verified = agree;
			return NULL;
		}
		if (m == 0 || agree > best_agree) {
			best = j->modes[m];
			best_agree = agree;
			best_bad = bad;
		}
	}
	if (best_bad < 0)
		return vs_err_new(VS_ERR_NOKEY,
				  "kallsyms has none of the %zu symbols VMCOREINFO exports, so it cannot be checked", nchecks);
	uint64_t got;
	size_t id = j->nuser + (size_t)best_bad;
	struct vs_err *err = ks_addr_as(ks, j->first[id], best, &got);
	if (err)
		return err;
	return vs_err_new(VS_ERR_CORRUPT, "kallsyms says %s is at 0x%llx, VMCOREINFO says 0x%llx: the table is not trusted",
			  j->names[id], (unsigned long long)got, (unsigned long long)j->checks[best_bad].value);
}

/*
 * Whether check c shares its value with another: VMCOREINFO exports some
 * symbols under a second name (x86_64's swapper_pg_dir is a macro for
 * init_top_pgt, which kallsyms has), so the symbol at that value may be
 * called otherwise; looking for such names in the first pass saves a second.
 */
static bool ks_shared(const struct ks_job *j, size_t c)
{
	for (size_t d = 0; d < j->nnames - j->nuser; d++)
		if (d != c && j->checks[d].value == j->checks[c].value)
			return true;
	return false;
}

/* What the first pass looks for by name: the names asked for, and the checks the candidates cannot settle. */
static size_t ks_first_search(struct ks_job *j, size_t *search)
{
	size_t n = 0;
	for (size_t i = 0; i < j->nnames; i++) {
		struct ks_check *c = i < j->nuser ? NULL : &j->checks[i - j->nuser];
		if (c && c->in_range && !ks_shared(j, i - j->nuser))
			continue;
		if (c)
			c->searched = true;
		search[n++] = i;
	}
	return n;
}

/* Checks the table, finding the names asked for in the same pass. */
static struct vs_err *ks_verify(struct ks_job *j, const struct vs_vmcoreinfo *vi)
{
	uint32_t *cands = NULL;
	size_t ncands = 0, nsearch = 0;
	j->modes[0] = j->ks->mode;
	j->modes[1] = KS_PERCPU;
	j->nmodes = j->ks->mode == KS_RELATIVE ? 2 : 1;
	struct vs_err *err = ks_add_checks(j, vi);
	size_t *search = err ? NULL : malloc((j->nnames + 1) * sizeof(*search));
	if (!err && !search)
		err = vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	if (!err)
		err = ks_candidates(j, &cands, &ncands);
	if (!err)
		nsearch = ks_first_search(j, search);
	if (!err)
		j->first = realloc(j->first, (j->nnames + 1) * sizeof(*j->first));
	if (!err && !j->first)
		err = vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	for (size_t i = j->nuser; !err && i < j->nnames; i++)
		j->first[i] = KS_NO_INDEX;
	if (!err)
		err = ks_passes(j, cands, ncands, search, nsearch);
	nsearch = 0;  /* a check at some candidates but called otherwise: is its name elsewhere? */
	for (size_t i = j->nuser; !err && i < j->nnames; i++)
		if (!j->checks[i - j->nuser].seen && !j->checks[i - j->nuser].searched)
			search[nsearch++] = i;
	if (!err && nsearch)
		err = ks_passes(j, NULL, 0, search, nsearch);
	if (!err)
		err = ks_pick_mode(j);
	free(cands);
	free(search);
	return err;
}

static void ks_job_free(struct ks_job *j)
{
	free(j->names);
	free(j->first);
	free(j->checks);
	free(j->check_names);
	free(j->hits);
}

/* The names asked for, in a job of their own (checks are added by ks_verify). */
static struct vs_err *ks_job_init(struct ks_job *j, struct vs_kallsyms *ks, const char *const *names, size_t n)
{
	memset(j, 0, sizeof(*j));
	j->ks = ks;
	j->names = malloc((n + 1) * sizeof(*j->names));
	j->first = malloc((n + 1) * sizeof(*j->first));
	if (!j->names || !j->first)
		return vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
	for (size_t i = 0; i < n; i++) {
		j->names[i] = names[i];
		j->first[i] = KS_NO_INDEX;
	}
	j->nuser = j->nnames = n;
	return NULL;
}

static struct vs_err *ks_results(struct ks_job *j, uint64_t *addrs, uint64_t *gaps, bool *found)
{
	for (size_t i = 0; i < j->nuser; i++) {
		struct vs_err *err = NULL;
		addrs[i] = 0;
		if (gaps)
			gaps[i] = 0;
		found[i] = j->first[i] != KS_NO_INDEX;
		if (found[i] && ((err = ks_addr_as(j->ks, j->first[i], j->ks->mode, &addrs[i])) ||
				 (gaps && (err = ks_addr_gap(j->ks, j->first[i], &gaps[i])))))
			return err;
	}
	return NULL;
}

struct vs_err *ks_lookup(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs, uint64_t *gaps,
			 bool *found)
{
	struct ks_job j;
	struct vs_err *err;
	bool load = !k->kallsyms_tried;
	if (load) {
		k->kallsyms_tried = true;
		if ((k->kallsyms_err = ks_open(k, &k->kallsyms)))
			return vs_err_new(k->kallsyms_err->code, "%s", k->kallsyms_err->msg);
	}
	if (!k->kallsyms)
		return vs_err_new(k->kallsyms_err->code, "%s", k->kallsyms_err->msg);
	if (!(err = ks_job_init(&j, k->kallsyms, names, n))) {
		if (load)
			err = ks_verify(&j, k->vmci);
		else if (n) {
			size_t *search = malloc(n * sizeof(*search));
			for (size_t i = 0; search && i < n; i++)
				search[i] = i;
			err = search ? ks_passes(&j, NULL, 0, search, n) : vs_err_new(VS_ERR_NOMEM, "kallsyms: out of memory");
			free(search);
		}
	}
	if (err && load) {
		k->kallsyms_err = err;
		vs_kallsyms_free(k->kallsyms);
		k->kallsyms = NULL;
		err = vs_err_new(err->code, "%s", err->msg);
	}
	if (!err)
		err = ks_results(&j, addrs, gaps, found);
	ks_job_free(&j);
	return err;
}
