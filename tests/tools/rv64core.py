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
import struct
import sys

from arm64core import file_offsets, key, phdrs, vmcoreinfo


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
        ram_end = max(pa + memsz for t, _, _, _, pa, _, memsz, _ in phdrs(data) if t == 1)
        target = pgd_pa if how == "loop" else ram_end + (1 << 40)
        rng = random.Random(how)
        keep = image_slot(text, pgd_va) if how.startswith("random:") else -1
        for at in file_offsets(data, pgd_pa):
            for i in range(512):
                e, = struct.unpack_from("<Q", data, at + i * 8)
                if not e & 1 or i == keep:
                    continue
                if how.startswith("random:"):
                    new = rng.getrandbits(64) | 1
                else:
                    new = (target >> 12) << 10 | 1
                f.seek(at + i * 8)
                f.write(struct.pack("<Q", new))


def main():
    if sys.argv[1] == "vmcoreinfo":
        with open(sys.argv[2], "rb") as f:
            sys.stdout.write(vmcoreinfo(f.read()))
    elif sys.argv[1] == "pgd":
        patch_pgd(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
