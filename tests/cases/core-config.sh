#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --config (makedumpfile.conf erase filtering) on a generated core that holds
# the data of a miniature kernel (tests/fuzz/erase-vmlinux.c, built here with
# gcc -g and copied into the core by tests/tools/inject_image.py): a global
# struct member, a string through a char *, a member through a pointer, sizes
# given as a number and as a variable, nullify, an array loop, an array of
# pointers with a NULL slot, a list through "next" and a list_head list.
# Each output format holds exactly the expected erased bytes and nothing else
# changed (byte for byte against the core); the erase record and the page
# contents equal makedumpfile 1.7.2's with the same -x/--config; filtering
# the dump again carries the record over; config errors name file and line.
. "$(dirname "$0")/../lib.sh"
command -v gcc >/dev/null || { skip "--config" "no gcc"; finish; }
[ -x "$MKVMCORE" ] || { skip "--config" "tests/gen/mkvmcore not built"; finish; }
T0=$(date +%s.%N)
VML=$WORK/vmlinux CORE=$WORK/core.elf
check "setup: the miniature kernel builds" gcc -g -O0 -nostdlib -static -fno-pic -no-pie -mcmodel=kernel \
	-Wl,-Ttext=0xffffffff81000000 -Wl,--defsym=_text=0xffffffff81000000 -Wl,--build-id=none \
	-o "$VML" "$ROOT/tests/fuzz/erase-vmlinux.c" || finish
"$MKVMCORE" --mem 64M --seed 5 -o "$CORE" --truth "$WORK/truth" > /dev/null
check "setup: its data copied into a generated core" "$PY" "$TOOLS/inject_image.py" "$CORE" "$VML" || finish

cat > "$WORK/erase.conf" <<'CONF'
# every construct of makedumpfile.conf(5)
[vmlinux]
erase s_global.key
erase s_global.key size 4            # the same start: one record, the larger size
erase hostname                       # char *: the string
erase s_ptr.key size 4               # through a pointer
erase s_global.blob size blob_a_size # void *, sized by a variable
erase s_global.name nullify
erase s_null.key                     # NULL pointer: nothing
for s in s_array
	erase s.key size s.key_size
endfor
for p in s_ptrs                      # the NULL slot is skipped
	erase p.name
endfor
for c in s_chain via next
	erase c.key
endfor
for l in s_list within secret:list
	erase l.key
	erase l.tag
endfor
CONF

# The expected ranges: struct secret is key[32]@0 key_size@32 blob@40 name@48 next@56 list@64 tag@80 (88 bytes).
PHYS_BASE=$(awk '$2 == "phys_base" {print $3}' "$WORK/truth")
sym() { nm "$VML" | awk -v s="$1" '$3 == s {print $1}'; }
range() {  # SYMBOL OFFSET LEN FILL
	printf '%x %d %s\n' $((0x$(sym "$1") + $2 - 0xffffffff80000000 + 0x${PHYS_BASE#0x})) "$3" "$4"
}
{
	range s_global 0 32 X; range hostname_str 0 16 X; range s_target 0 4 X; range blob_a 0 24 X
	range s_global 48 8 0
	for i in 0 1 2 3; do range s_array $((i * 88)) 11 X; done
	range p0_name 0 2 X; range p2_name 0 2 X
	for n in c1 c2 c3 l1 l2; do range $n 0 32 X; done
	range l1 80 2 X; range l2 80 2 X
} > "$WORK/expected"

same_record() {  # A B: both dumps carry the same, non-empty erase record, byte for byte
	"$PY" "$TOOLS/eraseinfo.py" "$1" > "$WORK/rec.a" && "$PY" "$TOOLS/eraseinfo.py" "$2" > "$WORK/rec.b" &&
		test -s "$WORK/rec.a" && cmp "$WORK/rec.a" "$WORK/rec.b"
}
run() {  # NAME OUT ARGS...: vmsift with the config; the erased bytes exactly
	local name=$1 out=$2; shift 2
	check "$name: vmsift --config" "$VMSIFT" -f "$@" -x "$VML" --config "$WORK/erase.conf" "$CORE" "$out" || return
	check "... exactly the expected bytes erased, every other byte the core's" \
		"$PY" "$TOOLS/check_erased.py" "$out" "$CORE" "$WORK/expected"
}
run "-l -d 31" "$WORK/v.kdump" -l -d 31
check "... 18 records in the erase record" test "$("$PY" "$TOOLS/eraseinfo.py" "$WORK/v.kdump" | grep -c '^erase ')" = 18
if command -v makedumpfile > /dev/null; then
	makedumpfile -f -l -d 31 -x "$VML" --config "$WORK/erase.conf" "$CORE" "$WORK/m.kdump" > "$WORK/m.log" 2>&1
	check "makedumpfile 1.7.2 --config on the same core" test -s "$WORK/m.kdump"
	check "... the same erase record, byte for byte" same_record "$WORK/v.kdump" "$WORK/m.kdump"
	check "... the same pages and page contents" "$PY" "$TOOLS/compare_dumps.py" "$WORK/v.kdump" "$WORK/m.kdump"
fi
check "libkdumpfile reads 'X' where s_global.key was" "$PY" -c "
import kdumpfile, sys
k = kdumpfile.kdumpfile('$WORK/v.kdump')
k.attr['addrxlat.ostype'] = 'linux'
pa = $(awk 'NR == 1 {print "0x" $1}' "$WORK/expected")
sys.exit(bytes(k.read(kdumpfile.KDUMP_KPHYSADDR, pa, 32)) != b'X' * 32)"

for f in "-c -d 1" "-p -d 0" "-z -d 31"; do
	run "$f" "$WORK/f.kdump" $f
done
run "--num-threads 2" "$WORK/t.kdump" -c -d 31 --num-threads 2
"$VMSIFT" -D -f -l -d 31 -x "$VML" --config "$WORK/erase.conf" "$CORE" "$WORK/d.kdump" > "$WORK/d.log" 2>&1
check_grep "-D: what the config resolved to" "^--config: 18 objects, 296 bytes to erase" "$WORK/d.log"
"$VMSIFT" -f --split -l -d 31 -x "$VML" --config "$WORK/erase.conf" "$CORE" "$WORK/s1" "$WORK/s2" > "$WORK/.log" 2>&1
check "--split: each piece erases what it holds" bash -c "'$PY' '$TOOLS/check_erased.py' --partial '$WORK/s1' '$CORE' '$WORK/expected' &&
	'$PY' '$TOOLS/check_erased.py' --partial '$WORK/s2' '$CORE' '$WORK/expected'"
check "... and records it: 18 lines in the two pieces" test "$(cat <("$PY" "$TOOLS/eraseinfo.py" "$WORK/s1") \
	<("$PY" "$TOOLS/eraseinfo.py" "$WORK/s2") | grep -c '^erase ')" = 18
"$VMSIFT" -F -l -d 31 -x "$VML" --config "$WORK/erase.conf" "$CORE" > "$WORK/v.flat" 2> "$WORK/.log"
check "-F: the flattened stream erases the same bytes" "$PY" "$TOOLS/check_erased.py" "$WORK/v.flat" "$CORE" "$WORK/expected"
check "... and carries the same record" same_record "$WORK/v.flat" "$WORK/v.kdump"
run "-E -d 31" "$WORK/v.elf" -E -d 31
check "... the ERASEINFO note holds the same record" same_record "$WORK/v.elf" "$WORK/v.kdump"
both_copies() {  # ELF: every PT_LOAD holding s_global.key (kernel-text and RAM segments) has it erased
	"$PY" - "$1" "$(awk 'NR == 1 {print "0x" $1}' "$WORK/expected")" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, __import__("os").environ["TOOLS"])
import kdumplib as kl
core, pa = kl.ElfCore(sys.argv[1]), int(sys.argv[2], 16)
copies = []
for paddr, filesz, _, off, _ in core.loads:
    if paddr <= pa < paddr + filesz:
        core.f.seek(off + pa - paddr)
        copies.append(core.f.read(32))
print(len(copies), "copies:", copies)
sys.exit(len(copies) != 2 or any(c != b"X" * 32 for c in copies))
PY
}
export TOOLS
check "... in both copies of the kernel image (its PT_LOAD and the RAM one)" both_copies "$WORK/v.elf"
if command -v makedumpfile > /dev/null; then
	makedumpfile -f -E -d 31 -x "$VML" --config "$WORK/erase.conf" "$CORE" "$WORK/m.elf" > "$WORK/m.log" 2>&1
	check "... equal to makedumpfile 1.7.2 -E's note, byte for byte" \
		same_record "$WORK/v.elf" "$WORK/m.elf"
	both_copies "$WORK/m.elf" > "$WORK/m2.log" || echo "# makedumpfile 1.7.2 -E erases only the first copy: $(cat "$WORK/m2.log")"
fi

# Filtering the erased dump again keeps its record (makedumpfile does the same).
check "a kdump file with a record, filtered again" "$VMSIFT" -f -c -d 31 "$WORK/v.kdump" "$WORK/r.kdump"
check "... carries the record over" same_record "$WORK/v.kdump" "$WORK/r.kdump"
check "... and the erased bytes" "$PY" "$TOOLS/check_erased.py" "$WORK/r.kdump" "$CORE" "$WORK/expected"
if command -v makedumpfile > /dev/null; then
	makedumpfile -f -c -d 31 "$WORK/m.kdump" "$WORK/mr.kdump" > "$WORK/m.log" 2>&1
	check "... as makedumpfile 1.7.2 does" same_record "$WORK/r.kdump" "$WORK/mr.kdump"
fi

check "-E of that kdump file" "$VMSIFT" -f -E -d 31 "$WORK/v.kdump" "$WORK/r.elf"
check "... carries the record in an ERASEINFO note" same_record "$WORK/r.elf" "$WORK/v.kdump"
# A second config on the erased file: the old record, then the new lines (as makedumpfile).
printf 'erase s_target.name\n' > "$WORK/more.conf"
check "a second --config on the erased kdump file" \
	"$VMSIFT" -f -l -d 31 -x "$VML" --config "$WORK/more.conf" "$WORK/v.kdump" "$WORK/rr.kdump"
check "... its record is the first one, then the new line" cmp <("$PY" "$TOOLS/eraseinfo.py" "$WORK/rr.kdump") \
	<("$PY" "$TOOLS/eraseinfo.py" "$WORK/v.kdump"; echo "erase s_target.name size 6")
if command -v makedumpfile > /dev/null; then
	makedumpfile -f -l -d 31 -x "$VML" --config "$WORK/more.conf" "$WORK/m.kdump" "$WORK/mm.kdump" > "$WORK/m.log" 2>&1
	check "... the same as makedumpfile 1.7.2's on its own dump" same_record "$WORK/rr.kdump" "$WORK/mm.kdump"
fi

# Errors: file, line and name; nothing written.
bad() {  # NAME PATTERN CONFIG-TEXT
	printf '%s\n' "$3" > "$WORK/bad.conf"
	check_fails "$1" "$VMSIFT" -f -l -d 31 -x "$VML" --config "$WORK/bad.conf" "$CORE" "$WORK/bad.kdump"
	check_grep "... $2" "$2" "$WORK/.log"
	check "... and no dump written" test ! -e "$WORK/bad.kdump"
}
bad "an unknown symbol" "bad.conf line 2: .*no symbol nosuch" $'# x\nerase nosuch.key'
bad "an unknown member" "bad.conf line 1: .*secret has no member nokey" 'erase s_global.nokey'
bad "a syntax error" "bad.conf line 3: .*expected 'erase' or 'endfor' in the loop, found 'erasee'" \
	$'for s in s_array\n\terase s.key\n\terasee s.key\nendfor'
bad "a missing endfor" "bad.conf line 2: no 'endfor'" $'for s in s_array\n\terase s.key'
bad "a size that overflows" "line 1: size '99999999999M' is too large" 'erase s_global size 99999999999M'
bad "nullify of a non-pointer" "line 1: .*s_global.key is not a pointer" 'erase s_global.key nullify'
bad "a void pointer without a size" "line 1: .*void pointer" 'erase s_global.blob'
bad "a function pointer without a size (not the code it points to)" "line 1: .*s_ops.fn is a void pointer" 'erase s_ops.fn'
bad "a list with a cycle that misses its start" "line 1: the list s_cycle comes back to node .*: a cycle" \
	$'for c in s_cycle via next\n\terase c.key\nendfor'
bad "a loaded module without its debug file: refused, naming it and where it was looked for" \
	"line 2: section \\[mod1\\]: no debug file of the loaded module mod1 .* in .*/lib/modules/6.1.0-synthetic" \
	$'[mod1]\nerase mod_secret'
printf '[vmlinux]\nerase hostname\n[mymod]\nerase mod_secret\n' > "$WORK/mod.conf"
"$VMSIFT" -f -l -d 31 -x "$VML" --config "$WORK/mod.conf" "$CORE" "$WORK/mod.kdump" > "$WORK/mod.log" 2>&1
check_eq "a section of a module not loaded: skipped, the rest erased (exit 0)" 0 $?
check_grep "... with a warning naming it" "section \[mymod\] skipped: no such module is loaded" "$WORK/mod.log"
check "... the record holds the vmlinux line only" test "$("$PY" "$TOOLS/eraseinfo.py" "$WORK/mod.kdump")" = "erase hostname size 16"
# [mod1]: the loaded module's own debug file (erase-module.c, ET_REL with DWARF), found
# from the -x path as in Debian's -dbg layout (DIR/boot/vmlinux-RELEASE and
# DIR/lib/modules/RELEASE/...), placed by the sect_attrs table the miniature kernel
# holds; a type only the module defines. (makedumpfile 1.7.2 finds module debug files
# only through /lib/modules and /boot: vm-debuginfo.sh compares with it on a real guest.)
REL=6.1.0-synthetic DBG=$WORK/dbg
mkdir -p "$DBG/boot" "$DBG/lib/modules/$REL/extra"
ln -sf "$VML" "$DBG/boot/vmlinux-$REL"
modko() {  # OUT [CFLAGS...]: the module's debug file
	local out=$1; shift
	gcc -g -O0 -c -fno-pic -mcmodel=kernel "$@" -o "$out" "$ROOT/tests/fuzz/erase-module.c"
}
check "setup: the module's debug file builds" modko "$DBG/lib/modules/$REL/extra/mod1.ko"
printf '[mod1]\nerase mod_secret.key\nerase mod_token\n[vmlinux]\nerase hostname\n' > "$WORK/m1.conf"
modsym() { nm "$DBG/lib/modules/$REL/extra/mod1.ko" | awk -v s="$1" '$3 == s {print $1}'; }
{ range mod1_mem $((0x$(modsym mod_secret))) 16 X; range mod1_mem $((0x$(modsym mod_token))) 24 X
  range hostname_str 0 16 X; } > "$WORK/m1.expected"
check "[mod1] section: the module's debug file found from -x" \
	"$VMSIFT" -f -l -d 31 -x "$DBG/boot/vmlinux-$REL" --config "$WORK/m1.conf" "$CORE" "$WORK/m1.kdump"
check "... exactly its struct's member and its array erased where sect_attrs put .data, every other byte the core's" \
	"$PY" "$TOOLS/check_erased.py" "$WORK/m1.kdump" "$CORE" "$WORK/m1.expected"
check "... the record: the module lines, then the vmlinux's" test "$("$PY" "$TOOLS/eraseinfo.py" "$WORK/m1.kdump")" = \
	"$(printf 'erase mod_secret.key size 16\nerase mod_token size 24\nerase hostname size 16')"
modbad() {  # NAME PATTERN CONFIG-TEXT: refused with the module's debug file as it now is
	printf '%s\n' "$3" > "$WORK/mbad.conf"
	check_fails "$1" "$VMSIFT" -f -l -d 31 -x "$DBG/boot/vmlinux-$REL" --config "$WORK/mbad.conf" "$CORE" "$WORK/bad.kdump"
	check_grep "... $2" "$2" "$WORK/.log"
}
modbad "[mod1]: a member its type lacks" "mbad.conf line 2: .*mod_secret has no member nosuch" $'[mod1]\nerase mod_secret.nosuch'
modbad "[mod1]: a symbol neither has" "mbad.conf line 2: .*neither the module mod1 .*mod1.ko.* nor the vmlinux has a symbol nosuch" \
	$'[mod1]\nerase nosuch'
modko "$DBG/lib/modules/$REL/extra/mod1.ko" -DBUILD_ID_LAST=99
modbad "a debug file of another build: refused" \
	"mod1.ko has build-id 0102[0-9a-f]*63 but the dump's mod1 module has 0102[0-9a-f]*14: another build" $'[mod1]\nerase mod_token'
modko "$DBG/lib/modules/$REL/extra/mod1.ko" -DRELEASE='"6.1.0-other"'
modbad "a debug file of another kernel (vermagic): refused" \
	"mod1.ko is of kernel 6.1.0-other \\(its vermagic\\) but the dump is of 6.1.0-synthetic" $'[mod1]\nerase mod_token'
modko "$WORK/full.ko" && objcopy --strip-debug "$WORK/full.ko" "$DBG/lib/modules/$REL/extra/mod1.ko"
modbad "a stripped module only: refused" "no debug file of the loaded module mod1 .*only stripped copies" $'[mod1]\nerase mod_token'
check_fails "--config without -x on a core without kallsyms (no BTF to find): refused" \
	"$VMSIFT" -f -l --config "$WORK/erase.conf" "$CORE" "$WORK/bad.kdump"
check_grep "... saying why" "config without -x .from the dump's BTF and kallsyms.: .*__start_BTF.*kallsyms cannot stand in" "$WORK/.log"
echo "# core-config took $(printf '%.1f' "$(echo "$(date +%s.%N) - $T0" | bc)") s"
finish
