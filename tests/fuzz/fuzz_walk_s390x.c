// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The s390x walker (arch/s390x.c) fed damaged DAT tables and VMCOREINFO:
 * small big-endian tests/gen/mkvmcore cores of 3, 4 and 5 levels, before
 * 6.7 (identity at 0) and since (IDENTITYBASE, the image apart), written by
 * fuzz.mk into build/fuzz/s390x (FUZZ_S390X_CORES sets another directory),
 * each kept in a memfd; an input patches one of them, the dump runs, and
 * the patches are undone.
 *
 * Input: byte 0: bits 0-2 the layout (mod 4), bits 3-4 the level (-d 31,
 * 1, 10, 31 with -e), bit 5 --non-mmap, bit 6 -E; byte 1: VMCOREINFO edit
 * count (mod 5); then 9-byte edits (key byte: bits 0-6 the key of keys[]
 * mod its size, bit 7 deletes it; little-endian u64 value); then 11-byte
 * table patches (byte: a table of the walk from swapper_pg_dir, mod their
 * count, bit 7 means the value's low byte picks a table whose address
 * becomes the entry; little-endian u16 entry index; u64 value, stored
 * big-endian as the machine's tables are).
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzzutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NLAYOUTS 4
#define MAX_TABLES 512
#define MAX_EDITS 4
#define NOTE_CAP 65536

/* Base cores: fuzz.mk names them s390x-LEVELS-KERNEL. */
static const char *const layouts[NLAYOUTS] = { "3-6.1", "4-6.12", "5-6.1", "5-6.12" };

enum style { DEC, HEX0X, HEX };

struct key {
	const char *name;
	enum style style;
};

static const struct key keys[] = {
	{ "PAGESIZE", DEC },                  { "SYMBOL(swapper_pg_dir)", HEX },
	{ "KERNELOFFSET", HEX },              { "KERNELOFFPHYS", HEX },
	{ "IDENTITYBASE", HEX },              { "SYMBOL(mem_section)", HEX },
	{ "NUMBER(SECTION_SIZE_BITS)", DEC }, { "NUMBER(MAX_PHYSMEM_BITS)", DEC },
	{ "SYMBOL(vmemmap)", HEX },           { "SYMBOL(high_memory)", HEX },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct core {
	int fd;
	char path[64];
	uint8_t *file;            /* the base core, read-only copy */
	size_t len;
	size_t note_phdr;         /* file offset of the PT_NOTE program header */
	size_t note_off, note_len;
	size_t vmci_desc, vmci_len;  /* the VMCOREINFO text inside the notes */
	size_t table_off[MAX_TABLES];
	uint64_t table_pa[MAX_TABLES];
	unsigned table_entries[MAX_TABLES];  /* 2048 (region, segment) or 256 (page) */
	size_t ntables;
};

static struct core cores[NLAYOUTS];

/* Big-endian: the core's headers, notes and tables. */
static uint64_t ld(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* The input's own numbers are little-endian. */
static uint64_t ld_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void st64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static bool has_key(const struct core *c, const char *key)
{
	const char *t = (const char *)c->file + c->vmci_desc;
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl < c->vmci_len; i++)
		if ((i == 0 || t[i - 1] == '\n') && !strncmp(t + i, key, kl) && t[i + kl] == '=')
			return true;
	return false;
}

static uint64_t vmci_value(const struct core *c, const char *key, int base)
{
	const char *t = (const char *)c->file + c->vmci_desc;
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl < c->vmci_len; i++)
		if ((i == 0 || t[i - 1] == '\n') && !strncmp(t + i, key, kl) && t[i + kl] == '=')
			return strtoull(t + i + kl + 1, NULL, base);
	abort();  /* the base core lacks a key the harness relies on */
}

/* File offset of physical address pa (RAM PT_LOADs), or 0. */
static size_t file_off(const struct core *c, uint64_t pa)
{
	const uint8_t *eh = c->file;
	uint64_t phoff = ld(eh + 32, 8);
	for (unsigned i = 0; i < ld(eh + 56, 2); i++) {
		const uint8_t *ph = c->file + phoff + i * 56;
		uint64_t off = ld(ph + 8, 8), ppa = ld(ph + 24, 8), sz = ld(ph + 32, 8);
		if (ld(ph, 4) == PT_LOAD && pa - ppa < sz)
			return (size_t)(off + (pa - ppa));
	}
	return 0;
}

static void find_notes(struct core *c)
{
	uint64_t phoff = ld(c->file + 32, 8);
	for (unsigned i = 0; i < ld(c->file + 56, 2); i++) {
		const uint8_t *ph = c->file + phoff + i * 56;
		if (ld(ph, 4) != PT_NOTE)
			continue;
		c->note_phdr = phoff + i * 56;
		c->note_off = ld(ph + 8, 8);
		c->note_len = ld(ph + 32, 8);
	}
	for (size_t p = c->note_off; p + 12 <= c->note_off + c->note_len;) {
		uint32_t nl = (uint32_t)ld(c->file + p, 4), dl = (uint32_t)ld(c->file + p + 4, 4);
		size_t desc = p + 12 + ((nl + 3) & ~3u);
		if (nl == 11 && !memcmp(c->file + p + 12, "VMCOREINFO", 10)) {
			c->vmci_desc = desc;
			c->vmci_len = dl;
		}
		p = desc + ((dl + 3) & ~3u);
	}
	if (!c->vmci_desc || c->note_len > NOTE_CAP / 2)
		abort();
}

/* Every table reachable from swapper_pg_dir (breadth first, at most MAX_TABLES). */
static void find_tables(struct core *c)
{
	uint64_t pgd = vmci_value(c, "SYMBOL(swapper_pg_dir)", 16);
	if (has_key(c, "KERNELOFFPHYS"))
		pgd = pgd - vmci_value(c, "KERNELOFFSET", 16) + vmci_value(c, "KERNELOFFPHYS", 16);
	int level[MAX_TABLES];
	c->table_pa[0] = pgd;
	c->table_entries[0] = 2048;
	c->ntables = 1;
	if (!(c->table_off[0] = file_off(c, pgd)))
		abort();
	level[0] = (int)(ld(c->file + c->table_off[0], 8) >> 2 & 3);
	for (size_t i = 0; i < c->ntables; i++) {
		if (!(c->table_off[i] = file_off(c, c->table_pa[i])))
			abort();
		if (level[i] < 0)
			continue;  /* a page table */
		for (size_t s = 0; s < 2048 && c->ntables < MAX_TABLES; s++) {
			uint64_t e = ld(c->file + c->table_off[i] + s * 8, 8);
			if (e & 0x20 || e & 0x400)  /* invalid, or a large leaf */
				continue;
			level[c->ntables] = level[i] - 1;
			c->table_pa[c->ntables] = level[i] ? e & ~0xfffull : e & ~0x7ffull;
			c->table_entries[c->ntables++] = level[i] ? 2048 : 256;
		}
	}
}

static void load(struct core *c, const char *dir, const char *layout)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.core", dir, layout);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_walk_s390x: cannot open %s (make -f tests/fuzz/fuzz.mk writes it)\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	c->len = (size_t)ftell(f);
	rewind(f);
	if (!(c->file = malloc(c->len)) || fread(c->file, 1, c->len, f) != c->len)
		abort();
	fclose(f);
	find_notes(c);
	find_tables(c);
	c->fd = memfd_create("vmsift-fuzz-s390x", MFD_CLOEXEC);
	if (c->fd < 0 || pwrite(c->fd, c->file, c->len, 0) != (ssize_t)c->len)
		abort();
	snprintf(c->path, sizeof(c->path), "/proc/self/fd/%d", c->fd);
}

static void init_once(void)
{
	static bool done;
	if (done)
		return;
	const char *dir = getenv("FUZZ_S390X_CORES");
	for (int i = 0; i < NLAYOUTS; i++)
		load(&cores[i], dir ? dir : "build/fuzz/s390x", layouts[i]);
	done = true;
}

/* The VMCOREINFO text with the input's edits; returns its length. */
static size_t edited_vmci(const struct core *c, const uint8_t *ed, unsigned n, char *out, size_t cap)
{
	const char *t = (const char *)c->file + c->vmci_desc;
	size_t len = 0;
	for (size_t i = 0; i < c->vmci_len;) {
		const char *nl = memchr(t + i, '\n', c->vmci_len - i);
		size_t ll = nl ? (size_t)(nl - (t + i)) + 1 : c->vmci_len - i;
		bool keep = true;
		for (unsigned e = 0; e < n; e++) {
			const char *k = keys[(ed[e * 9] & 0x7f) % NKEYS].name;
			size_t kl = strlen(k);
			if (ll > kl && !strncmp(t + i, k, kl) && t[i + kl] == '=')
				keep = false;
		}
		if (keep && len + ll < cap) {
			memcpy(out + len, t + i, ll);
			len += ll;
		}
		i += ll;
	}
	for (unsigned e = 0; e < n; e++) {
		const struct key *k = &keys[(ed[e * 9] & 0x7f) % NKEYS];
		uint64_t v = ld_le(ed + e * 9 + 1, 8);
		if (ed[e * 9] & 0x80 || len + 100 > cap)
			continue;
		len += (size_t)(k->style == HEX0X ? snprintf(out + len, cap - len, "%s=0x%" PRIx64 "\n", k->name, v)
			: k->style == HEX ? snprintf(out + len, cap - len, "%s=%" PRIx64 "\n", k->name, v)
			: snprintf(out + len, cap - len, "%s=%" PRId64 "\n", k->name, (int64_t)v));
	}
	return len;
}

/* Appends the notes with the edited VMCOREINFO at the end of the file; points PT_NOTE there. */
static void write_notes(const struct core *c, const char *text, size_t tlen)
{
	static uint8_t notes[NOTE_CAP];
	size_t before = c->vmci_desc - 24 - c->note_off;  /* the notes ahead of VMCOREINFO's header */
	size_t after_at = c->vmci_desc + ((c->vmci_len + 3) & ~(size_t)3);
	size_t after = c->note_off + c->note_len - after_at;
	memcpy(notes, c->file + c->note_off, before + 24);
	notes[before + 4] = notes[before + 5] = 0;
	notes[before + 6] = (uint8_t)(tlen >> 8);
	notes[before + 7] = (uint8_t)tlen;
	size_t n = before + 24;
	memcpy(notes + n, text, tlen);
	memset(notes + n + tlen, 0, 4);
	n += (tlen + 3) & ~(size_t)3;
	memcpy(notes + n, c->file + after_at, after);
	n += after;
	uint8_t ph[56];
	memcpy(ph, c->file + c->note_phdr, 56);
	st64(ph + 8, c->len);
	st64(ph + 32, n);
	st64(ph + 40, n);
	if (pwrite(c->fd, notes, n, (off_t)c->len) != (ssize_t)n || pwrite(c->fd, ph, 56, (off_t)c->note_phdr) != 56)
		abort();
}

static void restore(const struct core *c, const size_t *offs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pwrite(c->fd, c->file + offs[i], 8, (off_t)offs[i]) != 8)
			abort();
	if (pwrite(c->fd, c->file + c->note_phdr, 56, (off_t)c->note_phdr) != 56 || ftruncate(c->fd, (off_t)c->len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int levels[4] = { 31, 1, 10, 31 };
	static char text[NOTE_CAP / 2];
	static size_t patched[256];
	init_once();
	if (size < 2)
		return 0;
	const struct core *c = &cores[(data[0] & 7) % NLAYOUTS];
	unsigned nedits = data[1] % (MAX_EDITS + 1);
	if (size < 2 + nedits * 9u)
		return 0;
	write_notes(c, text, edited_vmci(c, data + 2, nedits, text, sizeof(text) - 1));
	size_t npatched = 0;
	for (const uint8_t *p = data + 2 + nedits * 9; p + 11 <= data + size && npatched < 256; p += 11) {
		size_t t = (p[0] & 0x7f) % c->ntables;
		size_t off = c->table_off[t] + (ld_le(p + 1, 2) % c->table_entries[t]) * 8;
		uint64_t v = ld_le(p + 3, 8);
		if (p[0] & 0x80)  /* an entry to another table: loops, shared and cross-level tables */
			v = c->table_pa[(v & 0xff) % c->ntables] | (v & 0xfdf);
		uint8_t raw[8];
		st64(raw, v);
		if (pwrite(c->fd, raw, 8, (off_t)off) != 8)
			abort();
		patched[npatched++] = off;
	}
	unsigned lv = data[0] >> 3 & 3;
	struct fz_dump d = { .level = levels[lv], .exclude_vmemmap = lv == 3, .no_mmap = data[0] & 0x20,
			     .elf_out = data[0] & 0x40, .max_pfn = 1u << 20, .dmesg = true };
	fz_run_dump(c->path, &d);
	restore(c, patched, npatched);
	return 0;
}
