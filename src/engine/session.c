// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -i FILE must describe the same kernel as the dump (makedumpfile exits 2 otherwise). */
static struct vs_err *check_release(const struct vs_session *s, const struct vs_vmcoreinfo *note)
{
	const char *want = vs_vmci_get(s->vmci, "OSRELEASE");
	if (!want)
		return vs_err_new(VS_ERR_NOKEY, "the VMCOREINFO file has no OSRELEASE");
	const char *have = note ? vs_vmci_get(note, "OSRELEASE") : NULL;
	if (!have && s->kernel && s->kernel->uts_from_memory)
		have = s->kernel->uts.release;
	if (have && strcmp(have, want) != 0)
		return vs_err_new(VS_ERR_RELEASE, "the VMCOREINFO file is for kernel %s but the dump is of %s",
				  want, have);
	return NULL;
}

/*
 * kdump-compressed input: one block per page (QEMU writes 64 KiB blocks for
 * aarch64 guests with 4 KiB pages), and a sub-header phys_base checked
 * against VMCOREINFO (QEMU 7.2 reads the note's decimal value as hex).
 */
static struct vs_err *check_kdump_input(struct vs_session *s)
{
	const struct vs_vmcore *vc = s->vc;
	if (vc->format == VS_INPUT_ELF)
		return NULL;
	if (vc->input_block_size != s->kernel->page_size)
		return vs_err_new(VS_ERR_NOTSUP,
				  "the kdump file stores blocks of %u bytes but the kernel's pages are %llu bytes: several pages per block is not supported",
				  vc->input_block_size, (unsigned long long)s->kernel->page_size);
	int64_t n;
	struct vs_err *err = s->vmci ? vs_vmci_number(s->vmci, "phys_base", &n) : NULL;
	if (!s->vmci || err)
		snprintf(s->input_note, sizeof(s->input_note), "phys_base 0x%llx from the kdump sub-header (VMCOREINFO has none)",
			 (unsigned long long)vc->phys_base);
	else if ((uint64_t)n != vc->phys_base)
		snprintf(s->input_note, sizeof(s->input_note),
			 "the kdump sub-header's phys_base 0x%llx disagrees with VMCOREINFO's 0x%llx: VMCOREINFO's is used",
			 (unsigned long long)vc->phys_base, (unsigned long long)n);
	else
		snprintf(s->input_note, sizeof(s->input_note), "phys_base 0x%llx (sub-header and VMCOREINFO agree)",
			 (unsigned long long)vc->phys_base);
	vs_err_free(err);
	return NULL;
}

struct vs_err *vs_session_open(const struct vs_session_opts *o, struct vs_session **out)
{
	struct vs_session *s = calloc(1, sizeof(*s));
	if (!s)
		return vs_enomem;
	struct vs_vmcore_opts vo = { .no_mmap = o->no_mmap, .force_mmap = o->force_mmap,
				     .window_size = o->window_size };
	struct vs_vmcoreinfo *note = NULL;
	struct vs_err *err = vs_vmcore_open(o->vmcore_path, &vo, &s->vc);
	if (!err && s->vc->vmcoreinfo)
		err = vs_vmci_parse(s->vc->vmcoreinfo, s->vc->vmcoreinfo_size, &note);
	if (!err && o->vmcoreinfo_path) {
		err = vs_vmci_load_file(o->vmcoreinfo_path, &s->vmci);
		s->vmci_from_file = true;
	} else if (!err) {
		s->vmci = note;
		note = NULL;
	}
	if (!err)
		err = vs_kernel_init(s->vc, s->vmci, &s->kernel);
	if (!err && s->vmci_from_file)
		err = check_release(s, note);
	if (!err)
		err = check_kdump_input(s);
	vs_vmci_free(note);
	if (err) {
		vs_session_close(s);
		return err;
	}
	*out = s;
	return NULL;
}

void vs_session_close(struct vs_session *s)
{
	if (!s)
		return;
	vs_kernel_free(s->kernel);
	vs_vmci_free(s->vmci);
	vs_vmcore_close(s->vc);
	free(s);
}
