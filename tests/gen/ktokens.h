// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The token scheme of the kallsyms tables the tests build (the generator's
 * --kallsyms and the reader's unit test): a name is its type letter and its
 * characters as token numbers, where printable characters stand for
 * themselves and the caller's multi-character tokens take the numbers 0x80
 * on, matched longest first.
 */
#ifndef VMSIFT_TESTS_KTOKENS_H
#define VMSIFT_TESTS_KTOKENS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Token i's text into out (16 bytes). */
static inline void ktok_text(const char *const *multi, size_t nmulti, int i, char *out)
{
	if (i >= 0x80 && i < 0x80 + (int)nmulti)
		strcpy(out, multi[i - 0x80]);
	else if (i >= 0x20 && i < 0x7f)
		out[0] = (char)i, out[1] = 0;
	else
		strcpy(out, "?");                /* never used by a name */
}

/* Token numbers for type + name, greedily longest-first; returns the count. */
static inline size_t ktok_encode(const char *const *multi, size_t nmulti, char type, const char *name,
				 uint8_t *out)
{
	char full[512];
	size_t n = 0;

	snprintf(full, sizeof(full), "%c%s", type, name);
	for (const char *p = full; *p;) {
		int tok = (unsigned char)*p;
		size_t best = 1;

		for (size_t i = 0; i < nmulti; i++) {
			size_t l = strlen(multi[i]);

			if (l > best && !strncmp(p, multi[i], l))
				tok = 0x80 + (int)i, best = l;
		}
		out[n++] = (uint8_t)tok;
		p += best;
	}
	return n;
}

#endif
