#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Prints a dump's erase record (--config), byte for byte.

    eraseinfo.py DUMP

DUMP is kdump-compressed or flattened (the sub-header's offset_eraseinfo and
size_eraseinfo) or an ELF core (the ERASEINFO note's descriptor, n_descsz
bytes, padding included).  Prints nothing when there is none; exit 2 when
DUMP cannot be read.
"""
import os
import struct
import sys

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, os.path.dirname(__file__))
import kdumplib as kl  # noqa: E402


def elf_record(path):
    core = kl.ElfCore(path)
    for off, size in core.notes:
        core.f.seek(off)
        blob = core.f.read(size)
        i = 0
        while i + 12 <= len(blob):
            namesz, descsz, _ = struct.unpack_from("<III", blob, i)
            desc = i + 12 + ((namesz + 3) & ~3)
            if blob[i + 12:i + 12 + namesz].rstrip(b"\0") == b"ERASEINFO":
                return blob[desc:desc + descsz]
            i = desc + ((descsz + 3) & ~3)
    return b""


def kdump_record(path):
    d = kl.Kdump(path)
    off, size = d.sub.get("offset_eraseinfo", 0), d.sub.get("size_eraseinfo", 0)
    return d.src.read(off, size) if off and size else b""


def main():
    path = sys.argv[1]
    try:
        with open(path, "rb") as f:
            is_elf = f.read(4) == b"\x7fELF"
        rec = elf_record(path) if is_elf else kdump_record(path)
    except (OSError, kl.FormatError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(rec)
    return 0


sys.exit(main())
