// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The input dump opened as a physical-address map, whatever its format
 * (detected by content): an ELF core (the kernel's /proc/vmcore, or a saved
 * core from QEMU/libvirt or from makedumpfile -E), or a kdump-compressed file
 * (makedumpfile, vmsift, QEMU), seekable or flattened, complete or cut.  The
 * engine and the kernel code read every format through the same calls.
 */
#ifndef VMSIFT_VMCORE_H
#define VMSIFT_VMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

/* One PT_LOAD as found in the file, already bounds-checked against the file. */
struct vs_phys_range {
	uint64_t start, end;
};

struct vs_load {
	uint64_t paddr;
	uint64_t vaddr;
	uint64_t offset;
	uint64_t filesz;   /* bytes present in the file (clipped at EOF: see truncated) */
	uint64_t memsz;
	uint64_t lost;     /* bytes of filesz that lie beyond the end of the file */
	unsigned index;    /* position in the program header table */
};

/*
 * A run of physical memory that the file backs without overlap: bytes
 * [paddr, paddr + filesz) are at [offset, ...) in the file, and
 * [paddr + filesz, paddr + memsz) read as zero.  Sorted by paddr.
 */
struct vs_piece {
	uint64_t paddr;
	uint64_t memsz;
	uint64_t filesz;
	uint64_t offset;
	uint64_t lostsz;   /* after filesz: bytes the headers claim but the file lacks */
};

struct vs_pageio;
struct vs_kdsrc;
struct vs_input_ops;

enum vs_input_format { VS_INPUT_ELF, VS_INPUT_KDUMP, VS_INPUT_FLAT_KDUMP };

struct vs_vmcore {
	int fd;
	uint64_t file_size;
	enum vs_input_format format;
	const struct vs_input_ops *ops;  /* how this format's pages are read */
	/*
	 * kdump-compressed input: loads and pieces describe the 1st bitmap's
	 * runs (memory the dumped machine had); kd is the reader's state.
	 */
	struct vs_kdsrc *kd;
	int input_dump_level;   /* the -d the input was made with; -1 for an ELF core */
	bool input_incomplete;  /* flagged incomplete, or the file or stream is cut */
	/* A --split set read with a piece missing (salvage): the first pfn range no piece holds. */
	uint64_t input_gap_pfn, input_gap_pfns, input_gap_total;
	const char *input_cut_piece;  /* a --split set: the first piece that is cut or marked incomplete */
	const char *input_dropped_piece, *input_dropped_why;  /* salvage: a piece left out, and why */
	bool has_phys_base;     /* the kdump sub-header's phys_base, to check against VMCOREINFO */
	uint64_t phys_base;
	const char *input_uts;  /* kdump input: its header's utsname (struct vs_utsname, 390 bytes) */
	uint32_t input_block_size; /* kdump input: bytes per bitmap bit and per stored page */
	int elf_class;          /* ELFCLASS32 or ELFCLASS64 */
	bool big_endian;
	/*
	 * The kernel's memory is in the other byte order than EI_DATA says:
	 * QEMU 7.2 writes a pseries ppc64le guest's core as big-endian; found
	 * when VMCOREINFO is recovered from memory.
	 */
	bool mem_swapped;
	uint16_t machine;       /* e_machine */
	uint32_t e_flags;

	struct vs_load *loads;  /* in program-header order */
	size_t nloads;
	struct vs_piece *pieces;
	size_t npieces;

	uint8_t *notes;         /* all PT_NOTE segments, concatenated */
	size_t notes_size;
	unsigned nr_cpus;       /* NT_PRSTATUS notes */
	const char *vmcoreinfo; /* points into notes, not NUL-terminated */
	size_t vmcoreinfo_size;
	size_t vmcoreinfo_offset; /* of the descriptor, within notes */
	uint8_t *eraseinfo;     /* kdump input: its erase record (--config), carried over */
	size_t eraseinfo_size;

	struct vs_pageio *io;   /* bulk: page data and struct page arrays, read in order */
	struct vs_pageio *meta; /* small scattered reads, so they do not move the bulk window */
	bool sparse;            /* see vs_vmcore_set_sparse */

	/*
	 * Data pages the file could not deliver (an I/O error): they read as
	 * zero and are counted here, by every reader thread; the dump resets them.
	 */
	uint64_t unreadable, unreadable_pfn;  /* count, lowest pfn */
	int unreadable_errnum;                /* errno of the first failure seen */
};

struct vs_vmcore_opts {
	bool no_mmap;           /* --non-mmap: pread() only */
	bool force_mmap;        /* --mmap: mmap windows even for a file in the page cache */
	uint64_t window_size;   /* mmap window; 0 = default */
	bool salvage;           /* a --split set with a missing piece: read it, the piece's pages lost */
	/* Physical byte ranges [start, end) to leave out of the input's memory: on a
	 * live /proc/kcore, the crash kernel's reservation, which no /proc/vmcore holds. */
	const struct vs_phys_range *omit;
	size_t nomit;
};

struct vs_err *vs_vmcore_open(const char *path, const struct vs_vmcore_opts *opts,
			      struct vs_vmcore **out);
/*
 * The pieces of a --split dump (makedumpfile's or vmsift's, seekable or
 * flattened, in any order) read as the one dump they make; n == 1 is
 * vs_vmcore_open.  Pieces of different dumps, overlapping pieces and (without
 * salvage) a missing piece are refused, naming the piece or the pfns.
 */
struct vs_err *vs_vmcore_open_set(const char *const *paths, size_t n, const struct vs_vmcore_opts *opts,
				  struct vs_vmcore **out);
void vs_vmcore_close(struct vs_vmcore *vc);

/* "ELF core", "kdump-compressed file" or "flattened kdump-compressed file". */
const char *vs_vmcore_format_name(const struct vs_vmcore *vc);

/*
 * kdump-compressed input: a one-line description of the header (block size,
 * dump level, status, pages present and readable) for debug output.
 */
void vs_vmcore_describe(const struct vs_vmcore *vc, char *buf, size_t len);

/* Highest physical end of any PT_LOAD, in pages (rounded up): makedumpfile's max_mapnr. */
uint64_t vs_vmcore_max_pfn(const struct vs_vmcore *vc, unsigned page_shift);

/*
 * Where a page's bytes come from.  FULL: the page lies wholly inside one
 * piece's file-backed bytes.  PARTIAL: some bytes come from the file, the rest
 * is zero.  ZERO: inside some PT_LOAD but no file bytes (memsz > filesz).
 * ABSENT: in no PT_LOAD (a hole).  LOST: the program headers say the bytes
 * exist but the file ends before them (truncated core).
 */
enum vs_page_src { VS_PAGE_ABSENT, VS_PAGE_FULL, VS_PAGE_PARTIAL, VS_PAGE_ZERO, VS_PAGE_LOST };

/*
 * Classifies the physical range [start, start + len), usually one page.  For
 * kdump-compressed input (page-sized ranges): ABSENT when the input holds no
 * data for the page (a hole, or excluded when it was made), LOST when its
 * data was cut off, FULL otherwise.
 */
enum vs_page_src vs_vmcore_page_src(const struct vs_vmcore *vc, uint64_t start, uint64_t len);

/*
 * kdump-compressed input: reports the pfns of [first, end) that the 1st
 * bitmap has but whose data the file lacks, in runs (why = VS_PAGE_ABSENT:
 * excluded when the input was made; VS_PAGE_LOST: cut off).  An ELF core
 * reports nothing here (its pieces say it).
 */
typedef void vs_missing_fn(void *arg, uint64_t pfn, uint64_t n, enum vs_page_src why);
struct vs_err *vs_vmcore_missing(struct vs_vmcore *vc, uint64_t first, uint64_t end, vs_missing_fn *fn,
				 void *arg);

/*
 * Returns a pointer to the page's bytes: either into an mmap window (valid
 * until the next call) or into buf (page_size bytes, caller-provided).  A
 * page that cannot be read comes back zero-filled and counted in
 * vc->unreadable: one bad sector must not cost the rest of the dump.
 */
struct vs_err *vs_vmcore_read_page(struct vs_vmcore *vc, uint64_t pfn, unsigned page_shift,
				   void *buf, const uint8_t **data);

/*
 * The same through another reader: each thread opens its own (own mmap
 * window and read-ahead buffer) with vs_vmcore_io_new.
 */
struct vs_err *vs_vmcore_read_page_io(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t pfn,
				      unsigned page_shift, void *buf, const uint8_t **data);
struct vs_err *vs_vmcore_io_new(struct vs_vmcore *vc, struct vs_pageio **io);
/* Frees io, adding its counters to the vmcore's. */
void vs_vmcore_io_free(struct vs_vmcore *vc, struct vs_pageio *io);

/* Reads len bytes at a physical address; bytes outside the file read as zero. */
struct vs_err *vs_vmcore_read_phys(struct vs_vmcore *vc, uint64_t paddr, void *buf, size_t len);

/*
 * Like read_phys, but returns a pointer into the mmap window when the range
 * lies in one segment (valid until the next read); otherwise copies into buf.
 */
struct vs_err *vs_vmcore_map_phys(struct vs_vmcore *vc, uint64_t paddr, size_t len, void *buf,
				  const uint8_t **data);

/*
 * For readers that keep pointers into the main reader's mmap window across
 * later reads (the compression pool): whether reading this page would map
 * nothing new (so no window is replaced), and whether a pointer that
 * vs_vmcore_read_page returned lies in a window rather than in a buffer.
 */
bool vs_vmcore_page_mapped(const struct vs_vmcore *vc, uint64_t pfn, unsigned page_shift);
bool vs_vmcore_data_mapped(const struct vs_vmcore *vc, const uint8_t *data);

/* Bulk reads will be scattered (few pages kept): read no more than needed. */
void vs_vmcore_set_sparse(struct vs_vmcore *vc, bool sparse);
/*
 * The next npages pages read through io (NULL: the vmcore's own reader) are
 * consecutive pfns read in order: with pread, one read fetches exactly them,
 * up to the read buffer.  Returns how many of them that read covers (>= 1).
 * For pool workers (each reads only its own batches) and sparse dumps.
 */
uint64_t vs_vmcore_expect_run(struct vs_vmcore *vc, struct vs_pageio *io, uint64_t npages,
			      unsigned page_shift);

/* True while bulk reads go through mmap windows (not --non-mmap, no fallback yet). */
bool vs_vmcore_uses_mmap(const struct vs_vmcore *vc);

/* True when mmap failed once and the reader switched to pread() for good. */
bool vs_vmcore_mmap_fell_back(const struct vs_vmcore *vc);

struct vs_io_stats {
	uint64_t mmaps, munmaps, preads, bytes_mapped;
};
void vs_vmcore_io_stats(const struct vs_vmcore *vc, struct vs_io_stats *st);

#endif
