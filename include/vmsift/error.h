// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error values for the vmsift engine.
 *
 * Fallible functions return a `struct vs_err *`: NULL means success, anything
 * else carries a code (what kind of failure, used for exit codes and recovery
 * decisions) and a message written for the user.  Messages name the kernel
 * object, file offset or pfn involved, never the C function.  The engine never
 * prints; the CLI decides what to show.
 */
#ifndef VMSIFT_ERROR_H
#define VMSIFT_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

enum vs_code {
	VS_ERR_NOMEM = 1,  /* out of memory */
	VS_ERR_OS,         /* a system call failed; errnum is set */
	VS_ERR_CORRUPT,    /* the input is malformed or inconsistent */
	VS_ERR_INVALID,    /* bad arguments or option combination */
	VS_ERR_NOTSUP,     /* valid, but not supported (yet) */
	VS_ERR_NOKEY,      /* a required VMCOREINFO key or kernel symbol is missing */
	VS_ERR_NOSPACE,    /* the output device is full or the -L limit was hit */
	VS_ERR_RELEASE,    /* -i VMCOREINFO does not match the dump's release */
	VS_ERR_INTR,       /* interrupted by a signal */
	VS_ERR_PIPE,       /* the output pipe's reader went away */
};

struct vs_err {
	enum vs_code code;
	int errnum;        /* errno for VS_ERR_OS, else 0 */
	char msg[];        /* NUL-terminated, no trailing newline */
};

#if defined(__GNUC__)
#define VS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VS_PRINTF(a, b)
#endif

struct vs_err *vs_err_new(enum vs_code code, const char *fmt, ...) VS_PRINTF(2, 3);
/* Appends ": strerror(errnum)"; ENOSPC and EDQUOT map to VS_ERR_NOSPACE, EPIPE to VS_ERR_PIPE. */
struct vs_err *vs_err_os(int errnum, const char *fmt, ...) VS_PRINTF(2, 3);
/* Prefixes context to err's message ("context: message"); consumes err. */
struct vs_err *vs_err_wrap(struct vs_err *err, const char *fmt, ...) VS_PRINTF(2, 3);
void vs_err_free(struct vs_err *err);
/*
 * For optional VMCOREINFO keys: a VS_ERR_NOKEY error is freed and NULL
 * returned; any other error is returned.  *found (if not NULL) tells whether
 * the lookup succeeded.
 */
struct vs_err *vs_err_optional(struct vs_err *err, bool *found);

/* Statically allocated, returned when even the error could not be allocated. */
extern struct vs_err *const vs_enomem;

#endif
