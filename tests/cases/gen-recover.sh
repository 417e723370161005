#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VMCOREINFO recovered from memory, on generated machines: the note's text is
# planted in a free page (where the kernel keeps vmcoreinfo_data) and the
# note renamed, as in a QEMU core taken without -device vmcoreinfo.  The dump
# must equal the one made with the note; texts that do not describe the
# dump's kernel must be rejected; -g writes what was recovered.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }
STRIP=$TOOLS/strip_vmcoreinfo.py
ASAN=${VMSIFT_ASAN:-$ROOT/vmsift-asan}

"$MKVMCORE" --mem 256M --seed 5 --truth "$WORK/t" -o "$WORK/m.elf" >/dev/null
free_pfn=$(awk '!/^#/ && $3 == "free" {print $1; exit}' "$WORK/t")
at=$((free_pfn * 4096))
plant() { "$PY" "$STRIP" --plant $at "$@" > /dev/null; }

plant --keep-note "$WORK/m.elf" "$WORK/ref.elf"
plant "$WORK/m.elf" "$WORK/nonote.elf"
check "reference: -d 31 with the note" "$VMSIFT" -f -l -d 31 --message-level 0 "$WORK/ref.elf" "$WORK/ref.kdump"
"$VMSIFT" -D -f -l -d 31 "$WORK/nonote.elf" "$WORK/rec.kdump" > "$WORK/rec.txt" 2>&1
check_eq "no note, the text in a free page: -d 31 works" 0 $?
check_grep "... saying where the VMCOREINFO was recovered" \
	"recovered from its memory at physical address $(printf 0x%x $at)" "$WORK/rec.txt"
check_grep "... -D too" "VMCOREINFO: recovered from memory at physical $(printf 0x%x $at)" "$WORK/rec.txt"
check "... the same kept pfns and page bytes as with the note" \
	"$PY" "$TOOLS/compare_dumps.py" "$WORK/ref.kdump" "$WORK/rec.kdump"
check_eq "... and the dump written carries the recovered text as its VMCOREINFO" \
	"$(kdump_field "$WORK/ref.kdump" "['sub_header']['size_vmcoreinfo']")" \
	"$(kdump_field "$WORK/rec.kdump" "['sub_header']['size_vmcoreinfo']")"
if [ -x "$ASAN" ]; then
	check "... the same under ASan/UBSan" "$ASAN" -f -l -d 31 --message-level 0 "$WORK/nonote.elf" "$WORK/asan.kdump"
fi
check "-E: the same" "$VMSIFT" -f -E -d 31 --message-level 0 "$WORK/nonote.elf" "$WORK/rec.elf"
check_grep "... with a VMCOREINFO note in the ELF output" "VMCOREINFO" <(strings -n 10 "$WORK/rec.elf" | head -c 100000)

# -g FILE VMCORE: the dump's VMCOREINFO, recovered or from the note.
"$PY" "$TOOLS/vmcoreinfo_note.py" "$WORK/m.elf" > "$WORK/note.txt"
check "-g FILE VMCORE (no note): writes the recovered text" "$VMSIFT" -g "$WORK/g.txt" "$WORK/nonote.elf"
check "... equal to the kernel's note" diff "$WORK/note.txt" "$WORK/g.txt"
check "-g FILE VMCORE (with its note): writes the note" "$VMSIFT" -g "$WORK/g2.txt" "$WORK/m.elf"
check "... unchanged" diff "$WORK/note.txt" "$WORK/g2.txt"
check_fails "-g FILE alone: refused (needs -x or a VMCORE)" "$VMSIFT" -g "$WORK/g3.txt"

# Texts that are not this dump's kernel are rejected; the run goes on without them.
bad_text() {  # NAME KEY=VALUE: a planted text with one value changed is not used
	plant --set "$2" "$WORK/m.elf" "$WORK/bad.elf"
	"$VMSIFT" -D -f -l -d 31 "$WORK/bad.elf" "$WORK/bad.kdump" > "$WORK/bad.txt" 2>&1
	check_eq "$1: rejected, -d 31 fails cleanly (exit 1)" 1 $?
	check_grep "... -D says a candidate was rejected" "VMCOREINFO: none .*1 candidate rejected" "$WORK/bad.txt"
}
bad_text "text naming another release" "OSRELEASE=5.99.0-other"
bad_text "text whose init_uts_ns holds no release" "SYMBOL(init_uts_ns)=ffffffff81000000"
bad_text "text whose mem_section pointer the page tables do not map" "SYMBOL(mem_section)=ffffc90000000000"
plant --set "OSRELEASE=5.99.0-other" "$WORK/m.elf" "$WORK/bad.elf"
check "... a rejected text still lets -d 1 run" "$VMSIFT" -f -l -d 1 --message-level 0 "$WORK/bad.elf" "$WORK/bad.kdump"

# Nothing planted: the scan finds nothing and the old behaviour stays.
"$MKVMCORE" --mem 256M --seed 5 --no-vmcoreinfo -o "$WORK/none.elf" >/dev/null
check "no note and no text: -d 1 still works" "$VMSIFT" -f -l -d 1 --message-level 0 "$WORK/none.elf" "$WORK/none.kdump"
check_fails "... -g FILE VMCORE: a clear error" "$VMSIFT" -g "$WORK/g4.txt" "$WORK/none.elf"
check_grep "... saying no VMCOREINFO was found" "no VMCOREINFO" "$WORK/.log"

# -x needs a vmlinux: a clear error for what is not one.
check_fails "-x with a missing file: a clear error" "$VMSIFT" -f -d 1 -x "$WORK/nope" "$WORK/m.elf" "$WORK/x.kdump"
check_grep "... naming it" "cannot open the vmlinux .*nope" "$WORK/.log"
head -c 100000 /dev/urandom > "$WORK/junk"
check_fails "-x with a non-ELF file: a clear error" "$VMSIFT" -f -d 1 -x "$WORK/junk" "$WORK/m.elf" "$WORK/x.kdump"
check_grep "... saying it is not ELF" "not an ELF file" "$WORK/.log"
check_fails "-x with an ELF core (not a kernel image): a clear error" \
	"$VMSIFT" -f -d 1 -x "$WORK/m.elf" "$WORK/m.elf" "$WORK/x.kdump"
check_grep "... saying so" "not a kernel image" "$WORK/.log"
finish
