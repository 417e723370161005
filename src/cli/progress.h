// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Progress on stderr.  On a terminal the line is redrawn in place at most
 * once a second; on a serial console, pipe or journal (where "\r" redraws
 * pile up into one endless line) one line is printed per 10 % step.
 */
#ifndef VMSIFT_CLI_PROGRESS_H
#define VMSIFT_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "vmsift/dump.h"

struct progress {
	bool enabled;
	bool line_mode;
	int phase;
	struct timespec phase_start, last;
	int last_step;       /* line mode: last 10 % step printed */
	bool open_line;      /* redraw mode: a line without its newline */
};

void progress_init(struct progress *p, bool enabled);
void progress_cb(void *arg, enum vs_phase phase, uint64_t done, uint64_t total);
/* Ends an unfinished redraw line (before other messages). */
void progress_end(struct progress *p);

#endif
