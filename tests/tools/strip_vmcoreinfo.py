#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Makes a copy of an ELF vmcore without its VMCOREINFO note.

    strip_vmcoreinfo.py [--scrub-memory] [--keep-note] [--plant PADDR]
                        [--set KEY=VALUE]... IN OUT

The note keeps its size and place; its name becomes "NOTVMCINF" so no reader
takes it for VMCOREINFO (as a QEMU core taken without -device vmcoreinfo).
--scrub-memory overwrites every "OSRELEASE=" in the memory segments with
"XSRELEASE=", so that no copy of the text can be recovered from memory.
--plant PADDR writes the note's text, NUL-terminated, at that physical
address (as the kernel keeps it in vmcoreinfo_data), after the --set edits
(KEY=VALUE replaces that line; KEY= alone drops it).  --keep-note leaves the
note in place.  Prints what it did.  Exit 1 when IN has no note.
"""
import argparse
import mmap
import shutil
import struct
import sys


def notes(m, phoff, phentsize, phnum):
    for i in range(phnum):
        ptype, _, off, _, paddr, filesz = struct.unpack_from("<IIQQQQ", m, phoff + i * phentsize)
        yield ptype, off, paddr, filesz


def edited(text, sets):
    lines = text.rstrip("\0").splitlines()
    for s in sets:
        key, value = s.split("=", 1)
        old = [i for i, l in enumerate(lines) if l.startswith(key + "=")]
        if old and value:
            lines[old[0]] = f"{key}={value}"
        elif old:
            del lines[old[0]]
        elif value:
            lines.append(f"{key}={value}")
    return ("\n".join(lines) + "\n").encode() + b"\0"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scrub-memory", action="store_true")
    ap.add_argument("--keep-note", action="store_true")
    ap.add_argument("--plant", type=lambda v: int(v, 0))
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("src")
    ap.add_argument("dst")
    a = ap.parse_args()
    shutil.copyfile(a.src, a.dst)
    with open(a.dst, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0)
        if m[:4] != b"\x7fELF" or m[4] != 2 or m[5] != 1:
            sys.exit("not a little-endian ELF64 core")
        phoff, = struct.unpack_from("<Q", m, 32)
        phentsize, phnum = struct.unpack_from("<HH", m, 54)
        segs = list(notes(m, phoff, phentsize, phnum))
        found = scrubbed = 0
        text = None
        for ptype, off, _, filesz in segs:
            if ptype == 4:
                o = off
                while o + 12 <= off + filesz:
                    namesz, descsz, _ = struct.unpack_from("<III", m, o)
                    name = bytes(m[o + 12:o + 12 + namesz]).rstrip(b"\0")
                    desc = o + 12 + ((namesz + 3) & ~3)
                    if name == b"VMCOREINFO":
                        text = bytes(m[desc:desc + descsz]).decode()
                        if not a.keep_note:
                            m[o + 12:o + 12 + 10] = b"NOTVMCINF\0"
                        found += 1
                    o = desc + ((descsz + 3) & ~3)
            elif ptype == 1 and a.scrub_memory:
                at = m.find(b"OSRELEASE=", off, off + filesz)
                while at >= 0:
                    m[at:at + 1] = b"X"
                    scrubbed += 1
                    at = m.find(b"OSRELEASE=", at + 1, off + filesz)
        planted = False
        if a.plant is not None and text is not None:
            blob = edited(text, a.set)
            for ptype, off, paddr, filesz in segs:
                if ptype == 1 and paddr <= a.plant and a.plant + len(blob) <= paddr + filesz:
                    at = off + a.plant - paddr
                    m[at:at + len(blob)] = blob
                    planted = True
                    break
            if not planted:
                sys.exit(f"no PT_LOAD holds physical 0x{a.plant:x}")
        m.flush()
    print(f"notes renamed {0 if a.keep_note else found}, memory copies scrubbed {scrubbed}, "
          f"planted {'yes' if planted else 'no'}")
    sys.exit(0 if found else 1)


if __name__ == "__main__":
    main()
