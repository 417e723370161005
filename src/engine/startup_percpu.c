// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-CPU areas in the startup set, and the tasks they point at: crash
 * cannot start without each CPU's runqueue (a per-CPU variable) and the idle
 * and current tasks it finds there ("cannot determine idle task addresses
 * from init_tasks[] or runqueues[]"), and drgn's stack traces start from the
 * same tasks.
 *
 * Area of CPU n: __per_cpu_offset[n] + __per_cpu_start, for the size of the
 * static per-CPU section, __per_cpu_end - __per_cpu_start (the dynamic part
 * that follows holds no variable a reader needs to start).  x86_64 links the
 * section at 0, so there __per_cpu_start is 0 and a per-CPU symbol's value is
 * its offset in the area; elsewhere both are link addresses and the sum is
 * the same.  Symbols come from VMCOREINFO, else from the dump's kallsyms (6.1
 * x86_64 exports none of them), in the image's lookup (one pass over kallsyms).  Without the section's bounds only each
 * area's first page is kept.
 *
 * Tasks: the per-CPU idle_threads (kernel/smpboot.c) and, on x86, the
 * per-CPU current_task (from 6.2 the first member of pcpu_hot, kernel commit
 * 64701838bf05).  No VMCOREINFO gives SIZE(task_struct): TASK_SPAN bytes from
 * the task's address cover it on every kernel of the last decade (6 to 12
 * KiB), at the cost of at most one page more per task.
 */
#include "startup.h"

#define MAX_CPUS 65536u
#define MAX_AREA (4ull << 20)     /* larger static sections are corrupt symbols */
#define TASK_SPAN (16u << 10)

enum { S_OFFSET, S_START, S_END, S_CURRENT, S_HOT, S_IDLE, S_N };
_Static_assert(S_N == VS_STARTUP_PERCPU_SYMS, "one name per symbol");
const char *const vs_startup_percpu_names[VS_STARTUP_PERCPU_SYMS] = {
	"__per_cpu_offset", "__per_cpu_start", "__per_cpu_end", "current_task", "pcpu_hot", "idle_threads",
};

/* How many CPUs: the dump's NT_PRSTATUS count, within LENGTH(__per_cpu_offset) when exported. */
static uint64_t cpu_count(const struct vs_session *s)
{
	uint64_t n = s->vc->nr_cpus, len;
	struct vs_err *err = vs_vmci_length(s->vmci, "__per_cpu_offset", &len);
	vs_err_free(err);
	/*
	 * Never the slots of CPUs that were never possible (LENGTH is NR_CPUS,
	 * 8192 on Debian): they keep the boot-time offset, which points into
	 * the image's init section, freed after boot.
	 */
	if (!err && (!n || len < n))
		n = len;
	return n < MAX_CPUS ? n : MAX_CPUS;
}

static void add_task(struct vs_kernel *k, struct vs_startup *set, uint64_t ptr_addr)
{
	uint64_t task;
	struct vs_err *err = vs_kernel_read_ptr(k, ptr_addr, &task);
	vs_err_free(err);
	if (!err && task && vs_kernel_is_kernel_addr(k, task))
		vs_startup_add_virt(set, task, TASK_SPAN);
}

void vs_startup_per_cpu(struct vs_session *s, struct vs_startup *set)
{
	struct vs_kernel *k = s->kernel;
	const uint64_t *sym = set->percpu_sym;
	if (!sym[S_OFFSET]) {
		vs_startup_note(set, "per-CPU areas not kept: neither VMCOREINFO nor kallsyms has __per_cpu_offset");
		return;
	}
	uint64_t n = cpu_count(s), start = sym[S_START];
	uint64_t area = sym[S_END] > start && sym[S_END] - start <= MAX_AREA ? sym[S_END] - start : 1;
	uint64_t current = sym[S_CURRENT] ? sym[S_CURRENT] : sym[S_HOT];
	set->reason = VS_KEEP_VMCI;
	vs_startup_add_virt(set, sym[S_OFFSET], n * k->long_size);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off;
		struct vs_err *e = vs_kernel_read_long(k, sym[S_OFFSET] + i * k->long_size, &off);
		vs_err_free(e);
		if (e || !vs_kernel_is_kernel_addr(k, start + off))
			continue;
		set->reason = VS_KEEP_PERCPU;
		vs_startup_add_virt(set, start + off, area);
		if (sym[S_IDLE])
			add_task(k, set, sym[S_IDLE] + off);
		if (current)
			add_task(k, set, current + off);
	}
	if (area == 1)
		vs_startup_note(set, "per-CPU areas: only their first page (no __per_cpu_start/__per_cpu_end)");
}
