// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zones' own free-page counters, to cross-check the free pages found in
 * struct pages: when a new kernel changes the encoding, the two disagree,
 * and users learn it from a warning rather than from a huge dump.
 */
#include "vmsift/memmodel.h"
#include "vmsift/kallsyms.h"

#include <string.h>

#define MAX_NODES 4096
#define MAX_ZONES 16

static struct vs_err *node_free(struct vs_kernel *k, uint64_t pgdat, uint64_t *sum)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	uint64_t off_zones, off_nr, zsize, off_stat;
	int64_t nr_free;
	struct vs_err *err;
	if ((err = vs_vmci_offset(vi, "pglist_data.node_zones", &off_zones)) ||
	    (err = vs_vmci_offset(vi, "pglist_data.nr_zones", &off_nr)) || (err = vs_vmci_size(vi, "zone", &zsize)) ||
	    (err = vs_vmci_offset(vi, "zone.vm_stat", &off_stat)) || (err = vs_vmci_number(vi, "NR_FREE_PAGES", &nr_free)))
		return err;
	if (nr_free < 0 || nr_free > 256 || zsize == 0 || zsize > (1u << 20))
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: NR_FREE_PAGES/SIZE(zone) are implausible");
	uint32_t raw_nr;
	if ((err = vs_kernel_read_u32(k, pgdat + off_nr, &raw_nr)))
		return err;
	int32_t nr_zones = (int32_t)raw_nr;
	if (nr_zones < 0 || nr_zones > MAX_ZONES)
		return vs_err_new(VS_ERR_CORRUPT, "pglist_data at 0x%llx has nr_zones %d", (unsigned long long)pgdat, nr_zones);
	for (int z = 0; z < nr_zones; z++) {
		uint64_t at = pgdat + off_zones + (uint64_t)z * zsize + off_stat + (uint64_t)nr_free * k->long_size;
		uint8_t raw[8];
		if ((err = vs_kernel_read_virt(k, at, raw, k->long_size)))
			return err;
		int64_t v = vs_kernel_ld_slong(k, raw);  /* atomic_long_t */
		if (v > 0)  /* per-cpu drift can make a counter briefly negative */
			*sum += (uint64_t)v;
	}
	return NULL;
}

/*
 * node_data's address and how many slots to look at: LENGTH(node_data)
 * where VMCOREINFO exports both (x86_64); else, from kallsyms (arm64 and the
 * other NUMA kernels whose VMCOREINFO lacks it), the room up to the next
 * symbol, and no more than node_online_map's room has bits for (both names
 * in one pass over the table).
 */
static struct vs_err *node_slots(struct vs_kernel *k, uint64_t *sym, uint64_t *len)
{
	static const char *const names[] = { "node_data", "node_online_map" };
	uint64_t addrs[2], gaps[2];
	struct vs_err *err;
	if (vs_vmci_get(k->vmci, "SYMBOL(node_data)")) {
		if ((err = vs_vmci_symbol(k->vmci, "node_data", sym)))
			return err;
		return vs_vmci_length(k->vmci, "node_data", len);
	}
	if ((err = vs_kallsyms_lookup(k, names, 2, addrs, gaps)))
		return err;
	if (!addrs[0])
		return vs_err_new(VS_ERR_NOKEY, "kallsyms has no symbol node_data");
	*sym = addrs[0];
	if (!gaps[0])
		return vs_vmci_length(k->vmci, "node_data", len);
	*len = gaps[0] / k->long_size;
	if (addrs[1] && gaps[1] && gaps[1] * 8 < *len)
		*len = gaps[1] * 8;
	return NULL;
}

struct vs_err *vs_zone_free_pages(struct vs_kernel *k, uint64_t *free_pages)
{
	*free_pages = 0;
	uint64_t sym, len;
	struct vs_err *err;
	if (!vs_vmci_get(k->vmci, "SYMBOL(node_data)") && vs_vmci_get(k->vmci, "SYMBOL(contig_page_data)")) {
		/* no NUMA: one node */
		if ((err = vs_vmci_symbol(k->vmci, "contig_page_data", &sym)))
			return err;
		return node_free(k, sym, free_pages);
	}
	if ((err = node_slots(k, &sym, &len)))
		return err;
	if (len > MAX_NODES)
		len = MAX_NODES;
	/* Only online nodes have a pglist_data; the other slots need not be zero. */
	uint8_t online[MAX_NODES / 8];
	uint64_t map;
	memset(online, 0xff, sizeof(online));
	if (!(err = vs_vmci_symbol(k->vmci, "node_online_map", &map))) {
		uint64_t longs = (len + k->long_size * 8 - 1) / (k->long_size * 8);  /* whole unsigned longs */
		err = vs_kernel_read_virt(k, map, online, (size_t)(longs * k->long_size));
	}
	if (err)  /* unreadable map: every slot with a pglist_data counts */
		memset(online, 0xff, sizeof(online));
	vs_err_free(err);
	for (uint64_t n = 0; n < len; n++) {
		uint64_t pgdat;
		if (!vs_kernel_test_bit(k, online, n))
			continue;
		if ((err = vs_kernel_read_ptr(k, sym + n * k->long_size, &pgdat)))
			return err;
		if (pgdat && (err = node_free(k, pgdat, free_pages)))
			return err;
	}
	return NULL;
}
