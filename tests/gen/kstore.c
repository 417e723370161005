// SPDX-License-Identifier: GPL-2.0-or-later
// In-memory store of the physical pages that hold kernel structures
// (page tables, mem_section, pglist_data, init_uts_ns ...), plus the
// address helpers and the early ("memblock") allocator that places them.
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

struct slot {
	uint64_t pfn;                    /* pfn + 1; 0 = empty */
	uint8_t *page;
};

static struct slot *tab;
static size_t cap, used;
static uint64_t *order_pfns;             /* insertion order, for listing */

static size_t slot_of(uint64_t pfn)
{
	size_t i = mix64(pfn) & (cap - 1);

	while (tab[i].pfn && tab[i].pfn != pfn + 1)
		i = (i + 1) & (cap - 1);
	return i;
}

static void grow(void)
{
	struct slot *old = tab;
	size_t oldcap = cap;

	cap = cap ? cap * 2 : 1024;
	tab = xcalloc(cap, sizeof(*tab));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].pfn)
			tab[slot_of(old[i].pfn - 1)] = old[i];
	free(old);
	order_pfns = xrealloc(order_pfns, cap, sizeof(*order_pfns));
}

uint8_t *kpage(uint64_t pfn)
{
	size_t i;

	if ((used + 1) * 2 > cap)
		grow();
	i = slot_of(pfn);
	if (!tab[i].pfn) {
		tab[i].pfn = pfn + 1;
		tab[i].page = xcalloc(1, PAGE_SIZE);
		order_pfns[used++] = pfn;
	}
	return tab[i].page;
}

const uint8_t *kpage_get(uint64_t pfn)
{
	size_t i;

	if (!cap)
		return NULL;
	i = slot_of(pfn);
	return tab[i].pfn ? tab[i].page : NULL;
}

void kstore_free(void)
{
	for (size_t i = 0; i < cap; i++)
		free(tab[i].page);
	free(tab);
	free(order_pfns);
	tab = NULL;
	order_pfns = NULL;
	cap = used = 0;
}

size_t kstore_count(void)
{
	return used;
}

uint64_t kstore_pfn_at(size_t i)
{
	return order_pfns[i];
}

/* Copy len bytes to physical address phys (may cross pages). */
void kstore_put(uint64_t phys, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		uint64_t off = phys & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? (size_t)(PAGE_SIZE - off) : len;

		memcpy(kpage(phys >> PAGE_SHIFT) + off, p, n);
		phys += n;
		p += n;
		len -= n;
	}
}

void kstore_put64(uint64_t phys, uint64_t v)
{
	uint8_t b[8];

	st64(b, v);
	kstore_put(phys, b, sizeof(b));
}

void kstore_put32(uint64_t phys, uint32_t v)
{
	uint8_t b[4];

	st32(b, v);
	kstore_put(phys, b, sizeof(b));
}

void kstore_put16(uint64_t phys, uint16_t v)
{
	uint8_t b[2];

	st16(b, v);
	kstore_put(phys, b, sizeof(b));
}

uint64_t kdata_alloc(struct machine *m, uint64_t size, uint64_t align)
{
	uint64_t p = round_up(m->kdata_next, align);

	if (p + size > m->kdata_phys + m->kdata_size)
		die("early allocation area exhausted");
	m->kdata_next = p + size;
	return p;
}

/* Direct-map (linear-map) virtual address of phys. */
uint64_t dmap(const struct machine *m, uint64_t phys)
{
	return m->arch->dmap(m, phys);
}

/* The physical address of a direct-map (linear-map) address. */
uint64_t dmap_pa(const struct machine *m, uint64_t va)
{
	return va - dmap(m, m->ram[0].start) + m->ram[0].start;
}

/* Kernel-image virtual address of offset off from _text. */
uint64_t kimg_va(const struct machine *m, uint64_t off)
{
	return m->arch->kimg_va(m, off);
}

uint64_t kimg_pa(const struct machine *m, uint64_t va)
{
	return m->arch->kimg_pa(m, va);
}
