// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources: src/engine/startup.c src/bitmap/bitmap.c src/util/error.c
/*
 * The startup set's exclusion: a cleared range spares the set's pfns and
 * counts the ones still marked under their reason, also when exclusions go
 * back to a lower pfn (a new pass, a carried block), and the save/restore
 * pair around the free-list walk puts back exactly what it cleared.
 * The builders' dependencies are stubbed: the set is made by hand.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/engine/startup.h"
#include "vmsift/kallsyms.h"

static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

/* Stubs for what vs_startup_build reaches (not called here). */
struct vs_err *vs_kernel_vtop_span(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	(void)k, (void)vaddr, (void)paddr, (void)span;
	abort();
}
struct vs_err *vs_vmci_symbol(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v)
{
	(void)vi, (void)name, (void)v;
	abort();
}
struct vs_err *vs_kernel_symbol(struct vs_kernel *k, const char *name, uint64_t *addr, uint64_t *gap)
{
	(void)k, (void)name, (void)addr, (void)gap;
	abort();
}
void vs_startup_objects(struct vs_session *s, const struct vs_memmap *mm, struct vs_startup *set)
{
	(void)s, (void)mm, (void)set;
}
void vs_startup_cpus(struct vs_session *s, struct vs_startup *set)
{
	(void)s, (void)set;
}
void vs_startup_image(struct vs_session *s, struct vs_startup *set)
{
	(void)s, (void)set;
}

int main(void)
{
	struct vs_keep_range r[] = { { 10, 20, VS_KEEP_IMAGE }, { 30, 31, VS_KEEP_PGTABLE }, { 100, 104, VS_KEEP_STACK } };
	struct vs_startup set = { .r = r, .n = 3, .cap = 3 };
	struct vs_bitmap bm;
	uint64_t kept[VS_KEEP_NREASONS] = { 0 };
	if (vs_bitmap_alloc(&bm, 256))
		return 1;
	vs_bitmap_reset(&bm, 0, 256);
	vs_bitmap_set_range(&bm, 0, 256);

	uint64_t n = vs_startup_clear(&set, &bm, 0, 64, kept);
	expect(n == 53 && kept[VS_KEEP_IMAGE] == 10 && kept[VS_KEEP_PGTABLE] == 1, "[0,64): 53 cleared, image 10 and a table page spared");
	expect(vs_bit_test(&bm, 10) && vs_bit_test(&bm, 19) && vs_bit_test(&bm, 30) && !vs_bit_test(&bm, 20), "the spared bits stay set");
	vs_bitmap_set_range(&bm, 40, 50);
	n = vs_startup_clear(&set, &bm, 40, 50, kept);
	expect(n == 10, "[40,50): nothing of the set, all cleared (the fast path)");
	n = vs_startup_clear(&set, &bm, 64, 128, kept);
	expect(n == 60 && kept[VS_KEEP_STACK] == 4, "[64,128): the stack's 4 pages spared");
	n = vs_startup_clear(&set, &bm, 5, 15, kept);
	expect(n == 0 && kept[VS_KEEP_IMAGE] == 15 && vs_bit_test(&bm, 12), "back to [5,15): the image pages still spared");
	n = vs_startup_clear(&set, &bm, 200, 210, kept);
	expect(n == 10, "[200,210): past the set, all cleared");

	vs_bitmap_set_range(&bm, 0, 256);
	vs_bit_clear(&bm, 11);  /* already excluded before: not put back */
	for (int i = 0; i < VS_KEEP_NREASONS; i++)
		kept[i] = 0;
	expect(vs_startup_save(&set, &bm) == NULL, "save");
	vs_bitmap_clear_range(&bm, 0, 256);
	n = vs_startup_restore(&set, &bm, kept);
	/* The walk clears free pages only, and free image pages are real (freed init): not put back. */
	expect(n == 5 && kept[VS_KEEP_IMAGE] == 0 && kept[VS_KEEP_PGTABLE] == 1 && kept[VS_KEEP_STACK] == 4,
	       "restore after a walk that cleared everything: the 5 marked set pfns outside the image");
	expect(vs_bitmap_count(&bm) == 5 && !vs_bit_test(&bm, 11) && !vs_bit_test(&bm, 12), "only they are marked again");
	/* Free pages cleared by the classifier: the image yields too. */
	vs_bitmap_set_range(&bm, 0, 256);
	for (int i = 0; i < VS_KEEP_NREASONS; i++)
		kept[i] = 0;
	set.hint = 0;
	set.yield_image = true;
	n = vs_startup_clear(&set, &bm, 0, 64, kept);
	set.yield_image = false;
	expect(n == 63 && kept[VS_KEEP_IMAGE] == 0 && kept[VS_KEEP_PGTABLE] == 1 && vs_bit_test(&bm, 30),
	       "clearing free pages: the image's pfns cleared, the table page spared");
	vs_bitmap_free(&bm);
	free(set.saved);
	return failed;
}
