// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/kernel.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "vmsift/kallsyms.h"

static struct vs_err *page_size_from(struct vs_kernel *k)
{
	uint64_t ps;
	struct vs_err *err = vs_vmci_dec(k->vmci, "PAGESIZE", &ps);
	if (err && err->code == VS_ERR_NOKEY && k->arch) {
		vs_err_free(err);
		k->page_shift = k->arch->page_shift;
		k->page_size = 1ull << k->page_shift;
		return NULL;
	}
	if (err && err->code == VS_ERR_NOKEY)
		return vs_err_wrap(err, "the page size is unknown for ELF machine %u (give -i VMCOREINFO)",
				   k->vc->machine);
	if (err)
		return err;
	if (ps < 1024 || ps > (1u << 20) || (ps & (ps - 1)))
		return vs_err_new(VS_ERR_CORRUPT, "VMCOREINFO: PAGESIZE=%llu is not a power of two between 1 KiB and 1 MiB",
				  (unsigned long long)ps);
	k->page_size = ps;
	k->page_shift = (unsigned)__builtin_ctzll(ps);
	return NULL;
}

static bool printable(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	if (len == n)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* A kdump-compressed input's header holds the utsname its producer read from memory. */
static bool uts_from_input(struct vs_kernel *k)
{
	struct vs_utsname u;
	if (!k->vc->input_uts)
		return false;
	memcpy(&u, k->vc->input_uts, sizeof(u));
	if (!printable(u.sysname, sizeof(u.sysname)) || !printable(u.release, sizeof(u.release)) ||
	    !printable(u.machine, sizeof(u.machine)) || !u.release[0])
		return false;
	k->uts = u;
	return true;
}

/*
 * init_uts_ns.name from memory, as makedumpfile does; else the input dump's
 * header (kdump input), else built from OSRELEASE and the arch.
 */
static void read_utsname(struct vs_kernel *k)
{
	uint64_t sym, off = 4;  /* name follows a kref (int) before OFFSET() was exported */
	struct vs_err *err = vs_vmci_symbol(k->vmci, "init_uts_ns", &sym);
	if (!err) {
		uint64_t o;
		struct vs_err *e2 = vs_vmci_offset(k->vmci, "uts_namespace.name", &o);
		if (!e2)
			off = o;
		vs_err_free(e2);
		struct vs_utsname u;
		err = vs_kernel_read_virt(k, sym + off, &u, sizeof(u));
		if (!err && printable(u.sysname, sizeof(u.sysname)) && printable(u.release, sizeof(u.release)) &&
		    printable(u.machine, sizeof(u.machine)) && u.machine[0]) {
			k->uts = u;
			k->uts_from_memory = true;
			return;
		}
	}
	vs_err_free(err);
	if (uts_from_input(k))
		return;
	memset(&k->uts, 0, sizeof(k->uts));
	snprintf(k->uts.sysname, sizeof(k->uts.sysname), "Linux");
	const char *rel = vs_vmci_get(k->vmci, "OSRELEASE");
	if (rel)
		snprintf(k->uts.release, sizeof(k->uts.release), "%s", rel);
	if (k->arch)
		snprintf(k->uts.machine, sizeof(k->uts.machine), "%s", k->arch->name);
}

struct vs_err *vs_kernel_init(struct vs_vmcore *vc, const struct vs_vmcoreinfo *vmci,
			      struct vs_kernel **out)
{
	struct vs_kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return vs_enomem;
	k->vc = vc;
	k->vmci = vmci;
	if (vc->machine == EM_NONE)
		vc->machine = vs_arch_from_vmcoreinfo(vmci);
	k->arch = vs_arch_find(vc->machine);
	k->big_endian = vc->big_endian != vc->mem_swapped;
	/* The arch knows its long size: an x86_64 kernel may be dumped with ELF32 headers. */
	k->long_size = k->arch ? k->arch->long_size : vc->elf_class == 1 ? 4 : 8;
	struct vs_err *err = vs_arch_check(vc->machine, vmci);
	if (!err)
		err = page_size_from(k);
	if (!err) {
		uint64_t t;
		bool found;
		err = vs_err_optional(vs_vmci_dec(vmci, "CRASHTIME", &t), &found);
		k->crashtime = found ? (int64_t)t : 0;
	}
	if (!err && k->arch)
		err = k->arch->init(k);
	if (err) {
		vs_kernel_free(k);
		return err;
	}
	read_utsname(k);
	*out = k;
	return NULL;
}

void vs_kernel_free(struct vs_kernel *k)
{
	if (!k)
		return;
	if (k->arch && k->arch->fini)
		k->arch->fini(k);
	vs_kallsyms_free(k->kallsyms);
	vs_err_free(k->kallsyms_err);
	free(k);
}

struct vs_err *vs_kernel_vtop(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr)
{
	return vs_kernel_vtop_span(k, vaddr, paddr, NULL);
}

struct vs_err *vs_kernel_vtop_span(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	if (!k->arch)
		return vs_err_new(VS_ERR_NOTSUP, "no address translation for ELF machine %u",
				  k->vc->machine);
	return k->arch->vtop(k, vaddr, paddr, span);
}

struct vs_err *vs_kernel_user_vtop(struct vs_kernel *k, uint64_t root, uint64_t vaddr, uint64_t *paddr)
{
	if (!k->arch || !k->arch->user_vtop)
		return vs_err_new(VS_ERR_NOTSUP, "walking a task's page tables is not implemented for %s dumps",
				  k->arch ? k->arch->name : "this machine's");
	return k->arch->user_vtop(k, root, vaddr, paddr);
}

bool vs_kernel_is_kernel_addr(const struct vs_kernel *k, uint64_t v)
{
	if (k->arch && k->arch->is_kernel_addr)
		return k->arch->is_kernel_addr(k, v);
	return v >> (k->long_size * 8 - 1) & 1;
}

uint64_t vs_kernel_untag(const struct vs_kernel *k, uint64_t v)
{
	return k->arch && k->arch->untag ? k->arch->untag(k, v) : v;
}

struct vs_err *vs_kernel_read_virt(struct vs_kernel *k, uint64_t vaddr, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		uint64_t paddr, span;
		struct vs_err *err = vs_kernel_vtop_span(k, vaddr, &paddr, &span);
		if (err)
			return err;
		size_t chunk = span < len ? (size_t)span : len;
		err = vs_vmcore_read_phys(k->vc, paddr, p, chunk);
		if (err)
			return err;
		p += chunk;
		vaddr += chunk;
		len -= chunk;
	}
	return NULL;
}

struct vs_err *vs_kernel_read_u16(struct vs_kernel *k, uint64_t vaddr, uint16_t *out)
{
	uint8_t b[2];
	struct vs_err *err = vs_kernel_read_virt(k, vaddr, b, sizeof(b));
	if (!err)
		*out = vs_kernel_ld16(k, b);
	return err;
}

struct vs_err *vs_kernel_read_u32(struct vs_kernel *k, uint64_t vaddr, uint32_t *out)
{
	uint8_t b[4];
	struct vs_err *err = vs_kernel_read_virt(k, vaddr, b, sizeof(b));
	if (!err)
		*out = vs_kernel_ld32(k, b);
	return err;
}

struct vs_err *vs_kernel_read_u64(struct vs_kernel *k, uint64_t vaddr, uint64_t *out)
{
	uint8_t b[8];
	struct vs_err *err = vs_kernel_read_virt(k, vaddr, b, sizeof(b));
	if (!err)
		*out = vs_kernel_ld64(k, b);
	return err;
}

struct vs_err *vs_kernel_read_long(struct vs_kernel *k, uint64_t vaddr, uint64_t *out)
{
	uint8_t b[8];
	struct vs_err *err = vs_kernel_read_virt(k, vaddr, b, k->long_size);
	if (!err)
		*out = vs_kernel_ld_long(k, b);
	return err;
}

struct vs_err *vs_kernel_read_ptr(struct vs_kernel *k, uint64_t vaddr, uint64_t *out)
{
	struct vs_err *err = vs_kernel_read_long(k, vaddr, out);
	if (!err)
		*out = vs_kernel_untag(k, *out);
	return err;
}
