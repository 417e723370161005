// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The common body of the page-table walk harnesses (fuzz_walk_ARCH.c): a
 * few small tests/gen/mkvmcore cores, each kept in a memfd; an input picks
 * one, edits its VMCOREINFO, patches 8-byte words of its tables, the dump
 * runs, and the patches are undone.  Each harness supplies only its cores'
 * names, its VMCOREINFO keys, how to find the tables and how one patch is
 * turned into bytes.
 *
 * Input: byte 0: bits 0-2 the core (mod their count), bits 3-4 the level
 * (-d 31, 1, 10, 31 with -e), bit 5 --non-mmap, bit 6 -E; byte 1:
 * VMCOREINFO edit count (mod 5); then 9-byte edits (key byte: bits 0-6 the
 * key of keys[] mod its size, bit 7 deletes it; little-endian u64 value);
 * then 11-byte patches, each handed to the harness's patch().
 */
#ifndef VMSIFT_WALKCORE_H
#define VMSIFT_WALKCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How an edited key's value is written: decimal, 0x-prefixed hex, bare hex. */
enum wc_style { WC_DEC, WC_HEX0X, WC_HEX };

struct wc_key {
	const char *name;
	enum wc_style style;
};

/* One base core; each harness's own core type starts with this. */
struct wc_core {
	int fd;
	char path[64];
	uint8_t *file;            /* the base core, read-only copy */
	size_t len;
	bool big_endian;          /* the core's headers and notes */
	size_t note_phdr;         /* file offset of the PT_NOTE program header */
	size_t note_off, note_len;
	size_t vmci_desc, vmci_len;  /* the VMCOREINFO text inside the notes */
};

struct wc_harness {
	const char *arch;         /* names build/fuzz/ARCH, FUZZ_ARCH_CORES, messages */
	const char *const *layouts;  /* ARCH/LAYOUT.core */
	size_t ncores;
	void *cores;              /* ncores harness core types of core_size bytes */
	size_t core_size;
	bool big_endian;
	const struct wc_key *keys;
	size_t nkeys;
	/* Finds the tables a patch may hit (aborts when the base core is not as expected). */
	void (*find_tables)(struct wc_core *c);
	/* One 11-byte patch: fills the 8 new bytes and returns their file offset. */
	size_t (*patch)(const struct wc_core *c, const uint8_t p[11], uint8_t raw[8]);
};

/* Numbers in the core's byte order (n bytes) and the input's (little-endian). */
uint64_t wc_ld(const struct wc_core *c, const uint8_t *p, int n);
uint64_t wc_ld_le(const uint8_t *p, int n);
void wc_st64_le(uint8_t *p, uint64_t v);
void wc_st64_be(uint8_t *p, uint64_t v);

/* A VMCOREINFO value of the base core; wc_vmci_value aborts when it is missing. */
bool wc_vmci_find(const struct wc_core *c, const char *key, int base, uint64_t *v);
uint64_t wc_vmci_value(const struct wc_core *c, const char *key, int base);

/* File offset of physical address pa (RAM PT_LOADs), or 0. */
size_t wc_file_off(const struct wc_core *c, uint64_t pa);

/*
 * Loads the base cores (LLVMFuzzerInitialize calls it: reading them can take
 * longer than libFuzzer's per-input timeout on a busy machine).
 */
void wc_load_cores(const struct wc_harness *h);
/* LLVMFuzzerTestOneInput's body (loads the cores if that has not happened). */
int wc_one_input(const struct wc_harness *h, const uint8_t *data, size_t size);

/*
 * Defines the harness (from the file's layouts[], cores[] and keys[]) and
 * libFuzzer's entry points for it.
 */
#define WC_HARNESS(arch_name, is_big_endian, find, patch_fn)                                         \
	static const struct wc_harness harness = {                                                   \
		.arch = (arch_name), .layouts = layouts, .ncores = sizeof(cores) / sizeof(cores[0]), \
		.cores = cores, .core_size = sizeof(cores[0]), .big_endian = (is_big_endian),        \
		.keys = keys, .nkeys = sizeof(keys) / sizeof(keys[0]),                               \
		.find_tables = (find), .patch = (patch_fn),                                          \
	};                                                                                           \
	int LLVMFuzzerInitialize(int *argc, char ***argv);                                           \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                                \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                                            \
	{                                                                                            \
		(void)argc;                                                                          \
		(void)argv;                                                                          \
		wc_load_cores(&harness);                                                             \
		return 0;                                                                            \
	}                                                                                            \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                                 \
	{                                                                                            \
		return wc_one_input(&harness, data, size);                                           \
	}

#endif
