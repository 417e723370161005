// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a module's debug file is.  makedumpfile 1.7.2 asks libdwfl for the
 * module under /lib/modules/RELEASE and takes its DWARF from that file or
 * from /usr/lib/debug; Debian's linux-image-RELEASE-dbg puts the unstripped
 * modules in /usr/lib/debug/lib/modules/RELEASE/kernel/..., beside the
 * /usr/lib/debug/boot/vmlinux-RELEASE given to -x.  The directories are
 * searched in that order (the one beside the -x vmlinux first, so a copy
 * of the -dbg tree anywhere works); the first NAME.ko with DWARF wins.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "di_priv.h"
#include "module_dump.h"

#define MAX_DEPTH 8             /* kernel/drivers/net/ethernet/VENDOR/CHIP/x.ko is 6 */
#define MAX_ENTRIES (1u << 18)  /* directory entries looked at per search */

/* NAME.ko or NAME.ko.debug, '-' and '_' alike (the kernel's module names use '_'). */
static bool is_module_file(const char *file, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < n; i++) {
		char a = file[i] == '-' ? '_' : file[i], b = name[i] == '-' ? '_' : name[i];
		if (!file[i] || a != b)
			return false;
	}
	return strcmp(file + n, ".ko") == 0 || strcmp(file + n, ".ko.debug") == 0;
}

static bool has_dwarf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool found = false;
	Elf *elf = DW(elf_begin)(fd, ELF_C_READ_MMAP, NULL);
	size_t shstrndx;
	if (elf && DW(elf_getshdrstrndx)(elf, &shstrndx) == 0) {
		Elf_Scn *scn = NULL;
		GElf_Shdr sh;
		while (!found && (scn = DW(elf_nextscn)(elf, scn))) {
			const char *s = DW(gelf_getshdr)(scn, &sh) ? DW(elf_strptr)(elf, shstrndx, sh.sh_name) : NULL;
			found = s && (strcmp(s, ".debug_info") == 0 || strcmp(s, ".zdebug_info") == 0);
		}
	}
	if (elf)
		DW(elf_end)(elf);
	close(fd);
	return found;
}

struct search {
	const char *name;
	unsigned entries;
	char *path;
	size_t len;
	bool stripped;   /* a NAME.ko without DWARF was seen */
};

static bool walk(struct search *s, const char *dir, int depth)
{
	DIR *d = depth <= MAX_DEPTH ? opendir(dir) : NULL;
	if (!d)
		return false;
	struct dirent *e;
	bool found = false;
	while (!found && (e = readdir(d)) && ++s->entries < MAX_ENTRIES) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) >= (int)sizeof(sub))
			continue;
		if (e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN && !is_module_file(e->d_name, s->name))) {
			found = walk(s, sub, depth + 1);
		} else if (is_module_file(e->d_name, s->name)) {
			if (has_dwarf(sub) && snprintf(s->path, s->len, "%s", sub) < (int)s->len)
				found = true;
			else
				s->stripped = true;
		}
	}
	closedir(d);
	return found;
}

struct vs_err *vs_mod_debug_file(const char *vmlinux, const char *release, const char *name, char *path,
				 size_t len)
{
	char dirs[3][4096];
	int n = 0;
	const char *slash = vmlinux ? strrchr(vmlinux, '/') : NULL;
	if (slash)
		snprintf(dirs[n++], sizeof(dirs[0]), "%.*s/../lib/modules/%s", (int)(slash - vmlinux), vmlinux, release);
	else if (vmlinux)
		snprintf(dirs[n++], sizeof(dirs[0]), "../lib/modules/%s", release);
	snprintf(dirs[n++], sizeof(dirs[0]), "/usr/lib/debug/lib/modules/%s", release);
	snprintf(dirs[n++], sizeof(dirs[0]), "/lib/modules/%s", release);
	struct search s = { .name = name, .path = path, .len = len };
	for (int i = 0; i < n; i++)
		if (walk(&s, dirs[i], 0))
			return NULL;
	return vs_err_new(VS_ERR_NOKEY, "no debug file of the loaded module %s (%s.ko with DWARF%s) in %s%s%s%s%s: "
			  "install linux-image-%s-dbg", name, name, s.stripped ? "; only stripped copies were found" : "",
			  dirs[0], n > 1 ? ", " : "", n > 1 ? dirs[1] : "", n > 2 ? " or " : "", n > 2 ? dirs[2] : "",
			  release);
}
