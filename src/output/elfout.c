// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF headers for -E, in the input's class and byte order.  Counts of 65535
 * segments or more use extended numbering (PN_XNUM with the real count in
 * section header 0), which readers of makedumpfile's ELF output handle.
 */
#include "vmsift/elfout.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

static void put(uint8_t *p, uint64_t v, int n, bool be)
{
	for (int i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Program headers segment s needs: one for its data, one for the data-less rest. */
static size_t seg_phdrs(const struct vs_elf_seg *s)
{
	size_t n = (s->filesz ? 1 : 0) + (s->memsz > s->filesz ? 1 : 0);
	return n ? n : 1;  /* an empty segment keeps its (empty) header */
}

/* The first offset >= off that is congruent to paddr modulo the page size. */
static uint64_t congruent(uint64_t off, uint64_t paddr, uint64_t page)
{
	return off + ((paddr - off) & (page - 1));
}

struct vs_err *vs_elfout_layout(struct vs_elfout *e)
{
	uint64_t ehsz = e->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	uint64_t phsz = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t shsz = e->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	uint64_t P = e->page_size;
	e->nphdrs = 1;
	for (size_t i = 0; i < e->nsegs; i++)
		e->nphdrs += seg_phdrs(&e->segs[i]);
	e->xnum = e->nphdrs >= PN_XNUM;
	e->phoff = ehsz;
	e->shoff = e->xnum ? e->phoff + e->nphdrs * phsz : 0;
	e->notes_off = e->phoff + e->nphdrs * phsz + (e->xnum ? shsz : 0);
	uint64_t off = (e->notes_off + e->notes_size + P - 1) / P * P;
	e->data_off = off;
	for (size_t i = 0; i < e->nsegs; i++) {
		struct vs_elf_seg *s = &e->segs[i];
		if (s->filesz)
			off = congruent(off, s->paddr, P);
		s->offset = s->filesz ? off : 0;
		off += s->filesz;
	}
	e->file_end = off;
	e->nodata_off = (off + P - 1) / P * P;
	if (!e->is64 && e->nodata_off + P > UINT32_MAX)
		return vs_err_new(VS_ERR_NOTSUP, "the ELF32 output would exceed 4 GiB");
	return NULL;
}

static void ehdr(const struct vs_elfout *e, uint8_t *h, bool incomplete)
{
	bool be = e->big_endian, is64 = e->is64;
	memcpy(h, ELFMAG, SELFMAG);
	h[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
	h[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	h[EI_VERSION] = EV_CURRENT;
	put(h + 16, ET_CORE, 2, be);
	put(h + 18, e->machine, 2, be);
	put(h + 20, EV_CURRENT, 4, be);
	uint16_t phnum = e->xnum ? PN_XNUM : (uint16_t)e->nphdrs;
	int w = is64 ? 8 : 4, base = is64 ? 32 : 28;  /* e_phoff */
	put(h + base, e->phoff, w, be);
	put(h + base + w, e->shoff, w, be);
	put(h + base + 2 * w, incomplete ? 1 : 0, 4, be);   /* e_flags */
	put(h + base + 2 * w + 4, is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr), 2, be);
	put(h + base + 2 * w + 6, is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr), 2, be);
	put(h + base + 2 * w + 8, phnum, 2, be);
	put(h + base + 2 * w + 10, e->xnum ? (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)) : 0, 2, be);
	put(h + base + 2 * w + 12, e->xnum ? 1 : 0, 2, be);
}

/*
 * p_align is 0, as in /proc/vmcore and makedumpfile's output: crash takes an
 * ELF core whose PT_LOADs have page-aligned p_offset and a nonzero p_align
 * for an old netdump file, and then does not find its VMCOREINFO.
 */
static void phdr(const struct vs_elfout *e, uint8_t *p, uint32_t type, uint64_t off, uint64_t vaddr,
		 uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	bool be = e->big_endian;
	put(p, type, 4, be);
	if (e->is64) {
		put(p + 4, type == PT_LOAD ? PF_R | PF_W | PF_X : 0, 4, be);
		put(p + 8, off, 8, be);
		put(p + 16, vaddr, 8, be);
		put(p + 24, paddr, 8, be);
		put(p + 32, filesz, 8, be);
		put(p + 40, memsz, 8, be);
		put(p + 48, 0, 8, be);  /* p_align */
	} else {
		put(p + 4, off, 4, be);
		put(p + 8, vaddr, 4, be);
		put(p + 12, paddr, 4, be);
		put(p + 16, filesz, 4, be);
		put(p + 20, memsz, 4, be);
		put(p + 24, type == PT_LOAD ? PF_R | PF_W | PF_X : 0, 4, be);
		put(p + 28, 0, 4, be);  /* p_align */
	}
}

/*
 * Writes segment s's program headers at p; returns how many.  The part past
 * p_filesz becomes a PT_LOAD of its own whose p_offset lies past the file's
 * data, so [p_offset, p_offset + p_memsz) never covers another segment's
 * data: makedumpfile 1.7.2 maps that whole range as one linear window when
 * offsets are page-aligned, and crashes when other segments' pages are in it.
 */
static size_t seg_phdr(const struct vs_elfout *e, uint8_t *p, const struct vs_elf_seg *s)
{
	uint64_t phsz = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t n = 0;
	if (s->filesz || s->memsz == 0)
		phdr(e, p + phsz * n++, PT_LOAD, s->offset, s->vaddr, s->paddr, s->filesz, s->filesz);
	if (s->memsz > s->filesz) {
		uint64_t paddr = s->paddr + s->filesz;
		phdr(e, p + phsz * n++, PT_LOAD, congruent(e->nodata_off, paddr, e->page_size),
		     s->vaddr + s->filesz, paddr, 0, s->memsz - s->filesz);
	}
	return n;
}

struct vs_err *vs_elfout_write_headers(const struct vs_elfout *e, struct vs_sink *sink,
				       bool incomplete, size_t first_lost)
{
	uint64_t phsz = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t len = (size_t)e->notes_off;
	uint8_t *h = calloc(1, len);
	if (!h)
		return vs_enomem;
	ehdr(e, h, incomplete);
	uint8_t *p = h + e->phoff;
	phdr(e, p, PT_NOTE, e->notes_off, 0, 0, e->notes_size, e->notes_size);
	p += phsz;
	for (size_t i = 0; i < e->nsegs && i < first_lost; i++)
		p += phsz * seg_phdr(e, p, &e->segs[i]);
	if (e->xnum)  /* section header 0: sh_info holds the real program header count */
		put(h + e->shoff + (e->is64 ? 44 : 28), e->nphdrs, 4, e->big_endian);
	size_t done;
	struct vs_err *err = vs_sink_write(sink, 0, h, len, &done);
	free(h);
	if (!err && e->notes_size)
		err = vs_sink_write(sink, e->notes_off, e->notes, e->notes_size, &done);
	return err;
}
