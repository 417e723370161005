// SPDX-License-Identifier: GPL-2.0-or-later
/* --reassemble: join --split pieces into one dump. */
#ifndef VMSIFT_REASSEMBLE_H
#define VMSIFT_REASSEMBLE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/sink.h"

struct vs_reassemble_stats {
	uint64_t pages;
	bool incomplete;
};

struct vs_err *vs_reassemble(const char *const *paths, int n, struct vs_sink *sink,
			     struct vs_reassemble_stats *st);

#endif
