// SPDX-License-Identifier: GPL-2.0-or-later
/* -R: rebuild a seekable dump file from a flattened stream. */
#ifndef VMSIFT_REARRANGE_H
#define VMSIFT_REARRANGE_H

#include <signal.h>
#include <stdint.h>

#include "vmsift/error.h"
#include "vmsift/sink.h"

struct vs_rearrange_stats {
	uint64_t records;
	uint64_t bytes;
	/* A cut stream rebuilt into a kdump file: the pages it holds. */
	bool salvaged;
	uint64_t pages, pages_recovered;
	char salvage_error[200];      /* why no page is readable (!salvaged), or what else failed */
};

/*
 * Reads the stream from in_fd and replays its records into sink (a file sink).
 * A rebuild cut short leaves the file marked incomplete, and in a kdump file
 * the descriptors of pages whose data did not arrive are zeroed (as
 * makedumpfile leaves them when the disk fills), so readers see them as lost.
 */
struct vs_err *vs_rearrange(int in_fd, struct vs_sink *sink, struct vs_rearrange_stats *st);
/* The same, ending with VS_ERR_INTR once *stop is set (by a SIGINT/SIGTERM handler). */
struct vs_err *vs_rearrange_stoppable(int in_fd, struct vs_sink *sink, const volatile sig_atomic_t *stop,
				      struct vs_rearrange_stats *st);

#endif
