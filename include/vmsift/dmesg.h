// SPDX-License-Identifier: GPL-2.0-or-later
/* --dump-dmesg: the kernel log from the dump's printk ring buffer. */
#ifndef VMSIFT_DMESG_H
#define VMSIFT_DMESG_H

#include <stdbool.h>
#include <stdio.h>

#include "vmsift/kernel.h"

/*
 * Writes the log as makedumpfile does ("[%5lu.%06lu] text"), one record per
 * line; partial: only the records after the last "dmesg --clear".
 */
struct vs_err *vs_dmesg_write(struct vs_kernel *k, bool partial, FILE *out, unsigned long *records);

#endif
