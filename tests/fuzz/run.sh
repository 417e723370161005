#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds and runs the fuzz harnesses (make fuzz).
#
# usage: tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [--replay] [HARNESS...]
#   -t SECONDS  fuzzing time per harness (default 300; FUZZ_TIME also sets it)
#   -j JOBS     harnesses run in parallel (default: number of CPUs)
#   --replay    only run the seeds and every past finding once, no fuzzing
#
# The corpus grows in build/fuzz/corpus/HARNESS (seeded from
# tests/fuzz/seeds/HARNESS); findings go to build/fuzz/findings/HARNESS.
# Every finding, once fixed, belongs in tests/fuzz/regress/HARNESS/ (the test
# suite replays that directory).  Prints one "HARNESS: N execs ..." line
# per harness; exits 1 if any harness found a crash, hang, leak or
# sanitizer report.
# The whole script is one function, read before it runs: editing this file
# during a long run cannot change the run.
main() {
	set -euo pipefail
	ROOT=$(cd "$(dirname "$0")/../.." && pwd)
	cd "$ROOT"
	B=build/fuzz
	OUT=${FUZZ_OUT:-$B}   # logs and findings (the test suite uses its own)
	TIME=${FUZZ_TIME:-300}
	JOBS=$(nproc)
	REPLAY=
	ALL=(fuzz_elf fuzz_vmcoreinfo fuzz_flat fuzz_walk fuzz_walk_arm64 fuzz_dwarf fuzz_kdumpin)
	ALL+=(fuzz_walk_riscv64)
	ALL+=(fuzz_config)
	ALL+=(fuzz_walk_s390x)
	ALL+=(fuzz_walk_ppc64)
	ALL+=(fuzz_btf)
	while [ $# -gt 0 ]; do
		case $1 in
		-t) TIME=$2; shift 2 ;;
		-j) JOBS=$2; shift 2 ;;
		--replay) REPLAY=1; shift ;;
		-*) echo "usage: $0 [-t SECONDS] [-j JOBS] [--replay] [HARNESS...]" >&2; exit 2 ;;
		*) break ;;
		esac
	done
	HARNESSES=("${@:-${ALL[@]}}")
	[ $# -eq 0 ] && HARNESSES=("${ALL[@]}")

	make -s -f tests/fuzz/fuzz.mk -j"$(nproc)" >/dev/null

	max_len() {
		case $1 in
		fuzz_elf) echo 16384 ;;
		fuzz_vmcoreinfo) echo 8192 ;;
		fuzz_flat) echo 16384 ;;
		fuzz_walk) echo 2048 ;;
		fuzz_walk_arm64) echo 512 ;;
		fuzz_walk_riscv64) echo 512 ;;
		fuzz_walk_s390x) echo 512 ;;
		fuzz_walk_ppc64) echo 512 ;;
		fuzz_dwarf) echo 32768 ;;
		fuzz_kdumpin) echo 65536 ;;
		fuzz_config) echo 4096 ;;
		esac
	}

	# Replays seeds and past findings: each must run clean.
	replay() {
		local h=$1 files=()
		shopt -s nullglob
		files=(tests/fuzz/seeds/$h/* tests/fuzz/regress/$h/*)
		shopt -u nullglob
		[ ${#files[@]} -gt 0 ] || return 0
		if "$B/$h" -timeout=10 -rss_limit_mb=2048 "${files[@]}" >"$OUT/log/$h.replay" 2>&1; then
			echo "$h: replayed ${#files[@]} seeds and past findings, all clean"
		else
			echo "$h: REPLAY FAILED (see $OUT/log/$h.replay)"
			grep -E "ERROR|SUMMARY|Running: " "$OUT/log/$h.replay" | tail -5 | sed 's/^/    /'
			return 1
		fi
	}

	fuzz_one() {
		local h=$1 corpus=$B/corpus/$1 out=$OUT/findings/$1
		mkdir -p "$corpus" "$out"
		cp -n tests/fuzz/seeds/$h/* "$corpus"/ 2>/dev/null || true
		local dict=()
		[ -f tests/fuzz/$h.dict ] && dict=(-dict=tests/fuzz/$h.dict)
		# (|| under set -e: a finding's non-zero exit must reach the report below)
		local rc=0
		/usr/bin/time -f "%U %S" -o "$OUT/log/$h.cpu" \
			"$B/$h" -max_total_time="$TIME" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$h")" \
			-print_final_stats=1 -artifact_prefix="$out/" "${dict[@]}" "$corpus" >"$OUT/log/$h.fuzz" 2>&1 || rc=$?
		local execs secs cpu
		cpu=$(awk 'NF == 2 { printf "%d", $1 + $2 }' "$OUT/log/$h.cpu" 2>/dev/null)
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/log/$h.fuzz" | tail -1)
		secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$OUT/log/$h.fuzz" | awk '{print $5}' | tail -1)
		if [ $rc -eq 0 ]; then
			echo "$h: ${execs:-?} execs in ${secs:-$TIME} s (${cpu:-?} s of CPU), corpus $(ls "$corpus" | wc -l) inputs, no findings"
		else
			echo "$h: FINDING after ${execs:-?} execs (exit $rc); inputs in $out, log $OUT/log/$h.fuzz"
			grep -E "^==.*ERROR|SUMMARY|^artifact_prefix" "$OUT/log/$h.fuzz" | head -5 | sed 's/^/    /'
			return 1
		fi
	}

	mkdir -p "$OUT/log"
	status=0
	for h in "${HARNESSES[@]}"; do
		replay "$h" || status=1
	done
	[ -n "$REPLAY" ] && exit $status

	# Run up to JOBS harnesses at a time; print each one's summary line in order.
	for h in "${HARNESSES[@]}"; do
		fuzz_one "$h" >"$OUT/log/$h.summary" 2>&1 &
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n || true
		done
	done
	wait
	for h in "${HARNESSES[@]}"; do
		cat "$OUT/log/$h.summary"
		[ -s "$OUT/log/$h.summary" ] || echo "$h: no summary (the run died; see $OUT/log/$h.fuzz)"
		grep -q "no findings" "$OUT/log/$h.summary" || status=1
	done
	exit $status
}
main "$@"
