// SPDX-License-Identifier: GPL-2.0-or-later
/* --report FILE: the dump's outcome as JSON (schema: docs/report-schema.md). */
#ifndef VMSIFT_CLI_REPORT_JSON_H
#define VMSIFT_CLI_REPORT_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsift/dump.h"
#include "options.h"

#define REPORT_SCHEMA_VERSION 1

/* What the CLI learnt about one run; strings may be empty, never NULL. */
struct report_run {
	const struct cli_opts *o;
	bool opened;                 /* the vmcore could be opened: identity is known */
	char release[65], machine[65], build_id[129], input_format[16];
	int64_t crashtime;           /* 0: the dump has no CRASHTIME */
	uint64_t page_size;
	int threads;
	int dump_level;              /* the level of the last (or only) dump written */
	bool ran;                    /* a dump was started: stats are meaningful */
	const struct vs_dump_stats *st;
	uint64_t stream_bytes;       /* -F: what the stream carried, its headers included */
	uint64_t output_bytes;       /* the output files' sizes, or stream_bytes with -F */
	enum vs_code err_code;       /* 0: no error */
	const char *err_msg;
	double elapsed;              /* seconds */
	int exit_status;
};

/* Writes the report to o->report_path (atomically: a temp file renamed), or stdout for "-". */
struct vs_err *report_json_write(const struct report_run *r);

#endif
