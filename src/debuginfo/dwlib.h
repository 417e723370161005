// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * elfutils' libelf and libdw, loaded with dlopen() the first time -x or -g
 * needs them.  The capture binary does not link them: a kdump initramfs
 * copies every library `ldd vmsift` lists, and a crashkernel=96M capture
 * kernel cannot spare their ~0.9 MiB (plus liblzma and libbz2) for options
 * it never uses.  Calls go through DW(name), so a direct call (which would
 * need -ldw at link time) cannot slip in unnoticed.
 */
#ifndef VMSIFT_DEBUGINFO_DWLIB_H
#define VMSIFT_DEBUGINFO_DWLIB_H

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <libelf.h>

#include "vmsift/error.h"

#define VS_LIBELF_FUNCS(X) \
	X(elf_version) X(elf_begin) X(elf_end) X(elf_kind) X(elf_errmsg) X(elf_errno) \
	X(elf_getshdrstrndx) X(elf_nextscn) X(elf_strptr) X(elf_getdata) X(elf_rawdata) \
	X(gelf_getehdr) X(gelf_getshdr) X(gelf_getsym) X(gelf_getnote) X(gelf_getclass) X(elf_getscn)

#define VS_LIBDW_FUNCS(X) \
	X(dwarf_begin_elf) X(dwarf_end) X(dwarf_get_units) X(dwarf_offdie) X(dwarf_dieoffset) \
	X(dwarf_child) X(dwarf_siblingof) X(dwarf_tag) X(dwarf_diename) X(dwarf_attr) \
	X(dwarf_hasattr) X(dwarf_formudata) X(dwarf_formsdata) X(dwarf_formref_die) \
	X(dwarf_formblock) X(dwarf_formflag) X(dwarf_whatform) X(dwarf_srclang) \
	X(dwarf_errno) X(dwarf_errmsg)

/* libdwfl (in libdw.so.1): a module's relocatable debug file, relocated to where the dump loaded it. */
#define VS_LIBDWFL_FUNCS(X) \
	X(dwfl_begin) X(dwfl_end) X(dwfl_report_offline) X(dwfl_report_end) X(dwfl_module_info) \
	X(dwfl_module_getdwarf) X(dwfl_errno) X(dwfl_errmsg) X(dwarf_getelf)

#define VS_DW_MEMBER(f) __typeof__(f) *f;
struct vs_dwlib {
	VS_LIBELF_FUNCS(VS_DW_MEMBER)
	VS_LIBDW_FUNCS(VS_DW_MEMBER)
	VS_LIBDWFL_FUNCS(VS_DW_MEMBER)
};
#undef VS_DW_MEMBER

extern struct vs_dwlib vs_dw;
#define DW(f) (vs_dw.f)

/* Loads both libraries once; a clear error when elfutils is not installed. */
struct vs_err *vs_dwlib_load(void);

#endif
