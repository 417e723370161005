// SPDX-License-Identifier: GPL-2.0-or-later
/* The common body of the walk harnesses: see walkcore.h. */
#include "walkcore.h"

#include <ctype.h>
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzzutil.h"

#define MAX_EDITS 4
#define MAX_PATCHES 256
#define NOTE_CAP 65536

uint64_t wc_ld_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint64_t wc_ld(const struct wc_core *c, const uint8_t *p, int n)
{
	if (!c->big_endian)
		return wc_ld_le(p, n);
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

void wc_st64_le(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void wc_st64_be(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void st64(const struct wc_core *c, uint8_t *p, uint64_t v)
{
	if (c->big_endian)
		wc_st64_be(p, v);
	else
		wc_st64_le(p, v);
}

bool wc_vmci_find(const struct wc_core *c, const char *key, int base, uint64_t *v)
{
	const char *t = (const char *)c->file + c->vmci_desc;
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl < c->vmci_len; i++)
		if ((i == 0 || t[i - 1] == '\n') && !strncmp(t + i, key, kl) && t[i + kl] == '=') {
			*v = strtoull(t + i + kl + 1, NULL, base);
			return true;
		}
	return false;
}

uint64_t wc_vmci_value(const struct wc_core *c, const char *key, int base)
{
	uint64_t v;
	if (!wc_vmci_find(c, key, base, &v))
		abort();  /* the base core lacks a key the harness relies on */
	return v;
}

size_t wc_file_off(const struct wc_core *c, uint64_t pa)
{
	const uint8_t *eh = c->file;
	uint64_t phoff = wc_ld(c, eh + 32, 8);
	for (unsigned i = 0; i < wc_ld(c, eh + 56, 2); i++) {
		const uint8_t *ph = c->file + phoff + i * 56;
		uint64_t off = wc_ld(c, ph + 8, 8), ppa = wc_ld(c, ph + 24, 8), sz = wc_ld(c, ph + 32, 8);
		if (wc_ld(c, ph, 4) == PT_LOAD && pa - ppa < sz)
			return (size_t)(off + (pa - ppa));
	}
	return 0;
}

static void find_notes(struct wc_core *c)
{
	uint64_t phoff = wc_ld(c, c->file + 32, 8);
	for (unsigned i = 0; i < wc_ld(c, c->file + 56, 2); i++) {
		const uint8_t *ph = c->file + phoff + i * 56;
		if (wc_ld(c, ph, 4) != PT_NOTE)
			continue;
		c->note_phdr = phoff + i * 56;
		c->note_off = wc_ld(c, ph + 8, 8);
		c->note_len = wc_ld(c, ph + 32, 8);
	}
	for (size_t p = c->note_off; p + 12 <= c->note_off + c->note_len;) {
		uint32_t nl = (uint32_t)wc_ld(c, c->file + p, 4), dl = (uint32_t)wc_ld(c, c->file + p + 4, 4);
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

static void load(const struct wc_harness *h, struct wc_core *c, const char *dir, const char *layout)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.core", dir, layout);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_walk_%s: cannot open %s (make -f tests/fuzz/fuzz.mk writes it)\n", h->arch, path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	c->len = (size_t)ftell(f);
	rewind(f);
	if (!(c->file = malloc(c->len)) || fread(c->file, 1, c->len, f) != c->len)
		abort();
	fclose(f);
	c->big_endian = h->big_endian;
	find_notes(c);
	h->find_tables(c);
	char name[64];
	snprintf(name, sizeof(name), "vmsift-fuzz-%s", h->arch);
	c->fd = memfd_create(name, MFD_CLOEXEC);
	if (c->fd < 0 || pwrite(c->fd, c->file, c->len, 0) != (ssize_t)c->len)
		abort();
	snprintf(c->path, sizeof(c->path), "/proc/self/fd/%d", c->fd);
}

static struct wc_core *core_at(const struct wc_harness *h, size_t i)
{
	return (struct wc_core *)((char *)h->cores + i * h->core_size);
}

/* From build/fuzz/ARCH, or FUZZ_ARCH_CORES when set. */
void wc_load_cores(const struct wc_harness *h)
{
	static const struct wc_harness *done;
	if (done == h)
		return;
	char var[64], def[64];
	snprintf(var, sizeof(var), "FUZZ_%s_CORES", h->arch);
	for (char *p = var; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	snprintf(def, sizeof(def), "build/fuzz/%s", h->arch);
	const char *dir = getenv(var);
	for (size_t i = 0; i < h->ncores; i++)
		load(h, core_at(h, i), dir ? dir : def, h->layouts[i]);
	done = h;
}

/* Whether the VMCOREINFO line at t (ll bytes) sets one of the edited keys. */
static bool edited(const struct wc_harness *h, const char *t, size_t ll, const uint8_t *ed, unsigned n)
{
	for (unsigned e = 0; e < n; e++) {
		const char *k = h->keys[(ed[e * 9] & 0x7f) % h->nkeys].name;
		size_t kl = strlen(k);
		if (ll > kl && !strncmp(t, k, kl) && t[kl] == '=')
			return true;
	}
	return false;
}

/* The VMCOREINFO text with the input's edits; returns its length. */
static size_t edited_vmci(const struct wc_harness *h, const struct wc_core *c, const uint8_t *ed, unsigned n,
			  char *out, size_t cap)
{
	const char *t = (const char *)c->file + c->vmci_desc;
	size_t len = 0;
	for (size_t i = 0; i < c->vmci_len;) {
		const char *nl = memchr(t + i, '\n', c->vmci_len - i);
		size_t ll = nl ? (size_t)(nl - (t + i)) + 1 : c->vmci_len - i;
		if (!edited(h, t + i, ll, ed, n) && len + ll < cap) {
			memcpy(out + len, t + i, ll);
			len += ll;
		}
		i += ll;
	}
	for (unsigned e = 0; e < n; e++) {
		const struct wc_key *k = &h->keys[(ed[e * 9] & 0x7f) % h->nkeys];
		uint64_t v = wc_ld_le(ed + e * 9 + 1, 8);
		if (ed[e * 9] & 0x80 || len + 100 > cap)
			continue;
		len += (size_t)(k->style == WC_HEX0X ? snprintf(out + len, cap - len, "%s=0x%" PRIx64 "\n", k->name, v)
			: k->style == WC_HEX ? snprintf(out + len, cap - len, "%s=%" PRIx64 "\n", k->name, v)
			: snprintf(out + len, cap - len, "%s=%" PRId64 "\n", k->name, (int64_t)v));
	}
	return len;
}

/* Appends the notes with the edited VMCOREINFO at the end of the file; points PT_NOTE there. */
static void write_notes(const struct wc_core *c, const char *text, size_t tlen)
{
	static uint8_t notes[NOTE_CAP];
	size_t before = c->vmci_desc - 24 - c->note_off;  /* the notes ahead of VMCOREINFO's header */
	size_t after_at = c->vmci_desc + ((c->vmci_len + 3) & ~(size_t)3);
	size_t after = c->note_off + c->note_len - after_at;
	memcpy(notes, c->file + c->note_off, before + 24);
	uint8_t descsz[8];
	st64(c, descsz, tlen);
	memcpy(notes + before + 4, c->big_endian ? descsz + 4 : descsz, 4);
	size_t n = before + 24;
	memcpy(notes + n, text, tlen);
	memset(notes + n + tlen, 0, 4);
	n += (tlen + 3) & ~(size_t)3;
	memcpy(notes + n, c->file + after_at, after);
	n += after;
	uint8_t ph[56];
	memcpy(ph, c->file + c->note_phdr, 56);
	st64(c, ph + 8, c->len);
	st64(c, ph + 32, n);
	st64(c, ph + 40, n);
	if (pwrite(c->fd, notes, n, (off_t)c->len) != (ssize_t)n || pwrite(c->fd, ph, 56, (off_t)c->note_phdr) != 56)
		abort();
}

static void restore(const struct wc_core *c, const size_t *offs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pwrite(c->fd, c->file + offs[i], 8, (off_t)offs[i]) != 8)
			abort();
	if (pwrite(c->fd, c->file + c->note_phdr, 56, (off_t)c->note_phdr) != 56 || ftruncate(c->fd, (off_t)c->len))
		abort();
}

int wc_one_input(const struct wc_harness *h, const uint8_t *data, size_t size)
{
	static const int levels[4] = { 31, 1, 10, 31 };
	static char text[NOTE_CAP / 2];
	static size_t patched[MAX_PATCHES];
	wc_load_cores(h);
	if (size < 2)
		return 0;
	const struct wc_core *c = core_at(h, (data[0] & 7) % h->ncores);
	unsigned nedits = data[1] % (MAX_EDITS + 1);
	if (size < 2 + nedits * 9u)
		return 0;
	write_notes(c, text, edited_vmci(h, c, data + 2, nedits, text, sizeof(text) - 1));
	size_t npatched = 0;
	for (const uint8_t *p = data + 2 + nedits * 9; p + 11 <= data + size && npatched < MAX_PATCHES; p += 11) {
		uint8_t raw[8];
		size_t off = h->patch(c, p, raw);
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
