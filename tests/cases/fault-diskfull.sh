#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A full disk while writing: on a small tmpfs (skipped when mounting is not
# permitted) and with ENOSPC/EIO injected by tests/faults/faultshim.so at
# chosen byte counts (with and without fallocate).  vmsift writes what fits,
# marks the dump incomplete (kdump status 0x8, ELF e_flags bit 0), exits 1,
# and libkdumpfile reads every page the dump holds (compare_elf --allow-lost);
# with -d A,B it retries the next level and the dump is complete.  -R into a
# full disk and -F into /dev/full fail the same way.  When the real Debian 6.1
# QEMU vmcore, its vmlinux and crash are at hand, crash opens an incomplete
# dump of it (and with --zero_excluded runs sys and log).  vmsift and
# vmsift-asan.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/faults/lib.sh"
build_fault_tools || { echo "not ok - building the fault tools"; exit 1; }

mini=$WORK/mini.elf
"$MKMINI" -v 1 "$mini"   # -d 0: 54 pages, about 240 KiB; -d 31: about 110 KiB
"$VMSIFT" -F -d 0 --message-level 0 "$mini" > "$WORK/d0.flat"
"$VMSIFT" -F -E -d 0 --message-level 0 "$mini" > "$WORK/d0e.flat"
# The same machine with one PT_LOAD per page (program headers at the end of
# the file): its -E headers take more than one block.
"$PY" - "$mini" "$WORK/many.elf" <<'PYEOF'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
phoff, = struct.unpack_from("<Q", d, 32)
phnum, = struct.unpack_from("<H", d, 56)
out = []
for i in range(phnum):
    t, f, off, va, pa, fs, ms, al = struct.unpack_from("<IIQQQQQQ", d, phoff + 56 * i)
    if t != 1 or va >= 0xffffffff80000000:
        out.append((t, f, off, va, pa, fs, ms, al))
        continue
    for k in range(0, fs, 4096):
        out.append((t, f, off + k, va + k, pa + k, 4096, 4096, al))
newoff = len(d)
for ph in out:
    d += struct.pack("<IIQQQQQQ", *ph)
struct.pack_into("<Q", d, 32, newoff)
struct.pack_into("<H", d, 56, len(out))
open(sys.argv[2], "wb").write(d)
PYEOF
lost_ok() { "$PY" "$TOOLS/compare_elf.py" --allow-lost "$mini" "$1" > "$WORK/cmp.txt" 2>&1 && grep -Eq " [1-9][0-9]* lost" "$WORK/cmp.txt"; }
elf_flags() { "$PY" -c "import struct,sys; d=open(sys.argv[1],'rb').read(52); print(struct.unpack_from('<I',d,48)[0] & 1 if len(d) >= 52 else 'short')" "$1"; }

mnt=$WORK/full
mkdir -p "$mnt"
mounted=
if mount -t tmpfs -o size=160k vmsift-full "$mnt" 2>/dev/null; then
	mounted=1
	trap 'umount "$mnt" 2>/dev/null' EXIT
fi

for b in $(fault_binaries); do
	t=${b%%=*} V=${b#*=}
	if [ -n "$mounted" ]; then
		for comp in "" -l; do
			tag="[$t] 160 KiB tmpfs, -d 0${comp:+ $comp}"
			rm -f "$mnt"/*
			rc=$(run_rc "$WORK/log" "$V" $comp -d 0 "$mini" "$mnt/d.kdump")
			if [ -z "$comp" ]; then
				check_eq "$tag: exit 1" 1 "$rc"
			else  # compressed, it may fit
				check "$tag: exit 0 or 1" test "$rc" -le 1
			fi
			if [ "$rc" = 1 ]; then
				check_grep "$tag: says the disk is full" "No space left on device" "$WORK/log"
				check_grep "$tag: says the dump is incomplete" "This is an incomplete dumpfile" "$WORK/log"
				check_eq "$tag: status has DUMP_DH_COMPRESSED_INCOMPLETE (0x8)" 8 "$(status8 "$mnt/d.kdump")"
				check "$tag: libkdumpfile reads every page it holds; the rest are lost" lost_ok "$mnt/d.kdump"
			fi
		done
		rm -f "$mnt"/*
		rc=$(run_rc "$WORK/log" "$V" -d 0,31 "$mini" "$mnt/d.kdump")
		check_eq "[$t] -d 0,31 on the full tmpfs: level 31 fits, exit 0" 0 "$rc"
		check_grep "[$t] ... after saying it retries" "retrying with dump level 31" "$WORK/log"
		check_eq "[$t] ... the dump is complete" 0 "$(status8 "$mnt/d.kdump")"
		check_eq "[$t] ... at level 31" 31 "$(kdump_field "$mnt/d.kdump" "['sub_header']['dump_level']")"
		check "[$t] ... and every page is right" "$PY" "$TOOLS/compare_elf.py" "$mini" "$mnt/d.kdump"
		rm -f "$mnt"/*
		rc=$(run_rc "$WORK/log" "$V" -E -d 0 "$mini" "$mnt/d.elf")
		check_eq "[$t] -E on the full tmpfs: exit 1" 1 "$rc"
		check_eq "[$t] ... e_flags has DUMP_ELF_INCOMPLETE" 1 "$(elf_flags "$mnt/d.elf")"
		rm -f "$mnt"/*
		rc=$(run_rc "$WORK/log" "$V" -R "$mnt/r.kdump" < "$WORK/d0.flat")
		check_eq "[$t] -R into the full tmpfs: exit 1" 1 "$rc"
		check_grep "[$t] ... says the disk is full" "No space left on device" "$WORK/log"
		check_eq "[$t] ... the rebuilt file is marked incomplete" 8 "$(status8 "$mnt/r.kdump")"
		rm -f "$mnt"/*
		rc=$(run_rc "$WORK/log" "$V" -R "$mnt/r.elf" < "$WORK/d0e.flat")
		check_eq "[$t] -R of an -E stream into the full tmpfs: exit 1" 1 "$rc"
		check_eq "[$t] ... the rebuilt ELF is marked incomplete" 1 "$(elf_flags "$mnt/r.elf")"
	else
		skip "[$t] tmpfs disk-full checks" "cannot mount a tmpfs here"
	fi

	# Injected ENOSPC: inside the headers, the bitmaps, the data; with and without fallocate.
	for at in 100 5000 20000 60000 200000; do
		for nf in "" FAULT_NO_FALLOCATE=1; do
			tag="[$t] ENOSPC after $at bytes${nf:+ (no fallocate)}"
			o=$WORK/e.kdump
			rm -f "$o"
			rc=$(run_rc "$WORK/log" faulty FAULT_OUT=e.kdump FAULT_ENOSPC_AT=$at $nf -- "$V" -d 0 "$mini" "$o")
			check_eq "$tag: exit 1" 1 "$rc"
			check_grep "$tag: says the disk is full" "No space left on device" "$WORK/log"
			s=$(status8 "$o")
			if [ "$s" = none ]; then  # not even the main header fits: nothing claims to be a dump
				check "$tag: the file is no readable dump" bash -c "! '$PY' '$TOOLS/kdumpinfo.py' '$o' >/dev/null 2>&1"
			else
				check_eq "$tag: marked incomplete" 8 "$s"
				[ "$at" -ge 20000 ] && check "$tag: the pages it holds read back right" lost_ok "$o"
			fi
		done
	done
	rm -f "$WORK/e.kdump"
	rc=$(run_rc "$WORK/log" faulty FAULT_OUT=e.kdump FAULT_WEIO_AT=60000 -- "$V" -d 0 "$mini" "$WORK/e.kdump")
	check_eq "[$t] EIO writing the dump: exit 1" 1 "$rc"
	check_grep "[$t] ... says why" "Input/output error" "$WORK/log"
	check_eq "[$t] ... marked incomplete" 8 "$(status8 "$WORK/e.kdump")"
	for at in 30 100 3000 60000; do
		for nf in "" FAULT_NO_FALLOCATE=1; do
			rm -f "$WORK/e.elf"
			rc=$(run_rc "$WORK/log" faulty FAULT_OUT=e.elf FAULT_ENOSPC_AT=$at $nf -- "$V" -E -d 0 "$mini" "$WORK/e.elf")
			check_eq "[$t] -E, ENOSPC after $at bytes${nf:+ (no fallocate)}: exit 1" 1 "$rc"
			check_eq "[$t] ... e_flags has DUMP_ELF_INCOMPLETE" 1 "$(elf_flags "$WORK/e.elf")"
		done
	done
	rm -f "$WORK/e.elf"
	rc=$(run_rc "$WORK/log" faulty FAULT_OUT=e.elf FAULT_ENOSPC_AT=100 FAULT_NO_FALLOCATE=1 -- "$V" -E -d 0 "$WORK/many.elf" "$WORK/e.elf")
	check_eq "[$t] -E with 60 segments, ENOSPC inside the headers' 2nd block: exit 1" 1 "$rc"
	check_eq "[$t] ... e_flags has DUMP_ELF_INCOMPLETE" 1 "$(elf_flags "$WORK/e.elf")"
	rc=$(run_rc "$WORK/log" bash -c "'$V' -F -d 0 '$mini' > /dev/full")
	check_eq "[$t] -F into /dev/full: exit 1" 1 "$rc"
	check_grep "[$t] ... says the device is full" "No space left on device" "$WORK/log"
done
# crash opens an incomplete dump of a generated 64 MiB machine (the disk
# fills at 90% of the dump): without a vmlinux it reads the headers and the
# notes, the release and the incomplete flag.  (crash with a vmlinux on an
# incomplete dump of a real kernel is in vm-real.)
if command -v crash >/dev/null; then
	"$MKVMCORE" --mem 64M --seed 5 -o "$WORK/g64.elf" >/dev/null
	"$VMSIFT" -l -d 31 --message-level 0 "$WORK/g64.elf" "$WORK/g64.kdump"
	at=$(( $(stat -c %s "$WORK/g64.kdump") * 9 / 10 ))
	rc=$(run_rc "$WORK/log" faulty FAULT_OUT=g64-cut.kdump FAULT_ENOSPC_AT=$at -- \
		"$VMSIFT" -l -d 31 "$WORK/g64.elf" "$WORK/g64-cut.kdump")
	check_eq "generated 64 MiB machine, ENOSPC at 90% of its dump: exit 1" 1 "$rc"
	check "... libkdumpfile reads every page it holds; the rest are lost" bash -c \
		"'$PY' '$TOOLS/compare_elf.py' --allow-lost '$WORK/g64.elf' '$WORK/g64-cut.kdump' | grep -E ' [1-9][0-9]* lost'"
	crash -d 1 --osrelease "$WORK/g64-cut.kdump" > "$WORK/crash-cut.txt" 2>&1
	check_grep "crash opens the incomplete dump: release" "^6\.1\.0-synthetic$" "$WORK/crash-cut.txt"
	check_grep "... status has DUMP_DH_COMPRESSED_INCOMPLETE" "status: .*DUMP_DH_COMPRESSED_INCOMPLETE" "$WORK/crash-cut.txt"
	check_grep "... the CPUs' NT_PRSTATUS notes" "num_prstatus_notes: 2" "$WORK/crash-cut.txt"
	crash -d 1 --osrelease "$WORK/g64.kdump" > "$WORK/crash-full.txt" 2>&1
	check "... and the complete dump is not flagged incomplete" \
		bash -c "grep -q 'status: ' '$WORK/crash-full.txt' && ! grep -q INCOMPLETE '$WORK/crash-full.txt'"
	rm -f "$WORK"/g64*
else
	check "crash is installed (tests/setup.sh installs it)" false
fi
[ -n "$mounted" ] && umount "$mnt"
trap - EXIT
finish
