// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources: src/debuginfo/config_parse.c src/util/error.c
/*
 * The makedumpfile.conf(5) parser, one construct at a time: sections,
 * erase with each size form, nullify, the three loops, comments and
 * commands over several lines; and the errors, each naming the line and
 * the token.
 */
#include <stdio.h>
#include <string.h>

#include "vmsift/config.h"

static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

static struct vs_config *parse(const char *text)
{
	struct vs_config *c = NULL;
	struct vs_err *err = vs_config_parse("t.conf", text, strlen(text), &c);
	if (err) {
		printf("# unexpected error: %s\n", err->msg);
		vs_err_free(err);
	}
	return c;
}

/* The text must fail with a message containing want. */
static void rejects(const char *text, const char *want)
{
	struct vs_config *c = NULL;
	struct vs_err *err = vs_config_parse("t.conf", text, strlen(text), &c);
	char what[300];
	snprintf(what, sizeof(what), "rejected: \"%s\" (%s)", want, err ? err->msg : "accepted");
	expect(err && strstr(err->msg, want) != NULL, what);
	vs_err_free(err);
	vs_config_free(c);
}

static void erase_forms(void)
{
	struct vs_config *c = parse("erase a.b.c\nerase x size 10\nerase y size 2K\nerase z size 3m\n"
				    "erase p size q.len\nerase n nullify\n");
	expect(c && c->ncmds == 6, "six erase commands");
	if (!c || c->ncmds != 6)
		return;
	const struct vs_cfg_erase *e = c->cmds[0].erase;
	expect(c->cmds[0].loop == VS_CFG_NO_LOOP && e->target.nparts == 3 && !strcmp(e->target.parts[2], "c") &&
	       !strcmp(e->target.text, "a.b.c") && e->size_kind == VS_CFG_SIZE_TYPE, "erase SYM.member.member");
	expect(c->cmds[1].erase->size_kind == VS_CFG_SIZE_NUM && c->cmds[1].erase->size == 10, "size N");
	expect(c->cmds[2].erase->size == 2048 && c->cmds[3].erase->size == 3u << 20, "size NK and Nm (either case)");
	expect(c->cmds[4].erase->size_kind == VS_CFG_SIZE_EXPR && !strcmp(c->cmds[4].erase->size_expr.text, "q.len"),
	       "size SYM.member");
	expect(c->cmds[5].erase->size_kind == VS_CFG_NULLIFY, "nullify");
	expect(!strcmp(c->cmds[0].section, "vmlinux") && c->cmds[5].line == 6, "no section: vmlinux; line numbers");
	vs_config_free(c);
}

static void sections_and_layout(void)
{
	struct vs_config *c = parse("# comment\n[vmlinux]\nerase a # trailing\n  [ mymod ]\nerase\n\tb\n  size\n 4\n");
	expect(c && c->ncmds == 2 && !strcmp(c->cmds[0].section, "vmlinux") && !strcmp(c->cmds[1].section, "mymod"),
	       "sections, spaces inside the brackets");
	expect(c && c->cmds[1].line == 5 && c->cmds[1].erase->size == 4, "a command over four lines, tabs");
	vs_config_free(c);
}

static void loops(void)
{
	struct vs_config *c = parse("for s in arr\n erase s.key size s.len\n erase s\nendfor\n"
				    "for n in head via link\n erase n.k nullify\nendfor\n"
				    "for l in lh.next within st:member\n erase l.x\nendfor\n"
				    "for l in lh within st\n erase l.x\nendfor\n");
	expect(c && c->ncmds == 4, "four loops");
	if (!c || c->ncmds != 4)
		return;
	expect(c->cmds[0].loop == VS_CFG_LOOP_PLAIN && c->cmds[0].nerase == 2 && !strcmp(c->cmds[0].var, "s"),
	       "for ID in ARRAY: two erase commands");
	expect(c->cmds[1].loop == VS_CFG_LOOP_VIA && !strcmp(c->cmds[1].via_member, "link"), "for ... via MEMBER");
	expect(c->cmds[2].loop == VS_CFG_LOOP_WITHIN && !strcmp(c->cmds[2].within_struct, "st") &&
	       !strcmp(c->cmds[2].within_member, "member") && c->cmds[2].list.nparts == 2,
	       "for ... within STRUCT:MEMBER");
	expect(!strcmp(c->cmds[3].within_member, "list"), "within STRUCT: the member defaults to list");
	vs_config_free(c);
}

int main(void)
{
	erase_forms();
	sections_and_layout();
	loops();
	rejects("erase\n", "line 1: expected a symbol after 'erase', found the end of the file");
	rejects("erase size 4\n", "expected a symbol after 'erase', found 'size'");
	rejects("erase a.\n", "line 1: 'a.' is not a name");
	rejects("erase a..b\n", "'a..b' is not a name");
	rejects("erase a[2]\n", "'a[2]' is not a name");
	rejects("erase a size 10x\n", "size '10x' is not a number");
	rejects("erase a size -1\n", "size '-1' must be positive");
	rejects("erase a size 0\n", "size '0' erases nothing");
	rejects("erase a size 99999999999999999999\n", "is too large");
	rejects("erase a size 2000000M\n", "is too large");
	rejects("\n\nerasee a\n", "line 3: expected 'erase' or 'for', found 'erasee'");
	rejects("endfor\n", "found 'endfor'");
	rejects("[vmlinux\n", "line 1: a section header without its ']'");
	rejects("[]\n", "an empty section name");
	rejects("[a] b\n", "text after the section header");
	rejects("for s arr\n", "expected 'in' after 'for s'");
	rejects("for s in arr\n erase t.key\nendfor\n", "line 2: inside the loop, 'erase t.key' does not start");
	rejects("for s in arr\n erase s.key\n", "line 2: no 'endfor'");
	rejects("for s in arr\n erase s.key\n[m]\nerase x\n", "line 3: no 'endfor'");
	rejects("for s in arr\n for t in b\n", "line 2: expected 'erase' or 'endfor' in the loop, found 'for'");
	rejects("for s in arr\nendfor\n", "erases nothing");
	rejects("for s in arr within :x\n erase s\nendfor\n", "after 'within' is not STRUCT:MEMBER");
	rejects("for s in arr via\n", "expected a member name after 'via'");
	struct vs_config *c = NULL;
	struct vs_err *err = vs_config_parse("t.conf", "erase a\0b\n", 10, &c);
	expect(err && strstr(err->msg, "line 1: a NUL byte"), "rejected: a NUL byte in the text");
	vs_err_free(err);
	return failed;
}
