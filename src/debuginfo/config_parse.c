// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The makedumpfile.conf(5) language (see vmsift/config.h).  The text is cut
 * into tokens first (a section header is one token), then a small recursive
 * descent builds the command list.  Stricter than makedumpfile where it
 * would silently do nothing: a keyword or a non-identifier where a name is
 * expected, an empty ".." component, a size with a junk suffix or one that
 * overflows, a nested "for", and text after a section's ']' are errors that
 * name the file, the line and the token.
 */
#include "vmsift/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONFIG_BYTES (16u << 20)

struct tok {
	char *s;
	int line;
	bool section;    /* "[name]": s is the name */
};

struct parser {
	const char *path;
	struct tok *t;
	size_t n, cap, at;
	struct vs_config *c;
	char *section;   /* current section name (owned by the token list) */
};

static struct vs_err *perr(const struct parser *p, int line, const char *fmt, const char *tok)
{
	char what[200];
	snprintf(what, sizeof(what), fmt, tok ? tok : "");
	return vs_err_new(VS_ERR_INVALID, "%s line %d: %s", p->path, line, what);
}

static struct vs_err *push(struct parser *p, const char *s, size_t len, int line, bool section)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct tok *t = realloc(p->t, cap * sizeof(*t));
		if (!t)
			return vs_enomem;
		p->t = t;
		p->cap = cap;
	}
	char *copy = strndup(s, len);
	if (!copy)
		return vs_enomem;
	p->t[p->n++] = (struct tok){ copy, line, section };
	return NULL;
}

static struct vs_err *section_line(struct parser *p, const char *s, size_t len, int line)
{
	const char *close = memchr(s, ']', len);
	if (!close)
		return perr(p, line, "a section header without its ']'%s", NULL);
	for (const char *q = close + 1; q < s + len; q++)
		if (!isspace((unsigned char)*q))
			return perr(p, line, "text after the section header's ']': '%s'", q);
	const char *a = s + 1, *b = close;
	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && isspace((unsigned char)b[-1]))
		b--;
	if (a == b)
		return perr(p, line, "an empty section name%s", NULL);
	return push(p, a, (size_t)(b - a), line, true);
}

/* One line, comment already cut off. */
static struct vs_err *tokenize_line(struct parser *p, const char *s, size_t len, int line)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == '[') {
		char buf[512];
		size_t n = len - i < sizeof(buf) - 1 ? len - i : sizeof(buf) - 1;
		memcpy(buf, s + i, n);
		buf[n] = 0;
		return section_line(p, buf, n, line);
	}
	while (i < len) {
		size_t j = i;
		while (j < len && !isspace((unsigned char)s[j]))
			j++;
		if (memchr(s + i, 0, j - i))
			return perr(p, line, "a NUL byte in the text%s", NULL);
		struct vs_err *err = push(p, s + i, j - i, line, false);
		if (err)
			return err;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		i = j;
	}
	return NULL;
}

static struct vs_err *tokenize(struct parser *p, const char *text, size_t len)
{
	int line = 1;
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *hash = memchr(text + i, '#', end - i);
		size_t stop = hash ? (size_t)(hash - text) : end;
		struct vs_err *err = tokenize_line(p, text + i, stop - i, line);
		if (err)
			return err;
		i = end + 1;
		if (line == 1 << 30)
			return perr(p, line, "too many lines%s", NULL);
	}
	return NULL;
}

static bool is_keyword(const char *s)
{
	static const char *const kw[] = { "erase", "size", "nullify", "for", "in", "via", "within", "endfor" };
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strcmp(s, kw[i]) == 0)
			return true;
	return false;
}

static bool is_ident(const char *s, size_t n)
{
	if (n == 0 || n > 255 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

static const struct tok *peek(const struct parser *p)
{
	return p->at < p->n ? &p->t[p->at] : NULL;
}

static int last_line(const struct parser *p)
{
	return p->n ? p->t[p->n - 1].line : 1;
}

/* The next token if it is the word w (consumed), else NULL. */
static const struct tok *accept(struct parser *p, const char *w)
{
	const struct tok *t = peek(p);
	if (!t || t->section || strcmp(t->s, w) != 0)
		return NULL;
	p->at++;
	return t;
}

/* A word that is not a keyword: what follows "erase", "in", "size", "via"... */
static struct vs_err *operand(struct parser *p, int line, const char *after, const struct tok **out)
{
	const struct tok *t = peek(p);
	if (!t || t->section || is_keyword(t->s)) {
		char what[160];
		snprintf(what, sizeof(what), "expected %s, found %s", after,
			 !t ? "the end of the file" : t->section ? "a section header" : "'%s'");
		return perr(p, t ? t->line : line, what, t && !t->section ? t->s : NULL);
	}
	p->at++;
	*out = t;
	return NULL;
}

static struct vs_err *parse_expr(struct parser *p, const struct tok *t, struct vs_cfg_expr *e)
{
	e->text = strdup(t->s);
	if (!e->text)
		return vs_enomem;
	const char *s = t->s;
	for (;;) {
		size_t n = strcspn(s, ".");
		if (!is_ident(s, n))
			return perr(p, t->line, "'%s' is not a name or a dotted member path (NAME.member...)", t->s);
		if (e->nparts == VS_CFG_MAX_PARTS)
			return perr(p, t->line, "'%s' has too many members (at most 16 names)", t->s);
		if (!(e->parts[e->nparts++] = strndup(s, n)))
			return vs_enomem;
		if (!s[n])
			return NULL;
		s += n + 1;
	}
}

/* N, NK or NM (K = 1024, M = 1024^2, either case). */
static struct vs_err *parse_number(struct parser *p, const struct tok *t, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(t->s, &end, 10);
	uint64_t mul = 1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024, end++;
	if (*end)
		return perr(p, t->line, "size '%s' is not a number with an optional K or M suffix", t->s);
	/* The size of one object: more than 2^40 bytes is a typo, and far more overflows. */
	if (errno == ERANGE || n > (1ull << 40) / mul)
		return perr(p, t->line, "size '%s' is too large", t->s);
	if (n == 0)
		return perr(p, t->line, "size '%s' erases nothing", t->s);
	*v = n * mul;
	return NULL;
}

static struct vs_err *parse_size(struct parser *p, int line, struct vs_cfg_erase *e)
{
	if (accept(p, "nullify")) {
		e->size_kind = VS_CFG_NULLIFY;
		return NULL;
	}
	if (!accept(p, "size"))
		return NULL;
	const struct tok *t;
	struct vs_err *err = operand(p, line, "a size or a size variable after 'size'", &t);
	if (err)
		return err;
	if (t->s[0] == '-' || isdigit((unsigned char)t->s[0])) {
		e->size_kind = VS_CFG_SIZE_NUM;
		return t->s[0] == '-' ? perr(p, t->line, "size '%s' must be positive", t->s) : parse_number(p, t, &e->size);
	}
	e->size_kind = VS_CFG_SIZE_EXPR;
	return parse_expr(p, t, &e->size_expr);
}

/* After "erase": TARGET [nullify | size N | size EXPR]; in a loop TARGET starts with var. */
static struct vs_err *parse_erase(struct parser *p, int line, const char *var, struct vs_cfg_cmd *cmd)
{
	struct vs_cfg_erase *arr = realloc(cmd->erase, (cmd->nerase + 1) * sizeof(*arr));
	if (!arr)
		return vs_enomem;
	cmd->erase = arr;
	struct vs_cfg_erase *e = &arr[cmd->nerase++];
	memset(e, 0, sizeof(*e));
	e->line = line;
	const struct tok *t;
	struct vs_err *err = operand(p, line, "a symbol after 'erase'", &t);
	if (!err)
		err = parse_expr(p, t, &e->target);
	if (!err && var && strcmp(e->target.parts[0], var) != 0)
		err = perr(p, t->line, "inside the loop, 'erase %s' does not start with the loop variable", t->s);
	return err ? err : parse_size(p, line, e);
}

static struct vs_err *parse_within(struct parser *p, int line, struct vs_cfg_cmd *cmd)
{
	const struct tok *t;
	struct vs_err *err = operand(p, line, "STRUCT:MEMBER after 'within'", &t);
	if (err)
		return err;
	const char *colon = strchr(t->s, ':');
	size_t n = colon ? (size_t)(colon - t->s) : strlen(t->s);
	const char *m = colon ? colon + 1 : "list";   /* makedumpfile's default member */
	if (!is_ident(t->s, n) || !is_ident(m, strlen(m)))
		return perr(p, t->line, "'%s' after 'within' is not STRUCT:MEMBER", t->s);
	cmd->loop = VS_CFG_LOOP_WITHIN;
	cmd->within_struct = strndup(t->s, n);
	cmd->within_member = strdup(m);
	return cmd->within_struct && cmd->within_member ? NULL : vs_enomem;
}

static struct vs_err *parse_for(struct parser *p, int line, struct vs_cfg_cmd *cmd)
{
	const struct tok *t;
	struct vs_err *err = operand(p, line, "a loop variable after 'for'", &t);
	if (err)
		return err;
	if (!is_ident(t->s, strlen(t->s)))
		return perr(p, t->line, "loop variable '%s' is not a name", t->s);
	if (!(cmd->var = strdup(t->s)))
		return vs_enomem;
	if (!accept(p, "in")) {
		const struct tok *x = peek(p);
		return perr(p, x ? x->line : line, "expected 'in' after 'for %s'", cmd->var);
	}
	if ((err = operand(p, line, "a list or array after 'in'", &t)) || (err = parse_expr(p, t, &cmd->list)))
		return err;
	cmd->loop = VS_CFG_LOOP_PLAIN;
	if (accept(p, "via")) {
		if ((err = operand(p, line, "a member name after 'via'", &t)))
			return err;
		if (!is_ident(t->s, strlen(t->s)))
			return perr(p, t->line, "'%s' after 'via' is not a member name", t->s);
		cmd->loop = VS_CFG_LOOP_VIA;
		if (!(cmd->via_member = strdup(t->s)))
			return vs_enomem;
	} else if (accept(p, "within") && (err = parse_within(p, line, cmd))) {
		return err;
	}
	for (;;) {
		const struct tok *x = peek(p);
		if (!x || x->section)
			return perr(p, x ? x->line : last_line(p), "no 'endfor' for the 'for' of line %s", NULL);
		p->at++;
		if (strcmp(x->s, "endfor") == 0)
			break;
		if (strcmp(x->s, "erase") != 0)
			return perr(p, x->line, "expected 'erase' or 'endfor' in the loop, found '%s'", x->s);
		if ((err = parse_erase(p, x->line, cmd->var, cmd)))
			return err;
	}
	if (!cmd->nerase)
		return perr(p, line, "the loop over '%s' erases nothing", cmd->list.text);
	return NULL;
}

static struct vs_err *parse_command(struct parser *p)
{
	const struct tok *t = &p->t[p->at++];
	if (t->section) {
		p->section = t->s;
		return NULL;
	}
	bool is_for = strcmp(t->s, "for") == 0;
	if (!is_for && strcmp(t->s, "erase") != 0)
		return perr(p, t->line, "expected 'erase' or 'for', found '%s'", t->s);
	struct vs_config *c = p->c;
	struct vs_cfg_cmd *cmds = realloc(c->cmds, (c->ncmds + 1) * sizeof(*cmds));
	if (!cmds)
		return vs_enomem;
	c->cmds = cmds;
	struct vs_cfg_cmd *cmd = &cmds[c->ncmds++];
	memset(cmd, 0, sizeof(*cmd));
	cmd->line = t->line;
	if (!(cmd->section = strdup(p->section)))
		return vs_enomem;
	return is_for ? parse_for(p, t->line, cmd) : parse_erase(p, t->line, NULL, cmd);
}

static void free_expr(struct vs_cfg_expr *e)
{
	free(e->text);
	for (int i = 0; i < e->nparts; i++)
		free(e->parts[i]);
}

void vs_config_free(struct vs_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ncmds; i++) {
		struct vs_cfg_cmd *cmd = &c->cmds[i];
		free(cmd->section);
		free(cmd->var);
		free_expr(&cmd->list);
		free(cmd->via_member);
		free(cmd->within_struct);
		free(cmd->within_member);
		for (size_t j = 0; j < cmd->nerase; j++) {
			free_expr(&cmd->erase[j].target);
			free_expr(&cmd->erase[j].size_expr);
		}
		free(cmd->erase);
	}
	free(c->cmds);
	free(c->path);
	free(c);
}

struct vs_err *vs_config_parse(const char *path, const char *text, size_t len, struct vs_config **out)
{
	struct parser p = { .path = path, .section = "vmlinux" };
	struct vs_err *err = NULL;
	p.c = calloc(1, sizeof(*p.c));
	if (!p.c || !(p.c->path = strdup(path)))
		err = vs_enomem;
	if (!err)
		err = tokenize(&p, text, len);
	while (!err && p.at < p.n)
		err = parse_command(&p);
	for (size_t i = 0; i < p.n; i++)
		free(p.t[i].s);
	free(p.t);
	if (err) {
		vs_config_free(p.c);
		return err;
	}
	*out = p.c;
	return NULL;
}

struct vs_err *vs_config_load(const char *path, struct vs_config **out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return vs_err_os(errno, "cannot open the config file %s", path);
	char *buf = malloc(MAX_CONFIG_BYTES + 1);
	size_t n = buf ? fread(buf, 1, MAX_CONFIG_BYTES + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	struct vs_err *err = NULL;
	if (!buf)
		err = vs_enomem;
	else if (bad)
		err = vs_err_new(VS_ERR_OS, "cannot read the config file %s", path);
	else if (n > MAX_CONFIG_BYTES)
		err = vs_err_new(VS_ERR_INVALID, "the config file %s is larger than 16 MiB", path);
	else
		err = vs_config_parse(path, buf, n, out);
	free(buf);
	return err;
}
