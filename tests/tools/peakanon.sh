#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# peakanon.sh OUTFILE CMD...: runs CMD, samples its RssAnon (heap, stack and
# other anonymous memory; mapped vmcore pages are file-backed and do not
# count) every 5 ms, writes the peak in KiB to OUTFILE, exits with CMD's status.
out=$1; shift
"$@" &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
	v=$(awk '/^RssAnon:/{print $2}' "/proc/$pid/status" 2>/dev/null)
	[ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
	sleep 0.005
done
wait "$pid"
rc=$?
echo "$peak" > "$out"
exit $rc
