#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check a mkvmcore core against its truth file with libkdumpfile.

Independent of mkvmcore's C code: it only uses the VMCOREINFO in the
file and libkdumpfile's own page-table walker.  Checks that
 - the utsname read through the kernel-image mapping is right,
 - struct pages read through the vmemmap (page-table walk) look like the
   kind the truth file gives their pfn (one page of every kind run),
 - page contents read by physical address are zero exactly for "zero",
 - the zones' NR_FREE_PAGES add up to the truth's nr_free_pages and the
   free lists link buddy heads both ways,
 - drgn (if installed) reads the same utsname and struct pages.
usage: check_core.py CORE TRUTH    (exit 1 on any mismatch)
"""
import struct
import sys

import kdumpfile

KV = kdumpfile.KDUMP_KVADDR
KP = kdumpfile.KDUMP_KPHYSADDR
fails = []


def check(cond, what):
    if not cond:
        fails.append(what)


def read_truth(path):
    head, runs = {}, []
    with open(path) as f:
        for line in f:
            if line.startswith('# '):
                k, v = line[2:].split(None, 1)
                head[k] = v.strip()
            else:
                s, n, kind = line.split()
                runs.append((int(s), int(n), kind))
    return head, runs


def buddy_order(pfn, start, end):
    for o in range(10, 0, -1):
        b = pfn & ~((1 << o) - 1)
        if b >= start and b + (1 << o) <= end:
            return b, o
    return pfn, 0


def s32(v):
    return v - (1 << 32) if v >= 1 << 31 else v


class Core:
    def __init__(self, path):
        self.k = kdumpfile.kdumpfile(path)
        self.k.attr['addrxlat.ostype'] = 'linux'
        raw = bytes(self.k.attr['linux.vmcoreinfo.raw']).decode()
        self.vi = dict(l.split('=', 1) for l in raw.splitlines() if '=' in l)

    def num(self, key, default=None):
        v = self.vi.get('NUMBER(%s)' % key)
        return int(v, 0) if v is not None else default

    def sym(self, key):
        return int(self.vi['SYMBOL(%s)' % key], 16)

    def u64(self, addr):
        return struct.unpack('<Q', bytes(self.k.read(KV, addr, 8)))[0]

    def page(self, pfn, vmemmap):
        b = bytes(self.k.read(KV, vmemmap + 64 * pfn, 64))
        f, w8, w16, mp, idx, priv, mc, rc, _ = struct.unpack('<QQQQQQIIQ', b)
        return dict(flags=f, w8=w8, w16=w16, mapping=mp, private=priv,
                    mapcount=s32(mc), refcount=rc)


def check_kind(c, pfn, kind, run, vmemmap):
    p = c.page(pfn, vmemmap)
    bit = lambda n: n is not None and n >= 0 and (p['flags'] >> n) & 1
    lru, slab = c.num('PG_lru'), c.num('PG_slab')
    head_mask = c.num('PG_head_mask')
    what = '%s pfn %#x' % (kind, pfn)
    if kind == 'free':
        b, o = buddy_order(pfn, run[0], run[0] + run[1])
        if b == pfn:
            check(p['mapcount'] == c.num('PAGE_BUDDY_MAPCOUNT_VALUE') and
                  p['private'] == o, what + ': buddy head/order')
    elif kind in ('cache', 'cache_private'):
        check(bit(lru) and p['mapping'] and not p['mapping'] & 1, what)
        check(bool(bit(c.num('PG_private'))) == (kind == 'cache_private'),
              what + ': PG_private')
    elif kind == 'anon':
        check(p['mapping'] & 1 and bit(c.num('PG_swapbacked')), what)
    elif kind == 'swapcache':
        check(bit(c.num('PG_swapcache')) and not p['mapping'] & 1, what)
    elif kind in ('thp', 'hugetlb', 'filethp'):
        check(p['flags'] & head_mask, what + ': PG_head')
        t = c.page(pfn + 1, vmemmap)
        check(t['w8'] == (vmemmap + 64 * pfn) | 1, what + ': compound_head')
    elif kind == 'slab':
        check(bit(slab) or p['mapcount'] == c.num('PAGE_SLAB_MAPCOUNT_VALUE'),
              what)
    elif kind == 'offline':
        check(p['mapcount'] == c.num('PAGE_OFFLINE_MAPCOUNT_VALUE'), what)
    elif kind == 'hwpoison':
        check(bit(c.num('PG_hwpoison')), what)


def check_zones(c, head):
    nd = c.u64(c.sym('node_data'))
    zsize = int(c.vi['SIZE(zone)'])
    fa_off = int(c.vi['OFFSET(zone.free_area)'])
    fa_size = int(c.vi['SIZE(free_area)'])
    vm_off = int(c.vi['OFFSET(zone.vm_stat)'])
    total = 0
    for z in range(5):
        za = nd + z * zsize
        total += c.u64(za + vm_off + 8 * c.num('NR_FREE_PAGES'))
        for o in range(int(c.vi['LENGTH(zone.free_area)'])):
            lh = za + fa_off + o * fa_size + 16          # MIGRATE_MOVABLE
            prev, nxt, steps = lh, c.u64(lh), 0
            while nxt != lh and steps < 3:
                check(c.u64(nxt + 8) == prev, 'free list prev link')
                prev, nxt, steps = nxt, c.u64(nxt), steps + 1
    check(total == int(head['nr_free_pages']),
          'NR_FREE_PAGES %d != %s' % (total, head['nr_free_pages']))


def check_drgn(path, c, vmemmap, runs):
    try:
        import drgn
    except ImportError:
        return
    p = drgn.Program()
    p.set_core_dump(path)
    uts = c.sym('init_uts_ns') + 65 * 2
    check(p.read(uts, 65) == bytes(c.k.read(KV, uts, 65)), 'drgn utsname')
    for s, _, kind in runs[::max(1, len(runs) // 16)]:
        a = vmemmap + 64 * s
        check(p.read(a, 64) == bytes(c.k.read(KV, a, 64)),
              'drgn struct page of %s pfn %#x' % (kind, s))


def main():
    c = Core(sys.argv[1])
    head, runs = read_truth(sys.argv[2])
    uts = bytes(c.k.read(KV, c.sym('init_uts_ns') + 65 * 2, 65))
    check(uts.rstrip(b'\0').decode() == c.vi['OSRELEASE'], 'utsname release')
    vmemmap = int(head['vmemmap_base'], 16)
    seen = {}
    for run in runs:
        s, n, kind = run
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] > 3:
            continue
        try:
            check_kind(c, s, kind, run, vmemmap)
            data = bytes(c.k.read(KP, s << 12, 4096))
        except Exception as e:  # noqa: BLE001 - any read error is a failure
            check(False, '%s pfn %#x: %s' % (kind, s, e))
            continue
        zero = not any(data)
        if kind == 'zero':
            check(zero, 'zero pfn %#x has data' % s)
        elif kind != 'free':
            check(not zero, '%s pfn %#x is all zero' % (kind, s))
    check_zones(c, head)
    check_drgn(sys.argv[1], c, vmemmap, runs)
    for f in fails[:20]:
        print('check_core: FAIL', f)
    print('check_core: %d kinds, %d failures' % (len(seen), len(fails)))
    sys.exit(1 if fails else 0)


if __name__ == '__main__':
    main()
