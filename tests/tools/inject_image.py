#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Copies a kernel image's loaded data into an x86_64 ELF vmcore, in place.

    inject_image.py CORE VMLINUX

Every PT_LOAD of VMLINUX (but the one of its ELF headers) linked in the kernel-image range (from
__START_KERNEL_map) goes to physical address vaddr - __START_KERNEL_map +
phys_base (phys_base from the core's VMCOREINFO; the core must have
KERNELOFFSET=0: pointers inside the data are not relocated), into every
PT_LOAD of CORE that holds that address (the kernel-text segment and the
RAM one both).  Bytes past p_filesz (.bss) are written as zeros.  Prints
one line per segment copied; exit 1 if a segment has no place in CORE.
"""
import mmap
import re
import struct
import sys

START_KERNEL_MAP = 0xFFFFFFFF80000000


def phdrs(m):
    phoff, = struct.unpack_from("<Q", m, 32)
    phentsize, phnum = struct.unpack_from("<HH", m, 54)
    for i in range(phnum):
        ptype, _, off, vaddr, paddr, filesz, memsz = struct.unpack_from("<IIQQQQQ", m, phoff + i * phentsize)
        yield ptype, off, vaddr, paddr, filesz, memsz


def vmcoreinfo(core):
    for ptype, off, _, _, filesz, _ in phdrs(core):
        if ptype == 4:
            text = core[off:off + filesz].decode("latin-1")
            keys = dict(re.findall(r"^([A-Za-z_()0-9.]+)=(\S*)$", text, re.M))
            return keys
    sys.exit("the core has no PT_NOTE")


def main():
    core_path, vmlinux_path = sys.argv[1:3]
    with open(core_path, "r+b") as cf, open(vmlinux_path, "rb") as vf:
        core = mmap.mmap(cf.fileno(), 0)
        vm = vf.read()
        keys = vmcoreinfo(core)
        if int(keys.get("KERNELOFFSET", "0"), 16):
            sys.exit("the core has KERNELOFFSET: the image's pointers would need relocating")
        phys_base = int(keys["NUMBER(phys_base)"], 0)
        loads = [p for p in phdrs(core) if p[0] == 1]
        for ptype, off, vaddr, _, filesz, memsz in phdrs(vm):
            if ptype != 1 or vaddr < START_KERNEL_MAP or off == 0:  # not the ELF headers' segment
                continue
            data = vm[off:off + filesz] + bytes(memsz - filesz)
            pa = vaddr - START_KERNEL_MAP + phys_base
            hits = 0
            for _, coff, _, cpa, cfilesz, _ in loads:
                if cpa <= pa and pa + len(data) <= cpa + cfilesz:
                    at = coff + pa - cpa
                    core[at:at + len(data)] = data
                    hits += 1
            if not hits:
                sys.exit(f"no PT_LOAD of the core holds 0x{pa:x}-0x{pa + len(data):x}")
            print(f"0x{vaddr:x}: {len(data)} bytes at paddr 0x{pa:x} ({hits} copies)")
        core.flush()


main()
