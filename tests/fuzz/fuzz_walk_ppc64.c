// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ppc64 walkers (arch/ppc64*.c) fed damaged page tables, vmemmap_list
 * entries and VMCOREINFO: small tests/gen/mkvmcore ppc64le cores (radix
 * 64K and 4K whose vmemmap is only in the big-endian tables (6.12), hash
 * 64K whose vmemmap is only in vmemmap_list, radix 64K with both (6.1)),
 * written by fuzz.mk into build/fuzz/ppc64 (FUZZ_PPC64_CORES sets another
 * directory), each kept in a memfd; an input patches one of them, the dump
 * runs, and the patches are undone.
 *
 * Input: byte 0: bits 0-1 the layout, bits 3-4 the level (-d 31, 1, 10,
 * 31 with -e), bit 5 --non-mmap, bit 6 -E; byte 1: VMCOREINFO edit count
 * (mod 5); then 9-byte edits (key byte: bits 0-6 the key of keys[] mod its
 * size, bit 7 deletes it; little-endian u64 value); then 11-byte patches
 * (byte: bits 0-6 a target, mod the core's count: the table pages
 * reachable from swapper_pg_dir, then the vmemmap_list entries; bit 7
 * turns the value into a directory entry to another table (loops, shared
 * tables, wrong levels) or a list link to another entry; u16 word of the
 * target; u64 value, stored big-endian into tables, little-endian into
 * list entries).
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
#define MAX_TARGETS 256
#define MAX_EDITS 4
#define NOTE_CAP 65536
#define PAGE_OFFSET 0xc000000000000000ull

static const char *const layouts[NLAYOUTS] = { "radix-64k", "radix-4k", "hash-64k", "radix-64k-61" };

struct key {
	const char *name;
	bool hex;
};

static const struct key keys[] = {
	{ "NUMBER(RADIX_MMU)", false },            { "PAGESIZE", false },
	{ "SYMBOL(swapper_pg_dir)", false },       { "SYMBOL(vmemmap_list)", false },
	{ "SYMBOL(mmu_vmemmap_psize)", false },    { "SYMBOL(mmu_psize_defs)", false },
	{ "SIZE(vmemmap_backing)", false },        { "OFFSET(vmemmap_backing.list)", false },
	{ "OFFSET(vmemmap_backing.phys)", false }, { "OFFSET(vmemmap_backing.virt_addr)", false },
	{ "SIZE(mmu_psize_def)", false },          { "OFFSET(mmu_psize_def.shift)", false },
	{ "NUMBER(MAX_PHYSMEM_BITS)", false },     { "NUMBER(SECTION_SIZE_BITS)", false },
	{ "SYMBOL(mem_section)", false },          { "NUMBER(VMALLOC_START)", true },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* A patchable place: a table (nwords 8-byte entries, big-endian) or a list entry (3 words). */
struct target {
	size_t off;
	uint64_t pa;
	unsigned nwords;
	bool table;
};

struct core {
	int fd;
	char path[64];
	uint8_t *file;            /* the base core, read-only copy */
	size_t len;
	size_t note_phdr;         /* file offset of the PT_NOTE program header */
	size_t note_off, note_len;
	size_t vmci_desc, vmci_len;  /* the VMCOREINFO text inside the notes */
	struct target t[MAX_TARGETS];
	size_t nt;
	unsigned page_shift;
};

static struct core cores[NLAYOUTS];

static uint64_t ld(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void st64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
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

static uint64_t ld_be(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void st_be(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void add_target(struct core *c, uint64_t pa, unsigned nwords, bool table)
{
	size_t off = file_off(c, pa);
	if (!off || c->nt == MAX_TARGETS)
		return;
	c->t[c->nt++] = (struct target){ off, pa, nwords, table };
}

/* Radix index bits of PGD, PUD, PMD, PTE (as arch/ppc64.c). */
static unsigned idx_bits(const struct core *c, unsigned level)
{
	static const unsigned r64[] = { 13, 9, 9, 5 }, r4[] = { 13, 9, 9, 9 };
	return c->page_shift == 16 ? r64[level] : r4[level];
}

/* The tables reachable from swapper_pg_dir (breadth first), then the list entries. */
static void find_targets(struct core *c)
{
	unsigned level[MAX_TARGETS];
	c->page_shift = (unsigned)__builtin_ctzll(vmci_value(c, "PAGESIZE", 10));
	add_target(c, vmci_value(c, "SYMBOL(swapper_pg_dir)", 16) - PAGE_OFFSET, 1u << idx_bits(c, 0), true);
	level[0] = 0;
	for (size_t i = 0; i < c->nt && level[i] < 3; i++)
		for (unsigned s = 0; s < c->t[i].nwords && c->nt < MAX_TARGETS / 2; s++) {
			uint64_t e = ld_be(c->file + c->t[i].off + s * 8);
			if (!(e >> 63) || (e >> 62 & 1))
				continue;
			level[c->nt] = level[i] + 1;
			add_target(c, e & ~0xc0000000000000ffull, 1u << idx_bits(c, level[i] + 1), true);
		}
	size_t head_off = file_off(c, vmci_value(c, "SYMBOL(vmemmap_list)", 16) - PAGE_OFFSET);
	uint64_t node = head_off ? ld(c->file + head_off, 8) : 0;
	while (node && c->nt < MAX_TARGETS) {
		size_t before = c->nt;
		add_target(c, node - PAGE_OFFSET, 3, false);
		if (c->nt == before)
			break;
		node = ld(c->file + c->t[c->nt - 1].off, 8);
	}
	if (!c->nt)
		abort();
}

static void load(struct core *c, const char *dir, const char *layout)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.core", dir, layout);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_walk_ppc64: cannot open %s (make -f tests/fuzz/fuzz.mk writes it)\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	c->len = (size_t)ftell(f);
	rewind(f);
	if (!(c->file = malloc(c->len)) || fread(c->file, 1, c->len, f) != c->len)
		abort();
	fclose(f);
	find_notes(c);
	find_targets(c);
	c->fd = memfd_create("vmsift-fuzz-ppc64", MFD_CLOEXEC);
	if (c->fd < 0 || pwrite(c->fd, c->file, c->len, 0) != (ssize_t)c->len)
		abort();
	snprintf(c->path, sizeof(c->path), "/proc/self/fd/%d", c->fd);
}

static void init_once(void)
{
	static bool done;
	if (done)
		return;
	const char *dir = getenv("FUZZ_PPC64_CORES");
	for (int i = 0; i < NLAYOUTS; i++)
		load(&cores[i], dir ? dir : "build/fuzz/ppc64", layouts[i]);
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
		uint64_t v = ld(ed + e * 9 + 1, 8);
		if (ed[e * 9] & 0x80 || len + 100 > cap)
			continue;
		len += (size_t)(k->hex ? snprintf(out + len, cap - len, "%s=0x%" PRIx64 "\n", k->name, v)
			: !strncmp(k->name, "SYMBOL", 6) ? snprintf(out + len, cap - len, "%s=%" PRIx64 "\n", k->name, v)
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
	notes[before + 4] = (uint8_t)tlen;
	notes[before + 5] = (uint8_t)(tlen >> 8);
	notes[before + 6] = notes[before + 7] = 0;
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

/* The patch's 8 bytes for target t: a link to another target with bit 7. */
static void patch_bytes(const struct core *c, const struct target *t, uint8_t sel, uint64_t v, uint8_t raw[8])
{
	if (sel & 0x80) {
		const struct target *o = &c->t[(v & 0xff) % c->nt];
		v = t->table ? o->pa | 1ull << 63 | (v >> 8 & 0x1f) : o->pa + PAGE_OFFSET;
	}
	if (t->table)
		st_be(raw, v);
	else
		st64(raw, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int levels[4] = { 31, 1, 10, 31 };
	static char text[NOTE_CAP / 2];
	static size_t patched[256];
	init_once();
	if (size < 2)
		return 0;
	const struct core *c = &cores[(data[0] & 3) % NLAYOUTS];
	unsigned nedits = data[1] % (MAX_EDITS + 1);
	if (size < 2 + nedits * 9u)
		return 0;
	write_notes(c, text, edited_vmci(c, data + 2, nedits, text, sizeof(text) - 1));
	size_t npatched = 0;
	for (const uint8_t *p = data + 2 + nedits * 9; p + 11 <= data + size && npatched < 256; p += 11) {
		const struct target *t = &c->t[(p[0] & 0x7f) % c->nt];
		size_t off = t->off + (ld(p + 1, 2) % t->nwords) * 8;
		uint8_t raw[8];
		patch_bytes(c, t, p[0], ld(p + 3, 8), raw);
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
