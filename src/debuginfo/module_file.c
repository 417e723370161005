// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A loaded module's debug file.  A .ko is ET_REL: its .debug_info refers to
 * .debug_str, .debug_abbrev and its own sections through relocations that
 * only a linker (or libdwfl) applies, so it is opened with libdwfl, which
 * applies them as it loads the DWARF.  libdwfl asks where each allocated
 * section was loaded; the answer is the table the dump's module sect_attrs
 * gave, so the DWARF's addresses are the dump's.  The symbol values are
 * placed by the same table (elffile.c), and the name index is the one the
 * vmlinux gets (dwarf_index.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "di_priv.h"

bool di_module_section_addr(const struct vs_debuginfo *di, const char *name, uint64_t *addr)
{
	for (size_t i = 0; i < di->nsec; i++)
		if (strcmp(di->sec[i].name, name) == 0) {
			*addr = di->sec[i].addr;
			return true;
		}
	return false;
}

/*
 * libdwfl's question: the load address of one section.  Sections that are
 * not allocated (.debug_*) are at 0, so the relocations between them are
 * plain offsets; an allocated one the kernel did not load (.modinfo,
 * __versions, what sect_attrs does not list) is -1, "not loaded".
 */
static int section_address(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			   const char *secname, GElf_Word shndx, const GElf_Shdr *shdr, Dwarf_Addr *addr)
{
	(void)mod, (void)modname, (void)base, (void)shndx;
	const struct vs_debuginfo *di = *userdata;
	uint64_t at;
	if (!(shdr->sh_flags & SHF_ALLOC))
		*addr = 0;
	else if (di && secname && di_module_section_addr(di, secname, &at))
		*addr = at;
	else
		*addr = (Dwarf_Addr)-1;
	return 0;
}

/* The debug file is the file given: libdwfl must not look for another one. */
static int no_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			char **debuginfo_file_name)
{
	(void)mod, (void)userdata, (void)modname, (void)base, (void)file_name, (void)debuglink_file;
	(void)debuglink_crc, (void)debuginfo_file_name;
	return -1;
}

static const Dwfl_Callbacks callbacks = {
	.find_debuginfo = no_debuginfo,
	.section_address = section_address,
};

static struct vs_err *dwfl_error(const struct vs_debuginfo *di, const char *what)
{
	return vs_err_new(VS_ERR_CORRUPT, "the module debug file %s: %s: %s", di->path, what,
			  DW(dwfl_errmsg)(-1));
}

static struct vs_err *relocated_dwarf(struct vs_debuginfo *di)
{
	int fd = open(di->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vs_err_os(errno, "cannot open the module debug file %s", di->path);
	if (!(di->dwfl = DW(dwfl_begin)(&callbacks))) {
		close(fd);
		return dwfl_error(di, "libdwfl");
	}
	/* On success libdwfl owns fd. */
	Dwfl_Module *mod = DW(dwfl_report_offline)(di->dwfl, "module", di->path, fd);
	if (!mod) {
		close(fd);
		return dwfl_error(di, "cannot read it as an ELF file");
	}
	DW(dwfl_report_end)(di->dwfl, NULL, NULL);
	void **userdata;
	DW(dwfl_module_info)(mod, &userdata, NULL, NULL, NULL, NULL, NULL, NULL);
	*userdata = di;
	Dwarf_Addr bias;
	di->dwarf = DW(dwfl_module_getdwarf)(mod, &bias);
	if (!di->dwarf)
		return vs_err_new(VS_ERR_NOKEY, "the module debug file %s has no usable DWARF debug information "
				  "(%s): a stripped module? It must be the one of the -dbg package "
				  "(Debian: /usr/lib/debug/lib/modules/RELEASE/...)", di->path, DW(dwfl_errmsg)(-1));
	di->elf = DW(dwarf_getelf)(di->dwarf);
	GElf_Ehdr eh;
	if (!di->elf || !DW(gelf_getehdr)(di->elf, &eh))
		return dwfl_error(di, "no ELF header");
	if (eh.e_type != ET_REL)
		return vs_err_new(VS_ERR_INVALID, "%s is an ELF file of type %u, not a kernel module (.ko)", di->path,
				  eh.e_type);
	di->machine = eh.e_machine;
	return NULL;
}

struct vs_err *vs_di_open_module(const char *path, const struct vs_di_section *sec, size_t nsec,
				 struct vs_debuginfo **out)
{
	struct vs_debuginfo *di;
	struct vs_err *err = di_new(path, &di);
	if (err)
		return err;
	di->sec = sec;
	di->nsec = nsec;
	err = relocated_dwarf(di);
	if (!err)
		err = di_elf_symbols(di);
	di->sec = NULL;  /* the caller's table: not needed once the symbols are placed */
	di->nsec = 0;
	return di_finish_open(di, err, out);
}
