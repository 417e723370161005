// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The startup set's kernel objects: every SYMBOL(...) of an object VMCOREINFO names (its
 * first page, or the whole object where VMCOREINFO gives its size), the
 * structures behind the ones readers follow first (mem_section roots, the
 * printk ring's arrays, each node's pglist_data); the per-CPU areas are
 * startup_percpu.c's.
 */
#include "startup.h"

#include <string.h>

/* Ceilings for sizes read from the dump: larger values are corrupt, keep the first page only. */
#define MAX_OBJECT (1ull << 30)
#define MAX_POINTERS 65536u

static bool kernel_ptr(struct vs_kernel *k, uint64_t addr, uint64_t *out)
{
	struct vs_err *err = vs_kernel_read_ptr(k, addr, out);
	vs_err_free(err);
	return !err && *out && vs_kernel_is_kernel_addr(k, *out);
}

static uint64_t vmci_or(const struct vs_vmcoreinfo *vi, struct vs_err *(*get)(const struct vs_vmcoreinfo *,
				const char *, uint64_t *), const char *name, uint64_t dflt)
{
	uint64_t v;
	struct vs_err *err = get(vi, name, &v);
	vs_err_free(err);
	return err ? dflt : v;
}

static void add_object(struct vs_startup *set, uint64_t addr, uint64_t size)
{
	vs_startup_add_virt(set, addr, size && size <= MAX_OBJECT ? size : 1);
}

/* SPARSEMEM_EXTREME: the root array (SYMBOL(mem_section) is its address) and each root's page. */
static void add_mem_section(struct vs_session *s, const struct vs_memmap *mm, uint64_t sym, struct vs_startup *set)
{
	struct vs_kernel *k = s->kernel;
	uint64_t size = vmci_or(s->vmci, vs_vmci_size, "mem_section", 0);
	if (!size || size > k->page_size)
		return;
	if (!mm->model || strcmp(mm->model, "SPARSEMEM_EX") != 0) {
		add_object(set, sym, mm->nsections * size);
		return;
	}
	uint64_t per_root = k->page_size / size, nroots = (mm->nsections + per_root - 1) / per_root;
	if (nroots > MAX_POINTERS)
		nroots = MAX_POINTERS;
	add_object(set, sym, nroots * k->long_size);
	for (uint64_t i = 0; i < nroots; i++) {
		uint64_t root;
		if (kernel_ptr(k, sym + i * k->long_size, &root))
			add_object(set, root, per_root * size);
	}
}

/* The lockless ring (5.10+): SYMBOL(prb) is &prb; its descriptors, infos and text arrays. */
static void add_printk_ring(struct vs_session *s, uint64_t sym, struct vs_startup *set)
{
	struct vs_kernel *k = s->kernel;
	const struct vs_vmcoreinfo *vi = s->vmci;
	uint64_t rb, desc = vmci_or(vi, vs_vmci_offset, "printk_ringbuffer.desc_ring", UINT64_MAX);
	uint64_t text = vmci_or(vi, vs_vmci_offset, "printk_ringbuffer.text_data_ring", UINT64_MAX);
	if (!kernel_ptr(k, sym, &rb) || desc == UINT64_MAX || text == UINT64_MAX)
		return;
	add_object(set, rb, vmci_or(vi, vs_vmci_size, "printk_ringbuffer", 1));
	uint32_t count_bits, size_bits;
	uint64_t descs, infos, data;
	struct vs_err *err = vs_kernel_read_u32(k, rb + desc + vmci_or(vi, vs_vmci_offset, "prb_desc_ring.count_bits", 0),
						&count_bits);
	if (!err)
		err = vs_kernel_read_u32(k, rb + text + vmci_or(vi, vs_vmci_offset, "prb_data_ring.size_bits", 0),
					 &size_bits);
	vs_err_free(err);
	if (err || count_bits > 30 || size_bits > 30)
		return;
	uint64_t n = 1ull << count_bits;
	if (kernel_ptr(k, rb + desc + vmci_or(vi, vs_vmci_offset, "prb_desc_ring.descs", 8), &descs))
		add_object(set, descs, n * vmci_or(vi, vs_vmci_size, "prb_desc", 1));
	if (kernel_ptr(k, rb + desc + vmci_or(vi, vs_vmci_offset, "prb_desc_ring.infos", 16), &infos))
		add_object(set, infos, n * vmci_or(vi, vs_vmci_size, "printk_info", 1));
	if (kernel_ptr(k, rb + text + vmci_or(vi, vs_vmci_offset, "prb_data_ring.data", 8), &data))
		add_object(set, data, 1ull << size_bits);
}

/* node_data[]: pointers to each node's pglist_data. */
static void add_nodes(struct vs_session *s, uint64_t sym, struct vs_startup *set)
{
	struct vs_kernel *k = s->kernel;
	uint64_t n = vmci_or(s->vmci, vs_vmci_length, "node_data", 1), size = vmci_or(s->vmci, vs_vmci_size, "pglist_data", 1);
	if (n > MAX_POINTERS)
		n = MAX_POINTERS;
	add_object(set, sym, n * k->long_size);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pgdat;
		if (kernel_ptr(k, sym + i * k->long_size, &pgdat))
			add_object(set, pgdat, size);
	}
}

/* What a symbol's object spans, where VMCOREINFO says (else its first byte). */
static void add_symbol(struct vs_session *s, const struct vs_memmap *mm, const char *name, uint64_t addr,
		       struct vs_startup *set)
{
	const struct vs_vmcoreinfo *vi = s->vmci;
	if (!strcmp(name, "mem_section"))
		add_mem_section(s, mm, addr, set);
	else if (!strcmp(name, "prb"))
		add_printk_ring(s, addr, set);
	else if (!strcmp(name, "node_data"))
		add_nodes(s, addr, set);
	else if (!strcmp(name, "init_uts_ns"))  /* the utsname crash checks first: name + 6 * 65 bytes */
		add_object(set, addr, vmci_or(vi, vs_vmci_offset, "uts_namespace.name", 0) + 390);
	add_object(set, addr, 1);
}

/*
 * The symbols kernels put in their own VMCOREINFO (generic and per arch)
 * that name objects.  A VMCOREINFO made from DWARF (-x) names more, and some
 * of those are init data the kernel freed after boot (vmlist has been
 * __initdata since Linux 3.10): their pages are free memory, not something
 * a reader needs.
 */
static bool exported_object(const char *name)
{
	static const char *const names[] = {
		"init_uts_ns", "node_online_map", "swapper_pg_dir", "init_top_pgt", "_stext", "vmap_area_list",
		"mem_map", "contig_page_data", "mem_section", "node_data", "pgdat_list", "prb", "printk_rb_static",
		"clear_seq", "log_buf", "log_buf_len", "log_first_idx", "clear_idx", "log_next_idx", "log_end",
		"logged_chars", "kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table",
		"kallsyms_token_index", "kallsyms_offsets", "kallsyms_relative_base", "kallsyms_addresses",
		"vmemmap_list", "mmu_psize_defs", "mmu_vmemmap_psize", "cur_cpu_spec", "lowcore_ptr", "high_memory",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

void vs_startup_objects(struct vs_session *s, const struct vs_memmap *mm, struct vs_startup *set)
{
	const struct vs_vmcoreinfo *vi = s->vmci;
	for (size_t i = 0; vi && i < vi->n; i++) {
		const char *key = vi->entries[i].key;
		size_t len = strcspn(key, "=");
		if (len < 9 || strncmp(key, "SYMBOL(", 7) != 0 || key[len - 1] != ')')
			continue;
		char name[128];
		if (len - 8 >= sizeof(name))
			continue;
		memcpy(name, key + 7, len - 8);
		name[len - 8] = '\0';
		if (!exported_object(name))
			continue;
		uint64_t addr;
		struct vs_err *err = vs_vmci_symbol(vi, name, &addr);
		vs_err_free(err);
		if (err || !vs_kernel_is_kernel_addr(s->kernel, addr))
			continue;
		set->reason = VS_KEEP_VMCI;
		add_symbol(s, mm, name, addr, set);
	}
	vs_startup_per_cpu(s, set);
}
