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

# check NAME CMD...: CMD must succeed
check() {
	local name=$1; shift
	if "$@" >"$WORK/.log" 2>&1; then
		echo "ok - $name"
	else
		echo "not ok - $name (exit $?: $*)"
		sed 's/^/#   /' "$WORK/.log" | tail -25
		FAILED=1
	fi
}

# check_fails NAME CMD...: CMD must exit non-zero (and not crash: no signal exit)
check_fails() {
	local name=$1; shift
	"$@" >"$WORK/.log" 2>&1
	local rc=$?
	if [ $rc -ne 0 ] && [ $rc -lt 128 ]; then
		echo "ok - $name"
	else
		echo "not ok - $name (exit $rc, expected a clean failure: $*)"
		sed 's/^/#   /' "$WORK/.log" | tail -25
		FAILED=1
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
	fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1 (expected '$2', got '$3')"
		FAILED=1
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
