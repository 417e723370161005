#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -x start-up: vmsift against makedumpfile on the same core and debug vmlinux.
#
#   bench/debuginfo.sh [--runs N] [--peer-runs M] CORE VMLINUX
#
# Each tool runs `-l -d 31` on CORE with and without `-x VMLINUX`, alternately,
# N times (the peer M times: it spends about a minute in -x); the start-up
# cost of -x is the difference of the medians.  makedumpfile reads a copy
# with the program headers at offset 64 (tests/vm/fix-phoff), as in bench/run.sh.
# Prints a Markdown table.  VMSIFT_PEER picks the makedumpfile (default: the
# host's).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
runs=3 peer_runs=2
while [[ ${1:-} == --* ]]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--peer-runs) peer_runs=$2; shift 2 ;;
	*) echo "usage: $0 [--runs N] [--peer-runs M] CORE VMLINUX" >&2; exit 2 ;;
	esac
done
(($# == 2)) || { echo "usage: $0 [--runs N] [--peer-runs M] CORE VMLINUX" >&2; exit 2; }
core=$1 vml=$2
peer=${VMSIFT_PEER:-/usr/bin/makedumpfile}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ROOT/tests/vm/fix-phoff" "$core" "$tmp/peer.elf"

# wall TOOL ARGS...: seconds of one run (the dump is written and removed)
wall() {
	local t0 t1
	rm -f "$tmp/out"
	t0=$(date +%s.%N)
	"$@" "$tmp/out" > "$tmp/log" 2>&1 || { tail -3 "$tmp/log" >&2; return 1; }
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

for i in $(seq "$runs"); do
	wall "$ROOT/vmsift" -f -l -d 31 --message-level 0 "$core" >> "$tmp/vs.plain"
	wall "$ROOT/vmsift" -f -l -d 31 --message-level 0 -x "$vml" "$core" >> "$tmp/vs.x"
done
for i in $(seq "$peer_runs"); do
	wall "$peer" -l -d 31 --message-level 0 "$tmp/peer.elf" >> "$tmp/p.plain"
	wall "$peer" -l -d 31 --message-level 0 -x "$vml" "$tmp/peer.elf" >> "$tmp/p.x"
done
vp=$(median < "$tmp/vs.plain") vx=$(median < "$tmp/vs.x")
pp=$(median < "$tmp/p.plain") px=$(median < "$tmp/p.x")
vs=$(echo "$vx - $vp" | bc) ps=$(echo "$px - $pp" | bc)
echo "| tool | -l -d 31 | with -x | -x start-up | runs |"
echo "|---|---|---|---|---|"
printf '| vmsift | %.2f s | %.2f s | %.2f s | %d |\n' "$vp" "$vx" "$vs" "$runs"
printf '| %s | %.2f s | %.2f s | %.2f s | %d |\n' "$("$peer" -v 2>&1 | head -1 | sed 's/ (.*//')" "$pp" "$px" "$ps" "$peer_runs"
printf '\nvmsift -x start-up is %.1f%% of makedumpfile'"'"'s.\n' "$(echo "100 * $vs / $ps" | bc -l)"
