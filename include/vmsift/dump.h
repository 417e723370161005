// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump engine: open a vmcore, decide which pages to keep, write them.
 * It never prints: results come back as statistics and error values,
 * progress through a callback.
 */
#ifndef VMSIFT_DUMP_H
#define VMSIFT_DUMP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmsift/codec.h"
#include "vmsift/error.h"
#include "vmsift/kernel.h"
#include "vmsift/sink.h"
#include "vmsift/vmcore.h"
#include "vmsift/vmcoreinfo.h"

/* Dump-level bits (-d). */
#define VS_DL_ZERO 1
#define VS_DL_CACHE 2
#define VS_DL_CACHE_PRIVATE 4
#define VS_DL_USER 8
#define VS_DL_FREE 16
#define VS_DL_MAX 31

enum vs_phase { VS_PHASE_HOLES, VS_PHASE_EXCLUDE, VS_PHASE_COPY };

struct vs_erase;
/* Input files one run reads: the pieces of a --split set. */
#define VS_MAX_INPUTS 1024u

struct vs_session_opts {
	const char *vmcore_path;
	const char *const *more_paths; /* the other pieces of a --split set given as input */
	size_t nmore;
	bool salvage;                 /* -R: a set with a missing piece is read, its pages lost */
	const char *vmcoreinfo_path;  /* -i */
	const char *vmlinux_path;     /* -x: values the dump lacks, from its debug information */
	const char *config_path;      /* --config: kernel data to erase (without vmlinux_path: from the dump's BTF) */
	bool no_mmap;
	bool force_mmap;
	uint64_t window_size;
	const struct vs_phys_range *omit;  /* see struct vs_vmcore_opts */
	size_t nomit;
};

struct vs_dump_opts {
	int dump_level;
	enum vs_compress compress;
	uint64_t cycle_buffer;        /* bytes for both bitmaps of one cycle; 0 = default */
	bool exclude_vmemmap;         /* -e */
	int num_threads;              /* compression workers; <= 1: none */
	bool threads_auto;            /* chosen by default: skip them for small dumps */
	volatile sig_atomic_t *stop;  /* set by a signal handler to abort */
	void (*progress)(void *arg, enum vs_phase phase, uint64_t done, uint64_t total);
	void *progress_arg;
	/* --private-page-filter: leave out pages whose page->private is one of these values */
	const uint64_t *private_magic;
	size_t nprivate_magic;
	bool keep_user_stack;         /* --keep-user-stack: keep the user stacks of the tasks on the CPUs */
};

/*
 * Why a page is in the startup set (the pages crash and drgn need to open a
 * dump, never excluded); a page in several parts counts under the first.
 */
enum vs_keep_reason { VS_KEEP_IMAGE, VS_KEEP_PGTABLE, VS_KEEP_VMCI, VS_KEEP_PERCPU, VS_KEEP_STACK,
		      VS_KEEP_NREASONS };
extern const char *const vs_keep_reason_names[VS_KEEP_NREASONS];

/* Page counts in makedumpfile's report categories. */
struct vs_dump_stats {
	uint64_t max_mapnr;
	uint64_t present;            /* "Original pages": bits in the 1st bitmap */
	uint64_t excl_zero, excl_cache, excl_cache_private, excl_user, excl_free;
	uint64_t excl_hwpoison, excl_offline, excl_nodata;
	uint64_t excl_vmemmap;       /* -e: struct page pages of excluded memory */
	uint64_t excl_private_magic; /* --private-page-filter: page->private held a given value */
	bool private_filter;         /* --private-page-filter was given (the report shows the class) */
	/* --keep-user-stack: what src/engine/userstack.c found and kept */
	bool user_stack_wanted;
	unsigned user_stack_tasks;   /* user tasks found on the CPUs */
	uint64_t user_stack_pages;   /* user stack + ELF header pages found through their page tables */
	uint64_t kept_user_stack;    /* of those, pages the dump level would have left out */
	char user_stack_note[256];   /* what was skipped, and why (for -D and the report) */
	uint64_t lost;               /* present but beyond the end of a truncated vmcore */
	uint64_t lost_first_pfn;
	uint64_t unreadable;         /* data pages with read errors: zero-filled in the dump */
	uint64_t unreadable_pfn;     /* the lowest of them */
	int unreadable_errnum;
	uint64_t dumpable;           /* bits in the 2nd bitmap */
	uint64_t written_pages;
	uint64_t write_bytes;
	unsigned cycles;
	/* Self-checks: what looked wrong in the kernel's data. */
	uint64_t bad_buddy_pages, bad_buddy_pfn;       /* free blocks with order >= MAX_ORDER */
	uint64_t unknown_type_pages, unknown_type_pfn; /* page_type values we do not know */
	uint64_t memmap_unreadable, memmap_unreadable_pfn; /* struct pages that could not be read */
	/* Pages the dump level would have excluded, kept: startup set (per reason), inconsistent struct page. */
	uint64_t kept_startup[VS_KEEP_NREASONS];
	uint64_t kept_inconsistent, kept_inconsistent_pfn;
	uint64_t startup_pages;      /* pages in the startup set */
	/* kdump output: startup pages written before all others, and the file offset where they end */
	uint64_t first_pages, first_end;
	char startup_note[240];      /* what the startup set could not cover (no __per_cpu_offset, ...) */
	uint64_t memmap_unreadable_sections;               /* memory sections they are in */
	uint64_t memmap_unreadable_sec, memmap_unreadable_sec_end, memmap_unreadable_vaddr; /* the first */
	uint64_t memmap_unreadable_last_sec;
	char memmap_unreadable_why[200];
	bool classified;             /* struct pages were read (memory model in use) */
	char no_model_reason[256];   /* why not, when a level <= 1 run went without it */
	char memmap_warning[256];    /* the arch's cross-check of the struct page addresses disagreed */
	bool zone_free_known;
	uint64_t zone_free;          /* sum of the zones' NR_FREE_PAGES */
	char zone_free_error[200];   /* why the counters could not be read */
	uint32_t kallsyms_syms;      /* the dump's kallsyms was used: its size, */
	uint32_t kallsyms_verified;  /* and how many VMCOREINFO SYMBOL()s it agreed with */
	char free_walk_error[200];   /* -d 16 without a buddy marker: why the free lists could not be walked */
	bool incomplete;
	bool mmap_fell_back;
	struct vs_io_stats io;
};

/* Where the dump's own VMCOREINFO came from. */
enum vs_vmci_origin { VS_VMCI_NONE, VS_VMCI_NOTE, VS_VMCI_FILE, VS_VMCI_RECOVERED };

struct vs_session {
	struct vs_vmcore *vc;
	struct vs_vmcoreinfo *vmci;   /* the note (or -i, or recovered), with -x values under it */
	bool vmci_from_file;
	enum vs_vmci_origin origin;
	uint64_t recovered_paddr;     /* VS_VMCI_RECOVERED: where the text was */
	char *recover_error;          /* VS_VMCI_NONE: why nothing was recovered (for -D) */
	size_t debuginfo_keys;        /* -x: keys the vmlinux added */
	uint64_t debuginfo_units, debuginfo_names;  /* -x: what its index holds */
	double debuginfo_seconds;     /* -x: time to build the index */
	struct vs_kernel *kernel;
	char input_note[240];         /* kdump input: which phys_base was used and why */
	struct vs_erase *erase;       /* --config: what to erase; NULL without */
	char erase_skipped[200];      /* --config: module sections skipped (not loaded in the dump) */
	uint64_t erase_btf_types;     /* --config without -x: types in the dump's BTF; 0 with -x */
};

struct vs_err *vs_session_open(const struct vs_session_opts *o, struct vs_session **out);
void vs_session_close(struct vs_session *s);

/* -g without a dump: VMCOREINFO text from a vmlinux alone (malloc'ed). */
struct vs_err *vs_vmlinux_vmcoreinfo(const char *vmlinux, char **text, size_t *len);

/* Filters and writes the dump into sink (kdump-compressed format). */
struct vs_err *vs_dump_kdump(struct vs_session *s, const struct vs_dump_opts *o,
			     struct vs_sink *sink, struct vs_dump_stats *st);

/* --split: nsinks kdump files, each holding the pages of one pfn range. */
struct vs_err *vs_dump_kdump_split(struct vs_session *s, const struct vs_dump_opts *o,
				   struct vs_sink **sinks, int nsinks, uint64_t splitblock_pfns,
				   struct vs_dump_stats *st);

/* Filters and writes an ELF core (-E) into sink. */
struct vs_err *vs_dump_elf(struct vs_session *s, const struct vs_dump_opts *o,
			   struct vs_sink *sink, struct vs_dump_stats *st);

#endif
