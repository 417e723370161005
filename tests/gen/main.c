// SPDX-License-Identifier: GPL-2.0-or-later
// mkvmcore: write a synthetic x86_64 or arm64 ELF vmcore (like
// /proc/vmcore of a Linux 6.1 or 6.12 kernel) and, optionally, its ground
// truth.
// See tests/gen/README.md.
#include <stdio.h>

#include "mkvmcore.h"

static void write_dmesg(const struct machine *m, const char *path, int with_caller)
{
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	if (!f)
		die("cannot create %s", path);
	printk_expected(m, f, with_caller);
	if (fclose(f))
		die("write error on %s", path);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct machine m = { 0 };

	opts_parse(&o, argc, argv);
	if (o.elf32) {
		elf32_write(&o);
		if (o.truth)
			truth_write_elf32(&o);
		return 0;
	}
	m.o = &o;
	m.arch = o.arch == A_ARM64 ? &arch_arm64 : o.arch == A_RISCV64 ? &arch_riscv64 :
		 o.arch == A_S390X ? &arch_s390x : &arch_x86_64;
	g_big_endian = o.arch == A_S390X || (o.arch == A_PPC64 && o.ppc64_be);
	if (o.arch == A_PPC64)
		m.arch = o.ppc64_be ? &arch_ppc64be : &arch_ppc64;
	geom_set(&o);
	layout_build(&m);
	mix_build(&m);
	m.arch->pgt_build(&m);
	kstruct_build(&m);
	if (o.user_task)
		usertask_build(&m);
	printk_build(&m);
	kallsyms_build(&m);
	bait_plan(&m);
	elf64_write(&m);
	if (o.truth)
		truth_write(&m);
	write_dmesg(&m, o.dmesg, 0);
	write_dmesg(&m, o.dmesg_caller, 1);
	machine_free(&m);
	return 0;
}
