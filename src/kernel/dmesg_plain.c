// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log before Linux 3.5: log_buf is a character ring of
 * log_buf_len (a power of two) bytes, and log_end counts every byte ever
 * written, so the text is the last log_buf_len bytes before log_end.  It
 * already holds "<level>[time] " prefixes and newlines: printed as is.
 */
#include <stdlib.h>

#include "dmesg_int.h"

/* log_buf_len is an int; rings larger than this are a corrupt dump. */
#define MAX_LOG_LEN (1u << 28)

struct vs_err *vs_dmesg_load_buf(struct vs_kernel *k, uint8_t **buf, uint32_t *len)
{
	uint64_t sym_buf, sym_len, va;
	uint32_t n;
	struct vs_err *err;
	*buf = NULL;
	if ((err = vs_vmci_symbol(k->vmci, "log_buf", &sym_buf)) || (err = vs_vmci_symbol(k->vmci, "log_buf_len", &sym_len)))
		return vs_err_wrap(err, "the kernel log");
	if ((err = vs_kernel_read_ptr(k, sym_buf, &va)) || (err = vs_kernel_read_u32(k, sym_len, &n)))
		return vs_err_wrap(err, "the kernel log: log_buf/log_buf_len");
	if (n == 0 || n > MAX_LOG_LEN)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel log: log_buf_len=%u is implausible", n);
	if (!(*buf = malloc(n)))
		return vs_enomem;
	if ((err = vs_kernel_read_virt(k, va, *buf, n))) {
		free(*buf);
		*buf = NULL;
		return vs_err_wrap(err, "the kernel log: log_buf at 0x%llx (%u bytes)", (unsigned long long)va, n);
	}
	*len = n;
	return NULL;
}

struct vs_err *vs_dmesg_plain(struct vs_kernel *k, FILE *out, unsigned long *records)
{
	uint64_t sym_end;
	uint32_t end, len;
	uint8_t *buf;
	struct vs_err *err = vs_vmci_symbol(k->vmci, "log_end", &sym_end);
	if (err)
		return vs_err_wrap(err, "the kernel log");
	/*
	 * log_end is an unsigned int since 2.6.25 and an unsigned long before:
	 * on a little-endian kernel its low 32 bits are the same bytes, and
	 * only log_end modulo the (32-bit) ring length matters once it wraps.
	 */
	if ((err = vs_kernel_read_u32(k, sym_end, &end)))
		return vs_err_wrap(err, "the kernel log: log_end");
	if ((err = vs_dmesg_load_buf(k, &buf, &len)))
		return err;
	if (len & (len - 1)) {
		free(buf);
		return vs_err_new(VS_ERR_CORRUPT, "the kernel log: log_buf_len=%u is not a power of two", len);
	}
	uint32_t start = end < len ? 0 : end & (len - 1), n = end < len ? end : len;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = buf[(start + i) & (len - 1)];
		fputc(c, out);
		*records += c == '\n';
	}
	free(buf);
	return NULL;
}
