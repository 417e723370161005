#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian packages: dpkg-buildpackage -us -uc -b on a clean clone of the
# committed tree builds vmsift and vmsift-makedumpfile with dpkg-buildflags'
# hardening flags and DEB_BUILD_OPTIONS (parallel, nocheck); lintian reports
# no error; the packages hold exactly the expected files; the packaged
# binary dumps like the built one; debian/rules clean leaves a clean tree.
. "$(dirname "$0")/../lib.sh"

for t in dpkg-buildpackage dh lintian hardening-check git; do
	command -v $t >/dev/null || { skip "Debian package" "$t not installed (tests/setup.sh)"; finish; }
done

B=$WORK/b
git clone -q "$ROOT" "$B/vmsift" || { check "git clone" false; finish; }
S=$B/vmsift
log=$WORK/build.log
check "dpkg-buildpackage -us -uc -b (DEB_BUILD_OPTIONS=parallel=2)" \
	env -u WORK -u KEEP -u VMSIFT -u ROOT bash -c "cd '$S' && DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -us -uc -b > '$log' 2>&1"
ver=$(cd "$S" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb=$B/vmsift_${ver}_$arch.deb
mdeb=$B/vmsift-makedumpfile_${ver}_all.deb
[ -f "$deb" ] && [ -f "$mdeb" ] || { check "both .debs built" false; tail -30 "$log"; finish; }

# Flags: dpkg-buildflags' (hardening=+all) on every compile and the link, -j2.
flags() { (cd "$S" && DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1"); }
compiles=$(grep -c -- ' -c -o build/rel/' "$log")
for v in CPPFLAGS CFLAGS; do
	check_eq "every compile line ($compiles) carries dpkg-buildflags' $v" "$compiles" \
		"$(grep -- ' -c -o build/rel/' "$log" | grep -cF -- " $(flags $v) ")"
done
check_grep "the link carries dpkg-buildflags' LDFLAGS" " $(flags LDFLAGS | sed 's/[.]/[.]/g') -o vmsift " "$log"
check_grep "parallel=2 gives make -j2" "^\s+make -j2 .* all$" "$log"
check_eq "the build prints no compiler warning" "" "$(grep -E 'warning:' "$log" | head -3)"
check_grep "the quick tests ran during the build, none failed" "^[0-9]+ passed, 0 failed$" "$log"

lintian --tag-display-limit 0 -E --color never "$B"/vmsift_${ver}_$arch.changes > "$WORK/lintian.txt" 2>&1
check_eq "lintian: no errors" "" "$(grep '^E:' "$WORK/lintian.txt")"

# contents DEB -> "type path[ -> target]" of every non-directory
contents() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print substr($1,1,1), $6, $7, $8 }' | sed 's/ *$//' | LC_ALL=C sort; }
check_eq "vmsift.deb holds the binary, the man page and the docs" "$(cat <<EOF
- ./usr/sbin/vmsift
- ./usr/share/doc/vmsift/README.md.gz
- ./usr/share/doc/vmsift/changelog.gz
- ./usr/share/doc/vmsift/compat.md.gz
- ./usr/share/doc/vmsift/copyright
- ./usr/share/doc/vmsift/format.md.gz
- ./usr/share/man/man8/vmsift.8.gz
EOF
)" "$(contents "$deb")"
check_eq "vmsift-makedumpfile.deb holds the makedumpfile links" "$(cat <<EOF
- ./usr/share/doc/vmsift-makedumpfile/README.Debian
- ./usr/share/doc/vmsift-makedumpfile/changelog.gz
- ./usr/share/doc/vmsift-makedumpfile/copyright
l ./usr/bin/makedumpfile -> ../sbin/vmsift
l ./usr/share/man/man8/makedumpfile.8.gz -> vmsift.8.gz
EOF
)" "$(contents "$mdeb")"
dpkg-deb -e "$mdeb" "$WORK/ctl"
for f in /usr/bin/makedumpfile /usr/share/man/man8/makedumpfile.8.gz; do
	check "preinst diverts $f" grep -q "^	divert $f$" "$WORK/ctl/preinst"
	check "postrm gives $f back" grep -q "^	undivert $f$" "$WORK/ctl/postrm"
done
check_grep "vmsift depends on the shared codec libraries" "^Depends: .*libzstd1" <(dpkg-deb -f "$deb")
check_grep "vmsift-makedumpfile depends on vmsift" "^Depends: .*vmsift \(>= $ver\)" <(dpkg-deb -f "$mdeb")

# The packaged binary: hardened, and the same dump as the built one.
dpkg-deb -x "$deb" "$WORK/x"
check "hardening-check: PIE, stack protector, fortify, RELRO, BIND_NOW" \
	hardening-check --nocfprotection "$WORK/x/usr/sbin/vmsift"
"$MKVMCORE" --mem 64M --seed 5 -o "$WORK/core" >/dev/null
"$VMSIFT" -l -d 31 --message-level 0 "$WORK/core" "$WORK/built.dump" >/dev/null 2>&1
check "the packaged vmsift dumps" "$WORK/x/usr/sbin/vmsift" -l -d 31 --message-level 0 "$WORK/core" "$WORK/pkg.dump"
check "... the same bytes as the built vmsift" cmp "$WORK/built.dump" "$WORK/pkg.dump"

# nocheck skips the tests; clean restores the clone.
check_eq "DEB_BUILD_OPTIONS=nocheck runs no test" "DEB_BUILD_OPTIONS=nocheck: no tests" \
	"$(cd "$S" && DEB_BUILD_OPTIONS=nocheck debian/rules override_dh_auto_test 2>&1)"
(cd "$S" && debian/rules clean) > "$WORK/clean.log" 2>&1
check_eq "debian/rules clean leaves the clone as checked out" "" \
	"$(cd "$S" && git status --porcelain --ignored)"
finish
