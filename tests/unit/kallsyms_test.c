// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources: src/kernel/kallsyms.c src/kernel/kallsyms_kaddr.c src/kernel/kallsyms_lookup.c src/kernel/kallsyms_walk.c src/kernel/vmcoreinfo.c src/util/error.c
/*
 * The dump's kallsyms reader on a table built here, in a fake kernel memory
 * whose reads are counted: several names in one call cost one pass over the
 * name stream (a name absent, a name twice, a name that is a prefix of
 * another, aliases, the last symbol's gap 0, a two-byte token count); a
 * second call is one more pass; a corrupt table (a token count running past
 * the stream, a token index past the token table, more symbols than the
 * stream or the address table holds) is refused with a clear error after
 * bounded reading, and randomly damaged tables are read within bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmsift/kallsyms.h"
#include "../gen/ktokens.h"

#define MEM_SIZE (1u << 20)
#define MEM_VA 0xffff800000000000ull
#define KBASE 0xffffffff80000000ull      /* kallsyms_relative_base; symbols sit above */
#define OFF_BASE 0x1000u
#define OFF_NUM 0x1008u
#define OFF_OFFSETS 0x2000u
#define OFF_NAMES 0x10000u
#define OFF_TTABLE 0x12000u         /* right after the names: their room is 8 KiB */
#define OFF_TINDEX 0x13000u

static uint8_t mem[MEM_SIZE];
static unsigned long long bytes_read, name_passes;
static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

/* The fake kernel: one flat range of memory at MEM_VA, physical = offset. */
struct vs_err *vs_kernel_read_virt(struct vs_kernel *k, uint64_t vaddr, void *buf, size_t len)
{
	(void)k;
	if (vaddr < MEM_VA || vaddr - MEM_VA > MEM_SIZE || len > MEM_SIZE - (vaddr - MEM_VA))
		return vs_err_new(VS_ERR_CORRUPT, "0x%llx is not in the fake memory", (unsigned long long)vaddr);
	memcpy(buf, mem + (vaddr - MEM_VA), len);
	bytes_read += len;
	return NULL;
}

struct vs_err *vs_kernel_read_u32(struct vs_kernel *k, uint64_t vaddr, uint32_t *out)
{
	uint8_t b[4];
	struct vs_err *err = vs_kernel_read_virt(k, vaddr, b, 4);
	if (!err)
		*out = vs_kernel_ld32(k, b);
	return err;
}

struct vs_err *vs_kernel_read_long(struct vs_kernel *k, uint64_t vaddr, uint64_t *out)
{
	uint8_t b[8];
	struct vs_err *err = vs_kernel_read_virt(k, vaddr, b, 8);
	if (!err)
		*out = vs_kernel_ld64(k, b);
	return err;
}

struct vs_err *vs_kernel_vtop_span(struct vs_kernel *k, uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	(void)k;
	if (vaddr < MEM_VA || vaddr - MEM_VA >= MEM_SIZE)
		return vs_err_new(VS_ERR_CORRUPT, "0x%llx is not in the fake memory", (unsigned long long)vaddr);
	*paddr = vaddr - MEM_VA;
	*span = MEM_SIZE - *paddr;
	return NULL;
}

struct vs_err *vs_vmcore_map_phys(struct vs_vmcore *vc, uint64_t paddr, size_t len, void *buf, const uint8_t **data)
{
	(void)vc, (void)buf;
	if (paddr > MEM_SIZE || len > MEM_SIZE - paddr)
		return vs_err_new(VS_ERR_CORRUPT, "physical 0x%llx is not in the fake memory", (unsigned long long)paddr);
	name_passes += paddr == OFF_NAMES;
	bytes_read += len;
	*data = mem + paddr;
	return NULL;
}

/* The tokens: printable characters stand for themselves; a few longer ones, one with the type letter. */
static const char *const multi[] = { "node_", "gen_fn_", "Dnode_", "_sym", "_map" };
#define NMULTI (sizeof(multi) / sizeof(multi[0]))

static void token_of(int i, char *out)
{
	ktok_text(multi, NMULTI, i, out);
}

static size_t encode(char type, const char *name, uint8_t *out)
{
	return ktok_encode(multi, NMULTI, type, name, out);
}

struct sym {
	const char *name;
	char type;
	uint32_t off;  /* from KBASE */
};

static char big[256];
static char filler[200][24];
static struct sym syms[260];
static size_t nsyms;
static size_t names_end;   /* stream bytes */
static size_t big_at;      /* stream offset of the two-byte count */

static void put32(size_t at, uint32_t v)
{
	memcpy(mem + at, &v, 4);
}

static void build(void)
{
	size_t n = 0, w = OFF_NAMES;
	syms[n++] = (struct sym){ "_text", 'T', 0x1000 };
	syms[n++] = (struct sym){ "_stext", 'T', 0x1000 };
	for (int i = 0; i < 200; i++) {
		snprintf(filler[i], sizeof(filler[i]), "gen_fn_%03d", i);
		syms[n++] = (struct sym){ filler[i], 't', 0x2000 + 0x100 * (uint32_t)i };
	}
	memset(big, 'x', 200);
	strcpy(big + 200, "_big");
	syms[n++] = (struct sym){ "dup_sym", 'd', 0x40000 };
	syms[n++] = (struct sym){ "node_data_x", 'D', 0x41000 };
	syms[n++] = (struct sym){ "node_data", 'D', 0x42000 };
	syms[n++] = (struct sym){ "init_uts_ns", 'D', 0x43000 };
	syms[n++] = (struct sym){ "swapper_pg_dir", 'D', 0x44000 };
	syms[n++] = (struct sym){ "dup_sym", 'b', 0x45000 };
	syms[n++] = (struct sym){ "node_online_map", 'D', 0x46000 };
	syms[n++] = (struct sym){ big, 't', 0x46100 };
	syms[n++] = (struct sym){ "last_a", 'B', 0x48000 };
	syms[n++] = (struct sym){ "last_sym", 'B', 0x48000 };
	nsyms = n;
	memset(mem, 0, sizeof(mem));
	uint64_t base = KBASE;
	memcpy(mem + OFF_BASE, &base, 8);
	put32(OFF_NUM, (uint32_t)n);
	for (size_t i = 0, at = 0; i < 256; i++) {
		char t[16];
		uint16_t a = (uint16_t)at;
		token_of((int)i, t);
		memcpy(mem + OFF_TINDEX + 2 * i, &a, 2);
		memcpy(mem + OFF_TTABLE + at, t, strlen(t) + 1);
		at += strlen(t) + 1;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t tok[512];
		size_t cnt = encode(syms[i].type, syms[i].name, tok);
		put32(OFF_OFFSETS + 4 * i, syms[i].off);
		if (cnt > 0x7f) {
			big_at = w - OFF_NAMES;
			mem[w++] = (uint8_t)(0x80 | (cnt & 0x7f));
			mem[w++] = (uint8_t)(cnt >> 7);
		} else {
			mem[w++] = (uint8_t)cnt;
		}
		memcpy(mem + w, tok, cnt);
		w += cnt;
	}
	names_end = w - OFF_NAMES;
}

static struct vs_vmcoreinfo *vmci(uint64_t uts)
{
	char text[2048];
	int len = snprintf(text, sizeof(text),
			   "OSRELEASE=6.12.0\nSYMBOL(kallsyms_names)=%llx\nSYMBOL(kallsyms_num_syms)=%llx\n"
			   "SYMBOL(kallsyms_token_table)=%llx\nSYMBOL(kallsyms_token_index)=%llx\n"
			   "SYMBOL(kallsyms_offsets)=%llx\nSYMBOL(kallsyms_relative_base)=%llx\n"
			   "SYMBOL(init_uts_ns)=%llx\nSYMBOL(swapper_pg_dir)=%llx\nSYMBOL(_stext)=%llx\n"
			   "SYMBOL(vmemmap)=fffffe0000000000\nSYMBOL(mem_section)=ffff000012345000\n"
			   "SYMBOL(init_top_pgt)=%llx\n",
			   MEM_VA + OFF_NAMES, MEM_VA + OFF_NUM, MEM_VA + OFF_TTABLE, MEM_VA + OFF_TINDEX,
			   MEM_VA + OFF_OFFSETS, MEM_VA + OFF_BASE, (unsigned long long)uts, KBASE + 0x44000,
			   KBASE + 0x1000, KBASE + 0x44000);
	struct vs_vmcoreinfo *vi = NULL;
	struct vs_err *err = vs_vmci_parse(text, (size_t)len, &vi);
	if (err) {
		printf("not ok - VMCOREINFO: %s\n", err->msg);
		exit(1);
	}
	return vi;
}

static void kernel_init(struct vs_kernel *k, struct vs_vmcoreinfo *vi)
{
	memset(k, 0, sizeof(*k));
	k->vmci = vi;
	k->long_size = 8;
	k->page_size = 4096;
	k->page_shift = 12;
	bytes_read = name_passes = 0;
}

static void kernel_done(struct vs_kernel *k, struct vs_vmcoreinfo *vi)
{
	vs_kallsyms_free(k->kallsyms);
	vs_err_free(k->kallsyms_err);
	vs_vmci_free(vi);
}

static void test_batch(void)
{
	static const char *const names[] = { "node_data", "no_such_symbol", "init_uts_ns", "dup_sym",
					     "last_sym", "gen_fn_007", "node_", "last_a", big };
	enum { N = sizeof(names) / sizeof(names[0]) };
	uint64_t addrs[N], gaps[N];
	struct vs_kernel k;
	struct vs_vmcoreinfo *vi = vmci(KBASE + 0x43000);
	kernel_init(&k, vi);
	struct vs_err *err = vs_kernel_symbols(&k, names, N, addrs, gaps);
	expect(!err, "batch: no error");
	if (err) {
		printf("#   %s\n", err->msg);
		vs_err_free(err);
		kernel_done(&k, vi);
		return;
	}
	expect(vs_kallsyms_count(k.kallsyms) == nsyms, "batch: every symbol counted");
	expect(vs_kallsyms_verified(k.kallsyms) == 3, "batch: init_uts_ns, swapper_pg_dir and _stext agree");
	expect(addrs[0] == KBASE + 0x42000 && gaps[0] == 0x1000,
	       "batch: node_data, after node_data_x that it is a prefix of, with its gap");
	expect(addrs[1] == 0 && gaps[1] == 0, "batch: an absent name is 0");
	expect(addrs[2] == KBASE + 0x43000 && gaps[2] == 0, "batch: a name VMCOREINFO exports comes from there, gap 0");
	expect(addrs[3] == KBASE + 0x40000 && gaps[3] == 0x1000, "batch: a name twice: the first one");
	expect(addrs[4] == KBASE + 0x48000 && gaps[4] == 0, "batch: the last symbol: gap 0");
	expect(addrs[5] == KBASE + 0x2700 && gaps[5] == 0x100, "batch: gen_fn_007");
	expect(addrs[6] == 0, "batch: a prefix of names is no name");
	expect(addrs[7] == KBASE + 0x48000 && gaps[7] == 0, "batch: an alias of the last symbol: gap 0 too");
	expect(addrs[8] == KBASE + 0x46100 && gaps[8] == 0x1f00, "batch: a 204-character name (two-byte count)");
	expect(name_passes == 1, "batch: checking the table (one SYMBOL() an alias of another, "
				 "as x86_64's init_top_pgt and swapper_pg_dir) and finding 8 names took one pass over the stream");
	printf("#   read %llu bytes for a %zu-byte stream\n", bytes_read, names_end);
	expect(bytes_read < (OFF_TTABLE - OFF_NAMES) + 32768, "batch: the stream's room read once, the rest under 32 KiB");

	uint64_t a, g;
	name_passes = 0;
	err = vs_kernel_symbol(&k, "node_online_map", &a, &g);
	expect(!err && a == KBASE + 0x46000 && g == 0x100 && name_passes == 1,
	       "a later lookup: one more pass, the right address and gap");
	vs_err_free(err);
	err = vs_kernel_symbol(&k, "gen_fn_", &a, &g);
	expect(err && err->code == VS_ERR_NOKEY && strstr(err->msg, "no symbol gen_fn_"),
	       "vs_kernel_symbol of an absent name: VS_ERR_NOKEY naming it");
	vs_err_free(err);
	kernel_done(&k, vi);
}

/* Loads the table (damaged by the caller) and returns the error vs_kernel_symbol gives. */
static struct vs_err *load_damaged(uint64_t uts)
{
	struct vs_kernel k;
	struct vs_vmcoreinfo *vi = vmci(uts);
	uint64_t a, g;
	kernel_init(&k, vi);
	struct vs_err *err = vs_kernel_symbol(&k, "node_data", &a, &g);
	kernel_done(&k, vi);
	if (err)
		printf("#   %s (%llu bytes read)\n", err->msg, bytes_read);
	return err;
}

static void test_corrupt(void)
{
	struct vs_err *err;

	build();
	mem[OFF_NAMES + big_at] = 0xff;  /* 32767 tokens: past the stream's 8 KiB room */
	mem[OFF_NAMES + big_at + 1] = 0xff;
	err = load_damaged(KBASE + 0x43000);
	expect(err && strstr(err->msg, "past the table's end") && strstr(err->msg, "kallsyms_names"),
	       "a token count past the stream: refused, naming kallsyms_names and its end");
	expect(bytes_read < 128u << 10, "... after reading less than 128 KiB");
	vs_err_free(err);

	build();
	uint16_t wild = 0xfff0;
	memcpy(mem + OFF_TINDEX + 2 * 'q', &wild, 2);
	err = load_damaged(KBASE + 0x43000);
	expect(err && strstr(err->msg, "kallsyms_token_index"),
	       "a token index past the token table: refused, naming kallsyms_token_index");
	vs_err_free(err);

	build();
	put32(OFF_NUM, 1u << 22);  /* more symbols than the address table has room for */
	err = load_damaged(KBASE + 0x43000);
	expect(err && strstr(err->msg, "kallsyms_offsets has room for"),
	       "4M symbols claimed, the address table has room for 14336: refused before any walk");
	expect(bytes_read < 4096, "... after reading the counts and tokens only");
	vs_err_free(err);

	build();
	put32(OFF_NUM, 14000);  /* room for the addresses, but garbage after the names */
	memset(mem + OFF_NAMES + names_end, 0x7f, OFF_TTABLE - OFF_NAMES - names_end);
	err = load_damaged(KBASE + 0x43000);
	expect(err && strstr(err->msg, "past the table's end"),
	       "14000 symbols claimed, 213 there and garbage after: refused at the stream's end");
	expect(bytes_read < 128u << 10, "... after reading less than 128 KiB");
	vs_err_free(err);

	build();
	err = load_damaged(KBASE + 0x43000 + 4096);
	expect(err && strstr(err->msg, "kallsyms says init_uts_ns is at 0x") &&
		       strstr(err->msg, "VMCOREINFO says 0x"),
	       "a table that disagrees with VMCOREINFO: not trusted, naming the symbol");
	vs_err_free(err);
}

/*
 * Random damage (a fixed seed): bytes of the name stream, the token tables,
 * the address table and the count overwritten.  Every load ends (under
 * ASan/UBSan in the test suite) and reads a bounded amount, whatever it says.
 */
static void test_damage(void)
{
	static const struct {
		size_t at, len;
	} areas[] = { { OFF_NAMES, 0x2000 }, { OFF_TTABLE, 0x400 }, { OFF_TINDEX, 512 }, { OFF_OFFSETS, 0x400 },
		      { OFF_NUM, 4 } };
	unsigned long long most = 0;
	unsigned seed = 12, refused = 0;
	for (int run = 0; run < 400; run++) {
		build();
		for (int k = 0; k < 1 + run % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t a = (seed >> 8) % (sizeof(areas) / sizeof(areas[0]));
			seed = seed * 1103515245u + 12345u;
			mem[areas[a].at + (seed >> 8) % areas[a].len] = (uint8_t)(seed >> 24);
		}
		struct vs_kernel k;
		struct vs_vmcoreinfo *vi = vmci(KBASE + 0x43000);
		uint64_t a, g;
		kernel_init(&k, vi);
		struct vs_err *err = vs_kernel_symbol(&k, "node_data", &a, &g);
		refused += err != NULL;
		vs_err_free(err);
		kernel_done(&k, vi);
		if (bytes_read > most)
			most = bytes_read;
	}
	printf("#   400 damaged tables: %u refused or without node_data, at most %llu bytes read\n", refused, most);
	expect(most < 256u << 10, "400 randomly damaged tables: each load ends after reading under 256 KiB");
}

int main(void)
{
	build();
	test_batch();
	test_corrupt();
	test_damage();
	return failed;
}
