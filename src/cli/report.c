// SPDX-License-Identifier: GPL-2.0-or-later
#include "report.h"

#include <stdio.h>

#include "msg.h"

void report_print(const struct vs_dump_stats *st)
{
	if (!msg_enabled(ML_REPORT))
		return;
	uint64_t excluded = st->excl_zero + st->excl_cache + st->excl_cache_private + st->excl_user +
			    st->excl_free + st->excl_hwpoison + st->excl_offline + st->excl_vmemmap;
	uint64_t remaining = st->present - excluded;
	FILE *f = msg_out();
	fputc('\n', f);
	fprintf(f, "Original pages  : 0x%016llx\n", (unsigned long long)st->present);
	fprintf(f, "  Excluded pages   : 0x%016llx\n", (unsigned long long)excluded);
	fprintf(f, "    Pages filled with zero  : 0x%016llx\n", (unsigned long long)st->excl_zero);
	fprintf(f, "    Non-private cache pages : 0x%016llx\n", (unsigned long long)st->excl_cache);
	fprintf(f, "    Private cache pages     : 0x%016llx\n", (unsigned long long)st->excl_cache_private);
	fprintf(f, "    User process data pages : 0x%016llx\n", (unsigned long long)st->excl_user);
	fprintf(f, "    Free pages              : 0x%016llx\n", (unsigned long long)st->excl_free);
	fprintf(f, "    Hwpoison pages          : 0x%016llx\n", (unsigned long long)st->excl_hwpoison);
	fprintf(f, "    Offline pages           : 0x%016llx\n", (unsigned long long)st->excl_offline);
	if (st->excl_vmemmap)
		fprintf(f, "    Unused vmemmap pages    : 0x%016llx\n", (unsigned long long)st->excl_vmemmap);
	fprintf(f, "  Remaining pages  : 0x%016llx\n", (unsigned long long)remaining);
	if (st->present)
		fprintf(f, "  (The number of pages is reduced to %lld%%.)\n",
			(long long)(remaining * 100 / st->present));
	fprintf(f, "Memory Hole     : 0x%016llx\n", (unsigned long long)(st->max_mapnr - st->present));
	fprintf(f, "--------------------------------------------------\n");
	fprintf(f, "Total pages     : 0x%016llx\n", (unsigned long long)st->max_mapnr);
	fprintf(f, "Write bytes     : %llu\n", (unsigned long long)st->write_bytes);
	fprintf(f, "\n");
	fprintf(f, "Input reads: mmap windows %llu, munmap %llu, pread %llu%s\n",
		(unsigned long long)st->io.mmaps, (unsigned long long)st->io.munmaps,
		(unsigned long long)st->io.preads, st->mmap_fell_back ? " (mmap failed; read() used)" : "");
	fflush(f);
}
