// SPDX-License-Identifier: GPL-2.0-or-later
// mkvmcore: synthetic x86_64 and arm64 /proc/vmcore generator for vmsift's
// tests.
// Shared types, constants and prototypes of all tests/gen/*.c files.
#ifndef MKVMCORE_H
#define MKVMCORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Page and section geometry: fixed for x86_64, chosen by the arm64
 * granule.  Set once (geom_set) before anything is laid out. */
struct geom {
	int page_shift;
	int section_shift;               /* SECTION_SIZE_BITS */
	unsigned sz_mem_section;         /* sizeof(struct mem_section) */
};
extern struct geom g_geom;
#define PAGE_SHIFT (g_geom.page_shift)
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define MAX_PAGE_SIZE 65536
#define SPAGE 64ULL                      /* sizeof(struct page) */
#define SECTION_SHIFT (g_geom.section_shift)
#define PFN_SECTION_SHIFT (SECTION_SHIFT - PAGE_SHIFT)
#define PAGES_PER_SECTION (1ULL << PFN_SECTION_SHIFT)
#define SECTIONS_PER_ROOT (PAGE_SIZE / g_geom.sz_mem_section)
#define SPAGES_PER_PAGE (PAGE_SIZE / SPAGE) /* struct pages per vmemmap page */
#define VMM_CHUNK (PAGES_PER_SECTION * SPAGE) /* a section's memmap bytes */
#define MAX_ORDER_NR 11                  /* LENGTH(zone.free_area) */
#define MIGRATE_TYPES 6
#define MIGRATE_MOVABLE 1
#define NR_ZONES 5                       /* DMA, DMA32, NORMAL, MOVABLE, DEVICE */
#define MAX_NUMNODES 1024
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define START_KERNEL_MAP 0xffffffff80000000ULL
#define KTEXT_OFF 0x1000000ULL           /* _text - __START_KERNEL_map */
#define KERNEL_IMAGE_SIZE GIB

/* Page kinds: what a pfn holds.  The makedumpfile category of each kind is
 * fixed (kind_category() in truth.c); see README.md. */
enum kind {
	K_KERNEL, K_SLAB, K_PGTABLE, K_ZERO, K_CACHE, K_CACHE_PRIV,
	K_SWAPCACHE, K_ANON, K_THP, K_HUGETLB, K_FILETHP, K_FREE,
	K_HWPOISON, K_OFFLINE, K_ZFS_ARC, K_NKINDS
};

/* makedumpfile's report categories. */
enum cat { C_KEEP, C_ZERO, C_CACHE, C_CACHE_PRIV, C_USER, C_FREE,
	   C_HWPOISON, C_OFFLINE, C_NCATS };

/* page->private of K_ZFS_ARC pages: the tag ZFS puts on its ARC data pages
 * (openzfs #8899), the value downstream makedumpfile filters take. */
#define ZFS_ARC_MAGIC 0x2F5ABDF11ECAC4EULL

enum kver { KV_6_1, KV_6_12 };
/* The printk ring layout: 5.10+ lockless, 3.5-5.9 records, pre-3.5 plain. */
enum printk_fmt { PK_LOCKLESS, PK_RECORDS, PK_PLAIN };
enum arch_id { A_X86_64, A_ARM64, A_RISCV64, A_S390X, A_PPC64 };
/* arm64 descriptor formats: PA <= 48 bits; 64K LPA (PA[51:48] in bits
 * 15:12); 4K/16K LPA2 (PA[51:50] in bits 9:8) */
enum pa_fmt { PF_PLAIN, PF_LPA, PF_LPA2 };
enum memmodel { MM_SPARSE, MM_FLAT, MM_DISCONTIG };
/* --corrupt: damage for the memory-model walkers' tests */
enum corrupt { CR_NONE, CR_NODE_PTR, CR_SPANNED, CR_LIST_LOOP, CR_LIST_WILD, CR_LOG_LOOP,
	       CR_LOG_WILD, CR_LOG_LEN, CR_MEMMAP_UNMAPPED, CR_VMM_LOOP,
	       CR_TASK_MM };
/* --kallsyms: the dead kernel's symbol table, and how its addresses are kept */
enum ks_mode { KS_NONE, KS_RELATIVE, KS_PERCPU, KS_DISAGREE };
#define MAX_GNODES 2                     /* nodes of --memmodel discontig */
#define NZL (MAX_GNODES * NR_ZONES)      /* (node, zone) free-list owners */
#define DISCONTIG_GAP (224 * MIB)        /* hole between the two nodes */
#define OFF_PGLIST_NODE_MEM_MAP 171920   /* exported by FLATMEM/DISCONTIGMEM */
#define MAX_DROP_KEYS 8

struct range { uint64_t start, end; };   /* physical bytes [start, end) */

/* A run of pfns of one kind.  Compound kinds are made of whole compounds
 * of 2^order pages each; free runs are cut into buddy blocks on the fly. */
struct run {
	uint64_t start;
	uint32_t len;
	uint8_t kind;
	uint8_t order;
};

struct opts {
	uint64_t mem;
	uint64_t seed;
	enum kver kver;
	int l5, kaslr, holes, vmemmap4k, cpus;
	int unsorted, unaligned, no_vmcoreinfo, pn_xnum, elf32;
	int free_fill;                   /* -1 auto, 0 zero, 1 pattern */
	enum memmodel memmodel;
	int no_buddy_marker;
	enum corrupt corrupt;
	const char *drop_key[MAX_DROP_KEYS];
	int ndrop;
	uint64_t phoff;                  /* 0 = default (64) */
	int64_t truncate;                /* -1 = no */
	double mix[K_NKINDS];
	const char *out, *truth, *dmesg, *dmesg_caller;
	enum printk_fmt printk;
	int printk_count;                /* --printk-count: 0 = all records */
	int printk_struct_log;           /* records named struct log (3.5-3.10) */
	/* arm64 */
	enum arch_id arch;
	int granule_shift;               /* 12, 14, 16 */
	int va_bits;                     /* configured VA_BITS; 0 = default */
	int lpa2;                        /* 52-bit VA active with LPA2 */
	int va_fallback;                 /* 52-bit kernel running 48/47-bit */
	int kver_set;                    /* --kernel given */
	int node_data_key;               /* --node-data: export node_data */
	int qemu_elf;                    /* --qemu-elf: as QMP dump-guest-memory */
	enum ks_mode kallsyms;           /* --kallsyms */
	int napot;                       /* riscv64: some linear-map runs by Svnapot PTEs */
	int startup_bait;                /* --startup-bait (bait.c) */
	int s390_levels;                 /* s390x: translation levels 3, 4, 5 */
	int ppc_radix;                   /* ppc64: radix MMU (else hash) */
	int ppc64_be;                    /* ppc64: big-endian (--arch ppc64), else ppc64le */
	int user_task;                   /* --user-task: a user task on CPU 0 (usertask.c) */
};

/* --startup-bait: a struct page that lies (bait.c).  reason: enum
 * startup_reason, or -1 for an inconsistent struct page; cat: the
 * makedumpfile category it falls in; pages: how many it decides. */
enum bait_mark { BM_NONE, BM_CACHE, BM_ANON, BM_FREE, BM_BADMAP, BM_LRU, BM_BADTAIL };
enum startup_reason { SR_IMAGE, SR_PGTABLE, SR_VMCI, SR_PERCPU, SR_STACK, SR_N,
		      SR_FREED = SR_N };  /* not in the set: image the kernel freed */
struct bait {
	uint64_t pfn;
	int mark, reason, cat;
	uint64_t pages;
};
#define MAX_BAIT 32

/* arm64 virtual layout (layout_arm64.c); see shared arm64 facts:
 * linear VA = (PA - phys_offset) | page_offset. */
struct a64 {
	int va_bits, va_actual, va_min, levels;
	int va_top;                      /* VA size the top table is laid out for */
	enum pa_fmt fmt;
	uint64_t phys_offset;            /* s64 memstart_addr, may be negative */
	uint64_t page_offset, page_end;
	uint64_t modules_vaddr, modules_end, vmalloc_start, vmalloc_end;
	uint64_t vmemmap_start, vmemmap_end;
	uint64_t kimage_vaddr, kimage_voffset;
};

/* riscv64 virtual layout (layout_riscv64.c): Sv39/48/57; linear VA =
 * PA - phys_ram_base + page_offset; image VA = PA + va_kernel_pa_offset. */
struct rv64 {
	int va_bits, levels;
	uint64_t phys_ram_base, page_offset;
	uint64_t vmemmap_start, vmemmap_end, vmalloc_start, vmalloc_end;
	uint64_t modules_vaddr, modules_end, kernel_link_addr, va_kernel_pa_offset;
};

struct machine;
struct sbuf {
	char *p;
	size_t n, cap;
};

/* What differs between the target architectures. */
struct arch {
	const char *uts_machine;
	uint16_t e_machine;
	unsigned prstatus_size;          /* sizeof(struct elf_prstatus) */
	unsigned nodemask_size;          /* SIZE(nodemask_t) */
	uint64_t zone_lim[2];            /* ends of ZONE_DMA, ZONE_DMA32 (bytes) */
	uint64_t stext_off;              /* _stext - _text */
	void (*ram_ranges)(struct machine *m);
	void (*place)(struct machine *m, uint64_t *rng); /* image, virtual bases */
	uint64_t (*dmap)(const struct machine *m, uint64_t phys);
	uint64_t (*kimg_va)(const struct machine *m, uint64_t off);
	uint64_t (*kimg_pa)(const struct machine *m, uint64_t va);
	uint64_t (*pgt_pages)(const struct machine *m); /* tables estimate */
	void (*pgt_build)(struct machine *m);
	void (*vmci_mid)(struct sbuf *b, const struct machine *m);  /* after _stext */
	void (*vmci_tail)(struct sbuf *b, const struct machine *m); /* arch keys */
	int (*boot_log)(const struct machine *m, char (*line)[160], int max);
	/* May be NULL: keeps a copy of the VMCOREINFO note in memory */
	void (*vmci_note)(const struct machine *m, const char *text, size_t len);
	int hwpoison_61, hwpoison_612;   /* PG_hwpoison of the arch's kernels */
};
extern const struct arch arch_x86_64, arch_arm64;
extern const struct arch arch_riscv64;
extern const struct arch arch_s390x;
extern const struct arch arch_ppc64;
extern const struct arch arch_ppc64be;   /* big-endian: --arch ppc64 */
#define PPC_PSIZE_DEF_SIZE 96            /* SIZE(mmu_psize_def), as Debian 12's 6.1 */

/* Everything that describes the synthetic machine. */
struct machine {
	const struct opts *o;
	const struct arch *arch;
	struct a64 a64;                  /* arm64 only */
	struct rv64 rv;                  /* riscv64 only */
	struct {                         /* ppc64 only: kernel-image symbols */
		uint64_t vmemmap_list, vmemmap_psize, psize_defs, cur_cpu_spec;
	} ppc;
	int max_physmem_bits;
	/* RAM */
	struct range ram[16];
	int nram;
	uint64_t max_pfn;                /* end of the highest RAM range */
	uint64_t nsections;              /* sections up to max_pfn */
	uint8_t *sec_present;            /* [nsections] */
	uint8_t *sec_4k;                 /* [nsections]: vmemmap mapped by PTEs */
	uint64_t *sec_vmm_phys;          /* [nsections]: 2 MiB backing chunk */
	uint64_t *vmm_chunk_sec;         /* backing chunk index -> section */
	uint64_t nvmm_chunks;
	/* reserved physical areas */
	uint64_t kimg_phys, kimg_size;   /* kernel image (_text.._end) */
	uint64_t vmm_phys, vmm_size;     /* vmemmap backing chunks */
	uint64_t kdata_phys, kdata_size, kdata_next; /* early allocations */
	/* virtual layout */
	uint64_t page_offset, vmemmap_base, kaslr_off, phys_base;
	/* runs covering all RAM pfns, ascending */
	struct run *runs;
	size_t nruns, runs_cap;
	/* kernel structure addresses (virtual) */
	uint64_t init_top_pgt, init_uts_ns, node_online_map, node_data;
	uint64_t vmap_area_list, mem_section, pgdat, stext;
	uint64_t pool_mapping, pool_anon, pool_kmem, pool_bh;
	uint64_t prb, printk_rb_static, clear_seq;
	/* free lists: per (node, zone) and order, ascending head pfns */
	uint64_t *fl[NZL][MAX_ORDER_NR];
	size_t fl_n[NZL][MAX_ORDER_NR];
	uint64_t zone_free[NZL];
	uint64_t zone_start[NR_ZONES], zone_end[NR_ZONES];
	int nr_zones;
	/* nodes: one for sparse/flat; two (ids 0 and 2) for discontig */
	int nnodes;
	unsigned node_id[MAX_GNODES];
	uint64_t node_start[MAX_GNODES], node_end[MAX_GNODES]; /* pfns */
	uint64_t node_pgdat[MAX_GNODES];
	uint64_t mem_map_sym;            /* FLATMEM: &mem_map */
	uint64_t corrupt_pfn, corrupt_next; /* --corrupt list-*: this head's lru.next */
	/* --kallsyms: where the tables are (virtual) */
	uint64_t ks_names, ks_num, ks_token_table, ks_token_index, ks_offsets, ks_base;
	struct bait bait[MAX_BAIT];      /* --startup-bait */
	int nbait;
	uint64_t cpu0_sp;                /* CPU 0's saved stack pointer (0: none) */
	uint64_t percpu_offsets;         /* &__per_cpu_offset, 0: not exported */
	uint64_t corrupt_section;        /* --corrupt memmap-unmapped: this one's struct pages */
};

/* util.c */
/* The target's byte order: every kernel structure, page-table entry and
 * ELF header goes through these (s390x is big-endian). */
extern int g_big_endian;
void st16(void *p, uint16_t v);
void st32(void *p, uint32_t v);
void st64(void *p, uint64_t v);
uint16_t ld16t(const void *p);
uint64_t ld64t(const void *p);
uint64_t mix64(uint64_t x);
uint64_t hash3(uint64_t seed, uint64_t a, uint64_t b);
uint64_t rng_next(uint64_t *state);
double rng_unit(uint64_t *state);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n, size_t sz);
int ctz64(uint64_t x);
int parse_size(const char *s, uint64_t *out);
uint64_t round_up(uint64_t x, uint64_t a);
uint64_t round_down(uint64_t x, uint64_t a);

/* usertask.c */
void usertask_build(struct machine *m);
void usertask_vmci(struct sbuf *b, const struct machine *m);
void usertask_truth(FILE *f);

/* opts.c */
void opts_parse(struct opts *o, int argc, char **argv);
void geom_set(const struct opts *o);
extern const char *const kind_names[K_NKINDS];

/* layout.c */
void layout_build(struct machine *m);
void add_range(struct machine *m, uint64_t s, uint64_t e);
int kimg_fits(const struct machine *m, uint64_t p);
int pfn_zone(const struct machine *m, uint64_t pfn);
int pfn_is_ram(const struct machine *m, uint64_t pfn);
int pfn_node(const struct machine *m, uint64_t pfn);
int pfn_zl(const struct machine *m, uint64_t pfn);
void machine_free(struct machine *m);

/* mix.c */
void mix_build(struct machine *m);
const struct run *run_find(const struct machine *m, uint64_t pfn);
int free_block_at(uint64_t pfn, uint64_t run_end, int *order);
uint64_t free_block_of(uint64_t pfn, uint64_t s, uint64_t e, int *order);

/* Page flag numbers and page_type values of a kernel version. */
struct kflags {
	int lru, private_, swapcache, swapbacked, slab, hwpoison, head;
	int reserved, uptodate, referenced, dirty, active, workingset;
	int mappedtodisk;
	uint32_t buddy, offline, table, hugetlb, slab_type; /* 0 = none */
};
const struct kflags *kflags_of(const struct machine *m);

/* Offsets from _text of the structures kept in the kernel image. */
#define KOFF_FROM_END_PGT 0x40000        /* init_top_pgt */
#define KOFF_FROM_END_UTS 0x30000        /* init_uts_ns, node_online_map, ... */
#define KOFF_FROM_END_NODE_DATA 0x2e000  /* node_data[MAX_NUMNODES] */

/* Layout of the structures we build (6.1-like; exported in VMCOREINFO). */
#define SZ_PGLIST 172928
#define OFF_PGLIST_NODE_ZONES 0
#define OFF_PGLIST_NR_ZONES 171872
#define OFF_PGLIST_NODE_START_PFN 171880
#define OFF_PGLIST_NODE_PRESENT 171888
#define OFF_PGLIST_NODE_SPANNED 171896
#define OFF_PGLIST_NODE_ID 171904
#define SZ_ZONE 1600
#define OFF_ZONE_PGDAT 80                /* not exported */
#define OFF_ZONE_START_PFN 104           /* not exported */
#define OFF_ZONE_SPANNED 112
#define OFF_ZONE_PRESENT 120             /* not exported */
#define OFF_ZONE_NAME 136                /* not exported */
#define OFF_ZONE_FREE_AREA 192
#define OFF_ZONE_VM_STAT 1408
#define SZ_FREE_AREA 104
#define OFF_FREE_AREA_NR_FREE 96         /* not exported */
#define SZ_NODEMASK 128
#define OFF_VMAP_AREA_LIST 40
#define NR_FREE_PAGES_IDX 0
#define SECTION_FLAGS 0xfULL             /* PRESENT|HAS_MEM_MAP|ONLINE|EARLY */

/* kstore.c: kernel structure pages kept in memory */
uint8_t *kpage(uint64_t pfn);            /* get or create */
const uint8_t *kpage_get(uint64_t pfn);  /* NULL if absent */
void kstore_put(uint64_t phys, const void *data, size_t len);
void kstore_put64(uint64_t phys, uint64_t v);
void kstore_put32(uint64_t phys, uint32_t v);
void kstore_put16(uint64_t phys, uint16_t v);
uint64_t kdata_alloc(struct machine *m, uint64_t size, uint64_t align);
uint64_t dmap(const struct machine *m, uint64_t phys);
uint64_t dmap_pa(const struct machine *m, uint64_t va);
uint64_t kimg_va(const struct machine *m, uint64_t off);
uint64_t kimg_pa(const struct machine *m, uint64_t va);
size_t kstore_count(void);
void kstore_free(void);
uint64_t kstore_pfn_at(size_t i);

/* pgtable_x86_64.c, pgtable_arm64.c */
uint64_t x86_pgt_pages(const struct machine *m);
void x86_pgt_build(struct machine *m);
uint64_t arm64_pgt_pages(const struct machine *m);
void arm64_pgt_build(struct machine *m);
uint64_t riscv64_pgt_pages(const struct machine *m);
void riscv64_pgt_build(struct machine *m);
/* layout_riscv64.c: --layout svNN, and the checks of --arch riscv64 */
int riscv64_layout_arg(struct opts *o, const char *s);
void riscv64_check(struct opts *o);
uint64_t ppc64_pgt_pages(const struct machine *m);
void ppc64_pgt_build(struct machine *m);
uint64_t pgt_rd64(uint64_t phys);
/* pgtable_s390x.c */
uint64_t s390x_pgt_pages(const struct machine *m);
void s390x_pgt_build(struct machine *m);
uint64_t s390x_lowcore_ptr(const struct machine *m);
uint64_t s390x_high_memory(const struct machine *m);
void s390x_vmci_note(const struct machine *m, const char *text, size_t len);

/* kstruct.c */
void kstruct_build(struct machine *m);
uint64_t zone_va(const struct machine *m, int zl);
uint64_t freelist_head_va(const struct machine *m, int zl, int order);

/* spage.c */
void spage_fill(const struct machine *m, uint64_t pfn, uint8_t out[64]);
void vmm_page_fill(const struct machine *m, uint64_t first_pfn, uint8_t *buf);
uint64_t spage_va(const struct machine *m, uint64_t pfn);
int vmm_describes(const struct machine *m, uint64_t pfn, uint64_t *first_pfn);

/* content.c */
int page_is_zero(const struct machine *m, uint64_t pfn);
void page_fill(const struct machine *m, uint64_t pfn, uint8_t *buf);

/* kallsyms.c */
void kallsyms_build(struct machine *m);
void kallsyms_vmci(struct sbuf *b, const struct machine *m);

/* printk.c */
void printk_build(struct machine *m);
void printk_expected(const struct machine *m, FILE *f, int with_caller);
int printk_nrec(void);
const char *printk_text(int i);
uint64_t printk_ts(int i);
void printk_put_text(FILE *f, const char *text, int indent);
/* printk_old.c */
void printk_old_build(struct machine *m);
void printk_old_expected(const struct machine *m, FILE *f);
const char *printk_old_vmcoreinfo(const struct machine *m);
int printk_first_seq(void);
const char *printk_vmcoreinfo(const struct machine *m);

/* vmcoreinfo.c */
char *vmcoreinfo_text(const struct machine *m);
void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define SYM(b, name, v) sb_add(b, "SYMBOL(" name ")=%llx\n", (unsigned long long)(v))
#define OFF(b, name, v) sb_add(b, "OFFSET(" name ")=%lu\n", (unsigned long)(v))
#define SIZ(b, name, v) sb_add(b, "SIZE(" name ")=%lu\n", (unsigned long)(v))
#define LEN(b, name, v) sb_add(b, "LENGTH(" name ")=%lu\n", (unsigned long)(v))
#define NUM(b, name, v) sb_add(b, "NUMBER(" name ")=%ld\n", (long)(v))
#define NUMX(b, name, v) sb_add(b, "NUMBER(" name ")=0x%llx\n", (unsigned long long)(v))

/* elf64.c / elf32.c */
void elf64_write(struct machine *m);
void elf32_write(const struct opts *o);

/* bait.c */
void bait_plan(struct machine *m);
int bait_mark(const struct machine *m, uint64_t pfn, uint64_t *arg);
void bait_vmcoreinfo(struct sbuf *b, const struct machine *m);
void bait_truth(const struct machine *m, FILE *f);

/* truth.c */
int kind_category(int kind, int level);
void truth_write(const struct machine *m);
void truth_write_elf32(const struct opts *o);

#endif
