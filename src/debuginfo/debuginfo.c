// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "di_priv.h"

/* A debug file's state before it is read: libdw loaded, nothing open. */
struct vs_err *di_new(const char *path, struct vs_debuginfo **out)
{
	struct vs_err *err = vs_dwlib_load();
	if (err)
		return err;
	struct vs_debuginfo *di = calloc(1, sizeof(*di));
	if (!di || !(di->path = strdup(path))) {
		free(di);
		return vs_enomem;
	}
	di->fd = -1;
	*out = di;
	return NULL;
}

/*
 * The DWARF index of a file opened and its symbols read (err: how that
 * went); closes it on error.
 */
struct vs_err *di_finish_open(struct vs_debuginfo *di, struct vs_err *err, struct vs_debuginfo **out)
{
	if (!err)
		err = di_dwarf_index(di);
	if (err) {
		vs_di_close(di);
		return err;
	}
	di->st.names = di->names.n;
	di_elf_identity(di);
	*out = di;
	return NULL;
}

struct vs_err *vs_di_open(const char *path, struct vs_debuginfo **out)
{
	struct vs_debuginfo *di;
	struct vs_err *err = di_new(path, &di);
	if (err)
		return err;
	err = di_elf_open(di);
	if (!err)
		err = di_elf_symbols(di);
	return di_finish_open(di, err, out);
}

void vs_di_close(struct vs_debuginfo *di)
{
	if (!di)
		return;
	if (di->dwfl)
		DW(dwfl_end)(di->dwfl);  /* a module's Elf and Dwarf are libdwfl's */
	else if (di->dwarf)
		DW(dwarf_end)(di->dwarf);
	if (di->elf && !di->dwfl)
		DW(elf_end)(di->elf);
	if (di->fd >= 0)
		close(di->fd);
	di_names_free(&di->names);
	vs_btf_free(di->btf);
	free(di->path);
	free(di);
}

const char *vs_di_path(const struct vs_debuginfo *di) { return di->path; }
uint16_t vs_di_machine(const struct vs_debuginfo *di) { return di->machine; }
const char *vs_di_release(const struct vs_debuginfo *di) { return di->release; }
const char *vs_di_build_id(const struct vs_debuginfo *di) { return di->build_id; }

void vs_di_stats(const struct vs_debuginfo *di, struct vs_di_stats *st)
{
	*st = di->st;
}
