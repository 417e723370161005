#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compares a generated VMCOREINFO file with a kernel's own, key by key.

    compare_vmcoreinfo.py [--min-common N] [--require KEY,...] KERNEL_TEXT GENERATED_TEXT

Every key both have must be equal.  Symbol addresses are compared after the
kernel's KERNELOFFSET (the kernel's value minus the offset, for addresses in
the kernel image); values only the running kernel knows are left aside
(KERNELOFFSET, CRASHTIME, phys_base, pgtable_l5_enabled, sme_mask, and
SYMBOL(mem_section), which the kernel exports as the pointer's value).
Prints one line per difference and a summary; exit 1 on any difference or
when fewer than N keys are shared or a required key is missing.
"""
import argparse
import sys

RUNTIME = {"KERNELOFFSET", "CRASHTIME", "NUMBER(phys_base)", "NUMBER(pgtable_l5_enabled)",
           "NUMBER(sme_mask)", "SYMBOL(mem_section)"}
IMAGE_START, IMAGE_END = 0xffffffff80000000, 0xffffffffc0000000


def parse(path):
    keys = {}
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                keys.setdefault(k, v)
    return keys


def number(v):
    return int(v, 16) if v.lower().startswith("0x") else int(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-common", type=int, default=1)
    ap.add_argument("--require", default="")
    ap.add_argument("kernel")
    ap.add_argument("generated")
    a = ap.parse_args()
    ker, gen = parse(a.kernel), parse(a.generated)
    offset = int(ker.get("KERNELOFFSET", "0"), 16)
    common = sorted(set(ker) & set(gen) - RUNTIME)
    bad = 0
    for k in common:
        kv, gv = ker[k], gen[k]
        if k.startswith("SYMBOL("):
            kaddr, gaddr = int(kv, 16), int(gv, 16)
            if IMAGE_START <= kaddr - offset < IMAGE_END:
                kaddr -= offset
            same = kaddr == gaddr
        elif k in ("OSRELEASE", "BUILD-ID"):
            same = kv == gv
        else:
            try:
                same = number(kv) == number(gv)
            except ValueError:
                same = kv == gv
        if not same:
            bad += 1
            print(f"DIFF {k}: kernel {kv}, generated {gv}")
    only_k = sorted(set(ker) - set(gen) - RUNTIME)
    only_g = sorted(set(gen) - set(ker) - RUNTIME)
    missing = [k for k in a.require.split(",") if k and k not in gen]
    print(f"common {len(common)} equal {len(common) - bad} differ {bad}; "
          f"kernel-only {len(only_k)}: {' '.join(only_k)}; generated-only {len(only_g)}")
    for k in missing:
        print(f"MISSING {k}")
    sys.exit(1 if bad or missing or len(common) < a.min_common else 0)


if __name__ == "__main__":
    main()
