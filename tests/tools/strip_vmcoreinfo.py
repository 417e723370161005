#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Makes a copy of an ELF vmcore without its VMCOREINFO note.

    strip_vmcoreinfo.py [--scrub-memory] IN OUT

The note keeps its size and place; its name becomes "NOTVMCINF" so no reader
takes it for VMCOREINFO (as a QEMU core taken without -device vmcoreinfo).
--scrub-memory also overwrites every "OSRELEASE=" in the memory segments
with "XSRELEASE=", so that no copy of the text can be recovered from memory.
Prints how many memory copies were scrubbed.  Exit 1 when IN has no note.
"""
import mmap
import shutil
import struct
import sys


def main():
    args = sys.argv[1:]
    scrub = "--scrub-memory" in args
    args = [a for a in args if a != "--scrub-memory"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    src, dst = args
    shutil.copyfile(src, dst)
    with open(dst, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0)
        if m[:4] != b"\x7fELF" or m[4] != 2 or m[5] != 1:
            sys.exit("not a little-endian ELF64 core")
        phoff, = struct.unpack_from("<Q", m, 32)
        phentsize, phnum = struct.unpack_from("<HH", m, 54)
        found = scrubbed = 0
        for i in range(phnum):
            ptype, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", m, phoff + i * phentsize)
            if ptype == 4:
                o = off
                while o + 12 <= off + filesz:
                    namesz, descsz, _ = struct.unpack_from("<III", m, o)
                    name = bytes(m[o + 12:o + 12 + namesz]).rstrip(b"\0")
                    if name == b"VMCOREINFO":
                        m[o + 12:o + 12 + 10] = b"NOTVMCINF\0"
                        found += 1
                    o += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
            elif ptype == 1 and scrub:
                at = m.find(b"OSRELEASE=", off, off + filesz)
                while at >= 0:
                    m[at:at + 1] = b"X"
                    scrubbed += 1
                    at = m.find(b"OSRELEASE=", at + 1, off + filesz)
        m.flush()
    print(f"notes renamed {found}, memory copies scrubbed {scrubbed}")
    sys.exit(0 if found else 1)


if __name__ == "__main__":
    main()
