// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * i386: enough for dump levels 0 and 1 (no kernel structures needed).
 * Kernel-image addresses are linear at PAGE_OFFSET 0xc0000000 (3G/1G split).
 */
#include <elf.h>

#include "arch.h"

#define I386_PAGE_OFFSET 0xc0000000ull

static struct vs_err *i386_init(struct vs_kernel *k)
{
	k->phys_base = 0;
	return NULL;
}

static struct vs_err *i386_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	(void)k;
	if (vaddr >= I386_PAGE_OFFSET && vaddr < 0xf8000000ull) {
		*paddr = vaddr - I386_PAGE_OFFSET;
		if (span)
			*span = 0xf8000000ull - vaddr;
		return NULL;
	}
	return vs_err_new(VS_ERR_NOTSUP, "i386: cannot translate 0x%llx outside the linear map",
			  (unsigned long long)vaddr);
}

static void i386_fini(struct vs_kernel *k)
{
	(void)k;
}

const struct vs_arch_ops vs_arch_i386 = {
	.name = "i686",
	.elf_machine = EM_386,
	.page_shift = 12,
	.init = i386_init,
	.vtop = i386_vtop,
	.fini = i386_fini,
};
