// SPDX-License-Identifier: GPL-2.0-or-later
#include "fuzzutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmsift/dmesg.h"
#include "vmsift/dump.h"

static int memfd = -1;
static char memfd_path[64];

const char *fz_file(const void *data, size_t len)
{
	if (memfd < 0) {
		memfd = memfd_create("vmsift-fuzz", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) < 0 || (len && pwrite(memfd, data, len, 0) != (ssize_t)len))
		abort();
	lseek(memfd, 0, SEEK_SET);
	return memfd_path;
}

int fz_fd(void)
{
	lseek(memfd, 0, SEEK_SET);
	return memfd;
}

/* Results that must hold whenever a dump succeeds (unreadable: a kdump input's page that does not decode). */
static void check_stats(const struct vs_dump_stats *st)
{
	if (st->written_pages != st->dumpable || st->dumpable > st->present ||
	    st->present > st->max_mapnr || st->incomplete != (st->lost || st->unreadable))
		abort();
}

void fz_run_dump(const char *path, const struct fz_dump *d)
{
	/* Either read path, never the automatic choice (the inputs are files in the page cache). */
	struct vs_session_opts so = { .vmcore_path = path, .no_mmap = d->no_mmap, .force_mmap = !d->no_mmap };
	struct vs_session *s;
	struct vs_err *err = vs_session_open(&so, &s);
	if (err) {
		vs_err_free(err);
		return;
	}
	if (d->dmesg) {
		static FILE *devnull;
		if (!devnull && !(devnull = fopen("/dev/null", "w")))
			abort();
		unsigned long records;
		vs_err_free(vs_dmesg_write(s->kernel, d->dmesg_partial, devnull, &records));
	}
	if (vs_vmcore_max_pfn(s->vc, s->kernel->page_shift) <= d->max_pfn) {
		struct vs_sink *sink;
		if ((err = vs_sink_open_null(&sink)))
			abort();
		struct vs_dump_opts o = { .dump_level = d->level, .compress = VS_COMPRESS_NONE,
					  .exclude_vmemmap = d->exclude_vmemmap, .num_threads = d->num_threads };
		struct vs_dump_stats st;
		err = d->elf_out ? vs_dump_elf(s, &o, sink, &st) : vs_dump_kdump(s, &o, sink, &st);
		if (!err && !d->elf_out)
			check_stats(&st);
		vs_err_free(err);
		vs_sink_close(sink, false);
	}
	vs_session_close(s);
}
