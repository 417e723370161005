#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Rebuild the real file from a makedumpfile flattened stream (like
makedumpfile -R, but an independent implementation).  Later records
overwrite earlier ones; unwritten ranges stay holes (zeros).

usage: unflat.py [--lenient] IN_FLAT OUT
exit: 0 ok, 1 the stream is damaged (no end marker, bad record, bad
type/version...; with --lenient the file is still written), 2 unreadable
or not a flattened file.
"""
import argparse
import sys

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, __import__("os").path.dirname(__file__))
import kdumplib as kl  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--lenient", action="store_true",
                    help="write the output even if the stream is damaged")
    a = ap.parse_args()
    try:
        flat = kl.FlatSource(a.inp)
    except (kl.FormatError, OSError) as e:
        print("unflat: %s" % e, file=sys.stderr)
        return 2
    for p in flat.problems:
        print("unflat: " + p, file=sys.stderr)
    if flat.problems and not a.lenient:
        return 1
    kl.unflatten(flat, a.out)
    print("unflat: %d records, %d bytes" % (flat.nrecords, flat.size))
    return 1 if flat.problems else 0


if __name__ == "__main__":
    sys.exit(main())
