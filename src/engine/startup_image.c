// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel image in the startup set: _stext to _end, less the parts the
 * kernel frees after boot and hands to the page allocator (their struct
 * pages then rightly say page cache, anonymous or free, so keeping them
 * would keep whatever reused them).  What each arch frees:
 *
 *  - all: the init sections [__init_begin, __init_end), free_initmem();
 *  - x86 (x86_64, i386): .smp_locks [__smp_locks, __smp_locks_end), which
 *    alternative_instructions() frees unless the kernel was patched for one
 *    CPU and may later get more; the brk area past what early boot used,
 *    [_brk_end, _end): reserve_brk() reserves only [__brk_base, _brk_end)
 *    in memblock (_brk_end is a variable: its value is read), so the rest
 *    goes to the buddy allocator with the free RAM; the unused part of
 *    .bss..decrypted, [__start_bss_decrypted_unused, __end_bss_decrypted),
 *    which mem_encrypt_free_decrypted_mem() frees (CONFIG_AMD_MEM_ENCRYPT
 *    kernels only: without the symbols there is no such range);
 *  - x86_64: mark_rodata_ro()'s text/rodata gap [PFN_ALIGN(_etext),
 *    __start_rodata) and rodata/data gap [PFN_ALIGN(__end_rodata), _sdata);
 *  - arm64, riscv64, s390x, ppc64: only the init sections (their
 *    free_initmem() frees nothing else of the image).
 *
 * The kernel frees only the whole pages inside a range, so a page the range
 * shares with kept data stays in the set.  Symbols come from VMCOREINFO (-x
 * writes them all), else the dump's kallsyms.  A range whose symbols are
 * missing cannot be bounded: then only the text is kept (_stext to _etext,
 * or its first page), as a note says.
 */
#include "startup.h"

#include "vmsift/kallsyms.h"

#include <stdio.h>
#include <string.h>

#include "arch.h"

/* A real image is a few tens of MiB: anything larger is a corrupt symbol. */
#define MAX_IMAGE (1ull << 30)
#define MAX_FREED 8

/* All arches' names first, then x86's, then x86_64's: a lookup asks only for its arch's. */
enum img_sym {
	I_STEXT, I_ETEXT, I_END, I_INIT_BEGIN, I_INIT_END, I_N_ALL,
	I_SMP_LOCKS = I_N_ALL, I_SMP_LOCKS_END, I_BRK_END, I_DECRYPTED_UNUSED, I_DECRYPTED_END, I_N_X86,
	I_START_RODATA = I_N_X86, I_END_RODATA, I_SDATA, I_NSYMS
};

static const char *const img_names[I_NSYMS] = {
	"_stext", "_etext", "_end", "__init_begin", "__init_end", "__smp_locks", "__smp_locks_end", "_brk_end",
	"__start_bss_decrypted_unused", "__end_bss_decrypted", "__start_rodata", "__end_rodata", "_sdata",
};

struct freed {
	uint64_t start[MAX_FREED], end[MAX_FREED];  /* virtual, whole pages */
	size_t n;
	const char *missing;  /* the first symbol a range needed and did not have */
};

/* Records [start, end) freed: the whole pages inside it; both ends must lie in the image. */
static void freed_add(struct freed *f, const uint64_t *v, enum img_sym a, enum img_sym b, uint64_t start,
		      uint64_t end, uint64_t page)
{
	if (f->missing)
		return;
	if (!v[a] || !v[b] || start < v[I_STEXT] || end > v[I_END] || start > end || f->n == MAX_FREED) {
		f->missing = !v[a] ? img_names[a] : img_names[b];
		return;
	}
	start = (start + page - 1) & ~(page - 1);
	end &= ~(page - 1);
	if (start < end) {
		f->start[f->n] = start;
		f->end[f->n++] = end;
	}
}

/* How many of img_names this kernel's arch needs. */
static size_t arch_syms(const struct vs_kernel *k)
{
	if (k->arch && !strcmp(k->arch->name, "x86_64"))
		return I_NSYMS;
	if (k->arch && !strcmp(k->arch->name, "i686"))
		return I_N_X86;
	return I_N_ALL;
}

/* The x86 ranges (see the top of the file). */
static void freed_x86(struct vs_kernel *k, uint64_t *v, struct freed *f)
{
	uint64_t page = k->page_size, brk_end = 0;
	freed_add(f, v, I_SMP_LOCKS, I_SMP_LOCKS_END, v[I_SMP_LOCKS], v[I_SMP_LOCKS_END], page);
	if (v[I_BRK_END]) {
		struct vs_err *err = vs_kernel_read_long(k, v[I_BRK_END], &brk_end);
		if (err)
			brk_end = 0;
		vs_err_free(err);
	}
	v[I_BRK_END] = brk_end;  /* from here on the value, not the variable's address */
	freed_add(f, v, I_BRK_END, I_END, brk_end, v[I_END], page);
	if (v[I_DECRYPTED_UNUSED] || v[I_DECRYPTED_END])
		freed_add(f, v, I_DECRYPTED_UNUSED, I_DECRYPTED_END, v[I_DECRYPTED_UNUSED], v[I_DECRYPTED_END], page);
	if (arch_syms(k) < I_NSYMS)
		return;
	uint64_t text_end = (v[I_ETEXT] + page - 1) & ~(page - 1);
	uint64_t rodata_end = (v[I_END_RODATA] + page - 1) & ~(page - 1);
	freed_add(f, v, I_ETEXT, I_START_RODATA, text_end, v[I_START_RODATA], page);
	freed_add(f, v, I_END_RODATA, I_SDATA, rodata_end, v[I_SDATA], page);
}

/* Adds [start, end) less the freed ranges (which may overlap, in any order). */
static void add_less_freed(struct vs_startup *set, uint64_t start, uint64_t end, const struct freed *f)
{
	while (start < end) {
		uint64_t stop = end;
		bool skipped = false;
		for (size_t i = 0; i < f->n; i++) {
			if (f->start[i] <= start && start < f->end[i]) {
				start = f->end[i];
				skipped = true;
			} else if (f->start[i] > start && f->start[i] < stop) {
				stop = f->start[i];
			}
		}
		if (skipped)
			continue;
		vs_startup_add_virt(set, start, stop - start);
		start = stop;
	}
}

/* What today's kernels without the image symbols get: the text, or its first page. */
static void add_text_only(struct vs_startup *set, const uint64_t *v, const char *why)
{
	uint64_t end = v[I_ETEXT];
	if (end <= v[I_STEXT] || end - v[I_STEXT] > MAX_IMAGE) {
		vs_startup_note(set, "image: %s, and no _etext: only the first text page kept", why);
		end = v[I_STEXT] + 1;
	} else {
		vs_startup_note(set, "image: %s: only the text (_stext to _etext) kept", why);
	}
	vs_startup_add_virt(set, v[I_STEXT], end - v[I_STEXT]);
}

void vs_startup_image(struct vs_session *s, struct vs_startup *set)
{
	struct vs_kernel *k = s->kernel;
	/* The image's symbols, then the per-CPU ones (startup_percpu.c): one pass over kallsyms. */
	enum { P = VS_STARTUP_PERCPU_SYMS };
	const char *names[I_NSYMS + P] = { 0 };
	uint64_t all[I_NSYMS + P] = { 0 };
	size_t nsyms = arch_syms(k);
	for (size_t i = 0; i < nsyms + P; i++)
		names[i] = i < nsyms ? img_names[i] : vs_startup_percpu_names[i - nsyms];
	struct vs_err *err = vs_kernel_symbols(k, names, nsyms + P, all, NULL);
	if (err) {  /* kallsyms needed and unusable: VMCOREINFO's answers only */
		vs_err_free(err);
		for (size_t i = 0; i < nsyms + P; i++)
			if ((err = vs_vmci_symbol(s->vmci, names[i], &all[i]))) {
				vs_err_free(err);
				all[i] = 0;
			}
	}
	uint64_t v[I_NSYMS] = { 0 };
	for (size_t i = 0; i < nsyms + P; i++)
		*(i < nsyms ? &v[i] : &set->percpu_sym[i - nsyms]) = all[i];
	set->reason = VS_KEEP_IMAGE;
	if (!v[I_STEXT]) {
		vs_startup_note(set, "image: neither VMCOREINFO nor kallsyms has _stext");
		return;
	}
	if (v[I_END] <= v[I_STEXT] || v[I_END] - v[I_STEXT] > MAX_IMAGE) {
		add_text_only(set, v, "no usable _end");
		return;
	}
	struct freed f = { .n = 0 };
	freed_add(&f, v, I_INIT_BEGIN, I_INIT_END, v[I_INIT_BEGIN], v[I_INIT_END], k->page_size);
	if (nsyms > I_N_ALL)
		freed_x86(k, v, &f);
	if (f.missing) {
		char why[96];
		snprintf(why, sizeof(why), "no usable %s to bound a range the kernel frees", f.missing);
		add_text_only(set, v, why);
		return;
	}
	add_less_freed(set, v[I_STEXT], v[I_END], &f);
}
