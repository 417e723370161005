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
import struct
import sys


def phdrs(data):
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        yield struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)


def vmcoreinfo(data):
    for p_type, _, off, _, _, filesz, _, _ in phdrs(data):
        if p_type != 4:  # PT_NOTE
            continue
        pos = off
        while pos + 12 <= off + filesz:
            namesz, descsz, _ = struct.unpack_from("<III", data, pos)
            name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            desc = pos + 12 + (namesz + 3) // 4 * 4
            if name == b"VMCOREINFO":
                return data[desc:desc + descsz].decode()
            pos = desc + (descsz + 3) // 4 * 4
    sys.exit("no VMCOREINFO note")


def file_offsets(data, paddr):
    """Every copy: the kernel-image PT_LOAD duplicates part of RAM."""
    offs = [off + paddr - pa for p_type, _, off, _, pa, filesz, _, _ in phdrs(data)
            if p_type == 1 and pa <= paddr < pa + filesz]
    if not offs:
        sys.exit("physical 0x%x is not in the file" % paddr)
    return offs


def key(text, name):
    for line in text.splitlines():
        if line.startswith(name + "="):
            return line.split("=", 1)[1]
    sys.exit("no " + name)


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
        ram_end = max(pa + memsz for t, _, _, _, pa, _, memsz, _ in phdrs(data) if t == 1)
        target = pgd_pa if how == "loop" else ram_end + (1 << 40)
        rng = random.Random(how)
        keep = image_slot(text, page, pgd_va) if how.startswith("random:") else -1
        for at in file_offsets(data, pgd_pa):
            for i in range(page // 8):
                e, = struct.unpack_from("<Q", data, at + i * 8)
                if not e & 1 or i == keep:
                    continue
                if how.startswith("random:"):
                    new = rng.getrandbits(64) | 1
                else:
                    new = (target & ((1 << 48) - 1) & ~(page - 1)) | 3
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
