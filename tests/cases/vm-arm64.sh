#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's own arm64 kernels under qemu-system-aarch64 (TCG), filtered by the
# x86_64 vmsift and by an aarch64 vmsift (qemu-user here, natively in the
# guest's capture kernel).  Four layouts:
#   arm64-6.1  on cortex-a57: 4K pages, 48-bit VA, 4 levels
#   arm64-6.12 on cortex-a57: a 52-bit build running 48-bit, PHYS_OFFSET negative
#   arm64-6.12 on max:        52-bit VA with LPA2, 5 levels
#   arm64-16k  on max:        16K pages, 52-bit VA with LPA2
# References: makedumpfile 1.7.2 (arm64, under qemu-user) where it can read
# the kernel (6.1); everywhere the guest's own counters, and libkdumpfile,
# which translates the kernel's addresses through the dump by itself.
# VMSIFT_NO_VM=1 or VMSIFT_NO_ARM64=1 skips this case; VMSIFT_ARM64_LAYOUTS
# picks layouts (e.g. "arm64-6.1:cortex-a57").
. "$(dirname "$0")/../lib.sh"
VM=$ROOT/tests/vm
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "arm64 kernels under QEMU" "VMSIFT_NO_VM is set"; finish; }
[ -n "${VMSIFT_NO_ARM64:-}" ] && { skip "arm64 kernels under QEMU" "VMSIFT_NO_ARM64 is set"; finish; }
LAYOUTS=${VMSIFT_ARM64_LAYOUTS:-arm64-6.1:cortex-a57 arm64-6.12:cortex-a57 arm64-6.12:max arm64-16k:max}

check "arm64 setup: kernels, userland, peer and sysroot cached" "$VM/setup-arm64.sh" --no-install || finish
AVMSIFT=$WORK/vmsift-aarch64
check "vmsift cross-built for aarch64" "$VM/build-aarch64.sh" "$AVMSIFT" || finish

release_of() { grep -a -m1 -o 'OSRELEASE=[^[:space:]]*' "$1" | cut -d= -f2; }

# levels TAG CORE PEER(0/1): every level; the peer side by side where it works.
levels() {
	local tag=$1 core=$2 peer=$3 d
	for d in 1 2 4 8 16 31; do
		check "$tag -d $d: vmsift filters it" \
			"$VMSIFT" -f -l -d $d --message-level 16 "$core" "$WORK/v$d.kdump"
		"$VMSIFT" -f -l -d $d --message-level 16 "$core" "$WORK/v$d.kdump" > "$WORK/v$d.txt" 2>&1
		[ "$peer" = 1 ] || continue
		"$VM/peer.sh" "$core" "$WORK/p$d.kdump" -l -d $d --message-level 16 >/dev/null 2>&1
		check "$tag -d $d: per-type report lines equal the peer's" \
			diff <(categories "$WORK/v$d.txt") <(categories "$WORK/p$d.kdump.log")
		check "$tag -d $d: same kept pfns and page bytes as the peer" \
			"$PY" "$TOOLS/compare_dumps.py" "$WORK/v$d.kdump" "$WORK/p$d.kdump"
		rm -f "$WORK/p$d.kdump"
	done
}

for layout in $LAYOUTS; do
	kernel=${layout%%:*} cpu=${layout#*:}
	tag="$kernel/$cpu"
	out=$WORK/core-$kernel-$cpu
	kd=()
	[ "$kernel" = arm64-6.1 ] && kd=(--kdump kdump-zlib)  # QEMU's own kdump file too (64 KiB blocks)
	VMSIFT_ARM_CPU=$cpu check "$tag: QEMU core of a 1 GiB guest with a mixed workload" \
		"$VM/qemu-core.sh" "${kd[@]}" "$kernel" "$out" || continue
	core=$out/vmcore.elf truth=$out/ground-truth.txt
	rel=$(release_of "$core")
	peer=0
	[ "$kernel" = arm64-6.1 ] && peer=1
	levels "$tag core" "$core" $peer
	check "$tag core: every kept page equals the source (libkdumpfile)" \
		"$PY" "$TOOLS/compare_elf.py" --clipped "$core" "$WORK/v31.kdump"
	if [ -f "$out/vmcore.kdump" ]; then
		# QEMU writes 64 KiB blocks of 4 KiB pages and an empty utsname for aarch64 guests.
		"$VMSIFT" -f -l -d 31 --message-level 16 "$out/vmcore.kdump" "$WORK/q31.kdump" > "$WORK/q31.txt" 2>&1
		check "$tag QEMU kdump-zlib file: -d 31 keeps the pages and bytes -d 31 of the ELF core keeps" \
			"$PY" "$TOOLS/compare_dumps.py" "$WORK/q31.kdump" "$WORK/v31.kdump"
		check "$tag QEMU kdump-zlib file: the same per-type report lines" \
			diff <(categories "$WORK/q31.txt") <(categories "$WORK/v31.txt")
		rm -f "$WORK/q31.kdump" "$out/vmcore.kdump"
	fi
	check_eq "$tag core: libkdumpfile reads init_uts_ns through the -d 31 dump" "$rel" \
		"$("$PY" "$VM/read-release.py" libkdumpfile "$WORK/v31.kdump" 2>&1)"
	near "$tag core: user pages vs the guest's nr_anon_pages" \
		"$(report_val "$WORK/v31.txt" 'User process')" "$(vmstat "$truth" nr_anon_pages)" 1
	# arm64 VMCOREINFO has no node_data: the zones' counters are found through
	# the dump's kallsyms, which has data symbols on 6.12 (KALLSYMS_ALL) only.
	"$VMSIFT" -f -l -d 31 -D "$core" "$WORK/d.kdump" > "$WORK/d31.txt" 2>&1
	# Free pages against the kernel's own count: on 6.12 the zones' NR_FREE_PAGES in
	# the dump, exactly; on 6.1 (no way to them) the guest's nr_free_pages printed
	# before the dump.  On 6.12 that printed value lags the dump: since Linux 6.7 the
	# per-CPU lists' high marks are tuned at run time and what they give back reaches
	# the buddy allocator seconds later (16K pages: 24901 vs 24637 and 27621 vs 25491
	# in two runs, while the zones' counters in the same dumps agreed with vmsift).
	if [ "$kernel" = arm64-6.1 ]; then
		near "$tag core: free pages vs the guest's nr_free_pages" \
			"$(report_val "$WORK/v31.txt" 'Free pages')" "$(vmstat "$truth" nr_free_pages)" 1
		check_grep "$tag core: the free-page self-check says why it cannot run (no node_data in kallsyms)" \
			"free pages: not cross-checked: .*kallsyms has no symbol node_data" "$WORK/d31.txt"
		# The same gap stops --config without -x: the BTF is found through kallsyms.
		printf 'erase runqueues.nr_running\n' > "$WORK/percpu.conf"
		check_fails "$tag core: --config without -x refused (kallsyms without data symbols)" \
			"$VMSIFT" -f -l -d 31 --config "$WORK/percpu.conf" "$core" "$WORK/c.kdump"
		check_grep "... saying why" "kallsyms has no __start_BTF: it holds no data symbols at all .the kernel was built without CONFIG_KALLSYMS_ALL.; give -x VMLINUX" "$WORK/.log"
	else
		check_grep "$tag core: free pages agree with the zones' NR_FREE_PAGES (node_data from kallsyms)" \
			"free pages: ([0-9]+) in struct pages, \\1 in NR_FREE_PAGES" "$WORK/d31.txt"
	fi
	# Issue 15: on a healthy kernel the startup set keeps nothing the level drops.
	echo "# $tag -d 31: $(grep -o 'startup set: .*' "$WORK/d31.txt" | head -1)"
	check "$tag core -d 31: the startup set adds no page" \
		bash -c 'grep -q "startup set: [1-9]" "$1" && ! grep -q "Kept (startup set" "$2"' _ "$WORK/d31.txt" "$WORK/v31.txt"
	for c in -l -c; do
		"$VM/run-aarch64.sh" "$AVMSIFT" -f $c -d 31 --message-level 0 "$core" "$WORK/a.kdump"
		"$VMSIFT" -f $c -d 31 --message-level 0 "$core" "$WORK/x.kdump"
		check "$tag core: the aarch64 vmsift (qemu-user) writes the same $c -d 31 dump as the x86_64 one" \
			cmp "$WORK/a.kdump" "$WORK/x.kdump"
	done
	"$VMSIFT" -f -l -d 31 --num-threads 2 --message-level 0 "$core" "$WORK/t.kdump"
	check "$tag core: --num-threads 2 writes the same file" cmp "$WORK/t.kdump" "$WORK/v31.kdump"
	"$VMSIFT" -F -l -d 31 --message-level 0 "$core" | "$VMSIFT" -R "$WORK/r.kdump" --message-level 0
	check "$tag core: -F | -R rebuilds the same file" cmp "$WORK/r.kdump" "$WORK/v31.kdump"
	"$VMSIFT" -f -E -d 31 --message-level 0 "$core" "$WORK/e.elf"
	check "$tag core: -E: every page in the ELF dump equals the source" \
		"$PY" "$TOOLS/compare_elf_out.py" "$WORK/e.elf" "$core"
	"$VMSIFT" -F --dump-dmesg "$core" > "$WORK/dmesg" 2>/dev/null
	# The ring may have wrapped past the boot banner (6.12); the workload's
	# drop_caches is the last thing the kernel logs before the dump.
	check_grep "$tag core: --dump-dmesg ends with the workload's last kernel message" \
		"drop_caches: 3" <(tail -3 "$WORK/dmesg")
	if [ "$peer" = 1 ]; then
		"$VM/peer.sh" "$core" "$WORK/p.dmesg" --dump-dmesg >/dev/null 2>&1
		check "$tag core: --dump-dmesg output is identical to the arm64 makedumpfile's" \
			cmp "$WORK/dmesg" "$WORK/p.dmesg"
	fi
	rm -f "$WORK"/*.kdump "$WORK/e.elf" "$core"

	kout=$WORK/kdump-$kernel-$cpu
	VMSIFT_ARM_CPU=$cpu VMSIFT_DUMP_ARGS="-l -d 31" "$VM/kdump-cycle.sh" --save-vmcore "$kernel" "$kout" \
		"vmsift=$AVMSIFT" > "$WORK/cycle.log" 2>&1
	check "$tag kdump: the aarch64 vmsift ran on /proc/vmcore and exited 0 (mmap and --non-mmap)" \
		bash -c "grep -q '^exit=0' '$kout/vmsift.mmap.stat' && grep -q '^exit=0' '$kout/vmsift.nonmmap.stat'"
	check "$tag kdump: mmap and --non-mmap dumps are identical" cmp "$kout/vmsift.mmap.dump" "$kout/vmsift.nonmmap.dump"
	check "$tag kdump: every kept page equals the raw /proc/vmcore" \
		"$PY" "$TOOLS/compare_elf.py" --clipped "$kout/vmcore.raw" "$kout/vmsift.mmap.dump"
	check_eq "$tag kdump: libkdumpfile reads init_uts_ns through the dump" "$rel" \
		"$("$PY" "$VM/read-release.py" libkdumpfile "$kout/vmsift.mmap.dump" 2>&1)"
	if [ $peer = 1 ]; then
		check "$tag kdump: same pages and bytes as the peer's dump from the same capture" \
			"$PY" "$TOOLS/compare_dumps.py" "$kout/vmsift.mmap.dump" "$kout/peer.mmap.dump"
	fi
	"$VMSIFT" -f -l -d 31 --message-level 0 "$kout/vmcore.raw" "$WORK/x.kdump"
	check "$tag kdump: the x86_64 vmsift writes the same dump from the saved /proc/vmcore" \
		cmp "$WORK/x.kdump" "$kout/vmsift.mmap.dump"
	echo "# $tag capture kernel: vmsift $(awk -F= '/^wall_s/{print $2}' "$kout/vmsift.mmap.stat") s, peak RSS $(awk -F= '/^maxrss_kb/{print $2}' "$kout/vmsift.mmap.stat") KiB; peer exit $(awk -F= '/^exit/{print $2}' "$kout/peer.mmap.stat" 2>/dev/null)"
	rm -rf "$kout" "$WORK/x.kdump"
done
finish
