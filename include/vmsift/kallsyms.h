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

void vs_kallsyms_free(struct vs_kallsyms *ks);

/*
 * names[0..n) in the dump's kallsyms only, whatever VMCOREINFO exports (for
 * a symbol's gap, the distance to the next symbol's address: an upper bound
 * of its size, 0 for the last symbol).  kallsyms is read and checked
 * against VMCOREINFO's SYMBOL()s on first need, in the same single pass over
 * its names; a later call is one more pass.  addrs[i] and gaps[i] are 0 for
 * a name kallsyms lacks.  An error when kallsyms is unusable (naming
 * names[0] as the symbol VMCOREINFO lacks, and saying why: VS_ERR_CORRUPT
 * inside when the table disagrees with VMCOREINFO) or cannot be read.
 */
struct vs_err *vs_kallsyms_lookup(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs,
				  uint64_t *gaps);

/* How many symbols, and how many VMCOREINFO SYMBOL()s the table agreed with. */
uint32_t vs_kallsyms_count(const struct vs_kallsyms *ks);
uint32_t vs_kallsyms_verified(const struct vs_kallsyms *ks);

/*
 * A symbol's address: VMCOREINFO's SYMBOL(name) if exported, else the
 * dump's kallsyms (checked once, on first need; every call that needs it
 * is one pass over its names; not thread-safe: call it before worker
 * threads start).  gap may be NULL; it is 0 when the value
 * came from VMCOREINFO.  When neither has it, the error says why kallsyms
 * could not help.
 */
struct vs_err *vs_kernel_symbol(struct vs_kernel *k, const char *name, uint64_t *addr, uint64_t *gap);

/*
 * vs_kernel_symbol() for n names at once: one pass over kallsyms for all
 * those VMCOREINFO does not export (checking the table in the same pass the
 * first time).  addrs[i] (and gaps[i], when gaps is not
 * NULL) are 0 for a name neither source has; the return value is an error
 * only when no lookup could be done at all (kallsyms needed but unusable:
 * the error says why), or on VS_ERR_NOMEM.
 */
struct vs_err *vs_kernel_symbols(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs,
				 uint64_t *gaps);

#endif
