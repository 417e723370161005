// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A miniature kernel with data to erase (tests/cases/core-config.sh): a
 * global struct, members through pointers, strings, an array of structs, an
 * array of pointers with a NULL slot, a list linked through "next" and a
 * list_head list, plus the struct module / modules list makedumpfile 1.7.2
 * walks before any --config, and where its module mod1 (erase-module.c) was
 * loaded: the sect_attrs table vmsift reads for a [mod1] section.  Linked at the generated cores' kernel-image
 * address; core-config.sh copies its .data into a core of mkvmcore:
 *   gcc -g -O0 -nostdlib -static -fno-pic -no-pie -mcmodel=kernel
 *       -Wl,-Ttext=0xffffffff81000000 -Wl,--defsym=_text=0xffffffff81000000
 */
struct list_head { struct list_head *next, *prev; };
struct new_utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; };
struct uts_namespace { struct new_utsname name; };

struct secret {
	char key[32];
	long key_size;
	void *blob;
	char *name;
	struct secret *next;
	struct list_head list;
	unsigned short tag;
};

/* Where a module's sections were loaded, by the 5.8+ member names. */
struct attribute { const char *name; };
struct bin_attribute { struct attribute attr; };
struct module_sect_attr { struct bin_attribute battr; unsigned long address; };
struct module_sect_attrs { unsigned int nsections; struct module_sect_attr attrs[2]; };

/* What makedumpfile 1.7.2 reads of a module (the pre-4.5 member names), and sect_attrs. */
struct module {
	struct list_head list;
	char name[56];
	void *module_init, *module_core;
	unsigned int init_size, core_size;
	void *symtab;
	unsigned int num_symtab;
	char *strtab;
	struct module_sect_attrs *sect_attrs;
};

struct uts_namespace init_uts_ns = { { "Linux", "vmsift-synthetic", "6.1.0-synthetic", "#1", "x86_64", "(none)" } };

/* A module core: an ELF64 symbol table of two entries and its strings. */
unsigned long mod_core[16] = { 0, 0, 0, 1 | (0x11ul << 32), 0xffffffff81000000ul, 8 };
char mod_strtab[16] = "\0mod_sym";
/* mod1's loaded .data (erase-module.c's, 1 KiB is ample) and its build-id note (id 1..20). */
struct mod_mem {
	char data[1024];
	unsigned int note[3];
	char owner[4];
	unsigned char id[20];
} mod1_mem = { "mod1 .data as loaded", { 4, 20, 3 }, "GNU",
	       { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 } };
struct module_sect_attrs mod1_sect_attrs = { 2, { { { ".data" }, (unsigned long)mod1_mem.data },
						 { { ".note.gnu.build-id" }, (unsigned long)mod1_mem.note } } };
struct module mod1;
struct list_head modules = { &mod1.list, &mod1.list };
struct module mod1 = { { &modules, &modules }, "mod1", mod1_mem.data, mod_core, sizeof(mod1_mem), sizeof(mod_core),
		       mod_core, 2, (char *)mod_core + 48, &mod1_sect_attrs };

char blob_a[48] = "blob-a blob-a blob-a blob-a blob-a blob-a blob";
long blob_a_size = 24;
struct secret s_global = { "global-key-0123456789abcdef", 27, blob_a, "global-name", 0, { 0, 0 }, 7 };
char hostname_str[24] = "host.example.org";
char *hostname = hostname_str;
struct secret s_target = { "target-key", 10, 0, "target", 0, { 0, 0 }, 1 };
struct secret *s_ptr = &s_target;
struct secret *s_null;

struct secret s_array[4] = {
	{ "array-key-0", 11, 0, "a0", 0, { 0, 0 }, 10 }, { "array-key-1", 11, 0, "a1", 0, { 0, 0 }, 11 },
	{ "array-key-2", 11, 0, "a2", 0, { 0, 0 }, 12 }, { "array-key-3", 11, 0, "a3", 0, { 0, 0 }, 13 },
};
char p0_name[8] = "p0", p2_name[8] = "p2";
struct secret p0 = { "ptr-key-0", 9, 0, p0_name, 0, { 0, 0 }, 20 }, p2 = { "ptr-key-2", 9, 0, p2_name, 0, { 0, 0 }, 22 };
struct secret *s_ptrs[3] = { &p0, 0, &p2 };

struct secret c3 = { "chain-key-3", 11, 0, "c3", 0, { 0, 0 }, 33 };
struct secret c2 = { "chain-key-2", 11, 0, "c2", &c3, { 0, 0 }, 32 };
struct secret c1 = { "chain-key-1", 11, 0, "c1", &c2, { 0, 0 }, 31 };
struct secret *s_chain = &c1;

extern struct list_head s_list;
struct secret l1, l2;
struct secret l1 = { "list-key-1", 10, 0, "l1", 0, { &l2.list, &s_list }, 41 };
struct secret l2 = { "list-key-2", 10, 0, "l2", 0, { &s_list, &l1.list }, 42 };
struct list_head s_list = { &l1.list, &l2.list };

/* A list whose last node points back into its middle: not at its start. */
struct secret cy3;
struct secret cy2 = { "cycle-key-2", 11, 0, "cy2", &cy3, { 0, 0 }, 52 };
struct secret cy3 = { "cycle-key-3", 11, 0, "cy3", &cy2, { 0, 0 }, 53 };
struct secret cy1 = { "cycle-key-1", 11, 0, "cy1", &cy2, { 0, 0 }, 51 };
struct secret *s_cycle = &cy1;

/* A function pointer: erasing it without a size would erase code. */
int handler(void);
struct ops { int (*fn)(void); long count; } s_ops = { handler, 5 };

int handler(void) { return 0; }
void _start(void) { for (;;) ; }
