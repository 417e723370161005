#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# makedumpfile's command line: option shapes, --check-params, refusing to
# overwrite, unimplemented options named, exit codes, the report.
. "$(dirname "$0")/../lib.sh"

core=$WORK/core.elf
"$PY" "$TOOLS/mkcore.py" "$core" >/dev/null

check "-h exits 0" "$VMSIFT" -h
# -h names every option the parser knows: the long option table and the getopt letters.
"$VMSIFT" -h > "$WORK/help.txt"
longs=$(sed -n 's/^[[:space:]]*{ "\([a-z_-]*\)", .*/\1/p' "$ROOT/src/cli/options.c")
check "the long option table was found" test "$(echo "$longs" | wc -w)" -ge 20
for opt in $longs; do
	check_grep "-h lists --$opt" "(^|[^a-z_-])--$opt([^a-z_-]|\$)" "$WORK/help.txt"
done
shorts=$(sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' "$ROOT/src/cli/options.c" | tr -d ':')
check "the short options were found" test "${#shorts}" -ge 15
for ((i = 0; i < ${#shorts}; i++)); do
	check_grep "-h lists -${shorts:i:1}" "(^|[ ,|[])-${shorts:i:1}([^a-zA-Z-]|\$)" "$WORK/help.txt"
done
check "-v exits 0" "$VMSIFT" -v
check_fails "unknown option" "$VMSIFT" --bogus "$core" "$WORK/x"
"$VMSIFT" --bogus "$core" "$WORK/x" > "$WORK/o.txt" 2>&1
check_grep "... prints makedumpfile's invalid-command-line lines" "Commandline parameter is invalid" "$WORK/o.txt"
check "--check-params accepts kdumpctl's default collector" "$VMSIFT" --check-params -l --message-level 7 -d 31 vmcore dumpfile
check "--check-params accepts --num-threads=N" "$VMSIFT" --check-params -l -d 31 --num-threads=2 vmcore dumpfile
check "--check-params accepts -F with one argument" "$VMSIFT" --check-params -F -c -d 31 vmcore
check_fails "--check-params rejects -E with -c" "$VMSIFT" --check-params -E -c -d 31 vmcore dumpfile
check_fails "--check-params rejects a missing DUMPFILE" "$VMSIFT" --check-params -d 31 vmcore
check_fails "-d 32 is out of range" "$VMSIFT" --check-params -d 32 vmcore dumpfile
check "-d 11,31 (fallback list) parses" "$VMSIFT" --check-params -d 11,31 vmcore dumpfile
check "-L 10M parses" "$VMSIFT" --check-params -L 10M vmcore dumpfile

# An existing DUMPFILE is refused without -f and left untouched.
echo "precious" > "$WORK/exists"
sum=$(md5sum < "$WORK/exists")
check_fails "existing DUMPFILE without -f" "$VMSIFT" -d 1 "$core" "$WORK/exists"
check_eq "... the file is untouched" "$sum" "$(md5sum < "$WORK/exists")"
check "with -f it is overwritten" "$VMSIFT" -f -d 1 --message-level 0 "$core" "$WORK/exists"
check "... with a valid dump" "$PY" "$TOOLS/kdumpinfo.py" --check "$WORK/exists"

# An output that cannot be created: one clean error, no report built from nothing.
"$VMSIFT" -d 1 --show-stats "$core" "$WORK/missing-dir/x.kdump" > "$WORK/o.txt" 2>&1
check_eq "output in a missing directory: exit 1" 1 $?
check_grep "... names the file and why" "cannot create the dump file .*missing-dir/x.kdump: No such file" "$WORK/o.txt"
check "... and says nothing else (no warnings, no report)" \
	bash -c "! grep -Ev '^(vmsift: error: cannot create .*|vmsift Failed\.|)\$' '$WORK/o.txt'"
if [ -z "${VMSIFT_SANITIZED:-}" ] && command -v valgrind >/dev/null; then
	valgrind -q --error-exitcode=99 "$VMSIFT" -d 1 --show-stats "$core" "$WORK/missing-dir/x.kdump" \
		> "$WORK/vg.txt" 2>&1
	check_eq "... valgrind finds no uninitialised read (exit 1, not 99)" 1 $?
fi

# --split creates every piece or none.
echo "precious" > "$WORK/piece3"
"$VMSIFT" --split -d 1 --message-level 7 "$core" "$WORK/piece1" "$WORK/piece2" "$WORK/piece3" \
	> "$WORK/o.txt" 2>&1
check_eq "--split with a later piece already there: exit 1" 1 $?
check_grep "... naming it" "piece3 already exists" "$WORK/o.txt"
check "... leaving no other piece behind" test ! -e "$WORK/piece1" -a ! -e "$WORK/piece2"
check_eq "... and that file untouched" "precious" "$(cat "$WORK/piece3")"
check_fails "--split naming one file twice" "$VMSIFT" --split -d 1 "$core" "$WORK/twice" "$WORK/twice"
check "... creates nothing" test ! -e "$WORK/twice"
"$VMSIFT" --split -d 1 "$core" "$WORK/piece1" "$WORK/missing-dir/piece2" > "$WORK/o.txt" 2>&1
check_eq "--split with a piece in a missing directory: exit 1" 1 $?
check "... leaving no first piece behind" test ! -e "$WORK/piece1"
check "... and no report" bash -c "! grep -q 'warning\|Original pages' '$WORK/o.txt'"

# ... and refused the same way in every mode, --check-params included.
for o in "--eppic f.c" "-X" "--diskset=d1"; do
	for mode in "" "--split" "-F" "--dump-dmesg" "-R" "--reassemble"; do
		case $mode in
		--split) args=("$core" "$WORK/s1" "$WORK/s2") ;;
		-F) args=("$core") ;;
		-R) args=("$WORK/r.out") ;;
		--reassemble) args=("$WORK/s1" "$WORK/s2" "$WORK/r.out") ;;
		*) args=("$core" "$WORK/out") ;;
		esac
		for cp in "" --check-params; do
			# shellcheck disable=SC2086 # $o and $mode are option words
			"$VMSIFT" $cp $mode $o "${args[@]}" < /dev/null > "$WORK/o.txt" 2>&1
			rc=$?
			check_eq "'$cp $mode $o' refused (exit 1)" 1 $rc
			check_grep "... naming ${o%% *}" "$(echo "${o%%[ =]*}" | sed 's/^-*//') .*not supported" "$WORK/o.txt"
		done
	done
done
check "... having created nothing" bash -c "! ls '$WORK/s1' '$WORK/s2' '$WORK/r.out' '$WORK/out' 2>/dev/null"

# Arguments distros pass without checking, which makedumpfile accepts: a warning, never a lost dump.
"$VMSIFT" --check-params --message-level 0 -c -l -d 31 vmcore dumpfile > "$WORK/o.txt" 2>&1
check_eq "--check-params -c -l: accepted" 0 $?
check_grep "... with a warning that the last one is used" "warning: .*using -l, the last" "$WORK/o.txt"
"$VMSIFT" -c -l -d 1 "$core" "$WORK/cl.kdump" > "$WORK/o.txt" 2>&1
check_eq "-c -l: the dump is written" 0 $?
check_eq "... with lzo, the last one (as makedumpfile)" 2 "$(( $(kdump_field "$WORK/cl.kdump" "['header']['status']") & 7 ))"
for x in "--xen-syms /boot/xen-syms" "--xen-vmcoreinfo /nonexistent" "--xen_phys_start 0x1000000"; do
	"$VMSIFT" --check-params $x -d 31 vmcore dumpfile > "$WORK/o.txt" 2>&1
	check_eq "--check-params $x: accepted" 0 $?
	check_grep "... with a warning naming it" "warning: ${x%% *} ignored" "$WORK/o.txt"
	rm -f "$WORK/x.kdump"
	check "$x on a non-Xen dump: the dump is written" "$VMSIFT" $x -d 1 "$core" "$WORK/x.kdump"
	check "... and right" "$PY" "$TOOLS/compare_elf.py" "$core" "$WORK/x.kdump"
done
for pair in abc:0,31 1x:1,31 :0,31 31x:31; do
	d=${pair%%:*} levels=${pair#*:}
	rm -f "$WORK/d.kdump"
	"$VMSIFT" -d "$d" "$core" "$WORK/d.kdump" > "$WORK/o.txt" 2>&1
	check_eq "-d '$d': the dump is written" 0 $?
	check_grep "... with a warning naming the levels used" "warning: -d \"$d\" is not a list of numbers.*-d $levels\$" "$WORK/o.txt"
	check_eq "... at the level makedumpfile reads (atoi)" "${levels%%,*}" \
		"$(kdump_field "$WORK/d.kdump" "['sub_header']['dump_level']")"
done
rm -f "$WORK/t.kdump"
"$VMSIFT" --num-threads abc -l -d 1 "$core" "$WORK/t.kdump" > "$WORK/o.txt" 2>&1
check_eq "--num-threads abc: the dump is written" 0 $?
check_grep "... with a warning" "warning: --num-threads \"abc\" is not a number: using 0" "$WORK/o.txt"
rm -f "$WORK/t.kdump"
"$VMSIFT" --message-level abc -l -d 1 "$core" "$WORK/t.kdump" > "$WORK/o.txt" 2>&1
check_eq "--message-level abc: the dump is written" 0 $?
check_grep "... and the messages are not silenced" "The dumpfile is saved to" "$WORK/o.txt"

# -F with -R or --reassemble is refused, as makedumpfile does.
check_fails "-F --reassemble is refused" "$VMSIFT" -F --reassemble "$WORK/a" "$WORK/b" "$WORK/c"
check_fails "--check-params -F --reassemble is refused" "$VMSIFT" --check-params -F --reassemble a b c
check_fails "-F -R is refused" "$VMSIFT" --check-params -F -R out

check_fails "--dump-dmesg on a core without a printk ring buffer fails" "$VMSIFT" --dump-dmesg "$core" "$WORK/d.txt"
"$VMSIFT" --dump-dmesg "$core" "$WORK/d2.txt" > "$WORK/o.txt" 2>&1
check_grep "... naming what is missing" "SYMBOL\(prb\)" "$WORK/o.txt"

# Report and messages.
"$VMSIFT" -l -d 1 --show-stats --message-level 23 "$core" "$WORK/r.kdump" > "$WORK/report.txt" 2>&1
check_grep "report: original pages" "^Original pages  : 0x0000000000000160$" "$WORK/report.txt"
check_grep "report: zero pages" "Pages filled with zero  : 0x000000000000003e" "$WORK/report.txt"
check_grep "report: saved line" "The dumpfile is saved to .*r.kdump\." "$WORK/report.txt"
check_grep "report: completed line" "vmsift Completed\." "$WORK/report.txt"
ln -sf "$VMSIFT" "$WORK/makedumpfile"
"$WORK/makedumpfile" -d 1 "$core" "$WORK/r2.kdump" > "$WORK/o.txt" 2>&1
check_grep "installed as makedumpfile it says 'makedumpfile Completed.'" "makedumpfile Completed\." "$WORK/o.txt"
version=$("$VMSIFT" -v | sed -n 's/^vmsift: version \([^ ]*\).*/\1/p')
check "vmsift -v names its version" test -n "$version"
"$WORK/makedumpfile" -v > "$WORK/o.txt" 2>&1
check_grep "installed as makedumpfile, -v gives the makedumpfile release it stands in for" \
	"^makedumpfile: version 1\.7\.[0-9]+ compatible" "$WORK/o.txt"
check_grep "... and says it is vmsift $version" "vmsift $version" "$WORK/o.txt"
VMSIFT_PROGRESS=line "$VMSIFT" -d 1 --message-level 1 "$core" "$WORK/r3.kdump" 2> "$WORK/prog.txt"
check_grep "progress in line mode: one line per step" "^Copying data +: \[100\.0 %\]" "$WORK/prog.txt"
check "... without carriage returns" bash -c "! grep -q $'\r' '$WORK/prog.txt'"
check "-F sends messages to stderr, keeping stdout clean" bash -c "'$VMSIFT' -F -d 1 --message-level 31 '$core' 2>/dev/null | head -c 12 | grep -q makedumpfile"
check "--dry-run writes nothing" bash -c "'$VMSIFT' --dry-run -d 1 --message-level 0 '$core' '$WORK/dry.kdump' && test ! -e '$WORK/dry.kdump'"
check "-L limit: exits 1" bash -c "! '$VMSIFT' -L 40K -d 0 --message-level 0 '$core' '$WORK/lim.kdump'"
check_eq "... dump marked incomplete" 8 "$(( $(kdump_field "$WORK/lim.kdump" "['header']['status']") & 8 ))"
check "... and what it holds is still right" "$PY" "$TOOLS/compare_elf.py" --allow-lost "$core" "$WORK/lim.kdump"
finish
