// SPDX-License-Identifier: GPL-2.0-or-later
#include "arch.h"

#include <stddef.h>

static const struct vs_arch_ops *const arches[] = { &vs_arch_x86_64, &vs_arch_i386 };

const struct vs_arch_ops *vs_arch_find(uint16_t elf_machine)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i]->elf_machine == elf_machine)
			return arches[i];
	return NULL;
}
