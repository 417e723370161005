// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/vmcoreinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_VMCOREINFO (4u << 20)

static int cmp_entry(const void *a, const void *b)
{
	const struct vs_vmci_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static size_t count_lines(const char *t, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	return n;
}

struct vs_err *vs_vmci_parse(const char *text, size_t len, struct vs_vmcoreinfo **out)
{
	if (len > MAX_VMCOREINFO)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO is %zu bytes, more than %u", len, MAX_VMCOREINFO);
	struct vs_vmcoreinfo *vi = calloc(1, sizeof(*vi));
	size_t maxn = count_lines(text, len);
	if (vi) {
		vi->text = malloc(len + 1);
		vi->entries = calloc(maxn, sizeof(*vi->entries));
		vi->sorted = calloc(maxn, sizeof(*vi->sorted));
	}
	if (!vi || !vi->text || !vi->entries || !vi->sorted) {
		vs_vmci_free(vi);
		return vs_enomem;
	}
	memcpy(vi->text, text, len);
	vi->text[len] = 0;
	char *p = vi->text, *end = vi->text + strnlen(vi->text, len);
	for (size_t line = 1; p < end; line++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		*eol = 0;
		char *eq = strchr(p, '=');
		if (eq && eq != p) {
			*eq = 0;
			vi->entries[vi->n++] = (struct vs_vmci_entry){ p, eq + 1, line };
		}
		p = eol + 1;
	}
	memcpy(vi->sorted, vi->entries, vi->n * sizeof(*vi->sorted));
	qsort(vi->sorted, vi->n, sizeof(*vi->sorted), cmp_entry);
	*out = vi;
	return NULL;
}

struct vs_err *vs_vmci_load_file(const char *path, struct vs_vmcoreinfo **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vs_err_os(errno, "cannot open the VMCOREINFO file %s", path);
	char *buf = malloc(MAX_VMCOREINFO);
	if (!buf) {
		close(fd);
		return vs_enomem;
	}
	size_t got = 0;
	struct vs_err *err = NULL;
	for (;;) {
		ssize_t n = read(fd, buf + got, MAX_VMCOREINFO - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = vs_err_os(errno, "reading the VMCOREINFO file %s", path);
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == MAX_VMCOREINFO) {
			err = vs_err_new(VS_ERR_CORRUPT, "the VMCOREINFO file %s is larger than %u bytes",
					 path, MAX_VMCOREINFO);
			break;
		}
	}
	close(fd);
	if (!err)
		err = vs_vmci_parse(buf, got, out);
	free(buf);
	return err;
}

void vs_vmci_free(struct vs_vmcoreinfo *vi)
{
	if (!vi)
		return;
	free(vi->text);
	free(vi->entries);
	free(vi->sorted);
	free(vi);
}

static const struct vs_vmci_entry *lookup(const struct vs_vmcoreinfo *vi, const char *key)
{
	if (!vi)
		return NULL;
	size_t lo = 0, hi = vi->n;
	while (lo < hi) {  /* leftmost match: the first occurrence in the text */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(vi->sorted[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < vi->n && strcmp(vi->sorted[lo].key, key) == 0)
		return &vi->sorted[lo];
	return NULL;
}

const char *vs_vmci_get(const struct vs_vmcoreinfo *vi, const char *key)
{
	const struct vs_vmci_entry *e = lookup(vi, key);
	return e ? e->value : NULL;
}

/* Parses the whole string as a number in base (0 = decimal, or hex with 0x). */
static struct vs_err *parse_u64(const struct vs_vmci_entry *e, int base, uint64_t *v)
{
	const char *s = e->value;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (base == 0 && !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		base = 10;
	char *end;
	errno = 0;
	unsigned long long x = *s && *s != '-' ? strtoull(s, &end, base) : 0;
	if (!*s || *s == '-' || *end || errno)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO line %zu: %s=%s is not a valid %snumber",
				  e->line, e->key, e->value, base == 16 ? "hexadecimal " : "");
	*v = x;
	return NULL;
}

static struct vs_err *get_u64(const struct vs_vmcoreinfo *vi, const char *key, int base, uint64_t *v)
{
	const struct vs_vmci_entry *e = lookup(vi, key);
	if (!e)
		return vs_err_new(VS_ERR_NOKEY, "VMCOREINFO has no %s", key);
	return parse_u64(e, base, v);
}

static struct vs_err *get_wrapped(const struct vs_vmcoreinfo *vi, const char *kind,
				  const char *name, int base, uint64_t *v)
{
	char key[256];
	if ((size_t)snprintf(key, sizeof(key), "%s(%s)", kind, name) >= sizeof(key))
		return vs_err_new(VS_ERR_INVALID, "VMCOREINFO key name too long: %s", name);
	return get_u64(vi, key, base, v);
}

struct vs_err *vs_vmci_symbol(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v)
{
	struct vs_err *err = get_wrapped(vi, "SYMBOL", name, 16, v);
	if (!err && (*v == 0 || *v == UINT64_MAX)) {
		*v = 0;
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: SYMBOL(%s) is not a valid address", name);
	}
	return err;
}

struct vs_err *vs_vmci_size(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v)
{
	return get_wrapped(vi, "SIZE", name, 0, v);
}

struct vs_err *vs_vmci_offset(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v)
{
	return get_wrapped(vi, "OFFSET", name, 0, v);
}

struct vs_err *vs_vmci_length(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v)
{
	return get_wrapped(vi, "LENGTH", name, 0, v);
}

struct vs_err *vs_vmci_number(const struct vs_vmcoreinfo *vi, const char *name, int64_t *v)
{
	char key[256];
	if ((size_t)snprintf(key, sizeof(key), "NUMBER(%s)", name) >= sizeof(key))
		return vs_err_new(VS_ERR_INVALID, "VMCOREINFO key name too long: %s", name);
	const struct vs_vmci_entry *e = lookup(vi, key);
	if (!e)
		return vs_err_new(VS_ERR_NOKEY, "VMCOREINFO has no %s", key);
	/* NUMBER() is printed with %ld, a few with 0x%lx; both must round-trip. */
	const char *s = e->value;
	bool neg = *s == '-';
	struct vs_vmci_entry tmp = *e;
	tmp.value = neg ? s + 1 : s;
	uint64_t u;
	struct vs_err *err = parse_u64(&tmp, 0, &u);
	if (err) {
		vs_err_free(err);
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO line %zu: %s=%s is not a valid number",
				  e->line, e->key, e->value);
	}
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO line %zu: %s=%s is out of range",
				  e->line, e->key, e->value);
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return NULL;
}

struct vs_err *vs_vmci_dec(const struct vs_vmcoreinfo *vi, const char *key, uint64_t *v)
{
	return get_u64(vi, key, 0, v);
}

struct vs_err *vs_vmci_hex(const struct vs_vmcoreinfo *vi, const char *key, uint64_t *v)
{
	return get_u64(vi, key, 16, v);
}

static void put_entries(FILE *f, const struct vs_vmcoreinfo *vi, const struct vs_vmcoreinfo *skip)
{
	for (size_t i = 0; vi && i < vi->n; i++)
		if (!skip || !lookup(skip, vi->entries[i].key))
			fprintf(f, "%s=%s\n", vi->entries[i].key, vi->entries[i].value);
}

struct vs_err *vs_vmci_format(const struct vs_vmcoreinfo *vi, char **text, size_t *len)
{
	FILE *f = open_memstream(text, len);
	if (!f)
		return vs_enomem;
	put_entries(f, vi, NULL);
	if (fclose(f) != 0) {
		free(*text);
		return vs_enomem;
	}
	return NULL;
}

struct vs_err *vs_vmci_merge(const struct vs_vmcoreinfo *over, const struct vs_vmcoreinfo *under,
			     struct vs_vmcoreinfo **out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return vs_enomem;
	put_entries(f, over, NULL);
	put_entries(f, under, over);
	if (fclose(f) != 0) {
		free(text);
		return vs_enomem;
	}
	struct vs_err *err = vs_vmci_parse(text, len, out);
	free(text);
	return err;
}
