#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --report FILE: the JSON parses; its page counts equal the text report's
# (--message-level 31) and the generator's truth; a dump that fails (no
# output directory, -L too small) still leaves a report that says it is
# incomplete and why; warnings are in it; -F to stdout works beside it.
. "$(dirname "$0")/../lib.sh"
[ -x "$MKVMCORE" ] || { skip "generated machines" "tests/gen/mkvmcore not built"; finish; }

core=$WORK/m.elf
"$MKVMCORE" --mem 128M --seed 3 --truth "$WORK/truth.txt" -o "$core" >/dev/null

# jq_ JSON EXPR: one value of the report (Python expression on d), printed by Python.
jq_() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# json_counts JSON -> excluded zero cache cache_private user free hwpoison offline, as report_counts
json_counts() {
	jq_ "$1" "' '.join(str(d['pages']['excluded'][k]) for k in
		('zero','cache','cache_private','user','free','hwpoison','offline')) + ' '"
}

# A complete dump.
"$VMSIFT" -l -d 31 --message-level 31 --report "$WORK/r.json" "$core" "$WORK/d.kdump" > "$WORK/text.txt" 2>&1
check_eq "-d 31 --report: exit 0" 0 $?
check "the report is JSON" "$PY" -m json.tool "$WORK/r.json"
check_eq "schema version 1" "vmsift-report 1" "$(jq_ "$WORK/r.json" "d['schema'], d['version']" | tr -d "(),'")"
check_eq "excluded pages equal the text report's" "$(report_counts "$WORK/text.txt")" "$(json_counts "$WORK/r.json")"
check_eq "... and the generator's truth" "$(truth_counts "$WORK/truth.txt" 31)" "$(json_counts "$WORK/r.json")"
remaining=$(awk -F: '/Remaining pages/ {gsub(/ /, "", $2); print $2}' "$WORK/text.txt")
check_eq "remaining pages equal the text report's" "$((remaining))" "$(jq_ "$WORK/r.json" "d['pages']['remaining']")"
wb=$(awk -F: '/Write bytes/ {gsub(/ /, "", $2); print $2}' "$WORK/text.txt")
check_eq "bytes_written equals the text report's" "$wb" "$(jq_ "$WORK/r.json" "d['output']['bytes_written']")"
check_eq "output_bytes is the file's size" "$(stat -c %s "$WORK/d.kdump")" "$(jq_ "$WORK/r.json" "d['output']['output_bytes']")"
check_eq "identity: release, machine, crash time, build-id" \
	"6.1.0-synthetic x86_64 True True" \
	"$(jq_ "$WORK/r.json" "d['dump']['release'], d['dump']['machine'], d['dump']['crash_time'] > 0, len(d['dump']['build_id'] or '') == 40" | tr -d "(),'")"
check_eq "options: levels, codec" "[31] lzo" "$(jq_ "$WORK/r.json" "d['options']['dump_levels'], d['options']['codec']" | tr -d "(),'" | sed 's/\[31\] /[31] /')"
check_eq "complete, exit 0, no error" "True [] None 0" \
	"$(jq_ "$WORK/r.json" "d['complete'], d['incomplete_reasons'], d['error'], d['exit_status']" | tr -d "(),'")"
check_eq "max_mapnr = present + holes" "True" \
	"$(jq_ "$WORK/r.json" "d['pages']['max_mapnr'] == d['pages']['present'] + d['pages']['holes']")"

# A warning (two codecs given) is in the report.
"$VMSIFT" -c -l -d 31 --message-level 0 --report "$WORK/w.json" "$core" "$WORK/w.kdump" >/dev/null 2>&1
check_eq "-c -l: exit 0" 0 $?
check_eq "... its warning is in the report" "True" \
	"$(jq_ "$WORK/w.json" "any(m['kind'] == 'warning' and 'more than one of -c' in m['text'] for m in d['messages'])")"
check_eq "... though --message-level 0 hid it; codec lzo" "lzo" "$(jq_ "$WORK/w.json" "d['options']['codec']")"

# The output directory is missing: no dump, but a report.
"$VMSIFT" -l -d 31 --message-level 0 --report "$WORK/nodir.json" "$core" "$WORK/no/such/dir/d.kdump" >/dev/null 2>&1
check_eq "missing output directory: exit 1" 1 $?
check_eq "... the report says incomplete, not started, exit 1" "False ['not_started'] os 1" \
	"$(jq_ "$WORK/nodir.json" "d['complete'], d['incomplete_reasons'], d['error']['code'], d['exit_status']" | tr -d "(),'" | sed "s/\[not_started\]/['not_started']/")"
check_eq "... and names the file" "True" "$(jq_ "$WORK/nodir.json" "'no/such/dir' in d['error']['message']")"
check_eq "... the error is among its messages" "True" \
	"$(jq_ "$WORK/nodir.json" "any(m['kind'] == 'error' for m in d['messages'])")"
check_eq "... identity still known" "6.1.0-synthetic" "$(jq_ "$WORK/nodir.json" "d['dump']['release']")"
check "... no temporary file left beside it" bash -c "! ls '$WORK'/nodir.json.* 2>/dev/null"

# -L too small: an incomplete dump, and the report says so.
"$VMSIFT" -l -d 1 -L 2M --message-level 7 --report "$WORK/lim.json" "$core" "$WORK/lim.kdump" > "$WORK/lim.txt" 2>&1
check_eq "-L 2M: exit 1" 1 $?
check_eq "... the report: incomplete by the size limit" "False size_limit nospace 1" \
	"$(jq_ "$WORK/lim.json" "d['complete'], d['incomplete_reasons'][0], d['error']['code'], d['exit_status']" | tr -d "(),'")"
check_eq "... output_bytes is the file's size" "$(stat -c %s "$WORK/lim.kdump")" "$(jq_ "$WORK/lim.json" "d['output']['output_bytes']")"
check_eq "... size_limit recorded" "2097152" "$(jq_ "$WORK/lim.json" "d['options']['size_limit']")"

# A truncated vmcore: the dump is written, but pages are lost.
cp "$core" "$WORK/trunc.elf"
truncate -s $(( $(stat -c %s "$core") - (8 << 20) )) "$WORK/trunc.elf"
"$VMSIFT" -l -d 1 --message-level 0 --report "$WORK/tr.json" "$WORK/trunc.elf" "$WORK/tr.kdump" >/dev/null 2>&1
check_eq "truncated vmcore: exit 1" 1 $?
check_eq "... the report: incomplete, truncated_input, pages lost, no error" "False ['truncated_input'] True None" \
	"$(jq_ "$WORK/tr.json" "d['complete'], d['incomplete_reasons'], d['pages']['lost'] > 0, d['error']" | tr -d "()," | sed "s/\[truncated_input\]/['truncated_input']/")"
check_eq "... its error message is in the report" "True" \
	"$(jq_ "$WORK/tr.json" "any(m['kind'] == 'error' and 'truncated' in m['text'] for m in d['messages'])")"

# --split: every piece listed, output_bytes their sum.
"$VMSIFT" --split -l -d 31 --message-level 0 --report "$WORK/sp.json" "$core" "$WORK/sp1" "$WORK/sp2" >/dev/null 2>&1
check_eq "--split --report: exit 0" 0 $?
check_eq "... both pieces listed, output_bytes their sum, threads 1" \
	"['$WORK/sp1', '$WORK/sp2'] $(( $(stat -c %s "$WORK/sp1") + $(stat -c %s "$WORK/sp2") )) 1" \
	"$(jq_ "$WORK/sp.json" "d['output']['paths'], d['output']['output_bytes'], d['options']['threads']" | sed 's/^(//; s/)$//; s/, \([0-9]\)/ \1/g')"

# -F: the dump on stdout, the report in its file.
"$VMSIFT" -F -l -d 31 --report "$WORK/f.json" "$core" > "$WORK/d.flat" 2>/dev/null
check_eq "-F --report FILE: exit 0" 0 $?
check "... the stream rebuilds with -R" bash -c "'$VMSIFT' -R '$WORK/f.kdump' < '$WORK/d.flat' >/dev/null 2>&1"
check "... into the same pages" "$PY" "$TOOLS/compare_elf.py" "$core" "$WORK/f.kdump"
check_eq "... the report: flattened, complete, counts as the truth" \
	"flattened-kdump True $(truth_counts "$WORK/truth.txt" 31)" \
	"$(jq_ "$WORK/f.json" "d['output']['format'], d['complete']" | tr -d "(),'") $(json_counts "$WORK/f.json")"
check_eq "... output_bytes is the stream's length" "$(stat -c %s "$WORK/d.flat")" "$(jq_ "$WORK/f.json" "d['output']['output_bytes']")"
check_fails "-F --report - is refused (stdout carries the dump)" "$VMSIFT" -F -d 31 --report - "$core"

# --report - without -F: the JSON on stdout.
"$VMSIFT" -l -d 31 --message-level 31 --report - "$core" "$WORK/s.kdump" > "$WORK/s.json" 2>"$WORK/s.err"
check "--report -: JSON on standard output, alone (messages on stderr)" "$PY" -m json.tool "$WORK/s.json"
check_grep "... the messages and the text report went to stderr" "Original pages" "$WORK/s.err"
check_fails "--report with --dump-dmesg is refused" "$VMSIFT" --dump-dmesg --report "$WORK/x.json" "$core" "$WORK/log"
finish
