// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --config: the kernel data to erase, as physical ranges, and the erase
 * record the output carries (kdump sub-header offset_eraseinfo/size_eraseinfo,
 * or an ERASEINFO ELF note).  Built once from the config (resolve.c), then
 * read by every writer thread: vs_erase_page only sets per-piece flags.
 *
 * As makedumpfile: erased bytes become 'X' (0x58), a nullified pointer zero;
 * the record has one line per erased object, in the order the commands first
 * erased something, "erase EXPR size N\n" (N = bytes erased in pages that
 * were written) or "erase EXPR nullify\n".
 */
#ifndef VMSIFT_ERASE_H
#define VMSIFT_ERASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/kernel.h"

#define VS_ERASE_FILL 'X'

struct vs_erase;

struct vs_erase *vs_erase_new(void);
void vs_erase_free(struct vs_erase *e);

/*
 * One object to erase: size bytes at kernel address vaddr, for command cmd
 * (text: its target as written).  An object starting at the same physical
 * address as an earlier one only widens it (makedumpfile keeps one record).
 */
struct vs_err *vs_erase_add(struct vs_erase *e, struct vs_kernel *k, unsigned cmd, const char *text,
			    uint64_t vaddr, uint64_t size, bool nullify);
/* Translates every object to physical pieces (page by page through the page tables). */
struct vs_err *vs_erase_finish(struct vs_erase *e, struct vs_kernel *k);
size_t vs_erase_objects(const struct vs_erase *e);
uint64_t vs_erase_bytes(const struct vs_erase *e);

/*
 * A page about to be written (len bytes at paddr): data itself when nothing
 * in it is erased, else buf (len bytes) holding the erased copy.
 */
const uint8_t *vs_erase_page(const struct vs_erase *e, uint64_t paddr, const uint8_t *data, size_t len,
			     uint8_t *buf);
/* Forgets which pieces were written (each --split piece records its own). */
void vs_erase_reset(struct vs_erase *e);
/* Bytes the record can take at most (every object whole): what -E reserves, as makedumpfile. */
size_t vs_erase_record_bound(const struct vs_erase *e);
/* The record for what was written, after prev (an input's record, carried over); malloc'ed. */
struct vs_err *vs_erase_record(const struct vs_erase *e, const char *prev, size_t prev_len, char **text,
			       size_t *len);

#endif
