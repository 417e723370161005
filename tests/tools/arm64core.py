#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Small surgery on an arm64 ELF vmcore for the bad-input tests.

  arm64core.py vmcoreinfo CORE              print the VMCOREINFO note's text
  arm64core.py pgd CORE wild|loop|random:N  rewrite every valid entry of
                                            swapper_pg_dir: 'wild' points it
                                            at 1 TiB past the end of RAM,
                                            'loop' back at swapper_pg_dir,
                                            'random:N' to random valid
                                            descriptors (seed N), all but the
                                            one mapping the kernel image
"""
import random

from elfcore import key, main, ram_end, rewrite_table, vmcoreinfo


def image_slot(text, page, va):
    """swapper_pg_dir's index of va: 4K/16K tables are laid out for the
    running VA size (64 - T1SZ), 64K ones for VA_BITS."""
    shift = page.bit_length() - 1
    bits = int(key(text, "NUMBER(VA_BITS)"))
    if shift != 16:
        bits = 64 - int(key(text, "NUMBER(TCR_EL1_T1SZ)"), 0)
    levels = -(-(bits - shift) // (shift - 3))
    top = shift + (levels - 1) * (shift - 3)
    return (va >> top) & ((1 << (bits - top)) - 1)


def patch_pgd(path, how):
    with open(path, "r+b") as f:
        data = f.read()
        text = vmcoreinfo(data)
        pgd_va = int(key(text, "SYMBOL(swapper_pg_dir)"), 16)
        voff = int(key(text, "NUMBER(kimage_voffset)"), 0)
        page = int(key(text, "PAGESIZE"))
        pgd_pa = (pgd_va - voff) % (1 << 64)
        target = pgd_pa if how == "loop" else ram_end(data) + (1 << 40)
        rng = random.Random(how)
        keep = image_slot(text, page, pgd_va) if how.startswith("random:") else -1

        def change(i, e):
            if not e & 1 or i == keep:
                return None
            if how.startswith("random:"):
                return rng.getrandbits(64) | 1
            return (target & ((1 << 48) - 1) & ~(page - 1)) | 3
        rewrite_table(f, data, pgd_pa, page // 8, change)


if __name__ == "__main__":
    main(__doc__, "pgd", patch_pgd)
