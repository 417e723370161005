// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The debug information a dump carries itself (--config without -x): types
 * from the kernel's BTF, found between the kallsyms symbols __start_BTF and
 * __stop_BTF and read through the kernel's page tables, and symbols from
 * the dump's kallsyms (vmsift/kallsyms.h), which are run-time addresses: no
 * KASLR offset is added to them.  It answers the queries the --config
 * resolver makes; those only a vmlinux answers (-g, array lengths of
 * variables) say so.
 *
 * BTF describes every type but, as pahole encodes it for the kernels of
 * today's distributions, only the per-CPU variables (the resolver erases
 * each CPU's copy of those): a rule that starts at any other global
 * variable cannot be typed, and is refused with its name rather than
 * guessed from a symbol's name or size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "di_priv.h"
#include "vmsift/btf.h"
#include "vmsift/kallsyms.h"

#define BTF_MAX_BYTES (64u << 20)   /* Debian's 6.1 kernel has 4.3 MiB */

/*
 * Why kallsyms lacks a BTF bound: without CONFIG_KALLSYMS_ALL it holds no
 * data symbols at all (Debian's 6.1 arm64 kernel), which init_uts_ns, a
 * data symbol every kernel has, tells apart from a kernel without BTF.
 */
static struct vs_err *no_btf_symbol(struct vs_kernel *k, const char *name)
{
	static const char *const probe[] = { "init_uts_ns" };
	uint64_t addr = 0, gap;
	vs_err_free(vs_kallsyms_lookup(k, probe, 1, &addr, &gap));
	if (!addr)
		return vs_err_new(VS_ERR_NOKEY, "the dump's kallsyms has no %s: it holds no data symbols at all "
				  "(the kernel was built without CONFIG_KALLSYMS_ALL); give -x VMLINUX", name);
	return vs_err_new(VS_ERR_NOKEY, "the dump's kallsyms has no %s: the kernel was built without "
			  "CONFIG_DEBUG_INFO_BTF; give -x VMLINUX", name);
}

static struct vs_err *read_blob(struct vs_kernel *k, uint8_t **blob, size_t *len)
{
	static const char *const names[] = { "__start_BTF", "__stop_BTF" };
	uint64_t a[2];
	struct vs_err *err = vs_kernel_symbols(k, names, 2, a, NULL);
	if (err)
		return vs_err_wrap(err, "the kernel's BTF");
	if (!a[0] || !a[1])
		return no_btf_symbol(k, a[0] ? names[1] : names[0]);
	if (a[1] <= a[0] || a[1] - a[0] > BTF_MAX_BYTES)
		return vs_err_new(VS_ERR_CORRUPT, "the kernel's BTF: __start_BTF 0x%llx and __stop_BTF 0x%llx do not "
				  "bound 1 byte to %u MiB", (unsigned long long)a[0], (unsigned long long)a[1],
				  BTF_MAX_BYTES >> 20);
	*len = (size_t)(a[1] - a[0]);
	if (!(*blob = malloc(*len)))
		return vs_enomem;
	if ((err = vs_kernel_read_virt(k, a[0], *blob, *len))) {
		free(*blob);
		return vs_err_wrap(err, "the kernel's BTF at 0x%llx (%zu bytes)", (unsigned long long)a[0], *len);
	}
	return NULL;
}

struct vs_err *vs_di_open_dump(struct vs_kernel *k, struct vs_debuginfo **out)
{
	uint8_t *blob = NULL;
	size_t len = 0;
	struct vs_err *err = read_blob(k, &blob, &len);
	if (err)
		return err;
	struct vs_debuginfo *di = calloc(1, sizeof(*di));
	if (!di || !(di->path = strdup("the dump's BTF"))) {
		free(di);
		free(blob);
		return vs_enomem;
	}
	di->fd = -1;
	di->k = k;
	err = vs_btf_parse(blob, len, k->big_endian, k->long_size, &di->btf);
	free(blob);
	if (err) {
		vs_di_close(di);
		return err;
	}
	snprintf(di->release, sizeof(di->release), "%.64s", k->uts.release);
	di->st.names = vs_btf_count(di->btf);
	*out = di;
	return NULL;
}

bool vs_di_from_dump(const struct vs_debuginfo *di)
{
	return di->btf != NULL;
}

struct vs_err *di_btf_symbol(const struct vs_debuginfo *di, const char *name, uint64_t *addr)
{
	return vs_kernel_symbol(di->k, name, addr, NULL);   /* an address 0 is real: __per_cpu_start on x86_64 */
}

struct vs_err *di_btf_var_type(const struct vs_debuginfo *di, const char *var, struct vs_di_type *t)
{
	enum vs_btf_var_home home;
	struct vs_err *err = vs_btf_var_type(di->btf, var, t, &home);
	if (!err || err->code != VS_ERR_NOKEY)
		return err;
	vs_err_free(err);
	uint32_t percpu, nvars = vs_btf_vars(di->btf, &percpu);
	if (nvars == percpu)
		return vs_err_new(VS_ERR_NOTSUP, "the dump's BTF has no type for the variable %s: it describes only "
				  "per-CPU variables (%u of them), not other globals; give -x VMLINUX", var, percpu);
	return vs_err_new(VS_ERR_NOTSUP, "the dump's BTF has no type for the variable %s; give -x VMLINUX", var);
}

struct vs_err *di_btf_unsupported(const struct vs_debuginfo *di, const char *what)
{
	(void)di;
	return vs_err_new(VS_ERR_NOTSUP, "%s needs -x VMLINUX: the dump's BTF does not give it", what);
}
