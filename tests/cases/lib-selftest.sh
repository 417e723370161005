#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The helpers every case relies on (tests/lib.sh) report what happened:
# check_fails takes only a clean failure (not a crash signal, a sanitizer
# exit code or report, a timeout, a command that cannot run), and every check
# returns its outcome so that "check ... || continue" works.
. "$(dirname "$0")/../lib.sh"

# inner SCRIPT: runs SCRIPT in a fresh shell with tests/lib.sh sourced; its
# check lines go to $WORK/inner.txt with "ok"/"not ok" renamed so that
# tests/run.sh does not count them.
inner() {
	WORK=$WORK/inner bash -c ". '$ROOT/tests/lib.sh'; $1" 2>&1 |
		sed -e 's/^not ok - /INNER-FAIL /' -e 's/^ok - /INNER-PASS /' > "$WORK/inner.txt"
}

# verdict SCRIPT: PASS or FAIL, the inner check's verdict.
verdict() {
	inner "$1"
	awk '/^INNER-(PASS|FAIL) /{ sub(/^INNER-/, ""); print $1; exit }' "$WORK/inner.txt"
}

check_eq "check_fails takes exit 1" PASS "$(verdict 'check_fails t false')"
check_eq "check_fails takes exit 2 (wrong kernel release)" PASS "$(verdict 'check_fails t bash -c "exit 2"')"
check_eq "check_fails refuses exit 0" FAIL "$(verdict 'check_fails t true')"
check_eq "check_fails refuses the ASan exit code 99" FAIL "$(verdict 'check_fails t bash -c "exit 99"')"
check_eq "check_fails refuses the UBSan exit code 98" FAIL "$(verdict 'check_fails t bash -c "exit 98"')"
check_eq "check_fails refuses a crash (SIGSEGV)" FAIL "$(verdict 'check_fails t bash -c "kill -SEGV \$\$"')"
check_eq "check_fails refuses a timeout (124)" FAIL "$(verdict 'check_fails t timeout 1 sleep 10')"
check_eq "check_fails refuses a command that cannot run (127)" FAIL "$(verdict 'check_fails t ./no-such-program')"
check_eq "check_fails refuses exit 1 with a UBSan report" FAIL \
	"$(verdict 'check_fails t bash -c "echo \"a.c:1:2: runtime error: signed integer overflow\"; exit 1"')"
check_eq "check_fails refuses exit 1 with an ASan report" FAIL \
	"$(verdict 'check_fails t bash -c "echo \"==1==ERROR: AddressSanitizer: heap-buffer-overflow\"; exit 1"')"

for helper in "check t false" "check_fails t true" "check_eq t a b" "check_grep t zzz /dev/null"; do
	inner "$helper || echo OR-BRANCH-RAN; $helper && echo AND-BRANCH-RAN"
	check "${helper%% *} that fails returns non-zero (its || branch runs)" grep -q OR-BRANCH-RAN "$WORK/inner.txt"
	check "... and its && branch does not" bash -c "! grep -q AND-BRANCH-RAN '$WORK/inner.txt'"
done
for helper in "check t true" "check_fails t false" "check_eq t a a" "check_grep t . /etc/passwd"; do
	inner "$helper && echo AND-BRANCH-RAN"
	check "${helper%% *} that passes returns 0" grep -q AND-BRANCH-RAN "$WORK/inner.txt"
done
inner 'check t false; finish'
check_grep "a failed check makes finish exit non-zero" "INNER-FAIL t" "$WORK/inner.txt"
check "... with exit 1" bash -c "WORK='$WORK/inner2' bash -c \". '$ROOT/tests/lib.sh'; check t false; finish\" >/dev/null 2>&1; test \$? -eq 1"
finish
