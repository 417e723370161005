// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed input: the whole file (seekable, or flattened) is the
 * input.  It is opened as a vmcore, every pfn's source is asked for and
 * the pages with data are read (headers, bitmaps and descriptors pointing
 * anywhere, sizes that overflow, data that does not decompress); when it
 * opens as a kernel dump, it is also dumped into a null sink.
 *
 * The options come from byte 444 of the main header (total_ram_blocks, which
 * readers ignore): bits 0-4 the dump level, bit 5 -E, bit 6 two threads,
 * bit 7 also read it as a --split set of two pieces (see split_probe).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzzutil.h"
#include "vmsift/vmcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounds the pfns one input may walk. */
#define MAX_PROBE (1u << 16)

static void probe_set(const char *const *paths, size_t n, bool salvage)
{
	struct vs_vmcore *vc;
	struct vs_vmcore_opts vo = { .salvage = salvage };
	struct vs_err *err = vs_vmcore_open_set(paths, n, &vo, &vc);
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

static void probe(const char *path)
{
	probe_set(&path, 1, false);
}

static uint64_t ld64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void st64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* A copy of the input in its own memfd whose sub-header (at B) says: split, pfns [start, end). */
static const char *piece(int *fd, char *path, const uint8_t *data, size_t size, size_t B, uint64_t start,
			 uint64_t end)
{
	if (*fd < 0) {
		if ((*fd = memfd_create("vmsift-fuzz-piece", MFD_CLOEXEC)) < 0)
			abort();
		snprintf(path, 32, "/proc/self/fd/%d", *fd);
	}
	uint8_t *copy = malloc(size);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	memset(copy + B + 12, 0, 4);
	copy[B + 12] = 1;
	st64(copy + B + 80, start);
	st64(copy + B + 88, end);
	if (ftruncate(*fd, 0) < 0 || pwrite(*fd, copy, size, 0) != (ssize_t)size)
		abort();
	free(copy);
	return path;
}

/*
 * The input as a --split set: two copies whose sub-headers split max_mapnr
 * at a pfn taken from the 32-bit start_pfn field (which version 6 readers
 * ignore), read whole, and with the second piece missing under salvage.
 */
static void split_probe(const uint8_t *data, size_t size)
{
	static int fd[2] = { -1, -1 };
	static char path[2][32];
	size_t B = size > 432 ? (size_t)data[428] | (size_t)data[429] << 8 | (size_t)data[430] << 16 : 0;
	if (!B || B > size || size - B < 104)
		return;
	uint64_t max = ld64(data + B + 96), cut = ld64(data + B + 16) & 0xffffffffu;
	cut = max < UINT64_MAX ? cut % (max + 1) : cut;  /* max + 1 would wrap to 0 */
	const char *paths[2] = { piece(&fd[0], path[0], data, size, B, 0, cut),
				 piece(&fd[1], path[1], data, size, B, cut, max) };
	probe_set(paths, 2, false);
	probe_set(paths, 1, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned opt = size > 444 ? data[444] : 0;
	const char *path = fz_file(data, size);
	probe(path);
	if (opt & 0x80)
		split_probe(data, size);
	struct fz_dump d = { .level = opt & 31, .elf_out = opt & 0x20, .num_threads = opt & 0x40 ? 2 : 0,
			     .max_pfn = 1u << 20, .dmesg = true };
	fz_run_dump(path, &d);
	return 0;
}
