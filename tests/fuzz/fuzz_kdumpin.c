// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed input: the whole file (seekable, or flattened) is the
 * input.  It is opened as a vmcore, every pfn's source is asked for and
 * the pages with data are read (headers, bitmaps and descriptors pointing
 * anywhere, sizes that overflow, data that does not decompress); when it
 * opens as a kernel dump, it is also dumped into a null sink.
 *
 * The options come from byte 444 of the main header (total_ram_blocks, which
 * readers ignore): bits 0-4 the dump level, bit 5 -E, bit 6 two threads.
 */
#include <stdlib.h>

#include "fuzzutil.h"
#include "vmsift/vmcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounds the pfns one input may walk. */
#define MAX_PROBE (1u << 16)

static void probe(const char *path)
{
	struct vs_vmcore *vc;
	struct vs_err *err = vs_vmcore_open(path, NULL, &vc);
	if (err) {
		vs_err_free(err);
		return;
	}
	unsigned shift = 12;
	uint64_t max = vs_vmcore_max_pfn(vc, shift);
	uint8_t *buf = malloc(1u << shift);  /* pages are read only when the input's are this size */
	for (uint64_t pfn = 0; buf && pfn < max && pfn < MAX_PROBE; pfn++) {
		enum vs_page_src src = vs_vmcore_page_src(vc, pfn << shift, 1ull << shift);
		const uint8_t *p;
		if (src == VS_PAGE_FULL && vc->input_block_size == 1u << shift)
			vs_err_free(vs_vmcore_read_page(vc, pfn, shift, buf, &p));
	}
	uint8_t small[64];
	vs_err_free(vs_vmcore_read_phys(vc, 0x1000 - 32, small, sizeof(small)));
	free(buf);
	vs_vmcore_close(vc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned opt = size > 444 ? data[444] : 0;
	const char *path = fz_file(data, size);
	probe(path);
	struct fz_dump d = { .level = opt & 31, .elf_out = opt & 0x20, .num_threads = opt & 0x40 ? 2 : 0,
			     .max_pfn = 1u << 20, .dmesg = true };
	fz_run_dump(path, &d);
	return 0;
}
