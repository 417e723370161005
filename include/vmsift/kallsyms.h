// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dead kernel's own symbol table (kallsyms), read out of the dump when
 * VMCOREINFO locates it (SYMBOL(kallsyms_*), Linux 6.0, commits 5fd8fea935a1
 * and f09bddbd8661).  It answers "where is symbol X" for the symbols
 * VMCOREINFO does not export -- node_data on arm64, riscv64 and other NUMA
 * kernels whose arch code never added it -- without a vmlinux.  The table is
 * trusted only after it agrees with the SYMBOL() values VMCOREINFO does
 * export.
 */
#ifndef VMSIFT_KALLSYMS_H
#define VMSIFT_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

#include "vmsift/kernel.h"

struct vs_kallsyms;

/*
 * Reads and checks the tables.  VS_ERR_NOKEY when VMCOREINFO does not
 * locate them, VS_ERR_CORRUPT (naming the table or symbol) when they do not
 * decode or do not agree with VMCOREINFO.
 */
struct vs_err *vs_kallsyms_load(struct vs_kernel *k, struct vs_kallsyms **out);
void vs_kallsyms_free(struct vs_kallsyms *ks);

/*
 * The first symbol called name: its address and the distance to the next
 * symbol's address (an upper bound of its size; 0 for the last symbol).
 * VS_ERR_NOKEY naming it when kallsyms has no such symbol.
 */
struct vs_err *vs_kallsyms_find(const struct vs_kallsyms *ks, const char *name, uint64_t *addr, uint64_t *gap);

/* How many symbols, and how many VMCOREINFO SYMBOL()s the table agreed with. */
uint32_t vs_kallsyms_count(const struct vs_kallsyms *ks);
uint32_t vs_kallsyms_verified(const struct vs_kallsyms *ks);

/*
 * A symbol's address: VMCOREINFO's SYMBOL(name) if exported, else the
 * dump's kallsyms (loaded once, on first need; not thread-safe: call it
 * before worker threads start).  gap may be NULL; it is 0 when the value
 * came from VMCOREINFO.  When neither has it, the error says why kallsyms
 * could not help.
 */
struct vs_err *vs_kernel_symbol(struct vs_kernel *k, const char *name, uint64_t *addr, uint64_t *gap);

/*
 * vs_kernel_symbol() for n names at once (one pass over kallsyms for all
 * those VMCOREINFO does not export).  addrs[i] (and gaps[i], when gaps is not
 * NULL) are 0 for a name neither source has; the return value is an error
 * only when no lookup could be done at all (kallsyms needed but unusable:
 * the error says why), or on VS_ERR_NOMEM.
 */
struct vs_err *vs_kernel_symbols(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs,
				 uint64_t *gaps);

#endif
