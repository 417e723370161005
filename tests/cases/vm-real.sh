#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Real Debian kernels under QEMU (tests/vm): for each kernel, a QEMU ELF core
# and a real kdump cycle with vmsift running in the capture kernel on
# /proc/vmcore.  vmsift and the peer (makedumpfile for that kernel) must give
# the same report lines, the same kept pfns and the same bytes; libkdumpfile,
# drgn and crash must read vmsift's dumps; free and user page counts must
# agree with the guest's own counters; crash opens an incomplete dump.
# VMSIFT_NO_VM=1 skips this case; VMSIFT_NO_DBG=1 skips the debug vmlinux
# (crash sys/log/bt/kmem -i comparisons); VMSIFT_VM_KERNELS picks the suites.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/faults/lib.sh"
VM=$ROOT/tests/vm
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "real kernels under QEMU" "VMSIFT_NO_VM is set"; finish; }
SUITES=${VMSIFT_VM_KERNELS:-bookworm trixie}
dbg=--dbg; vmlinux=auto
[ -n "${VMSIFT_NO_DBG:-}" ] && { dbg=; vmlinux=; }

check "setup: the fault-injection shim builds" build_fault_tools || finish
check "setup: kernels, peers and tools cached ($SUITES)" "$VM/setup.sh" --no-install $dbg $SUITES || { finish; }

# crash_incomplete TAG VMCORE VMLINUX: the disk fills (ENOSPC injected by
# tests/faults' shim) during the -l -d 31 dump, at 95 % of it and right where
# the startup pages, written first, end; crash opens what was written, says it
# is incomplete, and with --zero_excluded runs sys and log.  (Written in pfn
# order, the 85 % cut of a bookworm dump already stopped crash: "cannot
# determine idle task addresses".)
crash_incomplete() {
	local tag=$1 core=$2 vml=$3 first at rc
	"$VMSIFT" -l -d 31 --dry-run --report "$WORK/first.json" "$core" "$WORK/first.kdump" >/dev/null 2>&1
	first=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['pages']['written_first_end'])" "$WORK/first.json")
	for at in $(( $(stat -c %s "$WORK/v31.kdump") * 95 / 100 )):"95% of the dump" "$first":"the end of the startup pages"; do
		crash_cut "$tag" "$core" "$vml" "${at%%:*}" "${at#*:}"
	done
}

crash_cut() {  # TAG VMCORE VMLINUX OFFSET WHERE
	local tag=$1 core=$2 vml=$3 at=$4 where=$5 rc
	rc=$(run_rc "$WORK/cut.log" faulty FAULT_OUT=cut.kdump FAULT_ENOSPC_AT=$at -- \
		"$VMSIFT" -l -d 31 "$core" "$WORK/cut.kdump")
	check_eq "$tag: ENOSPC at $where: exit 1" 1 "$rc"
	check_eq "... marked incomplete" 8 "$(status8 "$WORK/cut.kdump")"
	printf 'sys > %s\nlog > %s\nquit\n' "$WORK/sys.out" "$WORK/log.out" > "$WORK/crash.in"
	timeout 300 crash -s "$vml" "$WORK/cut.kdump" -i "$WORK/crash.in" </dev/null >"$WORK/crash1.log" 2>&1
	check_grep "... crash opens it and says it is incomplete" "This dumpfile is incomplete" "$WORK/crash1.log"
	rm -f "$WORK/sys.out" "$WORK/log.out"
	timeout 300 crash --zero_excluded -s "$vml" "$WORK/cut.kdump" -i "$WORK/crash.in" </dev/null >"$WORK/crash2.log" 2>&1
	touch "$WORK/sys.out" "$WORK/log.out"
	check_grep "... crash --zero_excluded: sys works, [INCOMPLETE]" "DUMPFILE: .*\[INCOMPLETE\]" "$WORK/sys.out" ||
		grep -E "^crash:|^WARNING" "$WORK/crash2.log" | head -5 | sed 's/^/# crash: /'
	check_grep "... RELEASE read from the dump" "RELEASE: $(basename "$(dirname "$vml")")" "$WORK/sys.out"
	check_grep "... log works" "drop_caches" "$WORK/log.out"
	rm -f "$WORK/cut.kdump" "$WORK/sys.out" "$WORK/log.out"
}

peer_compare() {  # TAG VMCORE
	local tag=$1 core=$2
	for d in 1 2 4 8 16 31; do
		"$VMSIFT" -f -l -d $d --message-level 16 "$core" "$WORK/v$d.kdump" > "$WORK/v$d.txt" 2>&1
		"$VM/peer.sh" "$core" "$WORK/p$d.kdump" -l -d $d --message-level 16 >/dev/null 2>&1
		check "$tag -d $d: per-type report lines equal the peer's" \
			diff <(categories "$WORK/v$d.txt") <(categories "$WORK/p$d.kdump.log")
		check "$tag -d $d: same kept pfns and page bytes as the peer" \
			"$PY" "$TOOLS/compare_dumps.py" "$WORK/v$d.kdump" "$WORK/p$d.kdump"
		rm -f "$WORK/p$d.kdump"
	done
	# Issue 15: on a healthy kernel the startup set and keep-when-unsure keep nothing the level drops.
	"$VMSIFT" -l -d 31 --dry-run --report "$WORK/r31.json" "$core" "$WORK/r31.kdump" >/dev/null 2>&1
	echo "# $tag -d 31: $("$PY" -c "import json,sys; p=json.load(open(sys.argv[1]))['pages']; print('startup set', p['startup_set'], 'pages; kept', p['kept'])" "$WORK/r31.json" 2>&1)"
	check "$tag -d 31: the startup set adds no page and no struct page is inconsistent" \
		"$PY" -c "import json,sys; p=json.load(open(sys.argv[1]))['pages']; sys.exit(0 if p['startup_set'] > 0 and not any(p['kept'].values()) else 1)" "$WORK/r31.json"
}

for suite in $SUITES; do
	out=$WORK/core-$suite
	check "$suite: QEMU core of a 1 GiB guest with a mixed workload (and QEMU's kdump-zlib file of it)" \
		"$VM/qemu-core.sh" --kdump kdump-zlib "$suite" "$out" || continue
	core=$out/vmcore.elf
	peer_compare "$suite core" "$core"
	check "$suite core: every kept page equals the source (libkdumpfile)" \
		"$PY" "$TOOLS/compare_elf.py" --clipped "$core" "$WORK/v31.kdump"
	# QEMU's own kdump-compressed file of the same memory, filtered again.
	"$VMSIFT" -f -l -d 31 --message-level 16 "$out/vmcore.kdump" "$WORK/q31.kdump" > "$WORK/q31.txt" 2>&1
	check "$suite QEMU kdump-zlib file: -d 31 keeps the pages and bytes -d 31 of the ELF core keeps" \
		"$PY" "$TOOLS/compare_dumps.py" "$WORK/q31.kdump" "$WORK/v31.kdump"
	check "$suite QEMU kdump-zlib file: the same per-type report lines" \
		diff <(categories "$WORK/q31.txt") <(categories "$WORK/v31.txt")
	"$VMSIFT" -F --dump-dmesg "$out/vmcore.kdump" > "$WORK/q.dmesg" 2>/dev/null
	"$VMSIFT" -F --dump-dmesg "$core" > "$WORK/c.dmesg" 2>/dev/null
	check "$suite QEMU kdump-zlib file: --dump-dmesg equals the ELF core's" \
		bash -c "grep -q . '$WORK/c.dmesg' && cmp '$WORK/q.dmesg' '$WORK/c.dmesg'"
	rm -f "$WORK/q31.kdump" "$out/vmcore.kdump"
	check "$suite core: libkdumpfile, drgn and crash read the dump like the vmcore" \
		"$VM/check-readers.sh" --ref "$core" "$WORK/v31.kdump" $vmlinux
	vml=$(ls "${VMSIFT_CACHE:-$HOME/.cache/vmsift}"/kernels/*/vmlinux 2>/dev/null | grep -m1 "/6\.1\." || true)
	if [ "$suite" = bookworm ] && [ -n "$vmlinux" ] && [ -n "$vml" ]; then
		"$VMSIFT" --split -l -d 31 --splitblock-size 65536 --message-level 0 "$core" "$WORK/s1" "$WORK/s2" "$WORK/s3"
		echo sys | timeout 120 crash -s "$vml" "$WORK/v31.kdump" 2>&1 | grep -v DUMPFILE > "$WORK/sys1"
		echo sys | timeout 120 crash -s "$vml" "$WORK/s1" "$WORK/s2" "$WORK/s3" 2>&1 | grep -v -E "DUMPFILE|\[PARTIAL DUMP\]" > "$WORK/sys3"
		check "$suite core: crash reads a --split set like the single dump (sys)" \
			bash -c "grep -q RELEASE '$WORK/sys1' && diff '$WORK/sys1' '$WORK/sys3'"
		rm -f "$WORK"/s[123]
		# crash reads a flattened file in place: no record may repeat a region.
		"$VMSIFT" -F -l -d 31 --message-level 0 "$core" > "$WORK/v31.flat"
		echo sys | timeout 120 crash -s "$vml" "$WORK/v31.flat" 2>&1 | grep -v DUMPFILE > "$WORK/sysf"
		check "$suite core: crash reads the -F stream in place like the dump (sys)" \
			bash -c "grep -q RELEASE '$WORK/sysf' && diff '$WORK/sys1' '$WORK/sysf'"
		rm -f "$WORK/v31.flat"
		crash_incomplete "$suite core" "$core" "$vml"
	fi
	truth=$out/ground-truth.txt
	near "$suite core: free pages vs the guest's nr_free_pages" \
		"$(report_val "$WORK/v31.txt" 'Free pages')" "$(vmstat "$truth" nr_free_pages)" 2
	near "$suite core: user pages vs the guest's nr_anon_pages" \
		"$(report_val "$WORK/v31.txt" 'User process')" "$(vmstat "$truth" nr_anon_pages)" 5
	rm -f "$WORK"/v*.kdump "$core" "$out/fixed.elf"

	kout=$WORK/kdump-$suite
	VMSIFT_DUMP_ARGS="-l -d 31" "$VM/kdump-cycle.sh" --save-vmcore "$suite" "$kout" "vmsift=$VMSIFT" \
		> "$WORK/cycle.log" 2>&1
	check "$suite kdump: vmsift ran in the capture kernel on /proc/vmcore (mmap and --non-mmap)" \
		grep -q . "$kout/vmsift.mmap.dump" "$kout/vmsift.nonmmap.dump"
	check "$suite kdump: both exited 0" bash -c "grep -q '^exit=0' '$kout/vmsift.mmap.stat' && grep -q '^exit=0' '$kout/vmsift.nonmmap.stat'"
	check "$suite kdump: mmap and --non-mmap dumps are identical" cmp "$kout/vmsift.mmap.dump" "$kout/vmsift.nonmmap.dump"
	check "$suite kdump: same pages and bytes as the peer's dump from the same capture" \
		"$PY" "$TOOLS/compare_dumps.py" "$kout/vmsift.mmap.dump" "$kout/peer.mmap.dump"
	check "$suite kdump: readers read it like the raw /proc/vmcore" \
		"$VM/check-readers.sh" --ref "$kout/vmcore.raw" "$kout/vmsift.mmap.dump" $vmlinux
	echo "# $suite capture-kernel peak RSS (KiB): vmsift $(awk -F= '/^maxrss_kb/{print $2}' "$kout/vmsift.mmap.stat"), peer $(awk -F= '/^maxrss_kb/{print $2}' "$kout/peer.mmap.stat"); peak RssAnon vmsift $(awk -F= '/^rss_anon_peak_kb/{print $2}' "$kout/vmsift.mmap.stat"), peer $(awk -F= '/^rss_anon_peak_kb/{print $2}' "$kout/peer.mmap.stat")"
	anon=$(awk -F= '/^rss_anon_peak_kb/{print $2}' "$kout/vmsift.mmap.stat")
	check "$suite kdump: vmsift's sampled peak RssAnon in the capture kernel (${anon:-?} KiB) is above 0 and under 32 MiB" \
		test "${anon:-0}" -gt 0 -a "${anon:-0}" -lt 32768
	peer_compare "$suite kdump vmcore" "$kout/vmcore.raw"
	"$VMSIFT" -F --dump-dmesg "$kout/vmcore.raw" > "$WORK/v.dmesg" 2>/dev/null
	check_grep "$suite kdump: --dump-dmesg extracts the kernel log" "^\[ +0\.000000\] Linux version" "$WORK/v.dmesg"
	if [ "$suite" = bookworm ]; then  # the 6.1 peer, 1.7.2, prints no caller ids (1.7.5+ do)
		makedumpfile -F --dump-dmesg "$kout/vmcore.raw" > "$WORK/p.dmesg.out" 2>/dev/null
		check "$suite kdump: --dump-dmesg output is identical to makedumpfile's" cmp "$WORK/v.dmesg" "$WORK/p.dmesg.out"
	fi
	rm -rf "$kout"
	if [ "$suite" = bookworm ]; then
		# Small capture kernels, down to the issue's 96M (the Debian 6.1 capture
		# kernel then has ~8 MB free with both dumpers in its initramfs; at 88M it
		# runs out of memory unpacking even a one-dumper image, so no dumper runs).
		# So close to the limit the capture kernel may, rarely, not get as far as
		# running any dumper (one of 8 cycles at 96M today): that is retried once
		# and then skipped with the kernel's last words; the check below holds
		# whenever the peer ran.
		for ck in 128M 96M; do
			small=$WORK/kdump-$ck
			for try in 1 2; do
				VMSIFT_DUMP_ARGS="-l -d 31" "$VM/kdump-cycle.sh" --crashkernel $ck "$suite" "$small" \
					"vmsift=$VMSIFT" > "$WORK/cycle-$ck.log" 2>&1 || true
				[ -e "$small/peer.mmap.stat" ] && break
				echo "# crashkernel=$ck, try $try: no dumper ran: $(grep -h 'Kernel panic' "$small/console.log" 2>/dev/null | tail -1)"
			done
			if [ ! -e "$small/peer.mmap.stat" ]; then
				skip "$suite kdump with crashkernel=$ck" "the capture kernel ran no dumper in two tries"
				rm -rf "$small"
				continue
			fi
			check "$suite kdump with crashkernel=$ck: vmsift succeeds where the peer does" \
				bash -c "grep -q '^exit=0' '$small/peer.mmap.stat' && grep -q '^exit=0' '$small/vmsift.mmap.stat' && grep -q '^exit=0' '$small/vmsift.nonmmap.stat'"
			check "$suite kdump with crashkernel=$ck: same dump with mmap and --non-mmap" \
				cmp "$small/vmsift.mmap.dump" "$small/vmsift.nonmmap.dump"
			echo "# crashkernel=$ck: $(grep -h MemFree "$small/capture.txt"); peak RSS vmsift $(awk -F= '/^maxrss_kb/{print $2}' "$small/vmsift.mmap.stat") KiB, peer $(awk -F= '/^maxrss_kb/{print $2}' "$small/peer.mmap.stat") KiB"
			rm -rf "$small"
		done
	fi
done
finish
