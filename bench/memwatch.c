// SPDX-License-Identifier: GPL-2.0-or-later
// memwatch: run one command and report what it cost.
//
//   memwatch [-i MS] -o FILE -- CMD [ARG...]
//
// Writes key=value lines to FILE: exit status, wall time (clock_gettime
// around fork/wait), user and sys CPU and peak RSS (wait4's rusage: the
// same numbers /usr/bin/time -v prints, at microsecond resolution), the
// peak RssAnon / RssFile / VmHWM seen by sampling /proc/PID/status every
// MS milliseconds (default 5), and how busy the rest of the machine was
// meanwhile (from /proc/stat), so contended runs can be recognised.
// RssAnon is the anonymous memory (heap, stacks, anonymous mmaps); pages
// of a mapped vmcore are RssFile and do not count.  Sampling can miss a
// peak shorter than MS; bench/massif.sh cross-checks the heap.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* wait4, when built without -D_GNU_SOURCE (tests/vm/setup.sh) */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct peaks {
	long anon_kb, file_kb, hwm_kb;
	long samples;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

// Busy and total jiffies of all CPUs together, from the first /proc/stat line.
static void cpu_jiffies(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	*busy = *total = 0;
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		   &v[8], &v[9]) >= 8) {
		// guest time is already in user; idle and iowait are not busy.
		for (int i = 0; i < 8; i++)
			*total += v[i];
		*busy = *total - v[3] - v[4];
	}
	fclose(f);
}

static long field_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

// One look at the child; a vanished child (it just exited) is not an error.
static void sample(pid_t pid, struct peaks *pk)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	long a = field_kb(buf, "RssAnon:"), f = field_kb(buf, "RssFile:");
	long h = field_kb(buf, "VmHWM:");
	if (a < 0) // a zombie has no memory lines
		return;
	if (a > pk->anon_kb)
		pk->anon_kb = a;
	if (f > pk->file_kb)
		pk->file_kb = f;
	if (h > pk->hwm_kb)
		pk->hwm_kb = h;
	pk->samples++;
}

static void usage(void)
{
	fputs("usage: memwatch [-i MS] -o FILE -- CMD [ARG...]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	long ms = 5;
	int c;

	while ((c = getopt(argc, argv, "+i:o:")) != -1) {
		if (c == 'i')
			ms = atol(optarg);
		else if (c == 'o')
			out = optarg;
		else
			usage();
	}
	if (!out || optind >= argc || ms < 1)
		usage();

	struct peaks pk = { 0, 0, 0, 0 };
	unsigned long long b0, t0, b1, t1;
	struct rusage ru, self;
	int status = 0;
	pid_t pid, w;

	cpu_jiffies(&b0, &t0);
	double start = now();
	pid = fork();
	if (pid < 0) {
		perror("memwatch: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "memwatch: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	struct timespec nap = { ms / 1000, (ms % 1000) * 1000000L };
	for (;;) {
		sample(pid, &pk);
		w = wait4(pid, &status, WNOHANG, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			perror("memwatch: wait4");
			return 127;
		}
		nanosleep(&nap, NULL);
	}
	double wall = now() - start;
	cpu_jiffies(&b1, &t1);
	getrusage(RUSAGE_SELF, &self);

	long hz = sysconf(_SC_CLK_TCK);
	double busy = (double)(b1 - b0) / (double)hz;
	double cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
	double mine = tv(self.ru_utime) + tv(self.ru_stime);
	double other = busy - cpu - mine;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	FILE *f = fopen(out, "w");
	if (!f) {
		perror(out);
		return 127;
	}
	fprintf(f, "exit=%d\nsignal=%d\nwall_s=%.6f\nuser_s=%.6f\nsys_s=%.6f\n"
		"maxrss_kb=%ld\nrss_anon_peak_kb=%ld\nrss_file_peak_kb=%ld\n"
		"vmhwm_kb=%ld\nsamples=%ld\ninterval_ms=%ld\nwatch_cpu_s=%.6f\n"
		"other_busy_s=%.3f\nother_load=%.2f\n",
		code, WIFSIGNALED(status) ? WTERMSIG(status) : 0, wall,
		tv(ru.ru_utime), tv(ru.ru_stime), ru.ru_maxrss, pk.anon_kb,
		pk.file_kb, pk.hwm_kb, pk.samples, ms, mine,
		other < 0 ? 0 : other, wall > 0 && other > 0 ? other / wall : 0);
	fclose(f);
	return code;
}
