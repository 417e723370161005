// SPDX-License-Identifier: GPL-2.0-or-later
/* VMCOREINFO found in the memory of a dump that lacks the note (src/debuginfo/recover.c). */
#ifndef VMSIFT_RECOVER_H
#define VMSIFT_RECOVER_H

#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/kernel.h"
#include "vmsift/vmcore.h"
#include "vmsift/vmcoreinfo.h"

/*
 * Scans the dump's physical memory for the kernel's VMCOREINFO text and
 * returns the first copy that proves to describe this dump; *paddr gets
 * where it was.  VS_ERR_NOKEY when there is none.
 */
struct vs_err *vs_recover_vmcoreinfo(struct vs_vmcore *vc, struct vs_vmcoreinfo **out, uint64_t *paddr);

#endif
