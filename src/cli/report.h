// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef VMSIFT_CLI_REPORT_H
#define VMSIFT_CLI_REPORT_H

#include <stdbool.h>

#include "vmsift/dump.h"

/* The page report in makedumpfile's layout (--show-stats / message level 16). */
void report_print(const struct vs_dump_stats *st);
/* Warnings about the kernel's own data (free-page cross-check, unknown page types...). */
void report_self_checks(const struct vs_dump_stats *st);
/* Lost, unreadable and incomplete pages; a dry run has no output to call incomplete. */
void report_incomplete(const struct vs_dump_stats *st, bool stream, bool dry_run);

#endif
