#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vmsift cross-built for s390x (tests/vm/build-s390x.sh) and run under
# qemu-s390x-static writes byte-identical files to this x86_64 build from
# the same cores: a big-endian s390x core (-l, -c, -E, -F, --split,
# --dump-dmesg, its own kdump file as input) and a little-endian x86_64 one.
# The byte order of every header written comes from the dump, never from the
# host.  Needs tests/vm/setup-s390x.sh (cross compiler, sysroot, libraries).
. "$(dirname "$0")/../lib.sh"

VM=$ROOT/tests/vm
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
if ! command -v s390x-linux-gnu-gcc >/dev/null || ! command -v qemu-s390x-static >/dev/null ||
   [ ! -d "$CACHE/s390x/sysroot/usr/include" ] || [ ! -d "$CACHE/s390x/root" ]; then
	skip "native s390x vmsift" "no s390x cross toolchain, sysroot or libraries (tests/vm/setup-s390x.sh)"
	finish
fi
[ -x "$MKVMCORE" ] || { skip "native s390x vmsift" "tests/gen/mkvmcore not built"; finish; }
T0=$SECONDS
SVMSIFT=$WORK/vmsift-s390x
check "vmsift cross-built for s390x" "$VM/build-s390x.sh" "$SVMSIFT" || finish
echo "# build: $((SECONDS - T0)) s"
native() { "$VM/run-s390x.sh" "$SVMSIFT" "$@"; }

core=$WORK/s.elf
"$MKVMCORE" --layout s390x-5 --kernel 6.12 --kaslr --mem 256M --seed 9 --dmesg "$WORK/want.txt" -o "$core" >/dev/null
same() {  # NAME OPTIONS...: both write OUT files named a.* / b.*
	local name=$1; shift
	rm -f "$WORK"/a.* "$WORK"/b.*
	"$VMSIFT" -f "$@" --message-level 0 "$core" "$WORK/a.out" >/dev/null 2>&1
	native -f "$@" --message-level 0 "$core" "$WORK/b.out" >/dev/null 2>&1
	check "$name: the s390x binary writes the same file as the x86_64 one" cmp "$WORK/a.out" "$WORK/b.out"
}
same "s390x core -l -d 31" -l -d 31
same "s390x core -c -d 1" -c -d 1
same "s390x core -E -d 31" -E -d 31
rm -f "$WORK"/a.* "$WORK"/b.*
check "s390x core -F: the same stream" bash -c "'$VMSIFT' -F -l -d 31 --message-level 0 '$core' > '$WORK/a.flat' &&
	'$VM/run-s390x.sh' '$SVMSIFT' -F -l -d 31 --message-level 0 '$core' > '$WORK/b.flat' && cmp '$WORK/a.flat' '$WORK/b.flat'"
check "s390x core --split: the same pieces" bash -c "'$VMSIFT' --split -l -d 31 --message-level 0 '$core' '$WORK/a1' '$WORK/a2' &&
	'$VM/run-s390x.sh' '$SVMSIFT' --split -l -d 31 --message-level 0 '$core' '$WORK/b1' '$WORK/b2' &&
	cmp '$WORK/a1' '$WORK/b1' && cmp '$WORK/a2' '$WORK/b2'"
check "--dump-dmesg on the s390x binary writes the expected log" bash -c \
	"'$VM/run-s390x.sh' '$SVMSIFT' --dump-dmesg --message-level 0 '$core' '$WORK/got.txt' && cmp '$WORK/want.txt' '$WORK/got.txt'"
"$VMSIFT" -f -l -d 1 --message-level 0 "$core" "$WORK/k1.kdump"
core=$WORK/k1.kdump
same "its own big-endian kdump file as input, -d 31" -l -d 31
core=$WORK/x.elf
"$MKVMCORE" --mem 256M --seed 9 -o "$core" >/dev/null
same "an x86_64 (little-endian) core -l -d 31" -l -d 31
echo "# native-s390x: $((SECONDS - T0)) s"
finish
