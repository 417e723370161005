// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What vmsift knows about the crashed kernel: architecture, page size,
 * address translation and identity (utsname, crash time).
 */
#ifndef VMSIFT_KERNEL_H
#define VMSIFT_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/kdump.h"
#include "vmsift/vmcore.h"
#include "vmsift/vmcoreinfo.h"

struct vs_arch_ops;

struct vs_kernel {
	struct vs_vmcore *vc;
	const struct vs_vmcoreinfo *vmci;   /* may be NULL */
	const struct vs_arch_ops *arch;     /* may be NULL for an unknown machine */
	unsigned page_shift;
	uint64_t page_size;
	uint64_t phys_base;
	int64_t crashtime;
	struct vs_utsname uts;
	bool uts_from_memory;               /* false: built from OSRELEASE / e_machine */
	void *arch_data;
};

struct vs_err *vs_kernel_init(struct vs_vmcore *vc, const struct vs_vmcoreinfo *vmci,
			      struct vs_kernel **out);
void vs_kernel_free(struct vs_kernel *k);
/* Kernel virtual address to physical, through the arch's ops. */
struct vs_err *vs_kernel_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr);
/* Also gives the bytes from vaddr on that are physically contiguous. */
struct vs_err *vs_kernel_vtop_span(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span);
struct vs_err *vs_kernel_read_virt(struct vs_kernel *k, uint64_t vaddr, void *buf, size_t len);

#endif
