# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for tests/cases/*.sh.  Each check prints "ok - NAME" or
# "not ok - NAME" (with the failing command's output indented); tests/run.sh
# counts them.
set -uo pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
VMSIFT=${VMSIFT:-$ROOT/vmsift}
PY=/usr/bin/python3
TOOLS=$ROOT/tests/tools
MKVMCORE=$ROOT/tests/gen/mkvmcore
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/vmsift-test.XXXXXX")}
mkdir -p "$WORK"
FAILED=0

# Every check returns its outcome (0 = ok), so "check ... || continue" works.
# The cases do not run under "set -e": a failed check is counted, not fatal.

# Sanitizer reports make vmsift-asan exit 99 (ASan, LSan) or 98 (UBSan), even
# when a case runs it outside tests/run.sh's sanitizer pass.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=98}

# fail_log NAME WHY: reports a failed check with the command's output.
fail_log() {
	echo "not ok - $1 ($2)"
	sed 's/^/#   /' "$WORK/.log" | tail -25
	FAILED=1
	return 1
}

# check NAME CMD...: CMD must succeed
check() {
	local name=$1; shift
	if "$@" >"$WORK/.log" 2>&1; then
		echo "ok - $name"
	else
		fail_log "$name" "exit $?: $*"
	fi
}

# unclean_exit RC LOG: why exit status RC (with output LOG) is not a clean
# failure, or nothing when it is one.  Not clean: a crash signal (>= 128),
# timeout(1)'s 124 (the command hung) and 125-127 (it could not run), the
# sanitizer exit codes 98/99, or a sanitizer report in the output.
unclean_exit() {
	local rc=$1 log=$2
	if [ "$rc" -ge 128 ]; then echo "killed by signal $((rc - 128))"
	elif [ "$rc" -eq 124 ]; then echo "timed out"
	elif [ "$rc" -ge 125 ]; then echo "could not run"
	elif [ "$rc" -eq 98 ] || [ "$rc" -eq 99 ]; then echo "sanitizer exit code"
	elif grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"; then
		echo "sanitizer report"
	fi
}

# check_fails NAME CMD...: CMD must exit non-zero, cleanly (see unclean_exit)
check_fails() {
	local name=$1; shift
	"$@" >"$WORK/.log" 2>&1
	local rc=$? why
	if [ $rc -eq 0 ]; then
		fail_log "$name" "exit 0, expected a clean failure: $*"
		return
	fi
	why=$(unclean_exit $rc "$WORK/.log")
	if [ -n "$why" ]; then
		fail_log "$name" "exit $rc, $why; expected a clean failure: $*"
	else
		echo "ok - $name"
	fi
}

# check_grep NAME PATTERN FILE: FILE contains PATTERN (extended regex)
check_grep() {
	local name=$1 pat=$2 file=$3
	if grep -Eq -- "$pat" "$file"; then
		echo "ok - $name"
	else
		echo "not ok - $name (no /$pat/ in $file)"
		sed 's/^/#   /' "$file" | tail -15
		FAILED=1
		return 1
	fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1 (expected '$2', got '$3')"
		FAILED=1
		return 1
	fi
}

skip() {
	echo "ok - $1 # SKIP $2"
}

# kdump_field DUMP FIELD: one field from kdumpinfo.py --json
kdump_field() {
	"$PY" "$TOOLS/kdumpinfo.py" --json "$1" | "$PY" -c "import json,sys; d=json.load(sys.stdin); print(d$2)"
}

finish() {
	[ -z "${KEEP:-}" ] && rm -rf "$WORK"
	exit $FAILED
}

# report_counts REPORT -> the report's "zero cache cache_private user free
# hwpoison offline" excluded counts, in decimal.
report_counts() {
	local out="" v
	for v in $(awk -F: '/Pages filled with zero|Non-private cache|Private cache|User process|Free pages|Hwpoison|Offline pages/ {
		gsub(/ /, "", $2); print $2 }' "$1"); do
		out+="$((v)) "
	done
	echo "$out"
}

# truth_counts TRUTH LEVEL -> the same counts from a tests/gen --truth file.
truth_counts() {
	local out="" k
	for k in zero cache cache_private user free hwpoison offline; do
		out+="$(awk -v k="# d$2.$k" '$0 ~ "^"k" " {print $3}' "$1") "
	done
	echo "$out"
}

# For the real-kernel cases: the report's per-type lines (categories REPORT),
# one report value in decimal (report_val REPORT LABEL), one /proc/vmstat
# counter of a guest's ground truth (vmstat TRUTH NAME), and a check that two
# counts are within PERCENT % (near NAME A B PERCENT: |A-B| <= PERCENT% of B).
categories() { grep -E '^ +(Pages filled|Non-private|Private cache|User process|Free pages|Hwpoison|Offline)' "$1"; }
report_val() { local v; v=$(awk -F: -v k="$2" '$0 ~ k {gsub(/ /,"",$2); print $2}' "$1"); echo $((v)); }
vmstat() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
near() {
	local d=$(( $2 > $3 ? $2 - $3 : $3 - $2 ))
	check "$1 ($2 vs $3)" test $(( d * 100 )) -le $(( $4 * $3 ))
}
