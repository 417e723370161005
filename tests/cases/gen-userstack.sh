#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --keep-user-stack on generated machines (tests/gen --user-task): CPU 0 runs
# a user task, the other CPUs an idle task without an mm.  At -d 31 exactly
# the truth's user stack and ELF header pfns come back on top of the level's
# pages (not the mapped page below the saved sp, not the unmapped one), with
# 4- and 5-level page tables; the report counts them.  A task whose mm
# points nowhere is skipped with a warning, and a kernel layout without the
# keys is refused naming them.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }
ASAN=${VMSIFT_ASAN:-$ROOT/vmsift-asan}
[ -x "$ASAN" ] || ASAN=$VMSIFT

for v in "" "--kernel 6.12 --kaslr --l5"; do
	tag=${v:+6.12-kaslr-l5}; tag=${tag:-6.1}
	"$MKVMCORE" --mem 256M --seed 9 --cpus 4 --user-task $v --truth "$WORK/u.truth" -o "$WORK/u.elf" >/dev/null
	keep=$(grep -c '^# user_stack_pfn ' "$WORK/u.truth")
	"$ASAN" -f -l -d 31 --keep-user-stack --message-level 16 --report "$WORK/r.json" "$WORK/u.elf" "$WORK/u.kdump" \
		> "$WORK/rep.txt" 2>&1
	check_grep "$tag: one task, the truth's $keep pages found and kept" \
		"User stack pages : 0x0*$keep \(of 1 task\(s\) on the CPUs; 0x$keep kept" "$WORK/rep.txt"
	user=$(awk '/^# d31.user /{print $3}' "$WORK/u.truth")
	check_eq "$tag: 'User process data pages' is the truth's less those" "$((user - keep))" \
		"$(report_val "$WORK/rep.txt" "User process data")"
	check_eq "$tag: --report pages.user_stack" "1 $keep $keep" "$("$PY" -c 'import json,sys; u=json.load(open(sys.argv[1]))["pages"]["user_stack"]; print(u["tasks"], u["pages"], u["kept"])' "$WORK/r.json")"
	# the -d 31 pfns less the kept stack pfns, as "PFN 1" lines
	"$PY" -c '
import subprocess, sys
truth, tool = sys.argv[1], sys.argv[2]
keep = {int(l.split()[2]) for l in open(truth) if l.startswith("# user_stack_pfn ")}
for line in subprocess.run([sys.executable, tool, truth, "31"], capture_output=True, text=True, check=True).stdout.splitlines():
    s, n = (int(x, 0) for x in line.split())
    for p in range(s, s + n):
        if p not in keep:
            print(p, 1)' "$WORK/u.truth" "$TOOLS/truth_excluded.py" > "$WORK/excl.txt"
	check "$tag: exactly the -d 31 pfns less the stack and ELF header pfns are excluded; kept pages equal the source" \
		"$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/excl.txt" "$WORK/u.elf" "$WORK/u.kdump"
	"$VMSIFT" -f -l -d 0 --keep-user-stack --message-level 16 "$WORK/u.elf" "$WORK/d0.kdump" > "$WORK/rep0.txt" 2>&1
	check_grep "$tag -d 0: the pages are found, none needed keeping" "User stack pages : 0x0*$keep \(of 1 task\(s\) on the CPUs; 0x0 kept" "$WORK/rep0.txt"
done

"$MKVMCORE" --mem 256M --seed 9 --user-task --corrupt task-mm --truth "$WORK/c.truth" -o "$WORK/c.elf" >/dev/null
"$ASAN" -f -l -d 31 --keep-user-stack --message-level 31 "$WORK/c.elf" "$WORK/c.kdump" > "$WORK/crep.txt" 2>&1
check_eq "a task whose mm points into unmapped memory: the dump is still written" 0 $?
check_grep "... with a warning naming the CPU" "keep-user-stack skipped: CPU 0: " "$WORK/crep.txt"
check_grep "... and no task counted" "User stack pages : 0x0+ \(of 0 task" "$WORK/crep.txt"
"$PY" "$TOOLS/truth_excluded.py" "$WORK/c.truth" 31 > "$WORK/cexcl.txt"
check "... exactly the -d 31 pfns excluded" "$PY" "$TOOLS/compare_elf.py" --expect-excluded "$WORK/cexcl.txt" "$WORK/c.elf" "$WORK/c.kdump"

"$MKVMCORE" --mem 128M --seed 9 --user-task --drop-key "OFFSET(task_struct.mm)" -o "$WORK/n.elf" >/dev/null
check_fails "a layout without OFFSET(task_struct.mm) is refused" \
	"$VMSIFT" -f -l -d 31 --keep-user-stack "$WORK/n.elf" "$WORK/n.kdump"
check_grep "the refusal names the key and -x" "needs OFFSET\(task_struct.mm\).*-x VMLINUX" "$WORK/.log"
finish
