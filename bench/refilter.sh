#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Re-filtering a saved dump: a -d 1 kdump file (written by makedumpfile, so
# both tools read a file of the peer's making) filtered again to -d 31, by
# vmsift and by makedumpfile, alternately.  Target: vmsift at most half of
# makedumpfile's time.
#
#   bench/refilter.sh [--runs N] [--codec -c|-l] [CORE]
#
# CORE defaults to the bench's 1 GiB Debian 6.1 QEMU core (bench/run.sh makes
# it; fixed for makedumpfile 1.7.2 by tests/vm/fix-phoff).  Prints a Markdown
# table of median wall and CPU seconds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
VMSIFT=${VMSIFT:-$ROOT/vmsift}
PEER=${VMSIFT_PEER:-makedumpfile}
runs=5 codec=-c
while [[ ${1:-} == --* ]]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--codec) codec=$2; shift 2 ;;
	*) echo "usage: $0 [--runs N] [--codec -c|-l] [CORE]" >&2; exit 2 ;;
	esac
done
core=${1:-$CACHE/bench/cores/real-1g-6.1/vmcore.elf}
if [[ ! -f $core ]]; then
	mkdir -p "$(dirname "$core")"
	"$ROOT/tests/vm/qemu-core.sh" --mem 1024 bookworm "$(dirname "$core")" >/dev/null 2>&1 ||
		{ echo "refilter: no core at $core (run tests/vm/setup.sh)" >&2; exit 1; }
fi
scratch=$(mktemp -d /dev/shm/refilter.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
input=$core
if ! "$ROOT/tests/vm/fix-phoff" --check "$core"; then
	"$ROOT/tests/vm/fix-phoff" "$core" "$scratch/core.elf" >/dev/null
	input=$scratch/core.elf
fi
"$PEER" $codec -d 1 --message-level 0 "$input" "$scratch/d1.kdump" >/dev/null
rm -f "$scratch/core.elf"

one_run() {  # TOOL: prints "wall cpu"
	rm -f "$scratch/out"
	{ /usr/bin/time -f '%e %U %S' "$1" $codec -d 31 --message-level 0 "$scratch/d1.kdump" "$scratch/out" >/dev/null; } 2>&1 |
		tail -1 | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

one_run "$VMSIFT" >/dev/null; one_run "$PEER" >/dev/null  # warm the page cache
: >"$scratch/v" && : >"$scratch/p"
for ((i = 0; i < runs; i++)); do
	one_run "$VMSIFT" >>"$scratch/v"
	one_run "$PEER" >>"$scratch/p"
done
vw=$(cut -d' ' -f1 "$scratch/v" | median) vc=$(cut -d' ' -f2 "$scratch/v" | median)
pw=$(cut -d' ' -f1 "$scratch/p" | median) pc=$(cut -d' ' -f2 "$scratch/p" | median)
echo "input: $(basename "$(dirname "$core")"), makedumpfile $codec -d 1 ($(du -h "$scratch/d1.kdump" | cut -f1)) -> $codec -d 31; $runs runs each, alternating; $(nproc) CPUs"
echo
echo "| tool | wall s | CPU s |"
echo "|---|---|---|"
echo "| vmsift | $vw | $vc |"
echo "| $("$PEER" -v 2>&1 | head -1 | sed 's/: version / /; s/ (.*//') | $pw | $pc |"
awk -v v="$vw" -v p="$pw" 'BEGIN { printf "\nvmsift / makedumpfile wall: %.2f\n", v / p }'
