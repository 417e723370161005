// SPDX-License-Identifier: GPL-2.0-or-later
/* The vmlinux as an ELF file: header, .symtab, build-id and the release string. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "di_priv.h"

#define NT_GNU_BUILD_ID_TYPE 3

static struct vs_err *elf_error(const struct vs_debuginfo *di, const char *what)
{
	return vs_err_new(VS_ERR_CORRUPT, "%s: %s: %s", di->path, what, DW(elf_errmsg)(-1));
}

struct vs_err *di_elf_open(struct vs_debuginfo *di)
{
	di->fd = open(di->path, O_RDONLY | O_CLOEXEC);
	if (di->fd < 0)
		return vs_err_os(errno, "cannot open the vmlinux %s", di->path);
	di->elf = DW(elf_begin)(di->fd, ELF_C_READ_MMAP, NULL);
	if (!di->elf)
		return elf_error(di, "cannot read it as ELF");
	if (DW(elf_kind)(di->elf) != ELF_K_ELF)
		return vs_err_new(VS_ERR_INVALID, "%s is not an ELF file (a compressed vmlinuz? -x needs the "
				  "uncompressed vmlinux with debug information)", di->path);
	GElf_Ehdr eh;
	if (!DW(gelf_getehdr)(di->elf, &eh))
		return elf_error(di, "bad ELF header");
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return vs_err_new(VS_ERR_INVALID, "%s is an ELF file of type %u, not a kernel image (vmlinux)",
				  di->path, eh.e_type);
	di->machine = eh.e_machine;
	return NULL;
}

static Elf_Scn *find_section(const struct vs_debuginfo *di, Elf64_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	while ((scn = DW(elf_nextscn)(di->elf, scn)))
		if (DW(gelf_getshdr)(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

/*
 * A module's (ET_REL) symbol value is an offset into its section: the
 * section's load address is added, and a symbol of a section the dump does
 * not show loaded is left out.
 */
static bool module_value(const struct vs_debuginfo *di, const GElf_Sym *s, uint64_t *value)
{
	size_t shstrndx;
	GElf_Shdr sh;
	if (s->st_shndx >= SHN_LORESERVE || DW(elf_getshdrstrndx)(di->elf, &shstrndx) != 0)
		return false;
	Elf_Scn *scn = DW(elf_getscn)(di->elf, s->st_shndx);
	const char *name = scn && DW(gelf_getshdr)(scn, &sh) ? DW(elf_strptr)(di->elf, shstrndx, sh.sh_name) : NULL;
	uint64_t base;
	if (!name || !di_module_section_addr(di, name, &base))
		return false;
	*value = base + s->st_value;
	return true;
}

/* Global and weak symbols rank before local ones of the same name (static __key etc.). */
static int add_symbol(struct vs_debuginfo *di, const GElf_Sym *s, const char *name)
{
	if (!name || !*name || s->st_shndx == SHN_UNDEF)
		return 0;
	uint64_t value = s->st_value;
	if (di->dwfl && !module_value(di, s, &value))
		return 0;
	int bind = GELF_ST_BIND(s->st_info);
	return di_names_put(&di->names, DI_SYM, name, value, bind == STB_LOCAL ? 1 : 0);
}

struct vs_err *di_elf_symbols(struct vs_debuginfo *di)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_section(di, SHT_SYMTAB, &sh);
	if (!scn)
		return vs_err_new(VS_ERR_NOKEY, "%s has no symbol table (.symtab): a stripped kernel? "
				  "-x needs the debug vmlinux (Debian: /usr/lib/debug/boot/vmlinux-RELEASE "
				  "from linux-image-RELEASE-dbg)", di->path);
	Elf_Data *d = DW(elf_getdata)(scn, NULL);
	if (!d || !sh.sh_entsize)
		return elf_error(di, "unreadable .symtab");
	size_t n = d->d_size / sh.sh_entsize;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;
		if (!DW(gelf_getsym)(d, (int)i, &s))
			return elf_error(di, "bad .symtab entry");
		const char *name = DW(elf_strptr)(di->elf, sh.sh_link, s.st_name);
		if (add_symbol(di, &s, name) < 0)
			return vs_enomem;
	}
	di->st.symbols = n;
	const struct di_name *t = di_names_get(&di->names, DI_SYM, "_text");
	const struct di_name *e = di_names_get(&di->names, DI_SYM, "_end");
	if (t && e && t->value < e->value) {
		di->text_start = t->value;
		di->text_end = e->value;
	}
	return NULL;
}

/* Bytes at a link-time address, from the allocated section holding them. */
static const char *bytes_at(const struct vs_debuginfo *di, uint64_t va, size_t len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = DW(elf_nextscn)(di->elf, scn))) {
		if (!DW(gelf_getshdr)(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_ALLOC))
			continue;
		if (va < sh.sh_addr || va - sh.sh_addr >= sh.sh_size || sh.sh_size - (va - sh.sh_addr) < len)
			continue;
		Elf_Data *d = DW(elf_rawdata)(scn, NULL);
		if (!d || !d->d_buf || va - sh.sh_addr + len > d->d_size)
			return NULL;
		return (const char *)d->d_buf + (va - sh.sh_addr);
	}
	return NULL;
}

static bool set_release(struct vs_debuginfo *di, const char *s, size_t max, size_t stop_at_space)
{
	size_t n = 0;
	while (n < max && s[n] && !(stop_at_space && s[n] == ' '))
		n++;
	if (!n || n >= sizeof(di->release))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return false;
	memcpy(di->release, s, n);
	di->release[n] = 0;
	return true;
}

/* init_uts_ns.name.release, as makedumpfile reads it; else "Linux version REL ..." */
static void read_release(struct vs_debuginfo *di)
{
	uint64_t sym, name_off, rel_off;
	struct vs_err *err = vs_di_symbol(di, "init_uts_ns", &sym);
	if (!err)
		err = vs_di_offset(di, "uts_namespace", "name", &name_off);
	if (!err)
		err = vs_di_offset(di, "new_utsname", "release", &rel_off);
	if (!err) {
		const char *p = bytes_at(di, sym + name_off + rel_off, 65);
		if (p && set_release(di, p, 65, 0))
			return;
	}
	vs_err_free(err);
	err = vs_di_symbol(di, "linux_banner", &sym);
	if (err) {
		vs_err_free(err);
		return;
	}
	static const char prefix[] = "Linux version ";
	const char *p = bytes_at(di, sym, sizeof(prefix) - 1 + 65);
	if (p && memcmp(p, prefix, sizeof(prefix) - 1) == 0)
		set_release(di, p + sizeof(prefix) - 1, 65, 1);
}

static void read_build_id(struct vs_debuginfo *di)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = DW(elf_nextscn)(di->elf, scn))) {
		if (!DW(gelf_getshdr)(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *d = DW(elf_getdata)(scn, NULL);
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;
		while (d && off < d->d_size && (off = DW(gelf_getnote)(d, off, &nh, &name_off, &desc_off)) > 0) {
			const char *base = d->d_buf;
			if (nh.n_type != NT_GNU_BUILD_ID_TYPE || nh.n_namesz != 4 ||
			    memcmp(base + name_off, "GNU", 4) != 0 || !nh.n_descsz || nh.n_descsz > 64)
				continue;
			for (size_t i = 0; i < nh.n_descsz; i++)
				sprintf(di->build_id + 2 * i, "%02x", (unsigned char)base[desc_off + i]);
			return;
		}
	}
}

/* A module's .modinfo "vermagic=RELEASE flags...": the release it was built for. */
static void read_vermagic(struct vs_debuginfo *di)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	if (DW(elf_getshdrstrndx)(di->elf, &shstrndx) != 0)
		return;
	while ((scn = DW(elf_nextscn)(di->elf, scn))) {
		const char *name = DW(gelf_getshdr)(scn, &sh) ? DW(elf_strptr)(di->elf, shstrndx, sh.sh_name) : NULL;
		Elf_Data *d = name && strcmp(name, ".modinfo") == 0 ? DW(elf_rawdata)(scn, NULL) : NULL;
		if (!d || !d->d_buf)
			continue;
		static const char key[] = "vermagic=";
		const char *p = d->d_buf, *end = p + d->d_size;
		while (p < end) {
			size_t n = strnlen(p, (size_t)(end - p));
			if (n > sizeof(key) - 1 && memcmp(p, key, sizeof(key) - 1) == 0) {
				set_release(di, p + sizeof(key) - 1, n - (sizeof(key) - 1), 1);
				return;
			}
			p += n + 1;
		}
	}
}

void di_elf_identity(struct vs_debuginfo *di)
{
	if (di->dwfl)
		read_vermagic(di);
	else
		read_release(di);
	read_build_id(di);
}
