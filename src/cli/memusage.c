// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --mem-usage: the pages of each class a dump level can leave out, and the
 * kernel data no level leaves out, so that an admin can size the dump disk
 * (and the crashkernel).  Rows, columns and totals follow makedumpfile's
 * table, which scripts parse.
 */
#include "memusage.h"

#include <stdio.h>

#include "msg.h"

static void row(FILE *f, const char *type, uint64_t pages, const char *excludable, const char *what)
{
	fprintf(f, "%-16s%-24llu%-16s%s\n", type, (unsigned long long)pages, excludable, what);
}

void memusage_print(const struct vs_dump_stats *st, uint64_t page_size)
{
	uint64_t excludable = st->excl_zero + st->excl_cache + st->excl_cache_private + st->excl_user +
			      st->excl_free;
	uint64_t kern = st->present >= excludable ? st->present - excludable : 0;
	FILE *f = stdout;
	fprintf(f, "\n%-16s%-24s%-16s%s\n", "TYPE", "PAGES", "EXCLUDABLE", "DESCRIPTION");
	fprintf(f, "----------------------------------------------------------------------\n");
	row(f, "ZERO", st->excl_zero, "yes", "Pages filled with zero (-d 1)");
	row(f, "NON_PRI_CACHE", st->excl_cache, "yes", "Page cache without private data (-d 2)");
	row(f, "PRI_CACHE", st->excl_cache_private, "yes", "Page cache with private data (-d 4)");
	row(f, "USER", st->excl_user, "yes", "Pages of user processes (-d 8)");
	row(f, "FREE", st->excl_free, "yes", "Free pages (-d 16)");
	row(f, "KERN_DATA", kern, "no", "Kernel data and all else no dump level leaves out");
	fprintf(f, "\npage size:\t\t%llu\n", (unsigned long long)page_size);
	fprintf(f, "Total pages on system:\t%llu\n", (unsigned long long)st->present);
	fprintf(f, "Total size on system:\t%llu Byte\n", (unsigned long long)(st->present * page_size));
	fflush(f);
}
