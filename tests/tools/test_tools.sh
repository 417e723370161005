#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Self-test of the checking tools: they must pass on makedumpfile's own
# dumps of a synthetic core and must fail (exit 1) on damaged ones.
# Needs /usr/bin/makedumpfile (1.7.x, lzo) and python3-libkdumpfile,
# python3-lzo.  Usage: tests/tools/test_tools.sh [-v]
set -euo pipefail

T=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
MDF=${MAKEDUMPFILE:-/usr/sbin/makedumpfile}
[ -x "$MDF" ] || MDF=$(command -v makedumpfile)
VERBOSE=${1:-}
W=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work dir: $W" || trap 'rm -rf "$W"' EXIT
cd "$W"

npass=0
nfail=0
ok() { npass=$((npass + 1)); [ "$VERBOSE" = -v ] && echo "ok   $1" || true; }
bad() { nfail=$((nfail + 1)); echo "FAIL $1"; }

# expect RC DESC CMD...: run CMD, require exit status RC.
expect() {
    local want=$1 desc=$2 rc=0
    shift 2
    "$@" >out.log 2>&1 || rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "$desc"
    else
        bad "$desc (exit $rc, wanted $want)"
        sed 's/^/     | /' out.log | tail -15
    fi
}

# json DUMP EXPR: evaluate a Python expression over kdumpinfo --json as j.
json() {
    $PY "$T/kdumpinfo.py" --json "$1" >j.json
    $PY -c "import json,sys; j=json.load(open('j.json')); print($2)"
}

# same DESC A B: values must be equal.
same() {
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 ('$2' != '$3')"; fi
}

mdf() { "$MDF" "$@" >mdf.log 2>&1 || { cat mdf.log; exit 1; }; }

# ---------------------------------------------------------------- inputs
$PY "$T/mkcore.py" core64
$PY "$T/mkcore.py" core32 --class 32
$PY "$T/mkcore.py" corexn --xnum
$PY "$T/mkcore.py" coreend --phdrs-at-end --xnum --class 32
$PY "$T/mkcore.py" coretail --memsz-tail
$PY "$T/mkcore.py" corepart --partial-page
$PY "$T/mkcore.py" corebad --corrupt-pfn 0x105
$PY "$T/mkcore.py" corenv --no-vmcoreinfo

mdf -d 0 core64 d0
mdf -d 1 core64 d1
mdf -d 1 -l core64 d1l
mdf -d 1 -c core64 d1c
mdf -d 0 -c core64 d0c
mdf -d 1 core32 d1_32
mdf -d 1 coretail tail1
mdf -d 0 corepart part0
mdf -d 1 corenv nv1
"$MDF" -F -d 1 -l core64 >flat1l 2>mdf.log
mdf -R flat1l_R <flat1l

# Independent expectations from the memory model of mkcore.py.
read -r NPAGES NZERO < <($PY - "$T" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import mkcore
pf = [p for s, n in mkcore.RAM for p in range(s // 4096, (s + n) // 4096)]
kern = range((mkcore.KTEXT_PHYS + mkcore.UTS_OFF) // 4096,
             (mkcore.KTEXT_PHYS + mkcore.PUD_DM_OFF) // 4096 + 1)
print(len(pf), sum(1 for p in pf if mkcore.page_kind(p) == "zero"
                   and p not in kern))
EOF
)

# ------------------------------------------------------- kdumpinfo passes
for f in d0 d1 d1l d1c d0c d1_32 tail1 part0 nv1 flat1l flat1l_R; do
    expect 0 "kdumpinfo --check $f" $PY "$T/kdumpinfo.py" --check $f
done
same "d1: bitmap1 bits = RAM pages" "$(json d1 'j["bitmap1_set"]')" "$NPAGES"
same "d1: bitmap2 bits = RAM pages" "$(json d1 'j["bitmap2_set"]')" "$NPAGES"
same "d1: zero-page descriptors" "$(json d1 'j["zero_page_descriptors"]')" "$NZERO"
same "d0: no zero-page descriptors" "$(json d0 'j["zero_page_descriptors"]')" 0
same "d0: all raw" "$(json d0 'j["descriptors_by_flag"]')" "{'raw': $NPAGES}"
same "d1c: zlib used" "$(json d1c '"zlib" in j["descriptors_by_flag"]')" True
same "d1l: lzo used" "$(json d1l '"lzo" in j["descriptors_by_flag"]')" True
same "flat1l: read as flattened" "$(json flat1l 'j["flattened"]')" True
same "d1: header fields" \
    "$(json d1 'j["header"]["utsname"]["release"], j["sub_header"]["dump_level"], j["header"]["nr_cpus"], j["sub_header"]["max_mapnr_64"]')" \
    "6.0.0-vmsift-test 1 2 4160"

# ----------------------------------------------------- compare_elf passes
for f in d0 d1 d1l d1c d0c d1_32 flat1l; do
    expect 0 "compare_elf core64 $f" $PY "$T/compare_elf.py" core64 $f
done
for c in core32 corexn coreend; do
    expect 0 "compare_elf $c d1 (other ELF layouts)" \
        $PY "$T/compare_elf.py" $c d1
done
echo "0x2020 32" >tail.excl
expect 0 "compare_elf --expect-excluded (p_memsz tail)" \
    $PY "$T/compare_elf.py" --expect-excluded tail.excl coretail tail1
expect 0 "compare_elf partial last page" $PY "$T/compare_elf.py" corepart part0
expect 0 "compare_elf without VMCOREINFO" $PY "$T/compare_elf.py" corenv nv1
: >none.excl
expect 0 "compare_elf --expect-excluded empty" \
    $PY "$T/compare_elf.py" --expect-excluded none.excl core64 d1

# --------------------------------------------------- compare_dumps passes
for f in d1 d1l d1c d0c d1_32 flat1l; do
    expect 0 "compare_dumps d0 $f" $PY "$T/compare_dumps.py" d0 $f
done

# ------------------------------------------------------------ split dumps
mdf --split --splitblock-size 256 -d 1 -c core64 s1 s2 s3
for f in s1 s2 s3; do
    expect 0 "kdumpinfo --check split piece $f" $PY "$T/kdumpinfo.py" --check $f
    expect 0 "compare_elf split piece $f" $PY "$T/compare_elf.py" core64 $f
done
same "split pieces hold every page" \
    "$(( $(json s1 'j["descriptors"]') + $(json s2 'j["descriptors"]') + $(json s3 'j["descriptors"]') ))" \
    "$NPAGES"
mdf --reassemble s1 s2 s3 sr
expect 0 "kdumpinfo --check reassembled" $PY "$T/kdumpinfo.py" --check sr
expect 0 "compare_dumps reassembled d1c" $PY "$T/compare_dumps.py" --strict-headers sr d1c

# ------------------------------------------------- incomplete dump (-L)
"$MDF" -L 600K -d 0 core64 inc >mdf.log 2>&1 || true
same "inc: status has INCOMPLETE" "$(json inc 'j["header"]["status"] & 8')" 8
same "inc: some descriptors lost" "$(json inc 'j["lost_descriptors"] > 0')" True
expect 0 "kdumpinfo --check incomplete dump" $PY "$T/kdumpinfo.py" --check inc
expect 1 "compare_elf: lost pages fail by default" $PY "$T/compare_elf.py" core64 inc
expect 0 "compare_elf --allow-lost" $PY "$T/compare_elf.py" --allow-lost core64 inc
cp inc inc.flag; $PY "$T/kdumppoke.py" inc.flag byte 424 0x08 >/dev/null
expect 1 "kdumpinfo --check: offset 0 without INCOMPLETE" \
    $PY "$T/kdumpinfo.py" --check inc.flag

# ------------------------------------------------------- mkflat / unflat
$PY "$T/mkflat.py" d1c mf1 >/dev/null
$PY "$T/mkflat.py" --chunk 1000 --shuffle --overwrite 7 d1l mf2 >/dev/null
$PY "$T/mkflat.py" --chunk 4096 --keep-zero --shuffle --seed 3 d0 mf3 >/dev/null
for p in "mf1 d1c" "mf2 d1l" "mf3 d0"; do
    set -- $p
    expect 0 "unflat $1" $PY "$T/unflat.py" $1 $1.u
    expect 0 "unflat $1 == $2" cmp $1.u $2
    rm -f $1.R
    expect 0 "makedumpfile -R accepts mkflat $1" sh -c "'$MDF' -R $1.R <$1"
    expect 0 "makedumpfile -R $1 == $2" cmp $1.R $2
    expect 0 "kdumpinfo --check $1" $PY "$T/kdumpinfo.py" --check $1
done
expect 0 "unflat of makedumpfile -F" $PY "$T/unflat.py" flat1l flat1l.u
expect 0 "unflat == makedumpfile -R" cmp flat1l.u flat1l_R
for m in no-end-marker bad-version negative-size truncated; do
    $PY "$T/mkflat.py" --corrupt $m d1 bad.$m >/dev/null
    expect 1 "unflat rejects $m" $PY "$T/unflat.py" bad.$m bad.u
    expect 1 "kdumpinfo --check rejects flat $m" \
        $PY "$T/kdumpinfo.py" --check bad.$m
done
$PY "$T/mkflat.py" --corrupt bad-signature d1 bad.sig >/dev/null
expect 2 "unflat: bad signature is not a flat file" $PY "$T/unflat.py" bad.sig bad.u
expect 1 "kdumpinfo --check rejects bad flat signature" \
    $PY "$T/kdumpinfo.py" --check bad.sig

# --------------------------------------------------- damaged dumps fail
# poke OUT SRC ARGS...: OUT = copy of SRC damaged by kdumppoke.py ARGS.
poke() {
    local out=$1 src=$2
    shift 2
    cp "$src" "$out"
    $PY "$T/kdumppoke.py" "$out" "$@" >/dev/null
}

# page data: raw page (only content comparison can see it)
poke d0.page d0 page 0x0
expect 0 "kdumpinfo --check: raw data flip is structurally fine" \
    $PY "$T/kdumpinfo.py" --check d0.page
expect 1 "compare_elf: raw page data flip" $PY "$T/compare_elf.py" core64 d0.page
expect 1 "compare_dumps: raw page data flip" $PY "$T/compare_dumps.py" d1 d0.page
grep -q "page 0x0 differs" out.log && ok "compare_dumps names pfn 0" \
    || bad "compare_dumps names pfn 0"
# page data: zlib / lzo (pfns 0 and 2 hold compressible text, see mkcore.py)
flag_of() {
    $PY -c 'import sys; sys.path.insert(0, sys.argv[1]); import kdumplib
print(kdumplib.Kdump(sys.argv[2]).desc_of(int(sys.argv[3], 0))[2])' "$T" "$@"
}
same "d1c: pfn 0 is zlib-compressed" "$(flag_of d1c 0)" 1
same "d1l: pfn 2 is lzo-compressed" "$(flag_of d1l 2)" 2
poke d1c.page d1c page 0x0
expect 1 "kdumpinfo --check: zlib data flip" $PY "$T/kdumpinfo.py" --check d1c.page
expect 1 "compare_elf: zlib data flip" $PY "$T/compare_elf.py" core64 d1c.page
expect 1 "compare_dumps: zlib data flip" $PY "$T/compare_dumps.py" d1 d1c.page
poke d1l.page d1l page 0x2 3
expect 1 "compare_elf: lzo data flip" $PY "$T/compare_elf.py" core64 d1l.page
expect 1 "compare_dumps: lzo data flip" $PY "$T/compare_dumps.py" d1 d1l.page
# shared zero page
ZOFF=$(json d1 'j["offsets"]["data"]')
cp d1 d1.zero; $PY "$T/kdumppoke.py" d1.zero byte $((ZOFF + 7)) >/dev/null
expect 1 "kdumpinfo --check: shared zero page not zero" \
    $PY "$T/kdumpinfo.py" --check d1.zero
expect 1 "compare_elf: shared zero page not zero" \
    $PY "$T/compare_elf.py" core64 d1.zero

# descriptors
for fld in offset size flags; do
    poke d1c.desc$fld d1c desc 0x4 $fld
    expect 1 "kdumpinfo --check: descriptor $fld flip" \
        $PY "$T/kdumpinfo.py" --check d1c.desc$fld
done
poke d0.descoff d0 desc 0x10 offset
expect 1 "kdumpinfo --check: raw descriptor offset flip" \
    $PY "$T/kdumpinfo.py" --check d0.descoff
expect 1 "compare_elf: raw descriptor offset flip" \
    $PY "$T/compare_elf.py" core64 d0.descoff
expect 1 "compare_dumps: raw descriptor offset flip" \
    $PY "$T/compare_dumps.py" d1 d0.descoff
poke d1.descpf d1 desc 0x0 page_flags
expect 1 "kdumpinfo --check: page_flags set" $PY "$T/kdumpinfo.py" --check d1.descpf

# bitmaps
poke d1.b2 d1 bit2 0x10
expect 1 "kdumpinfo --check: bitmap2 bit cleared" $PY "$T/kdumpinfo.py" --check d1.b2
expect 1 "compare_elf: bitmap2 bit cleared" $PY "$T/compare_elf.py" core64 d1.b2
expect 1 "compare_dumps: bitmap2 bit cleared" $PY "$T/compare_dumps.py" d1 d1.b2
grep -q "only-in-A" out.log && grep -q "bitmap2 only in A (1): 0x10+1" out.log \
    && ok "compare_dumps reports pfn 0x10 only in A" \
    || bad "compare_dumps reports pfn 0x10 only in A"
poke d1.b2x d1 bit2 0x90
expect 1 "kdumpinfo --check: bitmap2 bit outside bitmap1" \
    $PY "$T/kdumpinfo.py" --check d1.b2x
poke d1.b1 d1 bit1 0x90
expect 1 "compare_elf: bitmap1 bit in a hole" $PY "$T/compare_elf.py" core64 d1.b1
expect 1 "compare_dumps: bitmap1 bit in a hole" $PY "$T/compare_dumps.py" d1 d1.b1
poke d1.b1c d1 bit1 0x20
expect 1 "kdumpinfo --check: bitmap1 bit cleared under bitmap2" \
    $PY "$T/kdumpinfo.py" --check d1.b1c
expect 1 "compare_elf: bitmap1 bit cleared" $PY "$T/compare_elf.py" core64 d1.b1c
BMOFF=$(json d1 'j["offsets"]["bitmap"]')
cp d1 d1.bbyte; $PY "$T/kdumppoke.py" d1.bbyte byte $((BMOFF + 4096 + 3)) >/dev/null
expect 1 "kdumpinfo --check: bitmap2 byte flipped" $PY "$T/kdumpinfo.py" --check d1.bbyte
expect 1 "compare_elf: bitmap2 byte flipped" $PY "$T/compare_elf.py" core64 d1.bbyte

# headers
hdrpoke() { cp d1 "$1"; $PY "$T/kdumppoke.py" "$1" byte "$2" "${3:-0xff}" >/dev/null; }
hdrpoke h.sig 0 0x01
hdrpoke h.ver 8 0x02
hdrpoke h.blk0 1000 0x01
hdrpoke h.subsz 432 0x02
hdrpoke h.bmblk 436 0x04
hdrpoke h.mapnr 440 0x01
hdrpoke h.cpus 460 0x01
hdrpoke h.vmci $((4096 + 32)) 0x01
hdrpoke h.note $((4096 + 48)) 0x01
hdrpoke h.mach $((12 + 65 * 4)) 0xff
hdrpoke h.nomach $((12 + 65 * 4)) 0x78
for h in sig ver blk0 subsz bmblk mapnr cpus vmci note mach nomach; do
    expect 1 "kdumpinfo --check: header damage $h" \
        $PY "$T/kdumpinfo.py" --check h.$h
done
$PY - d1 h.trunc <<'EOF'
import shutil, sys
shutil.copy(sys.argv[1], sys.argv[2])
with open(sys.argv[2], "r+b") as f:
    f.truncate(f.seek(0, 2) - 100)
EOF
expect 1 "kdumpinfo --check: truncated file" $PY "$T/kdumpinfo.py" --check h.trunc

# source side
expect 1 "compare_elf: source core differs" $PY "$T/compare_elf.py" corebad d1
grep -q "mismatch pfn 0x105" out.log && ok "compare_elf names pfn 0x105" \
    || bad "compare_elf names pfn 0x105"
echo "0x2020 31" >tail.wrong
expect 1 "compare_elf --expect-excluded wrong list" \
    $PY "$T/compare_elf.py" --expect-excluded tail.wrong coretail tail1
expect 1 "compare_elf --expect-excluded (none) on tail dump" \
    $PY "$T/compare_elf.py" --expect-excluded none.excl coretail tail1
expect 1 "compare_elf: dump of another core" $PY "$T/compare_elf.py" coretail d1
expect 1 "compare_dumps: different memory ranges" $PY "$T/compare_dumps.py" tail1 d1
expect 2 "compare_elf: unreadable dump" $PY "$T/compare_elf.py" core64 core64
expect 2 "kdumpinfo: not a dump" $PY "$T/kdumpinfo.py" core64

echo "test_tools: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
