// SPDX-License-Identifier: GPL-2.0-or-later
// The ELF64 core file, shaped like /proc/vmcore: Ehdr, Phdrs (PT_NOTE,
// then the kernel-text PT_LOAD, then one PT_LOAD per RAM range with
// direct-map (arm64: linear-map) p_vaddr), page-aligned notes, then
// segment data.  Written
// sparse: ftruncate, then pwrite only the pages that are not all zero.
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkvmcore.h"

#define BATCH_BYTES (4 << 20)

struct seg {
	uint64_t paddr, vaddr, size, offset;
};

struct out {
	int fd;
	uint8_t *batch;
	uint64_t batch_off;              /* file offset of batch[0] */
	size_t batch_len;
};

static void xpwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n <= 0)
			die("write to %s failed: %s", "output",
			    n < 0 ? strerror(errno) : "short write");
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
}

static void flush(struct out *w)
{
	if (w->batch_len)
		xpwrite(w->fd, w->batch, w->batch_len, w->batch_off);
	w->batch_len = 0;
}

/* Queue len bytes for file offset off; contiguous pieces are merged. */
static void queue(struct out *w, const uint8_t *p, size_t len, uint64_t off)
{
	if (w->batch_len && (w->batch_off + w->batch_len != off ||
			     w->batch_len + len > BATCH_BYTES))
		flush(w);
	if (!w->batch_len)
		w->batch_off = off;
	memcpy(w->batch + w->batch_len, p, len);
	w->batch_len += len;
}

static void put_nhdr(uint8_t *p, uint32_t namesz, uint32_t descsz, uint32_t type)
{
	st32(p, namesz);
	st32(p + 4, descsz);
	st32(p + 8, type);
}

static size_t build_notes(const struct machine *m, uint8_t **out)
{
	char *vmci = vmcoreinfo_text(m);
	size_t vlen = strlen(vmci);

	if (m->arch->vmci_note)          /* the kernel's copy is there with or without the ELF note */
		m->arch->vmci_note(m, vmci, vlen);
	if (m->o->no_vmcoreinfo) {
		free(vmci);
		vmci = NULL;
		vlen = 0;
	}
	unsigned ps = m->arch->prstatus_size;
	size_t cap = (size_t)m->o->cpus * (12 + 8 + ps) + 12 + 12 +
		     vlen + 8;
	uint8_t *b = xcalloc(1, cap), *p = b;

	for (int c = 0; c < m->o->cpus; c++) {
		put_nhdr(p, 5, ps, NT_PRSTATUS);
		memcpy(p + 12, "CORE", 5);
		st32(p + 20 + 32, c == 0 ? 1234 : 0); /* pr_pid: crashing task; idle */
		if (c == 0 && m->cpu0_sp)         /* pr_reg.sp (x86_64 rsp) */
			st64(p + 20 + 264, m->cpu0_sp);
		p += 20 + ps;
	}
	if (vmci) {
		put_nhdr(p, 11, (uint32_t)vlen, 0);
		memcpy(p + 12, "VMCOREINFO", 11);
		memcpy(p + 24, vmci, vlen);
		p += 24 + round_up(vlen, 4);
		free(vmci);
	}
	*out = b;
	return (size_t)(p - b);
}

static uint64_t ram_va(const struct machine *m, uint64_t pa)
{
	return m->o->qemu_elf ? 0 : dmap(m, pa);
}

/* Kernel text first (as kexec-tools does), then the RAM ranges.  QEMU's
 * dump-guest-memory without paging writes only RAM, with vaddr 0. */
static size_t build_segs(const struct machine *m, struct seg *s)
{
	size_t n = 0;

	if (!m->o->qemu_elf)
		s[n++] = (struct seg){ m->kimg_phys, kimg_va(m, 0), m->kimg_size, 0 };
	for (int i = 0; i < m->nram; i++) {
		uint64_t a = m->ram[i].start, e = m->ram[i].end;
		uint64_t cut = 0x900800;  /* --unaligned: split mid-page here */

		if (m->o->unaligned && a < cut && cut < e) {
			s[n++] = (struct seg){ a, ram_va(m, a), cut - a, 0 };
			a = cut;
		}
		s[n++] = (struct seg){ a, ram_va(m, a), e - a, 0 };
	}
	if (m->o->unsorted) {
		uint64_t st = m->o->seed ^ 0x73687566ULL;

		for (size_t i = n - 1; i > 0; i--) {
			size_t j = rng_next(&st) % (i + 1);
			struct seg t = s[i];

			s[i] = s[j];
			s[j] = t;
		}
	}
	return n;
}

/* Write [paddr, paddr+size) of physical memory at file offset off. */
static void write_seg(const struct machine *m, struct out *w, const struct seg *s)
{
	static uint8_t page[MAX_PAGE_SIZE];
	uint64_t a = s->paddr, e = s->paddr + s->size;

	while (a < e) {
		uint64_t pfn = a >> PAGE_SHIFT, po = a & (PAGE_SIZE - 1);
		uint64_t n = PAGE_SIZE - po < e - a ? PAGE_SIZE - po : e - a;

		if (!page_is_zero(m, pfn)) {
			page_fill(m, pfn, page);
			queue(w, page + po, (size_t)n, s->offset + (a - s->paddr));
		}
		a += n;
	}
	flush(w);
}

/* The headers in the target's byte order (a no-op when it is the host's). */
static void order_ehdr(Elf64_Ehdr *h)
{
	uint8_t *b = (uint8_t *)h;

	st16(&h->e_type, h->e_type);
	st16(&h->e_machine, h->e_machine);
	st32(&h->e_version, h->e_version);
	st64(&h->e_entry, h->e_entry);
	st64(&h->e_phoff, h->e_phoff);
	st64(&h->e_shoff, h->e_shoff);
	st32(&h->e_flags, h->e_flags);
	for (size_t off = offsetof(Elf64_Ehdr, e_ehsize); off < sizeof(*h); off += 2) {
		uint16_t v;

		memcpy(&v, b + off, 2);
		st16(b + off, v);
	}
}

static void order_phdr(Elf64_Phdr *h)
{
	st32(&h->p_type, h->p_type);
	st32(&h->p_flags, h->p_flags);
	st64(&h->p_offset, h->p_offset);
	st64(&h->p_vaddr, h->p_vaddr);
	st64(&h->p_paddr, h->p_paddr);
	st64(&h->p_filesz, h->p_filesz);
	st64(&h->p_memsz, h->p_memsz);
	st64(&h->p_align, h->p_align);
}

static void order_shdr(Elf64_Shdr *h)
{
	uint32_t *w[] = { &h->sh_name, &h->sh_type, &h->sh_link, &h->sh_info };
	uint64_t *q[] = { &h->sh_flags, &h->sh_addr, &h->sh_offset, &h->sh_size,
			  &h->sh_addralign, &h->sh_entsize };

	for (size_t i = 0; i < 4; i++)
		st32(w[i], *w[i]);
	for (size_t i = 0; i < 6; i++)
		st64(q[i], *q[i]);
}

static void put_headers(const struct machine *m, struct out *w,
			const struct seg *s, size_t nseg, uint64_t note_off,
			size_t note_len, uint64_t phoff, uint64_t shoff)
{
	size_t phnum = nseg + 1;
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr *ph = xcalloc(phnum, sizeof(*ph));
	Elf64_Shdr sh = { 0 };

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = g_big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = m->arch->e_machine;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = phoff;
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = m->o->pn_xnum ? PN_XNUM : (Elf64_Half)phnum;
	if (shoff) {
		eh.e_shoff = shoff;
		eh.e_shentsize = sizeof(Elf64_Shdr);
		eh.e_shnum = 1;
		sh.sh_info = m->o->pn_xnum ? (Elf64_Word)phnum : 0;
		order_shdr(&sh);
		xpwrite(w->fd, &sh, sizeof(sh), shoff);
	}
	ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = note_off,
			      .p_filesz = note_len, .p_memsz = note_len };
	for (size_t i = 0; i < nseg; i++)
		ph[i + 1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
			.p_offset = s[i].offset, .p_vaddr = s[i].vaddr,
			.p_paddr = s[i].paddr, .p_filesz = s[i].size,
			.p_memsz = s[i].size };
	order_ehdr(&eh);
	for (size_t i = 0; i < phnum; i++)
		order_phdr(&ph[i]);
	xpwrite(w->fd, &eh, sizeof(eh), 0);
	xpwrite(w->fd, ph, phnum * sizeof(*ph), phoff);
	free(ph);
}

void elf64_write(struct machine *m)
{
	struct seg s[40];
	size_t nseg = build_segs(m, s), note_len;
	uint8_t *notes;
	uint64_t phoff = m->o->phoff ? m->o->phoff : sizeof(Elf64_Ehdr);
	uint64_t shoff = 0, hdr_end, off;
	struct out w = { .fd = -1 };

	if (m->o->phoff)
		shoff = sizeof(Elf64_Ehdr);       /* QEMU 7.2: shdrs first */
	hdr_end = phoff + (nseg + 1) * sizeof(Elf64_Phdr);
	if (m->o->phoff && phoff < shoff + sizeof(Elf64_Shdr))
		die("--phoff overlaps the section header table");
	if (m->o->pn_xnum && !shoff) {
		shoff = hdr_end;
		hdr_end += sizeof(Elf64_Shdr);
	}
	note_len = build_notes(m, &notes);
	off = round_up(hdr_end, PAGE_SIZE) + round_up(note_len, PAGE_SIZE);
	for (size_t i = 0; i < nseg; i++) {
		off = round_up(off, PAGE_SIZE) + (s[i].paddr & (PAGE_SIZE - 1));
		s[i].offset = off;
		off += s[i].size;
	}
	w.fd = open(m->o->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (w.fd < 0)
		die("cannot create %s", m->o->out);
	if (ftruncate(w.fd, (off_t)off))
		die("ftruncate failed");
	w.batch = xcalloc(1, BATCH_BYTES);
	put_headers(m, &w, s, nseg, round_up(hdr_end, PAGE_SIZE), note_len,
		    phoff, shoff);
	xpwrite(w.fd, notes, note_len, round_up(hdr_end, PAGE_SIZE));
	for (size_t i = 0; i < nseg; i++)
		write_seg(m, &w, &s[i]);
	if (m->o->truncate >= 0 && ftruncate(w.fd, (off_t)m->o->truncate))
		die("truncate failed");
	if (close(w.fd))
		die("close failed");
	free(w.batch);
	free(notes);
}
