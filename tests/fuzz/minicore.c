// SPDX-License-Identifier: GPL-2.0-or-later
/* The mini machine of minicore.h: memory image, VMCOREINFO text, ELF file. */
#include "minicore.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define START_KERNEL_MAP 0xffffffff80000000ull
#define PTE_TABLE 0x63ull   /* present, rw, accessed, dirty */
#define PTE_HUGE 0xe3ull    /* ... and PSE */
#define SECTION_FLAGS 0x7ull /* PRESENT, HAS_MEM_MAP, ONLINE */
#define SPAGE 64u           /* SIZE(page) */

/* struct page encoding of one kernel generation (values from real VMCOREINFO). */
struct enc {
	int lru, private, swapcache, swapbacked, slab, hwpoison, head;
	uint32_t buddy, offline, slab_type, hugetlb_type;  /* 0: not a page type */
};

static const struct enc enc61 = { 4, 13, 10, 19, 9, 23, 16, 0xffffff7fu, 0xfffffeffu, 0, 0 };
static const struct enc enc612 = { 5, 14, 10, 17, -1, 20, 6, 0xf0000000u, 0xf1000000u,
				   0xf5000000u, 0xf4000000u };

void mini_poke64(uint8_t *ram, uint64_t paddr, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		ram[paddr + (uint64_t)i] = (uint8_t)(v >> (8 * i));
}

static void poke32(uint8_t *ram, uint64_t paddr, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		ram[paddr + (uint64_t)i] = (uint8_t)(v >> (8 * i));
}

static uint64_t spage(unsigned pfn)
{
	return (uint64_t)MINI_PFN_VMEMMAP * MINI_PAGE + (uint64_t)pfn * SPAGE;
}

static uint64_t bit(int b)
{
	return b < 0 ? 0 : 1ull << b;
}

static void set_flags(uint8_t *ram, unsigned pfn, uint64_t flags, uint64_t mapping)
{
	mini_poke64(ram, spage(pfn), flags);
	mini_poke64(ram, spage(pfn) + 24, mapping);
}

static void buddy(uint8_t *ram, const struct enc *e, unsigned pfn, unsigned order)
{
	poke32(ram, spage(pfn) + 48, e->buddy);
	mini_poke64(ram, spage(pfn) + 40, order);
}

/* A compound page of order 1: head flags, first tail's compound_head and order. */
static void compound(uint8_t *ram, bool v612, const struct enc *e, unsigned pfn, uint64_t flags,
		     uint64_t mapping, uint8_t dtor)
{
	set_flags(ram, pfn, flags | bit(e->head), mapping);
	mini_poke64(ram, spage(pfn + 1) + 8, (MINI_VMEMMAP + (uint64_t)pfn * SPAGE) | 1);
	if (v612) {
		mini_poke64(ram, spage(pfn + 1), 1);  /* order in the tail's flags */
	} else {
		ram[spage(pfn + 1) + 16] = dtor;
		ram[spage(pfn + 1) + 17] = 1;
	}
}

static void struct_pages(uint8_t *ram, unsigned variant)
{
	bool v612 = variant & MINI_V612;
	const struct enc *e = v612 ? &enc612 : &enc61;
	uint64_t file_map = MINI_DIRECT_MAP + 0x5000, anon_map = MINI_DIRECT_MAP + 0x6001;
	for (unsigned pfn = 0; pfn < MINI_NPFN; pfn++) {
		poke32(ram, spage(pfn) + 48, 0xffffffffu);  /* _mapcount -1: no type */
		poke32(ram, spage(pfn) + 52, 1);            /* _refcount */
	}
	buddy(ram, e, 12, 2);
	buddy(ram, e, 16, 3);
	buddy(ram, e, 48, 3);
	set_flags(ram, 24, bit(e->lru), file_map);
	set_flags(ram, 25, bit(e->lru) | bit(e->private), file_map);
	set_flags(ram, 26, bit(e->swapcache) | bit(e->swapbacked), 0);
	set_flags(ram, 27, bit(e->lru) | bit(e->swapbacked), anon_map);
	compound(ram, v612, e, 28, bit(e->lru) | bit(e->swapbacked), anon_map, 3);
	if (v612)
		poke32(ram, spage(30) + 48, e->slab_type);
	else
		set_flags(ram, 30, bit(e->slab), 0);
	set_flags(ram, 31, bit(e->hwpoison), 0);
	poke32(ram, spage(32) + 48, e->offline);
	compound(ram, v612, e, 34, 0, 0, 2);
	if (v612)
		poke32(ram, spage(34) + 48, e->hugetlb_type);
	set_flags(ram, 56, bit(e->lru), file_map);
}

static void page_tables(uint8_t *ram, unsigned variant)
{
	uint64_t P = MINI_PAGE;
	uint64_t pgd = MINI_PFN_PGD * P;
	mini_poke64(ram, pgd + ((MINI_DIRECT_MAP >> 39) & 511) * 8, MINI_PFN_PUD_DM * P | PTE_TABLE);
	mini_poke64(ram, pgd + ((MINI_VMEMMAP >> 39) & 511) * 8, MINI_PFN_PUD_VM * P | PTE_TABLE);
	mini_poke64(ram, MINI_PFN_PUD_DM * P, 0 | PTE_HUGE);  /* 1 GiB page at physical 0 */
	mini_poke64(ram, MINI_PFN_PUD_VM * P, MINI_PFN_PMD_VM * P | PTE_TABLE);
	mini_poke64(ram, MINI_PFN_PMD_VM * P, MINI_PFN_PTE_VM * P | PTE_TABLE);
	mini_poke64(ram, MINI_PFN_PTE_VM * P, MINI_PFN_VMEMMAP * P | PTE_TABLE);
	if (variant & MINI_VL5)  /* every address used has 511 in bits 48-56 */
		mini_poke64(ram, MINI_PFN_PGD5 * P + 511 * 8, pgd | PTE_TABLE);
}

static void mem_sections(uint8_t *ram, unsigned variant)
{
	uint64_t base = MINI_PFN_KDATA * MINI_PAGE + MINI_OFF_MEMSEC;
	if (variant & MINI_VEXTREME) {
		uint64_t roots = MINI_PFN_ROOTS * MINI_PAGE;
		mini_poke64(ram, roots, MINI_DIRECT_MAP + roots + MINI_OFF_MEMSEC);
		base = roots + MINI_OFF_MEMSEC;
	}
	for (unsigned nr = 0; nr < MINI_NPFN / 8; nr++)
		if (nr != MINI_HOLE_FIRST / 8)  /* vmemmap: every section encodes the same base */
			mini_poke64(ram, base + nr * 16, MINI_VMEMMAP | SECTION_FLAGS);
}

static void kernel_data(uint8_t *ram, unsigned variant)
{
	static const char *const uts[6] = { "Linux", "mini", NULL, "#1 SMP mini", "x86_64", "(none)" };
	uint8_t *u = ram + MINI_PFN_KDATA * MINI_PAGE + MINI_OFF_UTS;
	for (int i = 0; i < 6; i++) {
		const char *s = uts[i] ? uts[i] : (variant & MINI_V612) ? "6.12.0-mini" : "6.1.0-mini";
		memcpy(u + 65 * i, s, strlen(s));
	}
	uint64_t pgdat = MINI_PFN_KDATA * MINI_PAGE + MINI_OFF_PGDAT;
	mini_poke64(ram, pgdat + MINI_ZONE_VMSTAT, MINI_FREE_PAGES);  /* zone 0 NR_FREE_PAGES */
	poke32(ram, pgdat + MINI_PGDAT_NR_ZONES, 2);
}

/*
 * The lockless printk ring (5.10+): prb -> printk_rb_static with 8
 * descriptors and a 1 KiB text ring holding 5 finalized records.
 */
#define PRB_OFF 0x10u
#define PRB_DESCS 0x100u
#define PRB_INFOS 0x200u
#define PRB_DATA 0x800u
#define PRB_CLEAR_SEQ 0xc0u

static void printk_ring(uint8_t *ram)
{
	uint64_t base = (uint64_t)MINI_PFN_PRINTK * MINI_PAGE, va = MINI_KTEXT_VA + base;
	uint64_t rb = base + PRB_OFF, lpos = 0;
	mini_poke64(ram, base, va + PRB_OFF);             /* prb = &printk_rb_static */
	poke32(ram, rb + 0, 3);                           /* desc_ring.count_bits */
	mini_poke64(ram, rb + 8, va + PRB_DESCS);
	mini_poke64(ram, rb + 16, va + PRB_INFOS);
	mini_poke64(ram, rb + 24, 4);                     /* head_id */
	mini_poke64(ram, rb + 32, 0);                     /* tail_id */
	poke32(ram, rb + 48, 10);                         /* text_data_ring.size_bits */
	mini_poke64(ram, rb + 56, va + PRB_DATA);
	for (unsigned id = 0; id < 5; id++) {
		char text[40];
		int n = snprintf(text, sizeof(text), "mini log line %u", id);
		uint64_t d = base + PRB_DESCS + id * 24, in = base + PRB_INFOS + id * 88;
		uint64_t next = lpos + ((8 + (uint64_t)n + 7) & ~7ull);
		mini_poke64(ram, d, 2ull << 62 | id);         /* finalized */
		mini_poke64(ram, d + 8, lpos);
		mini_poke64(ram, d + 16, next);
		mini_poke64(ram, in, id);                     /* seq */
		mini_poke64(ram, in + 8, 1000000000ull * id + 5000);
		ram[in + 16] = (uint8_t)n;
		mini_poke64(ram, base + PRB_DATA + lpos, id);
		memcpy(ram + base + PRB_DATA + lpos + 8, text, (size_t)n);
		lpos = next;
	}
}

/* Pages that start out all zero: tables and structures are written into them later. */
static bool zero_page(unsigned pfn, unsigned variant)
{
	if (pfn < MINI_KIMAGE_PAGES)
		return !((pfn == MINI_PFN_PGD5 && !(variant & MINI_VL5)) ||
			 (pfn == MINI_PFN_ROOTS && !(variant & MINI_VEXTREME)));
	return pfn == 10 || pfn == 11 || pfn == 56 || pfn == 63 ||
	       (pfn >= MINI_HOLE_FIRST && pfn < MINI_HOLE_END);
}

void mini_memory(unsigned variant, uint8_t *ram)
{
	memset(ram, 0, MINI_RAM_BYTES);
	for (unsigned pfn = 0; pfn < MINI_NPFN; pfn++) {
		if (zero_page(pfn, variant))
			continue;
		char *p = (char *)ram + (size_t)pfn * MINI_PAGE;
		for (unsigned line = 0; line < MINI_PAGE / 64; line++)
			snprintf(p + line * 64, 64, "mini pfn %02u line %02u: compressible text %*s", pfn, line, 20, "");
	}
	kernel_data(ram, variant);
	printk_ring(ram);
	page_tables(ram, variant);
	mem_sections(ram, variant);
	struct_pages(ram, variant);
}

void mini_apply_patches(uint8_t *ram, const uint8_t *p, size_t n)
{
	for (; n >= 10; p += 10, n -= 10) {
		uint64_t word = ((uint64_t)p[0] | (uint64_t)p[1] << 8) % (MINI_RAM_BYTES / 8), v = 0;
		for (int i = 7; i >= 0; i--)
			v = v << 8 | p[2 + i];
		mini_poke64(ram, word * 8, v);
	}
}

#define MAX_KEYS 128

struct kv {
	char key[64];
	char value[64];
};

static size_t base_keys(unsigned variant, struct kv *kv)
{
	bool v612 = variant & MINI_V612;
	const struct enc *e = v612 ? &enc612 : &enc61;
	size_t n = 0;
#define KV(k, ...) (snprintf(kv[n].key, sizeof(kv[n].key), "%s", k), \
		    snprintf(kv[n].value, sizeof(kv[n].value), __VA_ARGS__), n++)
	KV("OSRELEASE", "%s", v612 ? "6.12.0-mini" : "6.1.0-mini");
	KV("PAGESIZE", "4096");
	KV("SYMBOL(init_uts_ns)", "%llx", MINI_KTEXT_VA + MINI_OFF_UTS);
	KV("OFFSET(uts_namespace.name)", "0");
	KV("SYMBOL(mem_section)", "%llx", (variant & MINI_VEXTREME) ? MINI_DIRECT_MAP + MINI_PFN_ROOTS * MINI_PAGE
								     : MINI_KTEXT_VA + MINI_OFF_MEMSEC);
	KV("LENGTH(mem_section)", "%u", (variant & MINI_VEXTREME) ? 1u : 32u);
	KV("SIZE(mem_section)", "16");
	KV("OFFSET(mem_section.section_mem_map)", "0");
	KV("NUMBER(SECTION_SIZE_BITS)", "15");
	KV("NUMBER(MAX_PHYSMEM_BITS)", "20");
	KV("SIZE(page)", "%u", SPAGE);
	KV("SIZE(zone)", "%u", MINI_ZONE_SIZE);
	KV("OFFSET(page.flags)", "0");
	KV("OFFSET(page._refcount)", "52");
	KV("OFFSET(page.mapping)", "24");
	KV("OFFSET(page.lru)", "8");
	KV("OFFSET(page._mapcount)", "48");
	KV("OFFSET(page.private)", "40");
	if (!v612) {
		KV("OFFSET(page.compound_dtor)", "16");
		KV("OFFSET(page.compound_order)", "17");
	}
	KV("OFFSET(page.compound_head)", "8");
	KV("OFFSET(pglist_data.node_zones)", "0");
	KV("OFFSET(pglist_data.nr_zones)", "%u", MINI_PGDAT_NR_ZONES);
	KV("OFFSET(zone.vm_stat)", "%u", MINI_ZONE_VMSTAT);
	KV("LENGTH(zone.free_area)", "11");
	KV("NUMBER(NR_FREE_PAGES)", "0");
	KV("NUMBER(PG_lru)", "%d", e->lru);
	KV("NUMBER(PG_private)", "%d", e->private);
	KV("NUMBER(PG_swapcache)", "%d", e->swapcache);
	KV("NUMBER(PG_swapbacked)", "%d", e->swapbacked);
	if (e->slab >= 0)
		KV("NUMBER(PG_slab)", "%d", e->slab);
	else
		KV("NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", "%d", (int32_t)e->slab_type);
	KV("NUMBER(PG_hwpoison)", "%d", e->hwpoison);
	KV("NUMBER(PG_head_mask)", "%llu", 1ull << e->head);
	KV("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "%d", (int32_t)e->buddy);
	if (v612)
		KV("NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)", "%d", (int32_t)e->hugetlb_type);
	else
		KV("NUMBER(HUGETLB_PAGE_DTOR)", "2");
	KV("NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)", "%d", (int32_t)e->offline);
	KV("NUMBER(phys_base)", "%lld", -(long long)(MINI_KTEXT_VA - START_KERNEL_MAP));
	KV("SYMBOL(init_top_pgt)", "%llx",
	   MINI_KTEXT_VA + (uint64_t)((variant & MINI_VL5) ? MINI_PFN_PGD5 : MINI_PFN_PGD) * MINI_PAGE);
	KV("NUMBER(pgtable_l5_enabled)", "%d", (variant & MINI_VL5) ? 1 : 0);
	KV("SYMBOL(contig_page_data)", "%llx", MINI_KTEXT_VA + MINI_OFF_PGDAT);
	KV("SYMBOL(prb)", "%llx", MINI_KTEXT_VA + MINI_PFN_PRINTK * MINI_PAGE);
	KV("SYMBOL(printk_rb_static)", "%llx", MINI_KTEXT_VA + MINI_PFN_PRINTK * MINI_PAGE + PRB_OFF);
	KV("SYMBOL(clear_seq)", "%llx", MINI_KTEXT_VA + MINI_PFN_PRINTK * MINI_PAGE + PRB_CLEAR_SEQ);
	KV("SIZE(printk_ringbuffer)", "88");
	KV("OFFSET(printk_ringbuffer.desc_ring)", "0");
	KV("OFFSET(printk_ringbuffer.text_data_ring)", "48");
	KV("OFFSET(printk_ringbuffer.fail)", "80");
	KV("SIZE(prb_desc_ring)", "48");
	KV("OFFSET(prb_desc_ring.count_bits)", "0");
	KV("OFFSET(prb_desc_ring.descs)", "8");
	KV("OFFSET(prb_desc_ring.infos)", "16");
	KV("OFFSET(prb_desc_ring.head_id)", "24");
	KV("OFFSET(prb_desc_ring.tail_id)", "32");
	KV("SIZE(prb_desc)", "24");
	KV("OFFSET(prb_desc.state_var)", "0");
	KV("OFFSET(prb_desc.text_blk_lpos)", "8");
	KV("SIZE(prb_data_blk_lpos)", "16");
	KV("OFFSET(prb_data_blk_lpos.begin)", "0");
	KV("OFFSET(prb_data_blk_lpos.next)", "8");
	KV("SIZE(printk_info)", "88");
	KV("OFFSET(printk_info.seq)", "0");
	KV("OFFSET(printk_info.ts_nsec)", "8");
	KV("OFFSET(printk_info.text_len)", "16");
	KV("SIZE(prb_data_ring)", "32");
	KV("OFFSET(prb_data_ring.size_bits)", "0");
	KV("OFFSET(prb_data_ring.data)", "8");
	KV("SIZE(atomic_long_t)", "8");
	KV("OFFSET(atomic_long_t.counter)", "0");
	KV("OFFSET(latched_seq.val)", "8");
	KV("KERNELOFFSET", "0");
	KV("NUMBER(KERNEL_IMAGE_SIZE)", "1073741824");
	KV("CRASHTIME", "1700000000");
#undef KV
	return n;
}

size_t mini_vmcoreinfo(const struct mini_opts *o, char *buf, size_t cap)
{
	struct kv kv[MAX_KEYS];
	bool drop[MAX_KEYS] = { false };
	size_t n = base_keys(o->variant, kv), len = 0;
	for (size_t i = 0; i < o->nedits; i++) {
		const struct mini_edit *ed = &o->edits[i];
		size_t k = 0;
		while (k < n && strcmp(kv[k].key, ed->key) != 0)
			k++;
		if (k == n && n < MAX_KEYS)
			snprintf(kv[n++].key, sizeof(kv[0].key), "%s", ed->key);
		if (k < MAX_KEYS) {
			drop[k] = !ed->value;
			snprintf(kv[k].value, sizeof(kv[0].value), "%s", ed->value ? ed->value : "");
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (drop[i])
			continue;
		int w = snprintf(buf + len, cap - len, "%s=%s\n", kv[i].key, kv[i].value);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
	return len;
}

static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void st64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }

static size_t put_note(uint8_t *p, const char *name, uint32_t type, const void *desc, size_t dlen)
{
	size_t nlen = strlen(name) + 1, nal = (nlen + 3) & ~(size_t)3, dal = (dlen + 3) & ~(size_t)3;
	if (p) {
		st32(p, (uint32_t)nlen);
		st32(p + 4, (uint32_t)dlen);
		st32(p + 8, type);
		memset(p + 12, 0, nal + dal);
		memcpy(p + 12, name, nlen);
		if (dlen)
			memcpy(p + 12 + nal, desc, dlen);
	}
	return 12 + nal + dal;
}

static void phdr(uint8_t *p, uint32_t type, uint64_t off, uint64_t va, uint64_t pa, uint64_t sz)
{
	st32(p, type);
	st32(p + 4, 4);  /* PF_R */
	st64(p + 8, off);
	st64(p + 16, va);
	st64(p + 24, pa);
	st64(p + 32, sz);
	st64(p + 40, sz);
	st64(p + 48, type == 1 ? MINI_PAGE : 0);
}

uint8_t *mini_elf(const struct mini_opts *o, const uint8_t *ram, size_t *len)
{
	static char text[MAX_KEYS * 130];
	const char *vi = o->vmcoreinfo;
	size_t vlen = o->vmcoreinfo_len;
	if (!vi) {
		vlen = mini_vmcoreinfo(o, text, sizeof(text));
		vi = text;
	}
	static const uint8_t prstatus[336];
	size_t nsz = 2 * put_note(NULL, "CORE", 1, prstatus, sizeof(prstatus)) + put_note(NULL, "VMCOREINFO", 0, vi, vlen);
	size_t ph_off = 64, notes_off = ph_off + 4 * 56;
	size_t data_off = (notes_off + nsz + MINI_PAGE - 1) / MINI_PAGE * MINI_PAGE;
	*len = data_off + MINI_RAM_BYTES;
	uint8_t *f = calloc(1, *len);
	if (!f)
		return NULL;
	memcpy(f, "\177ELF\2\1\1", 7);
	st16(f + 16, 4);   /* ET_CORE */
	st16(f + 18, 62);  /* EM_X86_64 */
	st32(f + 20, 1);
	st64(f + 32, ph_off);
	st16(f + 52, 64);
	st16(f + 54, 56);
	st16(f + 56, 4);
	uint64_t dm = (o->variant & MINI_VQEMU) ? 0 : MINI_DIRECT_MAP;
	uint64_t hole = (uint64_t)MINI_HOLE_END * MINI_PAGE;
	phdr(f + ph_off, 4, notes_off, 0, 0, nsz);
	phdr(f + ph_off + 56, 1, data_off, MINI_KTEXT_VA, 0, MINI_KIMAGE_PAGES * MINI_PAGE);
	phdr(f + ph_off + 112, 1, data_off, dm, 0, (uint64_t)MINI_HOLE_FIRST * MINI_PAGE);
	phdr(f + ph_off + 168, 1, data_off + hole, dm ? dm + hole : 0, hole, MINI_RAM_BYTES - hole);
	uint8_t *p = f + notes_off;
	p += put_note(p, "CORE", 1, prstatus, sizeof(prstatus));
	p += put_note(p, "CORE", 1, prstatus, sizeof(prstatus));
	put_note(p, "VMCOREINFO", 0, vi, vlen);
	memcpy(f + data_off, ram, MINI_RAM_BYTES);
	return f;
}
