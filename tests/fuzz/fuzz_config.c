// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --config: the makedumpfile.conf(5) parser on any text.  Whatever it
 * accepts must be a well-formed command list (every loop has its variable,
 * list and at least one erase; every expression its parts).
 */
#include <stdlib.h>
#include <string.h>

#include "vmsift/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct vs_config *c)
{
	for (size_t i = 0; i < c->ncmds; i++) {
		const struct vs_cfg_cmd *cmd = &c->cmds[i];
		if (!cmd->section || !cmd->nerase || (cmd->loop != VS_CFG_NO_LOOP && (!cmd->var || !cmd->list.nparts)))
			abort();
		for (size_t j = 0; j < cmd->nerase; j++) {
			const struct vs_cfg_erase *e = &cmd->erase[j];
			if (!e->target.nparts || strlen(e->target.text) == 0)
				abort();
			if (e->size_kind == VS_CFG_SIZE_EXPR && !e->size_expr.nparts)
				abort();
			if (cmd->var && strcmp(e->target.parts[0], cmd->var) != 0)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_config *c;
	struct vs_err *err = vs_config_parse("fuzz.conf", (const char *)data, size, &c);
	if (err) {
		vs_err_free(err);
		return 0;
	}
	check(c);
	vs_config_free(c);
	return 0;
}
