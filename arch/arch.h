// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One ops table per architecture, chosen at run time from the dump's
 * e_machine, so any host can filter any architecture's dump.
 */
#ifndef VMSIFT_ARCH_H
#define VMSIFT_ARCH_H

#include <stdint.h>

#include "vmsift/kernel.h"

struct vs_arch_ops {
	const char *name;        /* utsname.machine of this arch */
	uint16_t elf_machine;
	unsigned page_shift;     /* when VMCOREINFO has no PAGESIZE */
	/* Sets k->phys_base and whatever translation needs; VMCOREINFO may be absent. */
	struct vs_err *(*init)(struct vs_kernel *k);
	/*
	 * Translates vaddr; *span (may be NULL) gets how many bytes from vaddr
	 * on stay physically contiguous (to the end of the mapping's leaf page).
	 */
	struct vs_err *(*vtop)(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span);
	void (*fini)(struct vs_kernel *k);
};

const struct vs_arch_ops *vs_arch_find(uint16_t elf_machine);

extern const struct vs_arch_ops vs_arch_x86_64, vs_arch_i386;

#endif
