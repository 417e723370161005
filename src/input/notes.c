// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PT_NOTE blob is copied verbatim into the dump; here it is only read:
 * NT_PRSTATUS notes give nr_cpus, and the VMCOREINFO note gives the kernel
 * layout.  Other notes (Xen, QEMU CPU state, device dumps) pass through.
 */
#include <elf.h>
#include <string.h>

#include "elf_priv.h"
#include "../util/bytes.h"

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

struct vs_err *vs_notes_scan(struct vs_vmcore *vc)
{
	size_t off = 0;
	const uint8_t *n = vc->notes;
	while (off + 12 <= vc->notes_size) {
		uint32_t namesz = vs_ld32(n + off, vc->big_endian);
		uint32_t descsz = vs_ld32(n + off + 4, vc->big_endian);
		uint32_t type = vs_ld32(n + off + 8, vc->big_endian);
		size_t name_off = off + 12;
		if (namesz == 0 && descsz == 0 && type == 0)
			break;  /* zero padding at the end of a PT_NOTE */
		if (namesz > vc->notes_size - name_off ||
		    align4(namesz) > vc->notes_size - name_off)
			return vs_err_new(VS_ERR_CORRUPT, "ELF note at PT_NOTE offset 0x%zx: name size %u overruns the segment",
					  off, namesz);
		size_t desc_off = name_off + align4(namesz);
		if (descsz > vc->notes_size - desc_off)
			return vs_err_new(VS_ERR_CORRUPT, "ELF note at PT_NOTE offset 0x%zx: descriptor size %u overruns the segment",
					  off, descsz);
		const char *name = (const char *)n + name_off;
		size_t nlen = namesz ? strnlen(name, namesz) : 0;
		if (type == NT_PRSTATUS && nlen == 4 && memcmp(name, "CORE", 4) == 0)
			vc->nr_cpus++;
		if (nlen == 10 && memcmp(name, "VMCOREINFO", 10) == 0 && !vc->vmcoreinfo) {
			vc->vmcoreinfo = (const char *)n + desc_off;
			vc->vmcoreinfo_size = descsz;
			vc->vmcoreinfo_offset = desc_off;
		}
		off = desc_off + align4(descsz);
		if (off < desc_off)
			break;
	}
	return NULL;
}
