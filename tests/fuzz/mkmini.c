// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkmini: writes the mini machine of minicore.h as an ELF vmcore file, with
 * chosen damage, for the fault tests (tests/cases/fault-*.sh) and for
 * turning a fuzz input into a file that vmsift itself can be run on.
 *
 * usage: mkmini [-v VARIANT] [--poke PADDR=VALUE]... [--set KEY=VALUE]...
 *               [--del KEY]... [--vmcoreinfo FILE] [--patches FUZZINPUT] OUT
 *   --poke      writes a 64-bit little-endian value at a physical address
 *   --set/--del edits the VMCOREINFO text; --vmcoreinfo replaces it
 *   --patches   applies a fuzz_walk input (variant byte + patch records)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minicore.h"

static void die(const char *what)
{
	fprintf(stderr, "mkmini: %s\n", what);
	exit(2);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die(strerror(errno));
	uint8_t *buf = malloc(1 << 20);
	if (!buf)
		die("out of memory");
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void split_kv(char *arg, struct mini_edit *e)
{
	char *eq = strchr(arg, '=');
	if (!eq)
		die("expected KEY=VALUE");
	*eq = 0;
	e->key = arg;
	e->value = eq + 1;
}

int main(int argc, char **argv)
{
	static uint8_t ram[MINI_RAM_BYTES];
	static struct mini_edit edits[64];
	struct mini_opts o = { .edits = edits };
	const char *out = NULL, *patch_file = NULL;
	struct { uint64_t pa, v; } pokes[64];
	size_t npokes = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-v") && v) {
			o.variant = (unsigned)strtoul(v, NULL, 0);
		} else if (!strcmp(a, "--poke") && v && npokes < 64) {
			char *eq = strchr(v, '=');
			if (!eq)
				die("--poke PADDR=VALUE");
			pokes[npokes].pa = strtoull(v, NULL, 0);
			pokes[npokes++].v = strtoull(eq + 1, NULL, 0);
			if (pokes[npokes - 1].pa + 8 > MINI_RAM_BYTES)
				die("--poke: address outside the mini machine's RAM");
		} else if (!strcmp(a, "--set") && v && o.nedits < 64) {
			split_kv(v, &edits[o.nedits++]);
		} else if (!strcmp(a, "--del") && v && o.nedits < 64) {
			edits[o.nedits++] = (struct mini_edit){ v, NULL };
		} else if (!strcmp(a, "--vmcoreinfo") && v) {
			o.vmcoreinfo = (const char *)slurp(v, &o.vmcoreinfo_len);
		} else if (!strcmp(a, "--patches") && v) {
			patch_file = v;
		} else if (a[0] != '-' && !out) {
			out = a;
			continue;
		} else {
			die("bad arguments (see the comment at the top of tests/fuzz/mkmini.c)");
		}
		i++;
	}
	if (!out)
		die("no output file");
	if (patch_file) {
		size_t n;
		uint8_t *p = slurp(patch_file, &n);
		if (n)
			o.variant = p[0];
		mini_memory(o.variant, ram);
		if (n)
			mini_apply_patches(ram, p + 1, n - 1);
		free(p);
	} else {
		mini_memory(o.variant, ram);
	}
	for (size_t i = 0; i < npokes; i++)
		mini_poke64(ram, pokes[i].pa, pokes[i].v);
	size_t len;
	uint8_t *f = mini_elf(&o, ram, &len);
	FILE *fo = f ? fopen(out, "wb") : NULL;
	if (!fo || fwrite(f, 1, len, fo) != len || fclose(fo) != 0)
		die("cannot write the output");
	free(f);
	return 0;
}
