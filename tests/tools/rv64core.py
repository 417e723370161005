#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Small surgery on a riscv64 ELF vmcore for the bad-input tests.

  rv64core.py vmcoreinfo CORE              print the VMCOREINFO note's text
  rv64core.py pgd CORE wild|loop|random:N  rewrite every valid PTE of
                                           swapper_pg_dir: 'wild' points it
                                           at 1 TiB past the end of RAM,
                                           'loop' back at swapper_pg_dir,
                                           'random:N' to random valid PTEs
                                           (seed N), all but the one mapping
                                           the kernel image
"""
import random

from elfcore import key, main, ram_end, rewrite_table, vmcoreinfo


def image_slot(text, va):
    """swapper_pg_dir's index of va: 9 bits above the top level's shift."""
    levels = (int(key(text, "NUMBER(VA_BITS)")) - 12) // 9
    return (va >> (12 + 9 * (levels - 1))) & 511


def patch_pgd(path, how):
    with open(path, "r+b") as f:
        data = f.read()
        text = vmcoreinfo(data)
        pgd_va = int(key(text, "SYMBOL(swapper_pg_dir)"), 16)
        off = int(key(text, "NUMBER(va_kernel_pa_offset)"), 0)
        pgd_pa = (pgd_va - off) % (1 << 64)
        target = pgd_pa if how == "loop" else ram_end(data) + (1 << 40)
        rng = random.Random(how)
        keep = image_slot(text, pgd_va) if how.startswith("random:") else -1

        def change(i, e):
            if not e & 1 or i == keep:
                return None
            if how.startswith("random:"):
                return rng.getrandbits(64) | 1
            return (target >> 12) << 10 | 1
        rewrite_table(f, data, pgd_pa, 512, change)


if __name__ == "__main__":
    main(__doc__, "pgd", patch_pgd)
