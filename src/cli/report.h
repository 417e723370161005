// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef VMSIFT_CLI_REPORT_H
#define VMSIFT_CLI_REPORT_H

#include "vmsift/dump.h"

/* The page report in makedumpfile's layout (--show-stats / message level 16). */
void report_print(const struct vs_dump_stats *st);

#endif
