// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --report FILE: a JSON record of one dump for kdump services and fleet
 * tooling.  Written by hand (no JSON library): strings escaped per RFC 8259,
 * every number an integer.  The file appears whole or not at all: it is
 * written to a temporary file beside FILE and renamed over it.
 */
#include "report_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (*p < 0x80)
			fputc(*p, f);
		else
			fprintf(f, "\\u%04x", *p);  /* bytes from the dump need not be UTF-8: keep them as Latin-1 */
	}
	fputc('"', f);
}

static void put_str_or_null(FILE *f, const char *s)
{
	if (s && *s)
		put_str(f, s);
	else
		fputs("null", f);
}

static void kv_u64(FILE *f, const char *key, uint64_t v, bool last)
{
	fprintf(f, "\"%s\": %llu%s", key, (unsigned long long)v, last ? "" : ", ");
}

static const char *codec_name(enum vs_compress c)
{
	static const char *const names[] = { "none", "zlib", "lzo", "snappy", "zstd" };
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "unknown";
}

static const char *output_format(const struct cli_opts *o)
{
	if (o->dry_run)
		return "none";
	if (o->flatten)
		return o->elf_out ? "flattened-elf" : "flattened-kdump";
	return o->elf_out ? "elf" : "kdump";
}

static const char *code_name(enum vs_code c)
{
	static const char *const names[] = { "none", "nomem", "os", "corrupt", "invalid", "notsup",
					     "nokey", "nospace", "release", "interrupted", "pipe" };
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "unknown";
}

static void put_identity(FILE *f, const struct report_run *r)
{
	fputs("  \"input\": {\"path\": ", f);
	put_str_or_null(f, r->o->nargs > 0 ? r->o->args[0] : NULL);
	fputs(", \"format\": ", f);
	put_str_or_null(f, r->input_format);
	fputs("},\n  \"dump\": {\"release\": ", f);
	put_str_or_null(f, r->release);
	fputs(", \"machine\": ", f);
	put_str_or_null(f, r->machine);
	if (r->crashtime)
		fprintf(f, ", \"crash_time\": %lld", (long long)r->crashtime);
	else
		fputs(", \"crash_time\": null", f);
	fputs(", \"build_id\": ", f);
	put_str_or_null(f, r->build_id);
	fprintf(f, ", \"page_size\": %llu},\n", (unsigned long long)r->page_size);
}

static void put_options(FILE *f, const struct report_run *r)
{
	const struct cli_opts *o = r->o;
	fputs("  \"output\": {\"paths\": [", f);
	for (int i = o->ninputs; !o->flatten && !o->dry_run && i < o->nargs; i++) {
		put_str(f, o->args[i]);
		fputs(i + 1 < o->nargs ? ", " : "", f);
	}
	fputs("], \"format\": ", f);
	put_str(f, output_format(o));
	fprintf(f, ", \"bytes_written\": %llu, \"output_bytes\": %llu},\n",
		(unsigned long long)(r->ran ? r->st->write_bytes : 0), (unsigned long long)r->output_bytes);
	fputs("  \"options\": {\"dump_levels\": [", f);
	for (int i = 0; i < o->ndump_levels; i++)
		fprintf(f, "%d%s", o->dump_levels[i], i + 1 < o->ndump_levels ? ", " : "");
	fprintf(f, "], \"dump_level\": %d, \"codec\": ", r->dump_level);
	put_str(f, o->elf_out ? "none" : codec_name(o->compress));
	fprintf(f, ", \"threads\": %d, \"exclude_vmemmap\": %s, \"split\": %s, \"dry_run\": %s, \"size_limit\": ",
		r->threads, o->exclude_vmemmap ? "true" : "false", o->split ? "true" : "false",
		o->dry_run ? "true" : "false");
	if (o->size_limit)
		fprintf(f, "%llu},\n", (unsigned long long)o->size_limit);
	else
		fputs("null},\n", f);
}

static void put_pages(FILE *f, const struct report_run *r)
{
	static const struct vs_dump_stats none;
	const struct vs_dump_stats *st = r->ran ? r->st : &none;
	uint64_t excluded = st->excl_zero + st->excl_cache + st->excl_cache_private + st->excl_user +
			    st->excl_free + st->excl_hwpoison + st->excl_offline + st->excl_vmemmap +
			    st->excl_private_magic;
	fputs("  \"pages\": {", f);
	kv_u64(f, "max_mapnr", st->max_mapnr, false);
	kv_u64(f, "present", st->present, false);
	kv_u64(f, "holes", st->max_mapnr >= st->present ? st->max_mapnr - st->present : 0, false);
	fputs("\"excluded\": {", f);
	kv_u64(f, "zero", st->excl_zero, false);
	kv_u64(f, "cache", st->excl_cache, false);
	kv_u64(f, "cache_private", st->excl_cache_private, false);
	kv_u64(f, "user", st->excl_user, false);
	kv_u64(f, "free", st->excl_free, false);
	kv_u64(f, "hwpoison", st->excl_hwpoison, false);
	kv_u64(f, "offline", st->excl_offline, false);
	kv_u64(f, "vmemmap", st->excl_vmemmap, false);
	kv_u64(f, "private_filter", st->excl_private_magic, true);
	fputs("},\n            ", f);
	fprintf(f, "\"user_stack\": {\"enabled\": %s, ", st->user_stack_wanted ? "true" : "false");
	kv_u64(f, "tasks", st->user_stack_tasks, false);
	kv_u64(f, "pages", st->user_stack_pages, false);
	kv_u64(f, "kept", st->kept_user_stack, true);
	fputs("},\n            ", f);
	kv_u64(f, "excluded_total", excluded, false);
	kv_u64(f, "remaining", st->present >= excluded ? st->present - excluded : 0, false);
	kv_u64(f, "dumpable", st->dumpable, false);
	kv_u64(f, "written", st->written_pages, false);
	kv_u64(f, "lost", st->lost, false);
	kv_u64(f, "unreadable", st->unreadable, false);
	fputs("\n            \"kept\": {", f);
	for (int i = 0; i < VS_KEEP_NREASONS; i++)
		kv_u64(f, vs_keep_reason_names[i], st->kept_startup[i], false);
	kv_u64(f, "inconsistent", st->kept_inconsistent, true);
	fputs("}, ", f);
	kv_u64(f, "startup_set", st->startup_pages, false);
	kv_u64(f, "written_first", st->first_pages, false);
	kv_u64(f, "written_first_end", st->first_end, true);
	fputs("},\n", f);
}

/* Why the dump is not whole: machine-readable words, in a fixed order. */
static size_t incomplete_reasons(const struct report_run *r, const char **why)
{
	size_t n = 0;
	if (r->err_code == VS_ERR_NOSPACE)
		why[n++] = strstr(r->err_msg, "(-L)") ? "size_limit" : "disk_full";
	else if (r->err_code == VS_ERR_INTR)
		why[n++] = "interrupted";
	else if (r->err_code == VS_ERR_PIPE)
		why[n++] = "output_closed";
	else if (r->err_code)
		why[n++] = r->ran ? "error" : "not_started";
	if (r->ran && r->st->lost)
		why[n++] = "truncated_input";
	if (r->ran && r->st->unreadable)
		why[n++] = "unreadable_pages";
	if (!n && (!r->ran || r->st->incomplete))
		why[n++] = r->ran ? "incomplete" : "not_started";
	return n;
}

static void put_outcome(FILE *f, const struct report_run *r)
{
	const char *why[6];
	size_t n = incomplete_reasons(r, why);
	fprintf(f, "  \"complete\": %s, \"incomplete_reasons\": [", n ? "false" : "true");
	for (size_t i = 0; i < n; i++) {
		put_str(f, why[i]);
		fputs(i + 1 < n ? ", " : "", f);
	}
	fputs("],\n  \"error\": ", f);
	if (r->err_code) {
		fprintf(f, "{\"code\": \"%s\", \"message\": ", code_name(r->err_code));
		put_str(f, r->err_msg);
		fputs("},\n", f);
	} else {
		fputs("null,\n", f);
	}
	size_t nk, dropped;
	const struct msg_kept *k = msg_kept(&nk, &dropped);
	fputs("  \"messages\": [", f);
	for (size_t i = 0; i < nk; i++) {
		fputs(i ? ",\n               {\"kind\": " : "{\"kind\": ", f);
		put_str(f, k[i].kind);
		fputs(", \"text\": ", f);
		put_str(f, k[i].text);
		fputs("}", f);
	}
	fprintf(f, "],\n  \"messages_dropped\": %zu,\n", dropped);
	fprintf(f, "  \"elapsed_ms\": %llu,\n  \"exit_status\": %d\n",
		(unsigned long long)(r->elapsed > 0 ? r->elapsed * 1000 + 0.5 : 0), r->exit_status);
}

static void put_report(FILE *f, const struct report_run *r)
{
	fprintf(f, "{\n  \"schema\": \"vmsift-report\", \"version\": %d, \"vmsift_version\": ",
		REPORT_SCHEMA_VERSION);
	put_str(f, VMSIFT_VERSION);
	fputs(",\n", f);
	put_identity(f, r);
	put_options(f, r);
	put_pages(f, r);
	put_outcome(f, r);
	fputs("}\n", f);
}

static struct vs_err *write_atomically(const struct report_run *r, const char *path)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 8);
	if (!tmp)
		return vs_enomem;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".XXXXXX", 8);
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct vs_err *err = NULL;
	if (!f) {
		err = vs_err_os(errno, "cannot create the report file %s", tmp);
		if (fd >= 0)
			close(fd);
		free(tmp);
		return err;
	}
	fchmod(fd, 0644);
	put_report(f, r);
	if (fflush(f) != 0 || ferror(f) || fsync(fd) != 0)
		err = vs_err_os(errno, "writing the report file %s", tmp);
	if (fclose(f) != 0 && !err)
		err = vs_err_os(errno, "writing the report file %s", tmp);
	if (!err && rename(tmp, path) != 0)
		err = vs_err_os(errno, "cannot rename the report file %s to %s", tmp, path);
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

struct vs_err *report_json_write(const struct report_run *r)
{
	const char *path = r->o->report_path;
	if (strcmp(path, "-") != 0)
		return write_atomically(r, path);
	put_report(stdout, r);
	if (fflush(stdout) != 0)
		return vs_err_os(errno, "writing the report to standard output");
	return NULL;
}
