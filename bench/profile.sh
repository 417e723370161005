#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Where vmsift spends its time: perf record -g over repeated runs of one
# workload, then the hottest functions by self time and by inclusive time.
#
#   bench/profile.sh [--reps N] [--freq HZ] [--out DIR] VMCORE "OPTIONS" ["OPTIONS"...]
#
# Example (what RESULTS.md shows):
#   bench/profile.sh ~/.cache/vmsift/bench/cores/real-1g-6.1/vmcore.elf "-l -d 31" "-c -d 31"
# A single run on a 1 GiB core lasts a fraction of a second, so each
# workload is repeated N times (default 20) under one perf session; for
# long runs (the generated machines) use --reps 1 --freq 499.
# The event is cpu-clock (a software timer: works in VMs without a PMU);
# call graphs are unwound with DWARF (vmsift is built without frame
# pointers), so the inclusive times are right.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
reps=20
freq=2999
out=/tmp/vmsift-bench/profile
while [[ ${1:-} == --* ]]; do
	case $1 in
	--reps) reps=$2; shift 2 ;;
	--freq) freq=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
(($# >= 2)) || { sed -n '3,12p' "$0"; exit 2; }
vmcore=$1
shift
command -v perf >/dev/null || { echo "profile.sh: perf is not installed" >&2; exit 1; }
make -C "$ROOT" -s vmsift >&2
mkdir -p "$out"

# Top N "percent dso function" rows.  Debian's codec libraries have no
# symbols, so unresolved addresses are summed per library.
top() {
	local n=$1 data=$2
	shift 2
	perf report -i "$data" --comm vmsift -g none --sort dso,sym --stdio "$@" 2>/dev/null |
		/usr/bin/python3 -c '
import re, sys
n, acc = int(sys.argv[1]), {}
for line in sys.stdin:
    m = re.match(r"\s+([\d.]+)%\s+(?:[\d.]+%\s+)?(?:(\S+)\s+)?\[(.)\]\s+(.*\S)", line)
    if not m:
        continue
    pct, dso, kind, sym = float(m[1]), m[2] or "vmsift", m[3], m[4]
    if sym.startswith("0x"):
        sym = "(no symbols)"
    key = (dso, sym)
    acc[key] = max(acc.get(key, 0), pct) if "--children" in sys.argv else acc.get(key, 0) + pct
for (dso, sym), pct in sorted(acc.items(), key=lambda kv: -kv[1])[:n]:
    print(f"    {pct:6.2f}%  {dso:<22} {sym}")
' "$n" "$@"
}

# Attribute each sample to the innermost frame that is vmsift's own code.
by_caller() {
	perf script -i "$2" --comm vmsift -F period,ip,sym,dso 2>/dev/null |
		/usr/bin/python3 -c '
import sys
n, acc, total, chain = int(sys.argv[1]), {}, 0, []
def flush():
    global total
    if not chain:
        return
    who = next((f[0] for f in chain if f[1].endswith("/vmsift")), None)
    if who is None:
        sym, lib = chain[-1][0], chain[-1][1].rsplit("/", 1)[-1]
        name = sym if lib == "inlined" else lib
        who = f"(no vmsift frame; chain ends in {name})"
    acc[who] = acc.get(who, 0) + 1
    total += 1
    chain.clear()
for line in sys.stdin:
    if not line.strip():
        flush()
    elif line[0] in " \t":
        parts = line.split(None, 1)
        if len(parts) == 2:
            sym, _, dso = parts[1].rstrip().rpartition(" (")
            chain.append((sym or "?", dso.rstrip(")")))
flush()
for who, c in sorted(acc.items(), key=lambda kv: -kv[1])[:n]:
    print(f"    {100 * c / max(total, 1):6.2f}%  {who}")
' "$1"
}

for opts in "$@"; do
	tag=$(tr -c 'a-z0-9\n' '_' <<<"$opts")
	data=$out/perf.$tag.data
	# shellcheck disable=SC2086,SC2016 # options are words; the loop runs in bash -c
	perf record -q -e cpu-clock -F "$freq" --call-graph dwarf,16384 -o "$data" -- bash -c '
		for ((i = 0; i < $1; i++)); do
			rm -f "$2"; "$3" "${@:5}" "$4" "$2" >/dev/null 2>&1 || exit 1
		done; rm -f "$2"' _ "$reps" "$out/dump" "$ROOT/vmsift" "$vmcore" $opts
	echo "## vmsift $opts $vmcore ($reps runs, perf record -e cpu-clock -F $freq --call-graph dwarf)"
	echo
	echo "Self time (perf report --no-children --sort dso,sym), top 10:"
	echo
	top 10 "$data" --no-children
	echo
	echo "Time by the innermost vmsift function on the call chain (the work it causes in the"
	echo "kernel and libraries included; chains that do not unwind back into vmsift are shown"
	echo "by their leaf library), top 8:"
	echo
	by_caller 8 "$data"
	echo
done
