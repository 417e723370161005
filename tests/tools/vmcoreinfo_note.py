#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Prints the VMCOREINFO note's text of a little-endian ELF64 vmcore.

    vmcoreinfo_note.py VMCORE

Exit 1 when the core has no VMCOREINFO note.
"""
import struct
import sys


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], "rb") as f:
        eh = f.read(64)
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ptype, _, off, _, _, filesz = struct.unpack("<IIQQQQ", f.read(40))
            if ptype != 4:
                continue
            f.seek(off)
            d = f.read(filesz)
            o = 0
            while o + 12 <= len(d):
                namesz, descsz, _ = struct.unpack_from("<III", d, o)
                desc = o + 12 + ((namesz + 3) & ~3)
                if d[o + 12:o + 12 + namesz].rstrip(b"\0") == b"VMCOREINFO":
                    sys.stdout.write(d[desc:desc + descsz].decode().rstrip("\0"))
                    return
                o = desc + ((descsz + 3) & ~3)
    sys.exit(1)


if __name__ == "__main__":
    main()
