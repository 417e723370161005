# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by tests/cases/fault-*.sh (sourced after tests/lib.sh): builds the
# fault-injection shim and the mini-machine writer, and runs each check with
# the release binary and, unless VMSIFT_QUICK is set, again with vmsift-asan
# (ASan + UBSan), since tests/run.sh's sanitizer pass covers core-* only.

SHIM=$ROOT/build/faults/faultshim.so
MKMINI=$ROOT/build/fuzz/mkmini

build_fault_tools() {
	mkdir -p "$ROOT/build/faults"
	if [ ! -f "$SHIM" ] || [ "$ROOT/tests/faults/faultshim.c" -nt "$SHIM" ]; then
		gcc -std=c11 -Wall -Wextra -Werror -O2 -g -shared -fPIC -o "$SHIM" \
			"$ROOT/tests/faults/faultshim.c" -ldl || return 1
	fi
	make -s -C "$ROOT" -f tests/fuzz/fuzz.mk build/fuzz/mkmini
}

# The binaries every check runs with, as LABEL=PATH words.
fault_binaries() {
	echo "rel=$VMSIFT"
	local asan=$ROOT/vmsift-asan
	if [ -z "${VMSIFT_QUICK:-}" ] && [ -z "${VMSIFT_SANITIZED:-}" ] && [ -x "$asan" ]; then
		echo "asan=$asan"
	fi
}

# Sanitizer settings: a report makes the run exit 98/99, which no check accepts.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}:verify_asan_link_order=0
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=98}

# run_rc OUTFILE [faulty ENV=VALUE... --] CMD...: runs CMD, with the shim
# preloaded and those settings after "faulty", bounded by a timeout; its
# output goes to OUTFILE; prints the exit code.
run_rc() {
	local out=$1 pre=()
	shift
	if [ "$1" = faulty ]; then
		shift
		pre=(env)
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			pre+=("$1")
			shift
		done
		shift
		pre+=(LD_PRELOAD="$SHIM")
	fi
	timeout -k 5 "${FAULT_TIMEOUT:-60}" "${pre[@]}" "$@" >"$out" 2>&1
	echo $?
}

# kdump_status DUMP: the header's status word (decimal), or "none" when unreadable.
kdump_status() {
	kdump_field "$1" "['header']['status']" 2>/dev/null || echo none
}

# status8 DUMP: 8 when the dump is marked incomplete, 0 when not, "none" when unreadable.
status8() {
	local s
	s=$(kdump_status "$1")
	case $s in
	none) echo none ;;
	*) echo $((s & 8)) ;;
	esac
}
