// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DWARF/ELF index (-x VMLINUX): the input is the vmlinux.  Opening it
 * builds the index; then every query -g makes, the enumerator index and a
 * few dotted member paths.  The seed is a miniature kernel image with the
 * structures vmsift asks for (seeds/fuzz_dwarf/mini-vmlinux, built from mini-vmlinux.c).
 */
#include <stdlib.h>

#include "fuzzutil.h"
#include "vmsift/debuginfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_debuginfo *di;
	struct vs_err *err = vs_di_open(fz_file(data, size), &di);
	if (err) {
		vs_err_free(err);
		return 0;
	}
	struct vs_di_gen_opts go = { .has_l5 = true, .has_kaslr = true, .kaslr_offset = 0x1000000 };
	char *text = NULL;
	size_t len;
	vs_err_free(vs_di_vmcoreinfo(di, &go, &text, &len));
	free(text);
	uint64_t u;
	int64_t n;
	bool b;
	vs_err_free(vs_di_offset(di, "uts_namespace", "name.release", &u));
	vs_err_free(vs_di_offset(di, "page", "lru.next", &u));
	vs_err_free(vs_di_member_length(di, "zone", "free_area", &u));
	vs_err_free(vs_di_var_is_pointer(di, "mem_section", &b));
	vs_err_free(vs_di_var_size(di, "counter", &u));
	vs_err_free(vs_di_enum(di, NULL, "NR_FREE_PAGES", &n));
	vs_err_free(vs_di_enum(di, NULL, "PG_head", &n));
	vs_di_close(di);
	return 0;
}
