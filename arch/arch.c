// SPDX-License-Identifier: GPL-2.0-or-later
#include "arch.h"

#include <elf.h>
#include <stddef.h>

static const struct vs_arch_ops *const arches[] = { &vs_arch_x86_64, &vs_arch_i386, &vs_arch_arm64,
						     &vs_arch_ppc64 };

/*
 * Machines vmsift cannot translate yet, listed so that their kernels'
 * VMCOREINFO is recognised on a dump that claims another machine.
 */
struct arch_id {
	const char *name;
	uint16_t elf_machine;
	const char *const *marks;
};

static const char *const s390x_marks[] = { "SYMBOL(lowcore_ptr)", "LENGTH(lowcore_ptr)", NULL };
static const char *const riscv64_marks[] = { "NUMBER(phys_ram_base)", "NUMBER(va_kernel_pa_offset)",
					     "NUMBER(KERNEL_LINK_ADDR)", NULL };

static const struct arch_id untranslated[] = {
	{ "s390x", EM_S390, s390x_marks },
	{ "riscv64", EM_RISCV, riscv64_marks },
};

#define NARCHES (sizeof(arches) / sizeof(arches[0]))
#define NIDS (NARCHES + sizeof(untranslated) / sizeof(untranslated[0]))

const struct vs_arch_ops *vs_arch_find(uint16_t elf_machine)
{
	for (size_t i = 0; i < NARCHES; i++)
		if (arches[i]->elf_machine == elf_machine)
			return arches[i];
	return NULL;
}

static struct arch_id id_at(size_t i)
{
	if (i < NARCHES)
		return (struct arch_id){ arches[i]->name, arches[i]->elf_machine, arches[i]->vmcoreinfo_marks };
	return untranslated[i - NARCHES];
}

static const char *machine_name(uint16_t elf_machine)
{
	for (size_t i = 0; i < NIDS; i++)
		if (id_at(i).elf_machine == elf_machine)
			return id_at(i).name;
	return "an unknown machine";
}

struct vs_err *vs_arch_check(uint16_t elf_machine, const struct vs_vmcoreinfo *vmci)
{
	for (size_t i = 0; vmci && i < NIDS; i++) {
		struct arch_id other = id_at(i);
		if (other.elf_machine == elf_machine || !other.marks)
			continue;
		for (const char *const *m = other.marks; *m; m++)
			if (vs_vmci_get(vmci, *m))
				return vs_err_new(VS_ERR_CORRUPT,
						  "the ELF header says %s (e_machine %u) but VMCOREINFO has %s, which only %s kernels export: the dump's architecture is ambiguous",
						  machine_name(elf_machine), elf_machine, *m, other.name);
	}
	return NULL;
}

uint16_t vs_arch_from_vmcoreinfo(const struct vs_vmcoreinfo *vmci)
{
	uint16_t found = EM_NONE;
	for (size_t i = 0; vmci && i < NIDS; i++) {
		struct arch_id id = id_at(i);
		for (const char *const *m = id.marks; m && *m; m++) {
			if (!vs_vmci_get(vmci, *m))
				continue;
			if (found != EM_NONE && found != id.elf_machine)
				return EM_NONE;  /* marks of two arches: say nothing */
			found = id.elf_machine;
		}
	}
	return found;
}
