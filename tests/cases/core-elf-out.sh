#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -E writes an ELF core that libkdumpfile and drgn read back page for page,
# whose VMCOREINFO crash finds, with the same memory layout as makedumpfile's,
# that makedumpfile 1.7.2 filters again with mmap; and -F -E streams it.
. "$(dirname "$0")/../lib.sh"

# loads FILE: "p_offset p_paddr p_filesz p_memsz" of each PT_LOAD, in decimal.
loads() {
	readelf -lW "$1" | "$PY" -c '
import sys
for f in (l.split() for l in sys.stdin):
    if f and f[0] == "LOAD":
        print(*(int(x, 16) for x in (f[1], f[3], f[4], f[5])))'
}

# memory_layout FILE: "p_paddr p_filesz p_memsz" per segment, a data-less
# PT_LOAD that continues the previous one's memory merged into it (vmsift
# writes a segment's excluded tail as such a PT_LOAD; makedumpfile as the
# segment's p_memsz).
memory_layout() {
	loads "$1" | "$PY" -c '
import sys
segs = []
for off, pa, fs, ms in (map(int, l.split()) for l in sys.stdin):
    if fs == 0 and segs and segs[-1][0] + segs[-1][2] == pa and segs[-1][1] == segs[-1][2]:
        segs[-1][2] += ms
    else:
        segs.append([pa, fs, ms])
for s in segs:
    print("%#x %#x %#x" % tuple(s))'
}

core=$WORK/core.elf
"$PY" "$TOOLS/mkcore.py" "$core" >/dev/null
for d in 0 1; do
	check "-E -d $d writes an ELF core" "$VMSIFT" -E -d $d --message-level 0 "$core" "$WORK/e$d.elf"
	check "-E -d $d: readelf accepts it" readelf -lW "$WORK/e$d.elf"
	check "-E -d $d: every file-backed page equals the source (or is an excluded page's zeros)" \
		"$PY" "$TOOLS/compare_elf_out.py" "$WORK/e$d.elf" "$core"
	makedumpfile -E -d $d "$core" "$WORK/m$d.elf" >/dev/null 2>&1
	check_eq "-E -d $d: same memory layout (paddr, filesz, memsz) as makedumpfile" \
		"$(memory_layout "$WORK/m$d.elf")" "$(memory_layout "$WORK/e$d.elf")"
done
check "-F -E streams; -R rebuilds the same file" bash -c \
	"'$VMSIFT' -F -E -d 1 --message-level 0 '$core' | '$VMSIFT' -R '$WORK/r.elf' >/dev/null && cmp '$WORK/e1.elf' '$WORK/r.elf'"
check_fails "-E -c is refused" "$VMSIFT" -E -c -d 1 "$core" "$WORK/x.elf"

# A generated 128 MiB machine at -d 31: many runs of 256 or more excluded
# pages, so many segments whose memory goes on past their file data.
# makedumpfile 1.7.2 maps [p_offset, p_offset + p_memsz) of a PT_LOAD as one
# window when the offsets are page-aligned; other segments' data inside that
# range made it unmap one window twice and segfault (exit 139).
gen=$WORK/gen.core
"$MKVMCORE" --mem 128M --seed 1 -o "$gen" >/dev/null
check "-E -d 31 of a generated core" "$VMSIFT" -E -d 31 --message-level 0 "$gen" "$WORK/g.elf"
check "-E -d 31: no PT_LOAD's [p_offset, p_offset+p_memsz) covers another PT_LOAD's data" \
	"$PY" -c '
import sys
ls = [tuple(map(int, l.split())) for l in sys.stdin]
bad = [(hex(o), hex(m), hex(a)) for i, (o, _, _, m) in enumerate(ls)
       for j, (a, _, f, _) in enumerate(ls) if i != j and f and a < o + m and o < a + f]
print(len(ls), "PT_LOADs, overlaps (offset, memsz, other offset):", bad[:5])
sys.exit(1 if bad else 0)' < <(loads "$WORK/g.elf")
check "-E -d 31: every file-backed page equals the source (libkdumpfile)" \
	"$PY" "$TOOLS/compare_elf_out.py" "$WORK/g.elf" "$gen"
check "-E -d 31: drgn reads each segment's last page (always a kept page) as the source, the excluded tails as zeros" \
	"$PY" -c '
import sys, drgn
out, src = drgn.Program(), drgn.Program()
out.set_core_dump(sys.argv[1])
src.set_core_dump(sys.argv[2])
n = 0
for off, pa, fs, ms in (map(int, l.split()) for l in sys.stdin):
    if fs >= 4096 and (pa + fs) % 4096 == 0:
        pa += fs - 4096
        want = src.read(pa, 4096, True)
    elif fs == 0 and ms >= 4096:
        want = bytes(4096)
    else:
        continue
    if out.read(pa, 4096, True) != want:
        sys.exit("drgn reads paddr %#x differently" % pa)
    n += 1
print(n, "pages read")' "$WORK/g.elf" "$gen" < <(loads "$WORK/g.elf")
# crash tells a kdump ELF core from an old netdump one by its PT_LOADs: with
# page-aligned p_offset and a nonzero p_align it takes it for netdump and
# finds no VMCOREINFO ("unknown").
if command -v crash >/dev/null; then
	check_eq "-E -d 31: crash reads its VMCOREINFO (OSRELEASE as from the source core)" \
		"$(timeout 60 crash --osrelease "$gen" 2>&1)" "$(timeout 60 crash --osrelease "$WORK/g.elf" 2>&1)"
else
	skip "-E -d 31: crash reads its VMCOREINFO" "crash is not installed"
fi
makedumpfile -l -d 31 "$gen" "$WORK/src31.kdump" >/dev/null 2>&1
makedumpfile -E -d 31 "$gen" "$WORK/gm.elf" >/dev/null 2>&1
makedumpfile -l -d 31 "$WORK/gm.elf" "$WORK/mm31.kdump" >/dev/null 2>&1
check "makedumpfile 1.7.2 (mmap, its default) filters vmsift's -E output" \
	makedumpfile --message-level 4 -l -d 31 "$WORK/g.elf" "$WORK/mv31.kdump"
check "... keeping the pages and bytes it keeps from its own -E output" \
	"$PY" "$TOOLS/compare_dumps.py" "$WORK/mm31.kdump" "$WORK/mv31.kdump"
check "... and from the source core, but for zero pages (not in an ELF file)" "$PY" -c '
import sys
sys.path.insert(0, sys.argv[1])
import kdumplib as kl
src, out = kl.Kdump(sys.argv[2]), kl.Kdump(sys.argv[3])
zero = bytes(src.B)
extra = set(out.pfns) - set(src.pfns)
differ = [p for p in out.pfns if p not in extra and src.page(p) != out.page(p)]
lost = [p for p in set(src.pfns) - set(out.pfns) if src.page(p) != zero]
print(len(out.pfns), "pages; extra", len(extra), "differ", len(differ), "nonzero lost", len(lost))
sys.exit(1 if extra or differ or lost else 0)' "$TOOLS" "$WORK/src31.kdump" "$WORK/mv31.kdump"
finish
