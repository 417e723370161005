// SPDX-License-Identifier: GPL-2.0-or-later
/* A loaded module as the dump holds it: its struct module, memory and section addresses. */
#ifndef VMSIFT_DEBUGINFO_MODULE_DUMP_H
#define VMSIFT_DEBUGINFO_MODULE_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsift/debuginfo.h"

struct vs_kernel;

#define VS_MOD_MAX_REGIONS 8     /* MOD_MEM_NUM_TYPES is 7 (6.4+) */
#define VS_MOD_MAX_SECTIONS 4096 /* sect_attrs entries believed */

struct vs_mod_dump {
	uint64_t addr;                                        /* struct module */
	struct { uint64_t base, size; } region[VS_MOD_MAX_REGIONS];
	unsigned nregion;
	struct vs_di_section *sec;                            /* malloc'ed */
	size_t nsec;
	char build_id[2 * 64 + 1];  /* its .note.gnu.build-id in the dump, "" if not loaded */
};

/*
 * Finds the module called name in the dump's modules list (bounded, a cycle
 * is an error); *addr 0 when it is not there.  vml is the vmlinux's debug
 * information (struct module's layout), kaslr moves its symbols.
 */
struct vs_err *vs_mod_find(struct vs_debuginfo *vml, struct vs_kernel *k, uint64_t kaslr, const char *name,
			   uint64_t *addr);

/* Reads the module at addr: its memory regions, its sections (sect_attrs) and its build-id. */
struct vs_err *vs_mod_read(struct vs_debuginfo *vml, struct vs_kernel *k, uint64_t addr, struct vs_mod_dump *m);
void vs_mod_free(struct vs_mod_dump *m);

/*
 * The module's debug file: NAME.ko (or .ko.debug; '-' and '_' alike) under
 * DIR/../lib/modules/RELEASE for a vmlinux at DIR/vmlinux-RELEASE (the -dbg
 * package's /usr/lib/debug/boot), else /usr/lib/debug/lib/modules/RELEASE,
 * else /lib/modules/RELEASE (a module built with its debug information), as
 * makedumpfile finds it.  The first file with DWARF wins.
 */
struct vs_err *vs_mod_debug_file(const char *vmlinux, const char *release, const char *name, char *path,
				 size_t len);

#endif
