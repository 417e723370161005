// SPDX-License-Identifier: GPL-2.0-or-later
#include "report.h"

#include <stdio.h>

#include "msg.h"

#include <string.h>

static uint64_t kept_startup_total(const struct vs_dump_stats *st)
{
	uint64_t n = 0;
	for (int i = 0; i < VS_KEEP_NREASONS; i++)
		n += st->kept_startup[i];
	return n;
}

/* Pages the level's rules excluded but vmsift kept: only when there are any (the report stays makedumpfile's). */
static void report_print_kept(FILE *f, const struct vs_dump_stats *st)
{
	static const char *const label[VS_KEEP_NREASONS] = { "kernel image", "page tables", "VMCOREINFO objects",
							     "per-CPU areas", "CPU stacks" };
	for (int i = 0; i < VS_KEEP_NREASONS; i++)
		if (st->kept_startup[i])
			fprintf(f, "    Kept (startup set, %s)%*s: 0x%016llx\n", label[i], (int)(20 - strlen(label[i])), "",
				(unsigned long long)st->kept_startup[i]);
	if (st->kept_inconsistent)
		fprintf(f, "    Kept (inconsistent struct page)         : 0x%016llx\n",
			(unsigned long long)st->kept_inconsistent);
}

void report_print(const struct vs_dump_stats *st)
{
	if (!msg_enabled(ML_REPORT))
		return;
	uint64_t excluded = st->excl_zero + st->excl_cache + st->excl_cache_private + st->excl_user +
			    st->excl_free + st->excl_hwpoison + st->excl_offline + st->excl_vmemmap +
			    st->excl_private_magic;
	uint64_t remaining = st->present - excluded;
	FILE *f = msg_out();
	fputc('\n', f);
	fprintf(f, "Original pages  : 0x%016llx\n", (unsigned long long)st->present);
	fprintf(f, "  Excluded pages   : 0x%016llx\n", (unsigned long long)excluded);
	fprintf(f, "    Pages filled with zero  : 0x%016llx\n", (unsigned long long)st->excl_zero);
	fprintf(f, "    Non-private cache pages : 0x%016llx\n", (unsigned long long)st->excl_cache);
	fprintf(f, "    Private cache pages     : 0x%016llx\n", (unsigned long long)st->excl_cache_private);
	fprintf(f, "    User process data pages : 0x%016llx\n", (unsigned long long)st->excl_user);
	fprintf(f, "    Free pages              : 0x%016llx\n", (unsigned long long)st->excl_free);
	fprintf(f, "    Hwpoison pages          : 0x%016llx\n", (unsigned long long)st->excl_hwpoison);
	fprintf(f, "    Offline pages           : 0x%016llx\n", (unsigned long long)st->excl_offline);
	if (st->excl_vmemmap)
		fprintf(f, "    Unused vmemmap pages    : 0x%016llx\n", (unsigned long long)st->excl_vmemmap);
	if (st->private_filter)
		fprintf(f, "    Private filter pages    : 0x%016llx\n", (unsigned long long)st->excl_private_magic);
	fprintf(f, "  Remaining pages  : 0x%016llx\n", (unsigned long long)remaining);
	report_print_kept(f, st);
	if (st->user_stack_wanted)
		fprintf(f, "  User stack pages : 0x%016llx (of %u task(s) on the CPUs; 0x%llx kept that the level drops)\n",
			(unsigned long long)st->user_stack_pages, st->user_stack_tasks,
			(unsigned long long)st->kept_user_stack);
	if (st->present)
		fprintf(f, "  (The number of pages is reduced to %lld%%.)\n",
			(long long)(remaining * 100 / st->present));
	fprintf(f, "Memory Hole     : 0x%016llx\n", (unsigned long long)(st->max_mapnr - st->present));
	fprintf(f, "--------------------------------------------------\n");
	fprintf(f, "Total pages     : 0x%016llx\n", (unsigned long long)st->max_mapnr);
	fprintf(f, "Write bytes     : %llu\n", (unsigned long long)st->write_bytes);
	fprintf(f, "\n");
	fprintf(f, "Input reads: mmap windows %llu, munmap %llu, pread %llu%s\n",
		(unsigned long long)st->io.mmaps, (unsigned long long)st->io.munmaps,
		(unsigned long long)st->io.preads, st->mmap_fell_back ? " (mmap failed; read() used)" : "");
	fflush(f);
}

/* What looked wrong in the kernel's own data: said loudly, because it means filtering may be off. */
void report_self_checks(const struct vs_dump_stats *st)
{
	if (st->no_model_reason[0])
		msg_warn("hwpoison and offline pages are not left out: %s", st->no_model_reason);
	if (st->memmap_warning[0])
		msg_warn("%s", st->memmap_warning);
	if (st->free_walk_error[0])
		msg_warn("free pages are NOT left out although the dump level asks for it: this kernel exports no "
			 "buddy marker and its free lists cannot be walked (%s)", st->free_walk_error);
	if (st->zone_free_known) {
		uint64_t a = st->excl_free, b = st->zone_free, diff = a > b ? a - b : b - a;
		if (diff > 256 && diff > b / 50)
			msg_warn("found %llu free pages in struct pages but the zones' NR_FREE_PAGES counters say %llu: "
				 "this kernel's free-page encoding may be unknown to vmsift, so the dump may keep free memory "
				 "or filter wrongly", (unsigned long long)a, (unsigned long long)b);
		else
			msg_debug("free pages: %llu in struct pages, %llu in NR_FREE_PAGES", (unsigned long long)a,
				  (unsigned long long)b);
	}
	if (st->zone_free_error[0])
		msg_debug("free pages: not cross-checked: %s", st->zone_free_error);
	if (st->kallsyms_syms)
		msg_debug("kallsyms: %u symbols read from the dump, %u of them agree with VMCOREINFO",
			  st->kallsyms_syms, st->kallsyms_verified);
	if (st->unknown_type_pages)
		msg_warn("%llu page(s) have a page_type vmsift does not know (first at pfn 0x%llx); they were kept",
			 (unsigned long long)st->unknown_type_pages, (unsigned long long)st->unknown_type_pfn);
	if (st->bad_buddy_pages)
		msg_warn("%llu free block(s) claim an order beyond MAX_ORDER (first at pfn 0x%llx): corrupt, kept",
			 (unsigned long long)st->bad_buddy_pages, (unsigned long long)st->bad_buddy_pfn);
	uint64_t kept = kept_startup_total(st);
	if (kept)
		msg_warn("%llu page(s) that dump level's rules exclude were kept because crash and drgn need them to open the dump "
			 "(image %llu, page tables %llu, VMCOREINFO objects %llu, per-CPU %llu, CPU stacks %llu): their struct pages "
			 "are misread or damaged",
			 (unsigned long long)kept, (unsigned long long)st->kept_startup[VS_KEEP_IMAGE],
			 (unsigned long long)st->kept_startup[VS_KEEP_PGTABLE], (unsigned long long)st->kept_startup[VS_KEEP_VMCI],
			 (unsigned long long)st->kept_startup[VS_KEEP_PERCPU], (unsigned long long)st->kept_startup[VS_KEEP_STACK]);
	if (st->kept_inconsistent)
		msg_warn("%llu page(s) with an inconsistent struct page (first at pfn 0x%llx) were kept, not excluded",
			 (unsigned long long)st->kept_inconsistent, (unsigned long long)st->kept_inconsistent_pfn);
	if (st->classified)
		msg_debug("startup set: %llu page(s)%s%s", (unsigned long long)st->startup_pages,
			  st->startup_note[0] ? "; " : "", st->startup_note);
	if (st->user_stack_note[0])
		msg_warn("--keep-user-stack skipped: %s", st->user_stack_note);
	if (st->memmap_unreadable)
		msg_warn("the struct pages of %llu pfn(s) could not be read (first pfn 0x%llx); those pages were kept: memory section %llu (pfn 0x%llx-0x%llx): its struct pages at 0x%llx cannot be read (%s); %llu section(s) in all",
			 (unsigned long long)st->memmap_unreadable, (unsigned long long)st->memmap_unreadable_pfn,
			 (unsigned long long)st->memmap_unreadable_sec, (unsigned long long)st->memmap_unreadable_pfn,
			 (unsigned long long)st->memmap_unreadable_sec_end - 1,
			 (unsigned long long)st->memmap_unreadable_vaddr, st->memmap_unreadable_why,
			 (unsigned long long)st->memmap_unreadable_sections);
}

void report_incomplete(const struct vs_dump_stats *st, bool stream, bool dry_run)
{
	if (st->lost)
		msg_error("the input is truncated: %llu page(s) from pfn 0x%llx on are missing from it (cut off, or never written) and are not in the dump; %llu page(s) were recovered",
			  (unsigned long long)st->lost, (unsigned long long)st->lost_first_pfn,
			  (unsigned long long)(st->written_pages - st->unreadable));
	if (st->unreadable)
		msg_error("%llu page(s) could not be read from the vmcore (the first at pfn 0x%llx: %s); they are zero-filled in the dump",
			  (unsigned long long)st->unreadable, (unsigned long long)st->unreadable_pfn,
			  st->unreadable_errnum ? strerror(st->unreadable_errnum) : "the file ends early or the data is corrupt");
	if (st->incomplete && !stream && !dry_run)
		msg_common("This is an incomplete dumpfile (%llu of %llu pages written), but might be analyzable.",
			   (unsigned long long)st->written_pages, (unsigned long long)st->dumpable);
	/* A stream cannot be marked afterwards (a kdump service's pipe into a full
	 * disk): say so where the service logs it, and how to read what was kept. */
	else if (st->incomplete && stream && !dry_run)
		msg_common("The dump stream is incomplete (cut after %llu of %llu pages); what its reader stored is a cut flattened stream: vmsift -R rebuilds it into a dump marked incomplete, which might be analyzable.",
			   (unsigned long long)st->written_pages, (unsigned long long)st->dumpable);
}
