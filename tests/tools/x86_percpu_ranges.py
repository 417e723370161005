#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Where each CPU's copy of a per-CPU member lies in an x86_64 ELF core, as
check_erased.py's EXPECTED lines, worked out from the core's memory and the
vmlinux's symbols alone (no vmsift code): the image read at link address +
KERNELOFFSET - __START_KERNEL_map + phys_base (init_task too), per-CPU
areas and slab objects through the direct map (page_offset_base).

    x86_percpu_ranges.py CORE NM_OUTPUT SPEC...

NM_OUTPUT: `nm VMLINUX` of the core's kernel.  SPEC: VAR:OFF:LEN (the bytes
OFF..OFF+LEN of each CPU's VAR) or VAR*:OFF:LEN (VAR a per-CPU pointer: the
bytes at OFF of the object it points to), OFF and LEN decimal.  One line
per CPU below nr_cpu_ids and SPEC, fill X.
"""
import struct
import sys

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, __import__("os").path.dirname(__file__))
import kdumplib as kl  # noqa: E402

START_KERNEL_MAP = 0xffffffff80000000


def main():
    core = kl.ElfCore(sys.argv[1])
    syms = {}
    for line in open(sys.argv[2]):
        f = line.split()
        if len(f) == 3:
            syms.setdefault(f[2], int(f[0], 16))
    info = {}
    for off, size in core.notes:
        core.f.seek(off)
        for name, _t, _at, desc in kl.parse_notes(core.f.read(size)):
            if name == b"VMCOREINFO":
                info = kl.parse_vmcoreinfo(desc)
    kaslr = int(info.get("KERNELOFFSET", "0"), 16)
    phys_base = int(info.get("NUMBER(phys_base)", "0"))

    def image(sym, n):
        pa = syms[sym] + kaslr - START_KERNEL_MAP + phys_base
        return core.read_phys(pa, n)

    page_offset = struct.unpack("<Q", image("page_offset_base", 8))[0]

    def phys(va):   # the kernel image (init_task, say) or the direct map
        return va - START_KERNEL_MAP + phys_base if va >= START_KERNEL_MAP else va - page_offset

    ncpus = struct.unpack("<I", image("nr_cpu_ids", 4))[0]
    table = syms["__per_cpu_offset"]
    for cpu in range(ncpus):
        pa = table + kaslr - START_KERNEL_MAP + phys_base + 8 * cpu
        area = struct.unpack("<Q", core.read_phys(pa, 8))[0]
        for spec in sys.argv[3:]:
            var, off, n = spec.split(":")
            va = area + syms[var.rstrip("*")]
            if var.endswith("*"):
                va = struct.unpack("<Q", core.read_phys(phys(va), 8))[0]
            print("%x %d X" % (phys(va + int(off)), int(n)))


if __name__ == "__main__":
    main()
