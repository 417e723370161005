// SPDX-License-Identifier: GPL-2.0-or-later
/* ELF core output (-E): headers for a planned list of segments. */
#ifndef VMSIFT_ELFOUT_H
#define VMSIFT_ELFOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/sink.h"

struct vs_elf_seg {
	uint64_t paddr, vaddr, memsz, filesz;
	uint64_t offset;        /* assigned by vs_elfout_layout */
};

struct vs_elfout {
	bool is64, big_endian;
	uint16_t machine;
	const uint8_t *notes;
	size_t notes_size;
	struct vs_elf_seg *segs;
	size_t nsegs;
	uint64_t page_size;
	/* computed */
	uint64_t phoff, shoff, notes_off, data_off, file_end;
	bool xnum;
};

/* Assigns file offsets: Ehdr, phdrs (PT_NOTE first), [shdr 0 for PN_XNUM], notes, data. */
struct vs_err *vs_elfout_layout(struct vs_elfout *e);
/*
 * Writes the ELF header, program headers and notes.  incomplete sets
 * e_flags bit 0 (makedumpfile's DUMP_ELF_INCOMPLETE); segments from
 * first_lost on get zeroed program headers.
 */
struct vs_err *vs_elfout_write_headers(const struct vs_elfout *e, struct vs_sink *sink,
				       bool incomplete, size_t first_lost);

#endif
