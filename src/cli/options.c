// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "vmsift/kdumpin.h"

enum {
	OPT_SPLIT = 256, OPT_REASSEMBLE, OPT_XEN_SYMS, OPT_XEN_VMCOREINFO, OPT_XEN_PHYS_START,
	OPT_MESSAGE_LEVEL, OPT_VTOP, OPT_DUMP_DMESG, OPT_PARTIAL_DMESG, OPT_CONFIG, OPT_HELP,
	OPT_DISKSET, OPT_CYCLIC_BUFFER, OPT_EPPIC, OPT_NON_MMAP, OPT_MMAP, OPT_MEM_USAGE,
	OPT_SPLITBLOCK_SIZE, OPT_WORK_DIR, OPT_NUM_THREADS, OPT_CHECK_PARAMS, OPT_DRY_RUN,
	OPT_SHOW_STATS, OPT_NON_CYCLIC, OPT_REPORT, OPT_PRIVATE_PAGE_FILTER, OPT_KEEP_USER_STACK,
};

static const struct option longopts[] = {
	{ "split", no_argument, NULL, OPT_SPLIT },
	{ "reassemble", no_argument, NULL, OPT_REASSEMBLE },
	{ "xen-syms", required_argument, NULL, OPT_XEN_SYMS },
	{ "xen-vmcoreinfo", required_argument, NULL, OPT_XEN_VMCOREINFO },
	{ "xen_phys_start", required_argument, NULL, OPT_XEN_PHYS_START },
	{ "message-level", required_argument, NULL, OPT_MESSAGE_LEVEL },
	{ "vtop", required_argument, NULL, OPT_VTOP },
	{ "dump-dmesg", no_argument, NULL, OPT_DUMP_DMESG },
	{ "partial-dmesg", no_argument, NULL, OPT_PARTIAL_DMESG },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "diskset", required_argument, NULL, OPT_DISKSET },
	{ "cyclic-buffer", required_argument, NULL, OPT_CYCLIC_BUFFER },
	{ "eppic", required_argument, NULL, OPT_EPPIC },
	{ "non-mmap", no_argument, NULL, OPT_NON_MMAP },
	{ "mmap", no_argument, NULL, OPT_MMAP },
	{ "mem-usage", no_argument, NULL, OPT_MEM_USAGE },
	{ "splitblock-size", required_argument, NULL, OPT_SPLITBLOCK_SIZE },
	{ "work-dir", required_argument, NULL, OPT_WORK_DIR },
	{ "num-threads", required_argument, NULL, OPT_NUM_THREADS },
	{ "check-params", no_argument, NULL, OPT_CHECK_PARAMS },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "show-stats", no_argument, NULL, OPT_SHOW_STATS },
	{ "non-cyclic", no_argument, NULL, OPT_NON_CYCLIC },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "private-page-filter", required_argument, NULL, OPT_PRIVATE_PAGE_FILTER },
	{ "keep-user-stack", no_argument, NULL, OPT_KEEP_USER_STACK },
	{ NULL, 0, NULL, 0 },
};

static int parse_int(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (!*s || *end || errno || v < min || v > max) {
		msg_error("%s: \"%s\" is not a number between %ld and %ld", opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * -d, --num-threads and --message-level: makedumpfile reads them with atoi(),
 * so "31x" is 31, "abc" is 0, and a capture given such a value still runs.
 * vmsift too takes the leading decimal number (none when there is none), but
 * says so: *whole is false then.  A number out of range is still refused.
 */
static int parse_lenient(const char *opt, const char *s, long min, long max, long none, long *out,
			 bool *whole)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	*whole = *s && !*end && !errno;
	if (!*whole) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s)
			v = none;
	}
	if (errno || v < min || v > max) {
		msg_error("%s: \"%s\" is not a number between %ld and %ld", opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* -L takes a size with an optional K/M/G suffix, like the kernel's memparse(). */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	int shift = 0;
	switch (*end) {
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10; end++; break;
	}
	if (!*s || *s == '-' || *end || errno || v == 0 || (shift && v > (~0ull >> shift))) {
		msg_error("-L: \"%s\" is not a size (bytes, or with a K, M or G suffix)", s);
		return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

/* --private-page-filter HEX[,HEX...]: the page->private values to leave out (0x optional). */
static int parse_magic(const char *s, struct cli_opts *o)
{
	const size_t max = sizeof(o->private_magic) / sizeof(o->private_magic[0]);
	const char *p = s;
	do {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(p, &end, 16);
		if (end == p || (*end && *end != ',') || errno || *p == '-' || o->nprivate_magic == max) {
			msg_error("--private-page-filter: \"%s\" is not a list of up to %zu hexadecimal values", s, max);
			return -1;
		}
		o->private_magic[o->nprivate_magic++] = v;
		p = *end ? end + 1 : end;
	} while (*p);
	return 0;
}

static void warn_levels(const char *given, const struct cli_opts *o)
{
	char list[MAX_DUMP_LEVELS * 4] = "";
	for (int i = 0; i < o->ndump_levels; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", i ? "," : "",
			 o->dump_levels[i]);
	msg_warn("-d \"%s\" is not a list of numbers: read as makedumpfile reads it, with level 31 "
		 "as the last fallback: -d %s", given, list);
}

/*
 * -d 31 or a fallback list -d 11,31.  A level that is not a number is read as
 * makedumpfile reads it, and 31 is added as the last fallback: the dump is
 * kept as makedumpfile would keep it, and still written if that does not fit.
 */
static int parse_levels(const char *s, struct cli_opts *o)
{
	char *copy = strdup(s), *save = NULL;
	if (!copy)
		return -1;
	bool garbled = false;
	o->ndump_levels = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		long v;
		bool whole;
		if (o->ndump_levels == MAX_DUMP_LEVELS || parse_lenient("-d", t, 0, 31, 0, &v, &whole)) {
			free(copy);
			return -1;
		}
		garbled |= !whole;
		o->dump_levels[o->ndump_levels++] = (int)v;
	}
	free(copy);
	if (!o->ndump_levels) {  /* -d "" or -d ",": atoi() gives 0 */
		o->dump_levels[o->ndump_levels++] = 0;
		garbled = true;
	}
	if (garbled && o->dump_levels[o->ndump_levels - 1] != 31 && o->ndump_levels < MAX_DUMP_LEVELS)
		o->dump_levels[o->ndump_levels++] = 31;
	if (garbled)
		warn_levels(s, o);
	return 0;
}

/* The last of -c, -l, -p and -z wins, as in makedumpfile; cli_check warns about the others. */
static void set_compress(struct cli_opts *o, enum vs_compress c, char letter)
{
	if (o->compress != c)
		o->ncompress++;
	o->compress = c;
	o->compress_letter = letter;
}

static int parse_long(int c, const char *arg, struct cli_opts *o)
{
	long v;
	bool whole;
	switch (c) {
	case OPT_SPLIT: o->split = true; return 0;
	case OPT_REASSEMBLE: o->mode = MODE_REASSEMBLE; return 0;
	case OPT_XEN_SYMS: o->xen_syms = arg; return 0;
	case OPT_XEN_VMCOREINFO: o->xen_vmcoreinfo = arg; return 0;
	case OPT_XEN_PHYS_START: o->xen_phys_start = arg; return 0;
	case OPT_MESSAGE_LEVEL:
		if (parse_lenient("--message-level", arg, 0, 31, ML_DEFAULT, &v, &whole))
			return -1;
		if (!whole)  /* makedumpfile would go silent on "abc": the messages are kept */
			msg_warn("--message-level \"%s\" is not a number: using %ld", arg, v);
		o->ml_explicit = (int)v;
		return 0;
	case OPT_VTOP: {
		char *end;
		errno = 0;
		o->vtop_addr = strtoull(arg, &end, 16);
		if (!*arg || *end || errno) {
			msg_error("--vtop: \"%s\" is not a hexadecimal address", arg);
			return -1;
		}
		o->have_vtop = true;
		return 0;
	}
	case OPT_DUMP_DMESG: o->mode = MODE_DMESG; return 0;
	case OPT_PARTIAL_DMESG: o->partial_dmesg = true; return 0;
	case OPT_CONFIG: o->config = arg; return 0;
	case OPT_HELP: o->mode = MODE_HELP; return 0;
	case OPT_DISKSET: o->ndiskset++; return 0;
	case OPT_CYCLIC_BUFFER:
		if (parse_int("--cyclic-buffer", arg, 1, 1L << 40, &v))
			return -1;
		o->cyclic_buffer_kib = (uint64_t)v;
		return 0;
	case OPT_EPPIC: o->eppic = arg; return 0;
	case OPT_NON_MMAP: o->no_mmap = true; return 0;
	case OPT_MMAP: o->force_mmap = true; return 0;
	case OPT_MEM_USAGE: o->mode = MODE_MEM_USAGE; return 0;
	case OPT_SPLITBLOCK_SIZE:
		if (parse_int("--splitblock-size", arg, 1, 1L << 40, &v))
			return -1;
		o->splitblock_kib = (uint64_t)v;
		return 0;
	case OPT_WORK_DIR: o->work_dir = arg; return 0;
	case OPT_NUM_THREADS:
		if (parse_lenient("--num-threads", arg, 0, 4096, 0, &v, &whole))
			return -1;
		if (!whole)
			msg_warn("--num-threads \"%s\" is not a number: using %ld%s, as makedumpfile would", arg, v,
				 v < 2 ? " (no worker threads)" : "");
		o->num_threads = (int)v;
		o->num_threads_given = true;
		return 0;
	case OPT_CHECK_PARAMS: o->check_params = true; return 0;
	case OPT_DRY_RUN: o->dry_run = true; return 0;
	case OPT_SHOW_STATS: o->ml_extra |= ML_REPORT; return 0;
	case OPT_NON_CYCLIC: o->non_cyclic = true; return 0;
	case OPT_REPORT: o->report_path = arg; return 0;
	case OPT_PRIVATE_PAGE_FILTER: return parse_magic(arg, o);
	case OPT_KEEP_USER_STACK: o->keep_user_stack = true; return 0;
	}
	return -1;
}

static int parse_short(int c, const char *arg, struct cli_opts *o)
{
	long v;
	switch (c) {
	case 'b':
		if (parse_int("-b", arg, 0, 20, &v))
			return -1;
		o->block_order = (int)v;
		return 0;
	case 'c': set_compress(o, VS_COMPRESS_ZLIB, 'c'); return 0;
	case 'l': set_compress(o, VS_COMPRESS_LZO, 'l'); return 0;
	case 'p': set_compress(o, VS_COMPRESS_SNAPPY, 'p'); return 0;
	case 'z': set_compress(o, VS_COMPRESS_ZSTD, 'z'); return 0;
	case 'D': o->ml_extra |= ML_DEBUG; return 0;
	case 'd': return parse_levels(arg, o);
	case 'e': o->exclude_vmemmap = true; return 0;
	case 'E': o->elf_out = true; return 0;
	case 'F': o->flatten = true; return 0;
	case 'f': o->force = true; return 0;
	case 'g': o->mode = MODE_GEN_VMCOREINFO; o->vmcoreinfo_out = arg; return 0;
	case 'h': o->mode = MODE_HELP; return 0;
	case 'i': o->vmcoreinfo_in = arg; return 0;
	case 'L': return parse_size(arg, &o->size_limit);
	case 'R':  /* with a dump to write (several arguments): salvage a --split set (see cli_parse) */
		o->salvage = true;
		if (o->mode == MODE_DUMP)
			o->mode = MODE_REARRANGE;
		return 0;
	case 'v': o->mode = MODE_VERSION; return 0;
	case 'X': o->exclude_xen_domu = true; return 0;
	case 'x': o->vmlinux = arg; return 0;
	}
	return -1;
}

/*
 * Several dump arguments are the pieces of a --split set: makedumpfile reads
 * none (it joins them with --reassemble only), crash takes them all on its
 * command line.  All arguments but the output are input; with --split, the
 * leading arguments that are --split pieces (at least two outputs remain).
 */
static void count_inputs(struct cli_opts *o)
{
	int outs = o->flatten ? 0 : 1;
	o->ninputs = o->nargs > 0 ? 1 : 0;
	if (o->mode == MODE_DUMP && o->split) {
		int n = 0;
		while (n < o->nargs - 2 && vs_kdump_path_is_piece(o->args[n]))
			n++;
		o->ninputs = n ? n : o->ninputs;
	} else if ((o->mode == MODE_DUMP || o->mode == MODE_DMESG) && o->nargs > outs) {
		o->ninputs = o->nargs - outs;
	}
}

int cli_parse(int argc, char **argv, struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ml_explicit = -1;
	o->ndump_levels = 1;
	int c;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "b:cDd:eEFfg:hi:lL:pRvXx:z", longopts, NULL)) != -1) {
		if (c == '?')
			return -1;
		if ((c < 256 ? parse_short(c, optarg, o) : parse_long(c, optarg, o)) < 0)
			return -1;
	}
	o->message_level = (o->ml_explicit >= 0 ? o->ml_explicit : ML_DEFAULT) | o->ml_extra;
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->mode == MODE_REARRANGE && o->nargs >= 2)
		o->mode = MODE_DUMP;
	count_inputs(o);
	return 0;
}

