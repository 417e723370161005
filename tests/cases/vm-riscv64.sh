#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# trixie's riscv64 kernel (6.12, Sv57 on QEMU's rv64 CPU) under
# qemu-system-riscv64 -machine virt (TCG, OpenSBI), one boot into a busybox
# initramfs that prints its /proc/vmstat; QMP dump-guest-memory saves its
# memory.  The virt machine has no vmcoreinfo device, so the core has no
# VMCOREINFO note: vmsift recovers the kernel's text from memory.  Checked
# at -d 1,2,4,8,16,31: trixie's makedumpfile 1.7.6 (qemu-user) keeps exactly
# the same pfns at -d 1; at the other levels it reads no struct page (its
# vmemmap walk is broken), so vmsift must keep a subset of its pages, and
# the free and page-cache pages vmsift leaves out match the guest's own
# nr_free_pages / nr_file_pages within 1 %.  libkdumpfile reads the
# recovered VMCOREINFO back from the dump written.  A riscv64 vmsift
# (tests/vm/build-riscv64.sh, run under qemu-user) writes byte-identical
# files from the same core.
# VMSIFT_NO_VM=1 or VMSIFT_NO_RISCV64=1 skips this case.
# VMSIFT_RISCV64_KDUMP=1 adds a real kdump cycle (opt-in: ~3.5 min under TCG
# at load 8): kexec-tools cross-built (setup-riscv64-kdump.sh), kexec -p,
# sysrq-c, the riscv64 vmsift on /proc/vmcore at -d 1.  kexec-tools 2.0.32
# leaves /proc/iomem's "Reserved" ranges out of /proc/vmcore, and with them
# mem_section and early page tables: -d 31 cannot be done there (vmsift
# exits 1 naming the missing table; makedumpfile 1.7.6 fails at any level).
. "$(dirname "$0")/../lib.sh"
VM=$ROOT/tests/vm
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "riscv64 kernel under QEMU" "VMSIFT_NO_VM is set"; finish; }
[ -n "${VMSIFT_NO_RISCV64:-}" ] && { skip "riscv64 kernel under QEMU" "VMSIFT_NO_RISCV64 is set"; finish; }
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
T0=$SECONDS

check "riscv64 setup: kernel, userland and peer cached" "$VM/setup-riscv64.sh" --no-install || finish
kver=$(cat "$CACHE/kernels/riscv64-trixie.kver")
image=$CACHE/kernels/$kver/boot/vmlinux-$kver   # Debian ships the (EFI-stub) Image under this name
rvroot=$CACHE/riscv64/root

# The initramfs: static busybox and an /init that reports and idles.
mkdir -p "$WORK/ir/bin"
cp "$rvroot/usr/bin/busybox" "$WORK/ir/bin/busybox"
cat > "$WORK/ir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc
/bin/busybox mount -t proc proc /proc
# Before each sample: a process that exits on each hart (exit_mmap drains
# that CPU's batch of pages not yet on an LRU list, which struct page shows
# without PG_lru: 12 and 24 page-cache pages were missed that way), and the
# per-CPU counter deltas folded (stat_refresh).
while :; do
	for c in 0 1; do /bin/busybox taskset -c $c /bin/busybox true; done
	echo 1 > /proc/sys/vm/stat_refresh
	echo VMSIFT-STATS-BEGIN
	/bin/busybox cat /proc/vmstat
	echo VMSIFT-STATS-END
	echo VMSIFT-READY
	/bin/busybox sleep 2
done
INIT
chmod +x "$WORK/ir/init"
(cd "$WORK/ir" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$WORK/initrd.gz"

# One boot: 512 MiB, 2 harts; every step has a deadline.
log=$WORK/console.log qmp=$WORK/qmp.sock
qemu-system-riscv64 -machine virt -accel tcg -smp 2 -m 512 -display none -no-reboot -monitor none \
	-serial "file:$log" -qmp "unix:$qmp,server=on,wait=off" -bios default \
	-kernel "$image" -initrd "$WORK/initrd.gz" -append "console=ttyS0 panic=-1" \
	</dev/null >"$WORK/qemu.log" 2>&1 &
qpid=$!
booted=0
for _ in $(seq 1 600); do
	grep -aq VMSIFT-READY "$log" 2>/dev/null && { booted=1; break; }
	kill -0 $qpid 2>/dev/null || break
	sleep 0.5
done
check "the guest boots to its initramfs (${SECONDS}s since start)" test $booted = 1
core=$WORK/vmcore.elf
if [ $booted = 1 ]; then
	timeout 300 "$PY" "$VM/qmp.py" --timeout 300 "$qmp" '{"execute": "stop"}' \
		"{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$core\"}}" >/dev/null
fi
timeout 20 "$PY" "$VM/qmp.py" --timeout 10 "$qmp" '{"execute": "quit"}' >/dev/null 2>&1
sleep 1; kill $qpid 2>/dev/null; wait $qpid 2>/dev/null
[ -s "$core" ] || { check "QMP dump-guest-memory wrote a core" false; finish; }
echo "# boot and dump: $((SECONDS - T0)) s"
# The guest's counters as last printed before QMP stopped it (every 2 s: the
# page cache moved by ~25 pages between boot and the stop when it was printed
# once, more than the 1 % compared).
tr -d '\r' < "$log" | awk '/VMSIFT-STATS-BEGIN/ { buf = ""; inb = 1; next }
	/VMSIFT-STATS-END/ { if (inb) last = buf; inb = 0; next }
	inb { buf = buf $0 "\n" }
	END { printf "%s", last }' > "$WORK/vmstat.txt"

"$VMSIFT" -f -l -d 31 --message-level 31 "$core" "$WORK/v31.kdump" > "$WORK/v31.txt" 2>&1
check_grep "no VMCOREINFO note: the kernel's text is recovered from memory" \
	"using the kernel's own VMCOREINFO \([^)]*riscv64\), recovered from its memory at physical address 0x[0-9a-f]+" "$WORK/v31.txt"
check_grep "... a Sv57 kernel" "NUMBER\(VA_BITS\)=57" "$WORK/v31.txt"
check "libkdumpfile reads the recovered VMCOREINFO from the dump written" "$PY" -c "
import kdumpfile, sys
k = kdumpfile.kdumpfile(sys.argv[1])
assert k.attr['linux.uts.release'] == sys.argv[2], k.attr['linux.uts.release']
" "$WORK/v31.kdump" "$kver"
free=$(report_val "$WORK/v31.txt" "Free pages") cache=$(report_val "$WORK/v31.txt" "Non-private cache")
near "-d 31: free pages left out within 1 % of the guest's nr_free_pages" "$free" "$(vmstat "$WORK/vmstat.txt" nr_free_pages)" 1
near "-d 31: page-cache pages left out within 1 % of the guest's nr_file_pages" "$cache" "$(vmstat "$WORK/vmstat.txt" nr_file_pages)" 1

# The peer: makedumpfile 1.7.6 under qemu-user, given the recovered text (-i)
# and a copy with the program headers at 64 (QEMU 7.2 puts them at 192).
"$VMSIFT" -g "$WORK/vi.txt" "$core" >/dev/null 2>&1
"$VM/fix-phoff" "$core" "$WORK/fixed.elf" >/dev/null
for d in 1 2 4 8 16 31; do
	"$VMSIFT" -f -l -d $d --message-level 0 "$core" "$WORK/v.kdump"
	rm -f "$WORK/m.kdump"
	timeout 300 "$CACHE/peers/riscv64/run" -l -d $d -i "$WORK/vi.txt" "$WORK/fixed.elf" "$WORK/m.kdump" >/dev/null 2>&1
	"$PY" "$TOOLS/compare_dumps.py" "$WORK/v.kdump" "$WORK/m.kdump" > "$WORK/cmp.txt" 2>&1
	if [ $d = 1 ]; then
		check "-d 1: the same pfns and bytes as makedumpfile 1.7.6" grep -q ' 0 differ, 0 only-in-A, 0 only-in-B' "$WORK/cmp.txt"
	else
		check "-d $d: every page vmsift keeps, makedumpfile 1.7.6 keeps too, with the same bytes" \
			grep -q ' 0 differ, 0 only-in-A,' "$WORK/cmp.txt"
	fi
done
# The native-arch vmsift, cross-built and run under qemu-user, writes the
# same bytes as this x86_64 one from the same core.
RVSIFT=$WORK/vmsift-riscv64
if check "vmsift cross-built for riscv64" "$VM/build-riscv64.sh" "$RVSIFT"; then
	for d in 1 31; do
		"$VMSIFT" -f -l -d $d --message-level 0 "$core" "$WORK/x.kdump"
		check "-d $d: the riscv64 vmsift (qemu-user) writes a byte-identical file" bash -c \
			"qemu-riscv64-static -L '$rvroot' '$RVSIFT' -f -l -d $d --message-level 0 '$core' '$WORK/n.kdump' &&
			 cmp '$WORK/x.kdump' '$WORK/n.kdump'"
	done
fi

kdump_cycle() {
	local kout=$WORK/kdump tk zero kept
	tk=$SECONDS
	check "kdump: kexec-tools cross-built for riscv64" "$VM/setup-riscv64-kdump.sh" || return
	[ -x "$RVSIFT" ] || return
	VMSIFT_DUMP_ARGS="-l -d 1 --message-level 31" timeout 900 "$VM/kdump-cycle.sh" --save-vmcore \
		--crashkernel 256M riscv64-trixie "$kout" "vmsift=$RVSIFT" > "$WORK/cycle.log" 2>&1
	echo "# kdump cycle: $((SECONDS - tk)) s ($(grep -o 't_capture_done_s=.*' "$kout/info.txt" 2>/dev/null))"
	check "kdump: the riscv64 vmsift ran on /proc/vmcore at -d 1 and exited 0 (mmap and --non-mmap)" \
		bash -c "grep -q '^exit=0' '$kout/vmsift.mmap.stat' && grep -q '^exit=0' '$kout/vmsift.nonmmap.stat'" ||
		{ tail -30 "$WORK/cycle.log"; return; }
	check "kdump: mmap and --non-mmap dumps are identical" cmp "$kout/vmsift.mmap.dump" "$kout/vmsift.nonmmap.dump"
	check "kdump: every kept page equals the raw /proc/vmcore" \
		"$PY" "$TOOLS/compare_elf.py" --clipped "$kout/vmcore.raw" "$kout/vmsift.mmap.dump"
	check "kdump: the x86_64 vmsift writes the same bytes from the saved /proc/vmcore" bash -c \
		"'$VMSIFT' -f -l -d 1 --message-level 0 '$kout/vmcore.raw' '$WORK/kx.kdump' && cmp '$WORK/kx.kdump' '$kout/vmsift.mmap.dump'"
	zero=$(sed -n 's/.*ANON READY.* zero_pages=\([0-9]*\).*/\1/p' "$kout/ground-truth.txt")
	kept=$(report_val "$kout/vmsift.mmap.log" "Pages filled with zero")
	check "kdump: zero pages left out ($kept) cover the workload's ${zero:-?} zero-filled pages" \
		test "${kept:-0}" -ge "${zero:-1}"
	"$VMSIFT" -f -l -d 31 "$kout/vmcore.raw" "$WORK/k31.kdump" > "$WORK/k31.txt" 2>&1
	check_grep "kdump: -d 31 on /proc/vmcore without kexec-tools' \"Reserved\" ranges: exit 1 naming the missing page table" \
		"level [0-9] table at physical 0x[0-9a-f]+ is outside the dump's memory" "$WORK/k31.txt"
	grep -q "Can't get the address of mem_section" "$kout/peer.mmap.log" 2>/dev/null &&
		echo "# makedumpfile 1.7.6 on the same /proc/vmcore: cannot read mem_section (as expected)"
}
if [ "${VMSIFT_RISCV64_KDUMP:-0}" = 1 ]; then
	kdump_cycle
else
	skip "riscv64 kdump cycle" "opt-in: VMSIFT_RISCV64_KDUMP=1"
fi
echo "# riscv64 case: $((SECONDS - T0)) s"
finish
