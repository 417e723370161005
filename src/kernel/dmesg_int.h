// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared by the readers of the printk ring's layouts (dmesg*.c). */
#ifndef VMSIFT_DMESG_INT_H
#define VMSIFT_DMESG_INT_H

#include "vmsift/dmesg.h"

/* One record as makedumpfile prints it: "[%5lu.%06lu] text\n". */
void vs_dmesg_print_record(FILE *out, uint64_t ts_nsec, const uint8_t *text, size_t len);
/* Linux 3.5-5.9: variable-length struct printk_log records in log_buf. */
struct vs_err *vs_dmesg_records(struct vs_kernel *k, bool partial, FILE *out, unsigned long *records);
/* Before 3.5: log_buf is a plain character ring ending at log_end. */
struct vs_err *vs_dmesg_plain(struct vs_kernel *k, FILE *out, unsigned long *records);

/* log_buf (the pointer's target) and log_buf_len, the whole buffer read. */
struct vs_err *vs_dmesg_load_buf(struct vs_kernel *k, uint8_t **buf, uint32_t *len);

#endif
