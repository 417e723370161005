// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runstat STATFILE CMD [ARG...]: run CMD, then write how it ended and what it
 * cost to STATFILE as key=value lines (exit, signal, wall_s, user_s, sys_s,
 * maxrss_kb).  Used in the capture kernel, where there is no GNU time; the
 * peak RSS comes from wait4()'s rusage, i.e. the child's VmHWM at exit.
 * Exits with CMD's status (128+signal if it was killed).
 */
#define _GNU_SOURCE /* wait4 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: runstat STATFILE CMD [ARG...]\n");
		return 2;
	}
	double t0 = now();
	pid_t pid = fork();

	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runstat: exec %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int st;
	struct rusage ru;

	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("runstat: wait4");
		return 2;
	}
	double wall = now() - t0;
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	FILE *f = fopen(argv[1], "w");

	if (!f) {
		perror("runstat: open statfile");
		return 2;
	}
	fprintf(f, "exit=%d\nsignal=%d\nwall_s=%.3f\nuser_s=%.3f\nsys_s=%.3f\nmaxrss_kb=%ld\n", code,
		WIFSIGNALED(st) ? WTERMSIG(st) : 0, wall, tv(ru.ru_utime), tv(ru.ru_stime), ru.ru_maxrss);
	fclose(f);
	return code;
}
