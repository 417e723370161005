#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Make a small synthetic x86_64 ELF vmcore (ET_CORE) for tests.

The memory image is deterministic: every pfn has a content kind (zero,
compressible text, incompressible noise, nearly-zero) chosen from the pfn,
plus a "kernel" area holding page tables, an init_uts_ns and a VMCOREINFO
note, enough for makedumpfile -d 0/1 to work.  Variants change only the ELF
container (ELF32, PN_XNUM, program headers at the end of the file, a
p_memsz > p_filesz segment, a partial last page) so that the same physical
memory can be described several ways.

usage: mkcore.py OUT [--class 32|64] [--xnum] [--phdrs-at-end]
                     [--memsz-tail] [--partial-page] [--cpus N]
                     [--omit-key KEY]... [--extra-key K=V]... [--no-vmcoreinfo]
                     [--corrupt-pfn PFN]
"""
import argparse
import hashlib
import struct
import sys

PAGE = 4096
START_KERNEL_MAP = 0xffffffff80000000
DIRECT_MAP = 0xffff888000000000
KTEXT_PHYS = 0x1000000          # kernel image physical start (phys_base 0)
KTEXT_VIRT = 0xffffffff81000000
KTEXT_SIZE = 0x20000            # 32 pages described by the kernel-text PT_LOAD
UTS_OFF = 0x2000                # init_uts_ns inside the kernel image
PGD_OFF = 0x4000                # page tables inside the kernel image
PUD_OFF = 0x5000
PMD_OFF = 0x6000
PUD_DM_OFF = 0x7000             # 1 GiB pages for the direct map
OSRELEASE = "6.0.0-vmsift-test"   # makedumpfile 1.7.2 knows <= 6.0.1
MEMMAP_OFF = 0x3000             # FLATMEM "mem_map" pointer variable
VMEMMAP = 0xffffea0000000000

# RAM ranges (physical start, byte size); the kernel image lies in the last.
RAM = [(0x0, 0x80000), (0x100000, 0xa0000), (0x1000000, 0x40000)]
MEMSZ_TAIL = (0x2000000, 0x20000, 0x40000)   # start, filesz, memsz


def page_kind(pfn):
    """Content class of a pfn; a fixed function so tests can reason."""
    if pfn % 7 == 3 or 0x120 <= pfn < 0x130:
        return "zero"
    if pfn % 5 == 1:
        return "noise"
    if pfn % 11 == 4:
        return "sparse"
    return "text"


def page_bytes(pfn):
    kind = page_kind(pfn)
    if kind == "zero":
        return bytes(PAGE)
    if kind == "noise":
        out = b""
        i = 0
        while len(out) < PAGE:
            out += hashlib.sha256(b"%d:%d" % (pfn, i)).digest()
            i += 1
        return out[:PAGE]
    if kind == "sparse":
        pg = bytearray(PAGE)
        pg[-1] = (pfn & 0xff) | 1
        return bytes(pg)
    line = b"pfn %08x line %%04d of a compressible test page\n" % pfn
    out = b"".join(line % i for i in range(PAGE // len(line) + 1))
    return out[:PAGE]


def kernel_fixups(mem_of):
    """Overwrite kernel-image pages: page tables and init_uts_ns."""
    def put(phys, data):
        pfn, off = divmod(phys, PAGE)
        pg = bytearray(mem_of(pfn))
        pg[off:off + len(data)] = data
        mem_of(pfn, bytes(pg))

    base = KTEXT_PHYS
    for off in (PGD_OFF, PUD_OFF, PMD_OFF, PUD_DM_OFF):
        put(base + off, bytes(PAGE))
    # PGD[511] -> PUD (kernel map); PGD[273] -> direct-map PUD.
    put(base + PGD_OFF + 8 * 511, struct.pack("<Q", base + PUD_OFF | 0x63))
    dm_idx = (DIRECT_MAP >> 39) & 511
    put(base + PGD_OFF + 8 * dm_idx, struct.pack("<Q", base + PUD_DM_OFF | 0x63))
    # PUD[510] -> PMD; PMD[8] = 2 MiB page at KTEXT_PHYS (0xffffffff81000000).
    put(base + PUD_OFF + 8 * 510, struct.pack("<Q", base + PMD_OFF | 0x63))
    pmd_idx = ((KTEXT_VIRT - START_KERNEL_MAP) >> 21) & 511
    put(base + PMD_OFF + 8 * pmd_idx, struct.pack("<Q", KTEXT_PHYS | 0xe3))
    # Direct map: PUD_DM[0] = 1 GiB page at physical 0.
    put(base + PUD_DM_OFF, struct.pack("<Q", 0 | 0xe3))
    fields = [b"Linux", b"vmsift-test-node", OSRELEASE.encode(),
              b"#1 SMP PREEMPT_DYNAMIC test", b"x86_64", b"(none)"]
    uts = b"".join(f.ljust(65, b"\0") for f in fields)
    put(base + UTS_OFF, uts)
    put(base + MEMMAP_OFF, struct.pack("<Q", VMEMMAP))


def vmcoreinfo_text(args):
    keys = [
        ("OSRELEASE", OSRELEASE),
        ("PAGESIZE", str(PAGE)),
        ("SYMBOL(init_uts_ns)", "%x" % (KTEXT_VIRT + UTS_OFF)),
        ("OFFSET(uts_namespace.name)", "0"),
        ("SYMBOL(init_top_pgt)", "%x" % (KTEXT_VIRT + PGD_OFF)),
        ("SYMBOL(_stext)", "%x" % KTEXT_VIRT),
        ("SYMBOL(mem_map)", "%x" % (KTEXT_VIRT + MEMMAP_OFF)),
        ("SIZE(page)", "64"),
        ("OFFSET(page.flags)", "0"),
        ("OFFSET(page._refcount)", "52"),
        ("OFFSET(page.mapping)", "24"),
        ("NUMBER(phys_base)", "0"),
        ("NUMBER(pgtable_l5_enabled)", "0"),
        ("KERNELOFFSET", "0"),
        ("CRASHTIME", "1700000000"),
    ]
    keys = [(k, v) for k, v in keys if k not in args.omit_key]
    for kv in args.extra_key:
        k, v = kv.split("=", 1)
        keys.append((k, v))
    return "".join("%s=%s\n" % kv for kv in keys).encode()


def note(name, ntype, desc):
    nm = name + b"\0"
    hdr = struct.pack("<III", len(nm), len(desc), ntype)
    pad = lambda b: b + bytes(-len(b) % 4)
    return hdr + pad(nm) + pad(desc)


def notes_blob(args):
    blob = b""
    for cpu in range(args.cpus):
        prstatus = bytearray(336)            # x86_64 struct elf_prstatus
        struct.pack_into("<i", prstatus, 32, 1000 + cpu)   # pr_pid
        blob += note(b"CORE", 1, bytes(prstatus))
    if not args.no_vmcoreinfo:
        blob += note(b"VMCOREINFO", 0, vmcoreinfo_text(args))
    return blob


def build_memory(args):
    """Return {pfn: page bytes} for every pfn that has file data."""
    mem = {}

    def mem_of(pfn, data=None):
        if data is None:
            return mem[pfn]
        mem[pfn] = data

    ranges = list(RAM)
    if args.memsz_tail:
        ranges.append((MEMSZ_TAIL[0], MEMSZ_TAIL[1]))
    for start, size in ranges:
        for pfn in range(start // PAGE, (start + size + PAGE - 1) // PAGE):
            mem[pfn] = page_bytes(pfn)
    kernel_fixups(mem_of)
    for pfn in args.corrupt_pfn:
        pg = bytearray(mem[pfn])
        pg[100] ^= 0x5a
        mem[pfn] = bytes(pg)
    return mem


def segments(args):
    """(p_vaddr, p_paddr, filesz, memsz) in the order real vmcores use."""
    segs = [(KTEXT_VIRT, KTEXT_PHYS, KTEXT_SIZE, KTEXT_SIZE)]
    ram = list(RAM)
    if args.partial_page:
        # The 2nd RAM range ends 0x800 bytes into a page whose tail is zero.
        s, n = ram[1]
        ram[1] = (s, n - 0x800)
    for start, size in ram:
        segs.append((DIRECT_MAP + start, start, size, size))
    if args.memsz_tail:
        s, f, m = MEMSZ_TAIL
        segs.append((DIRECT_MAP + s, s, f, m))
    return segs


def seg_data(mem, paddr, filesz):
    out = bytearray()
    for pfn in range(paddr // PAGE, (paddr + filesz + PAGE - 1) // PAGE):
        out += mem[pfn]
    skip = paddr % PAGE
    return bytes(out[skip:skip + filesz])


def write_core(args):
    mem = build_memory(args)
    if args.partial_page:
        # Cut bytes must be zero so the memory image itself is unchanged.
        s, n = RAM[1]
        last = (s + n) // PAGE - 1
        pg = bytearray(mem[last])
        pg[PAGE - 0x800:] = bytes(0x800)
        mem[last] = bytes(pg)
    is64 = args.elf_class == 64
    ehsize, phentsize, shentsize = (64, 56, 64) if is64 else (52, 32, 40)
    blob = notes_blob(args)
    segs = segments(args)
    phnum = 1 + len(segs)
    # Program headers, then (PN_XNUM) section header 0, 8-byte aligned.
    tables = phentsize * phnum
    if args.xnum:
        tables += -tables % 8 + shentsize
    body_start = ehsize if args.phdrs_at_end else ehsize + tables
    note_off = body_start
    pos = note_off + len(blob)
    pos += -pos % PAGE
    datas, offs = [], []
    for vaddr, paddr, filesz, memsz in segs:
        datas.append(seg_data(mem, paddr, filesz))
        offs.append(pos)
        pos += filesz
        pos += -pos % PAGE
    phoff = pos if args.phdrs_at_end else ehsize
    shoff = 0
    if args.xnum:
        shoff = phoff + phentsize * phnum
        shoff += -shoff % 8
    out = bytearray(pos + (tables if args.phdrs_at_end else 0))

    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1, 1, 0]) + bytes(8)
    e_phnum = 0xffff if args.xnum else phnum
    e_shnum = 1 if args.xnum else 0
    if is64:
        eh = struct.pack("<16sHHIQQQIHHHHHH", ident, 4, 62, 1, 0, phoff, shoff,
                         0, ehsize, phentsize, e_phnum, shentsize, e_shnum, 0)
    else:
        eh = struct.pack("<16sHHIIIIIHHHHHH", ident, 4, 62, 1, 0, phoff, shoff,
                         0, ehsize, phentsize, e_phnum, shentsize, e_shnum, 0)
    out[0:ehsize] = eh

    def phdr(ptype, off, vaddr, paddr, filesz, memsz, flags, align):
        if is64:
            return struct.pack("<IIQQQQQQ", ptype, flags, off, vaddr, paddr,
                               filesz, memsz, align)
        return struct.pack("<IIIIIIII", ptype, off, vaddr & 0xffffffff,
                           paddr, filesz, memsz, flags, align)

    ph = [phdr(4, note_off, 0, 0, len(blob), len(blob), 0, 0)]
    for (vaddr, paddr, filesz, memsz), off in zip(segs, offs):
        ph.append(phdr(1, off, vaddr, paddr, filesz, memsz, 7, 0))
    ph = b"".join(ph)
    if args.xnum:
        if is64:
            sh = struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, phnum, 0, 0)
        else:
            sh = struct.pack("<IIIIIIIIII", 0, 0, 0, 0, 0, 0, 0, phnum, 0, 0)
        out[shoff:shoff + shentsize] = sh
    out[phoff:phoff + len(ph)] = ph
    out[note_off:note_off + len(blob)] = blob
    for d, off in zip(datas, offs):
        out[off:off + len(d)] = d
    with open(args.out, "wb") as f:
        f.write(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--class", dest="elf_class", type=int, choices=(32, 64),
                    default=64)
    ap.add_argument("--xnum", action="store_true",
                    help="e_phnum = PN_XNUM, real count in section 0 sh_info")
    ap.add_argument("--phdrs-at-end", action="store_true",
                    help="put the program headers after the segment data")
    ap.add_argument("--memsz-tail", action="store_true",
                    help="add a segment whose p_memsz > p_filesz")
    ap.add_argument("--partial-page", action="store_true",
                    help="2nd RAM segment ends in the middle of a page")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--omit-key", action="append", default=[])
    ap.add_argument("--extra-key", action="append", default=[])
    ap.add_argument("--no-vmcoreinfo", action="store_true")
    ap.add_argument("--corrupt-pfn", action="append", type=lambda s: int(s, 0),
                    default=[], help="flip a byte in this pfn's page")
    write_core(ap.parse_args())
    return 0


if __name__ == "__main__":
    sys.exit(main())
