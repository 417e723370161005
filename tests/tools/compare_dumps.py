#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare two kdump-compressed dumps (or flattened streams) of the same
memory: bitmap1, bitmap2 and the decompressed content of every page kept
in both.  Header fields that should agree are reported as notes (or as
failures with --strict-headers).

usage: compare_dumps.py [--strict-headers] [--live PHYS:SIZE] DUMP_A DUMP_B

--live PHYS:SIZE: memory that stays live while the dumpers read it (pseries'
RTAS firmware area in a kdump capture): pages there must be kept in both,
their content may differ (reported as notes).
exit: 0 same, 1 differences, 2 usage error or unreadable input.
"""
import argparse
import sys

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, __import__("os").path.dirname(__file__))
import kdumplib as kl  # noqa: E402

HEADER_FIELDS = ("block_size", "nr_cpus", "tv_sec", "status")
SUB_FIELDS = ("phys_base", "dump_level", "split", "max_mapnr_64",
              "size_note", "size_vmcoreinfo", "size_eraseinfo")


def fmt_ranges(pfns, limit=20):
    rs = kl.ranges(sorted(pfns))
    txt = ", ".join("%#x+%d" % (a, n) for a, n in rs[:limit])
    if len(rs) > limit:
        txt += ", ... (%d ranges in all)" % len(rs)
    return txt


def header_diffs(a, b):
    out = []
    for f in HEADER_FIELDS:
        if a.hdr[f] != b.hdr[f]:
            out.append("header %s: %r vs %r" % (f, a.hdr[f], b.hdr[f]))
    for f in kl.UTS_FIELDS:
        if a.hdr["utsname"][f] != b.hdr["utsname"][f]:
            out.append("utsname.%s: %r vs %r" % (f, a.hdr["utsname"][f],
                                                 b.hdr["utsname"][f]))
    for f in SUB_FIELDS:
        if a.sub[f] != b.sub[f]:
            out.append("sub header %s: %r vs %r" % (f, a.sub[f], b.sub[f]))
    if a.notes_blob != b.notes_blob:
        out.append("ELF note blobs differ")
    return out


def bitmap_diff(name, a_bits, b_bits, lines):
    only_a, only_b = a_bits - b_bits, b_bits - a_bits
    if only_a:
        lines.append("%s only in A (%d): %s" % (name, len(only_a),
                                                fmt_ranges(only_a)))
    if only_b:
        lines.append("%s only in B (%d): %s" % (name, len(only_b),
                                                fmt_ranges(only_b)))
    return only_a, only_b


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump_a")
    ap.add_argument("dump_b")
    ap.add_argument("--strict-headers", action="store_true",
                    help="header field differences are failures too")
    ap.add_argument("--live", metavar="PHYS:SIZE",
                    help="bytes whose content may change between the dumps")
    args = ap.parse_args()
    try:
        a, b = kl.Kdump(args.dump_a), kl.Kdump(args.dump_b)
    except (kl.FormatError, OSError) as e:
        print("compare_dumps: cannot open input: %s" % e, file=sys.stderr)
        return 2
    fail = []
    if a.B != b.B:
        print("compare_dumps: block sizes differ (%d vs %d)" % (a.B, b.B))
        return 1
    hd = header_diffs(a, b)
    for line in hd:
        print(("FAIL: " if args.strict_headers else "note: ") + line)
    if args.strict_headers:
        fail += hd
    m = max(a.max_mapnr, b.max_mapnr)
    bitmap_diff("bitmap1", set(kl.set_bits(a.bitmap1, 0, m)),
                set(kl.set_bits(b.bitmap1, 0, m)), fail)
    a2 = {p: d for p, d in zip(a.pfns, a.descs)}
    b2 = {p: d for p, d in zip(b.pfns, b.descs)}
    only_a, only_b = bitmap_diff("bitmap2", set(a2), set(b2), fail)
    equal = 0
    differ = []
    for pfn in sorted(set(a2) & set(b2)):
        try:
            pa = a.decode(a2[pfn], pfn)
            pb = b.decode(b2[pfn], pfn)
        except kl.FormatError as e:
            differ.append((pfn, "unreadable: %s" % e))
            continue
        if pa == pb:
            equal += 1
        else:
            first = next(i for i in range(a.B) if pa[i] != pb[i])
            differ.append((pfn, "first differing byte at %#x" % first))
    if args.live:
        phys, size = (int(v, 0) for v in args.live.split(":"))
        live = [(p, why) for p, why in differ
                if phys // a.B <= p <= (phys + size - 1) // a.B]
        for pfn, why in live:
            print("note: page %#x differs in live memory: %s" % (pfn, why))
        differ = [d for d in differ if d not in live]
    for line in fail:
        if line not in hd:
            print("FAIL: " + line)
    for pfn, why in differ[:20]:
        print("FAIL: page %#x differs: %s" % (pfn, why))
    if len(differ) > 20:
        print("FAIL: ... %d more differing pages" % (len(differ) - 20))
    print("compare: %d pages equal, %d differ, %d only-in-A, %d only-in-B"
          % (equal, len(differ), len(only_a), len(only_b)))
    return 1 if fail or differ else 0


if __name__ == "__main__":
    sys.exit(main())
