// SPDX-License-Identifier: GPL-2.0-or-later
#include "msg.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int level = ML_DEFAULT;
static bool to_stderr;
static const char *prog = "vmsift";

void msg_init(int lvl, bool stdout_is_dump)
{
	level = lvl;
	to_stderr = stdout_is_dump;
}

int msg_level(void)
{
	return level;
}

bool msg_enabled(int bit)
{
	return (level & bit) != 0;
}

FILE *msg_out(void)
{
	return to_stderr ? stderr : stdout;
}

const char *msg_prog(void)
{
	return prog;
}

void msg_set_prog(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	prog = strcmp(base, "makedumpfile") == 0 ? "makedumpfile" : "vmsift";
}

/* Warnings and errors, kept for --report whatever the message level shows. */
#define MAX_KEPT 256
static struct msg_kept kept[MAX_KEPT];
static size_t nkept, ndropped;

static void keep(const char *kind, const char *fmt, va_list ap)
{
	if (nkept == MAX_KEPT) {
		ndropped++;
		return;
	}
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	char *text = strdup(buf);
	if (!text) {
		ndropped++;
		return;
	}
	kept[nkept++] = (struct msg_kept){ .kind = kind, .text = text };
}

const struct msg_kept *msg_kept(size_t *n, size_t *dropped)
{
	*n = nkept;
	*dropped = ndropped;
	return kept;
}

void msg_kept_free(void)
{
	for (size_t i = 0; i < nkept; i++)
		free(kept[i].text);
	nkept = 0;
}

static void vmsg(int bit, FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	if (prefix) {
		va_list copy;
		va_copy(copy, ap);
		keep(strcmp(prefix, "error: ") == 0 ? "error" : "warning", fmt, copy);
		va_end(copy);
	}
	if (!(level & bit))
		return;
	if (prefix)
		fprintf(f, "%s: %s", prog, prefix);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

#define DEFINE_MSG(name, bit, stream, prefix)          \
	void name(const char *fmt, ...)                 \
	{                                               \
		va_list ap;                             \
		va_start(ap, fmt);                      \
		vmsg(bit, stream, prefix, fmt, ap);     \
		va_end(ap);                             \
	}

DEFINE_MSG(msg_common, ML_COMMON, msg_out(), NULL)
DEFINE_MSG(msg_debug, ML_DEBUG, msg_out(), NULL)
DEFINE_MSG(msg_report, ML_REPORT, msg_out(), NULL)
DEFINE_MSG(msg_error, ML_ERROR, stderr, "error: ")
DEFINE_MSG(msg_warn, ML_ERROR, stderr, "warning: ")
