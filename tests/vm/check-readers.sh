#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Assert that the standard readers open a dump and find the kernel release.
#
#   tests/vm/check-readers.sh [--ref VMCORE] [--expect RELEASE] DUMP [VMLINUX|auto]
#
# Always: libkdumpfile and drgn read init_uts_ns.name.release from the
# dump's memory, crash --osrelease reads the header; all must agree with the
# dump's VMCOREINFO OSRELEASE (and with --expect if given).
# With VMLINUX (auto: the cached debug vmlinux for that release, unless
# VMSIFT_NO_DBG=1): drgn also resolves init_uts_ns through the debug info
# and lists the threads, each CPU's task with its stack trace and the
# modules (drgn-startup.py), and crash runs sys, log, bt, bt -a, mod,
# kmem -i on the dump; with --ref (the unfiltered vmcore) each output must
# equal the one on the reference (drgn's only where drgn reads the
# reference: a QEMU core without the image's PT_LOAD it cannot).
# Outputs are kept in $VMSIFT_READERS_OUT (default: a temp dir, removed).
# Prints PASS/FAIL/SKIP lines; exits 1 if anything failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ref='' expect=''
while [[ ${1:-} == --* ]]; do
	case $1 in
	--ref) ref=$2; shift 2 ;;
	--expect) expect=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done
(($# == 1 || $# == 2)) || die "usage: $0 [--ref VMCORE] [--expect RELEASE] DUMP [VMLINUX|auto]"
dump=$1 vmlinux=${2:-}
[[ -r $dump ]] || die "cannot read $dump"

if [[ -n ${VMSIFT_READERS_OUT:-} ]]; then
	out=$VMSIFT_READERS_OUT
	mkdir -p "$out"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
fails=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
RR=$VM_DIR/read-release.py

release=$(timeout 120 "$PY" "$RR" vmcoreinfo "$dump" 2>&1) ||
	{ fail "vmcoreinfo: $release"; exit 1; }
pass "vmcoreinfo OSRELEASE=$release"
if [[ -n $expect && $release != "$expect" ]]; then fail "expected release $expect"; fi

if [[ $vmlinux == auto ]]; then
	vmlinux=
	if [[ ${VMSIFT_NO_DBG:-0} != 1 && -f $CACHE/kernels/$release/vmlinux ]]; then
		vmlinux=$CACHE/kernels/$release/vmlinux
	fi
fi

# The crash that understands this kernel (setup.sh), or VMSIFT_CRASH.
CRASH=${VMSIFT_CRASH:-}
if [[ -z $CRASH && -f $CACHE/kernels/$release/crash ]]; then CRASH=$(cat "$CACHE/kernels/$release/crash"); fi
CRASH=${CRASH:-crash}
[[ -d $CRASH ]] && CRASH=$CRASH/run

check_release() { # NAME COMMAND...
	local name=$1 got
	shift
	if got=$(timeout 300 "$@" 2>&1) && [[ $got == "$release" ]]; then
		pass "$name: $got"
	else
		fail "$name: ${got:-no output}"
	fi
}
check_release libkdumpfile "$PY" "$RR" libkdumpfile "$dump"
check_release drgn "$PY" "$RR" drgn "$dump"
check_release "crash --osrelease" "$CRASH" --osrelease "$dump"

if [[ -z $vmlinux ]]; then
	echo "SKIP debug-info checks (no vmlinux; setup.sh --dbg fetches it)"
	((fails == 0)) || exit 1
	exit 0
fi
check_release "drgn+vmlinux" "$PY" "$RR" drgn "$dump" "$vmlinux"

# crash session: each command's output to its own file, then compared.
CMDS=(sys log bt "bt -a" mod "kmem -i")
run_crash() { # CORE DIR
	local core=$1 dir=$2 c
	mkdir -p "$dir"
	: >"$dir/input"
	for c in "${CMDS[@]}"; do echo "$c > $dir/${c// /_}.out" >>"$dir/input"; done
	echo quit >>"$dir/input"
	timeout 600 "$CRASH" -s "$vmlinux" "$core" -i "$dir/input" </dev/null >"$dir/session.log" 2>&1 &&
		[[ -s $dir/sys.out ]] # crash can exit 0 having done nothing
}
# What legitimately differs between two files of the same crash: the file
# name (and crash's [PARTIAL DUMP] note for a filtered one).
normalize() { sed -E '/^ +DUMPFILE: /d' "$1"; }

if run_crash "$dump" "$out/dump"; then
	pass "crash session on dump"
else
	fail "crash session on dump (see $out/dump/session.log)"
	tail -5 "$out/dump/session.log" | sed 's/^/  /'
fi
if grep -q "RELEASE: $release\$" "$out/dump/sys.out" 2>/dev/null; then
	pass "crash sys: RELEASE $release"
else
	fail "crash sys: no 'RELEASE: $release'"
fi
for c in "${CMDS[@]}"; do
	[[ -s $out/dump/${c// /_}.out ]] || fail "crash $c: no output"
done
if [[ -n $ref ]]; then
	run_crash "$ref" "$out/ref" || fail "crash session on reference $ref"
	for c in "${CMDS[@]}"; do
		f=${c// /_}.out
		if [[ ! -s $out/ref/$f || ! -s $out/dump/$f ]]; then
			fail "crash $c: nothing to compare"
		elif diff -u <(normalize "$out/ref/$f") <(normalize "$out/dump/$f") >"$out/$f.diff"; then
			pass "crash $c: same as on the unfiltered vmcore"
		else
			fail "crash $c differs from the unfiltered vmcore ($(grep -c '^[-+][^-+]' "$out/$f.diff") lines)"
			head -20 "$out/$f.diff" | sed 's/^/  /'
		fi
	done
fi

# drgn at start-up: threads, every CPU's task and stack, the module list.  An
# error the unfiltered vmcore gives too is the capture's, not the filter's (a
# CPU that did not answer the crash NMI under TCG has no saved registers:
# "program counter is not known" on both).
DS=$VM_DIR/drgn-startup.py
ref_ok=
if [[ -n $ref ]] && timeout 300 "$PY" "$DS" "$ref" "$vmlinux" >"$out/drgn.ref" 2>&1; then
	ref_ok=1
fi
if timeout 300 "$PY" "$DS" "$dump" "$vmlinux" >"$out/drgn.dump" 2>&1 &&
	grep -q '^threads [1-9]' "$out/drgn.dump" && grep -q '^modules: [a-z]' "$out/drgn.dump" &&
	{ ! grep -q Error "$out/drgn.dump" || { [[ $ref_ok ]] && cmp -s "$out/drgn.ref" "$out/drgn.dump"; }; }; then
	if grep -q Error "$out/drgn.dump"; then
		pass "drgn threads, CPU stacks, modules, with the unfiltered vmcore's own error: $(grep -m1 -o '[A-Za-z]*Error: .*' "$out/drgn.dump" | cut -c1-80)"
	else
		pass "drgn threads, CPU stacks, modules: $(head -c 60 "$out/drgn.dump" | head -1)..."
	fi
elif grep -q "^LookupError: 'struct [a-z_]*' has no member" "$out/drgn.dump"; then
	# Debian 12's drgn 0.0.22 predates newer kernels' structures (6.12's task_struct).
	echo "SKIP drgn threads, CPU stacks, modules: this drgn does not know the kernel's structures ($(grep -m1 '^LookupError' "$out/drgn.dump" | cut -c1-100))"
else
	fail "drgn threads, CPU stacks, modules (see $out/drgn.dump)"
	tail -3 "$out/drgn.dump" | sed 's/^/  /'
fi
if [[ -n $ref ]]; then
	if [[ ! $ref_ok ]]; then
		echo "SKIP drgn comparison: drgn cannot read the reference ($(tail -1 "$out/drgn.ref" | cut -c1-100))"
	elif diff -u "$out/drgn.ref" "$out/drgn.dump" >"$out/drgn.diff"; then
		pass "drgn threads, CPU stacks, modules: same as on the unfiltered vmcore"
	else
		fail "drgn threads, CPU stacks, modules differ from the unfiltered vmcore"
		head -10 "$out/drgn.diff" | cut -c1-200 | sed 's/^/  /'
	fi
fi
((fails == 0)) || exit 1
