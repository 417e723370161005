#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Streams: -F into a pipe whose reader goes away (before the start, after a
# few bytes, mid-stream) or onto a closed standard output gives a clear error
# and exit 1 at once, never a hang or a signal death (cut mid-stream, it says
# the stream is incomplete and that -R rebuilds what was stored); -R fed an empty,
# truncated, garbage or hostile stream (negative sizes, offsets near 2^63,
# a directory, a closed or failing standard input) fails at once with a
# message saying what is wrong, and leaves no file behind.  vmsift and
# vmsift-asan.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/faults/lib.sh"
build_fault_tools || { echo "not ok - building the fault tools"; exit 1; }
export FAULT_TIMEOUT=20

core=$WORK/mini.elf
"$MKMINI" -v 1 "$core"
if [ -x "$MKVMCORE" ]; then  # a stream far larger than a pipe's buffer
	core=$WORK/g64.elf
	"$MKVMCORE" --mem 64M --seed 5 -o "$core" >/dev/null
fi
"$VMSIFT" -F -d 0 --message-level 0 "$WORK/mini.elf" > "$WORK/good.flat"

# Damaged and hostile streams, built from the start of a good one.
"$PY" - "$WORK/good.flat" "$WORK" <<'PYEOF'
import os, struct, sys
good, w = open(sys.argv[1], "rb").read(), sys.argv[2]
hdr = good[:4096]
end = struct.pack(">qq", -1, -1)
streams = {
    "empty": b"",
    "garbage": bytes((i * 131 + 7) & 0xff for i in range(5000)),
    "signature-only": b"makedumpfile",
    "cut-in-header": good[:2000],
    "header-only": hdr,
    "cut-in-record-header": good[:4106],
    "cut-in-payload": good[:6000],
    "negative-size": hdr + struct.pack(">qq", 0, -5) + b"x" * 10,
    "zero-size": hdr + struct.pack(">qq", 0, 0) + end,
    "negative-offset": hdr + struct.pack(">qq", -4096, 16) + b"y" * 16 + end,
    "offset-2^62": hdr + struct.pack(">qq", 1 << 62, 16) + b"y" * 16 + end,
    "offset-near-2^63": hdr + struct.pack(">qq", (1 << 63) - 8, 8) + b"w" * 8 + end,
    "size-2^62": hdr + struct.pack(">qq", 0, 1 << 62) + b"z" * 100,
    "bad-version": hdr[:24] + struct.pack(">q", 7) + hdr[32:] + end,
    "bad-type": hdr[:16] + struct.pack(">q", 2) + hdr[24:] + end,
}
for name, data in streams.items():
    open(os.path.join(w, name + ".flat"), "wb").write(data)
PYEOF
# NAME|PATTERN
rstreams=$(cat <<'ROWS'
empty|the input is empty
garbage|not a flattened dump
signature-only|not a flattened dump
cut-in-header|ends inside its 4096-byte header
header-only|ends after 0 records without its end marker: truncated
cut-in-record-header|without its end marker: truncated
cut-in-payload|ends inside record 0 .*truncated
negative-size|size -5: corrupt stream
zero-size|size 0: corrupt stream
negative-offset|offset -4096 .*corrupt stream
offset-2^62|offset 0x4000000000000000: File too large
offset-near-2^63|offset 0x7ffffffffffffff8: Invalid argument
size-2^62|ends inside record 0 .*truncated
bad-version|version 7 is not supported
bad-type|type 2 version 1 is not supported
ROWS
)

for b in $(fault_binaries); do
	t=${b%%=*} V=${b#*=}
	for reader in "true" "head -c 100" "head -c 300000"; do
		tag="[$t] -F, reader '$reader' goes away"
		rc=$(run_rc "$WORK/log" bash -c "'$V' -F -d 0 '$core' 2>'$WORK/err' | $reader >/dev/null; exit \${PIPESTATUS[0]}")
		check_eq "$tag: exit 1 (no hang, no SIGPIPE death)" 1 "$rc"
		check_grep "$tag: says the pipe broke" "Broken pipe" "$WORK/err"
	done
	# What a kdump service logs when its pipe into a full disk breaks.
	check_grep "[$t] ... mid-stream: says the stream is incomplete and how to read what was stored" \
		"The dump stream is incomplete \\(cut after [0-9]+ of [0-9]+ pages\\).*vmsift -R rebuilds it" "$WORK/err"
	rc=$(run_rc "$WORK/log" bash -c "'$V' -F -d 0 '$core' >&-")
	check_eq "[$t] -F with standard output closed: exit 1" 1 "$rc"
	check_grep "[$t] ... says why" "Bad file descriptor" "$WORK/log"

	while IFS='|' read -r name pat; do
		rm -f "$WORK/r.kdump"
		t0=$(date +%s%N)
		rc=$(run_rc "$WORK/log" "$V" -R "$WORK/r.kdump" < "$WORK/$name.flat")
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		check_eq "[$t] -R on a $name stream: exit 1" 1 "$rc"
		check_grep "[$t] ... says what is wrong" "$pat" "$WORK/log"
		check "[$t] ... at once (${ms} ms)" test "$ms" -lt 5000
		check "[$t] ... and leaves no file" test ! -e "$WORK/r.kdump"
	done <<<"$rstreams"
	rm -f "$WORK/r.kdump"
	rc=$(run_rc "$WORK/log" bash -c "'$V' -R '$WORK/r.kdump' < /")
	check_eq "[$t] -R reading a directory: exit 1" 1 "$rc"
	check_grep "[$t] ... says why" "reading the flattened stream: Is a directory" "$WORK/log"
	rc=$(run_rc "$WORK/log" bash -c "'$V' -R '$WORK/r.kdump' <&-")
	check_eq "[$t] -R with standard input closed: exit 1" 1 "$rc"
	check_grep "[$t] ... says why" "reading the flattened stream: Bad file descriptor" "$WORK/log"
	rc=$(run_rc "$WORK/log" faulty FAULT_IN=good.flat FAULT_EIO=20000-30000 -- "$V" -R "$WORK/r.kdump" < "$WORK/good.flat")
	check_eq "[$t] -R with a read error mid-stream: exit 1" 1 "$rc"
	check_grep "[$t] ... says why" "reading the flattened stream: Input/output error" "$WORK/log"
	check_eq "[$t] ... the partial rebuild is marked incomplete" 8 "$(status8 "$WORK/r.kdump")"
	rm -f "$WORK/r.kdump"
	rc=$(run_rc "$WORK/log" faulty FAULT_IN=good.flat FAULT_SHORT=7 FAULT_EINTR=1 -- "$V" -R "$WORK/r.kdump" < "$WORK/good.flat")
	check_eq "[$t] -R with 7-byte reads and EINTR: exit 0" 0 "$rc"
	"$VMSIFT" -d 0 --message-level 0 "$WORK/mini.elf" "$WORK/direct.kdump" 2>/dev/null
	check "[$t] ... the rebuild is byte-identical to a direct dump" cmp "$WORK/direct.kdump" "$WORK/r.kdump"
	rm -f "$WORK/r.kdump" "$WORK/direct.kdump"
done
finish
