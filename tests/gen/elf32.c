// SPDX-License-Identifier: GPL-2.0-or-later
// --elf32: a minimal i386 ELF32 core (EM_386).  No kernel structures:
// VMCOREINFO has only OSRELEASE and PAGESIZE, enough for -d 0/1.  RAM
// is [4K, 636K) and [1M, mem); one page in eight is all zero, the rest
// carries the usual pattern.
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkvmcore.h"

#define PRSTATUS32_SIZE 144              /* i386 struct elf_prstatus */
#define LOWMEM_END 0x38000000ULL         /* 896 MiB directly mapped */

static const char vmci32[] = "OSRELEASE=6.1.0-synthetic-686-pae\nPAGESIZE=4096\n";

static int zero32(uint64_t seed, uint64_t pfn)
{
	return hash3(seed, pfn, 0x32) % 8 == 0;
}

static void fill32(uint64_t seed, uint64_t pfn, uint8_t *buf)
{
	uint64_t h = hash3(seed, pfn, 0x33);

	for (size_t i = 0; i < PAGE_SIZE; i += 8) {
		uint64_t v = h ^ (i * 0x0101010101010101ULL) ^ pfn;

		memcpy(buf + i, &v, 8);
	}
	memcpy(buf, "i386pfn=", 8);
}

static size_t ranges32(const struct opts *o, struct range *r)
{
	size_t n = 0;

	r[n++] = (struct range){ 0x1000, 0x9f000 };
	if (o->mem > LOWMEM_END) {
		r[n++] = (struct range){ MIB, LOWMEM_END };
		r[n++] = (struct range){ LOWMEM_END, o->mem };
	} else {
		r[n++] = (struct range){ MIB, o->mem };
	}
	return n;
}

static size_t notes32(const struct opts *o, uint8_t **out)
{
	size_t cap = (size_t)o->cpus * (20 + PRSTATUS32_SIZE) + 24 + sizeof(vmci32) + 8;
	uint8_t *b = xcalloc(1, cap), *p = b;

	for (int c = 0; c < o->cpus; c++) {
		Elf32_Nhdr nh = { 5, PRSTATUS32_SIZE, NT_PRSTATUS };

		memcpy(p, &nh, 12);
		memcpy(p + 12, "CORE", 5);
		p += 20 + PRSTATUS32_SIZE;
	}
	if (!o->no_vmcoreinfo) {
		Elf32_Nhdr nh = { 11, (Elf32_Word)strlen(vmci32), 0 };

		memcpy(p, &nh, 12);
		memcpy(p + 12, "VMCOREINFO", 11);
		memcpy(p + 24, vmci32, strlen(vmci32));
		p += 24 + round_up(strlen(vmci32), 4);
	}
	*out = b;
	return (size_t)(p - b);
}

static void write_range(int fd, uint64_t seed, const struct range *r, uint64_t off)
{
	uint8_t page[4096];

	for (uint64_t a = r->start; a < r->end; a += PAGE_SIZE) {
		uint64_t pfn = a >> PAGE_SHIFT;

		if (zero32(seed, pfn))
			continue;
		fill32(seed, pfn, page);
		if (pwrite(fd, page, PAGE_SIZE, (off_t)(off + a - r->start)) != (ssize_t)PAGE_SIZE)
			die("write failed");
	}
}

void elf32_write(const struct opts *o)
{
	struct range r[4];
	size_t n = ranges32(o, r), nl;
	uint8_t *notes;
	Elf32_Ehdr eh = { 0 };
	Elf32_Phdr ph[5];
	uint64_t off, hdr = sizeof(eh) + (n + 1) * sizeof(Elf32_Phdr);
	int fd;

	nl = notes32(o, &notes);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_386;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf32_Phdr);
	eh.e_phnum = (Elf32_Half)(n + 1);
	memset(ph, 0, sizeof(ph));
	ph[0] = (Elf32_Phdr){ .p_type = PT_NOTE, .p_offset = (Elf32_Off)round_up(hdr, PAGE_SIZE),
			      .p_filesz = (Elf32_Word)nl, .p_memsz = (Elf32_Word)nl };
	off = round_up(hdr, PAGE_SIZE) + round_up(nl, PAGE_SIZE);
	for (size_t i = 0; i < n; i++) {
		uint64_t sz = r[i].end - r[i].start;

		ph[i + 1] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
			.p_offset = (Elf32_Off)off,
			.p_vaddr = r[i].start < LOWMEM_END ? (Elf32_Addr)(0xc0000000ULL + r[i].start) : 0,
			.p_paddr = (Elf32_Addr)r[i].start, .p_filesz = (Elf32_Word)sz,
			.p_memsz = (Elf32_Word)sz };
		off += sz;
	}
	fd = open(o->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)off))
		die("cannot create %s", o->out);
	if (pwrite(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    pwrite(fd, ph, (n + 1) * sizeof(Elf32_Phdr), sizeof(eh)) !=
		    (ssize_t)((n + 1) * sizeof(Elf32_Phdr)) ||
	    pwrite(fd, notes, nl, ph[0].p_offset) != (ssize_t)nl)
		die("write failed");
	for (size_t i = 0; i < n; i++)
		write_range(fd, o->seed, &r[i], ph[i + 1].p_offset);
	if (o->truncate >= 0 && ftruncate(fd, (off_t)o->truncate))
		die("truncate failed");
	close(fd);
	free(notes);
}

/* Truth for --elf32: only zero pages can be told apart. */
void truth_write_elf32(const struct opts *o)
{
	struct range r[4];
	size_t n = ranges32(o, r);
	uint64_t ram = 0, zero = 0, max = r[n - 1].end >> PAGE_SHIFT;
	FILE *f = fopen(o->truth, "w");

	if (!f)
		die("cannot create %s", o->truth);
	for (size_t i = 0; i < n; i++)
		for (uint64_t p = r[i].start >> PAGE_SHIFT; p < r[i].end >> PAGE_SHIFT; p++) {
			ram++;
			zero += zero32(o->seed, p);
		}
	fprintf(f, "# format vmsift-truth-1\n# kernel i386\n# mem %llu\n# seed %llu\n"
		"# max_mapnr %llu\n# ram_pages %llu\n# zero %llu\n",
		(unsigned long long)o->mem, (unsigned long long)o->seed,
		(unsigned long long)max, (unsigned long long)ram,
		(unsigned long long)zero);
	for (int l = 0; l < 32; l++)
		fprintf(f, "# d%d.zero %llu\n# d%d.excluded %llu\n", l,
			(unsigned long long)(l & 1 ? zero : 0), l,
			(unsigned long long)(l & 1 ? zero : 0));
	for (size_t i = 0; i < n; i++) {
		uint64_t p = r[i].start >> PAGE_SHIFT, e = r[i].end >> PAGE_SHIFT;

		while (p < e) {
			int z = zero32(o->seed, p);
			uint64_t q = p;

			while (q < e && zero32(o->seed, q) == z)
				q++;
			fprintf(f, "%llu %llu %s\n", (unsigned long long)p,
				(unsigned long long)(q - p), z ? "zero" : "kernel");
			p = q;
		}
	}
	fclose(f);
}
