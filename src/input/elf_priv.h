// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef VMSIFT_ELF_PRIV_H
#define VMSIFT_ELF_PRIV_H

#include "vmsift/vmcore.h"

/* Walks the PT_NOTE blob: counts NT_PRSTATUS notes, finds VMCOREINFO. */
struct vs_err *vs_notes_scan(struct vs_vmcore *vc);
/* Builds the sorted, non-overlapping physical map from the PT_LOADs. */
struct vs_err *vs_pieces_build(struct vs_vmcore *vc);

#endif
