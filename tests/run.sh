#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the test tools, runs every tests/cases/*.sh (or those named on the
# command line), then the sanitizer pass, and prints "N passed, N failed".
# Cases run VMSIFT_JOBS at a time (default: the number of CPUs): most of them
# use one core (a TCG guest, a single-threaded filter, a Python checker), and
# one at a time left the other core idle for most of the suite.  The long
# cases start first so that no lane is left with one at the end.  A case's
# output is printed whole when it ends, never interleaved with another's.
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
jobs=${VMSIFT_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1

RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/vmsift-run.XXXXXX")
trap 'rm -rf "$RESULTS"' EXIT

# run_case CASE LABEL [ENV=VALUE...]: runs one case, prints its output with
# the label, and leaves "passed skipped failed" in $RESULTS/LABEL.
run_case() {
	local c=$1 label=$2; shift 2
	local t0 out rc p f s
	t0=$(date +%s)
	out=$(env "$@" bash "$c" 2>&1)
	rc=$?
	p=$(echo "$out" | grep -c '^ok - ' || true)
	s=$(echo "$out" | grep -c '^ok - .*# SKIP' || true)
	f=$(echo "$out" | grep -c '^not ok - ' || true)
	{
		echo "$out" | sed "s|^|[$label] |"
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "[$label] not ok - case exited $rc without reporting a failed check"
			f=1
		fi
		echo "[$label] took $(( $(date +%s) - t0 ))s"
	} > "$RESULTS/$label.out"
	echo "$((p - s)) $s $f" > "$RESULTS/$label.counts"
	{ flock 9; cat "$RESULTS/$label.out"; } 9>>"$RESULTS/.print-lock"
}

# Long cases first (the guests, then the generated machines), the rest in
# name order.
order_cases() {
	local c
	for c in "$@"; do
		case $(basename "$c") in
		vm-*) echo "0 $c" ;;
		gen-memmodel.sh|gen-arm64.sh|gen-levels.sh|tsan-*|fuzz-*) echo "1 $c" ;;
		gen-*|tools-gen-*) echo "2 $c" ;;
		*) echo "3 $c" ;;
		esac
	done | sort -k1,1n -s | cut -d' ' -f2-
}

queue=()
while read -r c; do
	queue+=("$c|$(basename "$c" .sh)")
done < <(order_cases "${cases[@]}")

# The same engine checks again under AddressSanitizer + UBSan.
if [ -z "${VMSIFT_NO_ASAN:-}" ] && [ -x "$ROOT/vmsift-asan" ] && [ $# -eq 0 ]; then
	for c in tests/cases/core-*.sh tests/cases/gen-*.sh; do
		[ -f "$c" ] && queue+=("$c|asan-$(basename "$c" .sh)|sanitized")
	done
fi

start=$(date +%s)
fail_setup=0
# The test tools (the generator) are not part of "make all"; the cases that
# need them must not skip because only vmsift was built.
if ! tools_log=$(make -s -C "$ROOT" test-tools 2>&1); then
	echo "[setup] not ok - make test-tools"
	echo "$tools_log" | sed 's/^/[setup] #   /' | tail -20
	fail_setup=1
fi

asan_env=(VMSIFT="$ROOT/vmsift-asan" ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	UBSAN_OPTIONS=halt_on_error=1:exitcode=98 VMSIFT_SANITIZED=1)
# VMSIFT_FOREIGN_SETUP=FILE: the other architectures' kernels, peers and
# toolchains are still being fetched (.ci/run does it beside the suite, the
# downloads being most of a fresh machine's setup time); their cases start
# once FILE exists, the others go first.
foreign_case() { case $1 in *arm64*|*s390x*|*ppc64*|*riscv64*) return 0 ;; esac; return 1; }
startable() {
	[ -z "${VMSIFT_FOREIGN_SETUP:-}" ] || [ -e "$VMSIFT_FOREIGN_SETUP" ] || ! foreign_case "$1"
}
running=0
pending=("${queue[@]}")
while [ ${#pending[@]} -gt 0 ]; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	pick=-1
	for i in "${!pending[@]}"; do
		IFS='|' read -r c label kind <<<"${pending[$i]}"
		if startable "$label"; then pick=$i; break; fi
	done
	if [ "$pick" -lt 0 ]; then  # only cases that wait for the setup are left
		if [ "$running" -gt 0 ]; then wait -n; running=$((running - 1)); else sleep 5; fi
		continue
	fi
	IFS='|' read -r c label kind <<<"${pending[$pick]}"
	unset 'pending[$pick]'
	pending=("${pending[@]}")
	if [ "$kind" = sanitized ]; then
		run_case "$c" "$label" "${asan_env[@]}" &
	else
		run_case "$c" "$label" &
	fi
	running=$((running + 1))
done
wait

pass=0 fail=$fail_setup skipped=0
failed_names=()
[ "$fail_setup" -eq 0 ] || failed_names+=(setup)
for item in "${queue[@]}"; do
	IFS='|' read -r c label kind <<<"$item"
	read -r p s f < "$RESULTS/$label.counts" 2>/dev/null || { p=0 s=0 f=1; }
	pass=$((pass + p)); skipped=$((skipped + s)); fail=$((fail + f))
	[ "$f" -gt 0 ] && failed_names+=("$label")
done

echo
echo "tests took $(( $(date +%s) - start ))s on $jobs lane(s); skipped checks: $skipped"
if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed cases: ${failed_names[*]}"
	# The failed checks again, together: a long log is often read from its end.
	for item in "${queue[@]}"; do
		IFS='|' read -r c label kind <<<"$item"
		grep -h "^\[$label\] not ok - " "$RESULTS/$label.out" 2>/dev/null
	done | head -n 40
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
