// SPDX-License-Identifier: GPL-2.0-or-later
// --startup-bait: pages every reader needs to open the dump (kernel image,
// page tables, a VMCOREINFO object, a per-CPU area, CPU 0's stack) whose
// struct pages claim page cache, user or free memory -- what a misread or
// damaged struct page looks like to a filter (makedumpfile issue #21: image
// pages with PG_lru and a mapping).  Plus struct pages no healthy kernel
// writes (a page-cache mapping outside the kernel, a free page on an LRU, a
// THP whose first tail points at another head).  The truth says which.
#include <string.h>

#include "mkvmcore.h"

#define PERCPU_OFFSET_FROM_END 0x10000   /* __per_cpu_offset[] in the image */
/*
 * The image after _etext (offsets from it), laid out as x86_64's linker
 * script orders it: the parts the kernel frees after boot (text/rodata
 * gap, rodata/data gap, init, .smp_locks, the unused .bss..decrypted, the
 * brk past _brk_end) between the parts it keeps; the structures the other
 * files put in the image's last MiB stay in kept data.
 */
#define IMG_START_RODATA 0x10000
#define IMG_END_RODATA 0x20800           /* mid-page: that page is kept */
#define IMG_SDATA 0x30000
#define IMG_BRK_END_VAR 0x30100          /* the variable _brk_end */
#define IMG_INIT_BEGIN 0x80000
#define IMG_INIT_END 0xc0000
#define IMG_SMP_LOCKS_END 0xc2000        /* .smp_locks starts at __init_end */
#define IMG_BSS 0xd0000
#define IMG_DECRYPTED_UNUSED 0x101000
#define IMG_DECRYPTED_END 0x140000
#define BRK_END_FROM_END 0x7edd          /* _end - *_brk_end: mid-page, kept */
#define USER_POINTER 0x00007f1234560000ULL
#define THREAD_SIZE 0x4000ULL

static uint64_t etext_off(const struct machine *m)
{
	return m->kimg_size / 4 * 3;
}

static void add(struct machine *m, uint64_t pfn, int mark, int reason, int cat, uint64_t pages)
{
	if (m->nbait >= MAX_BAIT)
		die("--startup-bait: too many baits");
	m->bait[m->nbait++] = (struct bait){ pfn, mark, reason, cat, pages };
}

static int is_reserved(const struct machine *m, uint64_t pfn)
{
	uint64_t pa = pfn << PAGE_SHIFT;

	return pa < MIB || (pa >= m->vmm_phys && pa < m->kdata_phys + m->kdata_size) ||
	       (pa >= m->kimg_phys && pa < m->kimg_phys + m->kimg_size);
}

/* A run of kernel pages outside the reserved areas with a THREAD_SIZE block and cpus pages after it. */
static uint64_t stack_block(const struct machine *m)
{
	uint64_t per = THREAD_SIZE >> PAGE_SHIFT, need = per + (uint64_t)m->o->cpus;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		uint64_t s = round_up(r->start, per);

		if (r->kind != K_KERNEL || s + need > r->start + r->len)
			continue;
		if (!is_reserved(m, s) && !is_reserved(m, s + need - 1))
			return s;
	}
	die("--startup-bait: no run of %llu kernel pages", (unsigned long long)need);
}

/* The PUD and PMD tables that map the vmemmap (x86_64, 4 levels). */
static void vmemmap_tables(const struct machine *m, uint64_t *pud, uint64_t *pmd)
{
	uint64_t va = m->vmemmap_base, mask = 0x000ffffffffff000ULL;
	uint64_t pgd = kimg_pa(m, m->init_top_pgt);

	*pud = pgt_rd64(pgd + (va >> 39 & 511) * 8) & mask;
	*pmd = pgt_rd64(*pud + (va >> 30 & 511) * 8) & mask;
}

static void startup_baits(struct machine *m)
{
	uint64_t img = (m->kimg_phys + m->kimg_size / 2) >> PAGE_SHIFT, pud, pmd;
	uint64_t blk = stack_block(m), per = THREAD_SIZE >> PAGE_SHIFT;

	add(m, img, BM_CACHE, SR_IMAGE, C_CACHE, 1);
	add(m, img + 1, BM_ANON, SR_IMAGE, C_USER, 1);
	add(m, img + 2, BM_CACHE, SR_IMAGE, C_CACHE, 1);  /* a free image page is real: freed init */
	vmemmap_tables(m, &pud, &pmd);
	add(m, pud >> PAGE_SHIFT, BM_CACHE, SR_PGTABLE, C_CACHE, 1);
	add(m, pmd >> PAGE_SHIFT, BM_FREE, SR_PGTABLE, C_FREE, 1);
	add(m, dmap_pa(m, m->mem_section) >> PAGE_SHIFT, BM_ANON, SR_VMCI, C_USER, 1);
	add(m, blk + 1, BM_ANON, SR_STACK, C_USER, 1);
	add(m, blk + 2, BM_FREE, SR_STACK, C_FREE, 1);
	m->cpu0_sp = dmap(m, ((blk + 3) << PAGE_SHIFT) + 0xe80);
	m->percpu_offsets = kimg_va(m, m->kimg_size - PERCPU_OFFSET_FROM_END);
	for (int c = 0; c < m->o->cpus; c++)      /* x86_64: __per_cpu_start is 0 */
		kstore_put64(kimg_pa(m, m->percpu_offsets) + 8 * (uint64_t)c,
			     dmap(m, (blk + per + (uint64_t)c) << PAGE_SHIFT));
	add(m, blk + per + (uint64_t)m->o->cpus - 1, BM_CACHE, SR_PERCPU, C_CACHE, 1);
}

/* The pfn of image offset etext_off + off (from _end when off is negative). */
static uint64_t img_pfn(const struct machine *m, int64_t off)
{
	uint64_t base = off < 0 ? m->kimg_size : etext_off(m);
	return (m->kimg_phys + base + (uint64_t)off) >> PAGE_SHIFT;
}

/*
 * Image pages outside the text: kept ones whose struct pages lie (data and
 * bss with PG_lru and a mapping, as makedumpfile issue #21 saw on 6.6; the
 * pages that hold _etext's successors' edges), and one page in each range the
 * kernel frees, marked as what reused it -- those must not be kept.
 */
static void image_baits(struct machine *m)
{
	add(m, img_pfn(m, IMG_END_RODATA), BM_ANON, SR_IMAGE, C_USER, 1);
	add(m, img_pfn(m, IMG_SDATA + 0x10000), BM_CACHE, SR_IMAGE, C_CACHE, 1);
	add(m, img_pfn(m, IMG_BSS), BM_CACHE, SR_IMAGE, C_CACHE, 1);
	add(m, img_pfn(m, -BRK_END_FROM_END), BM_ANON, SR_IMAGE, C_USER, 1);
	add(m, img_pfn(m, IMG_START_RODATA / 2), BM_ANON, SR_FREED, C_USER, 1);
	add(m, img_pfn(m, IMG_SDATA - 0x8000), BM_FREE, SR_FREED, C_FREE, 1);
	add(m, img_pfn(m, IMG_INIT_BEGIN + 0x10000), BM_CACHE, SR_FREED, C_CACHE, 1);
	add(m, img_pfn(m, IMG_INIT_END + 0x1000), BM_ANON, SR_FREED, C_USER, 1);
	add(m, img_pfn(m, IMG_DECRYPTED_UNUSED + 0x8000), BM_FREE, SR_FREED, C_FREE, 1);
	add(m, img_pfn(m, -0x4000), BM_CACHE, SR_FREED, C_CACHE, 1);
	kstore_put64(m->kimg_phys + etext_off(m) + IMG_BRK_END_VAR, kimg_va(m, m->kimg_size - BRK_END_FROM_END));
}

static void inconsistent_baits(struct machine *m)
{
	int cache = 0, freeb = 0, thp = 0;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		if (r->kind == K_CACHE && !cache && !is_reserved(m, r->start)) {
			add(m, r->start, BM_BADMAP, -1, C_CACHE, 1);
			cache = 1;
		} else if (r->kind == K_THP && !thp) {
			add(m, r->start + 1, BM_BADTAIL, -1, C_USER, 1ULL << r->order);
			thp = 1;
		} else if (r->kind == K_FREE && !freeb) {
			int order;

			for (uint64_t p = r->start; p < r->start + r->len; p += 1ULL << order) {
				free_block_at(p, r->start + r->len, &order);
				if (order <= 3) {
					add(m, p, BM_LRU, -1, C_FREE, 1ULL << order);
					freeb = 1;
					break;
				}
			}
		}
	}
}

void bait_plan(struct machine *m)
{
	if (!m->o->startup_bait)
		return;
	startup_baits(m);
	image_baits(m);
	inconsistent_baits(m);
}

int bait_mark(const struct machine *m, uint64_t pfn, uint64_t *arg)
{
	for (int i = 0; i < m->nbait; i++) {
		const struct bait *b = &m->bait[i];

		if (b->pfn != pfn)
			continue;
		/* a THP's first tail points at the head of the next THP */
		*arg = b->mark == BM_BADTAIL ? pfn - 1 + b->pages : USER_POINTER;
		return b->mark;
	}
	return BM_NONE;
}

void bait_vmcoreinfo(struct sbuf *b, const struct machine *m)
{
	if (!m->o->startup_bait)
		return;
	SYM(b, "__per_cpu_offset", m->percpu_offsets);
	LEN(b, "__per_cpu_offset", m->o->cpus);
	/* the image's edges, as -x gives them (no kernel exports them) */
	uint64_t e = etext_off(m);
	SYM(b, "_end", kimg_va(m, m->kimg_size));
	SYM(b, "__start_rodata", kimg_va(m, e + IMG_START_RODATA));
	SYM(b, "__end_rodata", kimg_va(m, e + IMG_END_RODATA));
	SYM(b, "_sdata", kimg_va(m, e + IMG_SDATA));
	SYM(b, "_brk_end", kimg_va(m, e + IMG_BRK_END_VAR));
	SYM(b, "__init_begin", kimg_va(m, e + IMG_INIT_BEGIN));
	SYM(b, "__init_end", kimg_va(m, e + IMG_INIT_END));
	SYM(b, "__smp_locks", kimg_va(m, e + IMG_INIT_END));
	SYM(b, "__smp_locks_end", kimg_va(m, e + IMG_SMP_LOCKS_END));
	SYM(b, "__start_bss_decrypted_unused", kimg_va(m, e + IMG_DECRYPTED_UNUSED));
	SYM(b, "__end_bss_decrypted", kimg_va(m, e + IMG_DECRYPTED_END));
}

void bait_truth(const struct machine *m, FILE *f)
{
	static const char *const reasons[SR_N] = { "image", "page_tables", "vmcoreinfo", "per_cpu", "cpu_stack" };
	static const char *const cats[C_NCATS] = { "keep", "zero", "cache", "cache_private", "user", "free",
						   "hwpoison", "offline" };
	uint64_t kept[SR_N] = { 0 }, lost[C_NCATS] = { 0 }, incons[C_NCATS] = { 0 }, freed[C_NCATS] = { 0 };
	int first = 1, first_freed = 1;

	if (!m->o->startup_bait)
		return;
	fprintf(f, "# startup_pfns ");
	for (int i = 0; i < m->nbait; i++) {
		const struct bait *b = &m->bait[i];

		if (b->reason == SR_FREED) {
			freed[b->cat] += b->pages;
		} else if (b->reason >= 0) {
			kept[b->reason] += b->pages;
			lost[b->cat] += b->pages;
			fprintf(f, "%s%llu", first ? "" : ",", (unsigned long long)b->pfn);
			first = 0;
		} else {
			incons[b->cat] += b->pages;
		}
	}
	fprintf(f, "\n# freed_pfns ");
	for (int i = 0; i < m->nbait; i++) {
		if (m->bait[i].reason != SR_FREED)
			continue;
		fprintf(f, "%s%llu", first_freed ? "" : ",", (unsigned long long)m->bait[i].pfn);
		first_freed = 0;
	}
	fprintf(f, "\n");
	for (int r = 0; r < SR_N; r++)
		fprintf(f, "# startup.%s %llu\n", reasons[r], (unsigned long long)kept[r]);
	for (int c = C_ZERO; c < C_NCATS; c++)
		fprintf(f, "# startup_mdf.%s %llu\n# inconsistent.%s %llu\n# freed.%s %llu\n", cats[c],
			(unsigned long long)lost[c], cats[c], (unsigned long long)incons[c], cats[c],
			(unsigned long long)freed[c]);
}
