// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whether a parsed command line makes sense for its mode.  Options vmsift
 * lacks are refused the same way in every mode; arguments that distros pass
 * without checking and that makedumpfile accepts only give a warning, so that
 * a capture never fails on them.
 */
#include "options.h"

#include "msg.h"
#include "vmsift/kdumpin.h"

static int need_args(const struct cli_opts *o, int n, const char *shape)
{
	if (o->nargs == n)
		return 0;
	msg_error("expected %s, got %d argument%s", shape, o->nargs, o->nargs == 1 ? "" : "s");
	return -1;
}

/* At least n arguments: the dump (one file, or the pieces of a --split set) and n - 1 outputs. */
static int need_min_args(const struct cli_opts *o, int n, const char *shape)
{
	if (o->nargs >= n)
		return 0;
	msg_error("expected %s, got %d argument%s", shape, o->nargs, o->nargs == 1 ? "" : "s");
	return -1;
}

/* -R with a dump to write salvages a --split set with a missing piece; anything else is a mistake. */
static int check_salvage(const struct cli_opts *o)
{
	if (!o->salvage || (o->mode != MODE_DUMP && o->mode != MODE_DMESG))
		return 0;
	for (int i = 0; i < o->ninputs; i++)
		if (vs_kdump_path_is_piece(o->args[i]))
			return 0;
	msg_error("-R reads a flattened stream from standard input; with a dump to write it reads a --split set "
		  "with a piece missing, and no input given is a --split piece");
	return -1;
}

static int unsupported(const char *what)
{
	msg_error("%s is not supported by this version of vmsift", what);
	return -1;
}

static int refuse_unimplemented(const struct cli_opts *o)
{
	if (o->eppic)
		return unsupported("--eppic");
	if (o->exclude_xen_domu)
		return unsupported("-X (Xen dump filtering)");
	if (o->ndiskset)
		return unsupported("--diskset (sadump)");
	return 0;
}

static void warn_ignored(const struct cli_opts *o)
{
	if (o->ncompress > 1)
		msg_warn("more than one of -c, -l, -p and -z given: using -%c, the last one, as makedumpfile does",
			 o->compress_letter);
	if (o->xen_syms || o->xen_vmcoreinfo || o->xen_phys_start)
		msg_warn("%s ignored: vmsift reads the dump as a Linux kernel's (Xen hypervisor dumps are not supported)",
			 o->xen_syms ? "--xen-syms" : o->xen_vmcoreinfo ? "--xen-vmcoreinfo" : "--xen_phys_start");
}

static int check_split(const struct cli_opts *o)
{
	if (o->flatten)
		return msg_error("--split cannot be combined with -F"), -1;
	if (o->elf_out)
		return msg_error("--split cannot be combined with -E"), -1;
	if (o->num_threads_given && o->num_threads > 1)
		return msg_error("--split cannot be combined with --num-threads"), -1;
	if (o->nargs - o->ninputs < 2)
		return msg_error("--split needs VMCORE and at least two DUMPFILEs"), -1;
	return 0;
}

static int check_report(const struct cli_opts *o)
{
	if (o->mode != MODE_DUMP)
		return msg_error("--report describes a dump: it cannot be combined with -R, --reassemble, "
				 "--dump-dmesg, -g or --mem-usage"), -1;
	if (o->flatten && o->report_path[0] == '-' && !o->report_path[1])
		return msg_error("--report -: standard output carries the dump (-F); give the report a file"), -1;
	if (!o->report_path[0])
		return msg_error("--report needs a file name (or - for standard output)"), -1;
	return 0;
}

static int check_dump_mode(const struct cli_opts *o)
{
	if (o->elf_out && o->compress != VS_COMPRESS_NONE)
		return msg_error("-E (ELF output) cannot be combined with -c, -l, -p or -z"), -1;
	if (o->elf_out && o->num_threads > 1)
		return msg_error("-E (ELF output) cannot be combined with --num-threads"), -1;
	if (o->no_mmap && o->force_mmap)
		return msg_error("--mmap and --non-mmap cannot be combined"), -1;
	if (o->partial_dmesg)
		return msg_error("--partial-dmesg needs --dump-dmesg"), -1;
	if (o->split)
		return check_split(o);
	if (o->flatten)
		return need_min_args(o, 1, "VMCORE (with -F the dump goes to standard output)");
	return need_min_args(o, 2, "VMCORE DUMPFILE");
}

/* -g FILE -x VMLINUX (makedumpfile's form), or -g FILE [-x VMLINUX] VMCORE. */
static int check_gen_vmcoreinfo(const struct cli_opts *o)
{
	if (o->elf_out || o->flatten || o->ncompress || o->split || o->vmcoreinfo_in)
		return msg_error("-g writes a VMCOREINFO file: it cannot be combined with -E, -F, -c/-l/-p/-z, "
				 "--split or -i"), -1;
	if (o->nargs == 0 && !o->vmlinux)
		return msg_error("-g needs -x VMLINUX, or a VMCORE to take the VMCOREINFO from"), -1;
	if (o->nargs > 1)
		return need_args(o, 1, "at most VMCORE with -g");
	return 0;
}

int cli_check(const struct cli_opts *o)
{
	if (o->mode == MODE_HELP || o->mode == MODE_VERSION)
		return 0;
	if (refuse_unimplemented(o) < 0)
		return -1;
	warn_ignored(o);
	if (check_salvage(o) < 0)
		return -1;
	if (o->report_path && check_report(o) < 0)
		return -1;
	switch (o->mode) {
	case MODE_REARRANGE:
		if (o->flatten)
			return msg_error("-R reads a flattened stream; it cannot write one (-F)"), -1;
		return need_args(o, 1, "DUMPFILE (-R reads the flattened stream from standard input)");
	case MODE_REASSEMBLE:
		if (o->flatten)
			return msg_error("--reassemble cannot write a flattened stream (-F)"), -1;
		if (o->nargs < 3)
			return msg_error("--reassemble needs at least two DUMPFILEs and the output file"), -1;
		return 0;
	case MODE_DMESG:
		if (o->flatten)
			return need_min_args(o, 1, "VMCORE (with -F the log goes to standard output)");
		return need_min_args(o, 2, "VMCORE LOGFILE");
	case MODE_DUMP:
		return check_dump_mode(o);
	case MODE_GEN_VMCOREINFO:
		return check_gen_vmcoreinfo(o);
	case MODE_MEM_USAGE:
		if (o->flatten || o->elf_out || o->split)
			return msg_error("--mem-usage prints a table: it cannot be combined with -F, -E or --split"), -1;
		return need_args(o, 1, "/proc/kcore (or a saved vmcore) with --mem-usage");
	default:
		return 0;
	}
}
