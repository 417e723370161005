// SPDX-License-Identifier: GPL-2.0-or-later
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const labels[] = {
	[VS_PHASE_HOLES] = "Checking for memory holes",
	[VS_PHASE_EXCLUDE] = "Excluding unnecessary pages",
	[VS_PHASE_COPY] = "Copying data",
};

/* Serial and virtual consoles redraw badly or not at all; so do dumb terminals. */
static bool want_line_mode(void)
{
	const char *force = getenv("VMSIFT_PROGRESS");
	if (force)
		return strcmp(force, "line") == 0;
	if (!isatty(STDERR_FILENO))
		return true;
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return true;
	const char *tty = ttyname(STDERR_FILENO);
	return tty && (strcmp(tty, "/dev/console") == 0 || strncmp(tty, "/dev/ttyS", 9) == 0 ||
		       strncmp(tty, "/dev/ttyAMA", 11) == 0 || strncmp(tty, "/dev/hvc", 8) == 0);
}

void progress_init(struct progress *p, bool enabled)
{
	memset(p, 0, sizeof(*p));
	p->enabled = enabled;
	p->line_mode = want_line_mode();
	p->phase = -1;
}

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void format_eta(double secs, char *buf, size_t len)
{
	long s = (long)secs;
	if (s >= 100L * 86400)
		snprintf(buf, len, "eta: >100day");
	else if (s >= 86400)
		snprintf(buf, len, "eta: %ldd%ldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "eta: %ldh%ldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "eta: %ldm%lds", s / 60, s % 60);
	else
		snprintf(buf, len, "eta: %lds", s);
}

void progress_end(struct progress *p)
{
	if (p->open_line) {
		fputc('\n', stderr);
		p->open_line = false;
	}
}

void progress_cb(void *arg, enum vs_phase phase, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	if (!p->enabled || !total)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((int)phase != p->phase) {
		progress_end(p);
		p->phase = (int)phase;
		p->phase_start = now;
		p->last = (struct timespec){ 0 };
		p->last_step = -1;
	}
	if (done > total)
		done = total;
	bool finished = done >= total;
	unsigned permille = (unsigned)(done * 1000 / total);
	if (p->line_mode) {
		int step = (int)(permille / 100);
		if (step == p->last_step)
			return;
		p->last_step = step;
	} else if (!finished && p->last.tv_sec && elapsed(&p->last, &now) < 1.0) {
		return;
	}
	p->last = now;
	char eta[32] = "";
	double t = elapsed(&p->phase_start, &now);
	if (phase == VS_PHASE_COPY && done && !finished)
		format_eta(t * (double)(total - done) / (double)done, eta, sizeof(eta));
	static const char spin[] = "/|\\-";
	fprintf(stderr, "%s%-50s: [%3u.%u %%] %c %16s%s", p->line_mode ? "" : "\r", labels[phase],
		permille / 10, permille % 10, spin[(unsigned)t & 3], eta, p->line_mode ? "\n" : "");
	p->open_line = !p->line_mode;
	if (finished)
		progress_end(p);
	fflush(stderr);
}
