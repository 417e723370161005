// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One ops table per architecture, chosen at run time from the dump's
 * e_machine and cross-checked with VMCOREINFO, so any host can filter any
 * architecture's dump.  Everything that differs between architectures
 * lives here; src/kernel reads the dead kernel through these ops and the
 * byte-order helpers of vmsift/kernel.h only.  docs/architecture.md says
 * how to add one.
 */
#ifndef VMSIFT_ARCH_H
#define VMSIFT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/kernel.h"
#include "vmsift/memmodel.h"

struct vs_arch_ops {
	const char *name;        /* utsname.machine of this arch */
	uint16_t elf_machine;
	unsigned page_shift;     /* when VMCOREINFO has no PAGESIZE */
	unsigned long_size;      /* sizeof(long) == sizeof(void *) in its kernel */
	/*
	 * VMCOREINFO keys that only this architecture's kernels export
	 * (NULL-terminated): a dump whose VMCOREINFO has another arch's key is
	 * refused.  Keys shared with any other arch (VA_BITS is also riscv's)
	 * do not belong here.
	 */
	const char *const *vmcoreinfo_marks;
	/* Sets k->phys_base and whatever translation needs; VMCOREINFO may be absent. */
	struct vs_err *(*init)(struct vs_kernel *k);
	/*
	 * Translates vaddr; *span (may be NULL) gets how many bytes from vaddr
	 * on stay physically contiguous (to the end of the mapping's leaf page).
	 */
	struct vs_err *(*vtop)(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span);
	/*
	 * Translates a user address through a task's own page tables: root is
	 * the physical address of its top-level table (mm->pgd).  May be NULL
	 * (--keep-user-stack is refused then).
	 */
	struct vs_err *(*user_vtop)(struct vs_kernel *k, uint64_t root, uint64_t vaddr, uint64_t *paddr);
	void (*fini)(struct vs_kernel *k);
	/* Could v be a kernel address?  After init; may be NULL: the top bit of a long. */
	bool (*is_kernel_addr)(const struct vs_kernel *k, uint64_t v);
	/* Strips tag bits from a pointer read out of kernel memory; NULL: none. */
	uint64_t (*untag)(const struct vs_kernel *k, uint64_t v);
	/*
	 * SECTION_SIZE_BITS and MAX_PHYSMEM_BITS for kernels that did not
	 * export them (after init: may depend on the page size or paging mode).
	 */
	void (*sparsemem_bits)(const struct vs_kernel *k, unsigned *section_size_bits,
			       unsigned *max_physmem_bits);
	/*
	 * Cross-checks the struct page addresses found through mem_section
	 * with what else the kernel exports (may be NULL).  On disagreement
	 * writes a warning naming both values into warn; mm is never changed.
	 */
	void (*check_memmap)(const struct vs_kernel *k, const struct vs_memmap *mm, uint64_t page_struct_size,
			     char *warn, size_t warn_size);
	/* Byte offset of the saved stack pointer in an NT_PRSTATUS descriptor; 0: unknown. */
	unsigned prstatus_sp_offset;
	/* The direct-map (linear) address of paddr; false when unknown.  May be NULL. */
	bool (*direct_map)(const struct vs_kernel *k, uint64_t paddr, uint64_t *vaddr);
};

/* The ops for a dump's ELF machine; NULL when vmsift cannot translate its addresses. */
const struct vs_arch_ops *vs_arch_find(uint16_t elf_machine);
/*
 * Refuses a dump whose VMCOREINFO carries a key only another architecture
 * exports (the error names both); no marks at all is not a mismatch.
 */
struct vs_err *vs_arch_check(uint16_t elf_machine, const struct vs_vmcoreinfo *vmci);
/*
 * The machine whose exclusive VMCOREINFO keys the text has (EM_NONE when
 * none, or when keys of two machines appear), for inputs that carry no
 * e_machine: QEMU's kdump-compressed files leave utsname empty.
 */
uint16_t vs_arch_from_vmcoreinfo(const struct vs_vmcoreinfo *vmci);

extern const struct vs_arch_ops vs_arch_x86_64, vs_arch_i386, vs_arch_arm64;
extern const struct vs_arch_ops vs_arch_riscv64;
extern const struct vs_arch_ops vs_arch_s390x;
extern const struct vs_arch_ops vs_arch_ppc64;

#endif
