#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian 12's s390x kernel (6.1) under qemu-system-s390x (TCG, s390-ccw-virtio),
# one boot into a busybox initramfs that reports the guest's own counters, one
# QMP dump-guest-memory core.  QEMU's s390x core has no VMCOREINFO note: vmsift
# recovers the text from the guest's memory.  Checks: every level filters; the
# free pages excluded at -d 16 equal the guest's nr_free_pages (within 1 %);
# libkdumpfile reads the big-endian output and translates init_uts_ns by its
# own s390x walker; the s390x-built vmsift (qemu-user) writes the same file.
# makedumpfile 1.7.2 (s390x, qemu-user) cannot open QEMU's s390x cores ("Can't
# get the number of PT_LOAD"), so it is no reference here (gen-s390x.sh
# compares with it on generated cores).  VMSIFT_NO_VM=1 or VMSIFT_NO_S390X=1
# skips this case.
# No kdump cycle: this kernel is built without CONFIG_CRASH_DUMP, so it
# reserves no crashkernel= and has no /proc/vmcore (tests/vm/README.md); the
# first check below fails when a kernel that has it is cached.
. "$(dirname "$0")/../lib.sh"
VM=$ROOT/tests/vm
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "s390x kernel under QEMU" "VMSIFT_NO_VM is set"; finish; }
[ -n "${VMSIFT_NO_S390X:-}" ] && { skip "s390x kernel under QEMU" "VMSIFT_NO_S390X is set"; finish; }
command -v qemu-system-s390x >/dev/null || { skip "s390x kernel under QEMU" "no qemu-system-s390x (qemu-system-misc)"; finish; }
kver=$(cat "$CACHE/kernels/s390x-6.1.kver" 2>/dev/null || true)
kernel=$CACHE/kernels/$kver/boot/vmlinuz-$kver
busybox=$CACHE/s390x/root/bin/busybox
[ -n "$kver" ] && [ -f "$kernel" ] && [ -x "$busybox" ] ||
	{ skip "s390x kernel under QEMU" "no cached s390x kernel or busybox (tests/vm/setup-s390x.sh)"; finish; }
T0=$SECONDS
check "no kdump cycle possible: $kver is built without CONFIG_CRASH_DUMP" \
	grep -qx '# CONFIG_CRASH_DUMP is not set' "$CACHE/kernels/$kver/boot/config-$kver"

# The initramfs: counters between markers, then idle until the dump.
ir=$WORK/ir
mkdir -p "$ir/bin" "$ir/proc" "$ir/sys" "$ir/dev" "$ir/tmp"
cp "$busybox" "$ir/bin/busybox"
ln -sf busybox "$ir/bin/sh"
cat > "$ir/init" <<'INIT'
#!/bin/sh
b=/bin/busybox
$b mount -t proc proc /proc
$b mount -t sysfs sys /sys
$b mount -t tmpfs tmp /tmp
$b dd if=/dev/urandom of=/tmp/cache bs=1M count=16 2>/dev/null
$b sync
echo 3 > /proc/sys/vm/drop_caches
echo "=== BEGIN GROUND TRUTH ==="
$b cat /proc/vmstat
echo "=== END GROUND TRUTH ==="
echo VMSIFT-READY
while true; do $b sleep 1000; done
INIT
chmod +x "$ir/init"
(cd "$ir" && find . | cpio -o -H newc 2>/dev/null | gzip) > "$WORK/ir.cpio.gz"

qemu-system-s390x -machine s390-ccw-virtio -cpu max -m 1024 -smp 1 -nographic -no-reboot \
	-kernel "$kernel" -initrd "$WORK/ir.cpio.gz" -append "console=ttysclp0 panic=5" \
	-qmp "unix:$WORK/qmp.sock,server,nowait" > "$WORK/console.log" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null' EXIT
for ((i = 0; i < 300; i++)); do
	grep -q VMSIFT-READY "$WORK/console.log" 2>/dev/null && break
	kill -0 $qpid 2>/dev/null || break
	sleep 1
done
check "the guest booted ($kver) in $((SECONDS - T0)) s" grep -q VMSIFT-READY "$WORK/console.log" || finish
sed -n '/=== BEGIN GROUND TRUTH ===/,/=== END GROUND TRUTH ===/p' "$WORK/console.log" | tr -d '\r' > "$WORK/truth.txt"
core=$WORK/vmcore.elf
timeout 300 "$PY" "$VM/qmp.py" --timeout 280 "$WORK/qmp.sock" '{"execute": "stop"}' \
	"{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$core\"}}" > "$WORK/qmp.out"
timeout 30 "$PY" "$VM/qmp.py" --timeout 20 "$WORK/qmp.sock" '{"execute": "quit"}' >/dev/null 2>&1 || true
wait $qpid 2>/dev/null
trap - EXIT
check "QMP dump-guest-memory wrote a big-endian s390x core ($((SECONDS - T0)) s)" \
	test "$(od -An -tx1 -j5 -N1 "$core" | tr -d ' ')$(od -An -tx1 -j18 -N2 "$core" | tr -d ' ')" = 020016

for d in 1 2 4 8 16 31; do
	"$VMSIFT" -f -l -d $d --message-level 31 "$core" "$WORK/v$d.kdump" > "$WORK/v$d.txt" 2>&1
	check "-d $d: vmsift filters it" test $? -eq 0 -a -s "$WORK/v$d.kdump"
done
check_grep "the VMCOREINFO was recovered from the guest's memory" "VMCOREINFO: recovered from memory at physical 0x[0-9a-f]+" "$WORK/v31.txt"
check_grep "the free-page self-check agrees (struct pages against NR_FREE_PAGES)" "free pages: ([0-9]+) in struct pages, \1 in NR_FREE_PAGES" "$WORK/v31.txt"
near "-d 16 free pages excluded vs the guest's nr_free_pages" "$(report_val "$WORK/v16.txt" "Free pages")" \
	"$(vmstat "$WORK/truth.txt" nr_free_pages)" 1
check "libkdumpfile reads the output as s390x, big-endian, and translates init_uts_ns itself" "$PY" -c '
import kdumpfile, sys
k = kdumpfile.kdumpfile(sys.argv[1])
assert (k.attr["arch.name"], k.attr["arch.byte_order"]) == ("s390x", 0)
text = bytes(k.attr["linux.vmcoreinfo.raw"]).decode()
vi = dict(l.split("=", 1) for l in text.splitlines() if "=" in l)
at = int(vi["SYMBOL(init_uts_ns)"], 16) + int(vi.get("OFFSET(uts_namespace.name)", "4"))
k.attr["addrxlat.ostype"] = "linux"
uts = bytes(k.read(kdumpfile.KDUMP_KVADDR, at, 65 * 5)).split(b"\0")
assert uts[0] == b"Linux" and sys.argv[2].encode() in uts, uts[:3]
' "$WORK/v31.kdump" "$kver"
if command -v s390x-linux-gnu-gcc >/dev/null && [ -d "$CACHE/s390x/sysroot/usr/include" ]; then
	"$VM/build-s390x.sh" "$WORK/vmsift-s390x" 2>/dev/null
	check "the s390x-built vmsift (qemu-user) writes the same -d 31 file" bash -c \
		"'$VM/run-s390x.sh' '$WORK/vmsift-s390x' -f -l -d 31 --message-level 0 '$core' '$WORK/n31.kdump' &&
		 '$VMSIFT' -f -l -d 31 --message-level 0 '$core' '$WORK/x31.kdump' && cmp '$WORK/x31.kdump' '$WORK/n31.kdump'"
fi
rm -f "$core"
echo "# vm-s390x: $((SECONDS - T0)) s"
finish
