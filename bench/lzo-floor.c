// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compression floor of an -l dump: how long liblzo2 alone takes to
 * compress the pages a dump keeps, on one core, with nothing else (no
 * reading, no scan, no writing).  Input: an uncompressed ELF dump of the
 * kept pages (vmsift -E -d 31 VMCORE OUT.elf); every non-zero 4 KiB block
 * of the file is compressed, as the kdump writer does with each kept page.
 *
 *   cc -O2 -o lzo-floor bench/lzo-floor.c -llzo2
 *   ./lzo-floor OUT.elf
 *
 * Prints, per LZO1X-1 variant (makedumpfile uses LZO1X-1, vmsift
 * LZO1X-1(11)), the best of three passes.  Divided by the number of cores,
 * it bounds the wall time of any tool that writes the same LZO stream.
 */
#define _POSIX_C_SOURCE 200809L
#include <lzo/lzo1x.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 4096

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int is_zero(const unsigned char *p)
{
	for (int i = 0; i < PAGE; i++)
		if (p[i])
			return 0;
	return 1;
}

static unsigned char *load(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (*len = ftell(f)) < PAGE) {
		perror(path);
		exit(1);
	}
	rewind(f);
	unsigned char *b = malloc((size_t)*len);
	if (!b || fread(b, 1, (size_t)*len, f) != (size_t)*len) {
		perror(path);
		exit(1);
	}
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DUMP.elf\n", argv[0]);
		return 2;
	}
	long len;
	unsigned char *b = load(argv[1], &len);
	static unsigned char wrk[LZO1X_1_MEM_COMPRESS];
	unsigned char out[PAGE + PAGE / 16 + 64 + 3];
	if (lzo_init() != LZO_E_OK)
		return 1;
	const char *names[] = { "LZO1X-1", "LZO1X-1(11)" };
	for (int v = 0; v < 2; v++) {
		double best = 1e9;
		unsigned long pages = 0, bytes = 0;
		for (int pass = 0; pass < 3; pass++) {
			double t = now();
			pages = bytes = 0;
			for (long off = 0; off + PAGE <= len; off += PAGE) {
				if (is_zero(b + off))
					continue;
				lzo_uint n = 0;
				if (v == 0)
					lzo1x_1_compress(b + off, PAGE, out, &n, wrk);
				else
					lzo1x_1_11_compress(b + off, PAGE, out, &n, wrk);
				pages++;
				bytes += n < PAGE ? n : PAGE;
			}
			t = now() - t;
			if (t < best)
				best = t;
		}
		printf("%-12s %lu pages -> %.1f MiB in %.1f ms (%.2f us/page)\n", names[v], pages,
		       (double)bytes / (1 << 20), best * 1e3, pages ? best * 1e6 / (double)pages : 0);
	}
	free(b);
	return 0;
}
