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

# For the generated-machine cases (gen-ARCH.sh) --------------------------------
# gen_levels: the dump levels each layout is checked at (fewer when sanitized).
gen_levels() {
	if [ -n "${VMSIFT_SANITIZED:-}" ]; then echo "1 31"; else echo "0 1 2 4 8 16 31"; fi
}

# gen_layout_case TAG MKVMCORE-ARGS...: generates $WORK/TAG.elf (and its truth
# $WORK/TAG.truth) with the arguments in the GEN_ARGS array first, MEM bytes of
# memory (256M) and seed 9; checks the per-type excluded counts against the
# truth at each of ONLY (else LEVELS) and that -d 31 excludes exactly the
# truth's pfns and keeps every other page byte-exact.  A case may define
# gen_layout_extra TAG (run while $WORK/TAG.kdump, the -d 31 dump, is there);
# DROP=1 removes the core afterwards.
gen_layout_case() {
	local tag=$1; shift
	local core=$WORK/$tag.elf truth=$WORK/$tag.truth levels=${ONLY:-$LEVELS}
	if ! "$MKVMCORE" ${GEN_ARGS[@]+"${GEN_ARGS[@]}"} --mem "${MEM:-256M}" --seed 9 --truth "$truth" -o "$core" "$@" \
		>"$WORK/gen.log" 2>&1; then
		check "$tag: generator" false; cat "$WORK/gen.log"; return
	fi
	local bad="" d
	for d in $levels; do
		"$VMSIFT" -f -l -d $d --message-level 16 "$core" "$WORK/$tag.kdump" > "$WORK/rep.txt" 2>&1 || bad+=" d$d(exit)"
		[ "$(report_counts "$WORK/rep.txt")" = "$(truth_counts "$truth" $d)" ] || bad+=" d$d"
	done
	# shellcheck disable=SC2086 # the list of levels, joined with commas
	check "$tag: per-type excluded counts equal the truth at levels $(echo $levels | tr ' ' ,)${bad:+ (wrong at$bad)}" test -z "$bad"
	"$VMSIFT" -f -l -d 31 --message-level 0 "$core" "$WORK/$tag.kdump"
	"$PY" "$TOOLS/truth_excluded.py" "$truth" 31 > "$WORK/excl.txt"
	check "$tag -d 31: exactly the expected pfns excluded, every kept page equal to the source" \
		"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$core" "$WORK/$tag.kdump"
	if declare -F gen_layout_extra >/dev/null; then gen_layout_extra "$tag"; fi
	rm -f "$WORK/$tag.kdump"
	[ -z "${DROP:-}" ] || rm -f "$core"  # the big ones: a GB each on a shared /tmp
}

# gen_check_dmesg CORE WANT: --dump-dmesg writes the log the generator wrote to WANT.
gen_check_dmesg() {
	check "--dump-dmesg writes the expected log" bash -c \
		"'$VMSIFT' --dump-dmesg --message-level 0 '$1' '$WORK/got.txt' && cmp '$2' '$WORK/got.txt'"
}

# gen_check_elf_out CORE: -E -d 31 into $WORK/e.elf matches the source.
gen_check_elf_out() {
	check "-E -d 31: every file-backed page equals the source (or is an excluded page's zeros)" bash -c \
		"'$VMSIFT' -E -d 31 --message-level 0 '$1' '$WORK/e.elf' && '$PY' '$TOOLS/compare_elf_out.py' '$WORK/e.elf' '$1'"
}

# gen_check_outputs CORE: writes $WORK/direct.kdump (-l -d 31, one thread) and
# checks that two threads, -F | -R and --split/--reassemble give that file.
gen_check_outputs() {
	local core=$1
	"$VMSIFT" -l -d 31 --num-threads 1 --message-level 0 "$core" "$WORK/direct.kdump"
	check "--num-threads 2 writes the same file" bash -c \
		"'$VMSIFT' -l -d 31 --num-threads 2 --message-level 0 '$core' '$WORK/t2.kdump' && cmp '$WORK/direct.kdump' '$WORK/t2.kdump'"
	check "-F | -R rebuilds the same file" bash -c \
		"'$VMSIFT' -F -l -d 31 --message-level 0 '$core' | '$VMSIFT' -R '$WORK/r.kdump' >/dev/null && cmp '$WORK/direct.kdump' '$WORK/r.kdump'"
	# (Reassembled, the pages are in pfn order; the direct dump writes the startup pages first.)
	check "--split into 2 and --reassemble give the same pages and bytes" bash -c \
		"'$VMSIFT' --split -l -d 31 --message-level 0 '$core' '$WORK/p1' '$WORK/p2' &&
		 '$VMSIFT' --reassemble --message-level 0 '$WORK/p1' '$WORK/p2' '$WORK/re.kdump' &&
		 '$PY' '$TOOLS/compare_dumps.py' --strict-headers '$WORK/direct.kdump' '$WORK/re.kdump' >/dev/null"
}

# expect_error NAME PATTERN VMSIFT-ARGS...: bad input fails with exit 1 and an
# error matching PATTERN, within bounded time.
expect_error() {
	local name=$1 pat=$2; shift 2
	rm -f "$WORK/out.kdump"
	timeout 60 "$VMSIFT" "$@" >"$WORK/err.txt" 2>&1
	local rc=$?
	check "$name: fails cleanly (exit $rc)" test "$rc" -eq 1
	check_grep "$name: says why" "$pat" "$WORK/err.txt"
}

# gen_random_tables WHAT BASE TOOL-ARGS...: six copies of BASE whose top
# table TOOL-ARGS FILE random:SEED fills with random entries each give a dump
# or a clean error, never a crash or a hang.
gen_random_tables() {
	local what=$1 base=$2 bad="" seed rc; shift 2
	for seed in 1 2 3 4 5 6; do
		cp "$base" "$WORK/rnd.elf"
		"$PY" "$@" "$WORK/rnd.elf" random:$seed
		timeout 60 "$VMSIFT" -f -l -d 31 "$WORK/rnd.elf" "$WORK/out.kdump" >"$WORK/err.txt" 2>&1
		rc=$?
		[ $rc -le 1 ] || bad+=" seed$seed(exit $rc)"
	done
	rm -f "$WORK/rnd.elf"
	check "random swapper_pg_dir $what: a dump or a clean error, no crash or hang${bad:+ (not at$bad)}" test -z "$bad"
}
