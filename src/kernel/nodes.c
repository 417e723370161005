// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The online NUMA nodes and their pglist_data, found the way makedumpfile's
 * next_online_pgdat() finds them, in its order of preference: node_data[]
 * (NUMA kernels), pgdat_list[] (ia64), the pgdat_list chain through
 * pglist_data.pgdat_next (Linux 2.6.16 and older), contig_page_data (one
 * node).  Shared by the DISCONTIGMEM mem_map and the free-list walk.
 */
#include "vmsift/memmodel.h"

#include <stdlib.h>
#include <string.h>

#define MAX_MASK_BYTES 1024   /* 8192 node bits; Linux's NODES_SHIFT is at most 10 */

/* Optional key: false when absent; an unparsable value is an error. */
static struct vs_err *opt_sym(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v, bool *has)
{
	return vs_err_optional(vs_vmci_symbol(vi, name, v), has);
}

static struct vs_err *opt_len(const struct vs_vmcoreinfo *vi, const char *name, uint64_t *v, bool *has)
{
	return vs_err_optional(vs_vmci_length(vi, name, v), has);
}

/*
 * The online map: node_online_map, or node_states[N_ONLINE] (2.6.23 on).
 * Without either, every node slot is a candidate (makedumpfile refuses
 * such a kernel; we keep the slots whose pointer is a kernel address).
 */
static struct vs_err *online_map(struct vs_kernel *k, uint8_t *map, uint64_t *bits)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	uint64_t at, size = 8;
	bool has;
	struct vs_err *err = opt_sym(vi, "node_online_map", &at, &has);
	if (!err && !has) {
		int64_t n_online;
		if (!(err = opt_sym(vi, "node_states", &at, &has)) && has) {
			struct vs_err *e2 = vs_vmci_number(vi, "N_ONLINE", &n_online);
			if (e2)
				return e2;
			uint64_t ms = 8;
			vs_err_free(vs_vmci_size(vi, "nodemask_t", &ms));
			if (n_online < 0 || n_online > 16 || ms > MAX_MASK_BYTES)
				return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: NUMBER(N_ONLINE)=%lld is implausible",
						  (long long)n_online);
			at += (uint64_t)n_online * ms;
		}
	}
	if (err)
		return err;
	if (!has) {
		memset(map, 0xff, MAX_MASK_BYTES);
		*bits = MAX_MASK_BYTES * 8;
		return NULL;
	}
	struct vs_err *e2 = vs_err_optional(vs_vmci_size(vi, "nodemask_t", &size), NULL);
	if (e2)
		return e2;
	if (size == 0 || size > MAX_MASK_BYTES || size % k->long_size)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: SIZE(nodemask_t)=%llu is implausible",
				  (unsigned long long)size);
	*bits = size * 8;
	if ((err = vs_kernel_read_virt(k, at, map, (size_t)size)))
		return vs_err_wrap(err, "node online map at 0x%llx", (unsigned long long)at);
	return NULL;
}

/* Node n's pglist_data through the pgdat_next chain (2.6.16 and older). */
static struct vs_err *chain_pgdat(struct vs_kernel *k, uint64_t head, uint64_t off_next, unsigned n, uint64_t *out)
{
	uint64_t p;
	struct vs_err *err = vs_kernel_read_ptr(k, head, &p);
	for (unsigned i = 0; !err && i < n && vs_kernel_is_kernel_addr(k, p); i++)
		err = vs_kernel_read_ptr(k, p + off_next, &p);
	if (!err)
		*out = vs_kernel_is_kernel_addr(k, p) ? p : 0;
	return err;
}

/* makedumpfile's next_online_pgdat(): the first source with a kernel address wins. */
static struct vs_err *node_pgdat(struct vs_kernel *k, unsigned n, uint64_t *out, uint64_t *seen)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	uint64_t sym, len, off, v = 0;
	bool has_sym, has_len;
	struct vs_err *err;
	*out = 0;
	if ((err = opt_sym(vi, "node_data", &sym, &has_sym)) || (err = opt_len(vi, "node_data", &len, &has_len)))
		return err;
	if (has_sym && has_len && n < len) {
		if ((err = vs_kernel_read_ptr(k, sym + (uint64_t)n * k->long_size, &v)))
			return vs_err_wrap(err, "node_data[%u]", n);
		*seen = v;
		if (vs_kernel_is_kernel_addr(k, v))
			return *out = v, NULL;
	}
	if ((err = opt_sym(vi, "pgdat_list", &sym, &has_sym)) || (err = opt_len(vi, "pgdat_list", &len, &has_len)))
		return err;
	if (has_sym && (has_len ? n < len : n == 0)) {
		if ((err = vs_kernel_read_ptr(k, sym + (uint64_t)n * k->long_size, &v)))
			return vs_err_wrap(err, "pgdat_list[%u]", n);
		if (vs_kernel_is_kernel_addr(k, v))
			return *out = v, NULL;
	}
	if (has_sym && !vs_vmci_get(vi, "LENGTH(pgdat_list)") &&
	    !(err = vs_vmci_offset(vi, "pglist_data.pgdat_next", &off))) {
		if ((err = chain_pgdat(k, sym, off, n, &v)))
			return vs_err_wrap(err, "pgdat_list chain, node %u", n);
		if (v)
			return *out = v, NULL;
	}
	vs_err_free(err);
	if (n == 0 && !(err = vs_vmci_symbol(vi, "contig_page_data", &v)))
		return *out = v, NULL;
	vs_err_free(err);
	return NULL;
}

struct vs_err *vs_nodes_read(struct vs_kernel *k, struct vs_nodes *nd)
{
	memset(nd, 0, sizeof(*nd));
	uint8_t map[MAX_MASK_BYTES];
	uint64_t bits = 0;
	struct vs_err *err = online_map(k, map, &bits);
	if (err)
		return err;
	bool strict = bits < MAX_MASK_BYTES * 8 || vs_vmci_get(k->vmci, "SYMBOL(node_online_map)");
	for (uint64_t n = 0; n < bits; n++) {
		if (!vs_kernel_test_bit(k, map, n))
			continue;
		uint64_t pgdat, seen = 0;
		if ((err = node_pgdat(k, (unsigned)n, &pgdat, &seen)))
			return err;
		if (!pgdat) {
			if (!strict)
				continue;  /* no online map: only slots that hold a pglist_data */
			return vs_err_new(VS_ERR_CORRUPT, "node %llu is online but has no pglist_data (node_data[%llu] is 0x%llx)",
					  (unsigned long long)n, (unsigned long long)n, (unsigned long long)seen);
		}
		if (nd->n == VS_MAX_NODES)
			return vs_err_new(VS_ERR_CORRUPT, "more than %d online nodes", VS_MAX_NODES);
		nd->id[nd->n] = (unsigned)n;
		nd->pgdat[nd->n++] = pgdat;
	}
	if (!nd->n)
		return vs_err_new(VS_ERR_CORRUPT, "no online node has a pglist_data");
	return NULL;
}
