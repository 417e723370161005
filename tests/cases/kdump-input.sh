#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kdump-compressed files as input: a -d 1 dump (vmsift's or makedumpfile's,
# each codec, seekable or flattened) filtered again at -d 31 keeps exactly
# what -d 31 of the original core keeps; pages absent from the input stay
# absent; -E, -F/-R, --split, -e, --dump-dmesg and threads work on it; a cut file or
# stream gives what precedes the cut, flagged incomplete, with a count of the
# pages recovered; empty or garbage input fails at once.
. "$(dirname "$0")/../lib.sh"

core=$WORK/core.elf
"$MKVMCORE" -o "$core" --mem 256M --truth "$WORK/truth" >/dev/null
V() { "$VMSIFT" --message-level 0 "$@"; }
V -d 31 "$core" "$WORK/ref31.kdump"
"$VMSIFT" --message-level 16 -d 31 "$core" "$WORK/ref31b.kdump" > "$WORK/ref31.report" 2>&1
same_as_ref() {  # DUMP: the same pages and bytes as -d 31 of the core
	"$PY" "$TOOLS/compare_dumps.py" "$WORK/ref31.kdump" "$1"
}
bitmap2() { kdump_field "$1" "['bitmap2_set']"; }

# vmsift's -d 1 dumps, every codec, filtered again at -d 31.
for comp in "" -c -l -p -z; do
	tag=vmsift${comp:--raw}
	V $comp -d 1 "$core" "$WORK/in.kdump"
	check "$tag -d 1 dump, then -d 31 of it" V -d 31 "$WORK/in.kdump" "$WORK/out.kdump"
	check "... keeps the pages and bytes -d 31 of the core keeps" same_as_ref "$WORK/out.kdump"
	check "... byte-identical to -d 31 of the core" cmp "$WORK/ref31.kdump" "$WORK/out.kdump"
	rm -f "$WORK/in.kdump" "$WORK/out.kdump"
done
V -c -d 1 "$core" "$WORK/v1.kdump"
"$VMSIFT" --message-level 16 -d 31 "$WORK/v1.kdump" "$WORK/o.kdump" > "$WORK/o.report" 2>&1
check_eq "the report of the re-filter counts what the core's does" \
	"$(report_counts "$WORK/ref31.report")" "$(report_counts "$WORK/o.report")"
check_eq "... which is the generator's truth at -d 31" \
	"$(truth_counts "$WORK/truth" 31)" "$(report_counts "$WORK/o.report")"

# makedumpfile's -d 1 dumps, every codec it has.
for comp in -c -l -p -z; do
	if ! makedumpfile $comp -d 1 "$core" "$WORK/m.kdump" >/dev/null 2>&1; then
		echo "not ok - makedumpfile $comp -d 1 failed on the generated core"
		FAILED=1
		continue
	fi
	check "makedumpfile $comp -d 1 dump, then vmsift -d 31 of it" V -d 31 "$WORK/m.kdump" "$WORK/out.kdump"
	check "... keeps the pages and bytes -d 31 of the core keeps" same_as_ref "$WORK/out.kdump"
	rm -f "$WORK/m.kdump" "$WORK/out.kdump"
done

# Flattened files, read in place.
V -F -l -d 1 "$core" > "$WORK/v.flat"
check "vmsift -F stream as input, -d 31" V -d 31 "$WORK/v.flat" "$WORK/vf.kdump"
check "... byte-identical to -d 31 of the core" cmp "$WORK/ref31.kdump" "$WORK/vf.kdump"
makedumpfile -F -c -d 1 "$core" > "$WORK/m.flat" 2>/dev/null
check "makedumpfile -F stream as input, -d 31" V -d 31 "$WORK/m.flat" "$WORK/mf.kdump"
check "... keeps the pages and bytes -d 31 of the core keeps" same_as_ref "$WORK/mf.kdump"
# Records out of order, some overwriting garbage written before them: the newest wins.
"$PY" "$TOOLS/mkflat.py" --chunk 200000 --shuffle --overwrite 3 "$WORK/v1.kdump" "$WORK/ow.flat" >/dev/null
check "shuffled stream with overwritten records as input, -d 31" V -d 31 "$WORK/ow.flat" "$WORK/ow.kdump"
check "... byte-identical to -d 31 of the core" cmp "$WORK/ref31.kdump" "$WORK/ow.kdump"

# A page absent from the input stays absent at a lower level: never read as zeros.
check "-d 31 dump as input, filtered at -d 1" V -d 1 "$WORK/ref31.kdump" "$WORK/low.kdump"
check_eq "... keeps exactly the input's pages" "$(bitmap2 "$WORK/ref31.kdump")" "$(bitmap2 "$WORK/low.kdump")"
check "... with the same bytes" same_as_ref "$WORK/low.kdump"
check_eq "... and says it is filtered at both levels" 31 "$(kdump_field "$WORK/low.kdump" "['sub_header']['dump_level']")"

# -E: the same pages as -E of the core.
elf_pages_equal() {
	"$PY" - "$1" "$2" <<'EOF'
import struct, sys
def pages(path):
    d = open(path, "rb").read()
    phoff, = struct.unpack_from("<Q", d, 32)
    phnum, = struct.unpack_from("<H", d, 56)
    out = {}
    for i in range(phnum):
        t, _, off, _, pa, fs, _, _ = struct.unpack_from("<IIQQQQQQ", d, phoff + 56 * i)
        a = (pa + 4095) // 4096 * 4096
        while t == 1 and a + 4096 <= pa + fs:
            b = d[off + a - pa:off + a - pa + 4096]
            if b.count(0) != 4096:   # excluded pages inside a segment are zeros
                out[a] = b
            a += 4096
    return out
a, b = pages(sys.argv[1]), pages(sys.argv[2])
print("%d and %d non-zero pages" % (len(a), len(b)))
sys.exit(0 if a == b and a else 1)
EOF
}
V -E -d 31 "$core" "$WORK/core.elf31"
check "-E -d 31 of a kdump input" V -E -d 31 "$WORK/v1.kdump" "$WORK/kd.elf31"
check "... has the pages -E -d 31 of the core has" elf_pages_equal "$WORK/core.elf31" "$WORK/kd.elf31"

# -F from a kdump input, rebuilt with -R.
check "-F -d 31 of a kdump input" bash -c "'$VMSIFT' --message-level 0 -F -d 31 '$WORK/v1.kdump' > '$WORK/o.flat'"
check "... -R rebuilds the direct dump byte for byte" \
	bash -c "'$VMSIFT' --message-level 0 -R '$WORK/o-r.kdump' < '$WORK/o.flat' && cmp '$WORK/ref31.kdump' '$WORK/o-r.kdump'"

# --dump-dmesg and threads.
V --dump-dmesg "$core" "$WORK/core.dmesg"
check "--dump-dmesg of a kdump input" V --dump-dmesg "$WORK/v1.kdump" "$WORK/kd.dmesg"
check "... equals --dump-dmesg of the core" cmp "$WORK/core.dmesg" "$WORK/kd.dmesg"
makedumpfile --dump-dmesg "$core" "$WORK/mk.dmesg" >/dev/null 2>&1
check "... and makedumpfile's --dump-dmesg of the core" cmp "$WORK/mk.dmesg" "$WORK/kd.dmesg"
check "... and of a flattened input" bash -c "'$VMSIFT' --message-level 0 --dump-dmesg '$WORK/m.flat' '$WORK/f.dmesg' && cmp '$WORK/core.dmesg' '$WORK/f.dmesg'"
V -c -d 31 "$core" "$WORK/ref31c.kdump"
check "--num-threads 2 -c -d 31 of a kdump input" V --num-threads 2 -c -d 31 "$WORK/v1.kdump" "$WORK/thr.kdump"
check "... byte-identical to the one-thread dump of the core" cmp "$WORK/ref31c.kdump" "$WORK/thr.kdump"

# -e (struct pages of excluded memory) from a kdump input.
V -e -d 31 "$core" "$WORK/core-e.kdump"
check "-e -d 31 of a kdump input" V -e -d 31 "$WORK/v1.kdump" "$WORK/kd-e.kdump"
check "... byte-identical to -e -d 31 of the core" cmp "$WORK/core-e.kdump" "$WORK/kd-e.kdump"

# --split of a kdump input; a piece alone is a set with the other pieces missing.
check "--split -d 31 of a kdump input" V -d 31 --split "$WORK/v1.kdump" "$WORK/p1.kdump" "$WORK/p2.kdump"
# (A reassembled file holds the pages in pfn order; the direct dump writes the startup pages first.)
check "... --reassemble gives the direct dump's pages and bytes" \
	bash -c "'$VMSIFT' --message-level 0 --reassemble '$WORK/p1.kdump' '$WORK/p2.kdump' '$WORK/pr.kdump' && '$PY' '$TOOLS/compare_dumps.py' '$WORK/ref31.kdump' '$WORK/pr.kdump'"
# (A 256 MiB machine in 1 GiB split blocks: the first piece holds every pfn, the second none.)
check "the first piece alone holds every pfn: a whole dump as input" V -d 31 "$WORK/p1.kdump" "$WORK/p1-out.kdump"
check "... byte-identical to the direct dump" cmp "$WORK/ref31.kdump" "$WORK/p1-out.kdump"
"$VMSIFT" -d 31 "$WORK/p2.kdump" "$WORK/pp.kdump" > "$WORK/piece.log" 2>&1
check_eq "the second piece alone as input fails" 1 $?
check_grep "... naming the pfns no piece given holds" "do not cover pfns 0x[0-9a-f]+-0x[0-9a-f]+: a piece is missing" \
	"$WORK/piece.log"

# A wrong sub-header phys_base (QEMU 7.2 writes one): VMCOREINFO's wins, and -D says so.
cp "$WORK/v1.kdump" "$WORK/pb.kdump"
printf '\000\000\000\001' | dd of="$WORK/pb.kdump" bs=1 seek=4096 conv=notrunc status=none
"$VMSIFT" -D -d 31 "$WORK/pb.kdump" "$WORK/pb-out.kdump" > "$WORK/pb.log" 2>&1
check_grep "sub-header phys_base 0x1000000 against VMCOREINFO's: -D says which is used" \
	"phys_base 0x1000000 disagrees with VMCOREINFO's NUMBER\\(phys_base\\)=0x0: VMCOREINFO's is used" "$WORK/pb.log"
check "... and the dump is right (byte-identical to -d 31 of the core)" cmp "$WORK/ref31.kdump" "$WORK/pb-out.kdump"

# 64 KiB blocks of 4 KiB pages (QEMU's aarch64 files): each block read once, its pages used.
V -d 0 "$core" "$WORK/raw0.kdump"
"$PY" "$TOOLS/kdump_reblock.py" "$WORK/raw0.kdump" "$WORK/b64.kdump" 65536
check "a file of 64 KiB blocks (4 KiB pages) as input, -d 31" V -d 31 "$WORK/b64.kdump" "$WORK/b64-out.kdump"
"$PY" "$TOOLS/compare_dumps.py" "$WORK/ref31.kdump" "$WORK/b64-out.kdump" > "$WORK/b64.cmp" 2>&1
check_grep "... keeps the core's -d 31 pages with their bytes (and no other page but block-rounded hole edges)" \
	"compare: [0-9]+ pages equal, 0 differ, 0 only-in-A, [0-2] only-in-B" "$WORK/b64.cmp"
check_eq "... in 4 KiB pages" 4096 "$(kdump_field "$WORK/b64-out.kdump" "['header']['block_size']")"
check "... --dump-dmesg of it equals the core's" \
	bash -c "'$VMSIFT' --message-level 0 --dump-dmesg '$WORK/b64.kdump' '$WORK/b64.dmesg' && cmp '$WORK/core.dmesg' '$WORK/b64.dmesg'"
check "... with two threads, the same dump" \
	bash -c "'$VMSIFT' --message-level 0 --num-threads 2 -d 31 '$WORK/b64.kdump' '$WORK/b64t.kdump' && cmp '$WORK/b64-out.kdump' '$WORK/b64t.kdump'"

# An arm64 guest's memory in QEMU's aarch64 layout (64 KiB blocks of 4 KiB pages, utsname
# from the header): -d 1 keeps every page of the core, and the header names the machine.
"$MKVMCORE" --arch arm64 -o "$WORK/a64.elf" --mem 256M >/dev/null
V -d 1 "$WORK/a64.elf" "$WORK/a64-d1.kdump"
V -d 0 "$WORK/a64.elf" "$WORK/a64-d0.kdump"
"$PY" "$TOOLS/kdump_reblock.py" "$WORK/a64-d0.kdump" "$WORK/a64-64k.kdump" 65536
printf 'aarch64\000' | dd of="$WORK/a64-64k.kdump" bs=1 seek=$((12 + 4 * 65)) conv=notrunc status=none
check "arm64 memory in 64 KiB blocks as input, -d 1" V -d 1 "$WORK/a64-64k.kdump" "$WORK/a64-out.kdump"
"$PY" "$TOOLS/compare_dumps.py" "$WORK/a64-d1.kdump" "$WORK/a64-out.kdump" > "$WORK/a64.cmp" 2>&1
check_grep "... the same pages and bytes as -d 1 of the core" "compare: [0-9]+ pages equal, 0 differ, 0 only-in-A, 0 only-in-B" "$WORK/a64.cmp"
check_eq "... the output's utsname names the machine" aarch64 \
	"$(kdump_field "$WORK/a64-out.kdump" "['header']['utsname']['machine']")"
V -d 31 "$WORK/a64.elf" "$WORK/a64-d31.kdump"
check "... -d 31 of it" V -d 31 "$WORK/a64-64k.kdump" "$WORK/a64-out31.kdump"
"$PY" "$TOOLS/compare_dumps.py" "$WORK/a64-d31.kdump" "$WORK/a64-out31.kdump" > "$WORK/a64-31.cmp" 2>&1
check_grep "... the same pages and bytes as -d 31 of the core" "compare: [0-9]+ pages equal, 0 differ, 0 only-in-A, 0 only-in-B" "$WORK/a64-31.cmp"
check "... --dump-dmesg of it equals the core's" bash -c "'$VMSIFT' --message-level 0 --dump-dmesg '$WORK/a64.elf' '$WORK/a64-core.dmesg' && '$VMSIFT' --message-level 0 --dump-dmesg '$WORK/a64-64k.kdump' '$WORK/a64-kd.dmesg' && cmp '$WORK/a64-core.dmesg' '$WORK/a64-kd.dmesg'"

# Cut inputs: what precedes the cut is kept, flagged incomplete, and counted.
usable_pages() {  # pages of a (cut) kdump file whose data the file holds
	"$PY" - "$1" <<'EOF'
import os, struct, sys
d = open(sys.argv[1], "rb").read()
B, sub_blocks, bm_blocks = struct.unpack_from("<iiI", d, 428)
max_mapnr, = struct.unpack_from("<Q", d, B + 96)
bm2 = (1 + sub_blocks) * B + bm_blocks // 2 * B
n = sum(bin(x).count("1") for x in d[bm2:bm2 + (max_mapnr + 7) // 8])
desc = (1 + sub_blocks + bm_blocks) * B
ok = 0
for i in range(n):
    if desc + 24 * i + 24 > len(d):
        break
    off, size, flags = struct.unpack_from("<QII", d, desc + 24 * i)
    # stored uncompressed means a whole page: a descriptor cut short (flags
    # and the size's high bytes missing) is not one
    ok += off != 0 and 0 < size <= B and off + size <= len(d) and (flags != 0 or size == B)
print(ok)
EOF
}
size=$(stat -c %s "$WORK/v1.kdump")
for frac in 40 67 95; do
	head -c $((size * frac / 100)) "$WORK/v1.kdump" > "$WORK/cut.kdump"
	want=$(usable_pages "$WORK/cut.kdump")
	"$VMSIFT" -d 1 "$WORK/cut.kdump" "$WORK/cut-out.kdump" > "$WORK/cut.log" 2>&1
	rc=$?
	check_eq "kdump file cut at $frac%: -d 1 of it exits 1" 1 "$rc"
	check_eq "... keeps every page whose data precedes the cut ($want)" "$want" "$(bitmap2 "$WORK/cut-out.kdump")"
	check_grep "... says how many pages were recovered" "$want page\(s\) were recovered" "$WORK/cut.log"
	check_eq "... flagged incomplete" 8 "$(( $(kdump_field "$WORK/cut-out.kdump" "['header']['status']") & 8 ))"
	check "... with the core's bytes" "$PY" "$TOOLS/compare_elf.py" --allow-lost "$core" "$WORK/cut-out.kdump"
	rm -f "$WORK/cut-out.kdump"
done
fsize=$(stat -c %s "$WORK/m.flat")
head -c $((fsize / 2)) "$WORK/m.flat" > "$WORK/cut.flat"
"$VMSIFT" -d 1 "$WORK/cut.flat" "$WORK/cutf-out.kdump" > "$WORK/cutf.log" 2>&1
check_eq "flattened file cut in half: -d 1 of it exits 1" 1 $?
check_grep "... says how many pages were recovered" "page\(s\) were recovered" "$WORK/cutf.log"
check "... and the pages it kept are the core's" "$PY" "$TOOLS/compare_elf.py" --allow-lost "$core" "$WORK/cutf-out.kdump"

# makedumpfile -L: flagged incomplete, the unwritten descriptors are zero.
makedumpfile -L 60M -d 1 "$core" "$WORK/mL.kdump" >/dev/null 2>&1
want=$(usable_pages "$WORK/mL.kdump")
"$VMSIFT" -d 1 "$WORK/mL.kdump" "$WORK/mL-out.kdump" > "$WORK/mL.log" 2>&1
check_eq "makedumpfile -L 60M dump (incomplete) as input: exits 1" 1 $?
check_eq "... keeps the $want pages it holds" "$want" "$(bitmap2 "$WORK/mL-out.kdump")"
check_grep "... says how many pages were recovered" "$want page\(s\) were recovered" "$WORK/mL.log"
check "... with the core's bytes" "$PY" "$TOOLS/compare_elf.py" --allow-lost "$core" "$WORK/mL-out.kdump"

# A descriptor pointing past the end of a complete file: that page is left out, never zeros.
cp "$WORK/v1.kdump" "$WORK/bad1.kdump"
"$PY" - "$WORK/bad1.kdump" <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
B, sub, bm = struct.unpack_from("<iiI", d, 428)
struct.pack_into("<Q", d, (1 + sub + bm) * B + 24 * 100, len(d) + 4096)
open(sys.argv[1], "wb").write(d)
EOF
"$VMSIFT" -d 1 "$WORK/bad1.kdump" "$WORK/bad1-out.kdump" > "$WORK/bad1.log" 2>&1
check_eq "a descriptor pointing past the end: exit 1" 1 $?
check_eq "... that one page is left out" "$(( $(bitmap2 "$WORK/v1.kdump") - 1 ))" "$(bitmap2 "$WORK/bad1-out.kdump")"
check_grep "... and named" "truncated: 1 page\(s\) from pfn 0x[0-9a-f]+ on" "$WORK/bad1.log"

# -R on a cut stream: the message counts the pages the rebuilt file holds.
head -c $((fsize / 2)) "$WORK/m.flat" | "$VMSIFT" -R "$WORK/cut-r.kdump" > "$WORK/cutr.log" 2>&1
check_eq "-R on a cut stream exits 1" 1 $?
check_grep "... and says how many pages were recovered" "[0-9]+ of [0-9]+ page\(s\) recovered" "$WORK/cutr.log"
check_eq "... as many as the rebuilt file holds" "$(usable_pages "$WORK/cut-r.kdump")" \
	"$(sed -nE 's/.* ([0-9]+) of [0-9]+ page\(s\) recovered.*/\1/p' "$WORK/cutr.log")"

# -R at several cut points: what it rebuilds holds every page complete before the cut.
unflat_cut() {  # STREAM OUT: replay the records of a (cut) stream, the last one as far as it goes
	"$PY" - "$1" "$2" <<'EOF'
import struct, sys
s = open(sys.argv[1], "rb").read()
out, pos = bytearray(), 4096
while pos + 16 <= len(s):
    off, size = struct.unpack_from(">qq", s, pos)
    if off == -1:
        break
    data = s[pos + 16:pos + 16 + size]
    if len(out) < off + len(data):
        out.extend(bytes(off + len(data) - len(out)))
    out[off:off + len(data)] = data
    pos += 16 + size
open(sys.argv[2], "wb").write(out)
EOF
}
# drgn_reads CORE DUMP N: drgn reads exactly N pages of DUMP (its 2nd bitmap's), each as in
# CORE; every other page faults, never reads as zeros.
drgn_reads() {
	"$PY" - "$TOOLS" "$@" <<'EOF'
import sys
import drgn
sys.path.insert(0, sys.argv[1])
import kdumplib as kl
core, dump, want = kl.ElfCore(sys.argv[2]), sys.argv[3], int(sys.argv[4])
prog = drgn.Program()
prog.set_core_dump(dump)
try:  # libkdumpfile's first read looks for the kernel text through page tables the cut may have lost
    prog.read(0, 1, True)
except drgn.FaultError:
    pass
B, read, differ = 4096, 0, 0
for pfn in kl.set_bits(kl.Kdump(dump).bitmap2):
    try:
        data = prog.read(pfn * B, B, True)
    except drgn.FaultError:
        continue
    read += 1
    differ += data != core.read_phys(pfn * B, B)
print("drgn read %d pages (%d expected), %d differ from the core" % (read, want, differ))
sys.exit(0 if read == want and not differ else 1)
EOF
}
V -c -d 1 -F "$core" > "$WORK/c.flat"
for stream in c.flat m.flat; do  # vmsift's, makedumpfile's (records of at most 64 KiB)
bm_rec=$("$PY" - "$WORK/$stream" <<'EOF'
import struct, sys
s = open(sys.argv[1], "rb").read()
B, sub, bm_blocks = struct.unpack_from("<iiI", s, 4096 + 16 + 428)   # the first record: the main header
bm2 = (1 + sub) * B + bm_blocks // 2 * B
pos = 4096
while True:
    off, size = struct.unpack_from(">qq", s, pos)
    if off <= bm2 < off + size:   # the record holding the start of the 2nd bitmap: cut there
        print(pos + 16 + (bm2 - off) + 100)
        break
    pos += 16 + size
EOF
)
# Inside a compressed page's descriptor, 10 bytes into it (the one nearest
# the middle of the stream, and the first): its offset and the low bytes of
# its size arrived, its flags did not.  makedumpfile writes each run of
# descriptors before its data, so its first one can be the file's last bytes.
read -r desc_cut first_cut < <("$PY" - "$WORK/$stream" <<'EOF'
import struct, sys
s = open(sys.argv[1], "rb").read()
B, sub, bm_blocks = struct.unpack_from("<iiI", s, 4096 + 16 + 428)
desc, recs, pos = (1 + sub + bm_blocks) * B, [], 4096
while pos + 16 <= len(s):
    off, size = struct.unpack_from(">qq", s, pos)
    if off == -1:
        break
    recs.append((pos + 16, off, size))
    pos += 16 + size
data = min(struct.unpack_from("<Q", s, p)[0] for p, off, _ in recs if off == desc)  # the table ends where data starts
cuts = []
for p, off, size in recs:
    for at in range((desc - off) % 24, size - 23, 24):
        dsize, flags = struct.unpack_from("<II", s, p + at + 8)
        if desc <= off + at < data and flags and 0 < dsize < B and dsize >> 8:
            cuts.append(p + at + 10)
print(min(cuts, key=lambda c: abs(c - len(s) // 2)), min(cuts))
EOF
)
csize=$(stat -c %s "$WORK/$stream")
for cut in 2000:header $bm_rec:bitmaps $((csize * 3 / 5)):page ${desc_cut:-0}:descriptor ${first_cut:-0}:first-descriptor; do
	at=${cut%%:*} where=${cut#*:}
	head -c "$at" "$WORK/$stream" > "$WORK/cut.flat"
	rm -f "$WORK/rc.kdump"
	timeout 60 "$VMSIFT" -R "$WORK/rc.kdump" < "$WORK/cut.flat" > "$WORK/rc.log" 2>&1
	check_eq "-R on $stream cut inside the $where: exit 1" 1 $?
	case $where in
	header)
		check "... no file left behind" test ! -e "$WORK/rc.kdump" ;;
	bitmaps)
		check_grep "... says no page of it is readable" "no page of it is readable| 0 of [0-9]+ page\(s\) recovered" "$WORK/rc.log" ;;
	page|descriptor|first-descriptor)
		unflat_cut "$WORK/cut.flat" "$WORK/sim.kdump"
		want=$(usable_pages "$WORK/sim.kdump")
		check_grep "... counts the $want pages complete before the cut" " $want of [0-9]+ page\(s\) recovered" "$WORK/rc.log"
		check_eq "... and holds them" "$want" "$(usable_pages "$WORK/rc.kdump")"
		check_eq "... flagged incomplete" 8 "$(( $(kdump_field "$WORK/rc.kdump" "['header']['status']") & 8 ))"
		check "... libkdumpfile reads them as the core's" "$PY" "$TOOLS/compare_elf.py" --allow-lost "$core" "$WORK/rc.kdump"
		check "... drgn reads them as the core's and faults on the lost ones" \
			drgn_reads "$core" "$WORK/rc.kdump" "$want"
		check_eq "... crash reads its header (crash --osrelease)" "6.1.0-synthetic" \
			"$(timeout 60 crash --osrelease "$WORK/rc.kdump" 2>&1)"
		V -f -d 1 "$WORK/rc.kdump" "$WORK/rc-out.kdump"  # exits 1: the input is incomplete
		check_eq "... and as input, -d 1 keeps all $want of them" "$want" "$(bitmap2 "$WORK/rc-out.kdump")" ;;
	esac
done
done

# A file cut inside its descriptor table holds no page: -d 31 cannot read the kernel's
# memory model from it, says so, and leaves no empty file that looks like a dump.
head -c "$(( $("$PY" -c "
import struct, sys
d = open(sys.argv[1], 'rb').read(464)
B, sub, bm = struct.unpack_from('<iiI', d, 428)
print((1 + sub + bm) * B)" "$WORK/v1.kdump") + 24 * 5 + 10 ))" "$WORK/v1.kdump" > "$WORK/intable.kdump"
rm -f "$WORK/nomodel.kdump"
"$VMSIFT" -d 31 "$WORK/intable.kdump" "$WORK/nomodel.kdump" > "$WORK/nomodel.log" 2>&1
check_eq "a file cut inside its descriptor table, -d 31: exit 1" 1 $?
check_grep "... saying the memory model cannot be read" "dump level 31 needs the kernel memory model" "$WORK/nomodel.log"
check "... and leaving no empty dump file behind" test ! -e "$WORK/nomodel.kdump"

# Bad input fails at once, with a message that says what is wrong.
: > "$WORK/empty"
head -c 8192 /dev/urandom > "$WORK/garbage"
head -c 300 "$WORK/v1.kdump" > "$WORK/hdr.kdump"
head -c 9000 "$WORK/v1.kdump" > "$WORK/inbitmap.kdump"
for bad in empty:empty garbage:"not an ELF file, nor a kdump" hdr.kdump:"inside its 464-byte kdump header" \
	inbitmap.kdump:"inside its bitmaps"; do
	f=${bad%%:*} msg=${bad#*:}
	timeout 20 "$VMSIFT" -d 1 "$WORK/$f" "$WORK/bad.kdump" > "$WORK/bad.log" 2>&1
	check_eq "$f input fails cleanly" 1 $?
	check_grep "... saying why" "$msg" "$WORK/bad.log"
	check "... and leaves no dump behind" test ! -e "$WORK/bad.kdump"
done
finish
