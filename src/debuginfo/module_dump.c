// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loaded modules read from the dump through the vmlinux's DWARF: where each
 * module's memory is (the bounds every section must fall in) and where each
 * of its sections was loaded (sect_attrs, what /sys/module/NAME/sections
 * shows).  Every count and address read here is untrusted.
 */
#include "module_dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmsift/kernel.h"

#define VS_MOD_MAX_LIST (1u << 16)  /* modules walked before the list is called corrupt */

static struct vs_err *member(struct vs_debuginfo *di, const char *type, const char *name, uint64_t *off,
			     struct vs_di_type *t)
{
	struct vs_di_type st;
	struct vs_err *err = vs_di_struct_type(di, type, &st);
	return err ? err : vs_di_member_type(di, &st, name, off, t);
}

struct vs_err *vs_mod_find(struct vs_debuginfo *vml, struct vs_kernel *k, uint64_t kaslr, const char *name,
			   uint64_t *addr)
{
	struct vs_di_type t;
	uint64_t head, off_list, off_name, off_next, node = 0;
	struct vs_err *err = vs_di_symbol(vml, "modules", &head);
	if (!err && vs_di_in_image(vml, head))
		head += kaslr;
	if (!err)
		err = member(vml, "module", "list", &off_list, &t);
	if (!err)
		err = member(vml, "module", "name", &off_name, &t);
	if (!err)
		err = member(vml, "list_head", "next", &off_next, &t);
	if (!err)
		err = vs_kernel_read_ptr(k, head + off_next, &node);
	*addr = 0;
	for (unsigned n = 0; !err && node && node != head; n++) {
		char got[64] = { 0 };
		if (n >= VS_MOD_MAX_LIST)
			return vs_err_new(VS_ERR_CORRUPT, "the dump's modules list has more than %u entries, or a cycle",
					  VS_MOD_MAX_LIST);
		if ((err = vs_kernel_read_virt(k, node - off_list + off_name, got, sizeof(got) - 1)))
			break;
		if (strcmp(got, name) == 0) {
			*addr = node - off_list;
			return NULL;
		}
		err = vs_kernel_read_ptr(k, node + off_next, &node);
	}
	return err ? vs_err_wrap(err, "the dump's modules list") : NULL;
}

static struct vs_err *add_region(struct vs_kernel *k, struct vs_mod_dump *m, uint64_t base_at, uint64_t size_at)
{
	uint64_t base;
	uint32_t size;
	struct vs_err *err = vs_kernel_read_ptr(k, base_at, &base);
	if (!err)
		err = vs_kernel_read_u32(k, size_at, &size);
	if (!err && base && size && m->nregion < VS_MOD_MAX_REGIONS) {
		m->region[m->nregion].base = base;
		m->region[m->nregion++].size = size;
	}
	return err;
}

/*
 * The module's memory, by the members its struct module has: mem[] of
 * struct module_memory since 6.4 (commit ac3b43283923, "module: replace
 * module_layout with module_memory"), core_layout/init_layout of struct
 * module_layout since 4.5 (commit 7523e4dc5057), module_core/core_size and
 * module_init/init_size before.
 */
static struct vs_err *regions(struct vs_debuginfo *vml, struct vs_kernel *k, struct vs_mod_dump *m)
{
	struct vs_di_type t, bt;
	uint64_t off, base_off, size_off;
	struct vs_err *err = member(vml, "module", "mem", &off, &t);
	if (!err) {
		if (!(t.flags & VS_DI_T_ARRAY) || !t.count || t.count > VS_MOD_MAX_REGIONS)
			return vs_err_new(VS_ERR_INVALID, "struct module.mem is not an array of at most %d entries",
					  VS_MOD_MAX_REGIONS);
		if ((err = member(vml, "module_memory", "base", &base_off, &bt)) ||
		    (err = member(vml, "module_memory", "size", &size_off, &bt)))
			return err;
		for (uint64_t i = 0; !err && i < t.count; i++)
			err = add_region(k, m, m->addr + off + i * t.size + base_off, m->addr + off + i * t.size + size_off);
		return err;
	}
	vs_err_free(err);
	static const char *const layouts[] = { "core_layout", "init_layout" };
	if (!(err = member(vml, "module_layout", "base", &base_off, &bt)) &&
	    !(err = member(vml, "module_layout", "size", &size_off, &bt))) {
		for (int i = 0; !err && i < 2; i++)
			if (!(err = member(vml, "module", layouts[i], &off, &t)))
				err = add_region(k, m, m->addr + off + base_off, m->addr + off + size_off);
		return err;
	}
	vs_err_free(err);
	err = NULL;
	static const char *const old[][2] = { { "module_core", "core_size" }, { "module_init", "init_size" } };
	for (int i = 0; !err && i < 2; i++) {
		if (!(err = member(vml, "module", old[i][0], &base_off, &t)) &&
		    !(err = member(vml, "module", old[i][1], &size_off, &t)))
			err = add_region(k, m, m->addr + base_off, m->addr + size_off);
	}
	return err;
}

static bool in_module(const struct vs_mod_dump *m, uint64_t addr)
{
	for (unsigned i = 0; i < m->nregion; i++)
		if (addr >= m->region[i].base && addr - m->region[i].base < m->region[i].size)
			return true;
	return false;
}

/*
 * Where a section's name and address are in struct module_sect_attr:
 * battr.attr.name and address since 5.8 (commit ed66f991bb19, the sysfs
 * file became a bin_attribute); a char *name member before.  A kernel that
 * dropped the address member keeps it in battr.private.
 */
struct sect_layout {
	uint64_t nsections, attrs, entry, name, addr;
};

static struct vs_err *sect_layout(struct vs_debuginfo *vml, struct sect_layout *l)
{
	struct vs_di_type t, at;
	struct vs_err *err = member(vml, "module_sect_attrs", "nsections", &l->nsections, &t);
	if (!err)
		err = member(vml, "module_sect_attrs", "attrs", &l->attrs, &at);
	if (!err && !(err = vs_di_struct_type(vml, "module_sect_attr", &t)))
		l->entry = t.size;
	if (err)
		return err;
	if ((err = vs_di_offset(vml, "module_sect_attr", "battr.attr.name", &l->name))) {
		vs_err_free(err);
		err = vs_di_offset(vml, "module_sect_attr", "name", &l->name);
	}
	if (!err && (err = vs_di_offset(vml, "module_sect_attr", "address", &l->addr))) {
		vs_err_free(err);
		err = vs_di_offset(vml, "module_sect_attr", "battr.private", &l->addr);
	}
	return err;
}

static struct vs_err *sections(struct vs_debuginfo *vml, struct vs_kernel *k, struct vs_mod_dump *m)
{
	struct vs_di_type t;
	struct sect_layout l;
	uint64_t off, attrs;
	uint32_t n;
	struct vs_err *err = member(vml, "module", "sect_attrs", &off, &t);
	if (!err)
		err = sect_layout(vml, &l);
	if (!err)
		err = vs_kernel_read_ptr(k, m->addr + off, &attrs);
	if (err || !attrs)
		return err ? err : vs_err_new(VS_ERR_NOKEY, "no sect_attrs: where its sections were loaded is unknown");
	if ((err = vs_kernel_read_u32(k, attrs + l.nsections, &n)))
		return err;
	if (n > VS_MOD_MAX_SECTIONS)
		return vs_err_new(VS_ERR_CORRUPT, "sect_attrs at 0x%llx counts %u sections (at most %u believed)",
				  (unsigned long long)attrs, n, VS_MOD_MAX_SECTIONS);
	if (!(m->sec = calloc(n ? n : 1, sizeof(*m->sec))))
		return vs_enomem;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t e = attrs + l.attrs + i * l.entry, name, addr;
		struct vs_di_section *s = &m->sec[m->nsec];
		if ((err = vs_kernel_read_ptr(k, e + l.name, &name)) || (err = vs_kernel_read_ptr(k, e + l.addr, &addr)) ||
		    (err = vs_kernel_read_virt(k, name, s->name, sizeof(s->name) - 1)))
			return vs_err_wrap(err, "sect_attrs entry %u at 0x%llx", i, (unsigned long long)e);
		s->name[sizeof(s->name) - 1] = 0;
		/* A section outside the module's memory (per-CPU data) is not one this module's symbols can use. */
		if (!in_module(m, addr))
			continue;
		s->addr = addr;
		m->nsec++;
	}
	return NULL;
}

/* Its .note.gnu.build-id as loaded: "GNU" note of type 3, hex. */
static void build_id(struct vs_kernel *k, struct vs_mod_dump *m)
{
	uint8_t b[12 + 4 + 64];
	for (size_t i = 0; i < m->nsec; i++) {
		if (strcmp(m->sec[i].name, ".note.gnu.build-id") != 0)
			continue;
		struct vs_err *err = vs_kernel_read_virt(k, m->sec[i].addr, b, sizeof(b));
		if (err) {
			vs_err_free(err);
			return;
		}
		uint32_t namesz = vs_kernel_ld32(k, b), descsz = vs_kernel_ld32(k, b + 4), type = vs_kernel_ld32(k, b + 8);
		if (namesz != 4 || type != 3 || !descsz || descsz > 64 || memcmp(b + 12, "GNU", 4) != 0)
			return;
		for (uint32_t j = 0; j < descsz; j++)
			sprintf(m->build_id + 2 * j, "%02x", b[16 + j]);
		return;
	}
}

struct vs_err *vs_mod_read(struct vs_debuginfo *vml, struct vs_kernel *k, uint64_t addr, struct vs_mod_dump *m)
{
	memset(m, 0, sizeof(*m));
	m->addr = addr;
	struct vs_err *err = regions(vml, k, m);
	if (!err && !m->nregion)
		err = vs_err_new(VS_ERR_CORRUPT, "struct module at 0x%llx has no memory", (unsigned long long)addr);
	if (!err)
		err = sections(vml, k, m);
	if (!err)
		build_id(k, m);
	return err;
}

void vs_mod_free(struct vs_mod_dump *m)
{
	free(m->sec);
	m->sec = NULL;
	m->nsec = 0;
}
