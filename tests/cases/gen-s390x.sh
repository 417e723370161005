#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated s390x machines (tests/gen --arch s390x: big-endian, 3, 4 and 5
# translation levels, the identity map at 0 before 6.7 and at IDENTITYBASE
# with the image apart since), filtered on this x86_64 host.  Per-type
# excluded counts equal the generator's truth and every kept page equals
# the source; the kdump headers and page descriptors are big-endian as an
# s390x makedumpfile writes them (libkdumpfile reads them so); -e, -E,
# --dump-dmesg, --split, -F/-R, --num-threads and kdump input work; Debian's
# s390x makedumpfile (under qemu-user) keeps the same pages; bad s390x input
# fails with an error naming the value.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "s390x machines" "tests/gen/mkvmcore not built"; finish; }
S390=$TOOLS/s390xcore.py
T0=$SECONDS

LEVELS=$(gen_levels)
GEN_ARGS=(--arch s390x)
gen_layout_extra() {  # TAG
	case $1 in *-6.1 | *-6.1-*)  # libkdumpfile 0.5 knows no 6.7+ layout
	check "$1: libkdumpfile's own s390x walker reads init_uts_ns and the vmemmap through the generated tables" \
		"$PY" -c "$LK_UTS" "$WORK/$1.kdump";; esac
}
LK_UTS='
import kdumpfile, sys
k = kdumpfile.kdumpfile(sys.argv[1])
text = bytes(k.attr["linux.vmcoreinfo.raw"]).decode()
sym = [l for l in text.splitlines() if l.startswith("SYMBOL(init_uts_ns)=")][0]
k.attr["addrxlat.ostype"] = "linux"
uts = bytes(k.read(kdumpfile.KDUMP_KVADDR, int(sym.split("=")[1], 16), 65 * 5)).split(b"\0")
assert uts[0] == b"Linux" and b"s390x" in uts, uts[:3]
val = lambda n: int([l for l in text.splitlines() if l.startswith(n + "=")][0].split("=")[1], 16)
rd = lambda a: int.from_bytes(bytes(k.read(kdumpfile.KDUMP_KVADDR, a, 8)), "big")
root = rd(val("SYMBOL(mem_section)"))
vmemmap = rd(root) & ~0xf                  # section 0: section_mem_map, flag bits off
page = bytes(k.read(kdumpfile.KDUMP_KVADDR, vmemmap + 64 * 300, 64))
assert any(page), "struct page of pfn 300 reads as zeros"
'
"$PY" -c 'import kdumpfile' 2>/dev/null || LK_UTS='print("no python3-libkdumpfile")' 

# Every level on one layout of each kind; the others at 1 and 31.
gen_layout_case 3-6.1 --layout s390x-3 --kernel 6.1
ONLY="1 31" gen_layout_case 4-6.1 --layout s390x-4 --kernel 6.1 --kaslr
ONLY="1 31" gen_layout_case 5-6.1 --layout s390x-5 --kernel 6.1 --vmemmap-4k
ONLY="1 31" gen_layout_case 3-6.12 --layout s390x-3 --kernel 6.12 --kaslr
ONLY="1 31" gen_layout_case 4-6.12 --layout s390x-4 --kernel 6.12 --vmemmap-4k
gen_layout_case 5-6.12 --layout s390x-5 --kernel 6.12 --kaslr
# Sections are 256M: holes need a few; 2G region-third leaves a whole
# aligned 2G of RAM (mostly free, zero-filled, so the core stays sparse).
SPARSE="--mix free=94,kernel=3,anon=2,cache=1 --free-content zero"
MEM=1280M ONLY="1 31" gen_layout_case 4-6.1-holes --layout s390x-4 --kernel 6.1 --holes $SPARSE
MEM=2112M ONLY=31 gen_layout_case 3-6.12-2g --layout s390x-3 --kernel 6.12 $SPARSE
rm -f "$WORK/3-6.12-2g.elf" "$WORK/4-6.1-holes.elf"
echo "# layouts: $((SECONDS - T0)) s"

# The kdump file is an s390x makedumpfile's: headers and descriptors big-endian.
core=$WORK/5-6.12.elf
"$VMSIFT" -f -l -d 31 --message-level 0 "$core" "$WORK/direct.kdump"
check_eq "the header version is stored big-endian" "00000006" "$(od -An -tx1 -j8 -N4 "$WORK/direct.kdump" | tr -d ' ')"
check_eq "libkdumpfile reads an s390x, big-endian, diskdump file" "s390x 0 diskdump" \
	"$("$PY" -c 'import kdumpfile,sys; k=kdumpfile.kdumpfile(sys.argv[1]); print(k.attr["arch.name"], k.attr["arch.byte_order"], k.attr["file.format"])' "$WORK/direct.kdump" 2>&1)"
check "libkdumpfile reads every kept page equal to the source" "$PY" -c '
import kdumpfile, sys
sys.path.insert(0, sys.argv[3]); import kdumplib as kl
k = kdumpfile.kdumpfile(sys.argv[1]); out = kl.Kdump(sys.argv[1]); src = open(sys.argv[2], "rb")
e = kl.Elf(sys.argv[2]) if hasattr(kl, "Elf") else None
n = 0
for pfn, (off, size, flags, _) in zip(out.pfns, out.descs):
    if n == 200: break
    if flags == 0 and size == 4096 and off:
        got = k.read(kdumpfile.KDUMP_KPHYSADDR, pfn << 12, 4096)
        out.src.f.seek(off) if hasattr(out.src, "f") else None
        assert bytes(got) == out.src.read(off, 4096), hex(pfn)
        n += 1
assert n, "no raw page"
' "$WORK/direct.kdump" "$core" "$TOOLS"
check_eq "the kdump header's phys_base is 0" 0 "$(kdump_field "$WORK/direct.kdump" "['sub_header']['phys_base']")"
check "vmsift reads its big-endian kdump file back: -d 31 of a -d 1 file is the direct -d 31 file" bash -c \
	"'$VMSIFT' -f -l -d 1 --message-level 0 '$core' '$WORK/d1.kdump' &&
	 '$VMSIFT' -f -l -d 31 --message-level 0 '$WORK/d1.kdump' '$WORK/re31.kdump' &&
	 '$PY' '$TOOLS/compare_dumps.py' '$WORK/direct.kdump' '$WORK/re31.kdump'"
"$MKVMCORE" --layout s390x-5 --kernel 6.12 --kaslr --mem 256M --seed 9 --dmesg "$WORK/want.txt" -o "$core" >/dev/null
gen_check_dmesg "$core" "$WORK/want.txt"
for pk in records plain; do  # the older rings: big-endian record headers and bit-fields
	"$MKVMCORE" --layout s390x-4 --kernel 6.1 --mem 256M --seed 4 --printk $pk --dmesg "$WORK/want-$pk.txt" \
		-o "$WORK/pk.elf" >/dev/null
	check "--dump-dmesg, --printk $pk ring: the expected log" bash -c \
		"'$VMSIFT' --dump-dmesg --message-level 0 '$WORK/pk.elf' '$WORK/got-$pk.txt' && cmp '$WORK/want-$pk.txt' '$WORK/got-$pk.txt'"
done
rm -f "$WORK/pk.elf"
"$VMSIFT" -E -d 31 --message-level 0 "$core" "$WORK/e.elf"
check_eq "-E: ELFCLASS64, big-endian, EM_S390" "02020016" \
	"$(od -An -tx1 -j4 -N2 "$WORK/e.elf" | tr -d ' ')$(od -An -tx1 -j18 -N2 "$WORK/e.elf" | tr -d ' ')"
check "-E -d 31: every file-backed page equals the source (or is an excluded page's zeros)" \
	"$PY" "$TOOLS/compare_elf_out.py" "$WORK/e.elf" "$core"
gen_check_outputs "$core"
rm -f "$WORK"/*.kdump "$WORK"/p[12] "$WORK/e.elf"

# No VMCOREINFO note (QEMU's s390x cores have none): the text is recovered
# from the kernel's own copy in memory, the one the lowcore points at.
"$MKVMCORE" --layout s390x-4 --kernel 6.12 --mem 256M --seed 3 --no-vmcoreinfo --truth "$WORK/nn.truth" \
	-o "$WORK/nn.elf" >/dev/null
"$VMSIFT" -f -l -d 31 --message-level 31 "$WORK/nn.elf" "$WORK/nn.kdump" > "$WORK/nn.txt" 2>&1
check_grep "no note: VMCOREINFO recovered from memory" "VMCOREINFO: recovered from memory at physical 0x[0-9a-f]+" "$WORK/nn.txt"
"$PY" "$TOOLS/truth_excluded.py" "$WORK/nn.truth" 31 > "$WORK/excl.txt"
check "... and the -d 31 dump is exactly the truth" \
	"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$WORK/nn.elf" "$WORK/nn.kdump"
rm -f "$WORK/nn.elf" "$WORK/nn.kdump"

# -e: exactly the generator's excludable vmemmap pages.
"$MKVMCORE" --layout s390x-4 --kernel 6.12 --mem 1G --seed 11 --mix free=90,kernel=6,anon=2,cache=2 \
	--truth "$WORK/e.truth" -o "$WORK/e.elf" >/dev/null
want=$(awk '/^# vmemmap_excludable /{print $3}' "$WORK/e.truth")
"$VMSIFT" -f -l -d 31 -e --message-level 16 "$WORK/e.elf" "$WORK/e.kdump" > "$WORK/e.txt" 2>&1
got=$(awk -F: '/Unused vmemmap pages/{gsub(/ /,"",$2); print $2}' "$WORK/e.txt")
check_eq "-e leaves out exactly the generator's $want excludable vmemmap pages" "$want" "$((got))"
check "-e: every kept page equals the source" "$PY" "$TOOLS/compare_elf.py" "$WORK/e.elf" "$WORK/e.kdump"
rm -f "$WORK/e.elf" "$WORK/e.kdump"

# The peer: Debian's s390x makedumpfile 1.7.2 under qemu-user (tests/vm/setup-s390x.sh),
# on the 6.1 layouts it supports: 3 and 4 levels, no KASLR (given KERNELOFFSET it moves
# VMCOREINFO's symbols by it, and the generator's are already the running kernel's).
root=${VMSIFT_CACHE:-$HOME/.cache/vmsift}/s390x/root
if [ -x "$root/usr/bin/makedumpfile" ] && command -v qemu-s390x-static >/dev/null; then
	T1=$SECONDS
	for lay in 3 4; do
		core=$WORK/peer-$lay.elf
		"$MKVMCORE" --layout s390x-$lay --kernel 6.1 --mem 256M --seed 9 -o "$core" >/dev/null
		"$PY" "$S390" vmcoreinfo "$core" > "$WORK/peer.vi"
		for d in 1 2 4 8 16 31; do
			rm -f "$WORK/m.kdump"
			qemu-s390x-static -L "$root" "$root/usr/bin/makedumpfile" -l -d $d -i "$WORK/peer.vi" "$core" \
				"$WORK/m.kdump" >"$WORK/peer.log" 2>&1
			"$VMSIFT" -f -l -d $d --message-level 0 "$core" "$WORK/v.kdump"
			check "$lay -d $d: the same pages as s390x makedumpfile 1.7.2" "$PY" "$TOOLS/compare_dumps.py" "$WORK/v.kdump" "$WORK/m.kdump"
		done
		check "$lay: the same kdump headers as s390x makedumpfile (byte order, layout)" "$PY" -c '
import sys; sys.path.insert(0, sys.argv[3]); import kdumplib as kl
a, b = kl.Kdump(sys.argv[1]), kl.Kdump(sys.argv[2])
assert a.e == b.e == ">", (a.e, b.e)
for f in ("header_version", "block_size", "sub_hdr_size", "bitmap_blocks", "max_mapnr"):
    assert a.hdr[f] == b.hdr[f], (f, a.hdr[f], b.hdr[f])
assert a.sub["max_mapnr_64"] == b.sub["max_mapnr_64"]
' "$WORK/v.kdump" "$WORK/m.kdump" "$TOOLS"
		rm -f "$core"
	done
	# 5 levels: makedumpfile 1.7.2 limits a region-first root to 2^53 bytes
	# ("Address too big for the number of page table levels"); vmsift dumps it.
	core=$WORK/5-6.1.elf
	"$PY" "$S390" vmcoreinfo "$core" > "$WORK/peer.vi"
	rm -f "$WORK/m.kdump"
	qemu-s390x-static -L "$root" "$root/usr/bin/makedumpfile" -l -d 31 -i "$WORK/peer.vi" "$core" \
		"$WORK/m.kdump" >"$WORK/peer.log" 2>&1
	check_grep "5 levels: s390x makedumpfile 1.7.2 fails (its bug; vmsift dumps it, checked above)" \
		"Address too big for the number of page table levels" "$WORK/peer.log"
	echo "# peer: $((SECONDS - T1)) s"
else
	skip "the same pages as s390x makedumpfile 1.7.2" "no s390x makedumpfile or qemu-s390x-static (tests/vm/setup-s390x.sh)"
fi

# Bad input: a clear error naming the value, within bounded time.
base=$WORK/4-6.12.elf
cp "$base" "$WORK/em.elf"
"$PY" -c 'import sys; f=open(sys.argv[1],"r+b"); f.seek(18); f.write((62).to_bytes(2,"big"))' "$WORK/em.elf"
expect_error "an s390x kernel in an ELF that says x86_64" "x86_64 \(e_machine 62\).*only s390x" \
	-d 1 "$WORK/em.elf" "$WORK/out.kdump"
"$PY" "$S390" vmcoreinfo "$base" > "$WORK/vi.txt"
{ cat "$WORK/vi.txt"; echo "NUMBER(kimage_voffset)=0xffff800000000000"; } > "$WORK/vi-a64.txt"
expect_error "an arm64 key in an s390x dump's VMCOREINFO" "s390x \(e_machine 22\).*kimage_voffset.*aarch64" \
	-d 31 -i "$WORK/vi-a64.txt" "$base" "$WORK/out.kdump"
sed 's/^KERNELOFFPHYS=.*/KERNELOFFPHYS=7ff000000/; s/^IDENTITYBASE=.*/IDENTITYBASE=7ff000000/' "$WORK/vi.txt" > "$WORK/vi-off.txt"
expect_error "KERNELOFFPHYS and IDENTITYBASE that no table confirms" \
	"no page table confirms SYMBOL\(swapper_pg_dir\)=0x[0-9a-f]+ at physical 0x[0-9a-f]+" \
	-d 31 -i "$WORK/vi-off.txt" "$base" "$WORK/out.kdump"
for how in wild loop type; do
	cp "$base" "$WORK/root-$how.elf"
	"$PY" "$S390" root "$WORK/root-$how.elf" $how
	expect_error "swapper_pg_dir entries $how" "swapper_pg_dir.*(entry at physical 0x[0-9a-f]+ is 0x[0-9a-f]+|outside the dump)" \
		-d 31 "$WORK/root-$how.elf" "$WORK/out.kdump"
	check "... -d 1 still works" "$VMSIFT" -f -d 1 --message-level 0 "$WORK/root-$how.elf" "$WORK/out.kdump"
done
gen_random_tables "entries (all but swapper_pg_dir's own)" "$base" "$S390" root
echo "# gen-s390x: $((SECONDS - T0)) s"
finish
