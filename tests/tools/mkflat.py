#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Convert a file (normally a kdump-compressed dump) to the makedumpfile
flattened format: a 4096-byte header ("makedumpfile", type 1, version 1,
big-endian), records of big-endian (offset, size) + data, and a -1/-1 end
marker.

usage: mkflat.py [--chunk BYTES] [--shuffle] [--seed N] [--keep-zero]
                 [--overwrite N] [--corrupt MODE] IN OUT
  --chunk       record payload size (default 65536)
  --shuffle     emit the records in random order
  --keep-zero   also emit all-zero chunks (by default they are left as
                holes, like makedumpfile's sparse regions; the last chunk
                is always emitted so the file size is preserved)
  --overwrite N first emit N records of garbage that later records overwrite
  --corrupt     no-end-marker | bad-signature | bad-version | negative-size
                | truncated : write a damaged stream for negative tests
exit: 0 ok, 2 usage error.
"""
import argparse
import random
import struct
import sys

SIG = b"makedumpfile\0\0\0\0"


def chunks(data, size, keep_zero):
    out = []
    for off in range(0, len(data), size):
        piece = data[off:off + size]
        last = off + size >= len(data)
        if keep_zero or last or any(piece):
            out.append((off, piece))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--chunk", type=int, default=65536)
    ap.add_argument("--shuffle", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep-zero", action="store_true")
    ap.add_argument("--overwrite", type=int, default=0)
    ap.add_argument("--corrupt", choices=("no-end-marker", "bad-signature",
                                          "bad-version", "negative-size",
                                          "truncated"))
    a = ap.parse_args()
    if a.chunk <= 0:
        ap.error("--chunk must be positive")
    with open(a.inp, "rb") as f:
        data = f.read()
    rng = random.Random(a.seed)
    recs = chunks(data, a.chunk, a.keep_zero)
    if a.shuffle:
        rng.shuffle(recs)
    junk = []
    for _ in range(a.overwrite if recs else 0):
        off, piece = rng.choice(recs)       # inside a chunk emitted later
        lo = rng.randrange(len(piece))
        n = rng.randint(1, len(piece) - lo)
        junk.append((off + lo, bytes(rng.getrandbits(8) for _ in range(n))))
    hdr = bytearray(4096)
    hdr[0:16] = b"makedumpfile\0\0\0\1" if a.corrupt == "bad-signature" \
        else SIG
    struct.pack_into(">qq", hdr, 16, 1, 2 if a.corrupt == "bad-version" else 1)
    with open(a.out, "wb") as out:
        out.write(hdr)
        for i, (off, piece) in enumerate(junk + recs):
            size = len(piece)
            if a.corrupt == "negative-size" and i == len(junk) + len(recs) // 2:
                size = -size
            out.write(struct.pack(">qq", off, size))
            out.write(piece)
        if a.corrupt != "no-end-marker":
            out.write(struct.pack(">qq", -1, -1))
        if a.corrupt == "truncated":
            out.truncate(max(4096, out.tell() - 16 - len(recs[-1][1]) // 2))
    print("mkflat: %d records (+%d overwritten), chunk %d, %s order"
          % (len(recs), len(junk), a.chunk,
             "shuffled" if a.shuffle else "file"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
