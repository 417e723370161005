// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

enum {
	OPT_SPLIT = 256, OPT_REASSEMBLE, OPT_XEN_SYMS, OPT_XEN_VMCOREINFO, OPT_XEN_PHYS_START,
	OPT_MESSAGE_LEVEL, OPT_VTOP, OPT_DUMP_DMESG, OPT_PARTIAL_DMESG, OPT_CONFIG, OPT_HELP,
	OPT_DISKSET, OPT_CYCLIC_BUFFER, OPT_EPPIC, OPT_NON_MMAP, OPT_MMAP, OPT_MEM_USAGE,
	OPT_SPLITBLOCK_SIZE, OPT_WORK_DIR, OPT_NUM_THREADS, OPT_CHECK_PARAMS, OPT_DRY_RUN,
	OPT_SHOW_STATS, OPT_NON_CYCLIC,
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

/* -d 31 or a fallback list -d 11,31 */
static int parse_levels(const char *s, struct cli_opts *o)
{
	char *copy = strdup(s), *save = NULL;
	if (!copy)
		return -1;
	o->ndump_levels = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		long v;
		if (o->ndump_levels == MAX_DUMP_LEVELS || parse_int("-d", t, 0, 31, &v)) {
			free(copy);
			return -1;
		}
		o->dump_levels[o->ndump_levels++] = (int)v;
	}
	free(copy);
	if (!o->ndump_levels) {
		msg_error("-d: no dump level given");
		return -1;
	}
	return 0;
}

static void set_compress(struct cli_opts *o, enum vs_compress c)
{
	if (o->compress != c)
		o->ncompress++;
	o->compress = c;
}

static int parse_long(int c, const char *arg, struct cli_opts *o)
{
	long v;
	switch (c) {
	case OPT_SPLIT: o->split = true; return 0;
	case OPT_REASSEMBLE: o->mode = MODE_REASSEMBLE; return 0;
	case OPT_XEN_SYMS: o->xen_syms = arg; return 0;
	case OPT_XEN_VMCOREINFO: o->xen_vmcoreinfo = arg; return 0;
	case OPT_XEN_PHYS_START: o->xen_phys_start = arg; return 0;
	case OPT_MESSAGE_LEVEL:
		if (parse_int("--message-level", arg, 0, 31, &v))
			return -1;
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
		if (parse_int("--num-threads", arg, 0, 4096, &v))
			return -1;
		o->num_threads = (int)v;
		o->num_threads_given = true;
		return 0;
	case OPT_CHECK_PARAMS: o->check_params = true; return 0;
	case OPT_DRY_RUN: o->dry_run = true; return 0;
	case OPT_SHOW_STATS: o->ml_extra |= ML_REPORT; return 0;
	case OPT_NON_CYCLIC: o->non_cyclic = true; return 0;
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
	case 'c': set_compress(o, VS_COMPRESS_ZLIB); return 0;
	case 'l': set_compress(o, VS_COMPRESS_LZO); return 0;
	case 'p': set_compress(o, VS_COMPRESS_SNAPPY); return 0;
	case 'z': set_compress(o, VS_COMPRESS_ZSTD); return 0;
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
	case 'R': o->mode = MODE_REARRANGE; return 0;
	case 'v': o->mode = MODE_VERSION; return 0;
	case 'X': o->exclude_xen_domu = true; return 0;
	case 'x': o->vmlinux = arg; return 0;
	}
	return -1;
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
	return 0;
}

void cli_usage(void)
{
	fputs("Usage:\n"
	      "  vmsift [-c|-l|-p|-z|-E] [-d DL] [-i VMCOREINFO] [options] VMCORE DUMPFILE\n"
	      "  vmsift -F [-c|-l|-p|-z] [-d DL] [options] VMCORE > STREAM\n"
	      "  vmsift -R DUMPFILE < STREAM\n"
	      "\n"
	      "Writes a filtered copy of a kernel crash dump (an ELF vmcore such as\n"
	      "/proc/vmcore, or a saved kdump-compressed or flattened dump) in the\n"
	      "kdump-compressed format. Command line and output are compatible with\n"
	      "makedumpfile(8).\n"
	      "\n"
	      "Options:\n"
	      "  -c, -l, -p, -z     compress each page with zlib, lzo, snappy or zstd\n"
	      "  -d DL[,DL...]      dump level, the sum of page kinds to leave out:\n"
	      "                     1 zero, 2 cache, 4 private cache, 8 user, 16 free pages\n"
	      "                     (a list gives fallback levels if the disk fills up)\n"
	      "  -E                 write ELF instead of the kdump-compressed format\n"
	      "  -F                 write the flattened format to standard output\n"
	      "  -R                 rebuild DUMPFILE from a flattened stream on standard input\n"
	      "  -f                 overwrite an existing DUMPFILE\n"
	      "  -i VMCOREINFO      take the kernel layout from this file, not the dump\n"
	      "  -L SIZE            stop writing at SIZE bytes (K, M, G suffixes); the dump is\n"
	      "                     then marked incomplete\n"
	      "  -e                 also leave out the struct page arrays of excluded memory\n"
	      "  --num-threads N    compress with N threads\n"
	      "  --cyclic-buffer KB memory for the page bitmaps of one pass (KiB)\n"
	      "  --non-mmap         read the vmcore with read(2), never mmap(2)\n"
	      "  --mmap             read through mmap(2) windows even when the vmcore is a\n"
	      "                     saved file (default: only for /proc/vmcore)\n"
	      "  --dry-run          do everything but write the dump\n"
	      "  --check-params     only check the command line\n"
	      "  --message-level ML 1 progress, 2 common, 4 errors, 8 debug, 16 report\n"
	      "                     (default 7)\n"
	      "  -D                 add debug messages; --show-stats adds the page report\n"
	      "  --vtop VADDR       print the physical address of a kernel virtual address\n"
	      "  -v                 show the version;  -h, --help  show this help\n"
	      "\n"
	      "Exit status: 0 success, 1 failure (an incomplete dump may have been written),\n"
	      "2 the -i VMCOREINFO is for another kernel release.\n"
	      "See vmsift(8) for the full list, including accepted makedumpfile options.\n",
	      stdout);
}

static int need_args(const struct cli_opts *o, int n, const char *shape)
{
	if (o->nargs == n)
		return 0;
	msg_error("expected %s, got %d argument%s", shape, o->nargs, o->nargs == 1 ? "" : "s");
	return -1;
}

static int unsupported(const char *what)
{
	msg_error("%s is not supported by this version of vmsift", what);
	return -1;
}

static int check_dump_mode(const struct cli_opts *o)
{
	if (o->ncompress > 1)
		return msg_error("only one of -c, -l, -p and -z may be given"), -1;
	if (o->elf_out && o->compress != VS_COMPRESS_NONE)
		return msg_error("-E (ELF output) cannot be combined with -c, -l, -p or -z"), -1;
	if (o->elf_out && o->num_threads > 1)
		return msg_error("-E (ELF output) cannot be combined with --num-threads"), -1;
	if (o->no_mmap && o->force_mmap)
		return msg_error("--mmap and --non-mmap cannot be combined"), -1;
	if (o->split && o->flatten)
		return msg_error("--split cannot be combined with -F"), -1;
	if (o->split && o->elf_out)
		return msg_error("--split cannot be combined with -E"), -1;
	if (o->split && o->num_threads_given && o->num_threads > 1)
		return msg_error("--split cannot be combined with --num-threads"), -1;
	if (o->split && o->nargs < 3)
		return msg_error("--split needs VMCORE and at least two DUMPFILEs"), -1;
	if (o->split)
		return 0;
	if (o->vmlinux)
		return unsupported("-x VMLINUX (debug information)");
	if (o->config || o->eppic)
		return unsupported(o->config ? "--config (erase filter)" : "--eppic");
	if (o->xen_syms || o->xen_vmcoreinfo || o->xen_phys_start || o->exclude_xen_domu)
		return unsupported("Xen dump filtering");
	if (o->ndiskset)
		return unsupported("--diskset (sadump)");
	if (o->partial_dmesg)
		return msg_error("--partial-dmesg needs --dump-dmesg"), -1;
	if (o->vmcoreinfo_in && o->vmlinux)
		return msg_error("-i and -x cannot be combined"), -1;
	if (o->flatten)
		return need_args(o, 1, "VMCORE (with -F the dump goes to standard output)");
	return need_args(o, 2, "VMCORE DUMPFILE");
}

int cli_check(const struct cli_opts *o)
{
	switch (o->mode) {
	case MODE_HELP:
	case MODE_VERSION:
		return 0;
	case MODE_REARRANGE:
		return need_args(o, 1, "DUMPFILE (-R reads the flattened stream from standard input)");
	case MODE_REASSEMBLE:
		if (o->nargs < 3)
			return msg_error("--reassemble needs at least two DUMPFILEs and the output file"), -1;
		return 0;
	case MODE_GEN_VMCOREINFO:
		return unsupported("-g (generating VMCOREINFO from a vmlinux)");
	case MODE_DMESG:
		if (o->flatten)
			return need_args(o, 1, "VMCORE (with -F the log goes to standard output)");
		return need_args(o, 2, "VMCORE LOGFILE");
	case MODE_MEM_USAGE:
		return unsupported("--mem-usage");
	case MODE_DUMP:
		return check_dump_mode(o);
	}
	return -1;
}
