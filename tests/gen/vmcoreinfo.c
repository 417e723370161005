// SPDX-License-Identifier: GPL-2.0-or-later
// The VMCOREINFO note text, key for key in the order Linux 6.1 (Debian
// 12) or 6.12 writes it (kallsyms keys left out); the arch adds its keys
// after _stext and at the end.
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->cap - b->n < 256) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = xrealloc(b->p, b->cap, 1);
	}
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

static void head_part(struct sbuf *b, const struct machine *m, int v612)
{
	uint64_t h = hash3(m->o->seed, 0xb1d, 0);
	uint64_t h2 = mix64(h);

	sb_add(b, "OSRELEASE=%s\n", v612 ? "6.12.0-synthetic" : "6.1.0-synthetic");
	sb_add(b, "BUILD-ID=%016llx%016llx%08x\n", (unsigned long long)h,
	    (unsigned long long)h2, (unsigned)(h2 >> 17));
	sb_add(b, "PAGESIZE=%llu\n", (unsigned long long)PAGE_SIZE);
	SYM(b, "init_uts_ns", m->init_uts_ns);
	OFF(b, "uts_namespace.name", 0);
	SYM(b, "node_online_map", m->node_online_map);
	SYM(b, "swapper_pg_dir", m->init_top_pgt);
	SYM(b, "_stext", m->stext);
	m->arch->vmci_mid(b, m);
	if (m->o->memmodel == MM_FLAT) {         /* !CONFIG_NUMA */
		SYM(b, "mem_map", m->mem_map_sym);
		SYM(b, "contig_page_data", m->pgdat);
	}
	if (m->o->memmodel != MM_SPARSE)
		return;
	SYM(b, "mem_section", m->mem_section);
	bait_vmcoreinfo(b, m);
	LEN(b, "mem_section", (1ULL << (m->max_physmem_bits - SECTION_SHIFT)) /
			      SECTIONS_PER_ROOT);
	SIZ(b, "mem_section", g_geom.sz_mem_section);
	OFF(b, "mem_section.section_mem_map", 0);
	NUM(b, "SECTION_SIZE_BITS", SECTION_SHIFT);
	NUM(b, "MAX_PHYSMEM_BITS", m->max_physmem_bits);
}

static void struct_part(struct sbuf *b, const struct machine *m, int v612)
{
	SIZ(b, "page", SPAGE);
	SIZ(b, "pglist_data", SZ_PGLIST);
	SIZ(b, "zone", SZ_ZONE);
	SIZ(b, "free_area", SZ_FREE_AREA);
	SIZ(b, "list_head", 16);
	SIZ(b, "nodemask_t", m->arch->nodemask_size);
	OFF(b, "page.flags", 0);
	OFF(b, "page._refcount", 52);
	OFF(b, "page.mapping", 24);
	OFF(b, "page.lru", 8);
	OFF(b, "page._mapcount", 48);
	if (!m->o->no_buddy_marker)  /* exported together with the buddy value */
		OFF(b, "page.private", 40);
	if (!v612) {
		OFF(b, "page.compound_dtor", 16);
		OFF(b, "page.compound_order", 17);
	}
	OFF(b, "page.compound_head", 8);
	OFF(b, "pglist_data.node_zones", OFF_PGLIST_NODE_ZONES);
	OFF(b, "pglist_data.nr_zones", OFF_PGLIST_NR_ZONES);
	if (m->o->memmodel != MM_SPARSE)         /* CONFIG_FLAT_NODE_MEM_MAP */
		OFF(b, "pglist_data.node_mem_map", OFF_PGLIST_NODE_MEM_MAP);
	OFF(b, "pglist_data.node_start_pfn", OFF_PGLIST_NODE_START_PFN);
	OFF(b, "pglist_data.node_spanned_pages", OFF_PGLIST_NODE_SPANNED);
	OFF(b, "pglist_data.node_id", OFF_PGLIST_NODE_ID);
	OFF(b, "zone.free_area", OFF_ZONE_FREE_AREA);
	OFF(b, "zone.vm_stat", OFF_ZONE_VM_STAT);
	OFF(b, "zone.spanned_pages", OFF_ZONE_SPANNED);
	OFF(b, "free_area.free_list", 0);
	OFF(b, "list_head.next", 0);
	OFF(b, "list_head.prev", 8);
	if (!v612) {
		OFF(b, "vmap_area.va_start", 0);
		OFF(b, "vmap_area.list", OFF_VMAP_AREA_LIST);
	}
	LEN(b, "zone.free_area", MAX_ORDER_NR);
	sb_add(b, "%s", printk_vmcoreinfo(m));      /* log_buf_vmcoreinfo_setup() */
	LEN(b, "free_area.free_list", MIGRATE_TYPES);
	NUM(b, "NR_FREE_PAGES", NR_FREE_PAGES_IDX);
}

static void flags_part(struct sbuf *b, const struct kflags *f, int v612, int buddy)
{
	NUM(b, "PG_lru", f->lru);
	NUM(b, "PG_private", f->private_);
	NUM(b, "PG_swapcache", f->swapcache);
	NUM(b, "PG_swapbacked", f->swapbacked);
	if (v612)
		NUM(b, "PAGE_SLAB_MAPCOUNT_VALUE", (int32_t)f->slab_type);
	else
		NUM(b, "PG_slab", f->slab);
	NUM(b, "PG_hwpoison", f->hwpoison);
	NUM(b, "PG_head_mask", 1L << f->head);
	if (buddy)
		NUM(b, "PAGE_BUDDY_MAPCOUNT_VALUE", (int32_t)f->buddy);
	if (v612)
		NUM(b, "PAGE_HUGETLB_MAPCOUNT_VALUE", (int32_t)f->hugetlb);
	else
		NUM(b, "HUGETLB_PAGE_DTOR", 2);
	NUM(b, "PAGE_OFFLINE_MAPCOUNT_VALUE", (int32_t)f->offline);
}

/* --drop-key: remove the lines of the named keys, in place. */
static void drop_keys(char *text, const struct opts *o)
{
	char *w = text;

	for (char *r = text; *r;) {
		char *nl = strchr(r, '\n');
		size_t len = nl ? (size_t)(nl - r + 1) : strlen(r);
		int drop = 0;

		for (int i = 0; i < o->ndrop; i++) {
			size_t k = strlen(o->drop_key[i]);

			drop |= len > k && !strncmp(r, o->drop_key[i], k) && r[k] == '=';
		}
		if (!drop) {
			memmove(w, r, len);
			w += len;
		}
		r += len;
	}
	*w = 0;
}

char *vmcoreinfo_text(const struct machine *m)
{
	struct sbuf b = { 0 };
	int v612 = m->o->kver == KV_6_12;

	head_part(&b, m, v612);
	struct_part(&b, m, v612);
	flags_part(&b, kflags_of(m), v612, !m->o->no_buddy_marker);
	m->arch->vmci_tail(&b, m);
	kallsyms_vmci(&b, m);
	if (m->o->startup_bait)  /* as -x gives it (no kernel exports it) */
		SYM(&b, "_etext", kimg_va(m, m->kimg_size / 4 * 3));
	if (m->o->user_task)
		usertask_vmci(&b, m);
	drop_keys(b.p, m->o);
	return b.p;
}
