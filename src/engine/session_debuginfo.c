// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -x VMLINUX in a session: the vmlinux must be the dump's kernel; its values
 * go under the dump's own VMCOREINFO (the note wins, as in makedumpfile);
 * what only the running kernel knew (KASLR offset, phys_base, 5-level paging)
 * comes from the note, or, for a dump without one, from the dump's memory.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "vmsift/config.h"
#include "vmsift/debuginfo.h"
#include "vmsift/erase.h"

static struct vs_err *same_kernel(const struct vs_vmcoreinfo *vi, const struct vs_debuginfo *di)
{
	const char *rel = vs_vmci_get(vi, "OSRELEASE"), *bid = vs_vmci_get(vi, "BUILD-ID");
	const char *di_rel = vs_di_release(di), *di_bid = vs_di_build_id(di);
	if (rel && *di_rel && strcmp(rel, di_rel) != 0)
		return vs_err_new(VS_ERR_RELEASE, "the vmlinux %s is of kernel %s but the dump is of %s",
				  vs_di_path(di), di_rel, rel);
	if (bid && *di_bid && strcasecmp(bid, di_bid) != 0)
		return vs_err_new(VS_ERR_RELEASE, "the vmlinux %s (build-id %s) is not the build of the dump's "
				  "kernel %s (build-id %s)", vs_di_path(di), di_bid, rel ? rel : "", bid);
	return NULL;
}

/* Runtime values the dump's own VMCOREINFO gives. */
static void opts_from_vmci(const struct vs_vmcoreinfo *vi, struct vs_di_gen_opts *go)
{
	uint64_t u;
	int64_t n;
	struct vs_err *err;
	if (!(err = vs_vmci_dec(vi, "PAGESIZE", &u)))
		go->page_size = u;
	vs_err_free(err);
	if (!(err = vs_vmci_hex(vi, "KERNELOFFSET", &u)))
		go->has_kaslr = true, go->kaslr_offset = u;
	vs_err_free(err);
	if (!(err = vs_vmci_number(vi, "phys_base", &n)))
		go->has_phys_base = true, go->phys_base = n;
	vs_err_free(err);
	if (!(err = vs_vmci_number(vi, "pgtable_l5_enabled", &n)))
		go->has_l5 = true, go->l5 = n != 0;
	vs_err_free(err);
	if (!(err = vs_vmci_number(vi, "sme_mask", &n)))
		go->has_sme_mask = true, go->sme_mask = (uint64_t)n;
	vs_err_free(err);
}

static struct vs_err *generate(struct vs_debuginfo *di, const struct vs_di_gen_opts *go,
			       struct vs_vmcoreinfo **out)
{
	char *text;
	size_t len;
	struct vs_err *err = vs_di_vmcoreinfo(di, go, &text, &len);
	if (err)
		return err;
	err = vs_vmci_parse(text, len, out);
	free(text);
	return err;
}

/* Reads an int or long variable of the kernel image, if the vmlinux has it. */
static bool read_var(struct vs_kernel *k, struct vs_debuginfo *di, const char *name, uint64_t *v)
{
	uint64_t sym, size;
	struct vs_err *err = vs_di_symbol(di, name, &sym);
	if (!err)
		err = vs_di_var_size(di, name, &size);
	if (!err && size != 4 && size != 8)
		err = vs_err_new(VS_ERR_CORRUPT, "%s is not an int or a long", name);
	*v = 0;
	if (!err)
		err = vs_kernel_read_virt(k, sym, v, (size_t)size);
	bool ok = !err;
	vs_err_free(err);
	return ok;
}

/*
 * No note: a first kernel set-up from the vmlinux's values alone (KASLR off)
 * translates the kernel image, so the variables that hold the runtime
 * values can be read from the dump.
 */
static struct vs_err *runtime_from_memory(struct vs_session *s, struct vs_debuginfo *di, struct vs_di_gen_opts *go)
{
	struct vs_vmcoreinfo *first, *merged;
	struct vs_kernel *k;
	struct vs_err *err = generate(di, go, &first);
	if (err)
		return err;
	err = vs_vmci_merge(s->vmci, first, &merged);
	vs_vmci_free(first);
	if (!err)
		err = vs_kernel_init(s->vc, merged, &k);
	if (err) {
		vs_vmci_free(merged);
		return err;
	}
	uint64_t v;
	if (!go->has_phys_base)
		go->has_phys_base = true, go->phys_base = (int64_t)k->phys_base;
	if (!go->has_l5 && vs_di_machine(di) == EM_X86_64) {
		/* A kernel built without 5-level paging has no such variable: 4 levels. */
		uint64_t sym;
		struct vs_err *absent = vs_di_symbol(di, "__pgtable_l5_enabled", &sym);
		go->has_l5 = absent || read_var(k, di, "__pgtable_l5_enabled", &v);
		go->l5 = !absent && go->has_l5 && v != 0;
		vs_err_free(absent);
	}
	if (!go->has_sme_mask && read_var(k, di, "sme_me_mask", &v))
		go->has_sme_mask = true, go->sme_mask = v;
	vs_kernel_free(k);
	vs_vmci_free(merged);
	return NULL;
}

/* Without a note, the vmlinux's values must find its release in the dump's init_uts_ns. */
static struct vs_err *check_memory(const struct vs_session *s, const struct vs_debuginfo *di)
{
	const struct vs_kernel *k = s->kernel;
	if (s->origin != VS_VMCI_NONE || !*vs_di_release(di))
		return NULL;
	if (k->uts_from_memory && strcmp(k->uts.release, vs_di_release(di)) == 0)
		return NULL;
	/*
	 * Read through unrelocated addresses, init_uts_ns may land on any bytes of
	 * a KASLR kernel's memory: the same hint either way.
	 */
	if (k->uts_from_memory)
		return vs_err_new(VS_ERR_RELEASE,
				  "the vmlinux %s is of kernel %s but the dump's init_uts_ns holds \"%.64s\" there "
				  "(another kernel, or a KASLR kernel whose offset is unknown: the dump has no "
				  "VMCOREINFO, in a note or in memory)",
				  vs_di_path(di), vs_di_release(di), k->uts.release);
	return vs_err_new(VS_ERR_RELEASE,
			  "the vmlinux %s (kernel %s) does not describe this dump: its init_uts_ns holds no "
			  "kernel release there (another kernel, or a KASLR kernel whose offset is unknown: "
			  "the dump has no VMCOREINFO, in a note or in memory)", vs_di_path(di), vs_di_release(di));
}

/* --config: the erase set, resolved while the index is open. */
static struct vs_err *erase_config(struct vs_session *s, struct vs_debuginfo *di, const char *path,
				   const struct vs_di_gen_opts *go)
{
	struct vs_config *c;
	struct vs_err *err = vs_config_load(path, &c);
	if (err)
		return err;
	if (!(s->erase = vs_erase_new()))
		err = vs_enomem;
	if (!err)
		err = vs_config_resolve(c, di, s->kernel, go->has_kaslr ? go->kaslr_offset : 0, s->erase,
					s->erase_skipped, sizeof(s->erase_skipped));
	vs_config_free(c);
	return err;
}

struct vs_err *vs_session_debuginfo(struct vs_session *s, const char *vmlinux, const char *config)
{
	struct vs_debuginfo *di;
	struct vs_err *err = vs_di_open(vmlinux, &di);
	if (err)
		return err;
	struct vs_di_stats st;
	vs_di_stats(di, &st);
	s->debuginfo_units = st.units;
	s->debuginfo_names = st.names;
	s->debuginfo_seconds = st.index_seconds;
	err = same_kernel(s->vmci, di);
	struct vs_di_gen_opts go = { 0 };
	opts_from_vmci(s->vmci, &go);
	if (!err && (!go.has_phys_base || (!go.has_l5 && vs_di_machine(di) == EM_X86_64)))
		err = runtime_from_memory(s, di, &go);
	struct vs_vmcoreinfo *gen = NULL, *merged = NULL;
	if (!err)
		err = generate(di, &go, &gen);
	if (!err)
		err = vs_vmci_merge(s->vmci, gen, &merged);
	if (!err) {
		s->debuginfo_keys = merged->n - (s->vmci ? s->vmci->n : 0);
		vs_vmci_free(s->vmci);
		s->vmci = merged;
		err = vs_kernel_init(s->vc, s->vmci, &s->kernel);
	}
	if (!err)
		err = check_memory(s, di);
	if (!err && config)
		err = erase_config(s, di, config, &go);
	vs_vmci_free(gen);
	vs_di_close(di);
	return err;
}

/*
 * --config without -x: the rules are resolved from the kernel's own BTF and
 * kallsyms in the dump; kallsyms gives run-time addresses, so no KASLR
 * offset is added.
 */
struct vs_err *vs_session_config_btf(struct vs_session *s, const char *config)
{
	struct vs_debuginfo *di;
	struct vs_err *err = vs_di_open_dump(s->kernel, &di);
	if (!err) {
		struct vs_di_stats st;
		vs_di_stats(di, &st);
		s->erase_btf_types = st.names;
		struct vs_di_gen_opts go = { 0 };
		err = erase_config(s, di, config, &go);
		vs_di_close(di);
	}
	return err ? vs_err_wrap(err, "--config without -x (from the dump's BTF and kallsyms)") : NULL;
}

struct vs_err *vs_vmlinux_vmcoreinfo(const char *vmlinux, char **text, size_t *len)
{
	struct vs_debuginfo *di;
	struct vs_err *err = vs_di_open(vmlinux, &di);
	if (err)
		return err;
	struct vs_di_gen_opts go = { 0 };  /* the architecture's page size; no runtime values */
	err = vs_di_vmcoreinfo(di, &go, text, len);
	vs_di_close(di);
	return err;
}
