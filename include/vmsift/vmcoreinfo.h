// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMCOREINFO: the KEY=VALUE text the kernel exports to describe its own
 * layout.  Parsed into a sorted table; unknown keys are kept (they go into the
 * dump unchanged and can be printed with -D).  The first occurrence of a key
 * wins, as in makedumpfile.
 */
#ifndef VMSIFT_VMCOREINFO_H
#define VMSIFT_VMCOREINFO_H

#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

struct vs_vmci_entry {
	const char *key;
	const char *value;
	size_t line;  /* 1-based line in the text, for messages */
};

struct vs_vmcoreinfo {
	char *text;                  /* private copy, keys/values point into it */
	struct vs_vmci_entry *entries; /* in text order */
	struct vs_vmci_entry *sorted;  /* by key, stable */
	size_t n;
};

struct vs_err *vs_vmci_parse(const char *text, size_t len, struct vs_vmcoreinfo **out);
struct vs_err *vs_vmci_load_file(const char *path, struct vs_vmcoreinfo **out);
void vs_vmci_free(struct vs_vmcoreinfo *vi);

/*
 * The entries of over, then those of under whose key over lacks: merging the
 * dump's note over values from a vmlinux, the note wins, as in makedumpfile.
 * Either may be NULL.
 */
struct vs_err *vs_vmci_merge(const struct vs_vmcoreinfo *over, const struct vs_vmcoreinfo *under,
			     struct vs_vmcoreinfo **out);
/* The entries as KEY=VALUE lines in text order (malloc'ed, NUL-terminated). */
struct vs_err *vs_vmci_format(const struct vs_vmcoreinfo *vi, char **text, size_t *len);

/* Raw value of a key such as "OSRELEASE" or "SYMBOL(mem_section)", or NULL. */
const char *vs_vmci_get(const struct vs_vmcoreinfo *vi, const char *key);

/*
 * Typed lookups.  They return NULL on success, VS_ERR_NOKEY when the key is
 * absent, VS_ERR_CORRUPT when the value does not parse; both messages name
 * the key.  vi may be NULL (then every key is absent).
 */
struct vs_err *vs_vmci_symbol(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v);
struct vs_err *vs_vmci_size(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v);
struct vs_err *vs_vmci_offset(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v);
struct vs_err *vs_vmci_length(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v);
struct vs_err *vs_vmci_number(const struct vs_vmcoreinfo *vi, const char *name, int64_t *v);
/* A plain key: PAGESIZE, CRASHTIME (decimal) or KERNELOFFSET (hex). */
struct vs_err *vs_vmci_dec(const struct vs_vmcoreinfo *vi, const char *key, uint64_t *v);
struct vs_err *vs_vmci_hex(const struct vs_vmcoreinfo *vi, const char *key, uint64_t *v);

#endif
