#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks that a dump erased exactly the expected bytes of a core.

    check_erased.py [--partial] DUMP CORE EXPECTED

DUMP is kdump-compressed (or flattened) or an ELF core; CORE the ELF core it
was made from.  EXPECTED holds lines "PADDR LEN FILL" (PADDR hex, LEN
decimal, FILL X or 0).  Every page DUMP holds must equal CORE's page with
the expected ranges overwritten by their fill, byte for byte (an ELF
dump's all-zero pages are taken as left out, as -E writes short runs of
excluded pages), and every
expected range must lie in pages DUMP holds.  With --partial (a --split piece) ranges
in pages DUMP does not hold are skipped.  Prints a summary; exit 0 when it
holds, 1 otherwise.
"""
import os
import sys

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, os.path.dirname(__file__))
import kdumplib as kl  # noqa: E402


def expected(path):
    out = []
    for line in open(path):
        if line.strip():
            pa, n, fill = line.split()
            out.append((int(pa, 16), int(n), b"X" if fill == "X" else b"\0"))
    return out


def main():
    args = sys.argv[1:]
    partial = args[0] == "--partial"
    dump_path, core_path, exp_path = args[partial:partial + 3]
    core = kl.ElfCore(core_path)
    with open(dump_path, "rb") as f:
        is_elf = f.read(4) == b"\x7fELF"
    if is_elf:
        dump = kl.ElfCore(dump_path)
        B = 4096
        pfns = sorted(dump.pfn_coverage(B)[2])
        page = lambda pfn: dump.read_phys(pfn * B, B)  # noqa: E731
    else:
        dump = kl.Kdump(dump_path)
        B = dump.B
        pfns = dump.pfns
        page = dump.page
    ranges = expected(exp_path)
    held = set(pfns)
    bad = 0
    for pa, n, _ in ranges:
        missing = [p for p in range(pa // B, (pa + n - 1) // B + 1) if p not in held]
        if missing and not partial:
            print(f"range 0x{pa:x}+{n}: pfn 0x{missing[0]:x} is not in the dump")
            bad += 1
    by_pfn = {}
    for pa, n, fill in ranges:
        for pfn in range(pa // B, (pa + n - 1) // B + 1):
            by_pfn.setdefault(pfn, []).append((pa, n, fill))
    zero = bytes(B)
    for pfn in pfns:
        got = page(pfn)
        if is_elf and got == zero and pfn not in by_pfn:
            continue  # -E writes short runs of excluded pages as zeros
        want = bytearray(core.read_phys(pfn * B, B))
        for pa, n, fill in by_pfn.get(pfn, ()):
            lo, hi = max(pa, pfn * B), min(pa + n, (pfn + 1) * B)
            want[lo - pfn * B:hi - pfn * B] = fill * (hi - lo)
        if got != want:
            diff = [i for i in range(B) if got[i] != want[i]]
            print(f"pfn 0x{pfn:x}: {len(diff)} bytes differ, first at paddr 0x{pfn * B + diff[0]:x} "
                  f"(dump {got[diff[0]]:#04x}, expected {want[diff[0]]:#04x})")
            bad += 1
    total = sum(n for pa, n, _ in ranges if pa // B in held)
    print(f"{len(pfns)} pages checked; {len(ranges)} ranges, {total} bytes erased as expected"
          if not bad else f"{bad} problems")
    return 1 if bad else 0


sys.exit(main())
