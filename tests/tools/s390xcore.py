#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Small surgery on a big-endian s390x ELF vmcore for the bad-input tests.

  s390xcore.py vmcoreinfo CORE             print the VMCOREINFO note's text
  s390xcore.py root CORE wild|loop|type|random:N
                                           rewrite every valid entry of
                                           swapper_pg_dir: 'wild' points it
                                           1 TiB past the end of RAM, 'loop'
                                           back at swapper_pg_dir, 'type'
                                           gives it a region-first type,
                                           'random:N' random bits (seed N),
                                           all but the entry that maps
                                           swapper_pg_dir itself
"""
import random
import struct
import sys

from elfcore import file_offsets, key, main, ram_end, rewrite_table, vmcoreinfo

INVALID, TYPE = 0x20, 0x0c


def patch_root(path, how):
    with open(path, "r+b") as f:
        data = f.read()
        if data[5] != 2:
            sys.exit("not a big-endian core")
        text = vmcoreinfo(data)
        va = int(key(text, "SYMBOL(swapper_pg_dir)"), 16)
        pa = va
        if key(text, "KERNELOFFPHYS", "-") != "-":
            pa = va - int(key(text, "KERNELOFFSET"), 16) + int(key(text, "KERNELOFFPHYS"), 16)
        wild = ram_end(data) + (1 << 40)
        level = (struct.unpack_from(">Q", data, file_offsets(data, pa)[0])[0] & TYPE) >> 2
        keep = va >> (20 + 11 * level) & 2047
        rng = random.Random(how)

        def change(i, e):
            if e & INVALID or i == keep and how.startswith("random:"):
                return None
            if how == "wild":
                return wild | (e & 0xfff)
            if how == "loop":
                return pa | (e & 0xfff)
            if how == "type":
                return e | TYPE
            return rng.getrandbits(64) & ~INVALID
        rewrite_table(f, data, pa, 2048, change)


def main_s390x():
    if sys.argv[1] == "vmcoreinfo":
        with open(sys.argv[2], "rb") as f:
            if f.read(6)[5] != 2:
                sys.exit("not a big-endian core")
    main(__doc__, "root", patch_root)


if __name__ == "__main__":
    main_s390x()
