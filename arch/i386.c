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

static bool i386_is_kernel_addr(const struct vs_kernel *k, uint64_t v)
{
	(void)k;
	return v >= I386_PAGE_OFFSET && v <= UINT32_MAX;
}

/* PAE kernels use 29/36, the others 26/32 (makedumpfile's defaults too). */
static void i386_sparsemem_bits(const struct vs_kernel *k, unsigned *ssb, unsigned *mpb)
{
	bool pae = vs_vmci_get(k->vmci, "CONFIG_X86_PAE") != NULL;
	*ssb = pae ? 29 : 26;
	*mpb = pae ? 36 : 32;
}

/* Exported by arch/x86/kernel/machine_kexec_32.c only. */
static const char *const i386_marks[] = { "CONFIG_X86_PAE", NULL };

const struct vs_arch_ops vs_arch_i386 = {
	.name = "i686",
	.elf_machine = EM_386,
	.page_shift = 12,
	.long_size = 4,
	.vmcoreinfo_marks = i386_marks,
	.init = i386_init,
	.vtop = i386_vtop,
	.fini = i386_fini,
	.is_kernel_addr = i386_is_kernel_addr,
	.sparsemem_bits = i386_sparsemem_bits,
};
