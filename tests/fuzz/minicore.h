// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A tiny but complete x86_64 vmcore, built in memory: 64 pages of RAM with a
 * hole, real 4-level (or 5-level) page tables for the vmemmap, SPARSEMEM
 * mem_section (static or SPARSEMEM_EXTREME) with 8-pfn sections, struct
 * pages of every kind makedumpfile tells apart, zone counters, a printk
 * ring buffer and a VMCOREINFO note in the 6.1 or 6.12 style.  The fuzz harnesses damage it
 * (patches to physical memory, or a replaced VMCOREINFO text) and the fault
 * tests write it out with chosen damage through tests/fuzz/mkmini.
 */
#ifndef VMSIFT_MINICORE_H
#define VMSIFT_MINICORE_H

#include <stddef.h>
#include <stdint.h>

#define MINI_PAGE 4096u
#define MINI_NPFN 64u
#define MINI_RAM_BYTES (MINI_NPFN * MINI_PAGE)
#define MINI_HOLE_FIRST 40u   /* pfns [40, 48) are a hole: one whole section */
#define MINI_HOLE_END 48u

/* Variant bits (the first byte of a fuzz input). */
#define MINI_V612     0x01u  /* 6.12 struct page encoding, else 6.1 */
#define MINI_VEXTREME 0x02u  /* SPARSEMEM_EXTREME root array in the direct map */
#define MINI_VQEMU    0x04u  /* PT_LOAD vaddr 0 (QEMU): the direct map needs the page tables */
#define MINI_VL5      0x08u  /* 5-level paging */

/* Physical layout: pfn of each kernel structure. */
#define MINI_PFN_KDATA  0u   /* init_uts_ns, static mem_section, contig_page_data */
#define MINI_PFN_PGD    1u   /* init_top_pgt (4-level), or the P4D under the 5-level top */
#define MINI_PFN_PGD5   2u   /* init_top_pgt with 5-level paging */
#define MINI_PFN_PUD_DM 3u   /* direct map: one 1 GiB page */
#define MINI_PFN_PUD_VM 4u   /* vmemmap */
#define MINI_PFN_PMD_VM 6u
#define MINI_PFN_PTE_VM 7u
#define MINI_PFN_VMEMMAP 8u  /* struct pages of pfns 0..63 */
#define MINI_PFN_ROOTS  9u   /* extreme: root array at 0, sections at 0x800 */
#define MINI_PFN_PRINTK 5u   /* printk ring buffer: prb, descriptors, infos, text */
#define MINI_KIMAGE_PAGES 10u

#define MINI_KTEXT_VA   0xffffffff81000000ull  /* maps physical 0 */
#define MINI_DIRECT_MAP 0xffff888000000000ull
#define MINI_VMEMMAP    0xffffea0000000000ull
#define MINI_OFF_UTS     0x100u
#define MINI_OFF_MEMSEC  0x800u
#define MINI_OFF_PGDAT   0xc00u
#define MINI_PGDAT_NR_ZONES 0x300u  /* OFFSET(pglist_data.nr_zones) */
#define MINI_ZONE_SIZE   128u
#define MINI_ZONE_VMSTAT 64u
#define MINI_FREE_PAGES  20u        /* buddy pages in the image */

struct mini_edit {
	const char *key;    /* VMCOREINFO key */
	const char *value;  /* NULL: remove the key */
};

struct mini_opts {
	unsigned variant;
	const struct mini_edit *edits;  /* applied to the generated VMCOREINFO */
	size_t nedits;
	const char *vmcoreinfo;         /* replaces the generated text entirely when set */
	size_t vmcoreinfo_len;
};

/* Physical memory of the mini machine (MINI_RAM_BYTES), before damage. */
void mini_memory(unsigned variant, uint8_t *ram);

/* Writes 8 bytes little-endian at a physical address of ram. */
void mini_poke64(uint8_t *ram, uint64_t paddr, uint64_t v);

/*
 * Applies fuzz_walk patch records to ram: each is 10 bytes, a little-endian
 * u16 index of a 64-bit word of RAM (taken modulo the RAM's word count) and
 * the u64 value to store there.  A trailing partial record is ignored.
 */
void mini_apply_patches(uint8_t *ram, const uint8_t *p, size_t n);

/* The VMCOREINFO text for a variant, with edits applied; returns its length (< cap). */
size_t mini_vmcoreinfo(const struct mini_opts *o, char *buf, size_t cap);

/*
 * The whole ELF file from ram (MINI_RAM_BYTES) and the options; *len gets its
 * size.  Returns a malloc'd buffer, or NULL when out of memory.
 */
uint8_t *mini_elf(const struct mini_opts *o, const uint8_t *ram, size_t *len);

#endif
