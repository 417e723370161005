// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMCOREINFO recovered from a dump's memory.  A core without the note (QEMU's
 * dump-guest-memory without -device vmcoreinfo, a raw RAM image) still holds
 * the kernel's own text: it is built at boot into a page-aligned buffer
 * (vmcoreinfo_data) and copied into the page-aligned note buffer after a
 * 24-byte note header.  Every page start (and that header offset) is checked
 * for "OSRELEASE="; a candidate counts only when the kernel it describes
 * proves to be this dump's: init_uts_ns, read through the candidate's own
 * symbols and phys_base, holds the release the text names, and the page
 * tables translate the mem_section pointer.  A text that proves itself only
 * with the memory read in the other byte order than the ELF header's sets
 * vc->mem_swapped (QEMU 7.2's pseries cores of ppc64le guests say
 * big-endian).
 */
#include <stdlib.h>
#include <string.h>

#include "vmsift/recover.h"

#define SCAN_CHUNK (1u << 20)
#define SCAN_STEP 4096u             /* the smallest kernel page size */
#define NOTE_DESC_OFFSET 24u        /* n_namesz, n_descsz, n_type, "VMCOREINFO\0" padded */
#define MAX_TEXT 4096u              /* VMCOREINFO_BYTES is one page */
#define MAX_CANDIDATES 64u          /* stale copies (kexec'd kernels) are tried, within reason */

static const char magic[] = "OSRELEASE=";

/* The text from p on, up to the first NUL or non-text byte. */
static size_t text_length(const uint8_t *p, size_t max)
{
	size_t n = 0;
	while (n < max && p[n] && (p[n] == '\n' || (p[n] >= 0x20 && p[n] < 0x7f)))
		n++;
	return n;
}

/* Whether the text describes the kernel of this dump (see the file comment). */
static bool proves_itself(struct vs_vmcore *vc, const struct vs_vmcoreinfo *vi)
{
	const char *rel = vs_vmci_get(vi, "OSRELEASE");
	struct vs_kernel *k;
	if (!rel || !vs_vmci_get(vi, "SYMBOL(init_uts_ns)"))
		return false;
	struct vs_err *err = vs_kernel_init(vc, vi, &k);
	if (err) {
		vs_err_free(err);
		return false;
	}
	bool ok = k->uts_from_memory && strcmp(k->uts.release, rel) == 0;
	uint64_t ms, word;
	if (ok && vs_vmci_symbol(vi, "mem_section", &ms) == NULL) {
		err = vs_kernel_read_virt(k, ms, &word, sizeof(word));
		ok = !err;
		vs_err_free(err);
	}
	vs_kernel_free(k);
	return ok;
}

struct scan {
	struct vs_vmcore *vc;
	uint8_t *buf;
	unsigned tried;
	struct vs_vmcoreinfo *found;
	uint64_t found_paddr;
};

static struct vs_err *try_at(struct scan *sc, const uint8_t *p, size_t avail, uint64_t paddr)
{
	if (avail < sizeof(magic) || memcmp(p, magic, sizeof(magic) - 1) != 0 ||
	    p[sizeof(magic) - 1] < '0' || p[sizeof(magic) - 1] > '9')
		return NULL;
	if (++sc->tried > MAX_CANDIDATES)
		return NULL;
	struct vs_vmcoreinfo *vi;
	struct vs_err *err = vs_vmci_parse((const char *)p, text_length(p, avail < MAX_TEXT ? avail : MAX_TEXT), &vi);
	if (err)
		return err->code == VS_ERR_NOMEM ? err : (vs_err_free(err), NULL);
	bool ok = proves_itself(sc->vc, vi);
	if (!ok) {  /* the other byte order: QEMU 7.2 labels a ppc64le guest's core big-endian */
		sc->vc->mem_swapped = !sc->vc->mem_swapped;
		if (!(ok = proves_itself(sc->vc, vi)))
			sc->vc->mem_swapped = !sc->vc->mem_swapped;
	}
	if (ok) {
		sc->found = vi;
		sc->found_paddr = paddr;
		return NULL;
	}
	vs_vmci_free(vi);
	return NULL;
}

/* One chunk: page starts and note-descriptor offsets.  The text of a page may run into the next. */
static struct vs_err *scan_chunk(struct scan *sc, uint64_t paddr, size_t len, size_t valid)
{
	for (size_t off = 0; off < len && !sc->found; off += SCAN_STEP) {
		struct vs_err *err = try_at(sc, sc->buf + off, valid - off, paddr + off);
		if (!err && !sc->found && off + NOTE_DESC_OFFSET < valid)
			err = try_at(sc, sc->buf + off + NOTE_DESC_OFFSET, valid - off - NOTE_DESC_OFFSET,
				     paddr + off + NOTE_DESC_OFFSET);
		if (err)
			return err;
	}
	return NULL;
}

static struct vs_err *scan_piece(struct scan *sc, const struct vs_piece *pc)
{
	uint64_t start = (pc->paddr + SCAN_STEP - 1) & ~(uint64_t)(SCAN_STEP - 1);
	uint64_t end = pc->paddr + pc->filesz;
	for (uint64_t at = start; at < end && !sc->found; at += SCAN_CHUNK) {
		size_t len = end - at < SCAN_CHUNK ? (size_t)(end - at) : SCAN_CHUNK;
		/* Read a page more, so a text starting near the chunk's end is whole. */
		size_t valid = end - at < SCAN_CHUNK + MAX_TEXT ? (size_t)(end - at) : SCAN_CHUNK + MAX_TEXT;
		struct vs_err *err = vs_vmcore_read_phys(sc->vc, at, sc->buf, valid);
		if (!err)
			err = scan_chunk(sc, at, len, valid);
		if (err)
			return err;
	}
	return NULL;
}

struct vs_err *vs_recover_vmcoreinfo(struct vs_vmcore *vc, struct vs_vmcoreinfo **out, uint64_t *paddr)
{
	struct scan sc = { .vc = vc, .buf = malloc(SCAN_CHUNK + MAX_TEXT) };
	if (!sc.buf)
		return vs_enomem;
	struct vs_err *err = NULL;
	for (size_t i = 0; i < vc->npieces && !err && !sc.found; i++)
		err = scan_piece(&sc, &vc->pieces[i]);
	free(sc.buf);
	if (!err && !sc.found)
		err = vs_err_new(VS_ERR_NOKEY, "the dump has no VMCOREINFO note, and no VMCOREINFO text of this "
				 "kernel was found in its memory (%u candidate%s rejected)", sc.tried,
				 sc.tried == 1 ? "" : "s");
	if (err) {
		vs_vmci_free(sc.found);
		return err;
	}
	*out = sc.found;
	*paddr = sc.found_paddr;
	return NULL;
}
