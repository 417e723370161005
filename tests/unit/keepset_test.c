// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources: src/engine/keepset.c src/bitmap/bitmap.c src/util/error.c
/*
 * The keep set of --keep-user-stack: duplicates are dropped; clearing a
 * range leaves exactly the kept pfns whose bit was set, counts only bits
 * that were set, counts a kept pfn only when the rule would have cleared
 * it, clips to the window (a range that runs past it, a kept pfn outside
 * it), and behaves as a plain clear without a set.
 */
#include <stdio.h>

#include "../../src/engine/keepset.h"

static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

int main(void)
{
	struct vs_keepset ks = { 0 };
	static const uint64_t add[] = { 1100, 1005, 999, 1005, 1010, 1063, 1064, 2000 };
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++)
		expect(!vs_keepset_add(&ks, add[i]), "add");
	vs_keepset_finish(&ks);
	expect(ks.n == 7 && ks.pfn[0] == 999 && ks.pfn[1] == 1005 && ks.pfn[6] == 2000,
	       "sorted, the duplicate dropped");

	struct vs_bitmap bm;
	expect(vs_bitmap_alloc(&bm, 1024) == 0, "bitmap");
	vs_bitmap_reset(&bm, 1000, 1024);  /* window [1000, 2024) */
	vs_bitmap_set_range(&bm, 1000, 2024);
	vs_bit_clear(&bm, 1010);           /* already excluded: not kept, not counted */
	uint64_t kept = 0;
	uint64_t n = vs_keepset_clear_range(&ks, &bm, 1000, 1070, &kept);
	expect(n == 70 - 4, "70 pfns less the 4 of the set (1010 among them, already clear) are counted cleared");
	expect(kept == 3, "kept counts 1005, 1063, 1064 (not 1010, which was clear, nor 999 outside)");
	expect(vs_bit_test(&bm, 1005) && vs_bit_test(&bm, 1063) && vs_bit_test(&bm, 1064), "kept bits stay set");
	expect(!vs_bit_test(&bm, 1010) && !vs_bit_test(&bm, 1000) && !vs_bit_test(&bm, 1069), "the rest is clear");
	expect(vs_bit_test(&bm, 1070), "the range's end is exclusive");

	kept = 0;
	n = vs_keepset_clear_range(&ks, &bm, 1900, 3000, &kept);
	expect(n == 123 && kept == 1, "a range past the window is clipped to its 124 pfns; 2000 inside is kept");
	expect(vs_bit_test(&bm, 2000) && !vs_bit_test(&bm, 1999) && !vs_bit_test(&bm, 2001), "2000 set, its neighbours cleared");
	n = vs_keepset_clear_range(NULL, &bm, 1100, 1101, NULL);
	expect(n == 1 && !vs_bit_test(&bm, 1100), "without a set (and a NULL counter): a plain clear");

	vs_bitmap_free(&bm);
	vs_keepset_free(&ks);
	return failed;
}
