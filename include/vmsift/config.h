// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --config FILE: the makedumpfile.conf(5) filter language, parsed.
 *
 *   [vmlinux] | [MODULE]                  section: whose symbols follow
 *   erase SYM[.member...]                 size from the DWARF type
 *   erase SYM[.member...] size N[K|M]     or size SYM[.member...] (a variable holding it)
 *   erase SYM[.member...] nullify         a pointer set to NULL
 *   for ID in ARRAY                       each element
 *   for ID in STRUCTVAR [via MEMBER]      a list linked through MEMBER (default "next")
 *   for ID in HEAD within STRUCT[:MEMBER] a list_head list of STRUCT (MEMBER default "list")
 *       erase ID[.member...] [size ...|nullify]
 *   endfor
 *
 * '#' starts a comment; commands may span lines.  Errors name the file, the
 * line and the token.
 */
#ifndef VMSIFT_CONFIG_H
#define VMSIFT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "vmsift/error.h"

#define VS_CFG_MAX_PARTS 16      /* components of SYM.member.member... */

/* SYM[.member...] as written (text) and split at the dots. */
struct vs_cfg_expr {
	char *text;
	char *parts[VS_CFG_MAX_PARTS];
	int nparts;
};

enum vs_cfg_size { VS_CFG_SIZE_TYPE, VS_CFG_SIZE_NUM, VS_CFG_SIZE_EXPR, VS_CFG_NULLIFY };

struct vs_cfg_erase {
	int line;
	struct vs_cfg_expr target;
	enum vs_cfg_size size_kind;
	uint64_t size;               /* VS_CFG_SIZE_NUM */
	struct vs_cfg_expr size_expr; /* VS_CFG_SIZE_EXPR */
};

enum vs_cfg_loop { VS_CFG_NO_LOOP, VS_CFG_LOOP_PLAIN, VS_CFG_LOOP_VIA, VS_CFG_LOOP_WITHIN };

struct vs_cfg_cmd {
	int line;
	char *section;               /* "vmlinux" or a module's name */
	enum vs_cfg_loop loop;
	/* A loop: for var in list [via via_member | within within_struct:within_member] */
	char *var;
	struct vs_cfg_expr list;
	char *via_member, *within_struct, *within_member;
	struct vs_cfg_erase *erase;  /* one without a loop; the body of a loop */
	size_t nerase;
};

struct vs_config {
	char *path;
	struct vs_cfg_cmd *cmds;
	size_t ncmds;
};

/* Parses text (len bytes, not necessarily NUL-terminated); path is for messages. */
struct vs_err *vs_config_parse(const char *path, const char *text, size_t len, struct vs_config **out);
/* Reads and parses a file (at most 16 MiB). */
struct vs_err *vs_config_load(const char *path, struct vs_config **out);
void vs_config_free(struct vs_config *c);

struct vs_debuginfo;
struct vs_kernel;
struct vs_erase;
/*
 * Resolves every command through the vmlinux's DWARF and the dump's memory
 * into objects of e (pointers followed, arrays bounded by their DWARF
 * length, lists guarded against cycles).  kaslr_offset moves the symbols of
 * the kernel image.  An unknown symbol or member, a type that does not fit
 * the command, or memory that cannot be read is an error naming the file
 * and line; a NULL pointer on the way erases nothing.  A [MODULE] section
 * is skipped when the dump's modules list does not hold MODULE (its names
 * go into skipped, comma-separated); when it does, the module's debug file
 * (found beside the vmlinux's -dbg tree, see module_dump.h) is relocated
 * to where the dump loaded the module, and its symbols and types are
 * searched before the vmlinux's.  A debug file of another build (vermagic
 * release or build-id) is refused naming both.
 */
struct vs_err *vs_config_resolve(const struct vs_config *c, struct vs_debuginfo *di, struct vs_kernel *k,
				 uint64_t kaslr_offset, struct vs_erase *e, char *skipped, size_t skipped_len);

#endif
