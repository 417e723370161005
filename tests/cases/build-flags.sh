#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The build as distros run it: CFLAGS/CPPFLAGS given on the make command line
# or in the environment are added to, never replace, the flags the build
# needs (-Iinclude -Iarch -std=c11 -pthread and the -D defines); -Werror is on
# in a git checkout only (WERROR=0/1 decides); "make all" builds vmsift and
# not the test tools; the generator rebuilds when its header changes.  One
# real build with CFLAGS=-O1 in a copy of the tree (no .git) must produce a
# vmsift that dumps a core.
. "$(dirname "$0")/../lib.sh"

NEEDED=(-Iinclude -Iarch -std=c11 -pthread -D_GNU_SOURCE '-DVMSIFT_VERSION=')

# lines_have NAME FILE WORD...: every line of FILE holds every WORD.
lines_have() {
	local name=$1 file=$2 w missing=""
	shift 2
	for w in "$@"; do
		grep -qF -- "$w" "$file" || { missing+=" $w(no line)"; continue; }
		grep -vqF -- "$w" "$file" && missing+=" $w"
	done
	check "$name" bash -c "cat '$file'; test -z '$missing' || { echo 'missing:$missing'; false; }"
}

# compile_lines OUT MAKE-ARGS...: the object compile lines of a dry run.
compile_lines() {
	local out=$1
	shift
	make -n -B -C "$ROOT" "$@" vmsift 2>&1 | grep -E -- '-c -o build/rel/' > "$out"
	test -s "$out"
}

check "make -n with CFLAGS=-O1 CPPFLAGS=-DVS_CALLER on the command line" \
	compile_lines "$WORK/cmdline.txt" CFLAGS=-O1 CPPFLAGS=-DVS_CALLER
lines_have "... every compile line keeps the needed flags and adds the caller's" \
	"$WORK/cmdline.txt" "${NEEDED[@]}" -O1 -DVS_CALLER
check "make -n with CFLAGS and CPPFLAGS in the environment" \
	env CFLAGS="-O2 -g -fstack-protector-strong" CPPFLAGS=-DVS_CALLER \
	bash -c "$(declare -f compile_lines); compile_lines '$WORK/env.txt'"
lines_have "... every compile line keeps the needed flags and adds the caller's" \
	"$WORK/env.txt" "${NEEDED[@]}" -fstack-protector-strong -DVS_CALLER
make -n -B -C "$ROOT" CFLAGS=-O1 vmsift 2>&1 | grep -E -- '-o vmsift ' > "$WORK/link.txt"
lines_have "... the link line keeps -pthread" "$WORK/link.txt" -pthread -O1

# A copy of the tree as a release tarball holds it: no .git.
tree=$WORK/tree
mkdir -p "$tree/tests"
cp -r "$ROOT/Makefile" "$ROOT/src" "$ROOT/include" "$ROOT/arch" "$tree/"
cp -r "$ROOT/tests/gen" "$tree/tests/"
rm -f "$tree/tests/gen/mkvmcore"
make -n -B -C "$tree" vmsift 2>&1 | grep -E -- '-c -o build/rel/' > "$WORK/tarball.txt"
check "outside a git checkout no compile line has -Werror" \
	bash -c "test -s '$WORK/tarball.txt' && ! grep -q -- -Werror '$WORK/tarball.txt'"
make -n -B -C "$tree" WERROR=1 vmsift 2>&1 | grep -E -- '-c -o build/rel/' > "$WORK/werror.txt"
lines_have "... WERROR=1 turns it on" "$WORK/werror.txt" -Werror
if [ -e "$ROOT/.git" ]; then
	make -n -B -C "$ROOT" vmsift 2>&1 | grep -E -- '-c -o build/rel/' > "$WORK/git.txt"
	lines_have "in a git checkout every compile line has -Werror" "$WORK/git.txt" -Werror
fi
make -n -C "$tree" all > "$WORK/all.txt" 2>&1
check "make all builds vmsift and not the test tools" \
	bash -c "grep -q -- '-o vmsift ' '$WORK/all.txt' && ! grep -q mkvmcore '$WORK/all.txt'"

# The generator is up to date, then its header changes.
touch -d '1 hour ago' "$tree"/tests/gen/*.[ch]
touch "$tree/tests/gen/mkvmcore"
check "the generator, newer than its sources, is up to date" make -q -C "$tree" tests/gen/mkvmcore
touch "$tree/tests/gen/mkvmcore.h"
check_fails "... and out of date once tests/gen/mkvmcore.h changes" make -q -C "$tree" tests/gen/mkvmcore

check "a real build with CFLAGS=-O1 succeeds" make -s -j2 -C "$tree" CFLAGS=-O1 vmsift
"$PY" "$TOOLS/mkcore.py" "$WORK/core.elf" >/dev/null
check "... and that vmsift dumps a core" \
	"$tree/vmsift" -l -d 31 --message-level 0 "$WORK/core.elf" "$WORK/core.kdump"
check "... every kept page equals the source" "$PY" "$TOOLS/compare_elf.py" "$WORK/core.elf" "$WORK/core.kdump"
finish
