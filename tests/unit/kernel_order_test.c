// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources:
/*
 * The loads of vmsift/kernel.h read the dead kernel's values in its byte
 * order and long size, on any host: both byte orders, 4- and 8-byte longs,
 * sign extension of a 32-bit long, and unsigned long bitmaps (nodemask_t)
 * whose bit n sits in a different byte on a big-endian kernel.
 */
#include <stdio.h>

#include "vmsift/kernel.h"

static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

static const uint8_t bytes[8] = { 0x01, 0x02, 0x03, 0x04, 0x85, 0x86, 0x87, 0x88 };

static void loads(bool be, unsigned long_size)
{
	struct vs_kernel k = { .big_endian = be, .long_size = long_size };
	char what[160];
	bool ok = be ? vs_kernel_ld16(&k, bytes) == 0x0102 && vs_kernel_ld32(&k, bytes) == 0x01020304 &&
			       vs_kernel_ld64(&k, bytes) == 0x0102030485868788ull
		     : vs_kernel_ld16(&k, bytes) == 0x0201 && vs_kernel_ld32(&k, bytes) == 0x04030201 &&
			       vs_kernel_ld64(&k, bytes) == 0x8887868504030201ull;
	snprintf(what, sizeof(what), "%s kernel: 16/32/64-bit loads", be ? "big-endian" : "little-endian");
	expect(ok, what);
	uint64_t want_long = long_size == 8 ? (be ? 0x0102030485868788ull : 0x8887868504030201ull)
					    : (be ? 0x01020304u : 0x04030201u);
	snprintf(what, sizeof(what), "%s %u-byte long: 0x%llx", be ? "big-endian" : "little-endian", long_size,
		 (unsigned long long)vs_kernel_ld_long(&k, bytes));
	expect(vs_kernel_ld_long(&k, bytes) == want_long, what);
	/* A 32-bit long is sign-extended: bytes + 4 has its top bit set in either byte order. */
	const uint8_t *at = long_size == 4 ? bytes + 4 : bytes;
	int64_t s = vs_kernel_ld_slong(&k, at);
	snprintf(what, sizeof(what), "%s %u-byte signed long is %lld", be ? "big-endian" : "little-endian",
		 long_size, (long long)s);
	int64_t want = long_size == 4 ? (be ? (int32_t)0x85868788u : (int32_t)0x88878685u)
				      : (be ? 0x0102030485868788ll : (int64_t)0x8887868504030201ull);
	expect(s == want, what);
}

/* Bit n of an unsigned long array, as the kernel's test_bit() sees it. */
static void bitmap(bool be, unsigned long_size)
{
	struct vs_kernel k = { .big_endian = be, .long_size = long_size };
	uint8_t map[16] = { 0 };
	unsigned n = long_size * 8 + 3;  /* word 1, bit 3 */
	map[long_size + (be ? long_size - 1 : 0)] = 1 << 3;
	char what[160];
	bool only = true;
	for (unsigned i = 0; i < 128; i++)
		only &= vs_kernel_test_bit(&k, map, i) == (i == n);
	snprintf(what, sizeof(what), "%s %u-byte long bitmap: only bit %u is set", be ? "big-endian" : "little-endian",
		 long_size, n);
	expect(only, what);
}

int main(void)
{
	for (int be = 0; be < 2; be++) {
		for (unsigned l = 4; l <= 8; l += 4) {
			loads(be, l);
			bitmap(be, l);
		}
	}
	return failed;
}
