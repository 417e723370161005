// SPDX-License-Identifier: GPL-2.0-or-later
// --user-task (x86_64): CPU 0 runs a user task, the other CPUs an idle task
// without an mm, laid out as Linux 6.1 does and as vmsift --keep-user-stack
// reads it (offsets of Debian 12's amd64 build, given in VMCOREINFO as -x
// would add them): the per-CPU current_task at __per_cpu_offset[cpu], the
// task's mm and 16 KiB kernel stack with the user pt_regs at its top, the
// mm's own page tables, start_stack, env_end and saved_auxv (AT_PHDR).
//
// The user stack is six anonymous pages below STACK_TOP: the lowest lies
// below the saved sp (mapped, not part of the live stack), the one at
// STACK_TOP - 2 pages is left unmapped (swapped out), the other four hold
// the stack up to env_end.  A seventh anonymous page is the executable's
// ELF header.  The truth lists the five pages a reader keeps
// ("# user_stack_pfn") and the two it must not ("# user_stack_other_pfn": the
// page below sp, and the pfn the unmapped page would have had).
// --corrupt task-mm points the task's mm into unmapped memory.
#include "mkvmcore.h"

#define PCPU_CURRENT_TASK 0x1fb80ULL     /* per-CPU offset of current_task */
#define NSLOTS 64                        /* LENGTH(__per_cpu_offset) */
#define T_MM 2272
#define T_STACK 32
#define T_PID 2416
#define MM_PGD 72
#define MM_START_STACK 304
#define MM_ENV_END 336
#define MM_AUXV 344
#define AUXV_LEN 48
#define REGS_SIZE 168
#define R_CS 136
#define R_SP 152
#define R_SS 160
#define THREAD_SIZE 16384ULL
#define STACK_TOP 0x7ffd4a5c0000ULL
#define ELF_BASE 0x400000ULL
#define USER_PTE 0x67ULL                 /* present, rw, user, accessed, dirty */
#define NSTACK 6

static uint64_t pcpu_offset_sym, pfn[NSTACK + 1];

static void map_user(struct machine *m, uint64_t root, uint64_t va, uint64_t pa)
{
	uint64_t table = root;

	for (int shift = m->o->l5 ? 48 : 39; shift > 12; shift -= 9) {
		uint64_t ent_pa = table + 8ULL * ((va >> shift) & 511), ent = pgt_rd64(ent_pa);

		if (!(ent & 1)) {
			uint64_t t = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

			(void)kpage(t >> PAGE_SHIFT);
			ent = t | USER_PTE;
			kstore_put64(ent_pa, ent);
		}
		table = ent & 0x000ffffffffff000ULL;
	}
	kstore_put64(table + 8ULL * ((va >> 12) & 511), pa | USER_PTE);
}

/* The first NSTACK + 1 order-0 anonymous pfns of the mix. */
static void pick_pages(const struct machine *m)
{
	size_t k = 0;

	for (size_t i = 0; i < m->nruns && k <= NSTACK; i++)
		for (uint64_t p = m->runs[i].start;
		     m->runs[i].kind == K_ANON && p < m->runs[i].start + m->runs[i].len && k <= NSTACK; p++)
			pfn[k++] = p;
	if (k <= NSTACK)
		die("--user-task: the mix has fewer than %d anon pages", NSTACK + 1);
}

static uint64_t new_task(struct machine *m, uint64_t mm, uint64_t stack, int pid)
{
	uint64_t pa = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

	kstore_put64(pa + T_MM, mm);
	kstore_put64(pa + T_STACK, stack);
	kstore_put64(pa + T_PID, (uint64_t)pid);
	return dmap(m, pa);
}

/* The mm, its page tables and the pages they map; returns the mm's address. */
static uint64_t new_mm(struct machine *m, uint64_t sp)
{
	uint64_t pa = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE), root = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);
	static const uint64_t auxv[] = { 6 /* AT_PAGESZ */, 4096, 3 /* AT_PHDR */, ELF_BASE + 64, 5, 9, 0, 0 };

	(void)kpage(root >> PAGE_SHIFT);
	for (int i = 0; i < NSTACK; i++)
		if (i != NSTACK - 2)          /* STACK_TOP - 2 pages: not present */
			map_user(m, root, STACK_TOP - (uint64_t)(NSTACK - i) * PAGE_SIZE, pfn[i] << PAGE_SHIFT);
	map_user(m, root, ELF_BASE, pfn[NSTACK] << PAGE_SHIFT);
	kstore_put64(pa + MM_PGD, dmap(m, root));
	kstore_put64(pa + MM_START_STACK, sp + 0x1000);
	kstore_put64(pa + MM_ENV_END, STACK_TOP - 0x18);
	kstore_put(pa + MM_AUXV, auxv, sizeof(auxv));
	return m->o->corrupt == CR_TASK_MM ? m->page_offset + (1ULL << 45) : dmap(m, pa);
}

static uint64_t new_stack(struct machine *m, uint64_t sp)
{
	uint64_t pa = kdata_alloc(m, THREAD_SIZE, THREAD_SIZE), regs = pa + THREAD_SIZE - REGS_SIZE;

	kstore_put64(pa, 0x57ac4e57ac4eULL);  /* STACK_END_MAGIC-like word at the bottom */
	kstore_put64(regs + R_CS, 0x33);
	kstore_put64(regs + R_SP, sp);
	kstore_put64(regs + R_SS, 0x2b);
	return dmap(m, pa);
}

void usertask_build(struct machine *m)
{
	uint64_t sp = STACK_TOP - (NSTACK - 1) * PAGE_SIZE + 0x200;  /* in the second page */
	uint64_t offs = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

	if (m->o->arch != A_X86_64)
		die("--user-task is x86_64 only");
	pick_pages(m);
	uint64_t task = new_task(m, new_mm(m, sp), new_stack(m, sp), 4242);
	uint64_t idle = new_task(m, 0, new_stack(m, 0), 0);

	for (int cpu = 0; cpu < m->o->cpus && cpu < NSLOTS; cpu++) {
		uint64_t area = kdata_alloc(m, PAGE_SIZE, PAGE_SIZE);

		kstore_put64(area, cpu ? idle : task);
		kstore_put64(offs + 8ULL * cpu, dmap(m, area) - PCPU_CURRENT_TASK);
	}
	pcpu_offset_sym = dmap(m, offs);
}

void usertask_vmci(struct sbuf *b, const struct machine *m)
{
	(void)m;
	SYM(b, "__per_cpu_offset", pcpu_offset_sym);
	LEN(b, "__per_cpu_offset", NSLOTS);
	SYM(b, "current_task", PCPU_CURRENT_TASK);
	OFF(b, "task_struct.mm", T_MM);
	OFF(b, "task_struct.stack", T_STACK);
	OFF(b, "task_struct.pid", T_PID);
	OFF(b, "mm_struct.pgd", MM_PGD);
	OFF(b, "mm_struct.start_stack", MM_START_STACK);
	OFF(b, "mm_struct.env_end", MM_ENV_END);
	OFF(b, "mm_struct.saved_auxv", MM_AUXV);
	LEN(b, "mm_struct.saved_auxv", AUXV_LEN);
	SIZ(b, "pt_regs", REGS_SIZE);
	OFF(b, "pt_regs.sp", R_SP);
	OFF(b, "pt_regs.cs", R_CS);
	OFF(b, "pt_regs.ss", R_SS);
}

void usertask_truth(FILE *f)
{
	for (int i = 0; i <= NSTACK; i++)
		fprintf(f, "# user_stack_%spfn %llu\n", i == 0 || i == NSTACK - 2 ? "other_" : "",
			(unsigned long long)pfn[i]);
}
