// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inside the kallsyms reader: what it keeps of the dump's tables (the small
 * token table and where the rest lives; never the name stream nor the
 * address table), the on-demand address reads, and the one-pass walk over
 * the name stream.
 */
#ifndef VMSIFT_KALLSYMS_PRIV_H
#define VMSIFT_KALLSYMS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/kallsyms.h"

#define KS_MAX_SYMS (1u << 22)           /* 4M symbols; Debian's 6.12 has ~200k */
#define KS_MAX_NAMES_BYTES (64u << 20)
#define KS_NAME_MAX 1024                  /* KSYM_NAME_LEN is 512 since 6.1 */
#define KS_ADDR_BLOCK 64                  /* address entries read at once */
#define KS_NO_INDEX UINT32_MAX

enum ks_addr_mode {
	KS_ABSOLUTE,        /* kallsyms_addresses[]: plain unsigned longs */
	KS_RELATIVE,        /* relative_base + (u32)offset */
	/*
	 * CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP until Linux 6.15): an
	 * offset >= 0 is an absolute address (the per-CPU symbols near 0), a
	 * negative one means relative_base - 1 - offset.
	 */
	KS_PERCPU,
	KS_NMODES
};

struct vs_kallsyms {
	struct vs_kernel *k;
	uint32_t n;
	uint64_t names;          /* kallsyms_names */
	uint64_t names_room;     /* bytes up to the next kallsyms table above it (bounded) */
	char *tokens;            /* kallsyms_token_table, NUL-terminated at the end */
	size_t tokens_len;
	uint16_t token_at[256];
	uint16_t token_len[256];
	uint64_t addrs;          /* kallsyms_offsets or kallsyms_addresses */
	unsigned width;          /* 4 (offsets) or the long size */
	uint64_t base;           /* kallsyms_relative_base */
	enum ks_addr_mode mode;
	uint32_t verified;
	/* The last block of address entries read (binary searches and gaps stay local). */
	uint32_t blk_first, blk_n;
	uint64_t blk[KS_ADDR_BLOCK];
};

/*
 * names[0..n) in kallsyms only (kallsyms_lookup.c); loads and checks it on
 * first need, in the same pass.  An error only when kallsyms is unusable
 * (k->kallsyms_err says why) or a pass fails; found[i] says which names it
 * has.
 */
struct vs_err *ks_lookup(struct vs_kernel *k, const char *const *names, size_t n, uint64_t *addrs, uint64_t *gaps,
			 bool *found);

/* Reads what the reader keeps (kallsyms.c); nothing is checked yet. */
struct vs_err *ks_open(struct vs_kernel *k, struct vs_kallsyms **out);

/* The address of symbol i under mode (kallsyms_kaddr.c). */
struct vs_err *ks_addr_as(struct vs_kallsyms *ks, uint32_t i, enum ks_addr_mode mode, uint64_t *addr);
/* The first index whose address under mode is value, and how many (at most max) share it. */
struct vs_err *ks_addr_find(struct vs_kallsyms *ks, uint64_t value, enum ks_addr_mode mode, uint32_t max,
			    uint32_t *first, uint32_t *count);
/* Distance from symbol i's address to the next higher one; 0 when none is higher. */
struct vs_err *ks_addr_gap(struct vs_kallsyms *ks, uint32_t i, uint64_t *gap);

/*
 * One pass over the name stream.  Symbols at the (ascending) indices cands
 * are decoded in full and compared with every name; the names whose ids are
 * in search (at most KS_SEARCH_MAX) are looked for at every symbol, by
 * token, abandoning a symbol at its first mismatching token.  hit() is
 * called for each symbol whose name is names[id]; it must not read the dump
 * (the pass reads its window in place).
 */
#define KS_SEARCH_MAX 64
struct ks_walk {
	const char *const *names;
	size_t nnames;
	const uint32_t *cands;
	size_t ncands;
	const size_t *search;
	size_t nsearch;
	struct vs_err *(*hit)(void *arg, size_t id, uint32_t index);
	void *arg;
};
struct vs_err *ks_walk(struct vs_kallsyms *ks, const struct ks_walk *w);

#endif
