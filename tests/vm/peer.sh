#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the peer (makedumpfile) on a vmcore, the way the comparison tests do.
#
#   tests/vm/peer.sh [--kernel KERNEL] VMCORE OUT [ARG...]
#
# The makedumpfile is the one setup.sh chose for the vmcore's kernel (read
# from its VMCOREINFO OSRELEASE, or --kernel); VMSIFT_PEER=PATH overrides.
# ARGs default to $VMSIFT_DUMP_ARGS or "-l -d 31".  An ELF core whose
# program headers are not at offset 64 (QEMU's) is first rewritten into a
# temporary copy with fix-phoff, which 1.7.2 needs.
# Writes OUT, OUT.log (makedumpfile's output), OUT.stat (exit, wall_s,
# maxrss_kb, ...; see bench/memwatch.c); exits with makedumpfile's status.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=
if [[ ${1:-} == --kernel ]]; then kernel=$2; shift 2; fi
(($# >= 2)) || die "usage: $0 [--kernel KERNEL] VMCORE OUT [ARG...]"
vmcore=$1 out=$2
shift 2
args=("$@")
if ((${#args[@]} == 0)); then read -r -a args <<<"${VMSIFT_DUMP_ARGS:--l -d 31}"; fi

if [[ -z $kernel ]]; then
	kernel=$(head -c 64M "$vmcore" | grep -a -m1 -o 'OSRELEASE=[^[:space:]]*' | head -1 | cut -d= -f2 || true)
	[[ -n $kernel || -n ${VMSIFT_PEER:-} ]] || die "no OSRELEASE in $vmcore; pass --kernel"
fi
if [[ -n ${VMSIFT_PEER:-} ]]; then peer=$VMSIFT_PEER; else peer=$(peer_for "$(resolve_kver "$kernel")"); fi
[[ -x $peer || -x $peer/run ]] || die "peer $peer is not executable"
[[ -d $peer ]] && peer=$peer/run
[[ -x $CACHE/build/memwatch ]] || die "run tests/vm/setup.sh first (no memwatch)"

input=$vmcore tmp=
if [[ $(head -c 4 "$vmcore") == $'\x7fELF' ]] && ! "$VM_DIR/fix-phoff" --check "$vmcore"; then
	tmp=$out.fixed.elf
	trap 'rm -f "$tmp"' EXIT
	"$VM_DIR/fix-phoff" "$vmcore" "$tmp"
	input=$tmp
fi

rm -f "$out"
rc=0
"$CACHE/build/memwatch" -o "$out.stat" -- "$peer" "${args[@]}" "$input" "$out" >"$out.log" 2>&1 || rc=$?
# makedumpfile draws progress bars with \r; keep the log readable.
sed -i 's/.*\r//' "$out.log"
log "$peer ${args[*]}: exit $rc, $(grep -E 'wall_s|maxrss_kb' "$out.stat" | tr '\n' ' ')" \
	"size $( [[ -f $out ]] && stat -c %s "$out" || echo none)"
exit "$rc"
