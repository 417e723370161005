// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What vmsift knows about the crashed kernel: architecture, page size,
 * address translation and identity (utsname, crash time).
 */
#ifndef VMSIFT_KERNEL_H
#define VMSIFT_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vmsift/error.h"
#include "vmsift/kdump.h"
#include "vmsift/vmcore.h"
#include "vmsift/vmcoreinfo.h"

struct vs_arch_ops;
struct vs_kallsyms;

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
	/*
	 * The dead kernel's byte order (the dump's EI_DATA) and its pointer
	 * size, which is also its long size (LP64 / ILP32): every value read
	 * out of its memory is loaded through the helpers below.
	 */
	bool big_endian;
	unsigned long_size;                 /* 4 or 8 */
	void *arch_data;
	/* The dump's kallsyms, loaded on first need by vs_kernel_symbol(). */
	struct vs_kallsyms *kallsyms;
	struct vs_err *kallsyms_err;        /* why it could not be loaded */
	bool kallsyms_tried;
	/*
	 * While set (building the startup set), translations walk the page
	 * tables even where a shortcut exists, and report every table page
	 * they read: the pages a reader of the dump walks too.
	 */
	void (*on_table)(void *arg, uint64_t table_paddr);
	void *on_table_arg;
};

/* For the arch walkers: a page-table page at paddr was read. */
static inline void vs_kernel_saw_table(const struct vs_kernel *k, uint64_t paddr)
{
	if (k->on_table)
		k->on_table(k->on_table_arg, paddr);
}

struct vs_err *vs_kernel_init(struct vs_vmcore *vc, const struct vs_vmcoreinfo *vmci,
			      struct vs_kernel **out);
void vs_kernel_free(struct vs_kernel *k);
/* Kernel virtual address to physical, through the arch's ops. */
struct vs_err *vs_kernel_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr);
/* Also gives the bytes from vaddr on that are physically contiguous. */
struct vs_err *vs_kernel_vtop_span(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span);
/* A user address through the page tables rooted at physical root (a task's mm->pgd). */
struct vs_err *vs_kernel_user_vtop(struct vs_kernel *k, uint64_t root, uint64_t vaddr, uint64_t *paddr);
struct vs_err *vs_kernel_read_virt(struct vs_kernel *k, uint64_t vaddr, void *buf, size_t len);

/*
 * Scalars of the dead kernel, read at vaddr in its byte order.  _long is
 * an unsigned long (4 or 8 bytes); _ptr is a pointer, tag bits stripped.
 */
struct vs_err *vs_kernel_read_u16(struct vs_kernel *k, uint64_t vaddr, uint16_t *out);
struct vs_err *vs_kernel_read_u32(struct vs_kernel *k, uint64_t vaddr, uint32_t *out);
struct vs_err *vs_kernel_read_u64(struct vs_kernel *k, uint64_t vaddr, uint64_t *out);
struct vs_err *vs_kernel_read_long(struct vs_kernel *k, uint64_t vaddr, uint64_t *out);
struct vs_err *vs_kernel_read_ptr(struct vs_kernel *k, uint64_t vaddr, uint64_t *out);

/* Could v point into the kernel's half of the address space (the arch decides)? */
bool vs_kernel_is_kernel_addr(const struct vs_kernel *k, uint64_t v);
/* A pointer read from kernel memory with its tag bits (arm64 TBI, MTE, KASAN) removed. */
uint64_t vs_kernel_untag(const struct vs_kernel *k, uint64_t v);

/*
 * The same loads from bytes already copied out of the dead kernel (hot
 * loops over struct pages and ring records use these).
 */
static inline bool vs_kernel_swaps(const struct vs_kernel *k)
{
	return k->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
}

static inline uint16_t vs_kernel_ld16(const struct vs_kernel *k, const void *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return vs_kernel_swaps(k) ? __builtin_bswap16(v) : v;
}

static inline uint32_t vs_kernel_ld32(const struct vs_kernel *k, const void *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return vs_kernel_swaps(k) ? __builtin_bswap32(v) : v;
}

static inline uint64_t vs_kernel_ld64(const struct vs_kernel *k, const void *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return vs_kernel_swaps(k) ? __builtin_bswap64(v) : v;
}

/* An unsigned long, zero-extended to 64 bits. */
static inline uint64_t vs_kernel_ld_long(const struct vs_kernel *k, const void *p)
{
	return k->long_size == 8 ? vs_kernel_ld64(k, p) : vs_kernel_ld32(k, p);
}

/* A long (atomic_long_t, counters that may go negative), sign-extended. */
static inline int64_t vs_kernel_ld_slong(const struct vs_kernel *k, const void *p)
{
	return k->long_size == 8 ? (int64_t)vs_kernel_ld64(k, p) : (int64_t)(int32_t)vs_kernel_ld32(k, p);
}

static inline uint64_t vs_kernel_ld_ptr(const struct vs_kernel *k, const void *p)
{
	return vs_kernel_untag(k, vs_kernel_ld_long(k, p));
}

/* Bit n of a kernel bitmap (an array of unsigned long, as nodemask_t is). */
static inline bool vs_kernel_test_bit(const struct vs_kernel *k, const uint8_t *map, uint64_t n)
{
	uint64_t bits = k->long_size * 8ull, word = n / bits, bit = n % bits;
	uint64_t byte = k->big_endian ? k->long_size - 1 - bit / 8 : bit / 8;
	return map[word * k->long_size + byte] >> (bit % 8) & 1;
}

#endif
