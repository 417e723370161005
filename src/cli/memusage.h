// SPDX-License-Identifier: GPL-2.0-or-later
/* --mem-usage: how many pages each class holds, as makedumpfile's table. */
#ifndef VMSIFT_CLI_MEMUSAGE_H
#define VMSIFT_CLI_MEMUSAGE_H

#include <stdint.h>

#include "vmsift/dump.h"

void memusage_print(const struct vs_dump_stats *st, uint64_t page_size);

#endif
