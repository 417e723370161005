// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The startup set's CPU stacks: for every NT_PRSTATUS note, the kernel stack
 * around its saved stack pointer, where `bt -a` and drgn's stack traces
 * begin.  Kernel stacks are THREAD_SIZE-aligned blocks of 16 KiB on x86_64
 * and arm64 (a page when pages are larger); vmap'ed stacks are translated
 * page by page.
 */
#include "startup.h"

#include <elf.h>

#include "arch.h"
#include <string.h>

#include "../util/bytes.h"

#define THREAD_SIZE_MIN (16u << 10)
#define MAX_NOTES 65536u

static uint64_t note_align(uint64_t v)
{
	return (v + 3) & ~3ull;
}

static void add_stack(struct vs_startup *set, uint64_t sp)
{
	struct vs_kernel *k = set->k;
	if (!sp || !vs_kernel_is_kernel_addr(k, sp))
		return;  /* the CPU was in user mode, or the note is empty */
	uint64_t size = k->page_size > THREAD_SIZE_MIN ? k->page_size : THREAD_SIZE_MIN;
	vs_startup_add_virt(set, sp & ~(size - 1), size);
}

void vs_startup_cpus(struct vs_session *s, struct vs_startup *set)
{
	const struct vs_vmcore *vc = s->vc;
	const struct vs_arch_ops *a = s->kernel->arch;
	unsigned off = a ? a->prstatus_sp_offset : 0;
	if (!off) {
		if (vc->nr_cpus)
			vs_startup_note(set, "CPU stacks not kept: the stack pointer's place in NT_PRSTATUS is not known for this architecture");
		return;
	}
	set->reason = VS_KEEP_STACK;
	const uint8_t *n = vc->notes;
	uint64_t pos = 0;
	for (unsigned i = 0; i < MAX_NOTES && pos + 12 <= vc->notes_size; i++) {
		uint32_t namesz = vs_ld32(n + pos, vc->big_endian), descsz = vs_ld32(n + pos + 4, vc->big_endian);
		uint32_t type = vs_ld32(n + pos + 8, vc->big_endian);
		uint64_t desc = pos + 12 + note_align(namesz);
		if (desc > vc->notes_size || descsz > vc->notes_size - desc)
			return;  /* notes.c already refused a note that overruns; stop quietly */
		if (type == NT_PRSTATUS && namesz >= 4 && !memcmp(n + pos + 12, "CORE", 4) &&
		    descsz >= off + s->kernel->long_size) {
			const uint8_t *p = n + desc + off;
			add_stack(set, s->kernel->long_size == 8 ? vs_ld64(p, vc->big_endian) : vs_ld32(p, vc->big_endian));
		}
		pos = desc + note_align(descsz);
	}
}
