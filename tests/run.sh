#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the test tools, runs every tests/cases/*.sh (or those named on the
# command line), then the sanitizer pass, and prints "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
cd "$ROOT"
# Under `make check` the cases would inherit make's jobserver, and the makes they
# start (the package build, the generator) would warn that it is unavailable.
unset MAKEFLAGS MFLAGS MAKELEVEL

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
	cases=(tests/cases/*.sh)
fi

pass=0 fail=0 skipped=0
failed_names=()
run_case() {
	local c=$1 label=$2
	local out
	out=$(bash "$c" 2>&1)
	local rc=$?
	echo "$out" | sed "s|^|[$label] |"
	local p f s
	p=$(echo "$out" | grep -c '^ok - ' || true)
	s=$(echo "$out" | grep -c '^ok - .*# SKIP' || true)
	f=$(echo "$out" | grep -c '^not ok - ' || true)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "[$label] not ok - case exited $rc without reporting a failed check"
		f=1
	fi
	pass=$((pass + p - s)); skipped=$((skipped + s)); fail=$((fail + f))
	[ "$f" -gt 0 ] && failed_names+=("$label")
}

start=$(date +%s)
# The test tools (the generator) are not part of "make all"; the cases that
# need them must not skip because only vmsift was built.
if ! tools_log=$(make -s -C "$ROOT" test-tools 2>&1); then
	echo "[setup] not ok - make test-tools"
	echo "$tools_log" | sed 's/^/[setup] #   /' | tail -20
	fail=$((fail + 1)); failed_names+=(setup)
fi
for c in "${cases[@]}"; do
	name=$(basename "$c" .sh)
	t0=$(date +%s)
	run_case "$c" "$name"
	echo "[$name] took $(( $(date +%s) - t0 ))s"
done

# The same engine checks again under AddressSanitizer + UBSan.
if [ -z "${VMSIFT_NO_ASAN:-}" ] && [ -x "$ROOT/vmsift-asan" ] && [ $# -eq 0 ]; then
	for c in tests/cases/core-*.sh tests/cases/gen-*.sh; do
		[ -f "$c" ] || continue
		name=asan-$(basename "$c" .sh)
		t0=$(date +%s)
		VMSIFT="$ROOT/vmsift-asan" ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
			UBSAN_OPTIONS=halt_on_error=1:exitcode=98 VMSIFT_SANITIZED=1 run_case "$c" "$name"
		echo "[$name] took $(( $(date +%s) - t0 ))s"
	done
fi

echo
echo "tests took $(( $(date +%s) - start ))s; skipped checks: $skipped"
[ ${#failed_names[@]} -gt 0 ] && echo "failed cases: ${failed_names[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
