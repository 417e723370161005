#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What one architecture's dump costs vmsift against another's of the same size:
# an arm64 core must cost no more per GiB than an x86_64 core on the same host.
#
#   bench/arch-cost.sh [--runs N] [--mem SIZE] [--arch arm64|s390x|ppc64|ppc64-hash|riscv64]
#
# Pairs of inputs, alternately filtered N times each (default 5) at -l -d 31
# and -c -d 31; prints a Markdown table of median wall and CPU seconds per GiB
# of input memory and the arm64/x86_64 ratio.
#  - gen: two generated machines of --mem SIZE (default 4G), same seed and page
#    mix, the x86_64 layout and the arm64 4K/48 layout (tests/gen/mkvmcore);
#  - real: the 1 GiB QEMU cores of Debian 12's 6.1 kernel, x86_64 and arm64
#    (tests/vm/qemu-core.sh; made when missing if the VM tests are set up).
# --arch s390x pairs the generated x86_64 machine with a big-endian s390x one
# (4 levels, 6.1 layout): what reading a dump in the other byte order costs.
# --arch ppc64 pairs it with ppc64le radix, 64 KiB pages (Debian's ppc64el
# kernels; a sixteenth of the struct pages per GiB), ppc64-hash with the hash
# MMU (the vmemmap found through vmemmap_list), riscv64 with Sv48 (6.1 layout).
# Cores are kept in $VMSIFT_CACHE/bench/cores; dumps go to a tmpfs scratch dir.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
CORES=$CACHE/bench/cores
VMSIFT=${VMSIFT:-$ROOT/vmsift}
runs=5 mem=4G arch=arm64
while [[ ${1:-} == --* ]]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--arch) arch=$2; shift 2 ;;
	*) echo "usage: $0 [--runs N] [--mem SIZE] [--arch arm64|s390x|ppc64|ppc64-hash|riscv64]" >&2; exit 2 ;;
	esac
done
say() { echo "arch-cost: $*" >&2; }
scratch=$(mktemp -d /dev/shm/arch-cost.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$CORES"

gen_core() {  # NAME ARGS...: a generated core, remade when the generator is newer
	local name=$1 dir=$CORES/$1
	shift
	if [[ ! -f $dir/vmcore.elf || $ROOT/tests/gen/mkvmcore -nt $dir/vmcore.elf ]]; then
		mkdir -p "$dir"
		"$ROOT/tests/gen/mkvmcore" -o "$dir/vmcore.elf" "$@" >/dev/null
		say "made $dir/vmcore.elf"
	fi
	echo "$dir/vmcore.elf"
}

real_core() {  # NAME KERNEL: a 1 GiB QEMU core, made when missing
	local dir=$CORES/$1
	if [[ ! -f $dir/vmcore.elf ]]; then
		"$ROOT/tests/vm/qemu-core.sh" --mem 1024 "$2" "$dir" >/dev/null 2>&1 || return 1
	fi
	echo "$dir/vmcore.elf"
}

gib() { awk -v b="$1" 'BEGIN { printf "%.3f", b / 1073741824 }'; }
# Memory the core describes: the sum of its PT_LOADs' memsz.
core_gib() {
	local s=0 m
	for m in $(readelf -lW "$1" | awk '$1 == "LOAD" { print $6 }'); do s=$((s + m)); done
	gib "$s"
}

# One run: prints "wall cpu" in seconds.
one_run() {
	local core=$1 opts=$2 t
	rm -f "$scratch/out"
	t=$( { /usr/bin/time -f '%e %U %S' "$VMSIFT" -f $opts --message-level 0 "$core" "$scratch/out" >/dev/null; } 2>&1 | tail -1)
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' <<<"$t"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -a rows=()
pair() {  # LABEL X86CORE ARMCORE
	local label=$1 x=$2 a=$3 opts i gx ga
	gx=$(core_gib "$x") ga=$(core_gib "$a")
	for opts in "-l -d 31" "-c -d 31"; do
		one_run "$x" "$opts" >/dev/null; one_run "$a" "$opts" >/dev/null  # warm the page cache
		: >"$scratch/x" && : >"$scratch/a"
		for ((i = 0; i < runs; i++)); do
			one_run "$x" "$opts" >>"$scratch/x"
			one_run "$a" "$opts" >>"$scratch/a"
		done
		local xw xc aw ac
		xw=$(cut -d' ' -f1 "$scratch/x" | median) xc=$(cut -d' ' -f2 "$scratch/x" | median)
		aw=$(cut -d' ' -f1 "$scratch/a" | median) ac=$(cut -d' ' -f2 "$scratch/a" | median)
		rows+=("$(awk -v l="$label" -v o="$opts" -v gx="$gx" -v ga="$ga" -v xw="$xw" -v xc="$xc" \
			-v aw="$aw" -v ac="$ac" 'BEGIN {
			printf "| %s | `%s` | %.3f / %.3f | %.3f / %.3f | %.2f |", l, o, xw / gx, xc / gx,
				aw / ga, ac / ga, (ac / ga) / (xc / gx) }')")
	done
}

[[ -x $ROOT/tests/gen/mkvmcore ]] || make -C "$ROOT" -s test-tools >&2
seed=(--seed 7 --mem "$mem")
if [[ $arch == s390x ]]; then
	pair "generated $mem (6.1 layout)" "$(gen_core "gen-x86-$mem" "${seed[@]}")" \
		"$(gen_core "gen-s390x-4-$mem" "${seed[@]}" --layout s390x-4 --kernel 6.1)"
elif [[ $arch == ppc64 || $arch == ppc64-hash ]]; then
	mmu=radix-64k
	[[ $arch == ppc64-hash ]] && mmu=hash-64k
	pair "generated $mem (6.1 layout)" "$(gen_core "gen-x86-$mem" "${seed[@]}")" \
		"$(gen_core "gen-ppc64le-$mmu-$mem" "${seed[@]}" --arch ppc64le --layout "$mmu" --kernel 6.1)"
elif [[ $arch == riscv64 ]]; then
	pair "generated $mem (6.1 layout)" "$(gen_core "gen-x86-$mem" "${seed[@]}")" \
		"$(gen_core "gen-riscv64-sv48-$mem" "${seed[@]}" --arch riscv64 --layout sv48 --kernel 6.1)"
else
	pair "generated $mem (6.1 layout)" "$(gen_core "gen-x86-$mem" "${seed[@]}")" \
		"$(gen_core "gen-arm64-4k48-$mem" "${seed[@]}" --layout 4k-48)"
fi
if [[ $arch == arm64 ]] && rx=$(real_core real-1g-6.1 bookworm) && ra=$(real_core real-1g-arm64-6.1 arm64-6.1); then
	pair "Debian 6.1 QEMU core, 1 GiB" "$rx" "$ra"
else
	say "real cores skipped (run tests/vm/setup.sh and tests/vm/setup-arm64.sh)"
fi

echo "vmsift $("$VMSIFT" -v | head -1 | sed 's/^vmsift: //'), $runs runs each, alternating; $(nproc) CPUs, $(uname -r)"
echo
echo "| input | options | x86_64 s/GiB wall / CPU | $arch s/GiB wall / CPU | $arch/x86_64 CPU |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
