// SPDX-License-Identifier: GPL-2.0-or-later
#include "arch.h"

#include <elf.h>
#include <stddef.h>

static const struct vs_arch_ops *const arches[] = { &vs_arch_x86_64, &vs_arch_i386, &vs_arch_arm64,
						   &vs_arch_riscv64, &vs_arch_s390x, &vs_arch_ppc64 };

#define NARCHES (sizeof(arches) / sizeof(arches[0]))

const struct vs_arch_ops *vs_arch_find(uint16_t elf_machine)
{
	for (size_t i = 0; i < NARCHES; i++)
		if (arches[i]->elf_machine == elf_machine)
			return arches[i];
	return NULL;
}

static const char *machine_name(uint16_t elf_machine)
{
	const struct vs_arch_ops *a = vs_arch_find(elf_machine);
	if (a)
		return a->name;
	return "an unknown machine";
}

struct vs_err *vs_arch_check(uint16_t elf_machine, const struct vs_vmcoreinfo *vmci)
{
	for (size_t i = 0; vmci && i < NARCHES; i++) {
		const struct vs_arch_ops *other = arches[i];
		if (other->elf_machine == elf_machine || !other->vmcoreinfo_marks)
			continue;
		for (const char *const *m = other->vmcoreinfo_marks; *m; m++)
			if (vs_vmci_get(vmci, *m))
				return vs_err_new(VS_ERR_CORRUPT,
						  "the ELF header says %s (e_machine %u) but VMCOREINFO has %s, which only %s kernels export: the dump's architecture is ambiguous",
						  machine_name(elf_machine), elf_machine, *m, other->name);
	}
	return NULL;
}

uint16_t vs_arch_from_vmcoreinfo(const struct vs_vmcoreinfo *vmci)
{
	uint16_t found = EM_NONE;
	for (size_t i = 0; vmci && i < NARCHES; i++) {
		const struct vs_arch_ops *a = arches[i];
		for (const char *const *m = a->vmcoreinfo_marks; m && *m; m++) {
			if (!vs_vmci_get(vmci, *m))
				continue;
			if (found != EM_NONE && found != a->elf_machine)
				return EM_NONE;  /* marks of two arches: say nothing */
			found = a->elf_machine;
		}
	}
	return found;
}
