#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates the seed corpora in tests/fuzz/seeds/ (committed; all small).
# Sources: the mini machine (mkmini), mkcore.py variants, and, when
# VMSIFT_QEMU_CORES names a directory holding core-6.1/vmcore.elf and
# core-6.12/vmcore.elf (made by tests/vm/qemu-core.sh bookworm|trixie DIR/core-K),
# the headers of those real QEMU vmcores (never their memory).
# usage: tests/fuzz/mkseeds.sh   (from anywhere; needs build/fuzz/mkmini)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PY=/usr/bin/python3
S=tests/fuzz/seeds
MKMINI=build/fuzz/mkmini
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
make -s -f tests/fuzz/fuzz.mk "$MKMINI"
rm -rf "$S"
mkdir -p "$S"/{fuzz_elf,fuzz_vmcoreinfo,fuzz_flat,fuzz_walk,fuzz_kdumpin}

# An ELF file cut after its headers and notes (the first PT_LOAD's offset).
elf_head() {  # IN OUT OPTBYTE
	"$PY" - "$1" "$2" "$3" <<'PYEOF'
import struct, sys
src, dst, opt = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
d = open(src, "rb").read(1 << 16)
is64 = d[4] == 2
if is64:
    phoff, = struct.unpack_from("<Q", d, 32); phent, phnum = struct.unpack_from("<HH", d, 54)
else:
    phoff, = struct.unpack_from("<I", d, 28); phent, phnum = struct.unpack_from("<HH", d, 42)
end = phoff + phent * phnum
offs = []
for i in range(min(phnum, 64)):
    p = phoff + i * phent
    if is64:
        t, _, off = struct.unpack_from("<IIQ", d, p)
    else:
        t, off = struct.unpack_from("<II", d, p)
    if t == 1:
        offs.append(off)
cut = max(end, min(offs) if offs else end)
out = bytearray(d[:min(cut, 16384)])
out[9] = opt
open(dst, "wb").write(out)
PYEOF
}

# fuzz_walk: one byte per interesting variant/option, then damage records.
for sel in 0x00 0x01 0x02 0x03 0x04 0x07 0x08 0x0d 0x10 0x13 0x21 0x40 0x80 0x8b 0xc1; do
	printf "\\x${sel#0x}" > "$S/fuzz_walk/v$sel"
done
patch() {  # NAME SEL (WORD VALUE)...
	local name=$1 sel=$2; shift 2
	"$PY" - "$S/fuzz_walk/$name" "$sel" "$@" <<'PYEOF'
import struct, sys
out, sel, rest = sys.argv[1], int(sys.argv[2], 0), sys.argv[3:]
b = bytes([sel])
for w, v in zip(rest[::2], rest[1::2]):
    b += struct.pack("<HQ", int(w, 0) // 8, int(v, 0) & (2**64 - 1))
open(out, "wb").write(b)
PYEOF
}
# Physical addresses (minicore.h): PTE_VM 0x7000, PMD_VM 0x6000, vmemmap 0x8000, mem_section 0x800.
patch pte-loop 0x00 0x7000 0x6063                       # PTE -> the PMD page
patch pmd-self 0x01 0x6000 0x6063                       # PMD points at itself
patch pud-huge-beyond 0x00 0x4000 0x7fffffffc00000e3     # vmemmap PUD: 1 GiB page far past RAM
patch memsec-outside 0x00 0x800 0x7fff000000000007      # section 0 map outside the kernel half
patch memsec-beyond 0x01 0x810 0xffffea7fff000007       # section 1 map beyond any memory
patch root-bad 0x02 0x9000 0x1234                       # extreme root is not a kernel address
patch buddy-order 0x00 0x8328 0x40                      # pfn 12: free block of order 64
patch buddy-order612 0x01 0x8328 0x1f                   # order 31 (>= MAX_ORDER)
patch flags-ones 0x00 0x8600 0xffffffffffffffff         # pfn 24: every flag set
patch tail-order 0x01 0x8740 0xff                       # pfn 29 (THP tail): order 255
patch head-tail-loop 0x00 0x8708 0xffffea0000000741     # head's compound_head points at its tail
patch buddy-all 0xc1 0x8330 0xf0000000ffffffff          # page_type buddy with odd low bits

# fuzz_elf: headers+notes of mini cores, mkcore.py variants and real vmcores.
for v in 0 1 2 9; do
	"$MKMINI" -v $v "$T/mini$v.elf"
	elf_head "$T/mini$v.elf" "$S/fuzz_elf/mini-v$v" 31
done
elf_head "$T/mini0.elf" "$S/fuzz_elf/mini-v0-d1" 1
elf_head "$T/mini1.elf" "$S/fuzz_elf/mini-v1-e" 0x3f
elf_head "$T/mini1.elf" "$S/fuzz_elf/mini-v1-E" 0x9f
printf '\001' | dd of="$S/fuzz_elf/mini-v1-E" bs=1 seek=10 conv=notrunc status=none  # 2 threads
for variant in "" "--class 32" "--xnum" "--memsz-tail" "--partial-page" "--no-vmcoreinfo"; do
	name=mkcore$(echo "$variant" | tr -d ' -' | sed 's/^/-/;s/^-$//')
	"$PY" tests/tools/mkcore.py "$T/core.elf" $variant >/dev/null
	elf_head "$T/core.elf" "$S/fuzz_elf/$name" 1
done
for k in 6.1 6.12; do
	real=${VMSIFT_QEMU_CORES:-/nonexistent}/core-$k/vmcore.elf
	[ -f "$real" ] && elf_head "$real" "$S/fuzz_elf/qemu-$k" 31
done
if [ -x tests/gen/mkvmcore ]; then  # generated /proc/vmcore-style headers
	n=0
	for variant in "--kernel 6.12 --l5 --kaslr" "--pn-xnum" "--phoff 8192" "--unsorted --unaligned" "--elf32"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		tests/gen/mkvmcore --mem 16M --seed $n $variant -o "$T/gen.elf" >/dev/null
		elf_head "$T/gen.elf" "$S/fuzz_elf/mkvmcore-$n" 31
		rm -f "$T/gen.elf"
	done
fi

# fuzz_vmcoreinfo: the mini texts and the real kernels' texts.
for v in 0 1 2 9; do
	"$PY" - "$T/mini$v.elf" "$S/fuzz_vmcoreinfo/mini-v$v" <<'PYEOF'
import struct, sys
d = open(sys.argv[1], "rb").read(8192)
i = d.index(b"VMCOREINFO\0")
nsz, dsz = struct.unpack_from("<II", d, i - 12)
open(sys.argv[2], "wb").write(d[i + 12:i + 12 + dsz])
PYEOF
done
for k in 6.1 6.12; do
	real=${VMSIFT_QEMU_CORES:-/nonexistent}/core-$k/vmcore.elf
	[ -f "$real" ] || continue
	"$PY" - "$real" "$S/fuzz_vmcoreinfo/qemu-$k" <<'PYEOF'
import struct, sys
d = open(sys.argv[1], "rb").read(1 << 16)
i = d.index(b"VMCOREINFO\0")
nsz, dsz = struct.unpack_from("<II", d, i - 12)
open(sys.argv[2], "wb").write(d[i + 12:i + 12 + dsz].rstrip(b"\0"))
PYEOF
done

# fuzz_flat: small streams, well-formed and damaged.
head -c 3000 tests/tools/README.md > "$T/small"
"$PY" tests/tools/mkflat.py --chunk 700 "$T/small" "$S/fuzz_flat/plain"
"$PY" tests/tools/mkflat.py --chunk 300 --shuffle --overwrite 2 "$T/small" "$S/fuzz_flat/shuffled"
for c in no-end-marker negative-size truncated bad-version; do
	"$PY" tests/tools/mkflat.py --chunk 900 --corrupt $c "$T/small" "$S/fuzz_flat/$c" || true
done
printf 'makedumpfile' > "$S/fuzz_flat/signature-only"
# fuzz_kdumpin: vmsift's kdump files of a mini core, each codec, flattened,
# cut, flagged incomplete; byte 444 holds the harness options.
kdump_seeds() {  # needs ./vmsift
	local K=$S/fuzz_kdumpin V="./vmsift --message-level 0 -f"
	"$MKMINI" -v 1 "$T/kmini.elf"
	$V -c -d 0 "$T/kmini.elf" "$K/zlib-d0"
	$V -l -d 31 "$T/kmini.elf" "$K/lzo-d31"
	$V -p -d 1 "$T/kmini.elf" "$K/snappy-d1"
	$V -F -z -d 1 "$T/kmini.elf" > "$K/zstd-d1.flat"
	$V -d 31 "$T/kmini.elf" "$T/raw31"
	"$PY" tests/tools/kdump_reblock.py "$T/raw31" "$K/zlib-8k-blocks" 8192  # 2 pages per block
	"$PY" tests/tools/mkflat.py --chunk 3000 --shuffle --overwrite 2 "$K/lzo-d31" "$K/lzo-d31-overwrite.flat" >/dev/null
	head -c 20000 "$K/zlib-d0" > "$K/zlib-cut"
	head -c 20000 "$K/zstd-d1.flat" > "$K/zstd-cut.flat"
	cp "$K/snappy-d1" "$K/snappy-incomplete"
	printf '\010' | dd of="$K/snappy-incomplete" bs=1 seek=424 conv=notrunc status=none
	printf '\037' | dd of="$K/lzo-d31" bs=1 seek=444 conv=notrunc status=none   # -d 31
	# Also as a --split set of two pieces, split at the pfn in start_pfn (max_mapnr / 2 + 3).
	cp "$K/lzo-d31" "$K/lzo-d31-split"
	printf '\237' | dd of="$K/lzo-d31-split" bs=1 seek=444 conv=notrunc status=none
	"$PY" - "$K/lzo-d31-split" <<-'EOF'
	import struct, sys
	d = bytearray(open(sys.argv[1], "rb").read())
	B, = struct.unpack_from("<I", d, 428)
	struct.pack_into("<I", d, B + 16, struct.unpack_from("<Q", d, B + 96)[0] // 2 + 3)
	open(sys.argv[1], "wb").write(d)
	EOF
	printf '\077' | dd of="$K/snappy-d1" bs=1 seek=444 conv=notrunc status=none # -E -d 31
	printf '\137' | dd of="$K/zlib-d0" bs=1 seek=444 conv=notrunc status=none   # 2 threads
}
[ -x ./vmsift ] && kdump_seeds

# fuzz_btf: the unit test's hand-built BTF blob, little- and big-endian.
mkdir -p "$S/fuzz_btf"
cc -std=c11 -O1 -D_GNU_SOURCE -Iinclude -o "$S/fuzz_btf/.mk" tests/unit/btf_test.c src/debuginfo/btf_parse.c \
	src/debuginfo/btf_query.c src/util/error.c && "$S/fuzz_btf/.mk" "$S/fuzz_btf"
rm -f "$S/fuzz_btf/.mk"

ls -l "$S"/* | awk '{s+=$5} END {print "seed bytes:", s}'
