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

INVALID, TYPE = 0x20, 0x0c


def phdrs(data):
    if data[5] != 2:
        sys.exit("not a big-endian core")
    phoff, = struct.unpack_from(">Q", data, 32)
    phentsize, phnum = struct.unpack_from(">HH", data, 54)
    for i in range(phnum):
        yield struct.unpack_from(">IIQQQQQQ", data, phoff + i * phentsize)


def vmcoreinfo(data):
    for p_type, _, off, _, _, filesz, _, _ in phdrs(data):
        if p_type != 4:  # PT_NOTE
            continue
        pos = off
        while pos + 12 <= off + filesz:
            namesz, descsz, _ = struct.unpack_from(">III", data, pos)
            name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            desc = pos + 12 + (namesz + 3) // 4 * 4
            if name == b"VMCOREINFO":
                return data[desc:desc + descsz].decode()
            pos = desc + (descsz + 3) // 4 * 4
    sys.exit("no VMCOREINFO note")


def key(text, name, default=None):
    for line in text.splitlines():
        if line.startswith(name + "="):
            return line.split("=", 1)[1]
    if default is None:
        sys.exit("no " + name)
    return default


def file_offsets(data, paddr):
    """Every copy: the kernel-image PT_LOAD duplicates part of RAM."""
    offs = [off + paddr - pa for p_type, _, off, _, pa, filesz, _, _ in phdrs(data)
            if p_type == 1 and pa <= paddr < pa + filesz]
    if not offs:
        sys.exit("physical 0x%x is not in the file" % paddr)
    return offs


def patch_root(path, how):
    with open(path, "r+b") as f:
        data = f.read()
        text = vmcoreinfo(data)
        va = int(key(text, "SYMBOL(swapper_pg_dir)"), 16)
        pa = va
        if key(text, "KERNELOFFPHYS", "-") != "-":
            pa = va - int(key(text, "KERNELOFFSET"), 16) + int(key(text, "KERNELOFFPHYS"), 16)
        ram_end = max(p + memsz for t, _, _, _, p, _, memsz, _ in phdrs(data) if t == 1)
        at0 = file_offsets(data, pa)[0]
        level = (struct.unpack_from(">Q", data, at0)[0] & TYPE) >> 2
        keep = va >> (20 + 11 * level) & 2047
        rng = random.Random(how)
        for at in file_offsets(data, pa):
            for i in range(2048):
                e, = struct.unpack_from(">Q", data, at + i * 8)
                if e & INVALID or i == keep and how.startswith("random:"):
                    continue
                if how == "wild":
                    new = (ram_end + (1 << 40)) | (e & 0xfff)
                elif how == "loop":
                    new = pa | (e & 0xfff)
                elif how == "type":
                    new = e | TYPE
                else:
                    new = rng.getrandbits(64) & ~INVALID
                f.seek(at + i * 8)
                f.write(struct.pack(">Q", new))


def main():
    if sys.argv[1] == "vmcoreinfo":
        with open(sys.argv[2], "rb") as f:
            sys.stdout.write(vmcoreinfo(f.read()))
    elif sys.argv[1] == "root":
        patch_root(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
