// SPDX-License-Identifier: GPL-2.0-or-later
// Small helpers: deterministic hashing/RNG, allocation, size parsing.
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

int g_big_endian;

void st16(void *p, uint16_t v)
{
	v = g_big_endian ? __builtin_bswap16(v) : v;
	memcpy(p, &v, 2);
}

void st32(void *p, uint32_t v)
{
	v = g_big_endian ? __builtin_bswap32(v) : v;
	memcpy(p, &v, 4);
}

void st64(void *p, uint64_t v)
{
	v = g_big_endian ? __builtin_bswap64(v) : v;
	memcpy(p, &v, 8);
}

uint16_t ld16t(const void *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return g_big_endian ? __builtin_bswap16(v) : v;
}

uint64_t ld64t(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return g_big_endian ? __builtin_bswap64(v) : v;
}

/* splitmix64 finaliser: a good 64-bit mixer, so that every derived value
 * is a pure function of (seed, inputs) and output is reproducible. */
uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t hash3(uint64_t seed, uint64_t a, uint64_t b)
{
	return mix64(seed ^ mix64(a ^ mix64(b + 0x51ed27ULL)));
}

uint64_t rng_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

double rng_unit(uint64_t *state)
{
	return (double)(rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mkvmcore: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		die("allocation overflow");
	p = realloc(p, (n * sz) != 0 ? n * sz : 1);
	if (!p)
		die("out of memory");
	return p;
}

int ctz64(uint64_t x)
{
	return x ? __builtin_ctzll(x) : 64;
}

uint64_t round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

uint64_t round_down(uint64_t x, uint64_t a)
{
	return x / a * a;
}

/* "16M", "1T", "4096", "0x1000", "2G" -> bytes.  Returns 0 on success. */
int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end || (shift && v > (~0ULL >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}
