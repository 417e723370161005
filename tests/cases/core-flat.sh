#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -F streams and -R: vmsift's stream rebuilds into the same bytes as the
# direct dump, with vmsift -R and with makedumpfile -R; vmsift -R rebuilds
# makedumpfile's stream; -R fails at once on empty, garbage or cut streams.
. "$(dirname "$0")/../lib.sh"

core=$WORK/core.elf
"$PY" "$TOOLS/mkcore.py" "$core" >/dev/null
for comp in "" -c -l -z; do
	tag=flat${comp:--raw}
	"$VMSIFT" $comp -d 1 --message-level 0 "$core" "$WORK/direct.kdump"
	check "$tag: -F writes a stream to a pipe" bash -c "'$VMSIFT' -F $comp -d 1 --message-level 0 '$core' | cat > '$WORK/s.flat'"
	check "$tag: vmsift -R rebuilds it" bash -c "'$VMSIFT' -R '$WORK/r.kdump' < '$WORK/s.flat'"
	check "$tag: rebuilt file is byte-identical to the direct dump" cmp "$WORK/direct.kdump" "$WORK/r.kdump"
	check "$tag: makedumpfile -R rebuilds vmsift's stream identically" \
		bash -c "makedumpfile -R '$WORK/mr.kdump' < '$WORK/s.flat' && cmp '$WORK/direct.kdump' '$WORK/mr.kdump'"
	check "$tag: the stream is readable directly (kdumpinfo)" "$PY" "$TOOLS/kdumpinfo.py" --check "$WORK/s.flat"
	rm -f "$WORK/r.kdump" "$WORK/mr.kdump" "$WORK/direct.kdump"
done

# With pages written first (a generated machine's startup set, -d 31): every region of the
# file comes in one record only, as crash, which reads a stream in place, needs.
if [ -x "$MKVMCORE" ]; then
	"$MKVMCORE" --mem 256M --seed 7 -o "$WORK/g.elf" >/dev/null
	"$VMSIFT" -F -l -d 31 --message-level 0 --report "$WORK/g.json" "$WORK/g.elf" > "$WORK/g.flat"
	check "-d 31 stream of a generated machine: pages written first" \
		"$PY" -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))['pages']['written_first'] > 0 else 1)" "$WORK/g.json"
	check "... and no two records overlap" "$PY" - "$WORK/g.flat" <<'PYEOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
pos, recs = 4096, []
while pos + 16 <= len(data):
    off, size = struct.unpack_from(">qq", data, pos)
    if off < 0:
        break
    recs.append((off, size))
    pos += 16 + size
recs.sort()
bad = [(a, b) for a, b in zip(recs, recs[1:]) if a[0] + a[1] > b[0]]
print("%d records, %d overlaps%s" % (len(recs), len(bad), (": %r" % bad[:3]) if bad else ""))
sys.exit(1 if bad else 0)
PYEOF
	rm -f "$WORK/g.elf" "$WORK/g.flat"
fi

makedumpfile -F -l -d 1 "$core" > "$WORK/m.flat" 2>/dev/null
makedumpfile -R "$WORK/m-ref.kdump" < "$WORK/m.flat" >/dev/null 2>&1
check "vmsift -R rebuilds makedumpfile's stream" bash -c "'$VMSIFT' -R '$WORK/m-v.kdump' < '$WORK/m.flat'"
check "... byte-identical to makedumpfile -R's result" cmp "$WORK/m-ref.kdump" "$WORK/m-v.kdump"
"$PY" "$TOOLS/mkflat.py" --chunk 5000 --shuffle "$WORK/m-ref.kdump" "$WORK/shuf.flat" >/dev/null
check "vmsift -R replays shuffled records" bash -c "'$VMSIFT' -R '$WORK/shuf.kdump' < '$WORK/shuf.flat' && cmp '$WORK/m-ref.kdump' '$WORK/shuf.kdump'"

check_fails "-R on empty input fails at once" timeout 10 "$VMSIFT" -R "$WORK/e.kdump" < /dev/null
check "... and leaves no file behind" test ! -e "$WORK/e.kdump"
head -c 5000 /dev/urandom > "$WORK/garbage"
check_fails "-R on garbage fails" timeout 10 "$VMSIFT" -R "$WORK/g.kdump" < "$WORK/garbage"
head -c 20000 "$WORK/m.flat" > "$WORK/cut.flat"
check_fails "-R on a cut stream fails" timeout 10 "$VMSIFT" -R "$WORK/c.kdump" < "$WORK/cut.flat"
"$VMSIFT" -R "$WORK/c2.kdump" < "$WORK/cut.flat" >/dev/null 2> "$WORK/cut.err"
check_grep "... saying it is truncated" "truncated" "$WORK/cut.err"

# A reader that goes away: a clear error, no hang, no crash.
timeout 20 bash -c "'$VMSIFT' -F -d 0 '$core' 2>'$WORK/pipe.err' | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}"
rc=$?
check "-F into a closed pipe exits 1 (not killed, not hung)" test $rc -eq 1
check_grep "... and says the pipe broke" "Broken pipe" "$WORK/pipe.err"
finish
