#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Rewrite an uncompressed kdump-compressed dump (vmsift -d 0) with a larger
block size, each block holding several pages, as QEMU writes for aarch64
guests (64 KiB blocks of 4 KiB pages): a block is in a bitmap when any of
its pages is, its data is its pages (absent ones as zeros), zlib-compressed
when that is smaller; an all-zero block points at one shared zero block.

usage: kdump_reblock.py IN.kdump OUT.kdump BLOCK_SIZE
"""
import struct
import sys
import zlib

src, dst, B = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = open(src, "rb").read()
P, sub_blocks, bm_blocks = struct.unpack_from("<iiI", d, 428)
sub = bytearray(d[P:P + 104])
off_note, size_note = struct.unpack_from("<QQ", sub, 48)
off_vi, size_vi = struct.unpack_from("<QQ", sub, 32)
max_mapnr, = struct.unpack_from("<Q", sub, 96)
notes = d[off_note:off_note + size_note]
bm1 = (1 + sub_blocks) * P
bm2 = bm1 + bm_blocks // 2 * P
desc = bm2 + bm_blocks // 2 * P
bit = lambda base, p: d[base + (p >> 3)] >> (p & 7) & 1
k = B // P
nblk = (max_mapnr + k - 1) // k
idx, pages = 0, {}
for p in range(max_mapnr):
    if bit(bm2, p):
        off, size, flags = struct.unpack_from("<QII", d, desc + 24 * idx)
        idx += 1
        assert flags == 0 and size == P
        pages[p] = d[off:off + P]
b1 = bytearray((nblk + 7) // 8)
b2 = bytearray((nblk + 7) // 8)
blocks = []
for b in range(nblk):
    ps = range(b * k, min(b * k + k, max_mapnr))
    if any(bit(bm1, p) for p in ps):
        b1[b >> 3] |= 1 << (b & 7)
    if any(p in pages for p in ps):
        b2[b >> 3] |= 1 << (b & 7)
        blocks.append(b"".join(pages.get(p, bytes(P)) for p in range(b * k, b * k + k)))
bmlen = (len(b1) + B - 1) // B * B
sub_hdr = (104 + size_note + B - 1) // B
desc_off = (1 + sub_hdr + 2 * bmlen // B) * B
data_off = desc_off + 24 * len(blocks)
zero = bytes(B)
out = bytearray(data_off + B)
descs, data = [], bytearray()
for blk in blocks:
    if blk == zero:
        descs.append((data_off, B, 0))
        continue
    c = zlib.compress(blk, 1)
    descs.append((data_off + B + len(data), len(c), 1) if len(c) < B else (data_off + B + len(data), B, 0))
    data += c if len(c) < B else blk
main = bytearray(d[:464])
struct.pack_into("<iiiI", main, 428, B, sub_hdr, 2 * bmlen // B, nblk)
struct.pack_into("<I", main, 424, 1)
struct.pack_into("<QQ", sub, 32, B + 104 + (off_vi - off_note), size_vi)
struct.pack_into("<QQ", sub, 48, B + 104, size_note)
struct.pack_into("<Q", sub, 96, nblk)
out[:464] = main
out[B:B + 104] = sub
out[B + 104:B + 104 + size_note] = notes
o = (1 + sub_hdr) * B
out[o:o + len(b1)] = b1
out[o + bmlen:o + bmlen + len(b2)] = b2
for i, (off, size, flags) in enumerate(descs):
    struct.pack_into("<QIIQ", out, desc_off + 24 * i, off, size, flags, 0)
out += data
open(dst, "wb").write(out)
