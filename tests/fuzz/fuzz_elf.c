// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF header, program headers and notes (and, through the notes, VMCOREINFO):
 * the input is the whole vmcore file.  When it opens, it is dumped into a
 * null sink, which reads every page the program headers describe.
 *
 * The options come from e_ident[EI_PAD] (bytes 9 and 10), which the parser
 * ignores: bits 0-4 the dump level, bit 5 -e, bit 6 --non-mmap, bit 7 -E;
 * byte 10 bit 0: two compression threads.
 */
#include "fuzzutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned opt = size > 9 ? data[9] : 0, opt2 = size > 10 ? data[10] : 0;
	const char *path = fz_file(data, size);
	/* A PT_LOAD may claim any amount of memory; bound the pfns one input may walk. */
	struct fz_dump d = { .level = opt & 31, .exclude_vmemmap = opt & 0x20, .no_mmap = opt & 0x40,
			     .elf_out = opt & 0x80, .num_threads = opt2 & 1 ? 2 : 0, .max_pfn = 1u << 20,
			     .dmesg = true, .dmesg_partial = opt2 & 2 };
	fz_run_dump(path, &d);
	return 0;
}
