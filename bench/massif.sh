#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-check of run.sh's sampled RssAnon: the peak of vmsift's heap and
# stacks under valgrind's massif for one run.
#
#   bench/massif.sh VMCORE "OPTIONS" ["OPTIONS"...]
#
# massif counts malloc'd bytes plus stacks (--stacks=yes), not mmap'd file
# windows, which is the "anonymous memory" of the memory target.  It is
# 20-50x slower than a normal run: use it on the 1 GiB cores.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=${VMSIFT_BENCH_OUT:-/tmp/vmsift-bench/massif}
(($# >= 2)) || { sed -n '3,10p' "$0"; exit 2; }
command -v valgrind >/dev/null || { echo "massif.sh: valgrind is not installed" >&2; exit 1; }
vmcore=$1
shift
make -C "$ROOT" -s vmsift >&2
mkdir -p "$out"
for opts in "$@"; do
	tag=$(tr -c 'a-z0-9' '_' <<<"$opts")
	rm -f "$out/dump"
	# shellcheck disable=SC2086
	valgrind -q --tool=massif --stacks=yes --massif-out-file="$out/massif.$tag" \
		"$ROOT/vmsift" $opts "$vmcore" "$out/dump" >/dev/null 2>"$out/massif.$tag.log" ||
		{ echo "massif.sh: vmsift $opts failed under valgrind (see $out/massif.$tag.log)" >&2; continue; }
	rm -f "$out/dump"
	# The peak snapshot: the largest heap + extra + stacks sum.
	awk -F= -v what="vmsift $opts" '
		/^mem_heap_B/ { h = $2 } /^mem_heap_extra_B/ { x = $2 }
		/^mem_stacks_B/ { t = h + x + $2; if (t > peak) { peak = t; ph = h; px = x; ps = $2 } }
		END { printf "%s: peak %.2f MiB (heap %.2f, allocator overhead %.2f, stacks %.2f)\n",
			what, peak / 1048576, ph / 1048576, px / 1048576, ps / 1048576 }' "$out/massif.$tag"
done
