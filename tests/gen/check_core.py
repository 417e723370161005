#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check a mkvmcore core against its truth file with libkdumpfile.

Independent of mkvmcore's C code: it only uses the VMCOREINFO in the
file and libkdumpfile's own page-table walker.  Checks that
 - the utsname read through the kernel-image mapping is right,
 - struct pages read through the vmemmap (page-table walk) look like the
   kind the truth file gives their pfn (one page of every kind run),
 - page contents read by physical address are zero exactly for "zero"
   (sampled; every page of a core of up to 2^18 pages),
 - the zones' NR_FREE_PAGES add up to the truth's nr_free_pages and the
   free lists link buddy heads both ways (where VMCOREINFO has node_data),
 - drgn (if installed) reads the same utsname and struct pages.
On arm64 cores libkdumpfile is made to translate the whole kernel half
through swapper_pg_dir (no linear-map shortcut), and it also checks that
 - the utsname machine is aarch64 and init_uts_ns read through the
   tables equals the bytes at VA - kimage_voffset,
 - linear-map VAs, (PA - PHYS_OFFSET) | -(1 << VA_BITS), read the same
   bytes as the physical pages for sample pfns of every kind run, and a
   linear VA past RAM is not mapped,
 - the vmemmap base follows from VMEMMAP_START and the signed
   PHYS_OFFSET (and equals SYMBOL(vmemmap) where exported), and
   mem_section encodes it for the first present section,
 - a walk of swapper_pg_dir by physical reads, decoding descriptors by
   the architecture's rules, finds well-formed table/block/page entries
   (access flag, shareability or PA[51:50] in bits 9:8, contiguous runs
   aligned and consecutive), leaves inside RAM only, and a linear map that
   covers exactly the RAM at PA - PHYS_OFFSET.
 - with DMESG (mkvmcore --dmesg), the printk ring found through
   VMCOREINFO decodes to exactly that text.
usage: check_core.py CORE TRUTH [DMESG]   (exit 1 on any mismatch)
"""
import addrxlat
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
        self.arch = self.k.attr['arch.name']
        self.psize = int(self.vi['PAGESIZE'])
        self.pshift = self.psize.bit_length() - 1
        if self.arch == 'aarch64':
            self.walk_kernel_half()

    def walk_kernel_half(self):
        """Translate every kernel VA through the page tables."""
        sy = self.k.get_addrxlat_sys()
        kv = sy.get_map(addrxlat.SYS_MAP_KV_PHYS)
        r = addrxlat.Range()
        r.endoff = (1 << 63) - 1
        r.meth = addrxlat.SYS_METH_PGT
        kv.set(1 << 63, r)
        sy.set_map(addrxlat.SYS_MAP_KV_PHYS, kv)
        # A 64K kernel built for 52 bits keeps its top table laid out for
        # 52 bits when it runs 48-bit: TTBR1 points into it, past the
        # entries of the upper 52-bit space (libkdumpfile 0.5.1 does not
        # know; drgn walks with VA_BITS instead)
        va, va_bits = 64 - self.num('TCR_EL1_T1SZ'), self.num('VA_BITS')
        if self.pshift == 16 and va < va_bits:
            pgdir = self.pshift + (-(-(va - self.pshift) // 13) - 1) * 13
            pgt = sy.get_meth(addrxlat.SYS_METH_PGT)
            root = pgt.root
            root.addr += ((1 << (va_bits - pgdir)) - (1 << (va - pgdir))) * 8
            pgt.root = root
            sy.set_meth(addrxlat.SYS_METH_PGT, pgt)

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


def check_zero_all(c, runs):
    """Every RAM page: all zero exactly when its kind is "zero" (free
    pages may be either)."""
    wrong = 0
    for s, n, kind in runs:
        if kind == 'free':
            continue
        for pfn in range(s, s + n):
            zero = not any(bytes(c.k.read(KP, pfn << c.pshift, c.psize)))
            if zero != (kind == 'zero'):
                wrong += 1
                check(wrong > 5, '%s pfn %#x is %szero' % (kind, pfn, '' if zero else 'not '))
    check(wrong == 0, '%d pages with the wrong zero-ness' % wrong)


def check_zones(c, head):
    if 'SYMBOL(node_data)' not in c.vi:      # arm64 kernels do not export it
        return
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
    try:
        uts = c.sym('init_uts_ns') + 65 * 2
        check(p.read(uts, 65) == bytes(c.k.read(KV, uts, 65)), 'drgn utsname')
        for s, _, kind in runs[::max(1, len(runs) // 16)]:
            a = vmemmap + 64 * s
            check(p.read(a, 64) == bytes(c.k.read(KV, a, 64)),
                  'drgn struct page of %s pfn %#x' % (kind, s))
    except (drgn.FaultError, kdumpfile.exceptions.KDumpBaseException) as e:
        # drgn before 0.0.28 walks arm64 tables with VA_BITS, not the
        # runtime size from TCR_EL1_T1SZ: a 52-bit kernel running 48-bit
        # is beyond it; and it finds the page tables only through a
        # kernel-image PT_LOAD, which QEMU's cores lack (drgn #592)
        if 'recursive address translation' in str(e) or (
                c.arch == 'aarch64' and
                64 - c.num('TCR_EL1_T1SZ') != c.num('VA_BITS')):
            print('check_core: drgn %s cannot walk this layout, skipped (%s)' %
                  (getattr(drgn, '__version__', '?'), e))
            return
        check(False, 'drgn: %s' % e)


def s64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def check_arm64(c, head, runs, vmemmap):
    k, vi = c.k, c.vi
    po = c.num('PHYS_OFFSET')
    page_offset = (1 << 64) - (1 << c.num('VA_BITS'))
    m64 = (1 << 64) - 1
    uts = c.sym('init_uts_ns')
    check(bytes(k.read(KV, uts + 65 * 4, 8)) == b'aarch64\0', 'utsname machine')
    pa = (uts - c.num('kimage_voffset')) & m64
    check(bytes(k.read(KV, uts, 390)) == bytes(k.read(KP, pa, 390)),
          'init_uts_ns through the tables != at VA - kimage_voffset %#x' % pa)

    def linear(pa):
        return ((pa - po) & m64) | page_offset
    seen, n = {}, 0
    for s, cnt, kind in runs:
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] > 3:
            continue
        for pfn in (s, s + cnt - 1):
            pa = pfn << c.pshift
            try:
                same = bytes(k.read(KV, linear(pa), c.psize)) == \
                    bytes(k.read(KP, pa, c.psize))
            except Exception as e:  # noqa: BLE001
                same = False
                check(False, 'linear VA %#x: %s' % (linear(pa), e))
            check(same, 'linear VA %#x of %s pfn %#x' % (linear(pa), kind, pfn))
            n += 1
    # one page on: the page at max_mapnr may be a partial RAM page
    end = (int(head['max_mapnr']) + 1) << c.pshift
    try:
        k.read(KV, linear(end), 8)
        check(False, 'linear VA %#x past RAM is mapped' % linear(end))
    except Exception:  # noqa: BLE001 - any failure to translate is right
        pass
    start = c.num('VMEMMAP_START')
    formula = (start - (s64(po) >> c.pshift) * 64) & m64
    check(formula == vmemmap, 'vmemmap %#x != VMEMMAP_START - (PHYS_OFFSET >> '
          'PAGE_SHIFT) * 64 = %#x' % (vmemmap, formula))
    if 'SYMBOL(vmemmap)' in vi:
        check(c.sym('vmemmap') == vmemmap, 'SYMBOL(vmemmap)')
    nr = runs[0][0] >> (c.num('SECTION_SIZE_BITS') - c.pshift)
    per_root = c.psize // int(vi['SIZE(mem_section)'])
    root = c.u64(c.sym('mem_section') + 8 * (nr // per_root))
    smm = c.u64(root + int(vi['SIZE(mem_section)']) * (nr % per_root))
    check(smm & ~0x3f & m64 == vmemmap, 'mem_section[%d] encodes %#x' % (nr, smm))
    print('check_core: arm64 %d-bit VA (T1SZ %d), %d linear-map pages compared' %
          (c.num('VA_BITS'), c.num('TCR_EL1_T1SZ'), n))


class Walker:
    """Walk swapper_pg_dir by physical reads, decoding descriptors from
    the architecture's rules: levels from the page size and the runtime
    VA size (64 - TCR_EL1_T1SZ), the top table sized for VA_BITS with 64K
    pages (it stays laid out for 52 bits when the kernel runs 48-bit);
    LPA (64K, PA[51:48] in bits 15:12) when a 64K kernel runs 52-bit,
    LPA2 (PA[51:50] in bits 9:8) when 4K/16K run 52-bit, else plain."""

    def __init__(self, c, ram):
        self.c, self.ram = c, ram
        self.ps = c.pshift
        self.va = 64 - c.num('TCR_EL1_T1SZ')
        self.fmt = ('lpa' if self.ps == 16 and self.va == 52 else
                    'lpa2' if self.ps != 16 and self.va == 52 else 'plain')
        self.levels = -(-(self.va - self.ps) // (self.ps - 3))
        self.va_top = c.num('VA_BITS') if self.ps == 16 else self.va
        self.cont = {12: (16, 16), 14: (128, 32), 16: (32, 32)}[self.ps]
        self.stats = {'tables': 0, 'pages': 0, 'contiguous': 0}
        self.leaves = []            # (va, pa, size, cont)

    def shift(self, level):
        return self.ps + (self.levels - 1 - level) * (self.ps - 3)

    def pa_of(self, d):
        lo = d & ((1 << 48) - 1) & ~((1 << self.ps) - 1)
        if self.fmt == 'lpa':
            return (lo & ~0xf000) | ((d >> 12) & 0xf) << 48
        if self.fmt == 'lpa2':
            return (d & ((1 << 50) - 1) & ~((1 << self.ps) - 1)) | ((d >> 8) & 3) << 50
        return lo

    def in_ram(self, pa, size):
        p, e = pa >> self.ps, (pa + size) >> self.ps
        return any(s <= p and e <= s + n for s, n in self.ram)

    def walk(self, table, level, va_hi):
        self.stats['tables'] += 1
        check(self.stats['tables'] < 200000, 'page tables: too many tables')
        if self.stats['tables'] >= 200000:
            return
        sh = self.shift(level)
        n = (1 << (self.va_top - sh)) if level == 0 else 1 << (self.ps - 3)
        raw = bytes(self.c.k.read(KP, table, 8 * n))
        for i, d in enumerate(struct.unpack('<%dQ' % n, raw)):
            if not d & 1:
                continue
            va = va_hi | i << sh
            last = level == self.levels - 1
            pa = self.pa_of(d)
            if d & 3 == 3 and not last:
                self.walk(pa, level + 1, va)
                continue
            if d & 3 == 1 and last:
                check(False, 'block descriptor at the last level, VA %#x' % va)
                continue
            self.leaf(va, pa, 1 << sh, d)

    def leaf(self, va, pa, size, d):
        key = 'pages' if size == 1 << self.ps else 'block%dM' % (size >> 20)
        self.stats[key] = self.stats.get(key, 0) + 1
        cont = bool(d >> 52 & 1)
        self.stats['contiguous'] += cont
        check(d >> 10 & 1, 'VA %#x: access flag clear' % va)
        sh_bits = d >> 8 & 3
        want = pa >> 50 & 3 if self.fmt == 'lpa2' else 3
        check(sh_bits == want, 'VA %#x: bits 9:8 %d in a %s descriptor' %
              (va, sh_bits, self.fmt))
        check(self.in_ram(pa, size), 'VA %#x maps %#x+%#x outside RAM' % (va, pa, size))
        self.leaves.append((va, pa, size, cont))

    def run(self):
        root = (self.c.sym('swapper_pg_dir') - self.c.num('kimage_voffset')) % (1 << 64)
        self.walk(root, 0, (1 << 64) - (1 << self.va_top))
        self.check_cont()
        return self.leaves

    def check_cont(self):
        """Contiguous runs: aligned groups of the granule's count, all
        marked, physically consecutive."""
        by_size = {}
        for va, pa, size, cont in self.leaves:
            if cont:
                by_size.setdefault(size, {})[va] = pa
        for size, m in by_size.items():
            n = self.cont[0] if size == 1 << self.ps else self.cont[1]
            for va, pa in m.items():
                g = va - va % (n * size)
                ok = all(m.get(g + i * size) == pa - (va - g) + i * size
                         for i in range(n))
                check(ok, 'contiguous group at VA %#x (%d x %#x)' % (g, n, size))
                if not ok:
                    return


def ram_ranges(runs):
    out = []
    for s, n, _ in runs:
        if out and out[-1][0] + out[-1][1] == s:
            out[-1][1] += n
        else:
            out.append([s, n])
    return out


def check_tables(c, runs):
    w = Walker(c, ram_ranges(runs))
    leaves = w.run()
    po, m64 = c.num('PHYS_OFFSET'), (1 << 64) - 1
    page_offset = (1 << 64) - (1 << c.num('VA_BITS'))
    va_min = c.num('VA_BITS')
    if va_min == 52:                # the smallest size the build can run with
        va_min = 47 if c.pshift == 14 else 48
    page_end = (1 << 64) - (1 << (va_min - 1))
    linear = 0
    for va, pa, size, _ in leaves:
        if page_offset <= va < page_end:
            linear += size
            check(((va & ~page_offset) + po) & m64 == pa,
                  'linear VA %#x maps %#x, not PA - PHYS_OFFSET' % (va, pa))
    ram = sum(n for _, n, _ in runs) << c.pshift
    check(linear == ram, 'linear map covers %#x bytes, RAM is %#x' % (linear, ram))
    st = ' '.join('%s %d' % kv for kv in sorted(w.stats.items()))
    print('check_core: %d-level %s tables: %s' % (w.levels, w.fmt, st))
    return w.stats


def dmesg(c):
    """The lockless printk ring, formatted as makedumpfile --dump-dmesg
    prints it: committed or finalized records from tail_id to head_id."""
    off = lambda k: int(c.vi['OFFSET(%s)' % k])
    u32 = lambda a: struct.unpack('<I', bytes(c.k.read(KV, a, 4)))[0]
    rb = c.u64(c.sym('prb'))
    dr = rb + off('printk_ringbuffer.desc_ring')
    tr = rb + off('printk_ringbuffer.text_data_ring')
    bits = u32(dr + off('prb_desc_ring.count_bits'))
    descs, infos = c.u64(dr + off('prb_desc_ring.descs')), c.u64(dr + off('prb_desc_ring.infos'))
    size = 1 << u32(tr + off('prb_data_ring.size_bits'))
    data = bytes(c.k.read(KV, c.u64(tr + off('prb_data_ring.data')), size))
    head, rid = c.u64(dr + off('prb_desc_ring.head_id')), c.u64(dr + off('prb_desc_ring.tail_id'))
    out = []
    for _ in range(1 << bits):
        i = rid % (1 << bits)
        d = descs + i * int(c.vi['SIZE(prb_desc)'])
        sv = c.u64(d + off('prb_desc.state_var'))
        lp = d + off('prb_desc.text_blk_lpos')
        begin = c.u64(lp + off('prb_data_blk_lpos.begin'))
        nxt = c.u64(lp + off('prb_data_blk_lpos.next'))
        info = infos + i * int(c.vi['SIZE(printk_info)'])
        if sv & ((1 << 62) - 1) == rid and sv >> 62 in (1, 2):
            at = begin % size if begin // size == nxt // size else 0
            n = struct.unpack('<H', bytes(c.k.read(KV, info + off('printk_info.text_len'), 2)))[0]
            text = data[at + 8:at + 8 + n]
            ts = c.u64(info + off('printk_info.ts_nsec'))
            pre = '[%5d.%06d] ' % (ts // 10**9, ts % 10**9 // 1000)
            body = ''.join('\n' + ' ' * len(pre) if b == 10 else
                           chr(b) if 32 <= b < 127 or b in (9, 11, 12, 13) else
                           '\\x%02x' % b for b in text)
            out.append(pre + body + '\n')
        if rid == head:
            break
        rid += 1
    return ''.join(out)


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
            data = bytes(c.k.read(KP, s << c.pshift, c.psize))
        except Exception as e:  # noqa: BLE001 - any read error is a failure
            check(False, '%s pfn %#x: %s' % (kind, s, e))
            continue
        zero = not any(data)
        if kind == 'zero':
            check(zero, 'zero pfn %#x has data' % s)
        elif kind != 'free':
            check(not zero, '%s pfn %#x is all zero' % (kind, s))
    if int(head['ram_pages']) <= 1 << 18:
        check_zero_all(c, runs)
    check_zones(c, head)
    if c.arch == 'aarch64':
        check_arm64(c, head, runs, vmemmap)
        check_tables(c, runs)
    check_drgn(sys.argv[1], c, vmemmap, runs)
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            want = f.read()
        got = dmesg(c)
        check(got == want, 'printk ring: %d records decoded, %d expected' %
              (got.count('\n['), want.count('\n[')))
    for f in fails[:20]:
        print('check_core: FAIL', f)
    print('check_core: %d kinds, %d failures' % (len(seen), len(fails)))
    sys.exit(1 if fails else 0)


if __name__ == '__main__':
    main()
