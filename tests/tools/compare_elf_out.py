#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check an ELF dump (vmsift -E) against its source vmcore through libkdumpfile.

usage: compare_elf_out.py OUT.elf SOURCE.elf

Every page inside an output PT_LOAD's file-backed bytes must equal the source
page, or be all zero (an excluded page inside a short run, which vmsift
writes as zeros).  Prints counts; exits 1 on any other difference, 2 on
unreadable input.
"""
import subprocess
import sys

import kdumpfile


def open_dump(path):
    k = kdumpfile.kdumpfile(path)
    k.attr["addrxlat.ostype"] = "linux"
    return k


def read_page(k, paddr):
    """Machine physical addresses equal kernel physical ones without Xen; libkdumpfile
    translates KPHYSADDR only on architectures it knows (not riscv64)."""
    try:
        return bytes(k.read(kdumpfile.KDUMP_KPHYSADDR, paddr, 4096))
    except kdumpfile.exceptions.AddressTranslationException:
        return bytes(k.read(kdumpfile.KDUMP_MACHPHYSADDR, paddr, 4096))


def loads(path):
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            yield int(f[3], 16), int(f[4], 16)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        out, src = open_dump(sys.argv[1]), open_dump(sys.argv[2])
    except Exception as e:  # noqa: BLE001 - any reader failure is a usage problem here
        print(f"compare_elf_out: cannot open: {e}", file=sys.stderr)
        return 2
    n = equal = zeroed = bad = 0
    zero = bytes(4096)
    for paddr, filesz in loads(sys.argv[1]):
        for off in range(0, filesz - filesz % 4096, 4096):
            a = read_page(out, paddr + off)
            b = read_page(src, paddr + off)
            n += 1
            if a == b:
                equal += 1
            elif a == zero:
                zeroed += 1
            else:
                bad += 1
                if bad <= 10:
                    print(f"MISMATCH at paddr 0x{paddr + off:x}")
    print(f"compare_elf_out: {n} pages, {equal} equal, {zeroed} zeroed, {bad} differ")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
