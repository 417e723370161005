# SPDX-License-Identifier: GPL-2.0-or-later
"""Independent readers for the test tools: kdump-compressed files, the
flattened stream, and ELF vmcores.  Written from the format's description
(docs/format.md) with the struct module; shares no code with vmsift on purpose.

Only the 64-bit little-endian producer layout is supported (x86_64).
"""
import os
import struct

SECTOR0_USED = 464
SUBHDR_SIZE = 104
DESC_SIZE = 24
FLAT_HDR_SIZE = 4096
FLAT_SIGNATURE = b"makedumpfile\0\0\0\0"

ZLIB, LZO, SNAPPY, INCOMPLETE, EXCL_VMEMMAP, ZSTD = 1, 2, 4, 8, 0x10, 0x20
COMPRESS_FLAGS = {ZLIB: "zlib", LZO: "lzo", SNAPPY: "snappy", ZSTD: "zstd"}
UTS_FIELDS = ("sysname", "nodename", "release", "version", "machine",
              "domainname")


class FormatError(Exception):
    """The file cannot be parsed at all."""


# --------------------------------------------------------------------------
# Byte sources: a plain file, or a flattened stream viewed as the real file.

class PlainSource:
    def __init__(self, path):
        self.f = open(path, "rb")
        self.size = os.fstat(self.f.fileno()).st_size
        self.flat = None

    def read(self, off, n):
        """Read n bytes at off; bytes past EOF read as zero."""
        self.f.seek(off)
        data = self.f.read(n)
        return data + bytes(n - len(data))


class FlatSource:
    """Map a flattened file (records of offset/size/data, big-endian
    headers) onto the file it describes.  Later records win."""

    def __init__(self, path):
        self.f = open(path, "rb")
        self.problems = []          # structural problems of the stream
        self.nrecords = 0
        self.extents = []           # sorted, disjoint (start, end, flatpos)
        self._index()
        self.size = max((e[1] for e in self.extents), default=0)
        self.flat = True

    def _index(self):
        hdr = self.f.read(FLAT_HDR_SIZE)
        if len(hdr) < FLAT_HDR_SIZE:
            raise FormatError("flattened header shorter than 4096 bytes")
        sig, typ, ver = struct.unpack_from(">16sqq", hdr)
        if sig != FLAT_SIGNATURE:
            raise FormatError("bad flattened signature %r" % sig)
        if typ != 1:
            self.problems.append("flat header type %d, expected 1" % typ)
        if ver != 1:
            self.problems.append("flat header version %d, expected 1" % ver)
        if any(hdr[32:]):
            self.problems.append("flat header bytes 32..4095 not zero")
        file_end = os.fstat(self.f.fileno()).st_size
        pos = FLAT_HDR_SIZE
        records = []
        while True:
            rh = self.f.read(16)
            if len(rh) < 16:
                self.problems.append("flattened stream ends without the "
                                     "-1/-1 end marker (at %d)" % pos)
                break
            off, size = struct.unpack(">qq", rh)
            pos += 16
            if off == -1 and size == -1:
                rest = self.f.read(1)
                if rest:
                    self.problems.append("data after the end marker at %d"
                                         % pos)
                break
            if off < 0 or size <= 0:
                self.problems.append("bad record at %d: offset %d size %d"
                                     % (pos - 16, off, size))
                break
            if pos + size > file_end:
                self.problems.append("record at %d truncated (%d of %d "
                                     "bytes)" % (pos - 16, file_end - pos,
                                                 size))
                size = file_end - pos
                if size > 0:
                    records.append((off, size, pos))
                break
            records.append((off, size, pos))
            pos = self.f.seek(size, os.SEEK_CUR)
        self.nrecords = len(records)
        for off, size, fpos in records:
            self._overlay(off, off + size, fpos)

    def _overlay(self, s, e, fpos):
        out = []
        for (a, b, p) in self.extents:
            if b <= s or a >= e:
                out.append((a, b, p))
                continue
            if a < s:
                out.append((a, s, p))
            if b > e:
                out.append((e, b, p + (e - a)))
        out.append((s, e, fpos))
        out.sort()
        self.extents = out

    def read(self, off, n):
        buf = bytearray(n)
        end = off + n
        for a, b, p in self.extents:
            if b <= off or a >= end:
                continue
            lo, hi = max(a, off), min(b, end)
            self.f.seek(p + (lo - a))
            buf[lo - off:hi - off] = self.f.read(hi - lo)
        return bytes(buf)


def open_source(path):
    with open(path, "rb") as f:
        head = f.read(16)
    if head == FLAT_SIGNATURE:
        return FlatSource(path)
    return PlainSource(path)


# --------------------------------------------------------------------------
# Bitmaps

def popcount(buf):
    return int.from_bytes(buf, "little").bit_count()


def bit(buf, pfn):
    i = pfn >> 3
    return i < len(buf) and (buf[i] >> (pfn & 7)) & 1


def set_bits(buf, start=0, end=None):
    """Yield set bit numbers in [start, end) in ascending order."""
    if end is None:
        end = len(buf) * 8
    for i in range(start >> 3, min(len(buf), (end + 7) >> 3)):
        byte = buf[i]
        if not byte:
            continue
        for b in range(8):
            if byte >> b & 1:
                p = i * 8 + b
                if start <= p < end:
                    yield p


def ranges(pfns):
    """Collapse an ascending pfn iterable into [start, count] runs."""
    out = []
    for p in pfns:
        if out and out[-1][0] + out[-1][1] == p:
            out[-1][1] += 1
        else:
            out.append([p, 1])
    return out


# --------------------------------------------------------------------------
# Notes

def parse_notes(blob, e="<"):
    """List of (name, type, desc_offset_in_blob, desc bytes); raises
    FormatError on a malformed blob.  e: the notes' byte order."""
    notes = []
    pos = 0
    while pos + 12 <= len(blob):
        namesz, descsz, ntype = struct.unpack_from(e + "III", blob, pos)
        if namesz == 0 and descsz == 0 and ntype == 0:
            break                     # zero padding at the end
        name_at = pos + 12
        desc_at = name_at + namesz + (-namesz % 4)
        end = desc_at + descsz + (-descsz % 4)
        if desc_at + descsz > len(blob):
            raise FormatError("note at %d overruns the blob" % pos)
        name = blob[name_at:name_at + namesz].rstrip(b"\0")
        notes.append((name, ntype, desc_at, blob[desc_at:desc_at + descsz]))
        pos = end
    return notes


def parse_vmcoreinfo(text):
    info = {}
    for line in text.decode("latin-1").split("\n"):
        if "=" in line:
            k, v = line.split("=", 1)
            info.setdefault(k, v)
    return info


# --------------------------------------------------------------------------
# kdump-compressed

class Kdump:
    def __init__(self, path):
        self.path = path
        self.src = open_source(path)
        self._parse_headers()
        self._parse_bitmaps()
        self._parse_descs()

    # -- headers
    def _parse_headers(self):
        h = self.src.read(0, SECTOR0_USED)
        sig = h[0:8]
        if sig not in (b"KDUMP   ", b"DISKDUMP"):
            raise FormatError("bad kdump signature %r" % sig)
        hdr = {"signature": sig.decode("latin-1")}
        # The producer's byte order (an s390x machine's is big-endian): the
        # header version read the wrong way round is huge.
        le, = struct.unpack_from("<I", h, 8)
        self.e = e = ">" if le > 0xffff and struct.unpack_from(">I", h, 8)[0] <= 0xffff else "<"
        hdr["header_version"], = struct.unpack_from(e + "i", h, 8)
        uts = {}
        for i, name in enumerate(UTS_FIELDS):
            raw = h[12 + 65 * i:12 + 65 * (i + 1)]
            uts[name] = raw.split(b"\0")[0].decode("latin-1")
            uts["_raw_" + name] = raw
        hdr["utsname"] = uts
        (hdr["tv_sec"], hdr["tv_usec"], hdr["status"], hdr["block_size"],
         hdr["sub_hdr_size"], hdr["bitmap_blocks"], hdr["max_mapnr"],
         hdr["total_ram_blocks"], hdr["device_blocks"], hdr["written_blocks"],
         hdr["current_cpu"], hdr["nr_cpus"]) = struct.unpack_from(
            e + "qqIiiIIIIIIi", h, 408)
        self.hdr = hdr
        B = hdr["block_size"]
        if B <= 0 or B & (B - 1) or B < 512 or B > 1 << 20:
            raise FormatError("implausible block_size %d" % B)
        if hdr["sub_hdr_size"] <= 0 or hdr["sub_hdr_size"] > 1 << 20:
            raise FormatError("implausible sub_hdr_size %d"
                              % hdr["sub_hdr_size"])
        self.B = B
        s = self.src.read(B, SUBHDR_SIZE)
        v = hdr["header_version"]
        sub = {}
        names = [("phys_base", "Q", 0, 0), ("dump_level", "i", 8, 1),
                 ("split", "i", 12, 2), ("start_pfn", "Q", 16, 2),
                 ("end_pfn", "Q", 24, 2), ("offset_vmcoreinfo", "q", 32, 3),
                 ("size_vmcoreinfo", "Q", 40, 3), ("offset_note", "q", 48, 4),
                 ("size_note", "Q", 56, 4), ("offset_eraseinfo", "q", 64, 5),
                 ("size_eraseinfo", "Q", 72, 5), ("start_pfn_64", "Q", 80, 6),
                 ("end_pfn_64", "Q", 88, 6), ("max_mapnr_64", "Q", 96, 6)]
        for name, fmt, off, since in names:
            sub[name] = struct.unpack_from(e + fmt, s, off)[0] \
                if v >= since else 0
        self.sub = sub
        self.max_mapnr = sub["max_mapnr_64"] if v >= 6 else hdr["max_mapnr"]
        self.notes_blob = b""
        if v >= 4 and sub["size_note"] and sub["offset_note"] > 0:
            if sub["size_note"] > 1 << 30:
                raise FormatError("implausible size_note")
            self.notes_blob = self.src.read(sub["offset_note"],
                                            sub["size_note"])
        self.vmcoreinfo = None
        if v >= 3 and sub["size_vmcoreinfo"] and sub["offset_vmcoreinfo"] > 0:
            self.vmcoreinfo = self.src.read(sub["offset_vmcoreinfo"],
                                            min(sub["size_vmcoreinfo"],
                                                1 << 24))

    # -- bitmaps
    def _parse_bitmaps(self):
        B = self.B
        self.bitmap_off = (1 + self.hdr["sub_hdr_size"]) * B
        blocks = self.hdr["bitmap_blocks"]
        if blocks > 1 << 24:
            raise FormatError("implausible bitmap_blocks %d" % blocks)
        half = blocks // 2 * B
        self.bitmap_len = half
        self.bitmap1 = self.src.read(self.bitmap_off, half)
        self.bitmap2 = self.src.read(self.bitmap_off + half, half)
        self.desc_off = (1 + self.hdr["sub_hdr_size"] + blocks) * B
        if self.sub["split"]:
            self.range = (self.sub["start_pfn_64"], self.sub["end_pfn_64"])
        else:
            self.range = (0, self.max_mapnr)
        self.num_dumpable = popcount(self.bitmap2)
        self.data_off = self.desc_off + DESC_SIZE * self.num_dumpable

    # -- descriptors (dense, ascending pfn order, restricted to the range)
    def _parse_descs(self):
        lo, hi = self.range
        self.pfns = list(set_bits(self.bitmap2, lo, hi))
        raw = self.src.read(self.desc_off, DESC_SIZE * len(self.pfns))
        self.descs = list(struct.iter_unpack(self.e + "qIIQ", raw))

    def zero_page_offset(self):
        """File offset of the shared zero page, or None (dump_level & 1)."""
        return self.data_off if self.sub["dump_level"] & 1 else None

    def desc_of(self, pfn):
        """Descriptor tuple for pfn, or None if not in this file."""
        import bisect
        i = bisect.bisect_left(self.pfns, pfn)
        if i < len(self.pfns) and self.pfns[i] == pfn:
            return self.descs[i]
        return None

    def page(self, pfn):
        """Decompressed page content; raises FormatError if unreadable."""
        d = self.desc_of(pfn)
        if d is None:
            raise FormatError("pfn %#x not in the dump" % pfn)
        return self.decode(d, pfn)

    def decode(self, d, pfn):
        off, size, flags, _ = d
        if off <= 0:
            raise FormatError("pfn %#x: descriptor offset %d" % (pfn, off))
        if size == 0 or size > self.B:
            raise FormatError("pfn %#x: size %d" % (pfn, size))
        data = self.src.read(off, size)
        try:
            out = decompress(flags, data, self.B, self, pfn)
        except FormatError as e:
            raise FormatError("pfn %#x: %s" % (pfn, e))
        if len(out) != self.B:
            raise FormatError("pfn %#x: decodes to %d bytes, not %d"
                              % (pfn, len(out), self.B))
        return out

    def notes(self):
        return parse_notes(self.notes_blob, self.e)


_kdf_cache = {}


def _libkdumpfile_page(dump, pfn):
    """Fallback decoder when no Python module for a codec exists."""
    import kdumpfile
    k = _kdf_cache.get(dump.path)
    if k is None:
        k = kdumpfile.kdumpfile(dump.path)
        k.attr["addrxlat.ostype"] = "linux"
        _kdf_cache[dump.path] = k
    return bytes(k.read(kdumpfile.KDUMP_KPHYSADDR, pfn * dump.B, dump.B))


def decompress(flags, data, B, dump=None, pfn=None):
    if flags == 0:
        if len(data) != B:
            raise FormatError("raw page of %d bytes" % len(data))
        return data
    try:
        if flags == ZLIB:
            import zlib
            d = zlib.decompressobj()
            out = d.decompress(data, B + 1)
            if not d.eof:
                raise FormatError("zlib stream not terminated")
            return out
        if flags == LZO:
            import lzo
            return lzo.decompress(data, False, B)
        if flags == SNAPPY:
            import snappy
            return snappy.uncompress(data)
        if flags == ZSTD:
            import zstandard
            return zstandard.ZstdDecompressor().decompress(
                data, max_output_size=B)
    except ImportError:
        if dump is None:
            raise
        return _libkdumpfile_page(dump, pfn)
    except FormatError:
        raise
    except Exception as e:          # codec-specific error types
        raise FormatError("%s decompression failed: %s"
                          % (COMPRESS_FLAGS.get(flags, flags), e))
    raise FormatError("unknown descriptor flags %#x" % flags)


# --------------------------------------------------------------------------
# ELF vmcore

class ElfCore:
    """PT_LOAD/PT_NOTE view of an ELF core: ELF32/64, LE/BE, PN_XNUM,
    program headers anywhere in the file."""

    def __init__(self, path):
        self.f = open(path, "rb")
        self.size = os.fstat(self.f.fileno()).st_size
        ident = self.f.read(16)
        if ident[:4] != b"\x7fELF":
            raise FormatError("not an ELF file")
        self.is64 = {1: False, 2: True}.get(ident[4])
        end = {1: "<", 2: ">"}.get(ident[5])
        if self.is64 is None or end is None:
            raise FormatError("bad ELF class/data")
        e = end
        if self.is64:
            fields = struct.unpack(e + "HHIQQQIHHHHHH", self.f.read(48))
        else:
            fields = struct.unpack(e + "HHIIIIIHHHHHH", self.f.read(36))
        (self.e_type, self.e_machine, _, _, phoff, shoff, _, _, phentsize,
         phnum, shentsize, _, _) = fields
        if phnum == 0xffff:          # PN_XNUM: real count in sh_info of #0
            if not shoff:
                raise FormatError("PN_XNUM without a section header")
            self.f.seek(shoff)
            sh = self.f.read(shentsize)
            phnum = struct.unpack_from(e + "I", sh, 44 if self.is64 else 28)[0]
        self.loads = []        # (paddr, filesz, memsz, offset, vaddr)
        self.notes = []        # (offset, filesz)
        want = 56 if self.is64 else 32
        if phentsize < want:
            raise FormatError("e_phentsize %d too small" % phentsize)
        for i in range(phnum):
            self.f.seek(phoff + i * phentsize)
            raw = self.f.read(want)
            if len(raw) < want:
                raise FormatError("program header %d beyond EOF" % i)
            if self.is64:
                (pt, _, off, vaddr, paddr, filesz, memsz,
                 _) = struct.unpack(e + "IIQQQQQQ", raw)
            else:
                (pt, off, vaddr, paddr, filesz, memsz, _,
                 _) = struct.unpack(e + "IIIIIIII", raw)
            if pt == 1:
                self.loads.append((paddr, filesz, memsz, off, vaddr))
            elif pt == 4:
                self.notes.append((off, filesz))

    def _build_map(self):
        """Disjoint sorted pieces (lo, hi, file_offset or None for zero)
        of physical memory; where PT_LOADs overlap, the first one wins."""
        pieces, done = [], []
        for seg_paddr, filesz, memsz, off, _ in self.loads:
            lo, hi = seg_paddr, seg_paddr + memsz
            if lo >= hi:
                continue
            for a, b in _subtract(lo, hi, done):
                fhi = min(b, seg_paddr + filesz)
                if fhi > a:
                    pieces.append((a, fhi, off + a - seg_paddr))
                if b > max(a, fhi):
                    pieces.append((max(a, fhi), b, None))
            done.append((lo, hi))
        pieces.sort()
        self._pieces = pieces
        self._starts = [p[0] for p in pieces]

    def read_phys(self, paddr, n):
        """Bytes of physical memory; ranges outside any PT_LOAD, or in
        p_memsz beyond p_filesz, read as zero."""
        if not hasattr(self, "_pieces"):
            self._build_map()
        import bisect
        buf = bytearray(n)
        i = max(bisect.bisect_right(self._starts, paddr) - 1, 0)
        end = paddr + n
        while i < len(self._pieces) and self._pieces[i][0] < end:
            a, b, off = self._pieces[i]
            i += 1
            lo, hi = max(a, paddr), min(b, end)
            if lo >= hi or off is None:
                continue
            self.f.seek(off + lo - a)
            data = self.f.read(hi - lo)
            buf[lo - paddr:lo - paddr + len(data)] = data
        return bytes(buf)

    def pfn_coverage(self, B):
        """Return (full, partial, with_data): sets of pfns fully inside a
        PT_LOAD (by p_memsz), partly inside, and overlapping file data."""
        full, touched, data = set(), set(), set()
        for paddr, filesz, memsz, _, _ in self.loads:
            if memsz == 0:
                continue
            first, last = paddr // B, (paddr + memsz - 1) // B
            touched.update(range(first, last + 1))
            full.update(range(-(-paddr // B), (paddr + memsz) // B))
            if filesz:
                data.update(range(first, (paddr + filesz - 1) // B + 1))
        return full, touched - full, data


def _subtract(lo, hi, done):
    """Parts of [lo, hi) not covered by any interval in done."""
    parts = [(lo, hi)]
    for a, b in done:
        nxt = []
        for x, y in parts:
            if b <= x or a >= y:
                nxt.append((x, y))
                continue
            if x < a:
                nxt.append((x, a))
            if b < y:
                nxt.append((b, y))
        parts = nxt
    return parts


def unflatten(flat, out_path):
    """Write the file a FlatSource describes; holes stay sparse."""
    with open(out_path, "wb") as out:
        for a, b, p in flat.extents:
            flat.f.seek(p)
            out.seek(a)
            left = b - a
            while left:
                chunk = flat.f.read(min(left, 1 << 20))
                if not chunk:
                    raise FormatError("flattened record truncated")
                out.write(chunk)
                left -= len(chunk)
        out.truncate(flat.size)
