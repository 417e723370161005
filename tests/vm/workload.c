// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest workload for the VM tests (built static, runs under busybox /init).
 *
 *   workload anon PATTERN_MIB ZERO_MIB   fill anonymous memory, then sleep
 *   workload fill FILE MIB SEED          write a file of pattern pages
 *
 * Pattern pages start with a recognisable header (magic, seed, page index)
 * so a test can find them in a dump; three in four are filled with a
 * pseudo-random stream (incompressible), the fourth with repeated text
 * (compressible), to give compressors a realistic mix.  Zero pages are
 * written explicitly: an untouched anonymous page would map the shared zero
 * page and never become a page of its own.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096u
#define MIB (1024u * 1024u)

static void fill_page(unsigned char *p, uint64_t seed, uint64_t index)
{
	static const char text[] = "vmsift test page, compressible text. ";
	uint64_t hdr[3] = { 0x4750544649534d56ull /* "VMSIFTPG" */, seed, index };

	memcpy(p, hdr, sizeof(hdr));
	if (index % 4 == 3) {
		for (size_t i = sizeof(hdr); i < PAGE; i++)
			p[i] = (unsigned char)text[i % (sizeof(text) - 1)];
		return;
	}
	uint64_t x = (seed << 32 ^ index) | 1;
	for (size_t i = sizeof(hdr); i + 8 <= PAGE; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
}

static unsigned char *map_anon(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("workload: mmap");
		exit(1);
	}
	return p;
}

static _Noreturn void cmd_anon(unsigned long pat_mib, unsigned long zero_mib)
{
	size_t pat_pages = pat_mib * (MIB / PAGE), zero_pages = zero_mib * (MIB / PAGE);
	unsigned char *pat = map_anon(pat_mib * MIB + PAGE);
	unsigned char *zero = map_anon(zero_mib * MIB + PAGE);

	for (size_t i = 0; i < pat_pages; i++)
		fill_page(pat + i * PAGE, 0xa11, i);
	/* Writing zeros faults in real, private, zero-filled pages. */
	for (size_t i = 0; i < zero_pages; i++)
		memset(zero + i * PAGE, 0, PAGE);
	printf("ANON READY pid=%ld pattern_pages=%zu zero_pages=%zu pattern_va=%p zero_va=%p\n",
	       (long)getpid(), pat_pages, zero_pages, (void *)pat, (void *)zero);
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_fill(const char *path, unsigned long mib, unsigned long seed)
{
	FILE *f = fopen(path, "wb");
	unsigned char page[PAGE];

	if (!f) {
		fprintf(stderr, "workload: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < mib * (MIB / PAGE); i++) {
		fill_page(page, seed, i);
		if (fwrite(page, PAGE, 1, f) != 1) {
			fprintf(stderr, "workload: write %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "workload: close %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "anon") == 0)
		cmd_anon(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (argc == 5 && strcmp(argv[1], "fill") == 0)
		return cmd_fill(argv[2], strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0));
	fprintf(stderr, "usage: workload anon PATTERN_MIB ZERO_MIB | fill FILE MIB SEED\n");
	return 2;
}
