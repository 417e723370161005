// SPDX-License-Identifier: GPL-2.0-or-later
#include "iomem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

/* One "  start-end : Crash kernel" line (addresses in hex, end inclusive). */
static int crash_line(const char *line, struct vs_phys_range *r)
{
	uint64_t a, b;
	int name = 0;
	if (sscanf(line, " %" SCNx64 "-%" SCNx64 " : %n", &a, &b, &name) != 2 || !name)
		return 0;
	if (strcmp(line + name, "Crash kernel\n") != 0 || b < a || b == UINT64_MAX)
		return 0;
	r->start = a;
	r->end = b + 1;
	return 1;
}

size_t iomem_crash_ranges(const char *vmcore, struct vs_phys_range *out)
{
	const char *path = getenv("VMSIFT_IOMEM");
	if (!path) {
		char *real = realpath(vmcore, NULL);
		int live = real && strcmp(real, "/proc/kcore") == 0;
		free(real);
		if (!live)
			return 0;
		path = "/proc/iomem";
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		msg_warn("cannot read %s: the crash kernel's reservation is counted as memory a dump holds", path);
		return 0;
	}
	char line[256];
	size_t n = 0;
	for (unsigned lines = 0; n < IOMEM_MAX_CRASH && lines < 100000 && fgets(line, sizeof(line), f); lines++)
		n += crash_line(line, &out[n]);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		msg_debug("%s: leaving out the crash kernel's reservation 0x%" PRIx64 "-0x%" PRIx64
			  " (no /proc/vmcore holds it)", path, out[i].start, out[i].end - 1);
	return n;
}
