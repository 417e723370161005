// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * faultshim.so: injects I/O faults into vmsift through LD_PRELOAD, for
 * tests/cases/fault-*.sh.  Faults apply only to descriptors whose target
 * (readlink /proc/self/fd/N) contains a chosen substring, so the rest of
 * the process (libraries, the terminal) is untouched.  Configured by
 * environment variables:
 *
 *   FAULT_IN=SUBSTR          input files the read faults below apply to
 *   FAULT_EIO=A-B[,A-B]      read/pread of file bytes [A, B) fail with EIO; a
 *                            read that starts before A returns the bytes up to A
 *   FAULT_SHORT=N            read/pread return at most N bytes per call
 *   FAULT_EINTR=1            every other read/pread/write/pwrite fails with EINTR
 *   FAULT_MMAP_FAIL=N        mmap of the input fails with ENOMEM after N successes
 *   FAULT_DELAY_US=N         sleeps before every read/pread/mmap and write
 *   FAULT_OUT=SUBSTR         output files the write faults apply to
 *                            ("pipe:" matches a pipe on standard output)
 *   FAULT_ENOSPC_AT=N        writes fail with ENOSPC once N bytes were written
 *                            (the write that crosses N is cut short first);
 *                            a pwrite into blocks the file already has still works
 *   FAULT_WEIO_AT=N          the same with EIO (a bad region past byte N)
 *   FAULT_NO_FALLOCATE=1     fallocate on the output fails with EOPNOTSUPP (as on NFS)
 *   FAULT_LOG=FILE           appends one line per injected fault
 *
 * Numbers take 0x or K/M/G suffixes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_RANGES 16

static struct {
	bool init;
	const char *in, *out, *log;
	uint64_t eio_lo[MAX_RANGES], eio_hi[MAX_RANGES];
	int neio;
	uint64_t short_max, delay_us;
	bool eintr;
	long mmap_ok_left;          /* -1: never fail */
	uint64_t enospc_at, weio_at; /* 0: off */
	bool no_fallocate;
	uint64_t written;
	unsigned long calls;
} cfg;

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);
	switch (*end) {
	case 'k': case 'K': return v << 10;
	case 'm': case 'M': return v << 20;
	case 'g': case 'G': return v << 30;
	default: return v;
	}
}

static void resolve(void)
{
	if (real_read)
		return;
	real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	real_pread = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");
	real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	real_pwrite = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	real_mmap = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
}

/*
 * Reads the configuration once the process is up.  Sanitizer runtimes call
 * mmap before that, when the environment may not be readable yet: until
 * then every call passes through untouched.
 */
__attribute__((constructor)) static void setup_config(void)
{
	resolve();
	cfg.in = getenv("FAULT_IN");
	cfg.out = getenv("FAULT_OUT");
	cfg.log = getenv("FAULT_LOG");
	const char *e = getenv("FAULT_EIO");
	while (e && *e && cfg.neio < MAX_RANGES) {
		cfg.eio_lo[cfg.neio] = num(e);
		const char *dash = strchr(e, '-');
		cfg.eio_hi[cfg.neio++] = dash ? num(dash + 1) : UINT64_MAX;
		e = strchr(e, ',');
		e = e ? e + 1 : NULL;
	}
	cfg.short_max = getenv("FAULT_SHORT") ? num(getenv("FAULT_SHORT")) : 0;
	cfg.delay_us = getenv("FAULT_DELAY_US") ? num(getenv("FAULT_DELAY_US")) : 0;
	cfg.eintr = getenv("FAULT_EINTR") != NULL;
	cfg.mmap_ok_left = getenv("FAULT_MMAP_FAIL") ? (long)num(getenv("FAULT_MMAP_FAIL")) : -1;
	cfg.enospc_at = getenv("FAULT_ENOSPC_AT") ? num(getenv("FAULT_ENOSPC_AT")) : 0;
	cfg.weio_at = getenv("FAULT_WEIO_AT") ? num(getenv("FAULT_WEIO_AT")) : 0;
	cfg.no_fallocate = getenv("FAULT_NO_FALLOCATE") != NULL;
	cfg.init = true;
}

static void setup(void)
{
	resolve();
}

static void note(const char *fmt, ...)
{
	if (!cfg.log)
		return;
	int saved = errno;
	int fd = open(cfg.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		char line[256];
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
		va_end(ap);
		if (n > 0) {
			if ((size_t)n > sizeof(line) - 2)
				n = sizeof(line) - 2;
			line[n++] = '\n';
			(void)!real_write(fd, line, (size_t)n);
		}
		close(fd);
	}
	errno = saved;
}

static bool fd_matches(int fd, const char *substr)
{
	if (!cfg.init || !substr || fd < 0)
		return false;
	char link[64], target[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = 0;
	return strstr(target, substr) != NULL;
}

static bool take_eintr(void)
{
	return cfg.eintr && (cfg.calls++ & 1) == 0;
}

/* Read faults for [off, off+len): -1 with errno, or the length allowed. */
static ssize_t read_fault(int fd, uint64_t off, size_t *len)
{
	if (cfg.delay_us)
		usleep((useconds_t)cfg.delay_us);
	if (take_eintr()) {
		note("EINTR read fd %d", fd);
		errno = EINTR;
		return -1;
	}
	if (cfg.short_max && *len > cfg.short_max)
		*len = cfg.short_max;
	for (int i = 0; i < cfg.neio; i++) {
		if (off + *len <= cfg.eio_lo[i] || off >= cfg.eio_hi[i])
			continue;
		if (off < cfg.eio_lo[i]) {
			*len = cfg.eio_lo[i] - off;  /* the good bytes before the bad range */
			continue;
		}
		note("EIO read fd %d offset 0x%llx", fd, (unsigned long long)off);
		errno = EIO;
		return -1;
	}
	return 0;
}

ssize_t read(int fd, void *buf, size_t len)
{
	setup();
	if (fd_matches(fd, cfg.in)) {
		off_t off = lseek(fd, 0, SEEK_CUR);
		if (read_fault(fd, off < 0 ? 0 : (uint64_t)off, &len) < 0)
			return -1;
	}
	return real_read(fd, buf, len);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	setup();
	if (fd_matches(fd, cfg.in) && read_fault(fd, (uint64_t)off, &len) < 0)
		return -1;
	return real_pread(fd, buf, len, off);
}

ssize_t pread64(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	setup();
	if (fd_matches(fd, cfg.in)) {
		if (cfg.delay_us)
			usleep((useconds_t)cfg.delay_us);
		if (cfg.mmap_ok_left == 0) {
			note("ENOMEM mmap fd %d offset 0x%llx", fd, (unsigned long long)off);
			errno = ENOMEM;
			return MAP_FAILED;
		}
		if (cfg.mmap_ok_left > 0)
			cfg.mmap_ok_left--;
	}
	return real_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}

/* Write faults: -1 with errno, or 0 with *len possibly cut to the space left. */
static int write_fault(int fd, size_t *len)
{
	if (cfg.delay_us)
		usleep((useconds_t)cfg.delay_us);
	if (take_eintr()) {
		note("EINTR write fd %d", fd);
		errno = EINTR;
		return -1;
	}
	uint64_t at = cfg.enospc_at ? cfg.enospc_at : cfg.weio_at;
	if (!at)
		return 0;
	if (cfg.written >= at) {
		note("%s write fd %d after %llu bytes", cfg.enospc_at ? "ENOSPC" : "EIO", fd,
		     (unsigned long long)cfg.written);
		errno = cfg.enospc_at ? ENOSPC : EIO;
		return -1;
	}
	if (*len > at - cfg.written)
		*len = (size_t)(at - cfg.written);
	return 0;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	setup();
	if (!fd_matches(fd, cfg.out))
		return real_write(fd, buf, len);
	if (write_fault(fd, &len) < 0)
		return -1;
	ssize_t n = real_write(fd, buf, len);
	if (n > 0)
		cfg.written += (uint64_t)n;
	return n;
}

/* Writing into blocks the file already has needs no new space, as on a real full disk. */
static bool inside_file(int fd, off_t off, size_t len)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || off < 0)
		return false;
	uint64_t have = (uint64_t)st.st_blocks * 512;
	if (have < (uint64_t)st.st_size)
		have = (uint64_t)st.st_size;
	return (uint64_t)off + len <= have;
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	setup();
	if (!fd_matches(fd, cfg.out) || inside_file(fd, off, len))
		return real_pwrite(fd, buf, len, off);
	if (write_fault(fd, &len) < 0)
		return -1;
	ssize_t n = real_pwrite(fd, buf, len, off);
	if (n > 0)
		cfg.written += (uint64_t)n;
	return n;
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite(fd, buf, len, off);
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	static int (*real_fallocate)(int, int, off_t, off_t);
	if (!real_fallocate)
		real_fallocate = (int (*)(int, int, off_t, off_t))dlsym(RTLD_NEXT, "fallocate");
	if (cfg.no_fallocate && fd_matches(fd, cfg.out)) {
		note("EOPNOTSUPP fallocate fd %d", fd);
		errno = EOPNOTSUPP;
		return -1;
	}
	return real_fallocate(fd, mode, off, len);
}

int fallocate64(int fd, int mode, off_t off, off_t len)
{
	return fallocate(fd, mode, off, len);
}
