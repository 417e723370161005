// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared pieces of the fuzz harnesses: an in-memory file and a dump run. */
#ifndef VMSIFT_FUZZUTIL_H
#define VMSIFT_FUZZUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Replaces the contents of a process-wide memfd with data and returns its
 * path (/proc/self/fd/N), which vmsift opens like any regular file.
 */
const char *fz_file(const void *data, size_t len);
/* Its descriptor, rewound to offset 0. */
int fz_fd(void);

struct fz_dump {
	int level;
	bool exclude_vmemmap;
	bool no_mmap;
	bool elf_out;       /* -E instead of the kdump format */
	int num_threads;
	bool dmesg;         /* also read the printk ring (--dump-dmesg) */
	bool dmesg_partial;
	uint64_t max_pfn;   /* skip the dump when the PT_LOADs claim more (harness time bound) */
};

/*
 * Opens path as a vmcore and, when that works, dumps it at the given level
 * into a null sink.  Aborts (so the fuzzer reports it) only when the
 * engine's own results contradict each other; errors are expected.
 */
void fz_run_dump(const char *path, const struct fz_dump *d);

#endif
