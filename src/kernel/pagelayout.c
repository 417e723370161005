// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct page layout from VMCOREINFO.  Each kernel-generation variant is
 * recognised by which keys exist, with the kernel change that introduced it.
 */
#include "vmsift/memmodel.h"

#include <string.h>

/* Optional key: *out unchanged when absent; an unparsable value is an error. */
static struct vs_err *opt_off(const struct vs_vmcoreinfo *vi, const char *name, uint32_t *out)
{
	uint64_t v;
	bool found;
	struct vs_err *err = vs_err_optional(vs_vmci_offset(vi, name, &v), &found);
	if (!err && !found)
		return NULL;
	if (!err && v > 4096)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: OFFSET(%s)=%llu is beyond any struct page",
				  name, (unsigned long long)v);
	if (!err)
		*out = (uint32_t)v;
	return err;
}

static struct vs_err *opt_num(const struct vs_vmcoreinfo *vi, const char *name, bool *has, int64_t *out)
{
	return vs_err_optional(vs_vmci_number(vi, name, out), has);
}

static struct vs_err *opt_bit(const struct vs_vmcoreinfo *vi, const char *name, int *bit)
{
	bool has;
	int64_t v;
	struct vs_err *err = opt_num(vi, name, &has, &v);
	*bit = -1;
	if (!err && has && (v < 0 || v > 63))
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: NUMBER(%s)=%lld is not a page flag bit",
				  name, (long long)v);
	if (!err && has)
		*bit = (int)v;
	return err;
}

static struct vs_err *opt_type(const struct vs_vmcoreinfo *vi, const char *name, bool *has, uint32_t *out)
{
	int64_t v;
	struct vs_err *err = opt_num(vi, name, has, &v);
	if (!err && *has)
		*out = (uint32_t)v;  /* printed signed or unsigned; both mean the same 32 bits */
	return err;
}

static struct vs_err *required(const struct vs_vmcoreinfo *vi, struct vs_page_layout *pl)
{
	uint64_t v;
	struct vs_err *err = vs_vmci_size(vi, "page", &v);
	if (!err && (v < 32 || v > 1024))
		err = vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: SIZE(page)=%llu is not a plausible struct page size",
				 (unsigned long long)v);
	if (err)
		return err;
	pl->size = (uint32_t)v;
	pl->off_flags = pl->off_mapping = VS_NO_FIELD;
	if ((err = opt_off(vi, "page.flags", &pl->off_flags)) || (err = opt_off(vi, "page.mapping", &pl->off_mapping)))
		return err;
	const char *missing = pl->off_flags == VS_NO_FIELD ? "OFFSET(page.flags)" :
			      pl->off_mapping == VS_NO_FIELD ? "OFFSET(page.mapping)" : NULL;
	if (missing)
		return vs_err_new(VS_ERR_NOKEY, "VMCOREINFO has no %s, needed to classify pages", missing);
	if (pl->off_flags + 8 > pl->size || pl->off_mapping + 8 > pl->size)
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: page.flags/page.mapping lie outside SIZE(page)=%u", pl->size);
	return NULL;
}

/* Flag bits; makedumpfile substitutes 2.6-era constants when absent, we only use what is exported. */
static struct vs_err *flags(const struct vs_vmcoreinfo *vi, struct vs_page_layout *pl)
{
	struct vs_err *err;
	if ((err = opt_bit(vi, "PG_lru", &pl->pg_lru)) || (err = opt_bit(vi, "PG_private", &pl->pg_private)) ||
	    (err = opt_bit(vi, "PG_swapcache", &pl->pg_swapcache)) ||
	    (err = opt_bit(vi, "PG_swapbacked", &pl->pg_swapbacked)) || (err = opt_bit(vi, "PG_slab", &pl->pg_slab)) ||
	    (err = opt_bit(vi, "PG_hwpoison", &pl->pg_hwpoison)) || (err = opt_bit(vi, "PG_buddy", &pl->pg_buddy)) ||
	    (err = opt_bit(vi, "PG_hugetlb", &pl->pg_hugetlb)))
		return err;
	bool has;
	int64_t v;
	if ((err = opt_num(vi, "PG_head_mask", &has, &v)))
		return err;
	pl->head_mask = has ? (uint64_t)v : 0;
	return NULL;
}

static struct vs_err *page_types(const struct vs_vmcoreinfo *vi, struct vs_page_layout *pl)
{
	struct vs_err *err;
	if ((err = opt_type(vi, "PAGE_BUDDY_MAPCOUNT_VALUE", &pl->has_buddy, &pl->buddy)) ||
	    (err = opt_type(vi, "PAGE_OFFLINE_MAPCOUNT_VALUE", &pl->has_offline, &pl->offline)) ||
	    (err = opt_type(vi, "PAGE_SLAB_MAPCOUNT_VALUE", &pl->has_slab_type, &pl->slab_type)) ||
	    (err = opt_type(vi, "PAGE_HUGETLB_MAPCOUNT_VALUE", &pl->has_hugetlb_type, &pl->hugetlb_type)) ||
	    (err = opt_type(vi, "PAGE_UNACCEPTED_MAPCOUNT_VALUE", &pl->has_unaccepted, &pl->unaccepted)))
		return err;
	/*
	 * 6.12+: every PAGE_*_MAPCOUNT_VALUE is PGTY_x << 24 (buddy 0xf0000000),
	 * low bits clear.  Judged from the first exported type, so that a
	 * kernel without the buddy value is still read right.
	 */
	uint32_t first = pl->has_buddy ? pl->buddy : pl->has_offline ? pl->offline :
			 pl->has_slab_type ? pl->slab_type : pl->has_hugetlb_type ? pl->hugetlb_type : 0;
	pl->type_top_byte = (first & 0x00ffffff) == 0 && first >= 0x80000000u;
	return NULL;
}

/* Compound order and hugetlb marker, read from the first tail page. */
static struct vs_err *compound(const struct vs_vmcoreinfo *vi, struct vs_page_layout *pl)
{
	uint32_t off = VS_NO_FIELD, folio = VS_NO_FIELD, dtor = VS_NO_FIELD, fdtor = VS_NO_FIELD;
	struct vs_err *err;
	if ((err = opt_off(vi, "page.compound_order", &off)) || (err = opt_off(vi, "folio._folio_order", &folio)) ||
	    (err = opt_off(vi, "page.compound_dtor", &dtor)) || (err = opt_off(vi, "folio._folio_dtor", &fdtor)))
		return err;
	if (off != VS_NO_FIELD) {                 /* up to 6.2: a field of the tail page */
		pl->order_src = VS_ORDER_TAIL_FIELD;
		pl->off_tail_order = off;
	} else if (folio != VS_NO_FIELD && folio >= pl->size) {  /* 6.3-6.5: folio field in the tail */
		pl->order_src = VS_ORDER_TAIL_FIELD;
		pl->off_tail_order = folio - pl->size;
	} else if (pl->head_mask) {               /* 6.6+ (commit ebc1baf5c9b4): low byte of the tail's flags */
		pl->order_src = VS_ORDER_TAIL_FLAGS;
	}
	bool has;
	int64_t v;
	if ((err = opt_num(vi, "HUGETLB_PAGE_DTOR", &has, &v)))
		return err;
	uint32_t d = dtor != VS_NO_FIELD ? dtor : (fdtor != VS_NO_FIELD && fdtor >= pl->size ? fdtor - pl->size : VS_NO_FIELD);
	if (pl->has_hugetlb_type)                 /* 6.9+: a page_type of the head */
		pl->hugetlb_src = VS_HUGETLB_TYPE;
	else if (pl->pg_hugetlb >= 0)             /* 6.6-6.8: a flag of the first tail */
		pl->hugetlb_src = VS_HUGETLB_TAIL_FLAG;
	else if (has && d != VS_NO_FIELD) {       /* up to 6.5: compound_dtor id */
		pl->hugetlb_src = VS_HUGETLB_DTOR;
		pl->off_tail_dtor = d;
		pl->hugetlb_dtor = (uint64_t)v;
	}
	return NULL;
}

struct vs_err *vs_page_layout_init(const struct vs_vmcoreinfo *vi, struct vs_page_layout *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->off_mapcount = pl->off_private = pl->off_compound_head = VS_NO_FIELD;
	struct vs_err *err = required(vi, pl);
	if (!err)
		err = flags(vi, pl);
	if (!err)
		err = opt_off(vi, "page._mapcount", &pl->off_mapcount);
	if (!err)
		err = opt_off(vi, "page.private", &pl->off_private);
	if (!err)  /* compound_head was renamed compound_info in 7.1 */
		err = opt_off(vi, "page.compound_head", &pl->off_compound_head);
	if (!err && pl->off_compound_head == VS_NO_FIELD)
		err = opt_off(vi, "page.compound_info", &pl->off_compound_head);
	if (!err)
		err = page_types(vi, pl);
	if (!err)
		err = compound(vi, pl);
	uint64_t mo = 11;
	if (!err)
		err = vs_err_optional(vs_vmci_length(vi, "zone.free_area", &mo), NULL);
	if (!err && (mo == 0 || mo > 64))
		err = vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: LENGTH(zone.free_area)=%llu is not a plausible order count",
				 (unsigned long long)mo);
	pl->max_order = (unsigned)mo;
	/* makedumpfile's setup_page_is_buddy(): otherwise it walks the free lists. */
	pl->buddy_in_memmap = pl->off_private != VS_NO_FIELD &&
			      (pl->pg_buddy >= 0 || (pl->has_buddy && pl->off_mapcount != VS_NO_FIELD));
	if (!err && ((pl->off_mapcount != VS_NO_FIELD && pl->off_mapcount + 4 > pl->size) ||
		     (pl->off_private != VS_NO_FIELD && pl->off_private + 8 > pl->size) ||
		     (pl->off_compound_head != VS_NO_FIELD && pl->off_compound_head + 8 > pl->size) ||
		     (pl->order_src == VS_ORDER_TAIL_FIELD && pl->off_tail_order >= pl->size) ||
		     (pl->hugetlb_src == VS_HUGETLB_DTOR && pl->off_tail_dtor >= pl->size)))
		err = vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: a struct page field offset lies outside SIZE(page)=%u", pl->size);
	return err;
}
