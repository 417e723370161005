#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGINT/SIGTERM during a run (input slowed down by tests/faults/faultshim.so
# so the signal lands mid-run): vmsift stops within a few seconds, exits 1,
# and leaves no file that claims to be a complete dump: the kdump file has
# status 0x8 and libkdumpfile reads the pages it holds, an ELF file has e_flags
# bit 0, a -F stream lacks its end marker (so -R says it is truncated and
# marks its rebuild incomplete), and -R itself marks its partial file.
# Every check runs with vmsift and vmsift-asan.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/faults/lib.sh"
build_fault_tools || { echo "not ok - building the fault tools"; exit 1; }

if [ ! -x "$MKVMCORE" ]; then
	skip "signal checks" "tests/gen/mkvmcore is not built"
	finish
fi
core=$WORK/g64.elf
"$MKVMCORE" --mem 64M --seed 3 -o "$core" >/dev/null
# 64 KiB per read, 5 ms each: copying the 64 MiB takes about 5 s.
SLOW=(FAULT_IN=g64.elf FAULT_SHORT=65536 FAULT_DELAY_US=5000)

# interrupt SIG AFTER STDIN STDOUT LOG CMD...: runs CMD in the background, sends
# SIG after AFTER seconds; prints "EXIT MS-FROM-SIGNAL-TO-EXIT WAS-RUNNING".
interrupt() {
	local sig=$1 after=$2 si=$3 so=$4 log=$5
	shift 5
	"$@" <"$si" >"$so" 2>"$log" &
	local pid=$! alive=0
	sleep "$after"
	kill -0 "$pid" 2>/dev/null && alive=1
	local t0
	t0=$(date +%s%N)
	kill -"$sig" "$pid" 2>/dev/null
	( sleep 30; kill -KILL "$pid" 2>/dev/null ) >/dev/null 2>&1 &
	local guard=$!
	wait "$pid"
	local rc=$?
	kill "$guard" 2>/dev/null
	wait "$guard" 2>/dev/null
	echo "$rc $(( ($(date +%s%N) - t0) / 1000000 )) $alive"
}

# expect_stop TAG RESULT: exit 1, the signal hit a running process, it stopped within 5 s.
expect_stop() {
	local tag=$1 rc ms alive
	read -r rc ms alive <<<"$2"
	check_eq "$tag: the signal reached a running vmsift" 1 "$alive"
	check_eq "$tag: exit 1" 1 "$rc"
	check "$tag: stopped within 5 s of the signal (took ${ms} ms)" test "$ms" -lt 5000
}

elf_flags() { "$PY" -c "import struct,sys; d=open(sys.argv[1],'rb').read(52); print(struct.unpack_from('<I',d,48)[0] & 1 if len(d) >= 52 else 'short')" "$1"; }
lost_ok() { "$PY" "$TOOLS/compare_elf.py" --allow-lost "$core" "$1" > "$WORK/cmp.txt" 2>&1 && grep -Eq " [1-9][0-9]* lost" "$WORK/cmp.txt"; }

for b in $(fault_binaries); do
	t=${b%%=*} V=${b#*=}
	for case in "TERM|" "INT|" "TERM|--num-threads 2"; do
		sig=${case%%|*} extra=${case#*|}
		tag="[$t] SIG$sig while copying${extra:+ ($extra)}"
		o=$WORK/s.kdump
		rm -f "$o"
		# shellcheck disable=SC2086
		res=$(interrupt "$sig" 1.5 /dev/null /dev/null "$WORK/log" env "${SLOW[@]}" LD_PRELOAD="$SHIM" "$V" $extra --non-mmap -d 0 "$core" "$o")
		expect_stop "$tag" "$res"
		check_grep "$tag: says it was interrupted" "interrupted by a signal" "$WORK/log"
		check_eq "$tag: the dump is marked incomplete (0x8)" 8 "$(status8 "$o")"
		check "$tag: libkdumpfile reads the pages it holds, the rest are lost" lost_ok "$o"
	done

	o=$WORK/s.elf
	rm -f "$o"
	res=$(interrupt TERM 1.5 /dev/null /dev/null "$WORK/log" env "${SLOW[@]}" LD_PRELOAD="$SHIM" "$V" -E --non-mmap -d 0 "$core" "$o")
	expect_stop "[$t] SIGTERM while writing -E" "$res"
	check_eq "[$t] ... e_flags has DUMP_ELF_INCOMPLETE" 1 "$(elf_flags "$o")"

	rm -f "$WORK/s.flat" "$WORK/r.kdump"
	res=$(interrupt TERM 1.5 /dev/null "$WORK/s.flat" "$WORK/log" env "${SLOW[@]}" LD_PRELOAD="$SHIM" "$V" -F --non-mmap -d 0 "$core")
	expect_stop "[$t] SIGTERM while streaming -F" "$res"
	rc=$(run_rc "$WORK/rlog" "$V" -R "$WORK/r.kdump" < "$WORK/s.flat")
	check_eq "[$t] ... -R of the cut stream fails" 1 "$rc"
	check_grep "[$t] ... saying it is truncated" "without its end marker|truncated" "$WORK/rlog"
	check_eq "[$t] ... and marks its rebuild incomplete" 8 "$(status8 "$WORK/r.kdump")"

	# Slow struct page reads (4 KiB per read, 20 ms each): opening takes about 2 s,
	# the counting pass about 4 s more; the signal lands in the counting pass.
	o=$WORK/c.kdump
	rm -f "$o"
	res=$(interrupt TERM 3.5 /dev/null /dev/null "$WORK/log" env FAULT_IN=g64.elf FAULT_SHORT=4096 FAULT_DELAY_US=20000 LD_PRELOAD="$SHIM" "$V" --non-mmap -d 31 "$core" "$o")
	read -r rc ms alive <<<"$res"
	check_eq "[$t] SIGTERM while reading struct pages: it was running" 1 "$alive"
	check_grep "[$t] ... in the counting pass" "interrupted by a signal" "$WORK/log"
	check_eq "[$t] ... exit 1" 1 "$rc"
	check "[$t] ... stopped within 15 s (at the end of the cycle: took ${ms} ms)" test "$ms" -lt 15000
	s=$(status8 "$o")
	check "[$t] ... no file claims to be a complete dump (status: $s)" test "$s" = none -o "$s" = 8

	# -R fed slowly through a FIFO: half the stream, then a pause.
	"$V" -F -d 0 --message-level 0 "$core" > "$WORK/full.flat"
	rm -f "$WORK/fifo" "$WORK/r2.kdump"
	mkfifo "$WORK/fifo"
	{ head -c 3000000 "$WORK/full.flat"; sleep 4; } > "$WORK/fifo" &
	feeder=$!
	res=$(interrupt TERM 1 "$WORK/fifo" /dev/null "$WORK/log" "$V" -R "$WORK/r2.kdump")
	kill "$feeder" 2>/dev/null
	wait "$feeder" 2>/dev/null
	expect_stop "[$t] SIGTERM during -R" "$res"
	check_eq "[$t] ... the partial rebuild is marked incomplete" 8 "$(status8 "$WORK/r2.kdump")"
done
finish
