// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --keep-user-stack: the user stack pages of the task running on each CPU at
 * the crash, and the pages holding the ELF headers of its executable and of
 * its interpreter, so that a reader (drgn) can unwind its user frames from a
 * dump whose level leaves user memory out.
 *
 * Per CPU: the task is the per-CPU current_task (in pcpu_hot from 6.2,
 * kernel commit 64701838bf05), read at __per_cpu_offset[cpu]; a task without
 * an mm is a kernel thread and has no user stack.  The user registers are the
 * pt_regs at the top of its kernel stack; the stack runs from the saved user
 * sp (less the 128-byte red zone) up to mm->env_end, the top of the strings
 * exec copied, and every page of it is translated through the task's own
 * page tables (mm->pgd).  No kernel exports these offsets in VMCOREINFO: they
 * come from -x VMLINUX (src/debuginfo/vmci_gen.c).  x86_64 only so far.
 *
 * Everything read is untrusted: CPUs are bounded by the NT_PRSTATUS count and
 * LENGTH(__per_cpu_offset), a stack by USER_STACK_CAP, and a CPU whose data
 * does not hold together is skipped with a note, never fatal.
 */
#include "userstack.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

#define USER_STACK_CAP (8ull << 20)   /* the usual RLIMIT_STACK: at most this much per task */
#define RED_ZONE 128                  /* x86_64 ABI: leaf functions use 128 bytes below sp */
#define MAX_TASKS 4096
#define AT_PHDR 3
#define AT_BASE 7
#define X86_USER_CS 0x33
#define X86_USER32_CS 0x23
#define X86_USER_DS 0x2b

struct us_layout {
	uint64_t per_cpu_offset, nslots;    /* __per_cpu_offset[] and its length */
	uint64_t current;                   /* per-CPU address of the current task pointer */
	uint64_t task_mm, task_stack, task_pid;
	uint64_t mm_pgd, mm_start_stack, mm_env_end, mm_auxv, auxv_len;
	uint64_t regs_size, regs_sp, regs_cs, regs_ss;
};

struct us_ctx {
	struct vs_kernel *k;
	struct us_layout l;
	struct vs_keepset *ks;
	struct vs_dump_stats *st;
	uint64_t seen[64];                  /* tasks already done (threads on two CPUs are two tasks) */
	unsigned nseen;
};

/* Appends one "what: why" to the note the report shows. */
static void note(struct vs_dump_stats *st, const char *fmt, const char *what, const char *why)
{
	size_t n = strlen(st->user_stack_note);
	if (n + 2 < sizeof(st->user_stack_note))
		snprintf(st->user_stack_note + n, sizeof(st->user_stack_note) - n, fmt, n ? "; " : "", what, why);
}

/* One VMCOREINFO value; a missing key is appended to missing. */
static void need(const struct vs_vmcoreinfo *vi, struct vs_err *(*get)(const struct vs_vmcoreinfo *, const char *, uint64_t *),
		 const char *kind, const char *name, uint64_t *v, char *missing, size_t size)
{
	struct vs_err *err = get(vi, name, v);
	if (!err)
		return;
	size_t n = strlen(missing);
	snprintf(missing + n, size - n, "%s%s(%s)", n ? ", " : "", kind, name);
	vs_err_free(err);
}

/* The per-CPU current_task, or from 6.2 on pcpu_hot.current_task. */
static void current_task_addr(const struct vs_vmcoreinfo *vi, uint64_t *addr, char *missing, size_t size)
{
	struct vs_err *err = vs_vmci_symbol(vi, "current_task", addr);
	if (!err)
		return;
	vs_err_free(err);
	uint64_t hot = 0, off = 0;
	need(vi, vs_vmci_symbol, "SYMBOL", "pcpu_hot", &hot, missing, size);
	need(vi, vs_vmci_offset, "OFFSET", "pcpu_hot.current_task", &off, missing, size);
	*addr = hot + off;
}

static struct vs_err *load_layout(const struct vs_kernel *k, struct us_layout *l)
{
	const struct vs_vmcoreinfo *vi = k->vmci;
	char miss[600] = "";
	const size_t ms = sizeof(miss);
	if (k->vc->machine != EM_X86_64)
		return vs_err_new(VS_ERR_NOTSUP, "--keep-user-stack is implemented for x86_64 dumps only (this one's "
				  "ELF machine is %u)", k->vc->machine);
	need(vi, vs_vmci_symbol, "SYMBOL", "__per_cpu_offset", &l->per_cpu_offset, miss, ms);
	need(vi, vs_vmci_length, "LENGTH", "__per_cpu_offset", &l->nslots, miss, ms);
	current_task_addr(vi, &l->current, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "task_struct.mm", &l->task_mm, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "task_struct.stack", &l->task_stack, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "task_struct.pid", &l->task_pid, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "mm_struct.pgd", &l->mm_pgd, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "mm_struct.start_stack", &l->mm_start_stack, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "mm_struct.env_end", &l->mm_env_end, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "mm_struct.saved_auxv", &l->mm_auxv, miss, ms);
	need(vi, vs_vmci_length, "LENGTH", "mm_struct.saved_auxv", &l->auxv_len, miss, ms);
	need(vi, vs_vmci_size, "SIZE", "pt_regs", &l->regs_size, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "pt_regs.sp", &l->regs_sp, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "pt_regs.cs", &l->regs_cs, miss, ms);
	need(vi, vs_vmci_offset, "OFFSET", "pt_regs.ss", &l->regs_ss, miss, ms);
	if (miss[0])
		return vs_err_new(VS_ERR_NOKEY, "--keep-user-stack needs %s, which the dump's VMCOREINFO does not have "
				  "(no kernel exports them: give -x VMLINUX, the kernel's debug information)", miss);
	if (l->regs_size > 4096 || l->regs_sp + 8 > l->regs_size || l->regs_cs + 8 > l->regs_size ||
	    l->regs_ss + 8 > l->regs_size || l->auxv_len > 1024)
		return vs_err_new(VS_ERR_CORRUPT, "SIZE(pt_regs)=%llu or its member offsets, or LENGTH(mm_struct.saved_auxv)=%llu, "
				  "are not plausible", (unsigned long long)l->regs_size, (unsigned long long)l->auxv_len);
	return NULL;
}

/*
 * The user registers at the top of the kernel stack.  THREAD_SIZE is 16 KiB
 * (32 KiB with KASAN) and FRED kernels (6.9+) leave 16 bytes above pt_regs;
 * none of that is in the debug information, so each candidate is tried and
 * the one whose cs and ss are the user selectors wins.
 */
static struct vs_err *user_sp(struct us_ctx *c, uint64_t stack, uint64_t *sp)
{
	static const uint64_t sizes[] = { 16384, 32768 }, pads[] = { 0, 16 };
	const struct us_layout *l = &c->l;
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 2; j++) {
			uint64_t regs = stack + sizes[i] - pads[j] - l->regs_size, cs, ss;
			struct vs_err *err = vs_kernel_read_u64(c->k, regs + l->regs_cs, &cs);
			if (!err)
				err = vs_kernel_read_u64(c->k, regs + l->regs_ss, &ss);
			if (!err && (cs == X86_USER_CS || cs == X86_USER32_CS) && ss == X86_USER_DS)
				return vs_kernel_read_u64(c->k, regs + l->regs_sp, sp);
			vs_err_free(err);
		}
	}
	return vs_err_new(VS_ERR_CORRUPT, "no user registers (cs 0x%x, ss 0x%x) at the top of its kernel stack 0x%llx",
			  X86_USER_CS, X86_USER_DS, (unsigned long long)stack);
}

/* Keeps the page at user address va if it is mapped; false when it is not. */
static bool keep_page(struct us_ctx *c, uint64_t root, uint64_t va)
{
	uint64_t pa;
	struct vs_err *err = vs_kernel_user_vtop(c->k, root, va, &pa);
	if (err) {
		vs_err_free(err);
		return false;
	}
	struct vs_err *e2 = vs_keepset_add(c->ks, pa >> c->k->page_shift);
	vs_err_free(e2);
	return !e2;
}

/*
 * The main thread's stack: from sp to env_end, skipping pages swapped out.
 * Another thread's stack (sp outside that range) has no recorded top: from
 * sp up to the first page that is not mapped.  Either way at most the cap.
 */
static void keep_stack(struct us_ctx *c, uint64_t root, uint64_t sp, uint64_t start_stack, uint64_t env_end)
{
	uint64_t ps = c->k->page_size, lo = (sp - RED_ZONE) & ~(ps - 1);
	bool main_stack = sp <= start_stack && start_stack <= env_end && env_end - lo <= USER_STACK_CAP;
	uint64_t hi = main_stack ? (env_end + ps - 1) & ~(ps - 1) : lo + USER_STACK_CAP;
	for (uint64_t va = lo; va < hi && va >= lo; va += ps)
		if (!keep_page(c, root, va) && !main_stack && va > sp)
			break;
}

/* The executable's and the interpreter's ELF headers, from the auxiliary vector. */
static void keep_elf_headers(struct us_ctx *c, uint64_t root, uint64_t mm)
{
	for (uint64_t i = 0; i + 1 < c->l.auxv_len; i += 2) {
		uint64_t type, val;
		struct vs_err *err = vs_kernel_read_long(c->k, mm + c->l.mm_auxv + i * 8, &type);
		if (!err)
			err = vs_kernel_read_long(c->k, mm + c->l.mm_auxv + (i + 1) * 8, &val);
		vs_err_free(err);
		if (err || type == 0)  /* AT_NULL ends the vector */
			return;
		if ((type == AT_PHDR || type == AT_BASE) && val)
			keep_page(c, root, val & ~(c->k->page_size - 1));
	}
}

static bool seen_before(struct us_ctx *c, uint64_t task)
{
	for (unsigned i = 0; i < c->nseen; i++)
		if (c->seen[i] == task)
			return true;
	if (c->nseen < sizeof(c->seen) / sizeof(c->seen[0]))
		c->seen[c->nseen++] = task;
	return false;
}

/* The user task on one CPU; NULL also when there is none (idle, a kernel thread). */
static struct vs_err *one_cpu(struct us_ctx *c, unsigned cpu)
{
	struct vs_kernel *k = c->k;
	const struct us_layout *l = &c->l;
	uint64_t base, task, mm, pgd, root, stack, sp, start_stack, env_end;
	struct vs_err *err = vs_kernel_read_long(k, l->per_cpu_offset + cpu * 8ull, &base);
	if (!err)
		err = vs_kernel_read_ptr(k, base + l->current, &task);
	if (!err && task)
		err = vs_kernel_read_ptr(k, task + l->task_mm, &mm);
	if (err || !task || !mm || seen_before(c, task))
		return err;
	if (!(err = vs_kernel_read_ptr(k, mm + l->mm_pgd, &pgd)))
		err = vs_kernel_vtop(k, pgd, &root);
	if (!err)
		err = vs_kernel_read_ptr(k, task + l->task_stack, &stack);
	if (!err)
		err = user_sp(c, stack, &sp);
	if (!err)
		err = vs_kernel_read_long(k, mm + l->mm_start_stack, &start_stack);
	if (!err)
		err = vs_kernel_read_long(k, mm + l->mm_env_end, &env_end);
	if (err)
		return err;
	c->st->user_stack_tasks++;
	keep_stack(c, root, sp, start_stack, env_end);
	keep_elf_headers(c, root, mm);
	return NULL;
}

struct vs_err *vs_user_stack_collect(struct vs_session *s, struct vs_keepset *ks, struct vs_dump_stats *st)
{
	struct us_ctx c = { .k = s->kernel, .ks = ks, .st = st };
	st->user_stack_wanted = true;
	struct vs_err *err = load_layout(s->kernel, &c.l);
	if (err)
		return err;
	unsigned ncpu = s->vc->nr_cpus;
	if (ncpu > c.l.nslots || ncpu > MAX_TASKS)
		ncpu = (unsigned)(c.l.nslots < MAX_TASKS ? c.l.nslots : MAX_TASKS);
	for (unsigned cpu = 0; cpu < ncpu; cpu++) {
		err = one_cpu(&c, cpu);
		if (err) {
			char what[24];
			snprintf(what, sizeof(what), "CPU %u", cpu);
			note(st, "%s%s: %s", what, err->msg);
			vs_err_free(err);
		}
	}
	vs_keepset_finish(ks);
	st->user_stack_pages = ks->n;
	return NULL;
}
