// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources: arch/arm64_geom.c
/*
 * arm64 page-table geometry and descriptor decoding without a dump: level
 * counts and top-table sizes for every granule and VA size, the VA size a
 * 52-bit build falls back to, the three descriptor formats, block limits,
 * and the combinations no arm64 kernel has.  Prints TAP-like "ok -" lines.
 */
#include <stdio.h>
#include <string.h>

#include "arm64.h"

static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

struct layout {
	unsigned ps, va, actual, levels, walk, top_entries, max_block;
	enum arm64_fmt fmt;
};

/* The kernel's Kconfig table (granule x VA -> levels), and the runtime fallbacks. */
static const struct layout layouts[] = {
	{ 12, 39, 39, 3, 39, 512, 30, ARM64_FMT_PLAIN },
	{ 12, 48, 48, 4, 48, 512, 30, ARM64_FMT_PLAIN },
	{ 12, 52, 52, 5, 52, 16, 39, ARM64_FMT_LPA2 },
	{ 12, 52, 48, 4, 48, 512, 30, ARM64_FMT_PLAIN },
	{ 14, 36, 36, 2, 36, 2048, 25, ARM64_FMT_PLAIN },
	{ 14, 47, 47, 3, 47, 2048, 25, ARM64_FMT_PLAIN },
	{ 14, 48, 48, 4, 48, 2, 25, ARM64_FMT_PLAIN },
	{ 14, 52, 52, 4, 52, 32, 36, ARM64_FMT_LPA2 },
	{ 14, 52, 47, 3, 47, 2048, 25, ARM64_FMT_PLAIN },
	{ 16, 42, 42, 2, 42, 8192, 29, ARM64_FMT_LPA },
	{ 16, 48, 48, 3, 48, 64, 29, ARM64_FMT_LPA },
	{ 16, 52, 52, 3, 52, 1024, 42, ARM64_FMT_LPA },
	{ 16, 52, 48, 3, 52, 1024, 42, ARM64_FMT_LPA },  /* LVA fallback: tables stay 52-bit */
};

static void check_layout(const struct layout *l)
{
	struct arm64_geom g;
	char why[160], name[160];
	const char *err = vs_arm64_geom_init(&g, l->ps, l->va, l->actual, why, sizeof(why));
	snprintf(name, sizeof(name), "%uK VA_BITS=%u running %u-bit", 1u << (l->ps - 10), l->va, l->actual);
	if (err) {
		printf("not ok - %s: refused (%s)\n", name, err);
		failed = 1;
		return;
	}
	uint64_t top = vs_arm64_index(&g, 0, ~0ull) + 1;
	char what[300];
	snprintf(what, sizeof(what), "%s: %u levels (got %u), walk %u bits (got %u), %u top entries (got %llu), blocks up to 2^%u (got %u), format %d (got %d)",
		 name, l->levels, g.levels, l->walk, g.walk_bits, l->top_entries, (unsigned long long)top, l->max_block,
		 g.max_block_shift, l->fmt, g.fmt);
	expect(g.levels == l->levels && g.walk_bits == l->walk && top == l->top_entries &&
	       g.max_block_shift == l->max_block && g.fmt == l->fmt && vs_arm64_level_shift(&g, g.levels - 1) == l->ps,
	       what);
}

static void check_refused(unsigned ps, unsigned va, unsigned actual, const char *needle)
{
	struct arm64_geom g;
	char why[160], what[300];
	const char *err = vs_arm64_geom_init(&g, ps, va, actual, why, sizeof(why));
	snprintf(what, sizeof(what), "page_shift %u, VA_BITS %u, running %u-bit is refused naming '%s' (%s)", ps, va,
		 actual, needle, err ? err : "accepted");
	expect(err && strstr(err, needle), what);
}

static void check_decode(unsigned ps, unsigned va, uint64_t desc, uint64_t want, const char *what)
{
	struct arm64_geom g;
	char why[160], line[300];
	vs_arm64_geom_init(&g, ps, va, va, why, sizeof(why));
	uint64_t got = vs_arm64_desc_addr(&g, desc);
	snprintf(line, sizeof(line), "%s: 0x%016llx -> 0x%llx (got 0x%llx)", what, (unsigned long long)desc,
		 (unsigned long long)want, (unsigned long long)got);
	expect(got == want, line);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		check_layout(&layouts[i]);
	check_refused(12, 47, 47, "VA_BITS=47");
	check_refused(14, 39, 39, "VA_BITS=39");
	check_refused(16, 39, 39, "VA_BITS=39");
	check_refused(13, 48, 48, "granule");
	check_refused(12, 48, 52, "52-bit VA at run time");
	check_refused(12, 52, 47, "47-bit VA at run time");
	check_refused(14, 52, 48, "48-bit VA at run time");

	/* Attribute bits (AF, SH, AP, DBM, contiguous, PXN, UXN) never leak into the address. */
	uint64_t attrs = 1ull << 10 | 1ull << 7 | 1ull << 51 | 1ull << 52 | 1ull << 53 | 1ull << 54 | 3;
	check_decode(12, 48, 0x0000000041234000ull | 3ull << 8 | attrs, 0x41234000ull, "4K plain, SH bits 9:8 ignored");
	check_decode(12, 48, 0x0000ffffffff0000ull | 3ull << 48 | attrs, 0x0000ffffffff0000ull, "4K plain, bits 49:48 ignored");
	check_decode(12, 52, 0x0001123456780000ull | 2ull << 8 | attrs, 0x0009123456780000ull, "4K LPA2: PA[51:50] from bits 9:8, PA[49:48] in place");
	/* Bits 15:12 are address bits here: the 64K LPA rule must not be applied (makedumpfile's LPA2 bug). */
	check_decode(12, 52, 0x000000004000f000ull | attrs, 0x000000004000f000ull, "4K LPA2: bits 15:12 are PA[15:12]");
	check_decode(14, 52, 0x0002000000008000ull | 1ull << 8 | attrs, 0x0006000000008000ull, "16K LPA2");
	check_decode(16, 52, 0x0000abcd00010000ull | 0xaull << 12 | attrs, 0x000aabcd00010000ull, "64K LPA: PA[51:48] from bits 15:12");
	check_decode(16, 48, 0x0000000040010000ull | attrs, 0x40010000ull, "64K, 48-bit PA");
	return failed;
}
