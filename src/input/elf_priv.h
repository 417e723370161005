// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef VMSIFT_ELF_PRIV_H
#define VMSIFT_ELF_PRIV_H

#include "vmsift/vmcore.h"

/* Opens vc->fd (already stat'ed: vc->file_size) as an ELF core. */
struct vs_err *vs_elf_open(struct vs_vmcore *vc, const struct vs_vmcore_opts *opts);
/* Walks the PT_NOTE blob: counts NT_PRSTATUS notes, finds VMCOREINFO. */
struct vs_err *vs_notes_scan(struct vs_vmcore *vc);
/* Leaves the physical ranges omit[] out of vc->loads, splitting loads around them. */
#define VS_MAX_OMIT 64
struct vs_err *vs_loads_omit(struct vs_vmcore *vc, const struct vs_phys_range *omit, size_t nomit);
/* Builds the sorted, non-overlapping physical map from the PT_LOADs. */
struct vs_err *vs_pieces_build(struct vs_vmcore *vc);

/* Counts a data page that could not be read; reader threads call this concurrently. */
void vs_vmcore_note_unreadable(struct vs_vmcore *vc, uint64_t pfn, const struct vs_err *err);

#endif
