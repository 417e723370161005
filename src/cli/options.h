// SPDX-License-Identifier: GPL-2.0-or-later
/* makedumpfile-compatible command line. */
#ifndef VMSIFT_CLI_OPTIONS_H
#define VMSIFT_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsift/codec.h"

enum cli_mode { MODE_DUMP, MODE_REARRANGE, MODE_REASSEMBLE, MODE_GEN_VMCOREINFO,
		MODE_DMESG, MODE_MEM_USAGE, MODE_HELP, MODE_VERSION };

#define MAX_DUMP_LEVELS 8

struct cli_opts {
	enum cli_mode mode;
	bool check_params;
	int dump_levels[MAX_DUMP_LEVELS];
	int ndump_levels;
	enum vs_compress compress;
	int ncompress;            /* how many of -c/-l/-p/-z were given */
	char compress_letter;     /* the last of them */
	bool elf_out;             /* -E */
	bool flatten;             /* -F */
	bool force;               /* -f */
	bool exclude_vmemmap;     /* -e */
	bool exclude_xen_domu;    /* -X */
	bool no_mmap, force_mmap, dry_run, split, partial_dmesg, non_cyclic;
	int message_level;        /* effective */
	int ml_explicit, ml_extra;
	int num_threads;
	bool num_threads_given;
	int block_order;          /* -b */
	uint64_t size_limit;      /* -L */
	uint64_t cyclic_buffer_kib;
	uint64_t splitblock_kib;
	uint64_t vtop_addr;
	bool have_vtop;
	const char *vmcoreinfo_in;  /* -i */
	const char *vmcoreinfo_out; /* -g */
	const char *vmlinux;        /* -x */
	const char *report_path;    /* --report: JSON record of the run; "-" = stdout */
	uint64_t private_magic[8];  /* --private-page-filter */
	size_t nprivate_magic;
	bool keep_user_stack;       /* --keep-user-stack */
	const char *config, *eppic, *work_dir, *xen_syms, *xen_vmcoreinfo, *xen_phys_start;
	int ndiskset;
	char **args;              /* positional arguments */
	int nargs;
	/*
	 * The first ninputs arguments are the dump (several: the pieces of a
	 * --split set), the rest the output files.
	 */
	int ninputs;
	bool salvage;             /* -R with a dump to write: read a --split set with a piece missing */
};

/* Parses argv; on error prints the problem to stderr and returns -1. */
int cli_parse(int argc, char **argv, struct cli_opts *o);
/* Checks the argument shape of the chosen mode; prints why not and returns -1. */
int cli_check(const struct cli_opts *o);
void cli_usage(void);

#endif
