// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --config commands resolved into objects to erase, with makedumpfile's
 * meaning of each form (makedumpfile.conf(5)):
 *  - SYM.a.b: each '.' steps into a member; through a pointer it reads the
 *    pointer first (a NULL pointer on the way erases nothing);
 *  - the size of the last step's type: an array is count x element (a
 *    pointer per element for an array of pointers), a pointer is erased
 *    through (its target's size; "char *" the string, at most 1024 bytes),
 *    void * needs "size" or "nullify";
 *  - "nullify" zeroes the pointer itself.
 * A per-CPU variable (its symbol inside [__per_cpu_start, __per_cpu_end))
 * is an offset, not an object: a command that names one is resolved once
 * for each CPU below nr_cpu_ids, with that CPU's __per_cpu_offset added
 * (makedumpfile erases at the offset itself, which is not mapped).
 * Every loop over kernel data is bounded: arrays by their DWARF length,
 * lists by a visited set (a cycle that does not pass the start is an error)
 * and at most VS_MAX_LIST_NODES nodes.
 */
#include "vmsift/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmsift/debuginfo.h"
#include "vmsift/erase.h"
#include "vmsift/kernel.h"
#include "module_dump.h"

#define VS_MAX_LIST_NODES (1u << 20)
#define VS_MAX_STRLEN 1024   /* makedumpfile's bound for a char * string */
#define VS_MAX_CPUS 8192u    /* NR_CPUS's largest value (x86_64 MAXSMP) */

/* An object of the dead kernel: where it is, its type (and whose DWARF has it), where a pointer points. */
struct obj {
	uint64_t addr, val, parent;
	struct vs_di_type t;
	struct vs_debuginfo *di;
};

struct ctx {
	const struct vs_config *c;
	const struct vs_cfg_cmd *cmd;
	struct vs_debuginfo *di;   /* the vmlinux */
	struct vs_debuginfo *mod;  /* in a [MODULE] section: the module's debug file, searched first */
	char mod_name[64];
	struct vs_kernel *k;
	uint64_t kaslr;
	struct vs_erase *e;
	unsigned first_id;       /* erase-set command id of cmd->erase[0] */
	bool bound;              /* inside a loop: var is bound to bind */
	struct obj bind;
	/* Per-CPU variables: the area's link range, the CPU the command is resolved for. */
	bool pcpu_looked;
	uint64_t pcpu_lo, pcpu_hi;
	unsigned cpu, ncpus;
	bool pcpu_used;          /* the command named a per-CPU variable */
};

static struct vs_err *at_line(const struct ctx *x, int line, struct vs_err *err)
{
	return err ? vs_err_wrap(err, "%s line %d", x->c->path, line) : NULL;
}

static bool is_ptr(const struct vs_di_type *t)
{
	return (t->flags & (VS_DI_T_PTR | VS_DI_T_ARRAY)) == VS_DI_T_PTR;
}

static struct vs_err *set_val(struct ctx *x, struct obj *o)
{
	o->val = o->addr;
	return is_ptr(&o->t) ? vs_kernel_read_ptr(x->k, o->addr, &o->val) : NULL;
}

/* A vmlinux symbol's address in the dump: an image symbol of a vmlinux moves with KASLR. */
static struct vs_err *vmlinux_symbol(struct ctx *x, const char *name, uint64_t *addr)
{
	struct vs_err *err = vs_di_symbol(x->di, name, addr);
	if (!err && vs_di_in_image(x->di, *addr))
		*addr += x->kaslr;
	return err;
}

/* [__per_cpu_start, __per_cpu_end), once; empty when the kernel has no per-CPU area symbols. */
static void percpu_range(struct ctx *x)
{
	if (x->pcpu_looked)
		return;
	x->pcpu_looked = true;
	struct vs_err *err = vmlinux_symbol(x, "__per_cpu_start", &x->pcpu_lo);
	if (!err)
		err = vmlinux_symbol(x, "__per_cpu_end", &x->pcpu_hi);
	if (err || x->pcpu_hi < x->pcpu_lo)
		x->pcpu_lo = x->pcpu_hi = 0;
	vs_err_free(err);
}

/* How many CPUs have a per-CPU area: nr_cpu_ids, bounded. */
static struct vs_err *cpu_count(struct ctx *x, const char *var)
{
	uint64_t at;
	uint32_t n = 0;
	struct vs_err *err = vmlinux_symbol(x, "nr_cpu_ids", &at);
	if (!err)
		err = vs_kernel_read_u32(x->k, at, &n);
	if (!err && (n == 0 || n > VS_MAX_CPUS))
		err = vs_err_new(VS_ERR_CORRUPT, "nr_cpu_ids is %u, not 1..%u", n, VS_MAX_CPUS);
	x->ncpus = n;
	return err ? vs_err_wrap(err, "%s is a per-CPU variable: how many CPUs", var) : NULL;
}

/* A per-CPU variable's copy for CPU x->cpu: its offset plus __per_cpu_offset[cpu]. */
static struct vs_err *percpu_copy(struct ctx *x, const char *var, uint64_t *addr)
{
	uint64_t table, off;
	struct vs_err *err = x->ncpus ? NULL : cpu_count(x, var);
	if (!err)
		err = vmlinux_symbol(x, "__per_cpu_offset", &table);
	if (!err)
		err = vs_kernel_read_long(x->k, table + (uint64_t)x->cpu * x->k->long_size, &off);
	if (err)
		return vs_err_wrap(err, "%s is a per-CPU variable: CPU %u's area", var, x->cpu);
	*addr += off;
	x->pcpu_used = true;
	return NULL;
}

/* A variable: the module's first in a [MODULE] section (its symbols are dump addresses), then the vmlinux's. */
static struct vs_err *variable(struct ctx *x, const char *name, struct obj *o)
{
	struct vs_err *err;
	if (x->mod) {
		if (!(err = vs_di_symbol(x->mod, name, &o->addr))) {
			o->di = x->mod;
			return vs_di_var_type(x->mod, name, &o->t);
		}
		vs_err_free(err);
	}
	o->di = x->di;
	err = vmlinux_symbol(x, name, &o->addr);
	if (err && x->mod && err->code == VS_ERR_NOKEY) {
		vs_err_free(err);
		return vs_err_new(VS_ERR_NOKEY, "neither the module %s (%s) nor the vmlinux has a symbol %s", x->mod_name,
				  vs_di_path(x->mod), name);
	}
	if (err)
		return err;
	percpu_range(x);
	if (o->addr >= x->pcpu_lo && o->addr < x->pcpu_hi && (err = percpu_copy(x, name, &o->addr)))
		return err;
	return vs_di_var_type(x->di, name, &o->t);
}

/* A struct type by name: the module's first, then the vmlinux's. */
static struct vs_err *struct_type(struct ctx *x, const char *name, struct vs_di_type *t, struct vs_debuginfo **di)
{
	if (x->mod) {
		struct vs_err *err = vs_di_struct_type(x->mod, name, t);
		if (!err) {
			*di = x->mod;
			return NULL;
		}
		vs_err_free(err);
	}
	*di = x->di;
	return vs_di_struct_type(x->di, name, t);
}

/* SYM[.member...]; *null when a pointer on the way is NULL. */
static struct vs_err *resolve(struct ctx *x, const struct vs_cfg_expr *ex, struct obj *o, bool *null)
{
	struct vs_err *err = NULL;
	*null = false;
	memset(o, 0, sizeof(*o));
	if (x->bound && strcmp(ex->parts[0], x->cmd->var) == 0) {
		*o = x->bind;
	} else {
		err = variable(x, ex->parts[0], o);
		if (!err)
			err = set_val(x, o);
	}
	for (int i = 1; !err && i < ex->nparts; i++) {
		if (!o->val) {
			*null = true;
			return NULL;
		}
		uint64_t off;
		struct vs_di_type mt;
		if ((err = vs_di_member_type(o->di, &o->t, ex->parts[i], &off, &mt)))
			break;
		o->parent = o->val;
		o->addr = o->val + off;
		o->t = mt;
		err = set_val(x, o);
	}
	return err ? vs_err_wrap(err, "%s", ex->text) : NULL;
}

/* Length of the NUL-terminated string at va, at most 1024; a read that fails ends it. */
static uint64_t string_length(struct ctx *x, uint64_t va)
{
	char buf[VS_MAX_STRLEN];
	uint64_t n = 0, P = x->k->page_size;
	while (n < sizeof(buf)) {
		uint64_t chunk = P - ((va + n) & (P - 1));
		if (chunk > sizeof(buf) - n)
			chunk = sizeof(buf) - n;
		struct vs_err *err = vs_kernel_read_virt(x->k, va + n, buf + n, (size_t)chunk);
		if (err) {
			vs_err_free(err);
			break;
		}
		void *nul = memchr(buf + n, 0, (size_t)chunk);
		if (nul)
			return (uint64_t)((char *)nul - buf);
		n += chunk;
	}
	return n;
}

/* "size SYM.member": an integer variable of the dump. */
static struct vs_err *size_value(struct ctx *x, const struct vs_cfg_erase *er, uint64_t *size)
{
	struct obj o;
	bool null;
	struct vs_err *err = resolve(x, &er->size_expr, &o, &null);
	if (err || null) {
		*size = 0;
		return err;
	}
	unsigned n = (unsigned)o.t.size;
	if ((o.t.flags & (VS_DI_T_ARRAY | VS_DI_T_BASE)) != VS_DI_T_BASE || (n != 1 && n != 2 && n != 4 && n != 8))
		return vs_err_new(VS_ERR_INVALID, "size %s is not an integer variable", er->size_expr.text);
	uint8_t b[8];
	if ((err = vs_kernel_read_virt(x->k, o.val, b, n)))
		return vs_err_wrap(err, "size %s", er->size_expr.text);
	*size = n == 1 ? b[0] : n == 2 ? vs_kernel_ld16(x->k, b) : n == 4 ? vs_kernel_ld32(x->k, b) : vs_kernel_ld64(x->k, b);
	return NULL;
}

/* Where and how much the type itself says. */
static struct vs_err *type_extent(struct ctx *x, const struct vs_cfg_erase *er, const struct obj *o,
				  uint64_t *at, uint64_t *size)
{
	const struct vs_di_type *t = &o->t;
	*at = o->addr;
	if (t->flags & VS_DI_T_ARRAY) {
		if (!t->count)
			return vs_err_new(VS_ERR_INVALID, "%s is an array of unknown length: give a size", er->target.text);
		*size = t->count * ((t->flags & VS_DI_T_PTR) ? x->k->long_size : t->size);
		return NULL;
	}
	if (!is_ptr(t)) {
		*size = t->size;
		return t->size ? NULL : vs_err_new(VS_ERR_INVALID, "%s has no size: give one", er->target.text);
	}
	*at = o->val;
	if (strcmp(t->name, "void") == 0)
		return vs_err_new(VS_ERR_INVALID, "%s is a void pointer: give 'size' or 'nullify'", er->target.text);
	*size = strcmp(t->name, "char") == 0 && (t->flags & VS_DI_T_BASE) ? string_length(x, o->val) : t->size;
	return NULL;
}

static struct vs_err *erase_one(struct ctx *x, size_t j)
{
	const struct vs_cfg_erase *er = &x->cmd->erase[j];
	struct obj o;
	bool null;
	uint64_t at = 0, size = 0;
	struct vs_err *err = resolve(x, &er->target, &o, &null);
	if (err || null)
		return at_line(x, er->line, err);
	switch (er->size_kind) {
	case VS_CFG_NULLIFY:
		if (!is_ptr(&o.t))
			err = vs_err_new(VS_ERR_INVALID, "%s is not a pointer: 'nullify' needs one", er->target.text);
		at = o.addr;
		size = x->k->long_size;
		break;
	case VS_CFG_SIZE_NUM:
		at = is_ptr(&o.t) ? o.val : o.addr;
		size = er->size;
		break;
	case VS_CFG_SIZE_EXPR:
		at = is_ptr(&o.t) ? o.val : o.addr;
		err = size_value(x, er, &size);
		break;
	case VS_CFG_SIZE_TYPE:
		err = type_extent(x, er, &o, &at, &size);
		break;
	}
	if (!err && at && size)
		err = vs_erase_add(x->e, x->k, x->first_id + (unsigned)j, er->target.text, at, size,
				   er->size_kind == VS_CFG_NULLIFY);
	return at_line(x, er->line, err);
}

static struct vs_err *body(struct ctx *x)
{
	for (size_t j = 0; j < x->cmd->nerase; j++) {
		struct vs_err *err = erase_one(x, j);
		if (err)
			return err;
	}
	return NULL;
}

/* A visited set for list walks: an open-addressing hash of node addresses. */
struct visited {
	uint64_t *slot;
	size_t cap, n;
};

/* 1 new, 0 seen before, -1 no memory or too many nodes. */
static int visit(struct visited *v, uint64_t a)
{
	if ((v->n + 1) * 2 > v->cap) {
		if (v->n >= VS_MAX_LIST_NODES)
			return -1;
		size_t cap = v->cap ? v->cap * 2 : 1024;
		uint64_t *s = calloc(cap, sizeof(*s));
		if (!s)
			return -1;
		for (size_t i = 0; i < v->cap; i++)
			for (size_t j = v->slot[i] * 0x9e3779b97f4a7c15ull >> 20 & (cap - 1); v->slot[i]; j = (j + 1) & (cap - 1))
				if (!s[j]) {
					s[j] = v->slot[i];
					break;
				}
		free(v->slot);
		v->slot = s;
		v->cap = cap;
	}
	for (size_t j = a * 0x9e3779b97f4a7c15ull >> 20 & (v->cap - 1);; j = (j + 1) & (v->cap - 1)) {
		if (v->slot[j] == a)
			return 0;
		if (!v->slot[j]) {
			v->slot[j] = a;
			v->n++;
			return 1;
		}
	}
}

static struct vs_err *list_guard(struct ctx *x, struct visited *v, uint64_t node)
{
	int r = visit(v, node);
	if (r > 0)
		return NULL;
	if (r == 0)
		return vs_err_new(VS_ERR_CORRUPT, "%s line %d: the list %s comes back to node 0x%llx, not to its "
				  "start: a cycle", x->c->path, x->cmd->line, x->cmd->list.text, (unsigned long long)node);
	return vs_err_new(VS_ERR_CORRUPT, "%s line %d: the list %s has more than %u nodes", x->c->path,
			  x->cmd->line, x->cmd->list.text, VS_MAX_LIST_NODES);
}

static struct vs_err *loop_array(struct ctx *x, const struct obj *l)
{
	uint64_t es = (l->t.flags & VS_DI_T_PTR) ? x->k->long_size : l->t.size;
	if (x->cmd->loop != VS_CFG_LOOP_PLAIN)
		return vs_err_new(VS_ERR_INVALID, "%s line %d: %s is an array: no 'via' or 'within'", x->c->path,
				  x->cmd->line, x->cmd->list.text);
	x->bind.t = l->t;
	x->bind.di = l->di;
	x->bind.t.flags &= ~VS_DI_T_ARRAY;
	x->bind.t.count = 1;
	for (uint64_t i = 0; i < l->t.count; i++) {
		x->bind.addr = l->addr + i * es;
		struct vs_err *err = set_val(x, &x->bind);
		if (err)
			return at_line(x, x->cmd->line, vs_err_wrap(err, "%s[%llu]", x->cmd->list.text, (unsigned long long)i));
		if (is_ptr(&x->bind.t) && !x->bind.val)
			continue;  /* NULL slots are skipped, as makedumpfile does */
		x->bound = true;
		if ((err = body(x)))
			return err;
	}
	return NULL;
}

/* for ID in HEAD within STRUCT:MEMBER (HEAD a struct list_head, or HEAD.next) */
static struct vs_err *loop_within(struct ctx *x, const struct obj *l)
{
	const struct vs_cfg_cmd *cmd = x->cmd;
	uint64_t head;
	if (strcmp(l->t.name, "list_head") == 0 && !(l->t.flags & (VS_DI_T_PTR | VS_DI_T_ARRAY)))
		head = l->addr;
	else if (strcmp(l->t.name, "list_head") == 0 && is_ptr(&l->t) && cmd->list.nparts > 1 &&
		 strcmp(cmd->list.parts[cmd->list.nparts - 1], "next") == 0)
		head = l->parent;
	else
		return vs_err_new(VS_ERR_INVALID, "%s line %d: %s is not a struct list_head", x->c->path, cmd->line,
				  cmd->list.text);
	struct vs_di_type s, m, lh, nt;
	uint64_t moff, noff;
	struct vs_debuginfo *di;
	struct vs_err *err = struct_type(x, cmd->within_struct, &s, &di);
	if (!err)
		err = vs_di_member_type(di, &s, cmd->within_member, &moff, &m);
	if (!err && (strcmp(m.name, "list_head") != 0 || m.flags & (VS_DI_T_PTR | VS_DI_T_ARRAY)))
		err = vs_err_new(VS_ERR_INVALID, "%s.%s is not a struct list_head", cmd->within_struct, cmd->within_member);
	if (!err)
		err = vs_di_struct_type(di, "list_head", &lh);
	if (!err)
		err = vs_di_member_type(di, &lh, "next", &noff, &nt);
	struct visited v = { 0 };
	uint64_t node = 0;
	if (!err)
		err = vs_kernel_read_ptr(x->k, head + noff, &node);
	while (!err && node && node != head) {
		if ((err = list_guard(x, &v, node)))
			break;
		x->bind = (struct obj){ .addr = node - moff, .val = node - moff, .t = s, .di = di };
		x->bound = true;
		if ((err = body(x)))
			break;
		err = vs_kernel_read_ptr(x->k, node + noff, &node);
	}
	free(v.slot);
	return at_line(x, cmd->line, err);
}

/* for ID in STRUCTVAR [via MEMBER]: node after node through MEMBER until NULL or the start. */
static struct vs_err *loop_via(struct ctx *x, const struct obj *l)
{
	const struct vs_cfg_cmd *cmd = x->cmd;
	const char *member = cmd->via_member ? cmd->via_member : "next";
	if (cmd->loop == VS_CFG_LOOP_WITHIN || !(l->t.flags & VS_DI_T_STRUCT))
		return vs_err_new(VS_ERR_INVALID, "%s line %d: %s is not a %s", x->c->path, cmd->line, cmd->list.text,
				  cmd->loop == VS_CFG_LOOP_WITHIN ? "struct list_head" : "struct, a struct pointer or an array");
	uint64_t off;
	struct vs_di_type nt;
	struct vs_err *err = vs_di_member_type(l->di, &l->t, member, &off, &nt);
	if (!err && (!is_ptr(&nt) || strcmp(nt.name, l->t.name) != 0))
		err = vs_err_new(VS_ERR_INVALID, "%s.%s does not point to a struct %s", cmd->list.text, member, l->t.name);
	struct visited v = { 0 };
	uint64_t node = l->val, ptr_at = l->addr;
	while (!err && node) {
		if ((err = list_guard(x, &v, node)))
			break;
		x->bind = (struct obj){ .addr = ptr_at, .val = node, .t = l->t, .di = l->di };
		x->bound = true;
		if ((err = body(x)))
			break;
		ptr_at = node + off;
		if ((err = vs_kernel_read_ptr(x->k, ptr_at, &node)))
			break;
		if (node == l->val)
			break;  /* a circular list, back at its start */
	}
	free(v.slot);
	return at_line(x, cmd->line, err);
}

static struct vs_err *loop(struct ctx *x)
{
	struct obj l;
	bool null;
	struct vs_err *err = resolve(x, &x->cmd->list, &l, &null);
	if (err || null)
		return at_line(x, x->cmd->line, err);
	if (l.t.flags & VS_DI_T_ARRAY)
		return loop_array(x, &l);
	if (x->cmd->loop == VS_CFG_LOOP_WITHIN)
		return loop_within(x, &l);
	return loop_via(x, &l);
}

/* Refuses a debug file of another build than the module the dump holds, naming both. */
static struct vs_err *same_module(struct ctx *x, const struct vs_mod_dump *m)
{
	const char *file = vs_di_path(x->mod), *rel = vs_di_release(x->mod);
	if (strcmp(rel, x->k->uts.release) != 0)
		return vs_err_new(VS_ERR_RELEASE, "the module debug file %s is of kernel %s (its vermagic) but the "
				  "dump is of %.64s", file, *rel ? rel : "(none)", x->k->uts.release);
	if (*m->build_id && *vs_di_build_id(x->mod) && strcmp(m->build_id, vs_di_build_id(x->mod)) != 0)
		return vs_err_new(VS_ERR_RELEASE, "the module debug file %s has build-id %s but the dump's %s module "
				  "has %s: another build", file, vs_di_build_id(x->mod), x->mod_name, m->build_id);
	return NULL;
}

/* The module's debug file, relocated to where the dump loaded it. */
static struct vs_err *open_module(struct ctx *x, uint64_t addr)
{
	struct vs_mod_dump m;
	char path[4096];
	if (vs_di_from_dump(x->di))  /* a module's own BTF is not read: its variables would be untyped anyway */
		return vs_err_new(VS_ERR_NOTSUP, "the module %s is loaded: its symbols and types come from its "
				  "debug file, next to a vmlinux; give -x VMLINUX", x->mod_name);
	struct vs_err *err = vs_mod_read(x->di, x->k, addr, &m);
	if (!err)
		err = vs_mod_debug_file(vs_di_path(x->di), x->k->uts.release, x->mod_name, path, sizeof(path));
	if (!err)
		err = vs_di_open_module(path, m.sec, m.nsec, &x->mod);
	if (!err)
		err = same_module(x, &m);
	vs_mod_free(&m);
	return err;
}

static void close_module(struct ctx *x)
{
	vs_di_close(x->mod);
	x->mod = NULL;
	x->mod_name[0] = 0;
}

/*
 * A [MODULE] section: skipped when the module is not loaded; else its
 * commands see the module's symbols and types first (one module open at a
 * time: consecutive commands of a section share it).
 */
static struct vs_err *module_section(struct ctx *x, char *skipped, size_t len, bool *skip)
{
	const struct vs_cfg_cmd *cmd = x->cmd;
	if (x->mod && strcmp(x->mod_name, cmd->section) == 0)
		return NULL;
	close_module(x);
	uint64_t addr;
	struct vs_err *err = vs_mod_find(x->di, x->k, x->kaslr, cmd->section, &addr);
	if (!err && addr) {
		snprintf(x->mod_name, sizeof(x->mod_name), "%s", cmd->section);
		if ((err = open_module(x, addr)))
			close_module(x);
	}
	if (err)
		return at_line(x, cmd->line, vs_err_wrap(err, "section [%s]", cmd->section));
	if (addr)
		return NULL;
	*skip = true;
	size_t n = strlen(skipped);
	if (!strstr(skipped, cmd->section) && n + strlen(cmd->section) + 3 < len)
		snprintf(skipped + n, len - n, "%s%s", n ? ", " : "", cmd->section);
	return NULL;
}

/* A command, once, or once per CPU when it names a per-CPU variable. */
static struct vs_err *command(struct ctx *x)
{
	struct vs_err *err = NULL;
	x->pcpu_used = false;
	for (x->cpu = 0; !err && (x->cpu == 0 || (x->pcpu_used && x->cpu < x->ncpus)); x->cpu++) {
		x->bound = false;
		err = x->cmd->loop == VS_CFG_NO_LOOP ? erase_one(x, 0) : loop(x);
	}
	return err;
}

struct vs_err *vs_config_resolve(const struct vs_config *c, struct vs_debuginfo *di, struct vs_kernel *k,
				 uint64_t kaslr_offset, struct vs_erase *e, char *skipped, size_t skipped_len)
{
	struct ctx x = { .c = c, .di = di, .k = k, .kaslr = kaslr_offset, .e = e };
	struct vs_err *err = NULL;
	if (skipped_len)
		skipped[0] = 0;
	for (size_t i = 0; !err && i < c->ncmds; i++) {
		x.cmd = &c->cmds[i];
		x.bound = false;
		bool skip = false;
		if (strcmp(x.cmd->section, "vmlinux") == 0)
			close_module(&x);
		else if ((err = module_section(&x, skipped, skipped_len, &skip)))
			break;
		if (!skip)
			err = command(&x);
		x.first_id += (unsigned)x.cmd->nerase;
	}
	close_module(&x);
	return err ? err : vs_erase_finish(e, k);
}
