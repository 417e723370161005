#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Print and (--check) validate a kdump-compressed dump or flattened stream.

usage: kdumpinfo.py [--json] [--check] [--max-report N] DUMP
exit: 0 ok, 1 --check found violations, 2 usage error or unparseable file
(with --check an unparseable file is a violation: exit 1).
"""
import argparse
import json
import sys

sys.dont_write_bytecode = True     # keep tests/tools free of __pycache__
sys.path.insert(0, __import__("os").path.dirname(__file__))
import kdumplib as kl  # noqa: E402


def summary(k):
    hdr = {x: y for x, y in k.hdr.items() if x != "utsname"}
    hdr["utsname"] = {n: k.hdr["utsname"][n] for n in kl.UTS_FIELDS}
    by_flag = {}
    zero_off = k.zero_page_offset()
    nzero = nlost = 0
    for off, size, flags, _ in k.descs:
        if off == 0:
            nlost += 1
        name = kl.COMPRESS_FLAGS.get(flags, "raw" if flags == 0
                                     else "flags_%#x" % flags)
        by_flag[name] = by_flag.get(name, 0) + 1
        if zero_off is not None and off == zero_off:
            nzero += 1
    return {
        "file": k.path,
        "flattened": bool(k.src.flat),
        "flat_records": getattr(k.src, "nrecords", None),
        "header": hdr,
        "sub_header": dict(k.sub),
        "max_mapnr": k.max_mapnr,
        "bitmap1_set": kl.popcount(k.bitmap1),
        "bitmap2_set": kl.popcount(k.bitmap2),
        "descriptors": len(k.descs),
        "descriptors_by_flag": by_flag,
        "zero_page_descriptors": nzero,
        "lost_descriptors": nlost,
        "offsets": {"bitmap": k.bitmap_off, "descriptors": k.desc_off,
                    "data": k.data_off},
        "file_size": k.src.size,
    }


def print_summary(s):
    h, sub = s["header"], s["sub_header"]
    out = []
    add = out.append
    add("file              %s%s" % (s["file"], "  (flattened, %d records)"
                                    % s["flat_records"] if s["flattened"]
                                    else ""))
    add("signature         %r" % h["signature"])
    add("header_version    %d" % h["header_version"])
    for n in kl.UTS_FIELDS:
        add("%-17s %r" % ("utsname." + n, h["utsname"][n]))
    add("timestamp         %d.%06d" % (h["tv_sec"], h["tv_usec"]))
    add("status            %#x" % h["status"])
    for n in ("block_size", "sub_hdr_size", "bitmap_blocks", "max_mapnr",
              "nr_cpus"):
        add("%-17s %d" % (n, h[n]))
    add("phys_base         %#x" % sub["phys_base"])
    for n in ("dump_level", "split", "start_pfn_64", "end_pfn_64"):
        add("%-17s %d" % (n, sub[n]))
    for n in ("vmcoreinfo", "note", "eraseinfo"):
        add("%-17s offset %d size %d" % (n, sub["offset_" + n],
                                         sub["size_" + n]))
    add("max_mapnr_64      %d" % sub["max_mapnr_64"])
    add("bitmap1 set bits  %d" % s["bitmap1_set"])
    add("bitmap2 set bits  %d" % s["bitmap2_set"])
    add("descriptors       %d  %s" % (s["descriptors"], " ".join(
        "%s=%d" % kv for kv in sorted(s["descriptors_by_flag"].items()))))
    add("zero-page descs   %d" % s["zero_page_descriptors"])
    add("lost descs        %d  (offset 0)" % s["lost_descriptors"])
    add("file_size         %d" % s["file_size"])
    print("\n".join(out))


class Checker:
    def __init__(self, k, max_report):
        self.k = k
        self.v = []          # violations
        self.w = []          # warnings
        self.max_report = max_report
        self.counts = {}

    def bad(self, key, msg):
        """Record a violation; repeated keys are counted, not listed."""
        n = self.counts.get(key, 0) + 1
        self.counts[key] = n
        if n <= self.max_report:
            self.v.append(msg)

    def run(self):
        k = self.k
        if k.src.flat:
            for p in k.src.problems:
                self.bad("flat", "flattened stream: " + p)
        self.main_header()
        self.sub_header()
        self.notes()
        self.bitmaps()
        self.descriptors()
        for key, n in self.counts.items():
            if n > self.max_report:
                self.v.append("... %d more '%s' violations" %
                              (n - self.max_report, key))

    def main_header(self):
        k, h = self.k, self.k.hdr
        B = k.B
        if h["signature"] != "KDUMP   ":
            self.bad("hdr", "signature %r, expected 'KDUMP   '"
                     % h["signature"])
        if h["header_version"] != 6:
            self.bad("hdr", "header_version %d, expected 6"
                     % h["header_version"])
        uts = h["utsname"]
        for n in kl.UTS_FIELDS:
            if b"\0" not in uts["_raw_" + n]:
                self.bad("hdr", "utsname.%s not NUL-terminated" % n)
            elif not uts[n].isprintable() or not uts[n].isascii():
                self.bad("hdr", "utsname.%s not printable ASCII: %r"
                         % (n, uts[n]))
        # Without VMCOREINFO makedumpfile cannot find init_uts_ns and
        # leaves utsname empty; crash then refuses the file (machine).
        for n in ("machine", "release"):
            if uts[n]:
                continue
            if k.vmcoreinfo or self.has_vmcoreinfo_note():
                self.bad("hdr", "utsname.%s empty" % n)
            else:
                self.w.append("utsname.%s empty (no VMCOREINFO)" % n)
        raw = k.src.read(0, B)
        if any(raw[402:408]):
            self.bad("hdr", "padding bytes 402..407 not zero")
        if any(raw[kl.SECTOR0_USED:]):
            self.bad("hdr", "block 0 not zero after byte 464")
        if not 0 <= h["tv_usec"] < 1000000:
            self.bad("hdr", "timestamp tv_usec %d out of range" % h["tv_usec"])
        for n in ("total_ram_blocks", "device_blocks", "written_blocks",
                  "current_cpu"):
            if h[n]:
                self.bad("hdr", "%s = %d, expected 0" % (n, h[n]))
        if h["nr_cpus"] < 1:
            self.bad("hdr", "nr_cpus %d < 1" % h["nr_cpus"])
        st = h["status"]
        known = kl.ZLIB | kl.LZO | kl.SNAPPY | kl.ZSTD | kl.INCOMPLETE | \
            kl.EXCL_VMEMMAP
        if st & ~known:
            self.bad("hdr", "unknown status bits %#x" % (st & ~known))
        comp = [f for f in kl.COMPRESS_FLAGS if st & f]
        if len(comp) > 1:
            self.bad("hdr", "several compression bits in status %#x" % st)
        want = k.sub["max_mapnr_64"]
        if h["max_mapnr"] != min(want, 0xffffffff):
            self.bad("hdr", "max_mapnr %d != min(max_mapnr_64 %d, UINT_MAX)"
                     % (h["max_mapnr"], want))

    def has_vmcoreinfo_note(self):
        try:
            return any(n == b"VMCOREINFO" for n, _, _, _ in self.k.notes())
        except kl.FormatError:
            return False

    def sub_header(self):
        k, s, B = self.k, self.k.sub, self.k.B
        size_note = s["size_note"]
        need = -(-(kl.SUBHDR_SIZE + size_note) // B)
        if k.hdr["sub_hdr_size"] != need:
            self.bad("sub", "sub_hdr_size %d, expected ceil((104+%d)/%d) = %d"
                     % (k.hdr["sub_hdr_size"], size_note, B, need))
        if size_note and s["offset_note"] != B + kl.SUBHDR_SIZE:
            self.bad("sub", "offset_note %d, expected %d"
                     % (s["offset_note"], B + kl.SUBHDR_SIZE))
        if not size_note and s["offset_note"]:
            self.bad("sub", "offset_note %d with size_note 0"
                     % s["offset_note"])
        if not 0 <= s["dump_level"] <= 31:
            self.bad("sub", "dump_level %d out of 0..31" % s["dump_level"])
        if s["split"] not in (0, 1):
            self.bad("sub", "split %d not 0/1" % s["split"])
        if s["split"]:
            lo, hi = s["start_pfn_64"], s["end_pfn_64"]
            if not lo <= hi <= k.max_mapnr:
                self.bad("sub", "split range [%d, %d) invalid for max_mapnr "
                         "%d" % (lo, hi, k.max_mapnr))
            if s["start_pfn"] != min(lo, 0xffffffff) or \
                    s["end_pfn"] != min(hi, 0xffffffff):
                self.bad("sub", "32-bit start/end_pfn disagree with 64-bit")
        else:
            for n in ("start_pfn", "end_pfn", "start_pfn_64", "end_pfn_64"):
                if s[n]:
                    self.bad("sub", "%s = %d in a non-split dump" % (n, s[n]))
        # The rest of the sub-header area (after the notes) is padding.
        area_end = (1 + k.hdr["sub_hdr_size"]) * B
        tail_at = B + kl.SUBHDR_SIZE + size_note
        if area_end > tail_at and any(k.src.read(tail_at, area_end - tail_at)):
            self.w.append("sub-header padding after the notes is not zero")
        if s["size_eraseinfo"] == 0 and s["offset_eraseinfo"]:
            self.bad("sub", "offset_eraseinfo %d with size 0"
                     % s["offset_eraseinfo"])

    def notes(self):
        k, s = self.k, self.k.sub
        if not s["size_note"]:
            self.w.append("no ELF notes in the dump")
            if s["offset_vmcoreinfo"] or s["size_vmcoreinfo"]:
                self.bad("notes", "vmcoreinfo offset/size set without notes")
            return
        try:
            notes = k.notes()
        except kl.FormatError as e:
            self.bad("notes", "note blob: %s" % e)
            return
        nprs = sum(1 for n, t, _, _ in notes if n == b"CORE" and t == 1)
        if nprs != k.hdr["nr_cpus"]:
            self.bad("notes", "nr_cpus %d but %d NT_PRSTATUS notes"
                     % (k.hdr["nr_cpus"], nprs))
        vmci = [(at, d) for n, t, at, d in notes if n == b"VMCOREINFO"]
        if not vmci:
            self.w.append("no VMCOREINFO note in the note blob")
            if s["offset_vmcoreinfo"] or s["size_vmcoreinfo"]:
                self.bad("notes", "offset_vmcoreinfo set but no VMCOREINFO "
                         "note")
            return
        at, desc = vmci[0]
        if s["offset_vmcoreinfo"] != s["offset_note"] + at:
            self.bad("notes", "offset_vmcoreinfo %d, VMCOREINFO text is at %d"
                     % (s["offset_vmcoreinfo"], s["offset_note"] + at))
        if s["size_vmcoreinfo"] != len(desc):
            self.bad("notes", "size_vmcoreinfo %d, note descsz %d"
                     % (s["size_vmcoreinfo"], len(desc)))
        info = kl.parse_vmcoreinfo(desc)
        if info.get("PAGESIZE") and int(info["PAGESIZE"]) != k.B:
            self.bad("notes", "block_size %d != VMCOREINFO PAGESIZE %s"
                     % (k.B, info["PAGESIZE"]))
        crash = int(info.get("CRASHTIME", "0") or 0)
        if k.hdr["tv_sec"] != crash:
            self.bad("notes", "timestamp %d != CRASHTIME %d"
                     % (k.hdr["tv_sec"], crash))
        rel = info.get("OSRELEASE")
        if rel and rel != k.hdr["utsname"]["release"]:
            self.w.append("utsname.release %r != OSRELEASE %r"
                          % (k.hdr["utsname"]["release"], rel))

    def bitmaps(self):
        k, B = self.k, self.k.B
        m = k.max_mapnr
        one = -(-(-(-m // 8)) // B)
        if k.hdr["bitmap_blocks"] != 2 * one:
            self.bad("bitmap", "bitmap_blocks %d, expected 2*ceil(ceil(%d/8)"
                     "/%d) = %d" % (k.hdr["bitmap_blocks"], m, B, 2 * one))
        b1 = int.from_bytes(k.bitmap1, "little")
        b2 = int.from_bytes(k.bitmap2, "little")
        if b1 >> m:
            self.bad("bitmap", "bitmap1 has bits at or above max_mapnr %d "
                     "(first %d)" % (m, first_bit(b1 >> m) + m))
        if b2 >> m:
            self.bad("bitmap", "bitmap2 has bits at or above max_mapnr %d "
                     "(first %d)" % (m, first_bit(b2 >> m) + m))
        extra = b2 & ~b1
        if extra:
            self.bad("bitmap", "bitmap2 not a subset of bitmap1: %d pfns, "
                     "first %#x" % (bin(extra).count("1"), first_bit(extra)))
        if b1 and b1.bit_length() != m:
            self.w.append("highest bitmap1 pfn + 1 = %d, max_mapnr %d"
                          % (b1.bit_length(), m))
        end_bitmaps = k.bitmap_off + 2 * k.bitmap_len
        if k.src.size < end_bitmaps:
            self.bad("size", "file size %d < end of bitmaps %d"
                     % (k.src.size, end_bitmaps))

    def descriptors(self):
        k, B = self.k, self.k.B
        st = k.hdr["status"]
        incomplete = bool(st & kl.INCOMPLETE)
        zero_off = k.zero_page_offset()
        expect = k.data_off + (B if zero_off is not None else 0)
        if zero_off is not None:
            if any(k.src.read(zero_off, B)):
                self.bad("zero", "shared zero page at %d is not zero"
                         % zero_off)
        if not incomplete and k.src.size < k.desc_off + kl.DESC_SIZE * len(
                k.descs):
            self.bad("size", "file ends inside the descriptor table")
        hdr_comp = st & (kl.ZLIB | kl.LZO | kl.SNAPPY | kl.ZSTD)
        early = self.written_first(zero_off)
        lost_seen = False
        placed = []
        for pfn, d in zip(k.pfns, k.descs):
            off, size, flags, pflags = d
            if off == 0:
                if not incomplete:
                    self.bad("off0", "pfn %#x: descriptor offset 0 "
                             "(lost page) in a complete dump" % pfn)
                lost_seen = True
                continue
            if lost_seen and off != zero_off and pfn not in early:
                self.bad("lost", "pfn %#x: written descriptor after a lost "
                         "(offset 0) one" % pfn)
            if pflags:
                self.bad("pflags", "pfn %#x: page_flags %#x, expected 0"
                         % (pfn, pflags))
            if zero_off is not None and off == zero_off:
                if (size, flags) != (B, 0):
                    self.bad("zero", "pfn %#x: zero-page descriptor size %d "
                             "flags %#x" % (pfn, size, flags))
                continue
            if off < 0:
                self.bad("off", "pfn %#x: negative offset %d" % (pfn, off))
                continue
            if flags and flags not in kl.COMPRESS_FLAGS:
                self.bad("flags", "pfn %#x: unknown flags %#x" % (pfn, flags))
            elif flags and flags != hdr_comp:
                self.bad("flags", "pfn %#x: flags %#x but header status %#x"
                         % (pfn, flags, st))
            if flags == 0 and size != B:
                self.bad("size", "pfn %#x: raw page of size %d" % (pfn, size))
                size_ok = False
            elif flags and not 0 < size < B:
                self.bad("size", "pfn %#x: compressed size %d not in (0, %d)"
                         % (pfn, size, B))
                size_ok = False
            else:
                size_ok = True
            placed.append((off, size, pfn))
            if off + size > k.src.size:
                self.bad("size", "pfn %#x: data [%d, %d) beyond file end %d"
                         % (pfn, off, off + size, k.src.size))
                continue
            if not size_ok:
                continue
            try:
                page = k.decode(d, pfn)
            except kl.FormatError as e:
                self.bad("decode", str(e))
                continue
            if zero_off is not None and not any(page):
                self.bad("zerodup", "pfn %#x: all-zero page stored on its own"
                         " at dump_level %d" % (pfn, k.sub["dump_level"]))
        # The data tiles the area without gaps or overlaps, in at most two
        # pfn-ascending runs: the pages written first, then the others.
        runs = 0
        prev = None
        for off, size, pfn in sorted(placed):
            if off != expect:
                what = "gap" if off > expect else "overlap"
                self.bad("order", "pfn %#x: data at %d, expected %d (%s)"
                         % (pfn, off, expect, what))
            if prev is None or pfn < prev:
                runs += 1
                if runs > 2:
                    self.bad("order", "pfn %#x: data at %d follows pfn %#x's:"
                             " a third run out of pfn order" % (pfn, off, prev))
            prev = pfn
            expect = off + size
        self.data_end(expect)

    def written_first(self, zero_off):
        """The pfns whose data precedes the first page stored in pfn order
        (vmsift writes the startup set's pages first, docs/format.md).  With
        one pfn-ascending run the two kinds cannot be told apart, and every
        stored page counts as written first (a file cut right after those
        holds only them)."""
        k = self.k
        stored = [(d[0], pfn) for pfn, d in zip(k.pfns, k.descs)
                  if d[0] and d[0] != zero_off]
        by_off = sorted(stored)
        out = set()
        for i, (off, pfn) in enumerate(by_off):
            if i and pfn < by_off[i - 1][1]:
                return out
            out.add(pfn)
        return out

    def data_end(self, end):
        k, s = self.k, self.k.sub
        if s["size_eraseinfo"]:
            if s["offset_eraseinfo"] != end:
                self.bad("erase", "offset_eraseinfo %d, data ends at %d"
                         % (s["offset_eraseinfo"], end))
            end = s["offset_eraseinfo"] + s["size_eraseinfo"]
        if k.src.size < end:
            self.bad("size", "file size %d < end of data %d"
                     % (k.src.size, end))
        elif k.src.size > end:
            self.w.append("%d bytes after the end of the data"
                          % (k.src.size - end))


def first_bit(x):
    return (x & -x).bit_length() - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--max-report", type=int, default=20,
                    help="violations listed per kind (default 20)")
    a = ap.parse_args()
    try:
        k = kl.Kdump(a.dump)
    except (kl.FormatError, OSError, struct_error()) as e:
        msg = "%s: cannot parse: %s" % (a.dump, e)
        if a.json:
            print(json.dumps({"file": a.dump, "error": str(e),
                              "violations": [msg]}))
        else:
            print(("VIOLATION: " if a.check else "") + msg,
                  file=sys.stdout if a.check else sys.stderr)
        return 1 if a.check else 2
    s = summary(k)
    if a.check:
        c = Checker(k, a.max_report)
        c.run()
        s["violations"], s["warnings"] = c.v, c.w
    if a.json:
        print(json.dumps(s, indent=1, sort_keys=True))
    else:
        print_summary(s)
        if a.check:
            for w in s["warnings"]:
                print("warning: " + w)
            for v in s["violations"]:
                print("VIOLATION: " + v)
            print("check: %s" % ("OK" if not s["violations"] else
                                 "%d violation(s)" % len(s["violations"])))
    return 1 if a.check and s["violations"] else 0


def struct_error():
    import struct
    return struct.error


if __name__ == "__main__":
    sys.exit(main())
