// SPDX-License-Identifier: GPL-2.0-or-later
// Command-line parsing for mkvmcore.
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "mkvmcore.h"

const char *const kind_names[K_NKINDS] = {
	"kernel", "slab", "pagetable", "zero", "cache", "cache_private",
	"swapcache", "anon", "thp", "hugetlb", "filethp", "free",
	"hwpoison", "offline",
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
	      "                      hugetlb filethp free hwpoison offline\n"
	      "  --free-content zero|pattern  contents of free pages\n"
	      "                      (default: pattern up to 2G of RAM, else zero)\n"
	      "  --l5                5-level paging\n"
	      "  --kaslr             randomize kernel, direct map and vmemmap bases\n"
	      "  --holes             extra RAM holes (a whole section, a partial one)\n"
	      "  --vmemmap-4k        map some vmemmap sections with 4 KiB PTEs\n"
	      "  --cpus N            NT_PRSTATUS notes (default 2)\n"
	      "  --phoff N           program headers at offset N, section headers at 64\n"
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
	      "  --corrupt WHAT      node-ptr, spanned (discontig), list-loop, list-wild\n"
	      "  --truth FILE        write the ground truth (see README.md)\n"
	      "  --dmesg FILE        write what makedumpfile 1.7.2 --dump-dmesg prints\n"
	      "  --dmesg-caller FILE the same with caller ids, as newer versions print\n",
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
       O_MEMMODEL, O_NOBUDDY, O_DROPKEY, O_CORRUPT };

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
	{ "pn-xnum", no_argument, NULL, O_XNUM },
	{ "unsorted", no_argument, NULL, O_UNSORTED },
	{ "unaligned", no_argument, NULL, O_UNALIGNED },
	{ "no-vmcoreinfo", no_argument, NULL, O_NOVMCI },
	{ "truncate", required_argument, NULL, O_TRUNC },
	{ "elf32", no_argument, NULL, O_ELF32 },
	{ "truth", required_argument, NULL, O_TRUTH },
	{ "dmesg", required_argument, NULL, O_DMESG },
	{ "dmesg-caller", required_argument, NULL, O_DMESGC },
	{ "memmodel", required_argument, NULL, O_MEMMODEL },
	{ "no-buddy-marker", no_argument, NULL, O_NOBUDDY },
	{ "drop-key", required_argument, NULL, O_DROPKEY },
	{ "corrupt", required_argument, NULL, O_CORRUPT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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
	case O_XNUM: o->pn_xnum = 1; break;
	case O_UNSORTED: o->unsorted = 1; break;
	case O_UNALIGNED: o->unaligned = 1; break;
	case O_NOVMCI: o->no_vmcoreinfo = 1; break;
	case O_TRUNC: o->truncate = (int64_t)size_arg("--truncate", arg); break;
	case O_ELF32: o->elf32 = 1; break;
	case O_TRUTH: o->truth = arg; break;
	case O_DMESG: o->dmesg = arg; break;
	case O_DMESGC: o->dmesg_caller = arg; break;
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
		static const char *const names[] = { "", "node-ptr", "spanned", "list-loop", "list-wild" };
		o->corrupt = CR_NONE;
		for (int i = 1; i < 5; i++)
			if (!strcmp(arg, names[i]))
				o->corrupt = (enum corrupt)i;
		if (o->corrupt == CR_NONE)
			die("--corrupt: node-ptr, spanned, list-loop or list-wild");
		break;
	}
	case 'h': usage(stdout); exit(0);
	default: usage(stderr); exit(2);
	}
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
	if ((o->corrupt == CR_NODE_PTR || o->corrupt == CR_SPANNED) && o->memmodel != MM_DISCONTIG)
		die("--corrupt node-ptr/spanned need --memmodel discontig");
	if (o->free_fill < 0)
		o->free_fill = o->mem <= 2 * GIB;
}
