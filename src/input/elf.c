// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF core parsing: header, program headers (anywhere in the file, with
 * PN_XNUM extended numbering), PT_NOTE and PT_LOAD segments.  Every value is
 * checked against the file size before use.
 */
#include "vmsift/vmcore.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "backend.h"
#include "elf_priv.h"
#include "pageio.h"
#include "../util/bytes.h"

/* No architecture addresses more physical memory (x86_64 5-level: 52 bits). */
#define MAX_PHYS_END (1ull << 52)
/* No real vmcore has more; bounds the memory a corrupt header can make us allocate. */
#define MAX_PHDRS (1u << 20)
#define MAX_NOTES_SIZE (256u << 20)

static struct vs_err *read_exact(int fd, void *buf, size_t len, uint64_t off, const char *what)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vs_err_os(errno, "reading the %s at file offset 0x%llx", what,
					 (unsigned long long)(off + got));
		if (n == 0)
			return vs_err_new(VS_ERR_CORRUPT,
					  "the file ends at offset 0x%llx, inside the %s (truncated?)",
					  (unsigned long long)(off + got), what);
		got += (size_t)n;
	}
	return NULL;
}

struct ehdr {
	uint64_t phoff, shoff;
	uint32_t phnum;
	uint16_t phentsize, shentsize;
};

static struct vs_err *parse_ehdr(struct vs_vmcore *vc, struct ehdr *eh)
{
	uint8_t h[64] = { 0 };
	if (vc->file_size < EI_NIDENT)
		return vs_err_new(VS_ERR_CORRUPT, "the file is %llu bytes long, too short for an ELF header",
				  (unsigned long long)vc->file_size);
	size_t hlen = vc->file_size < 64 ? (size_t)vc->file_size : 64;
	struct vs_err *err = read_exact(vc->fd, h, hlen, 0, "ELF header");
	if (err)
		return err;
	if (memcmp(h, ELFMAG, SELFMAG) != 0)
		return vs_err_new(VS_ERR_CORRUPT,
				  "not an ELF file, nor a kdump-compressed or flattened dump (bad magic at offset 0)");
	if (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64)
		return vs_err_new(VS_ERR_CORRUPT, "unknown ELF class %u", h[EI_CLASS]);
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return vs_err_new(VS_ERR_CORRUPT, "unknown ELF data encoding %u", h[EI_DATA]);
	vc->elf_class = h[EI_CLASS];
	bool be = vc->big_endian = h[EI_DATA] == ELFDATA2MSB;
	bool is64 = vc->elf_class == ELFCLASS64;
	size_t need = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (hlen < need)
		return vs_err_new(VS_ERR_CORRUPT, "the file is too short for an ELF%d header", is64 ? 64 : 32);
	if (vs_ld16(h + 16, be) != ET_CORE)
		return vs_err_new(VS_ERR_CORRUPT, "ELF type %u is not ET_CORE: not a vmcore",
				  vs_ld16(h + 16, be));
	vc->machine = vs_ld16(h + 18, be);
	if (is64) {
		eh->phoff = vs_ld64(h + 32, be);
		eh->shoff = vs_ld64(h + 40, be);
		vc->e_flags = vs_ld32(h + 48, be);
		eh->phentsize = vs_ld16(h + 54, be);
		eh->phnum = vs_ld16(h + 56, be);
		eh->shentsize = vs_ld16(h + 58, be);
	} else {
		eh->phoff = vs_ld32(h + 28, be);
		eh->shoff = vs_ld32(h + 32, be);
		vc->e_flags = vs_ld32(h + 36, be);
		eh->phentsize = vs_ld16(h + 42, be);
		eh->phnum = vs_ld16(h + 44, be);
		eh->shentsize = vs_ld16(h + 46, be);
	}
	size_t want_ph = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (eh->phentsize != want_ph)
		return vs_err_new(VS_ERR_CORRUPT, "program header entry size %u, expected %zu",
				  eh->phentsize, want_ph);
	return NULL;
}

/* PN_XNUM: the real program header count is in section header 0's sh_info. */
static struct vs_err *resolve_xnum(struct vs_vmcore *vc, struct ehdr *eh)
{
	if (eh->phnum != PN_XNUM)
		return NULL;
	bool is64 = vc->elf_class == ELFCLASS64;
	size_t shsz = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	uint64_t end;
	if (!eh->shoff || eh->shentsize < shsz || !vs_add_ok(eh->shoff, shsz, &end) ||
	    end > vc->file_size)
		return vs_err_new(VS_ERR_CORRUPT,
				  "e_phnum is PN_XNUM but section header 0 (offset 0x%llx) is missing",
				  (unsigned long long)eh->shoff);
	uint8_t sh[64];
	struct vs_err *err = read_exact(vc->fd, sh, shsz, eh->shoff, "section header 0");
	if (err)
		return err;
	eh->phnum = vs_ld32(sh + (is64 ? 44 : 28), vc->big_endian);
	return NULL;
}

static void decode_phdr(const struct vs_vmcore *vc, const uint8_t *p, uint32_t *type,
			struct vs_load *l)
{
	bool be = vc->big_endian;
	*type = vs_ld32(p, be);
	if (vc->elf_class == ELFCLASS64) {
		l->offset = vs_ld64(p + 8, be);
		l->vaddr = vs_ld64(p + 16, be);
		l->paddr = vs_ld64(p + 24, be);
		l->filesz = vs_ld64(p + 32, be);
		l->memsz = vs_ld64(p + 40, be);
	} else {
		l->offset = vs_ld32(p + 4, be);
		l->vaddr = vs_ld32(p + 8, be);
		l->paddr = vs_ld32(p + 12, be);
		l->filesz = vs_ld32(p + 16, be);
		l->memsz = vs_ld32(p + 20, be);
	}
}

static struct vs_err *add_note_segment(struct vs_vmcore *vc, const struct vs_load *seg)
{
	uint64_t end, total;
	if (!vs_add_ok(seg->offset, seg->filesz, &end) || end > vc->file_size)
		return vs_err_new(VS_ERR_CORRUPT,
				  "PT_NOTE #%u (offset 0x%llx, size 0x%llx) lies beyond the end of the file (0x%llx bytes)",
				  seg->index, (unsigned long long)seg->offset,
				  (unsigned long long)seg->filesz, (unsigned long long)vc->file_size);
	if (!vs_add_ok(vc->notes_size, seg->filesz, &total) || total > MAX_NOTES_SIZE)
		return vs_err_new(VS_ERR_CORRUPT, "PT_NOTE segments total more than %u MiB",
				  MAX_NOTES_SIZE >> 20);
	uint8_t *n = realloc(vc->notes, total ? total : 1);
	if (!n)
		return vs_enomem;
	vc->notes = n;
	struct vs_err *err = read_exact(vc->fd, n + vc->notes_size, seg->filesz, seg->offset, "PT_NOTE segment");
	if (err)
		return err;
	vc->notes_size = total;
	return NULL;
}

static struct vs_err *add_load(struct vs_vmcore *vc, struct vs_load *l)
{
	uint64_t end;
	if (l->filesz > l->memsz)
		l->memsz = l->filesz;  /* filesz > memsz is invalid ELF; keep every byte the file has */
	if (!vs_add_ok(l->paddr, l->memsz, &end) || !vs_add_ok(l->offset, l->filesz, &end))
		return vs_err_new(VS_ERR_CORRUPT,
				  "PT_LOAD #%u: address 0x%llx + size 0x%llx overflows", l->index,
				  (unsigned long long)l->paddr, (unsigned long long)l->memsz);
	if (l->paddr + l->memsz > MAX_PHYS_END)
		return vs_err_new(VS_ERR_CORRUPT,
				  "PT_LOAD #%u: physical range 0x%llx-0x%llx lies beyond 2^52, which no machine has",
				  l->index, (unsigned long long)l->paddr, (unsigned long long)(l->paddr + l->memsz));
	if (end > vc->file_size) {
		uint64_t present = l->offset >= vc->file_size ? 0 : vc->file_size - l->offset;
		l->lost = l->filesz - present;
		l->filesz = present;
	}
	vc->loads[vc->nloads++] = *l;
	return NULL;
}

/*
 * /proc/kcore (read by --mem-usage) also maps ranges that are no physical
 * memory (vmalloc, modules, vmemmap): it gives them a physical address of
 * all ones.  They hold no page frames, so they are left out.
 */
static bool virtual_only(const struct vs_vmcore *vc, const struct vs_load *l)
{
	return vc->elf_class == ELFCLASS32 ? l->paddr == UINT32_MAX : l->paddr == UINT64_MAX;
}

static struct vs_err *parse_phdrs(struct vs_vmcore *vc, const struct ehdr *eh)
{
	uint64_t tbl, end;
	if (eh->phnum == 0 || eh->phnum > MAX_PHDRS)
		return vs_err_new(VS_ERR_CORRUPT, "%u program headers: not a vmcore", eh->phnum);
	if (!vs_mul_ok(eh->phnum, eh->phentsize, &tbl) || !vs_add_ok(eh->phoff, tbl, &end) ||
	    end > vc->file_size)
		return vs_err_new(VS_ERR_CORRUPT,
				  "the program header table (offset 0x%llx, %u entries) lies beyond the end of the file",
				  (unsigned long long)eh->phoff, eh->phnum);
	uint8_t *ph = malloc(tbl);
	vc->loads = calloc(eh->phnum, sizeof(*vc->loads));
	if (!ph || !vc->loads) {
		free(ph);
		return vs_enomem;
	}
	struct vs_err *err = read_exact(vc->fd, ph, tbl, eh->phoff, "program header table");
	for (uint32_t i = 0; !err && i < eh->phnum; i++) {
		uint32_t type;
		struct vs_load l = { .index = i };
		decode_phdr(vc, ph + (size_t)i * eh->phentsize, &type, &l);
		if (type == PT_NOTE && l.filesz)
			err = add_note_segment(vc, &l);
		else if (type == PT_LOAD && l.memsz && !virtual_only(vc, &l))
			err = add_load(vc, &l);
	}
	free(ph);
	if (!err && vc->nloads == 0)
		err = vs_err_new(VS_ERR_CORRUPT, "no PT_LOAD segments: the file holds no memory");
	return err;
}

/*
 * mmap windows for /proc/vmcore: read() there copies through a bounce buffer
 * (ioremap of every page on older kernels), while mmap maps the old kernel's
 * memory directly.  A saved core lives in the page cache instead, where
 * pread() costs one copy and mmap costs a fault per 16 pages, page-table
 * teardown at munmap and, on a sparse file, zero-filled page cache for the
 * holes next to each fault: pread was faster there on every workload
 * measured (bench/RESULTS.md, "read method").
 */
static bool choose_mmap(int fd, const struct vs_vmcore_opts *opts)
{
	if (opts && opts->no_mmap)
		return false;
	if (opts && opts->force_mmap)
		return true;
	struct statfs sfs;
	return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

struct vs_err *vs_elf_open(struct vs_vmcore *vc, const struct vs_vmcore_opts *opts)
{
	struct ehdr eh = { 0 };
	vc->ops = &vs_elf_input_ops;
	struct vs_err *err = parse_ehdr(vc, &eh);
	if (!err)
		err = resolve_xnum(vc, &eh);
	if (!err)
		err = parse_phdrs(vc, &eh);
	if (!err && opts)
		err = vs_loads_omit(vc, opts->omit, opts->nomit);
	if (!err)
		err = vs_notes_scan(vc);
	if (!err)
		err = vs_pieces_build(vc);
	if (!err) {
		bool mmap = choose_mmap(vc->fd, opts);
		vc->io = calloc(1, sizeof(*vc->io));
		vc->meta = calloc(1, sizeof(*vc->meta));
		err = vc->io && vc->meta ? vs_pageio_init(vc->io, vc->fd, vc->file_size, mmap,
							  opts ? opts->window_size : 0)
					 : vs_enomem;
		if (!err)
			err = vs_pageio_init_small(vc->meta, vc->fd, vc->file_size, mmap);
	}
	return err;
}
