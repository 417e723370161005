#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Damage a kdump-compressed file in place, for negative tests.

usage: kdumppoke.py DUMP page PFN [AT]        flip (xor 0xff) the stored byte
                                              AT (default size/2) of pfn's data
       kdumppoke.py DUMP desc PFN FIELD       xor 1 into the low byte of the
                                              descriptor field (offset, size,
                                              flags, page_flags)
       kdumppoke.py DUMP bit1|bit2 PFN        toggle pfn's bit in bitmap1/2
       kdumppoke.py DUMP byte OFFSET [XOR]    xor a byte (default 0xff)
Numbers accept any base (0x...).  Plain (not flattened) files only.
exit: 0 done, 2 usage error / pfn not in the dump.
"""
import sys

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, __import__("os").path.dirname(__file__))
import kdumplib as kl  # noqa: E402

FIELDS = {"offset": 0, "size": 8, "flags": 12, "page_flags": 16}


def xor_byte(path, off, val):
    with open(path, "r+b") as f:
        f.seek(off)
        b = f.read(1)
        if len(b) != 1:
            raise SystemExit("kdumppoke: offset %d beyond EOF" % off)
        f.seek(off)
        f.write(bytes([b[0] ^ val]))
    print("kdumppoke: xor %#x at offset %d" % (val, off))


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, what, args = argv[0], argv[1], [int(x, 0) if i != 1 or
                                          argv[1] != "desc" else x
                                          for i, x in enumerate(argv[2:])]
    if what == "byte":
        xor_byte(path, args[0], args[1] if len(args) > 1 else 0xff)
        return 0
    k = kl.Kdump(path)
    if k.src.flat:
        print("kdumppoke: flattened input not supported", file=sys.stderr)
        return 2
    pfn = args[0]
    if what in ("bit1", "bit2"):
        base = k.bitmap_off + (k.bitmap_len if what == "bit2" else 0)
        xor_byte(path, base + (pfn >> 3), 1 << (pfn & 7))
        return 0
    if pfn not in k.pfns:
        print("kdumppoke: pfn %#x not in the dump" % pfn, file=sys.stderr)
        return 2
    idx = k.pfns.index(pfn)
    off, size, _, _ = k.descs[idx]
    if what == "page":
        at = args[1] if len(args) > 1 else size // 2
        xor_byte(path, off + at, 0xff)
    elif what == "desc" and args[1] in FIELDS:
        xor_byte(path, k.desc_off + kl.DESC_SIZE * idx + FIELDS[args[1]], 1)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
