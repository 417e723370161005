// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMCOREINFO text from the debug information.  The keys follow the order in
 * which the kernel writes its own note (generic part, then x86_64's), then
 * the extra keys makedumpfile's -g writes; a key the vmlinux cannot answer
 * is left out, never guessed.  Values that are kernel #defines come from the
 * architecture (SECTION_SIZE_BITS, MAX_PHYSMEM_BITS) or from enums that
 * carry them (page types from 6.9 on); runtime values from the caller.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "di_priv.h"

enum gen_kind { G_SYM, G_SIZE, G_OFF, G_VLEN, G_MLEN, G_ENUM, G_SPECIAL };

struct gen_key {
	uint8_t kind;
	const char *a, *b;   /* symbol/type/variable/enum type, member/enumerator */
	const char *key;     /* the printed name when it differs (LENGTH(printk_info_subsystem)) */
};

#define SYM(s) { G_SYM, s, NULL, NULL }
#define SIZE(t) { G_SIZE, t, NULL, NULL }
#define OFF(t, m) { G_OFF, t, m, NULL }
#define VLEN(v) { G_VLEN, v, NULL, NULL }
#define MLEN(t, m) { G_MLEN, t, m, NULL }
#define ENUM(e, n) { G_ENUM, e, n, NULL }
#define SPECIAL(n) { G_SPECIAL, n, NULL, NULL }

static const struct gen_key keys[] = {
	SYM("init_uts_ns"), OFF("uts_namespace", "name"), SPECIAL("SYMBOL(node_online_map)"),
	SPECIAL("SYMBOL(swapper_pg_dir)"),
	SYM("_stext"), SYM("_etext"), SYM("vmap_area_list"), SYM("mem_section"), SPECIAL("LENGTH(mem_section)"),
	SIZE("mem_section"), OFF("mem_section", "section_mem_map"), SPECIAL("NUMBER(SECTION_SIZE_BITS)"),
	SPECIAL("NUMBER(MAX_PHYSMEM_BITS)"), SIZE("page"), SIZE("pglist_data"), SIZE("zone"), SIZE("free_area"),
	SIZE("list_head"), SIZE("nodemask_t"), OFF("page", "flags"), OFF("page", "_refcount"),
	OFF("page", "mapping"), OFF("page", "lru"), OFF("page", "_mapcount"), OFF("page", "private"),
	OFF("page", "compound_dtor"), OFF("page", "compound_order"), OFF("page", "compound_head"),
	OFF("folio", "_folio_dtor"), OFF("folio", "_folio_order"),
	OFF("pglist_data", "node_zones"), OFF("pglist_data", "nr_zones"), OFF("pglist_data", "node_mem_map"),
	OFF("pglist_data", "node_start_pfn"), OFF("pglist_data", "node_spanned_pages"),
	OFF("pglist_data", "node_id"), OFF("zone", "free_area"), OFF("zone", "vm_stat"),
	OFF("zone", "spanned_pages"), OFF("free_area", "free_list"), OFF("list_head", "next"),
	OFF("list_head", "prev"), OFF("vmap_area", "va_start"), OFF("vmap_area", "list"),
	MLEN("zone", "free_area"),
	/* printk ring buffer (5.10+) */
	SYM("prb"), SYM("printk_rb_static"), SYM("clear_seq"), SIZE("printk_ringbuffer"), OFF("printk_ringbuffer", "desc_ring"),
	OFF("printk_ringbuffer", "text_data_ring"), OFF("printk_ringbuffer", "fail"), SIZE("prb_desc_ring"),
	OFF("prb_desc_ring", "count_bits"), OFF("prb_desc_ring", "descs"), OFF("prb_desc_ring", "infos"),
	OFF("prb_desc_ring", "head_id"), OFF("prb_desc_ring", "tail_id"), SIZE("prb_desc"),
	OFF("prb_desc", "state_var"), OFF("prb_desc", "text_blk_lpos"), SIZE("prb_data_blk_lpos"),
	OFF("prb_data_blk_lpos", "begin"), OFF("prb_data_blk_lpos", "next"), SIZE("printk_info"),
	OFF("printk_info", "seq"), OFF("printk_info", "ts_nsec"), OFF("printk_info", "text_len"),
	OFF("printk_info", "caller_id"), OFF("printk_info", "dev_info"), SIZE("dev_printk_info"),
	OFF("dev_printk_info", "subsystem"), { G_MLEN, "dev_printk_info", "subsystem", "LENGTH(printk_info_subsystem)" },
	OFF("dev_printk_info", "device"), { G_MLEN, "dev_printk_info", "device", "LENGTH(printk_info_device)" },
	SIZE("prb_data_ring"), OFF("prb_data_ring", "size_bits"), OFF("prb_data_ring", "data"),
	OFF("prb_data_ring", "head_lpos"), OFF("prb_data_ring", "tail_lpos"), SIZE("atomic_long_t"),
	OFF("atomic_long_t", "counter"), SIZE("latched_seq"), OFF("latched_seq", "val"),
	MLEN("free_area", "free_list"), ENUM("zone_stat_item", "NR_FREE_PAGES"),
	ENUM("pageflags", "PG_lru"), ENUM("pageflags", "PG_private"), ENUM("pageflags", "PG_swapcache"),
	ENUM("pageflags", "PG_swapbacked"), ENUM("pageflags", "PG_slab"), ENUM("pageflags", "PG_hwpoison"),
	SPECIAL("NUMBER(PG_head_mask)"), SPECIAL("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)"),
	ENUM("compound_dtor_id", "HUGETLB_PAGE_DTOR"), ENUM("pageflags", "PG_hugetlb"),
	SPECIAL("NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)"), SPECIAL("NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)"),
	SPECIAL("NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)"), SPECIAL("NUMBER(PAGE_UNACCEPTED_MAPCOUNT_VALUE)"),
	SYM("kallsyms_names"), SYM("kallsyms_num_syms"), SYM("kallsyms_token_table"),
	SYM("kallsyms_token_index"), SYM("kallsyms_offsets"), SYM("kallsyms_relative_base"),
	/* x86_64's arch_crash_save_vmcoreinfo() */
	SPECIAL("NUMBER(phys_base)"), SYM("init_top_pgt"), SPECIAL("NUMBER(pgtable_l5_enabled)"),
	SYM("node_data"), VLEN("node_data"), SPECIAL("KERNELOFFSET"), SPECIAL("NUMBER(sme_mask)"),
	/* what makedumpfile -g adds */
	SYM("level4_kernel_pgt"), SYM("vmlist"), SYM("node_states"), SYM("pgdat_list"),
	SYM("contig_page_data"), SYM("mem_map"), SYM("log_buf"), SYM("log_buf_len"), SYM("max_pfn"),
	SYM("high_memory"), OFF("vm_struct", "addr"), ENUM("node_states", "N_ONLINE"),
	/*
	 * what --keep-user-stack reads (no kernel exports these): the task on
	 * each CPU (per-CPU current_task, in pcpu_hot from 6.2), its mm and
	 * kernel stack, the user registers at the top of that stack
	 */
	SYM("__per_cpu_offset"), VLEN("__per_cpu_offset"), SYM("current_task"), SYM("pcpu_hot"),
	OFF("pcpu_hot", "current_task"), OFF("task_struct", "mm"), OFF("task_struct", "stack"),
	OFF("task_struct", "pid"), OFF("task_struct", "comm"), SIZE("thread_union"),
	OFF("mm_struct", "pgd"), OFF("mm_struct", "start_stack"), OFF("mm_struct", "env_end"),
	OFF("mm_struct", "saved_auxv"), MLEN("mm_struct", "saved_auxv"), SIZE("pt_regs"),
	OFF("pt_regs", "sp"), OFF("pt_regs", "cs"), OFF("pt_regs", "ss"),
	/*
	 * what the startup set needs to bound the kernel image and the parts of
	 * it the kernel frees after boot (startup_image.c); the x86 ones are
	 * absent from other arches' vmlinux, so left out there
	 */
	SYM("_end"), SYM("__init_begin"), SYM("__init_end"), SYM("__smp_locks"), SYM("__smp_locks_end"),
	SYM("_brk_end"), SYM("__start_bss_decrypted_unused"), SYM("__end_bss_decrypted"), SYM("__start_rodata"),
	SYM("__end_rodata"), SYM("_sdata"),
};

struct gen {
	struct vs_debuginfo *di;
	const struct vs_di_gen_opts *o;
	FILE *f;
	uint64_t page_size;
};

/* 0 written, 1 unknown (left out), -1 error in *err. */
static int put_err(struct vs_err *err, struct vs_err **out)
{
	if (!err)
		return 0;
	if (err->code == VS_ERR_NOKEY) {
		vs_err_free(err);
		return 1;
	}
	*out = err;
	return -1;
}

static uint64_t relocate(const struct gen *g, uint64_t addr)
{
	return g->o->has_kaslr && vs_di_in_image(g->di, addr) ? addr + g->o->kaslr_offset : addr;
}

/* MAX_PHYSMEM_BITS of x86_64: 52 with 5-level paging, else 46; unknown for a 5-level-capable kernel alone. */
static bool max_physmem_bits(const struct gen *g, int64_t *v)
{
	if (g->di->machine != EM_X86_64)
		return false;
	uint64_t sym;
	struct vs_err *err = vs_di_symbol(g->di, "__pgtable_l5_enabled", &sym);
	bool capable = !err;
	vs_err_free(err);
	if (capable && !g->o->has_l5)
		return false;
	*v = capable && g->o->l5 ? 52 : 46;
	return true;
}

/* NR_SECTION_ROOTS for SPARSEMEM_EXTREME (mem_section is a pointer), else the array's length. */
static int mem_section_length(const struct gen *g, uint64_t *len, struct vs_err **out)
{
	bool ptr;
	int r = put_err(vs_di_var_is_pointer(g->di, "mem_section", &ptr), out);
	if (r || !ptr)
		return r ? r : put_err(vs_di_var_length(g->di, "mem_section", len), out);
	int64_t mpb;
	uint64_t size;
	if (g->di->machine != EM_X86_64 || !max_physmem_bits(g, &mpb))
		return 1;
	if ((r = put_err(vs_di_size(g->di, "mem_section", &size), out)))
		return r;
	if (!size || size > g->page_size)
		return 1;
	uint64_t sections = 1ull << (mpb - 27), per_root = g->page_size / size;
	*len = (sections + per_root - 1) / per_root;
	return 0;
}

/*
 * PAGE_<type>_MAPCOUNT_VALUE: from 6.12 PGTY_<type> << 24 (enum pagetype),
 * 6.9-6.11 ~PG_<type> of the same enum; earlier kernels #define them, so
 * they stay unknown (-d 16 then walks the free lists, as makedumpfile does).
 */
static int page_type_value(const struct gen *g, const char *type, int64_t *v, struct vs_err **out)
{
	char name[48];
	int64_t x;
	snprintf(name, sizeof(name), "PGTY_%s", type);
	int r = put_err(vs_di_enum(g->di, "pagetype", name, &x), out);
	if (r == 0) {
		*v = (int32_t)(uint32_t)((uint64_t)x << 24);
		return 0;
	}
	if (r < 0)
		return r;
	snprintf(name, sizeof(name), "PG_%s", type);
	if ((r = put_err(vs_di_enum(g->di, "pagetype", name, &x), out)))
		return r;
	*v = (int32_t)~(uint32_t)x;
	return 0;
}

static int put_symbol(const struct gen *g, const char *name, uint64_t addr)
{
	return fprintf(g->f, "SYMBOL(%s)=%llx\n", name, (unsigned long long)relocate(g, addr)) < 0 ? 1 : 0;
}

/*
 * Symbols that are macros: node_online_map is node_states[N_ONLINE];
 * x86_64's swapper_pg_dir is init_top_pgt.
 */
static int macro_symbol(const struct gen *g, const char *name, struct vs_err **err)
{
	uint64_t a, size;
	int64_t n;
	int r;
	if (!(r = put_err(vs_di_symbol(g->di, name, &a), err)))
		return put_symbol(g, name, a);
	if (r < 0)
		return r;
	if (strcmp(name, "swapper_pg_dir") == 0) {
		if (g->di->machine != EM_X86_64 || (r = put_err(vs_di_symbol(g->di, "init_top_pgt", &a), err)))
			return r ? r : 1;
		return put_symbol(g, name, a);
	}
	if ((r = put_err(vs_di_symbol(g->di, "node_states", &a), err)) ||
	    (r = put_err(vs_di_enum(g->di, "node_states", "N_ONLINE", &n), err)) ||
	    (r = put_err(vs_di_size(g->di, "nodemask_t", &size), err)))
		return r;
	if (n < 0 || n > 64 || size > (1u << 20))
		return 1;
	return put_symbol(g, name, a + (uint64_t)n * size);
}

static int special(const struct gen *g, const char *key, struct vs_err **err)
{
	const struct vs_di_gen_opts *o = g->o;
	int64_t n;
	uint64_t u;
	int r;
	if (strcmp(key, "SYMBOL(node_online_map)") == 0)
		return macro_symbol(g, "node_online_map", err);
	if (strcmp(key, "SYMBOL(swapper_pg_dir)") == 0)
		return macro_symbol(g, "swapper_pg_dir", err);
	if (strcmp(key, "LENGTH(mem_section)") == 0) {
		if ((r = mem_section_length(g, &u, err)) == 0)
			fprintf(g->f, "%s=%llu\n", key, (unsigned long long)u);
		return r;
	}
	if (strcmp(key, "NUMBER(SECTION_SIZE_BITS)") == 0) {
		if (g->di->machine != EM_X86_64)
			return 1;
		return fprintf(g->f, "%s=27\n", key) < 0 ? 1 : 0;
	}
	if (strcmp(key, "NUMBER(MAX_PHYSMEM_BITS)") == 0) {
		if (!max_physmem_bits(g, &n))
			return 1;
		return fprintf(g->f, "%s=%lld\n", key, (long long)n) < 0 ? 1 : 0;
	}
	if (strcmp(key, "NUMBER(PG_head_mask)") == 0) {
		if ((r = put_err(vs_di_enum(g->di, "pageflags", "PG_head", &n), err)) || n < 0 || n > 63)
			return r ? r : 1;
		return fprintf(g->f, "%s=%llu\n", key, 1ull << n) < 0 ? 1 : 0;
	}
	if (strncmp(key, "NUMBER(PAGE_", 12) == 0) {
		char type[32];
		size_t len = strcspn(key + 12, "_");
		if (len >= sizeof(type))
			return 1;
		for (size_t i = 0; i < len; i++)
			type[i] = (char)(key[12 + i] | 0x20);  /* BUDDY -> buddy */
		type[len] = 0;
		if ((r = page_type_value(g, type, &n, err)) == 0)
			fprintf(g->f, "%s=%lld\n", key, (long long)n);
		return r;
	}
	if (strcmp(key, "NUMBER(phys_base)") == 0 && o->has_phys_base)
		return fprintf(g->f, "%s=%lld\n", key, (long long)o->phys_base) < 0;
	if (strcmp(key, "NUMBER(pgtable_l5_enabled)") == 0 && o->has_l5)
		return fprintf(g->f, "%s=%d\n", key, o->l5) < 0;
	if (strcmp(key, "KERNELOFFSET") == 0 && o->has_kaslr)
		return fprintf(g->f, "%s=%llx\n", key, (unsigned long long)o->kaslr_offset) < 0;
	if (strcmp(key, "NUMBER(sme_mask)") == 0 && o->has_sme_mask)
		return fprintf(g->f, "%s=%lld\n", key, (long long)o->sme_mask) < 0;
	return 1;
}

static int one_key(const struct gen *g, const struct gen_key *k, struct vs_err **err)
{
	uint64_t u;
	int64_t n;
	int r;
	switch (k->kind) {
	case G_SYM:
		if (!(r = put_err(vs_di_symbol(g->di, k->a, &u), err)))
			fprintf(g->f, "SYMBOL(%s)=%llx\n", k->a, (unsigned long long)relocate(g, u));
		return r;
	case G_SIZE:
		if (!(r = put_err(vs_di_size(g->di, k->a, &u), err)))
			fprintf(g->f, "SIZE(%s)=%llu\n", k->a, (unsigned long long)u);
		return r;
	case G_OFF:
		if (!(r = put_err(vs_di_offset(g->di, k->a, k->b, &u), err)))
			fprintf(g->f, "OFFSET(%s.%s)=%llu\n", k->a, k->b, (unsigned long long)u);
		return r;
	case G_VLEN:
		if (!(r = put_err(vs_di_var_length(g->di, k->a, &u), err)))
			fprintf(g->f, "LENGTH(%s)=%llu\n", k->a, (unsigned long long)u);
		return r;
	case G_MLEN:
		if (!(r = put_err(vs_di_member_length(g->di, k->a, k->b, &u), err))) {
			if (k->key)
				fprintf(g->f, "%s=%llu\n", k->key, (unsigned long long)u);
			else
				fprintf(g->f, "LENGTH(%s.%s)=%llu\n", k->a, k->b, (unsigned long long)u);
		}
		return r;
	case G_ENUM:
		if (!(r = put_err(vs_di_enum(g->di, k->a, k->b, &n), err)))
			fprintf(g->f, "NUMBER(%s)=%lld\n", k->b, (long long)n);
		return r;
	default:
		return special(g, k->a, err);
	}
}

struct vs_err *vs_di_vmcoreinfo(struct vs_debuginfo *di, const struct vs_di_gen_opts *o, char **text, size_t *len)
{
	if (di->btf)
		return di_btf_unsupported(di, "VMCOREINFO from debug information (-g)");
	const struct vs_arch_ops *arch = vs_arch_find(di->machine);
	struct gen g = { di, o, NULL, o->page_size };
	if (!g.page_size && arch)
		g.page_size = 1ull << arch->page_shift;
	*text = NULL;
	g.f = open_memstream(text, len);
	if (!g.f)
		return vs_enomem;
	if (di->release[0])
		fprintf(g.f, "OSRELEASE=%s\n", di->release);
	if (di->build_id[0])
		fprintf(g.f, "BUILD-ID=%s\n", di->build_id);
	if (g.page_size)
		fprintf(g.f, "PAGESIZE=%llu\n", (unsigned long long)g.page_size);
	struct vs_err *err = NULL;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !err; i++)
		one_key(&g, &keys[i], &err);
	if (fclose(g.f) != 0 && !err)
		err = vs_enomem;
	if (err) {
		free(*text);
		*text = NULL;
	}
	return err;
}
