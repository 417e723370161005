// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Messages by makedumpfile's levels.  Common, debug and report messages go
 * to stdout, or to stderr when stdout carries the dump (-F); errors and
 * progress always go to stderr.
 */
#ifndef VMSIFT_CLI_MSG_H
#define VMSIFT_CLI_MSG_H

#include <stdbool.h>
#include <stdio.h>

#define ML_PROGRESS 1
#define ML_COMMON 2
#define ML_ERROR 4
#define ML_DEBUG 8
#define ML_REPORT 16
#define ML_DEFAULT (ML_PROGRESS | ML_COMMON | ML_ERROR)

#if defined(__GNUC__)
#define MSG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MSG_PRINTF(a, b)
#endif

void msg_init(int level, bool stdout_is_dump);
int msg_level(void);
bool msg_enabled(int bit);
/* The stream for common/debug/report messages. */
FILE *msg_out(void);
/* The program name used in messages ("vmsift", or "makedumpfile" when installed as such). */
const char *msg_prog(void);
void msg_set_prog(const char *argv0);

/* A warning or error as it was printed (or would have been at a higher --message-level). */
struct msg_kept {
	const char *kind;  /* "warning" or "error" */
	char *text;
};
/* Every warning and error so far, for --report; dropped: how many did not fit. */
const struct msg_kept *msg_kept(size_t *n, size_t *dropped);
void msg_kept_free(void);

void msg_common(const char *fmt, ...) MSG_PRINTF(1, 2);
void msg_debug(const char *fmt, ...) MSG_PRINTF(1, 2);
void msg_report(const char *fmt, ...) MSG_PRINTF(1, 2);
void msg_error(const char *fmt, ...) MSG_PRINTF(1, 2);
void msg_warn(const char *fmt, ...) MSG_PRINTF(1, 2);

#endif
