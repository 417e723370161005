// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef VMSIFT_CLI_IOMEM_H
#define VMSIFT_CLI_IOMEM_H

#include <stddef.h>

#include "vmsift/vmcore.h"

#define IOMEM_MAX_CRASH 16

/*
 * --mem-usage on a live /proc/kcore: the "Crash kernel" ranges of /proc/iomem
 * (VMSIFT_IOMEM names another file, for tests), which /proc/vmcore will not
 * hold.  Fills out[] (at most IOMEM_MAX_CRASH) and returns how many; 0 when
 * VMCORE is not /proc/kcore or the file cannot be read.
 */
size_t iomem_crash_ranges(const char *vmcore, struct vs_phys_range *out);

#endif
