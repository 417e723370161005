#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated ppc64le machines (tests/gen --arch ppc64le), filtered on this
# x86_64 host: radix with 64K and 4K pages (the vmemmap in big-endian page
# tables with 256-byte PTE fragments) and hash with 64K pages (the vmemmap
# through vmemmap_list).  Per-type excluded counts equal the generator's
# truth and every kept page equals the source; -E, --split, -F/-R,
# --num-threads and --dump-dmesg work on ppc64le input; struct pages that
# cannot be read keep their section's pages with a warning naming it (on
# every arch); Debian's ppc64el makedumpfile (under qemu-user) keeps the
# same pages where it can read the layout; bad ppc64 input fails with an
# error naming the value, in bounded time.
. "$(dirname "$0")/../lib.sh"

[ -x "$MKVMCORE" ] || { skip "ppc64le machines" "tests/gen/mkvmcore not built"; finish; }
VI=$TOOLS/vmcoreinfo_note.py

LEVELS=$(gen_levels)
GEN_ARGS=(--arch ppc64le)

t0=$(date +%s)
# 6.1 keeps the vmemmap_list on both MMUs; 6.12 radix leaves it empty and
# the vmemmap is walked in the tables.
gen_layout_case radix-64k --layout radix-64k
gen_layout_case radix-4k-612 --layout radix-4k --kernel 6.12
gen_layout_case hash-64k --layout hash-64k
MEM=1G gen_layout_case radix-64k-612-1g --layout radix-64k --kernel 6.12
MEM=1G LEVELS="1 31" gen_layout_case hash-64k-612-1g --layout hash-64k --kernel 6.12
# Kernels before 6.7 export no NUMBER(RADIX_MMU) (the 6.1 machines above do
# not either): the MMU is probed from the tables.  Radix 6.5-6.6 had an empty
# vmemmap_list without the key: the probe must find the radix tables.
LEVELS="1 31" gen_layout_case radix-64k-no-radix-key --layout radix-64k --kernel 6.12 --drop-key "NUMBER(RADIX_MMU)"
LEVELS="1 31" gen_layout_case radix-4k-no-radix-key --layout radix-4k --kernel 6.12 --drop-key "NUMBER(RADIX_MMU)"
"$PY" "$VI" "$WORK/hash-64k.elf" > "$WORK/hash.vi"
check "the 6.1 hash machine exports no NUMBER(RADIX_MMU), as Debian 12's 6.1" test "$(grep -c '^NUMBER(RADIX_MMU)' "$WORK/hash.vi")" = 0
echo "layouts: $(( $(date +%s) - t0 )) s"

# The peer: Debian's ppc64el makedumpfile 1.7.2 under qemu-user (tests/vm/setup-ppc64.sh
# installs it): the same pages where it works.  It cannot read an empty vmemmap_list
# (6.5+ radix): it follows the NULL head ("Attempt to read non-existent page at
# 0x4000000000000000", i.e. 0 - PAGE_OFFSET); that is reported as a skip.
root=${VMSIFT_CACHE:-$HOME/.cache/vmsift}/ppc64el/root
if [ -x "$root/usr/bin/makedumpfile" ] && command -v qemu-ppc64le-static >/dev/null; then
	for tag in hash-64k radix-64k radix-4k-612; do
		core=$WORK/$tag.elf
		"$PY" "$VI" "$core" > "$WORK/peer.vi"
		for d in 1 31; do
			rm -f "$WORK/m.kdump"
			if qemu-ppc64le-static -L "$root" "$root/usr/bin/makedumpfile" -l -d $d -i "$WORK/peer.vi" "$core" \
				"$WORK/m.kdump" > "$WORK/peer.txt" 2>&1; then
				"$VMSIFT" -f -l -d $d --message-level 0 "$core" "$WORK/v.kdump"
				check "$tag -d $d: the same pages as ppc64el makedumpfile 1.7.2" \
					"$PY" "$TOOLS/compare_dumps.py" "$WORK/v.kdump" "$WORK/m.kdump"
			else
				skip "$tag -d $d: the same pages as ppc64el makedumpfile 1.7.2" \
					"it fails: $(grep -m1 -v '^$' "$WORK/peer.txt")"
			fi
		done
	done
else
	skip "the same pages as ppc64el makedumpfile 1.7.2" "no ppc64el makedumpfile or qemu-ppc64le-static"
fi

# The other outputs, on the hash machine (vmemmap through vmemmap_list).
core=$WORK/hash-64k.elf
"$MKVMCORE" --arch ppc64le --layout hash-64k --mem 256M --seed 9 --dmesg "$WORK/want.txt" -o "$core" >/dev/null
gen_check_dmesg "$core" "$WORK/want.txt"
gen_check_elf_out "$core"
gen_check_outputs "$core"
check_eq "the kdump header's block_size is the 64K page" 65536 "$(kdump_field "$WORK/direct.kdump" "['header']['block_size']")"
rm -f "$WORK"/*.kdump "$WORK/e.elf" "$WORK"/p1 "$WORK"/p2

# The native ppc64le vmsift (cross-built as a release build, tests/vm/build-ppc64le.sh,
# run under qemu-user) writes the same files as this host's from the same core.
if command -v powerpc64le-linux-gnu-gcc >/dev/null && [ -d "${VMSIFT_CACHE:-$HOME/.cache/vmsift}/ppc64el/sysroot/usr/include" ] &&
	command -v qemu-ppc64le-static >/dev/null; then
	t0=$(date +%s)
	if "$ROOT/tests/vm/build-ppc64le.sh" "$WORK/vmsift-ppc64le" > "$WORK/xbuild.txt" 2>&1; then
		for how in "-l -d 31" "-c -d 1" "-E -d 31"; do
			"$VMSIFT" -f $how --message-level 0 "$WORK/radix-4k-612.elf" "$WORK/x86.out"
			"$ROOT/tests/vm/run-ppc64le.sh" "$WORK/vmsift-ppc64le" -f $how --message-level 0 \
				"$WORK/radix-4k-612.elf" "$WORK/ppc.out" > "$WORK/xrun.txt" 2>&1
			check "the ppc64le vmsift (qemu-user) writes the same file as the x86_64 one ($how)" \
				cmp "$WORK/x86.out" "$WORK/ppc.out"
		done
		rm -f "$WORK/x86.out" "$WORK/ppc.out"
	else
		check "the ppc64le cross build" false; cat "$WORK/xbuild.txt"
	fi
	echo "native ppc64le build and runs: $(( $(date +%s) - t0 )) s"
else
	skip "the ppc64le vmsift writes the same file" "no powerpc64le-linux-gnu-gcc, ppc64el sysroot or qemu-ppc64le-static (tests/vm/setup-ppc64.sh)"
fi

# Struct pages that cannot be read (what broke makedumpfile on ppc64le 6.9):
# their section's pages are kept, a warning names the section, the dump
# finishes.  Arch-neutral: also on x86_64.
unmapped_case() {  # TAG MKVMCORE-ARGS...
	local tag=$1; shift
	local core=$WORK/um.elf truth=$WORK/um.truth
	"$MKVMCORE" --mem 256M --seed 9 --corrupt memmap-unmapped --truth "$truth" -o "$core" "$@" >/dev/null
	read -r first n < <(sed -n 's/^# memmap_unmapped_pfns //p' "$truth")
	timeout 60 "$VMSIFT" -f -l -d 31 "$core" "$WORK/um.kdump" > "$WORK/um.txt" 2>&1
	local rc=$?
	check_eq "$tag: a section without readable struct pages: the dump finishes" 0 "$rc"
	check_grep "$tag: ... with a warning naming the section and the struct page address" \
		"warning: the struct pages of [0-9]+ pfn\(s\) could not be read .*kept: memory section $(( first / n )) \(pfn 0x$(printf %x "$first")-0x$(printf %x $(( first + n - 1 )))\): its struct pages at 0x[0-9a-f]+ cannot be read \(.*(PGD|not mapped).*\)" "$WORK/um.txt"
	check "$tag: ... every kept page equals the source" "$PY" "$TOOLS/compare_elf.py" "$core" "$WORK/um.kdump"
	# Excluded: inside the section only zero-filled pages (by content, with no
	# struct page); outside it what the truth excludes, except the tails of
	# free blocks and compound pages whose head is in the section (at most
	# 2^(MAX_ORDER-1) pfns after it).
	check "$tag: ... that section's other pages kept, the rest as the truth says" "$PY" - "$truth" "$WORK/um.kdump" "$first" "$n" "$TOOLS" <<'PY'
import subprocess, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[5])
import kdumplib as kl
truth, dump, f, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
T, Z = set(), set()
for line in subprocess.run([sys.executable, sys.argv[5] + "/truth_excluded.py", truth, "31"],
                           capture_output=True, text=True, check=True).stdout.split("\n"):
    if line and not line.startswith("#"):
        s, c = (int(x, 0) for x in line.split()[:2])
        T.update(range(s, s + c))
for line in open(truth):
    w = line.split()
    if len(w) == 3 and w[2] == "zero":
        Z.update(range(int(w[0]), int(w[0]) + int(w[1])))
d = kl.Kdump(dump)
E = set(kl.set_bits(d.bitmap1, 0, d.max_mapnr)) - set(kl.set_bits(d.bitmap2, 0, d.max_mapnr))
sec = set(range(f, f + n))
bad = [("excluded in the section but not zero-filled", (E & sec) - Z),
       ("excluded outside the section but not in the truth", (E - sec) - T),
       ("kept outside the section and its last blocks' tails", (T - E - sec) - set(range(f + n, f + n + 1024)))]
for what, pfns in bad:
    if pfns:
        print("FAIL:", what + ":", kl.ranges(sorted(pfns))[:10])
sys.exit(any(p for _, p in bad))
PY
	rm -f "$WORK/um.kdump"
}
unmapped_case "ppc64le hash-64k" --arch ppc64le --layout hash-64k
unmapped_case "ppc64le radix-64k" --arch ppc64le --layout radix-64k
unmapped_case "x86_64" --arch x86_64

# Bad input: a clear error naming the value, within bounded time.
cp "$WORK/hash-64k.elf" "$WORK/em.elf"
"$PY" -c 'import sys; f=open(sys.argv[1],"r+b"); f.seek(18); f.write((62).to_bytes(2,"little"))' "$WORK/em.elf"
expect_error "a ppc64 kernel in an ELF that says x86_64" "x86_64 \(e_machine 62\).*only ppc64" \
	-d 1 "$WORK/em.elf" "$WORK/out.kdump"
"$MKVMCORE" --arch arm64 --layout 4k-48 --mem 256M --seed 9 -o "$WORK/a64.elf" >/dev/null
"$PY" "$VI" "$WORK/a64.elf" > "$WORK/a64.vi"
expect_error "an arm64 VMCOREINFO on a ppc64le dump" "ppc64 \(e_machine 21\).*only aarch64" \
	-d 31 -i "$WORK/a64.vi" "$WORK/hash-64k.elf" "$WORK/out.kdump"
"$MKVMCORE" --arch ppc64le --layout hash-64k --mem 256M --seed 9 --corrupt vmemmap-loop -o "$WORK/loop.elf" >/dev/null
expect_error "a vmemmap_list that loops" "vmemmap_list has more than [0-9]+ entries" \
	-d 31 "$WORK/loop.elf" "$WORK/out.kdump"
check "... -d 1 needs no translation and still works" "$VMSIFT" -f -d 1 --message-level 0 "$WORK/loop.elf" "$WORK/out.kdump"
# On a 6.12 radix machine: the vmemmap only in the tables.
r612=$WORK/radix-612.elf
"$MKVMCORE" --arch ppc64le --layout radix-64k --kernel 6.12 --mem 256M --seed 9 -o "$r612" >/dev/null
"$PY" "$VI" "$r612" > "$WORK/radix.vi"
sed 's/^NUMBER(RADIX_MMU)=1/NUMBER(RADIX_MMU)=0/' "$WORK/radix.vi" > "$WORK/radix-as-hash.vi"
timeout 60 "$VMSIFT" -f -l -d 31 -i "$WORK/radix-as-hash.vi" "$r612" "$WORK/out.kdump" > "$WORK/err.txt" 2>&1
rc=$?
check "radix tables read with the hash geometry: a clean exit ($rc), never a crash or hang" test "$rc" -le 1
check_grep "... and the struct pages that did not translate are named" "PGD|PUD|PMD|PTE entry at physical 0x[0-9a-f]+ is 0x[0-9a-f]+|cannot be read" "$WORK/err.txt"
# A 4K page size on 64K radix tables: the upper levels have the same
# shifts, so swapper_pg_dir still walks; the vmemmap's PTE fragments do
# not: those sections' pages are kept, with the warning naming the entry.
sed 's/^PAGESIZE=.*/PAGESIZE=4096/' "$WORK/radix.vi" > "$WORK/radix-4k.vi"
timeout 60 "$VMSIFT" -f -l -d 31 -i "$WORK/radix-4k.vi" "$r612" "$WORK/out.kdump" > "$WORK/err.txt" 2>&1
rc=$?
check "a 4K page size on a 64K radix kernel's tables: a clean exit ($rc)" test "$rc" -le 1
check_grep "... naming the struct pages that do not translate" "struct pages at 0x[0-9a-f]+ cannot be read" "$WORK/err.txt"
sed 's/^PAGESIZE=.*/PAGESIZE=16384/' "$WORK/radix.vi" > "$WORK/radix-16k.vi"
expect_error "PAGESIZE=16384 on ppc64" "PAGESIZE=16384 is neither 4K nor 64K" \
	-d 31 -i "$WORK/radix-16k.vi" "$r612" "$WORK/out.kdump"
finish
