#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare a kdump-compressed dump (or flattened stream) with its source
ELF vmcore.  Pages are read from the dump through libkdumpfile; program
headers and bitmaps are parsed by kdumplib (not by vmsift).

usage: compare_elf.py [--expect-excluded FILE] [--allow-lost] VMCORE DUMP
  --expect-excluded FILE  lines "START COUNT" (pfns, any int base, '#'
                          comments): the exact set of excluded pfns
                          (bitmap1 set, bitmap2 clear).
  --allow-lost            an incomplete dump's unwritten pages are no error.
exit: 0 all equal, 1 mismatch / coverage or expectation violated,
      2 usage error or unreadable input.
"""
import argparse
import sys
import tempfile

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, __import__("os").path.dirname(__file__))
import kdumplib as kl  # noqa: E402


def fmt_ranges(pfns, limit=20):
    rs = kl.ranges(sorted(pfns))
    txt = ", ".join("%#x+%d" % (a, n) for a, n in rs[:limit])
    if len(rs) > limit:
        txt += ", ... (%d ranges)" % len(rs)
    return txt


def open_libkdumpfile(path):
    import kdumpfile
    k = kdumpfile.kdumpfile(path)
    # Without an OS type addrxlat cannot set up KPHYSADDR on x86_64.
    try:
        k.attr["addrxlat.ostype"] = "linux"
    except Exception:
        pass
    return k


class PageReader:
    """Read one page by physical address via libkdumpfile."""

    def __init__(self, path, B):
        import kdumpfile
        self.kd = kdumpfile
        self.k = open_libkdumpfile(path)
        self.B = B
        self.fallbacks = 0

    def read(self, pfn, count=1):
        """count pages from pfn on (all of them kept in the dump)."""
        kd, addr, n = self.kd, pfn * self.B, count * self.B
        try:
            return bytes(self.k.read(kd.KDUMP_KPHYSADDR, addr, n))
        except kd.exceptions.NoDataException:
            raise
        except kd.exceptions.KDumpBaseException:
            # KPHYSADDR needs addrxlat set up from the dump's page tables,
            # which can fail on synthetic or incomplete dumps; on x86_64
            # without Xen MACHPHYSADDR is the same address space.
            data = bytes(self.k.read(kd.KDUMP_MACHPHYSADDR, addr, n))
            self.fallbacks += count
            return data


CHUNK = 64


def compare_page(reader, elf, pfn, B, mism):
    """1 if the dump's page pfn equals the source's, else 0 (noted in mism)."""
    try:
        got = reader.read(pfn)
    except Exception as e:
        mism.append((pfn, "unreadable: %s" % e))
        return 0
    if got == elf.read_phys(pfn * B, B):
        return 1
    mism.append((pfn, "content differs"))
    return 0


def read_expect(path):
    want = set()
    with open(path) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            start, count = (int(x, 0) for x in line.split())
            want.update(range(start, start + count))
    return want


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vmcore")
    ap.add_argument("dump")
    ap.add_argument("--expect-excluded", metavar="FILE")
    ap.add_argument("--allow-lost", action="store_true",
                    help="pages never written in an incomplete dump "
                    "(descriptor offset 0, status flag 0x8) are no failure")
    ap.add_argument("--clipped", action="store_true",
                    help="max_mapnr may end before the highest PT_LOAD (at the last "
                    "memory section with struct pages, as makedumpfile and vmsift do "
                    "when they read the memory model); PT_LOAD pfns past it are ignored")
    a = ap.parse_args()
    tmp = None
    try:
        elf = kl.ElfCore(a.vmcore)
        dump = kl.Kdump(a.dump)
        path = a.dump
        if dump.src.flat:
            # libkdumpfile 0.5.1 cannot read the flattened format itself.
            tmp = tempfile.NamedTemporaryFile(suffix=".kdump")
            kl.unflatten(dump.src, tmp.name)
            path = tmp.name
        reader = PageReader(path, dump.B)
        want = read_expect(a.expect_excluded) if a.expect_excluded else None
    except Exception as e:       # FormatError, OSError, libkdumpfile errors
        print("compare_elf: cannot open input: %s" % e, file=sys.stderr)
        return 2
    B = dump.B
    problems = []

    # libkdumpfile's view of bitmap2 must be ours.
    try:
        lo, hi = dump.range          # a split piece maps only its range
        if hi > lo:
            pm = reader.k.attr["file.pagemap"]
            lk = int.from_bytes(bytes(pm.get_bits(lo, hi - 1)), "little")
            mask = (1 << (hi - lo)) - 1
            mine = int.from_bytes(dump.bitmap2, "little") >> lo & mask
            if lk & mask != mine:
                problems.append("libkdumpfile file.pagemap differs from "
                                "bitmap2")
    except Exception as e:        # attribute missing in old versions
        print("note: no file.pagemap cross-check (%s)" % e)

    # Coverage: bitmap1 must be exactly the pfns inside PT_LOADs.
    full, partial, _ = elf.pfn_coverage(B)
    bm1 = set(kl.set_bits(dump.bitmap1, 0, dump.max_mapnr))
    bm2 = set(kl.set_bits(dump.bitmap2, 0, dump.max_mapnr))
    not_in_load = bm1 - full - partial
    missing = full - bm1
    if a.clipped:
        missing = {p for p in missing if p < dump.max_mapnr}
    if not_in_load:
        problems.append("bitmap1 pfns in no PT_LOAD: " + fmt_ranges(not_in_load))
    if missing:
        problems.append("PT_LOAD pfns missing from bitmap1: "
                        + fmt_ranges(missing))
    top = max(((p + m + B - 1) // B for p, _, m, _, _ in elf.loads if m),
              default=0)
    if dump.max_mapnr != top and not (a.clipped and dump.max_mapnr < top):
        problems.append("max_mapnr %d, highest PT_LOAD ends at pfn %d"
                        % (dump.max_mapnr, top))

    lo, hi = dump.range
    compared = equal = 0
    mism = []
    incomplete = dump.hdr["status"] & kl.INCOMPLETE
    lost = []
    kept = sorted(p for p in bm2 if lo <= p < hi)
    if not incomplete:
        # Runs of kept pages are read and compared CHUNK pages at a time;
        # a chunk that differs or cannot be read is done again page by page.
        for start, count in kl.ranges(kept):
            for pfn in range(start, start + count, CHUNK):
                n = min(CHUNK, start + count - pfn)
                try:
                    same = reader.read(pfn, n) == elf.read_phys(pfn * B, n * B)
                except Exception:
                    same = False
                if same:
                    compared += n
                    equal += n
                    kept_slow = None
                else:
                    kept_slow = range(pfn, pfn + n)
                for p in kept_slow or ():
                    compared += 1
                    equal += compare_page(reader, elf, p, B, mism)
        kept = []
    for pfn in kept:
        if dump.desc_of(pfn)[0] == 0:
            lost.append(pfn)     # never written: the dump ran out of space
            continue
        compared += 1
        equal += compare_page(reader, elf, pfn, B, mism)
    excluded = bm1 - bm2
    print("compare_elf: %d pages compared, %d equal, %d mismatches, "
          "%d excluded, %d partial-page pfns%s%s"
          % (compared, equal, len(mism), len(excluded), len(partial),
             ", %d lost (incomplete dump)" % len(lost) if lost else "",
             ", %d read via MACHPHYSADDR" % reader.fallbacks
             if reader.fallbacks else ""))
    for pfn, why in mism[:10]:
        print("  mismatch pfn %#x: %s" % (pfn, why))
    if want is not None:
        if want - excluded:
            problems.append("expected excluded but not excluded:"
                            " " + fmt_ranges(want - excluded))
        if excluded - want:
            problems.append("excluded but not expected: "
                            + fmt_ranges(excluded - want))
    if lost and not a.allow_lost:
        problems.append("%d pages lost in an incomplete dump (first %#x); "
                        "use --allow-lost" % (len(lost), lost[0]))
    for p in problems:
        print("FAIL: " + p)
    return 1 if mism or problems else 0


if __name__ == "__main__":
    sys.exit(main())
