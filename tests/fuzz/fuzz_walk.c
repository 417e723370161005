// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page-table, mem_section and struct page walkers and the printk ring
 * reader, fed damaged kernel memory: the mini machine (minicore.h) with the input's patches applied to
 * its physical memory, dumped at a level the input chooses.
 *
 * Input: byte 0 selects the variant (bits 0-3, minicore.h), bit 4 -e,
 * bit 5 --non-mmap, bits 6-7 the output (-d 31, -d 1, -E -d 31, -d 10); then
 * 10-byte patch records (mini_apply_patches).
 */
#include <stdlib.h>

#include "fuzzutil.h"
#include "minicore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int levels[4] = { 31, 1, 31, 10 };
	static uint8_t ram[MINI_RAM_BYTES];
	unsigned sel = size ? data[0] : 0;
	struct mini_opts o = { .variant = sel & 0x0f };
	mini_memory(o.variant, ram);
	if (size)
		mini_apply_patches(ram, data + 1, size - 1);
	size_t len;
	uint8_t *elf = mini_elf(&o, ram, &len);
	if (!elf)
		return 0;
	const char *path = fz_file(elf, len);
	free(elf);
	struct fz_dump d = { .level = levels[sel >> 6], .exclude_vmemmap = sel & 0x10,
			     .no_mmap = sel & 0x20, .elf_out = (sel >> 6) == 2, .max_pfn = 1u << 20,
			     .dmesg = true, .dmesg_partial = sel & 0x01 };
	fz_run_dump(path, &d);
	return 0;
}
