// SPDX-License-Identifier: GPL-2.0-or-later
// Command-line parsing for mkvmcore.
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

const char *const kind_names[K_NKINDS] = {
	"kernel", "slab", "pagetable", "zero", "cache", "cache_private",
	"swapcache", "anon", "thp", "hugetlb", "filethp", "free",
	"hwpoison", "offline", "zfs_arc",
};

/* Default page mix (percent of the RAM left after the kernel's own
 * reservations): a busy small machine with something of every kind. */
static const double default_mix[K_NKINDS] = {
	[K_KERNEL] = 8, [K_SLAB] = 4, [K_PGTABLE] = 1, [K_ZERO] = 3,
	[K_CACHE] = 18, [K_CACHE_PRIV] = 5, [K_SWAPCACHE] = 2, [K_ANON] = 14,
	[K_THP] = 8, [K_HUGETLB] = 4, [K_FILETHP] = 2, [K_FREE] = 30,
	[K_HWPOISON] = 0.2, [K_OFFLINE] = 0.8,
};

static void usage(FILE *f)
{
	fputs("usage: mkvmcore -o OUT [options]\n"
	      "  --mem SIZE          RAM size, 16M..2T (default 1G)\n"
	      "  --seed N            seed for layout, mix and contents (default 1)\n"
	      "  --kernel 6.1|6.12   struct page / VMCOREINFO layout (default 6.1)\n"
	      "  --mix K=P,...       page mix in percent; kinds: kernel slab pagetable\n"
	      "                      zero cache cache_private swapcache anon thp\n"
	      "                      hugetlb filethp free hwpoison offline zfs_arc\n"
	      "  --free-content zero|pattern  contents of free pages\n"
	      "                      (default: pattern up to 2G of RAM, else zero)\n"
	      "  --l5                5-level paging\n"
	      "  --kaslr             randomize kernel, direct map and vmemmap bases\n"
	      "  --holes             extra RAM holes (a whole section, a partial one)\n"
	      "  --vmemmap-4k        map some vmemmap sections with 4 KiB PTEs\n"
	      "  --cpus N            NT_PRSTATUS notes (default 2)\n"
	      "  --phoff N           program headers at offset N, section headers at 64\n"
	      "  --qemu-elf          as QEMU dump-guest-memory (paging off) writes it:\n"
	      "                      program headers at 192, RAM PT_LOADs with vaddr 0,\n"
	      "                      no kernel-text PT_LOAD\n"
	      "  --pn-xnum           e_phnum = PN_XNUM, count in section 0 sh_info\n"
	      "  --unsorted          shuffle the PT_LOADs\n"
	      "  --unaligned         PT_LOADs with start/end not page aligned\n"
	      "  --no-vmcoreinfo     omit the VMCOREINFO note\n"
	      "  --truncate BYTES    cut the file to BYTES at the end\n"
	      "  --elf32             minimal i386 ELF32 core instead\n"
	      "  --memmodel M        sparse (default), flat (FLATMEM mem_map) or\n"
	      "                      discontig (2 nodes, node_mem_map arrays, a hole)\n"
	      "  --no-buddy-marker   omit PAGE_BUDDY_MAPCOUNT_VALUE and OFFSET(page.private)\n"
	      "                      (free pages only on the zones' free lists)\n"
	      "  --drop-key KEY      omit VMCOREINFO key KEY, e.g. OFFSET(page.lru)\n"
	      "  --kallsyms MODE     the kernel's kallsyms tables, with SYMBOL(kallsyms_*):\n"
	      "                      relative (offsets from a base), percpu (x86_64's\n"
	      "                      KALLSYMS_ABSOLUTE_PERCPU), disagree (relative, with\n"
	      "                      init_uts_ns off by a page: must not be trusted)\n"
	      "  --corrupt WHAT      node-ptr, spanned (discontig), list-loop, list-wild,\n"
	      "                      log-loop, log-wild (--printk records), log-len\n"
	      "                      (--printk records|plain)\n"
	      "  --startup-bait      image, page-table, mem_section, per-CPU and CPU-stack\n"
	      "                      pages whose struct pages claim cache/user/free, and\n"
	      "                      inconsistent struct pages (x86_64 sparse, 4-level)\n"
	      "  --truth FILE        write the ground truth (see README.md)\n"
	      "  --dmesg FILE        write what makedumpfile 1.7.2 --dump-dmesg prints\n"
	      "  --dmesg-caller FILE the same with caller ids, as newer versions print\n"
	      "  --printk F          printk ring layout: lockless (5.10+, default),\n"
	      "                      records (3.5-5.9 printk_log), records-log (the\n"
	      "                      same named struct log, as 3.5-3.10) or plain (< 3.5)\n"
	      "  --printk-count N    records/plain: log only the first N records\n"
	      "                      (few enough and the ring does not wrap)\n"
	      "arm64 (RAM from 0x40000000, linear map, swapper_pg_dir, vmemmap):\n"
	      "  --arch x86_64|arm64 target architecture (default x86_64)\n"
	      "  --granule 4k|16k|64k  page size (default 4k)\n"
	      "  --va-bits N         configured VA_BITS: 4k 39/48/52, 16k 47/48/52,\n"
	      "                      64k 42/48/52 (52 with 64k: LPA descriptors)\n"
	      "  --lpa2              4k/16k 52-bit VA active, LPA2 descriptors\n"
	      "  --phys-offset-neg   52-bit kernel on a CPU without LPA2 (64k: LVA): runs\n"
	      "                      48-bit (16k: 47), PHYS_OFFSET negative\n"
	      "  --layout NAME       4k-39 4k-48 4k-52 (LPA2) 4k-52-on-48 16k-47 16k-48\n"
	      "                      16k-52 (LPA2) 16k-52-on-47 64k-42 64k-48 64k-52 (LPA)\n"
	      "                      64k-52-on-48\n"
	      "  --node-data         export SYMBOL(node_data) as x86_64 does (real arm64\n"
	      "                      kernels do not)\n"
	      "riscv64 (RAM from 0x80000000, Sv39/48/57, leaves at 1G/2M/4K):\n"
	      "  --arch riscv64 --va-bits 39|48|57 (default 39), or --layout NAME:\n"
	      "                      sv39 sv48 sv57, and sv39-napot sv48-napot sv57-napot\n"
	      "                      (some linear-map runs by 64K Svnapot PTEs)\n"

	      "s390x (big-endian, RAM from 0; --kernel 6.1: identity map at 0, 6.12: at\n"
	      "IDENTITYBASE with the image apart):\n"
	      "  --layout s390x-N    N = 3, 4 or 5 translation levels (--arch s390x: 4)\n"
	      "ppc64le (RAM and the image from 0, linear map at 0xc000000000000000):\n"
	      "  --arch ppc64le --layout radix-64k|radix-4k|hash-64k\n"
	      "  --arch ppc64: the same, big-endian (utsname machine ppc64)\n"
	      "                      radix: vmemmap in big-endian swapper_pg_dir tables\n"
	      "                      (and, with --kernel 6.1, in vmemmap_list); hash:\n"
	      "                      vmemmap through vmemmap_list only\n"
	      "  --corrupt memmap-unmapped  (any arch) one section's struct pages\n"
	      "                      unmapped; vmemmap-loop (hash) a vmemmap_list loop\n"
	      "  --user-task         x86_64: CPU 0 runs a user task whose stack and ELF\n"
	      "                      header pages the truth lists (--corrupt task-mm)\n",
	      f);
}

static int kind_by_name(const char *s, size_t n)
{
	for (int k = 0; k < K_NKINDS; k++)
		if (strlen(kind_names[k]) == n && !strncmp(kind_names[k], s, n))
			return k;
	return -1;
}

static void parse_mix(struct opts *o, const char *arg)
{
	double sum = 0;
	const char *p = arg;

	memset(o->mix, 0, sizeof(o->mix));
	while (*p) {
		const char *eq = strchr(p, '=');
		char *end;
		int k;

		if (!eq)
			die("--mix: expected KIND=PERCENT in '%s'", p);
		k = kind_by_name(p, (size_t)(eq - p));
		if (k < 0)
			die("--mix: unknown kind '%.*s'", (int)(eq - p), p);
		o->mix[k] = strtod(eq + 1, &end);
		if (end == eq + 1 || o->mix[k] < 0)
			die("--mix: bad percentage for %s", kind_names[k]);
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			die("--mix: junk after %s", kind_names[k]);
	}
	for (int k = 0; k < K_NKINDS; k++)
		sum += o->mix[k];
	if (sum <= 0)
		die("--mix: percentages add up to zero");
	for (int k = 0; k < K_NKINDS; k++)
		o->mix[k] = o->mix[k] * 100.0 / sum;
}

static uint64_t size_arg(const char *name, const char *s)
{
	uint64_t v;

	if (parse_size(s, &v))
		die("%s: bad size '%s'", name, s);
	return v;
}

enum { O_MEM = 256, O_SEED, O_KERNEL, O_MIX, O_FREE, O_L5, O_KASLR,
       O_HOLES, O_VMM4K, O_CPUS, O_PHOFF, O_XNUM, O_UNSORTED,
       O_UNALIGNED, O_NOVMCI, O_TRUNC, O_ELF32, O_TRUTH, O_DMESG, O_DMESGC,
       O_MEMMODEL, O_NOBUDDY, O_DROPKEY, O_CORRUPT, O_ARCH, O_GRANULE,
       O_VABITS, O_LPA2, O_PONEG, O_LAYOUT, O_NODEDATA, O_BAIT, O_QEMU, O_PRINTK, O_PRINTK_COUNT, O_KALLSYMS,
       O_USERTASK };

static const struct option longopts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "mem", required_argument, NULL, O_MEM },
	{ "seed", required_argument, NULL, O_SEED },
	{ "kernel", required_argument, NULL, O_KERNEL },
	{ "mix", required_argument, NULL, O_MIX },
	{ "free-content", required_argument, NULL, O_FREE },
	{ "l5", no_argument, NULL, O_L5 },
	{ "kaslr", no_argument, NULL, O_KASLR },
	{ "holes", no_argument, NULL, O_HOLES },
	{ "vmemmap-4k", no_argument, NULL, O_VMM4K },
	{ "cpus", required_argument, NULL, O_CPUS },
	{ "phoff", required_argument, NULL, O_PHOFF },
	{ "qemu-elf", no_argument, NULL, O_QEMU },
	{ "pn-xnum", no_argument, NULL, O_XNUM },
	{ "unsorted", no_argument, NULL, O_UNSORTED },
	{ "unaligned", no_argument, NULL, O_UNALIGNED },
	{ "no-vmcoreinfo", no_argument, NULL, O_NOVMCI },
	{ "truncate", required_argument, NULL, O_TRUNC },
	{ "elf32", no_argument, NULL, O_ELF32 },
	{ "truth", required_argument, NULL, O_TRUTH },
	{ "dmesg", required_argument, NULL, O_DMESG },
	{ "printk", required_argument, NULL, O_PRINTK },
	{ "printk-count", required_argument, NULL, O_PRINTK_COUNT },
	{ "dmesg-caller", required_argument, NULL, O_DMESGC },
	{ "memmodel", required_argument, NULL, O_MEMMODEL },
	{ "no-buddy-marker", no_argument, NULL, O_NOBUDDY },
	{ "drop-key", required_argument, NULL, O_DROPKEY },
	{ "corrupt", required_argument, NULL, O_CORRUPT },
	{ "arch", required_argument, NULL, O_ARCH },
	{ "granule", required_argument, NULL, O_GRANULE },
	{ "va-bits", required_argument, NULL, O_VABITS },
	{ "lpa2", no_argument, NULL, O_LPA2 },
	{ "phys-offset-neg", no_argument, NULL, O_PONEG },
	{ "layout", required_argument, NULL, O_LAYOUT },
	{ "node-data", no_argument, NULL, O_NODEDATA },
	{ "kallsyms", required_argument, NULL, O_KALLSYMS },
	{ "startup-bait", no_argument, NULL, O_BAIT },
	{ "user-task", no_argument, NULL, O_USERTASK },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int granule_arg(const char *s)
{
	if (!strcmp(s, "4k") || !strcmp(s, "4K"))
		return 12;
	if (!strcmp(s, "16k") || !strcmp(s, "16K"))
		return 14;
	if (!strcmp(s, "64k") || !strcmp(s, "64K"))
		return 16;
	die("--granule: 4k, 16k or 64k");
}

/* --layout MMU-PAGESIZE: the ppc64le layouts (radix-64k, radix-4k, hash-64k). */
static int ppc64_layout_arg(struct opts *o, const char *s)
{
	static const struct { const char *name; int shift, radix; } t[] = {
		{ "radix-64k", 16, 1 }, { "radix-4k", 12, 1 }, { "hash-64k", 16, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(s, t[i].name)) {
			o->arch = A_PPC64;
			o->granule_shift = t[i].shift;
			o->ppc_radix = t[i].radix;
			return 1;
		}
	return 0;
}

/* --layout GRANULE-VABITS[-on-ACTUAL]: the arm64 layouts worth testing. */
static void layout_arg(struct opts *o, const char *s)
{
	static const struct { const char *name; int shift, va, lpa2, fallback; } t[] = {
		{ "4k-39", 12, 39, 0, 0 }, { "4k-48", 12, 48, 0, 0 },
		{ "4k-52", 12, 52, 1, 0 }, { "4k-52-on-48", 12, 52, 0, 1 },
		{ "16k-47", 14, 47, 0, 0 }, { "16k-48", 14, 48, 0, 0 },
		{ "16k-52", 14, 52, 1, 0 }, { "16k-52-on-47", 14, 52, 0, 1 },
		{ "64k-42", 16, 42, 0, 0 }, { "64k-48", 16, 48, 0, 0 },
		{ "64k-52", 16, 52, 0, 0 }, { "64k-52-on-48", 16, 52, 0, 1 },
	};

	if (!strncmp(s, "s390x-", 6) && s[6] >= '3' && s[6] <= '5' && !s[7]) {
		o->arch = A_S390X;               /* s390x-LEVELS */
		o->s390_levels = s[6] - '0';
		return;
	}
	if (ppc64_layout_arg(o, s))
		return;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(s, t[i].name)) {
			o->arch = A_ARM64;
			o->granule_shift = t[i].shift;
			o->va_bits = t[i].va;
			o->lpa2 = t[i].lpa2;
			o->va_fallback = t[i].fallback;
			return;
		}
	die("--layout: unknown layout '%s' (see --help)", s);
}

static void apply(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'o': o->out = arg; break;
	case O_MEM: o->mem = size_arg("--mem", arg); break;
	case O_SEED: o->seed = strtoull(arg, NULL, 0); break;
	case O_KERNEL:
		if (!strcmp(arg, "6.1"))
			o->kver = KV_6_1;
		else if (!strcmp(arg, "6.12"))
			o->kver = KV_6_12;
		else
			die("--kernel: 6.1 or 6.12");
		o->kver_set = 1;
		break;
	case O_MIX: parse_mix(o, arg); break;
	case O_FREE:
		if (strcmp(arg, "zero") && strcmp(arg, "pattern"))
			die("--free-content: zero or pattern");
		o->free_fill = !strcmp(arg, "pattern");
		break;
	case O_L5: o->l5 = 1; break;
	case O_KASLR: o->kaslr = 1; break;
	case O_HOLES: o->holes = 1; break;
	case O_VMM4K: o->vmemmap4k = 1; break;
	case O_CPUS: o->cpus = atoi(arg); break;
	case O_PHOFF: o->phoff = size_arg("--phoff", arg); break;
	case O_QEMU: o->qemu_elf = 1; break;
	case O_XNUM: o->pn_xnum = 1; break;
	case O_UNSORTED: o->unsorted = 1; break;
	case O_UNALIGNED: o->unaligned = 1; break;
	case O_NOVMCI: o->no_vmcoreinfo = 1; break;
	case O_TRUNC: o->truncate = (int64_t)size_arg("--truncate", arg); break;
	case O_ELF32: o->elf32 = 1; break;
	case O_TRUTH: o->truth = arg; break;
	case O_DMESG: o->dmesg = arg; break;
	case O_DMESGC: o->dmesg_caller = arg; break;
	case O_PRINTK:
		if (!strcmp(arg, "lockless"))
			o->printk = PK_LOCKLESS;
		else if (!strcmp(arg, "records"))
			o->printk = PK_RECORDS;
		else if (!strcmp(arg, "records-log")) {
			o->printk = PK_RECORDS;
			o->printk_struct_log = 1;
		}
		else if (!strcmp(arg, "plain"))
			o->printk = PK_PLAIN;
		else
			die("--printk: lockless, records, records-log or plain");
		break;
	case O_PRINTK_COUNT:
		o->printk_count = atoi(arg);
		if (o->printk_count < 1)
			die("--printk-count: at least 1");
		break;
	case O_MEMMODEL:
		if (!strcmp(arg, "sparse"))
			o->memmodel = MM_SPARSE;
		else if (!strcmp(arg, "flat"))
			o->memmodel = MM_FLAT;
		else if (!strcmp(arg, "discontig"))
			o->memmodel = MM_DISCONTIG;
		else
			die("--memmodel: sparse, flat or discontig");
		break;
	case O_NOBUDDY: o->no_buddy_marker = 1; break;
	case O_DROPKEY:
		if (o->ndrop == MAX_DROP_KEYS)
			die("--drop-key: at most %d", MAX_DROP_KEYS);
		o->drop_key[o->ndrop++] = arg;
		break;
	case O_CORRUPT: {
		static const char *const names[] = { "", "node-ptr", "spanned", "list-loop", "list-wild",
						     "log-loop", "log-wild", "log-len", "memmap-unmapped",
						     "vmemmap-loop", "task-mm" };
		o->corrupt = CR_NONE;
		for (int i = 1; i < (int)(sizeof(names) / sizeof(names[0])); i++)
			if (!strcmp(arg, names[i]))
				o->corrupt = (enum corrupt)i;
		if (o->corrupt == CR_NONE)
			die("--corrupt: node-ptr, spanned, list-loop, list-wild, log-loop, log-wild, log-len, memmap-unmapped, vmemmap-loop or task-mm");
		break;
	}
	case O_ARCH:
		if (!strcmp(arg, "x86_64"))
			o->arch = A_X86_64;
		else if (!strcmp(arg, "arm64") || !strcmp(arg, "aarch64"))
			o->arch = A_ARM64;
		else if (!strcmp(arg, "riscv64"))
			o->arch = A_RISCV64;
		else if (!strcmp(arg, "s390x"))
			o->arch = A_S390X;
		else if (!strcmp(arg, "ppc64le") || !strcmp(arg, "ppc64")) {
			o->arch = A_PPC64;
			o->ppc64_be = !strcmp(arg, "ppc64");
		} else
			die("--arch: x86_64, arm64, riscv64, s390x, ppc64le or ppc64 (big-endian)");
		break;
	case O_GRANULE: o->granule_shift = granule_arg(arg); break;
	case O_VABITS: o->va_bits = atoi(arg); break;
	case O_LPA2: o->lpa2 = 1; break;
	case O_PONEG: o->va_fallback = 1; break;
	case O_LAYOUT:
		if (!riscv64_layout_arg(o, arg))
			layout_arg(o, arg);
		break;
	case O_NODEDATA: o->node_data_key = 1; break;
	case O_KALLSYMS:
		if (!strcmp(arg, "relative"))
			o->kallsyms = KS_RELATIVE;
		else if (!strcmp(arg, "percpu"))
			o->kallsyms = KS_PERCPU;
		else if (!strcmp(arg, "disagree"))
			o->kallsyms = KS_DISAGREE;
		else
			die("--kallsyms: relative, percpu or disagree");
		break;
	case O_BAIT: o->startup_bait = 1; break;
	case O_USERTASK: o->user_task = 1; break;
	case 'h': usage(stdout); exit(0);
	default: usage(stderr); exit(2);
	}
}

static int va_ok(int shift, int va)
{
	switch (shift) {
	case 12: return va == 39 || va == 48 || va == 52;
	case 14: return va == 47 || va == 48 || va == 52;
	default: return va == 42 || va == 48 || va == 52;
	}
}

/* Combinations a real arm64 kernel has; 4K/16K 52-bit exists since 6.9. */
static void arm64_check(struct opts *o)
{
	if (!o->granule_shift)
		o->granule_shift = 12;
	if (!o->va_bits)
		o->va_bits = o->granule_shift == 14 ? 47 : 48;
	if (!va_ok(o->granule_shift, o->va_bits))
		die("--va-bits %d is not a %dK kernel's choice", o->va_bits,
		    1 << (o->granule_shift - 10));
	if (o->lpa2 && (o->va_bits != 52 || o->granule_shift == 16))
		die("--lpa2 needs --va-bits 52 and --granule 4k or 16k");
	if (o->va_fallback && o->va_bits != 52)
		die("--phys-offset-neg needs --va-bits 52");
	if (o->lpa2 && o->va_fallback)
		die("--lpa2 and --phys-offset-neg exclude each other");
	if (o->va_bits == 52 && o->granule_shift != 16) {
		if (!o->lpa2 && !o->va_fallback)
			die("4k/16k --va-bits 52 needs --lpa2 or --phys-offset-neg");
		if (o->kver_set && o->kver != KV_6_12)
			die("4k/16k 52-bit kernels exist only since 6.9: use --kernel 6.12");
		o->kver = KV_6_12;
	}
	if (o->l5 || o->elf32 || o->memmodel != MM_SPARSE)
		die("--l5, --elf32 and --memmodel are x86_64 options");
	if (o->mem < 64 * MIB)
		die("--arch arm64 needs --mem >= 64M");
}

static void ppc64_check(struct opts *o)
{
	if (!o->granule_shift)
		die("--arch ppc64le needs --layout radix-64k, radix-4k or hash-64k");
	if (o->va_bits || o->lpa2 || o->va_fallback || o->node_data_key || o->kaslr)
		die("--va-bits, --lpa2, --phys-offset-neg, --node-data and --kaslr are not ppc64le options");
	if (o->l5 || o->elf32 || o->memmodel != MM_SPARSE || o->holes)
		die("--l5, --elf32, --memmodel and --holes are not ppc64le options");
	if (o->mem < 64 * MIB)
		die("--arch ppc64le needs --mem >= 64M");
	if (o->corrupt == CR_VMM_LOOP && o->ppc_radix && o->kver != KV_6_1)
		die("--corrupt vmemmap-loop needs a vmemmap_list: hash, or radix with --kernel 6.1");
}

void opts_parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->mem = GIB;
	o->seed = 1;
	o->cpus = 2;
	o->free_fill = -1;
	o->truncate = -1;
	memcpy(o->mix, default_mix, sizeof(o->mix));
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1)
		apply(o, c, optarg);
	if (optind != argc)
		die("unexpected argument '%s'", argv[optind]);
	if (!o->out)
		die("-o OUT is required (see --help)");
	if (o->mem < 16 * MIB || o->mem > (2ULL << 40))
		die("--mem must be between 16M and 2T");
	if (o->cpus < 1 || o->cpus > 256)
		die("--cpus must be 1..256");
	if (o->qemu_elf && !o->phoff)
		o->phoff = 192;                  /* QEMU 7.2 */
	if (o->phoff && o->phoff < 128)
		die("--phoff must leave room for the section header table (>= 128)");
	if (o->holes && o->mem < 512 * MIB)
		die("--holes needs --mem >= 512M");
	if (o->elf32 && o->mem > 3 * GIB)
		die("--elf32 needs --mem <= 3G");
	if (o->memmodel == MM_DISCONTIG && (o->mem < 256 * MIB || o->mem > 2 * GIB))
		die("--memmodel discontig needs 256M <= --mem <= 2G");
	if (o->memmodel != MM_SPARSE && o->vmemmap4k)
		die("--vmemmap-4k needs --memmodel sparse");
	if (o->startup_bait && (o->arch != A_X86_64 || o->memmodel != MM_SPARSE || o->l5 || o->elf32))
		die("--startup-bait needs x86_64, --memmodel sparse, 4-level paging");
	if (o->startup_bait && o->mem < 128 * MIB)  /* a 16 MiB image: its layout is bait.c's */
		die("--startup-bait needs --mem >= 128M");
	if ((o->corrupt == CR_LOG_LOOP || o->corrupt == CR_LOG_WILD) && o->printk != PK_RECORDS)
		die("--corrupt log-loop/log-wild need --printk records");
	if (o->printk_count && o->printk == PK_LOCKLESS)
		die("--printk-count needs --printk records or plain");
	if (o->corrupt == CR_TASK_MM && !o->user_task)
		die("--corrupt task-mm needs --user-task");
	if (o->corrupt == CR_LOG_LEN && o->printk == PK_LOCKLESS)
		die("--corrupt log-len needs --printk records or plain");
	if ((o->corrupt == CR_NODE_PTR || o->corrupt == CR_SPANNED) && o->memmodel != MM_DISCONTIG)
		die("--corrupt node-ptr/spanned need --memmodel discontig");
	if (o->arch == A_S390X && !o->s390_levels)
		o->s390_levels = 4;
	if (o->arch == A_S390X && (o->l5 || o->elf32 || o->memmodel != MM_SPARSE))
		die("--l5, --elf32 and --memmodel are x86_64 options");
	if (o->arch == A_PPC64)
		ppc64_check(o);
	else if (o->arch == A_ARM64)
		arm64_check(o);
	else if (o->arch == A_RISCV64)
		riscv64_check(o);
	else if (o->granule_shift || o->va_bits || o->lpa2 || o->va_fallback ||
		 o->node_data_key)
		die("--granule, --va-bits, --lpa2, --phys-offset-neg, --node-data need --arch arm64");
	if (o->free_fill < 0)
		o->free_fill = o->mem <= 2 * GIB;
}
