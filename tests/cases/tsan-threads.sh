#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The --num-threads pool under ThreadSanitizer: workers compress pages that
# the main thread mapped in its own mmap window, so a window may only be
# replaced when no queued page points into it.  Every run must be free of
# race reports and write the same file as one thread does, including many
# cycles (the window is reused for struct pages between cycles), pread
# input (the default for a saved core: --mmap forces the windows), the
# flattened stream, and a truncated core.
. "$(dirname "$0")/../lib.sh"

TSAN=$ROOT/vmsift-tsan
[ -x "$TSAN" ] || { skip "ThreadSanitizer runs" "vmsift-tsan not built (make tsan)"; finish; }
[ -x "$MKVMCORE" ] || { skip "ThreadSanitizer runs" "tests/gen/mkvmcore not built"; finish; }

# 3 GiB: twelve 256 MiB windows, so kept pages cross window boundaries often.
"$MKVMCORE" --mem 3G --seed 21 --mix free=70,kernel=10,anon=8,cache=8,zero=4 -o "$WORK/big.elf" >/dev/null
"$MKVMCORE" --mem 256M --seed 22 --truncate 200000000 -o "$WORK/cut.elf" >/dev/null

# run_to OUT VMSIFT OPTIONS... INPUT: -F writes the stream to stdout.
run_to() {
	local out=$1 bin=$2
	shift 2
	if [ "$1" = -F ]; then
		"$bin" --message-level 0 "$@" >"$out"
	else
		"$bin" -f --message-level 0 "$@" "$out" >/dev/null
	fi
}

# run_pair NAME INPUT WANT_RC OPTIONS...: TSan with N threads vs release with one.
run_pair() {
	local name=$1 in=$2 want=$3 threads=$4
	shift 4
	local rc=0
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 run_to "$WORK/t.out" "$TSAN" "$@" --num-threads "$threads" \
		"$in" 2>"$WORK/t.log" || rc=$?
	check_eq "$name: exit code with $threads threads under TSan" "$want" "$rc"
	check "$name: no ThreadSanitizer report" bash -c "! grep -q ThreadSanitizer '$WORK/t.log'"
	rc=0
	run_to "$WORK/one.out" "$VMSIFT" "$@" --num-threads 1 "$in" 2>/dev/null || rc=$?
	check_eq "$name: exit code with one thread" "$want" "$rc"
	check "$name: same file as one thread" cmp "$WORK/t.out" "$WORK/one.out"
	rm -f "$WORK/t.out" "$WORK/one.out"
}

run_pair "-l -d 31 --mmap" "$WORK/big.elf" 0 2 -l -d 31 --mmap
run_pair "-c -d 1 --mmap" "$WORK/big.elf" 0 2 -c -d 1 --mmap
run_pair "raw -d 0, 3 threads --mmap" "$WORK/big.elf" 0 3 -d 0 --mmap
run_pair "-z -d 31 -e, many cycles --mmap" "$WORK/big.elf" 0 2 -z -d 31 -e --cyclic-buffer 16 --mmap
run_pair "-l -d 31 (pread: the default for a file)" "$WORK/big.elf" 0 2 -l -d 31
run_pair "-p -d 1 --non-mmap" "$WORK/big.elf" 0 2 -p -d 1 --non-mmap
run_pair "-F -l -d 1 --mmap" "$WORK/big.elf" 0 2 -F -l -d 1 --mmap
run_pair "truncated core -l -d 0 --mmap" "$WORK/cut.elf" 1 2 -l -d 0 --mmap
run_pair "truncated core -l -d 0 (pread)" "$WORK/cut.elf" 1 2 -l -d 0
finish
