// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening a kdump-compressed file as the input dump: the headers give the
 * page size, max_mapnr and notes; the 1st bitmap (memory the machine had)
 * becomes the physical map; one pass over the 2nd bitmap builds a rank index
 * (8 bytes per 16 MiB of memory with 4 KiB pages) so any pfn's descriptor is
 * found without keeping the bitmaps in memory.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "backend.h"
#include "kdsrc.h"
#include "vmsift/kdump.h"
#include "../util/bytes.h"

#define SCAN_CHUNK (256u << 10)
/* A real machine has a few dozen memory ranges; bounds what a corrupt bitmap costs. */
#define MAX_RUNS (1u << 20)
/* No architecture addresses more physical memory (x86_64 5-level: 52 bits). */
#define MAX_PHYS_END (1ull << 52)

#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

/* The kdump header has no e_machine: utsname.machine names the architecture. */
static void machine_from_uts(struct vs_vmcore *vc, const uint8_t *main_hdr)
{
	static const struct { const char *name; uint16_t em; int cls; } map[] = {
		{ "x86_64", EM_X86_64, ELFCLASS64 }, { "i386", EM_386, ELFCLASS32 }, { "i486", EM_386, ELFCLASS32 },
		{ "i586", EM_386, ELFCLASS32 }, { "i686", EM_386, ELFCLASS32 }, { "aarch64", EM_AARCH64, ELFCLASS64 },
		{ "ppc64", EM_PPC64, ELFCLASS64 }, { "ppc64le", EM_PPC64, ELFCLASS64 }, { "s390x", EM_S390, ELFCLASS64 },
		{ "riscv64", EM_RISCV, ELFCLASS64 }, { "loongarch64", EM_LOONGARCH, ELFCLASS64 },
		{ "mips64", EM_MIPS, ELFCLASS64 }, { "arm", EM_ARM, ELFCLASS32 },
	};
	char m[VS_UTSNAME_LEN + 1] = { 0 };
	memcpy(m, main_hdr + 12 + 4 * VS_UTSNAME_LEN, VS_UTSNAME_LEN);
	vc->machine = EM_NONE;
	vc->elf_class = ELFCLASS64;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		bool arm = strcmp(map[i].name, "arm") == 0 && strncmp(m, "armv", 4) == 0;
		if (strcmp(m, map[i].name) == 0 || arm) {
			vc->machine = map[i].em;
			vc->elf_class = map[i].cls;
		}
	}
}

struct scan {
	struct vs_vmcore *vc;
	size_t cap;
	size_t next_part;     /* the next part whose start the scan has not reached */
	size_t next_end;      /* the next part whose end the scan has not reached */
	uint64_t run_start;
	bool in_run;
};

static struct vs_err *add_run(struct scan *sc, uint64_t start, uint64_t end, unsigned shift)
{
	struct vs_vmcore *vc = sc->vc;
	if (vc->nloads == sc->cap) {
		if (vc->nloads >= MAX_RUNS)
			return vs_err_new(VS_ERR_CORRUPT, "the 1st bitmap has more than %u runs of memory: corrupt",
					  MAX_RUNS);
		size_t cap = sc->cap ? sc->cap * 2 : 64;
		struct vs_load *l = realloc(vc->loads, cap * sizeof(*l));
		if (!l)
			return vs_enomem;
		vc->loads = l;
		sc->cap = cap;
	}
	uint64_t size = (end - start) << shift;
	vc->loads[vc->nloads] = (struct vs_load){ .paddr = start << shift, .filesz = size, .memsz = size,
						  .index = (unsigned)vc->nloads };
	vc->nloads++;
	return NULL;
}

/* Runs of set bits in bitmap 1 become the loads; bitmap 2's bits feed the rank index. */
static struct vs_err *scan_chunk(struct scan *sc, struct vs_kdsrc *kd, uint64_t pfn0, const uint8_t *b1,
				 const uint8_t *b2, uint64_t npfn)
{
	for (uint64_t i = 0; i < npfn; i++) {
		uint64_t pfn = pfn0 + i;
		if (pfn % VS_KD_RANK_BLOCKS == 0)
			kd->rank[pfn / VS_KD_RANK_BLOCKS] = kd->dumpable;
		while (sc->next_part < kd->nparts && kd->parts[sc->next_part].start_blk <= pfn)
			kd->parts[sc->next_part++].rank_base = kd->dumpable;
		while (sc->next_end < kd->nparts && kd->parts[sc->next_end].end_blk <= pfn)
			kd->parts[sc->next_end++].rank_end = kd->dumpable;
		bool set1 = b1[i >> 3] >> (i & 7) & 1;
		kd->dumpable += b2[i >> 3] >> (i & 7) & 1;
		if (set1 && !sc->in_run) {
			sc->in_run = true;
			sc->run_start = pfn;
		} else if (!set1 && sc->in_run) {
			sc->in_run = false;
			struct vs_err *err = add_run(sc, sc->run_start, pfn, kd->shift + kd->bshift);
			if (err)
				return err;
		}
	}
	return NULL;
}

static struct vs_err *scan_bitmaps(struct vs_vmcore *vc, struct vs_kdsrc *kd)
{
	kd->nrank = kd->max_blk / VS_KD_RANK_BLOCKS + 1;
	uint8_t *b1 = malloc(SCAN_CHUNK), *b2 = malloc(SCAN_CHUNK);
	kd->rank = calloc(kd->nrank, sizeof(*kd->rank));
	struct vs_err *err = b1 && b2 && kd->rank ? NULL : vs_enomem;
	struct scan sc = { .vc = vc };
	uint64_t bytes = (kd->max_blk + 7) / 8;
	for (uint64_t off = 0; !err && off < bytes; off += SCAN_CHUNK) {
		size_t len = bytes - off < SCAN_CHUNK ? (size_t)(bytes - off) : SCAN_CHUNK;
		err = vs_kd_bitmap(kd, 1, off, b1, len);
		if (!err)
			err = vs_kd_bitmap(kd, 2, off, b2, len);
		uint64_t nblk = (uint64_t)len * 8;
		if (off * 8 + nblk > kd->max_blk)
			nblk = kd->max_blk - off * 8;
		if (!err)
			err = scan_chunk(&sc, kd, off * 8, b1, b2, nblk);
	}
	if (!err && sc.in_run)
		err = add_run(&sc, sc.run_start, kd->max_blk, kd->shift + kd->bshift);
	while (sc.next_part < kd->nparts)  /* parts that end at max_mapnr (or start there: empty) */
		kd->parts[sc.next_part++].rank_base = kd->dumpable;
	while (sc.next_end < kd->nparts)
		kd->parts[sc.next_end++].rank_end = kd->dumpable;
	for (size_t i = 0; i < kd->nparts; i++)  /* not the bits of a gap after it: no piece has those */
		kd->parts[i].dumpable = kd->parts[i].rank_end - kd->parts[i].rank_base;
	if (!err && kd->max_blk % VS_KD_RANK_BLOCKS == 0)
		kd->rank[kd->nrank - 1] = kd->dumpable;
	if (!err && !vc->nloads)
		err = vs_err_new(VS_ERR_CORRUPT, "%s: the 1st bitmap marks no memory at all", kd->in->path);
	free(b1);
	free(b2);
	return err;
}

/* The loads are sorted and disjoint: each is its own piece. */
static struct vs_err *make_pieces(struct vs_vmcore *vc)
{
	if (!(vc->pieces = calloc(vc->nloads, sizeof(*vc->pieces))))
		return vs_enomem;
	for (size_t i = 0; i < vc->nloads; i++)
		vc->pieces[i] = (struct vs_piece){ .paddr = vc->loads[i].paddr, .memsz = vc->loads[i].memsz,
						   .filesz = vc->loads[i].filesz };
	vc->npieces = vc->nloads;
	return NULL;
}

static bool desc_usable(const struct vs_kdump_in *in, const uint8_t *raw)
{
	uint64_t off = vs_ld64(raw, in->big_endian), end;
	uint32_t size = vs_ld32(raw + 8, in->big_endian);
	return off && size && size <= in->block_size && vs_add_ok(off, size, &end) && end <= in->file_size;
}

/*
 * Incomplete: the dump says so, or the file ends before the last page's
 * data.  (Every descriptor is checked while filtering anyway: one pointing
 * at nothing leaves its page out, flagged, rather than written as zeros.)
 */
static struct vs_err *check_part(struct vs_kdpart *p, bool *cut)
{
	struct vs_kdump_in *in = p->in;
	uint64_t room = in->file_size - in->desc_off;
	p->table_in_file = room / 24 < p->dumpable ? room / 24 : p->dumpable;
	*cut |= (in->status & VS_DH_INCOMPLETE) || (p->flat && p->flat->truncated) || p->table_in_file < p->dumpable;
	if (*cut || !p->dumpable)
		return NULL;
	uint8_t raw[24];
	struct vs_err *err = vs_kdump_in_read(in, in->desc_off + (p->dumpable - 1) * 24, raw, 24);
	if (!err)
		*cut = !desc_usable(in, raw);
	return err;
}

static struct vs_err *check_completeness(struct vs_vmcore *vc, struct vs_kdsrc *kd)
{
	bool cut = kd->gap_blks != 0;
	vc->input_gap_pfn = kd->gap_first << kd->bshift;
	vc->input_gap_pfns = kd->gap_first_blks << kd->bshift;
	vc->input_gap_total = kd->gap_blks << kd->bshift;
	vc->input_dropped_piece = kd->dropped;
	vc->input_dropped_why = kd->dropped_why;
	struct vs_err *err = NULL;
	for (size_t i = 0; !err && i < kd->nparts; i++) {
		bool c = false;
		err = check_part(&kd->parts[i], &c);
		if (c && !vc->input_cut_piece && (kd->nparts > 1 || kd->in->split))
			vc->input_cut_piece = kd->parts[i].in->path;
		cut |= c;
	}
	vc->input_incomplete = cut;
	return err;
}

/*
 * With -d 1 (and always in QEMU's files) the data area starts with one zero
 * page that every zero pfn points at: reading it would send the read-ahead
 * back to the data area's start for each of them.  Whenever the data area
 * starts with a zero page, any raw page stored there is that zero page.
 */
static struct vs_err *find_zero_page(struct vs_kdsrc *kd, struct vs_kdpart *part)
{
	struct vs_kdump_in *in = part->in;
	uint64_t B = in->block_size;
	if (kd->table_end > in->file_size || in->file_size - kd->table_end < B)
		return NULL;
	uint8_t *p = malloc(B);
	if (!p)
		return vs_enomem;
	struct vs_err *err = vs_kdump_in_read(in, kd->table_end, p, B);
	part->zero_ok = !err && vs_page_is_zero(p, B);
	free(p);
	return err;
}

static struct vs_err *copy_notes(struct vs_vmcore *vc, const struct vs_kdump_in *in)
{
	if (in->eraseinfo_size) {
		if (!(vc->eraseinfo = malloc(in->eraseinfo_size)))
			return vs_enomem;
		memcpy(vc->eraseinfo, in->eraseinfo, in->eraseinfo_size);
		vc->eraseinfo_size = in->eraseinfo_size;
	}
	if (!in->notes_size)
		return NULL;
	if (!(vc->notes = malloc(in->notes_size)))
		return vs_enomem;
	memcpy(vc->notes, in->notes, in->notes_size);
	vc->notes_size = in->notes_size;
	struct vs_err *err = vs_notes_scan(vc);
	if (!vc->nr_cpus)
		vc->nr_cpus = in->nr_cpus;
	return err;
}

/* PAGESIZE= from the VMCOREINFO note, 0 if absent or malformed. */
static uint64_t vmcoreinfo_page_size(const struct vs_vmcore *vc)
{
	const char *p = vc->vmcoreinfo, *end = p ? p + vc->vmcoreinfo_size : NULL;
	for (; p && p < end; p++) {
		if ((p == vc->vmcoreinfo || p[-1] == '\n') && end - p > 9 && memcmp(p, "PAGESIZE=", 9) == 0) {
			uint64_t v = 0;
			for (p += 9; p < end && *p >= '0' && *p <= '9' && v < (1u << 30); p++)
				v = v * 10 + (uint64_t)(*p - '0');
			return v;
		}
	}
	return 0;
}

/*
 * One page per block, unless VMCOREINFO's page size is smaller and divides
 * the block size (QEMU writes 64 KiB blocks for aarch64 guests with 4 KiB
 * pages): then each bit and descriptor stands for several pages.
 */
static void choose_page_size(struct vs_vmcore *vc, struct vs_kdsrc *kd)
{
	uint64_t B = kd->in->block_size, P = vmcoreinfo_page_size(vc);
	unsigned bs = (unsigned)__builtin_ctzll(B);
	kd->shift = bs;
	kd->bshift = 0;
	if (P >= 1024 && P < B && !(P & (P - 1))) {
		kd->shift = (unsigned)__builtin_ctzll(P);
		kd->bshift = bs - kd->shift;
	}
	kd->max_blk = kd->in->max_mapnr;
	kd->max_pfn = kd->max_blk << kd->bshift;
	vc->input_block_size = 1u << kd->shift;
}

struct vs_err *vs_kd_check_header(const struct vs_kdump_in *in, const struct vs_flatmap *flat)
{
	uint64_t B = in->block_size;
	if (in->max_mapnr > MAX_PHYS_END / B)
		return vs_err_new(VS_ERR_CORRUPT, "%s: max_mapnr 0x%llx reaches beyond 2^52 bytes, which no machine has",
				  in->path, (unsigned long long)in->max_mapnr);
	/* Both bitmaps are always written whole: a stream holding less is not a dump (and not worth scanning). */
	if (flat && (in->max_mapnr + 7) / 8 * 2 > flat->payload)
		return vs_err_new(VS_ERR_CORRUPT, "%s: the flattened file's records hold %llu bytes, less than its bitmaps",
				  in->path, (unsigned long long)flat->payload);
	if (!in->max_mapnr)
		return vs_err_new(VS_ERR_CORRUPT, "%s: max_mapnr is 0: the dump holds no memory", in->path);
	return NULL;
}

static struct vs_err *setup_readers(struct vs_vmcore *vc)
{
	vc->io = calloc(1, sizeof(*vc->io));
	vc->meta = calloc(1, sizeof(*vc->meta));
	if (!vc->io || !vc->meta)
		return vs_enomem;
	/* pread only: a saved file is in the page cache, where pread beat mmap (see elf.c) */
	struct vs_err *err = vs_pageio_init(vc->io, vc->fd, vc->file_size, false, 0);
	if (!err)
		err = vs_pageio_init_small(vc->meta, vc->fd, vc->file_size, false);
	if (!err)
		err = vs_kd_reader_new(vc, vc->io);
	if (!err)
		err = vs_kd_reader_new(vc, vc->meta);
	return err;
}

/* The first file (vc->fd) is the first part; a --split set adds the others. */
static struct vs_err *open_first(struct vs_vmcore *vc, struct vs_kdpart *p0, const char *path, bool flat)
{
	*p0 = (struct vs_kdpart){ .fd = vc->fd, .file_size = vc->file_size };
	struct vs_err *err = flat ? vs_flatmap_build(vc->fd, vc->file_size, &p0->flat) : NULL;
	if (!err && flat)
		p0->file_size = vc->file_size = p0->flat->size;
	if (!err)
		err = vs_kdump_in_open_fd(vc->fd, path, p0->file_size, p0->flat, &p0->in);
	if (!err)
		err = vs_kd_check_header(p0->in, p0->flat);
	p0->end_blk = p0->in ? p0->in->max_mapnr : 0;
	return err;
}

static struct vs_err *open_parts(struct vs_vmcore *vc, struct vs_kdsrc *kd, const char *const *paths, size_t n,
				 bool flat, bool salvage)
{
	struct vs_kdpart *p0 = kd->parts = calloc(1, sizeof(*kd->parts));
	if (!p0)
		return vs_enomem;
	kd->nparts = 1;
	size_t k = 0;
	struct vs_err *err = open_first(vc, p0, paths[0], flat);
	/* Salvaging a set: a first piece that holds nothing readable is left out, as a missing one. */
	while (err && salvage && k + 1 < n && vs_kd_drop_part(kd, p0, paths[k], err)) {
		*p0 = (struct vs_kdpart){ .fd = -1 };
		err = vs_kd_open_part(p0, paths[++k]);
	}
	if (!err && (n - k > 1 || p0->in->split))
		err = vs_kd_add_parts(kd, paths + k, n - k, salvage);
	if (!err && kd->parts[0].in->split)
		err = vs_kd_check_tiling(kd, salvage);
	kd->in = kd->parts[0].in;
	kd->flat = kd->parts[0].flat;
	return err;
}

struct vs_err *vs_kd_open(struct vs_vmcore *vc, const char *const *paths, size_t n, bool flat, bool salvage)
{
	struct vs_kdsrc *kd = vc->kd = calloc(1, sizeof(*kd));
	if (!kd)
		return vs_enomem;
	vc->ops = &vs_kdump_input_ops;
	vc->format = flat ? VS_INPUT_FLAT_KDUMP : VS_INPUT_KDUMP;
	struct vs_err *err = open_parts(vc, kd, paths, n, flat, salvage);
	if (err)
		return err;
	struct vs_kdump_in *in = kd->in;
	machine_from_uts(vc, in->main);
	vc->big_endian = in->big_endian;  /* the machine's order: its memory is read that way too */
	vc->input_uts = (const char *)in->main + 12;
	vc->input_dump_level = in->dump_level & 31;
	vc->has_phys_base = true;
	vc->phys_base = in->phys_base;
	err = copy_notes(vc, in);
	if (err)
		return err;
	choose_page_size(vc, kd);
	err = scan_bitmaps(vc, kd);
	kd->table_end = in->desc_off + kd->dumpable * 24;
	if (!err)
		err = make_pieces(vc);
	if (!err)
		err = check_completeness(vc, kd);
	for (size_t i = 0; !err && i < kd->nparts; i++)
		err = find_zero_page(kd, &kd->parts[i]);
	if (!err)
		err = setup_readers(vc);
	return err;
}

void vs_kd_close(struct vs_vmcore *vc)
{
	struct vs_kdsrc *kd = vc->kd;
	if (!kd)
		return;
	vs_kd_free_parts(kd);
	free(kd->rank);
	free(kd);
	vc->kd = NULL;
}

uint64_t vs_kd_max_pfn(const struct vs_vmcore *vc)
{
	return vc->kd->max_pfn;
}

static uint64_t in_files(const struct vs_kdsrc *kd)
{
	uint64_t n = 0;
	for (size_t i = 0; i < kd->nparts; i++)
		n += kd->parts[i].table_in_file;
	return n;
}

void vs_kd_describe(const struct vs_vmcore *vc, char *buf, size_t len)
{
	const struct vs_kdsrc *kd = vc->kd;
	const struct vs_kdump_in *in = kd->in;
	char set[48] = "";
	if (kd->nparts > 1 || in->split)
		snprintf(set, sizeof(set), ", a --split set of %zu piece(s)", kd->nparts);
	snprintf(buf, len,
		 "kdump header version %u, block size %u (%u page(s) of %u bytes), dump level %d, status 0x%x, "
		 "max_mapnr 0x%llx, %llu blocks with data (%llu descriptors in the file(s))%s%s%s",
		 in->header_version, in->block_size, 1u << kd->bshift, 1u << kd->shift, in->dump_level, in->status,
		 (unsigned long long)kd->max_blk,
		 (unsigned long long)kd->dumpable, (unsigned long long)in_files(kd),
		 set,
		 vc->input_incomplete ? ", incomplete" : "",
		 kd->flat ? (kd->flat->truncated ? ", flattened stream cut short" : ", flattened") : "");
}
