// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF core output (-E): headers for a planned list of segments.  A planned
 * segment is a physical range whose first filesz bytes are in the file; the
 * rest (excluded memory) reads as zeros.  In the program headers that rest
 * becomes a PT_LOAD of its own, with no file data and p_offset past the end
 * of the file, so that no PT_LOAD's [p_offset, p_offset + p_memsz) covers
 * another segment's data (see docs/format.md).
 */
#ifndef VMSIFT_ELFOUT_H
#define VMSIFT_ELFOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/sink.h"

struct vs_elf_seg {
	uint64_t paddr, vaddr, memsz, filesz;
	uint64_t offset;        /* of the data; assigned by vs_elfout_layout */
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
	size_t nphdrs;          /* program headers: PT_NOTE, then 1 or 2 PT_LOADs per segment */
	uint64_t phoff, shoff, notes_off, data_off, file_end;
	uint64_t nodata_off;    /* page-aligned, >= file_end: where data-less PT_LOADs point */
	bool xnum;
};

/*
 * Assigns file offsets: Ehdr, phdrs (PT_NOTE first), [shdr 0 for PN_XNUM],
 * notes, then the segments' data from the next page boundary, each at an
 * offset congruent to its p_paddr modulo the page size (as in /proc/vmcore).
 */
struct vs_err *vs_elfout_layout(struct vs_elfout *e);
/*
 * Writes the ELF header, program headers and notes.  incomplete sets
 * e_flags bit 0 (makedumpfile's DUMP_ELF_INCOMPLETE); segments from
 * first_lost on get zeroed program headers.
 */
struct vs_err *vs_elfout_write_headers(const struct vs_elfout *e, struct vs_sink *sink,
				       bool incomplete, size_t first_lost);

#endif
