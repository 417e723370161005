// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DISCONTIGMEM: one struct page array per node, at pglist_data.node_mem_map,
 * covering [node_start_pfn, node_start_pfn + node_spanned_pages).  Kernels
 * of that era (i386/x86_64 NUMA in 2.6, ia64, alpha, arc, m68k...; the model
 * was removed in Linux 5.14) exported the node keys instead of mem_section.
 * makedumpfile's get_mm_discontigmem() is the reference for what is read.
 *
 * The arrays are expressed as synthetic sections of 2^s pfns, s the largest
 * power of two (at most 2^18) dividing every node's start, so that no
 * section spans two nodes; a node's last section may end early (valid_end).
 * The engine then reads them like SPARSEMEM sections.
 */
#include "vmsift/memmodel.h"

#include <stdlib.h>
#include <string.h>

#include "../util/bytes.h"

#define MAX_SHIFT 18
#define MAX_SYNTH_SECTIONS (1ull << 22)   /* 32 MiB of table at most */

bool vs_discontig_detect(const struct vs_vmcoreinfo *vi)
{
	bool nodes = (vs_vmci_get(vi, "SYMBOL(node_data)") && vs_vmci_get(vi, "LENGTH(node_data)")) ||
		     (vs_vmci_get(vi, "SYMBOL(pgdat_list)") &&
		      (vs_vmci_get(vi, "OFFSET(pglist_data.pgdat_next)") || vs_vmci_get(vi, "LENGTH(pgdat_list)")));
	return nodes && vs_vmci_get(vi, "SIZE(pglist_data)") && vs_vmci_get(vi, "OFFSET(pglist_data.node_mem_map)") &&
	       vs_vmci_get(vi, "OFFSET(pglist_data.node_start_pfn)") &&
	       vs_vmci_get(vi, "OFFSET(pglist_data.node_spanned_pages)");
}

struct node_map {
	unsigned id;
	uint64_t start, end, map;
};

static struct vs_err *read_node(struct vs_kernel *k, const struct vs_page_layout *pl, unsigned id, uint64_t pgdat,
				uint64_t max_mapnr, struct node_map *nm)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	uint64_t o_start, o_span, o_map, spanned;
	struct vs_err *err;
	if ((err = vs_vmci_offset(vi, "pglist_data.node_start_pfn", &o_start)) ||
	    (err = vs_vmci_offset(vi, "pglist_data.node_spanned_pages", &o_span)) ||
	    (err = vs_vmci_offset(vi, "pglist_data.node_mem_map", &o_map)))
		return err;
	if ((err = vs_kernel_read_long(k, pgdat + o_start, &nm->start)) ||
	    (err = vs_kernel_read_long(k, pgdat + o_span, &spanned)) ||
	    (err = vs_kernel_read_ptr(k, pgdat + o_map, &nm->map)))
		return vs_err_wrap(err, "node %u: pglist_data at 0x%llx", id, (unsigned long long)pgdat);
	nm->id = id;
	if (!vs_add_ok(nm->start, spanned, &nm->end) || nm->end >> 52)
		return vs_err_new(VS_ERR_CORRUPT, "node %u: node_start_pfn 0x%llx + node_spanned_pages 0x%llx is beyond any physical address",
				  id, (unsigned long long)nm->start, (unsigned long long)spanned);
	/* Like makedumpfile: a node reaching past the dump ends with the dump. */
	if (nm->end > max_mapnr)
		nm->end = max_mapnr > nm->start ? max_mapnr : nm->start;
	if (nm->end > nm->start && !vs_kernel_is_kernel_addr(k, nm->map))
		return vs_err_new(VS_ERR_CORRUPT, "node %u: node_mem_map 0x%llx is not a kernel address",
				  id, (unsigned long long)nm->map);
	uint64_t bytes, last;
	if (!vs_mul_ok(nm->end - nm->start, pl->size, &bytes) || !vs_add_ok(nm->map, bytes, &last))
		return vs_err_new(VS_ERR_CORRUPT, "node %u: node_mem_map 0x%llx for 0x%llx pages runs past the address space",
				  id, (unsigned long long)nm->map, (unsigned long long)(nm->end - nm->start));
	return NULL;
}

static int by_start(const void *a, const void *b)
{
	const struct node_map *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorted, non-empty, non-overlapping (makedumpfile refuses overlaps too). */
static struct vs_err *check_order(struct node_map *nm, unsigned *n)
{
	unsigned j = 0;
	for (unsigned i = 0; i < *n; i++)
		if (nm[i].end > nm[i].start)
			nm[j++] = nm[i];
	*n = j;
	qsort(nm, *n, sizeof(*nm), by_start);
	for (unsigned i = 1; i < *n; i++)
		if (nm[i].start < nm[i - 1].end)
			return vs_err_new(VS_ERR_CORRUPT, "node %u (pfns 0x%llx-0x%llx) overlaps node %u (pfns 0x%llx-0x%llx)",
					  nm[i].id, (unsigned long long)nm[i].start, (unsigned long long)nm[i].end,
					  nm[i - 1].id, (unsigned long long)nm[i - 1].start, (unsigned long long)nm[i - 1].end);
	if (!*n)
		return vs_err_new(VS_ERR_CORRUPT, "DISCONTIGMEM: no node spans a pfn of the dump");
	return NULL;
}

static struct vs_err *fill(const struct node_map *nm, unsigned n, uint32_t psize, struct vs_memmap *mm)
{
	unsigned s = MAX_SHIFT;
	for (unsigned i = 0; i < n; i++)
		if (nm[i].start && (unsigned)__builtin_ctzll(nm[i].start) < s)
			s = (unsigned)__builtin_ctzll(nm[i].start);
	uint64_t top = nm[n - 1].end;
	mm->section_pfn_shift = s;
	mm->pfns_per_section = 1ull << s;
	mm->nsections = (top + mm->pfns_per_section - 1) >> s;
	if (mm->nsections > MAX_SYNTH_SECTIONS) {
		unsigned worst = 0;
		for (unsigned i = 0; i < n; i++)
			if (nm[i].start && (unsigned)__builtin_ctzll(nm[i].start) == s)
				worst = i;
		return vs_err_new(VS_ERR_CORRUPT, "node %u starts at pfn 0x%llx: too finely aligned to index 0x%llx pfns",
				  nm[worst].id, (unsigned long long)nm[worst].start, (unsigned long long)top);
	}
	mm->mem_map = calloc(mm->nsections, sizeof(uint64_t));
	mm->valid_end = calloc(mm->nsections, sizeof(uint64_t));
	if (!mm->mem_map || !mm->valid_end)
		return vs_enomem;
	for (unsigned i = 0; i < n; i++) {
		for (uint64_t sec = nm[i].start >> s; sec << s < nm[i].end; sec++) {
			uint64_t end = (sec + 1) << s;
			mm->mem_map[sec] = nm[i].map + ((sec << s) - nm[i].start) * psize;
			mm->valid_end[sec] = end < nm[i].end ? end : nm[i].end;
			mm->present_sections++;
		}
	}
	return NULL;
}

struct vs_err *vs_discontig_init(struct vs_kernel *k, const struct vs_page_layout *pl,
				 uint64_t max_mapnr, struct vs_memmap *mm)
{
	struct vs_nodes *nd = malloc(sizeof(*nd));
	struct node_map *nm = malloc(sizeof(*nm) * VS_MAX_NODES);
	struct vs_err *err = nd && nm ? vs_nodes_read(k, nd) : vs_enomem;
	unsigned n = 0;
	mm->model = "DISCONTIGMEM";
	for (unsigned i = 0; !err && i < nd->n; i++) {
		if (!(err = read_node(k, pl, nd->id[i], nd->pgdat[i], max_mapnr, &nm[n])))
			n++;
	}
	if (!err)
		err = check_order(nm, &n);
	if (!err)
		err = fill(nm, n, pl->size, mm);
	free(nd);
	free(nm);
	if (err) {
		vs_memmap_free(mm);
		return vs_err_wrap(err, "DISCONTIGMEM memory model");
	}
	return NULL;
}
