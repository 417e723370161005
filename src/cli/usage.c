// SPDX-License-Identifier: GPL-2.0-or-later
/* -h: the option summary. */
#include <stdio.h>

#include "options.h"

void cli_usage(void)
{
	fputs("Usage:\n"
	      "  vmsift [-c|-l|-p|-z|-E] [-d DL] [-i VMCOREINFO] [options] VMCORE DUMPFILE\n"
	      "  vmsift -F [-c|-l|-p|-z] [-d DL] [options] VMCORE > STREAM\n"
	      "  vmsift -R DUMPFILE < STREAM\n"
	      "\n"
	      "Writes a filtered copy of a kernel crash dump (an ELF vmcore such as\n"
	      "/proc/vmcore) in the kdump-compressed format. Command line and output are\n"
	      "compatible with makedumpfile(8).\n"
	      "\n"
	      "Options:\n"
	      "  -c, -l, -p, -z     compress each page with zlib, lzo, snappy or zstd\n"
	      "  -d DL[,DL...]      dump level, the sum of page kinds to leave out:\n"
	      "                     1 zero, 2 cache, 4 private cache, 8 user, 16 free pages\n"
	      "                     (a list gives fallback levels if the disk fills up)\n"
	      "  -E                 write ELF instead of the kdump-compressed format\n"
	      "  -F                 write the flattened format to standard output\n"
	      "  -R                 rebuild DUMPFILE from a flattened stream on standard input\n"
	      "  -f                 overwrite an existing DUMPFILE\n"
	      "  -i VMCOREINFO      take the kernel layout from this file, not the dump\n"
	      "  -L SIZE            stop writing at SIZE bytes (K, M, G suffixes); the dump is\n"
	      "                     then marked incomplete\n"
	      "  -e                 also leave out the struct page arrays of excluded memory\n"
	      "  --num-threads N    compress with N threads\n"
	      "  --cyclic-buffer KB memory for the page bitmaps of one pass (KiB)\n"
	      "  --non-mmap         read the vmcore with read(2), never mmap(2)\n"
	      "  --mmap             read through mmap(2) windows even when the vmcore is a\n"
	      "                     saved file (default: only for /proc/vmcore)\n"
	      "  --dry-run          do everything but write the dump\n"
	      "  --check-params     only check the command line\n"
	      "  --message-level ML 1 progress, 2 common, 4 errors, 8 debug, 16 report\n"
	      "                     (default 7)\n"
	      "  -D                 add debug messages; --show-stats adds the page report\n"
	      "  --vtop VADDR       print the physical address of a kernel virtual address\n"
	      "  -v                 show the version;  -h, --help  show this help\n"
	      "\n"
	      "Exit status: 0 success, 1 failure (an incomplete dump may have been written),\n"
	      "2 the -i VMCOREINFO is for another kernel release.\n"
	      "See vmsift(8) for the full list, including accepted makedumpfile options.\n",
	      stdout);
}
