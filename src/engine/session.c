// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "vmsift/erase.h"
#include "vmsift/recover.h"

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
 * kdump-compressed input: pages of the kernel's size (the reader splits
 * blocks into pages of VMCOREINFO's PAGESIZE), and a sub-header phys_base
 * checked against VMCOREINFO (QEMU 7.2 reads the note's decimal value as hex).
 */
static struct vs_err *check_kdump_input(struct vs_session *s)
{
	const struct vs_vmcore *vc = s->vc;
	if (vc->format == VS_INPUT_ELF)
		return NULL;
	if (vc->input_block_size != s->kernel->page_size)
		return vs_err_new(VS_ERR_NOTSUP,
				  "the kdump file is read in pages of %u bytes but the kernel's are %llu bytes (VMCOREINFO has no PAGESIZE that divides the block size)",
				  vc->input_block_size, (unsigned long long)s->kernel->page_size);
	/* The sub-header's phys_base is NUMBER(phys_base) on x86_64, PHYS_OFFSET on arm64. */
	static const char *const keys[] = { "phys_base", "PHYS_OFFSET" };
	int64_t n = 0;
	const char *key = NULL;
	struct vs_err *err = NULL;
	for (size_t i = 0; s->vmci && !key && i < sizeof(keys) / sizeof(keys[0]); i++) {
		vs_err_free(err);
		err = vs_vmci_number(s->vmci, keys[i], &n);
		if (!err)
			key = keys[i];
	}
	if (!key)
		snprintf(s->input_note, sizeof(s->input_note), "phys_base 0x%llx from the kdump sub-header (VMCOREINFO has none)",
			 (unsigned long long)vc->phys_base);
	else if ((uint64_t)n != vc->phys_base)
		snprintf(s->input_note, sizeof(s->input_note),
			 "the kdump sub-header's phys_base 0x%llx disagrees with VMCOREINFO's NUMBER(%s)=0x%llx: VMCOREINFO's is used",
			 (unsigned long long)vc->phys_base, key, (unsigned long long)n);
	else
		snprintf(s->input_note, sizeof(s->input_note), "phys_base 0x%llx (the sub-header and VMCOREINFO's NUMBER(%s) agree)",
			 (unsigned long long)vc->phys_base, key);
	vs_err_free(err);
	return NULL;
}

static void put32(uint8_t *p, uint32_t v, bool big_endian)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (big_endian ? 24 - 8 * i : 8 * i));
}

/*
 * The recovered text goes into the dump written, as a VMCOREINFO note put
 * before the dump's other notes: crash, drgn and libkdumpfile then read the
 * filtered dump as one taken with the note.
 */
static struct vs_err *carry_recovered(struct vs_vmcore *vc, const struct vs_vmcoreinfo *vi)
{
	char *text;
	size_t len;
	struct vs_err *err = vs_vmci_format(vi, &text, &len);
	if (err)
		return err;
	static const char name[12] = "VMCOREINFO";
	size_t desc = (len + 3) & ~(size_t)3, head = 12 + sizeof(name) + desc;
	uint8_t *n = calloc(1, head + vc->notes_size);
	if (!n) {
		free(text);
		return vs_enomem;
	}
	put32(n, sizeof("VMCOREINFO"), vc->big_endian);
	put32(n + 4, (uint32_t)len, vc->big_endian);
	memcpy(n + 12, name, sizeof(name));
	memcpy(n + 24, text, len);
	if (vc->notes_size)
		memcpy(n + head, vc->notes, vc->notes_size);
	free(text);
	free(vc->notes);
	vc->notes = n;
	vc->notes_size += head;
	vc->vmcoreinfo = (const char *)n + 24;
	vc->vmcoreinfo_size = len;
	vc->vmcoreinfo_offset = 24;
	return NULL;
}

/* No note and no -i: the kernel's own text from memory, when it is there. */
static struct vs_err *recover(struct vs_session *s)
{
	struct vs_err *err = vs_recover_vmcoreinfo(s->vc, &s->vmci, &s->recovered_paddr);
	if (!err) {
		s->origin = VS_VMCI_RECOVERED;
		return carry_recovered(s->vc, s->vmci);
	}
	if (err->code != VS_ERR_NOKEY)
		return err;
	s->recover_error = strdup(err->msg);
	vs_err_free(err);
	return NULL;
}

/* The dump's own description: -i FILE, else the note, else recovered from memory. */
static struct vs_err *own_vmcoreinfo(struct vs_session *s, const struct vs_session_opts *o,
				     struct vs_vmcoreinfo **note)
{
	struct vs_err *err = NULL;
	if (s->vc->vmcoreinfo)
		err = vs_vmci_parse(s->vc->vmcoreinfo, s->vc->vmcoreinfo_size, note);
	if (err)
		return err;
	if (o->vmcoreinfo_path) {
		s->vmci_from_file = true;
		s->origin = VS_VMCI_FILE;
		return vs_vmci_load_file(o->vmcoreinfo_path, &s->vmci);
	}
	if (*note) {
		s->vmci = *note;
		*note = NULL;
		s->origin = VS_VMCI_NOTE;
		return NULL;
	}
	return recover(s);
}

struct vs_err *vs_session_open(const struct vs_session_opts *o, struct vs_session **out)
{
	struct vs_session *s = calloc(1, sizeof(*s));
	if (!s)
		return vs_enomem;
	struct vs_vmcore_opts vo = { .no_mmap = o->no_mmap, .force_mmap = o->force_mmap,
				     .window_size = o->window_size, .salvage = o->salvage, .omit = o->omit, .nomit = o->nomit };
	struct vs_vmcoreinfo *note = NULL;
	const char *paths[1 + VS_MAX_INPUTS];
	size_t n = 1 + (o->nmore < VS_MAX_INPUTS ? o->nmore : VS_MAX_INPUTS);
	paths[0] = o->vmcore_path;
	for (size_t i = 1; i < n; i++)
		paths[i] = o->more_paths[i - 1];
	struct vs_err *err = o->nmore >= VS_MAX_INPUTS
		? vs_err_new(VS_ERR_INVALID, "%zu input files: at most %u pieces are read", o->nmore + 1, VS_MAX_INPUTS)
		: vs_vmcore_open_set(paths, n, &vo, &s->vc);
	if (!err)
		err = own_vmcoreinfo(s, o, &note);
	if (!err && o->vmlinux_path)
		err = vs_session_debuginfo(s, o->vmlinux_path, o->config_path);
	else if (!err)
		err = vs_kernel_init(s->vc, s->vmci, &s->kernel);
	if (!err && !o->vmlinux_path && o->config_path)
		err = vs_session_config_btf(s, o->config_path);
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
	vs_erase_free(s->erase);
	vs_kernel_free(s->kernel);
	vs_vmci_free(s->vmci);
	vs_vmcore_close(s->vc);
	free(s->recover_error);
	free(s);
}
