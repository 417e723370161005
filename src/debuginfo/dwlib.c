// SPDX-License-Identifier: GPL-2.0-or-later
#include "dwlib.h"

#include <dlfcn.h>
#include <pthread.h>

struct vs_dwlib vs_dw;

static struct vs_err *load_err;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static struct vs_err *open_lib(const char *soname, void **handle)
{
	*handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (*handle)
		return NULL;
	const char *why = dlerror();
	return vs_err_new(VS_ERR_NOTSUP,
			  "-x and -g need elfutils' %s, which could not be loaded (%s); "
			  "install it (Debian: libdw1 and libelf1)", soname, why ? why : "unknown reason");
}

/* Fills vs_dw from the handle; names the first symbol the library lacks. */
#define VS_DW_RESOLVE(f) \
	if (!err && !(*(void **)&vs_dw.f = dlsym(handle, #f))) \
		err = vs_err_new(VS_ERR_NOTSUP, "%s has no %s: elfutils 0.170 or later is needed", soname, #f);

static struct vs_err *resolve_libelf(void *handle, const char *soname)
{
	struct vs_err *err = NULL;
	VS_LIBELF_FUNCS(VS_DW_RESOLVE)
	return err;
}

static struct vs_err *resolve_libdw(void *handle, const char *soname)
{
	struct vs_err *err = NULL;
	VS_LIBDW_FUNCS(VS_DW_RESOLVE)
	VS_LIBDWFL_FUNCS(VS_DW_RESOLVE)
	return err;
}
#undef VS_DW_RESOLVE

static void load_once(void)
{
	void *elf, *dw;
	struct vs_err *err = open_lib("libelf.so.1", &elf);
	if (!err)
		err = resolve_libelf(elf, "libelf.so.1");
	if (!err)
		err = open_lib("libdw.so.1", &dw);
	if (!err)
		err = resolve_libdw(dw, "libdw.so.1");
	if (!err && DW(elf_version)(EV_CURRENT) == EV_NONE)
		err = vs_err_new(VS_ERR_NOTSUP, "libelf.so.1 does not support the current ELF version");
	load_err = err;
	/* The handles stay open for the life of the process: nothing unloads them. */
}

struct vs_err *vs_dwlib_load(void)
{
	pthread_once(&once, load_once);
	if (!load_err)
		return NULL;
	/* Each caller owns its error: hand out a copy of the remembered one. */
	return vs_err_new(load_err->code, "%s", load_err->msg);
}
