# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the VM test scripts (sourced, not run).
# shellcheck disable=SC2034 # globals (VM_DIR, PY, QEMU_PID...) are for the sourcing scripts

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
PY=/usr/bin/python3   # Debian's python: has the libkdumpfile / drgn modules

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Seconds since the script started, for the timing lines every step prints.
T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
step() { log "[$(elapsed)s] $*"; }

# A kernel is named by its version (6.1.0-56-amd64) or by the suite it came
# from (bookworm, trixie); setup.sh records which version each suite gave.
resolve_kver() {
	local k=$1
	if [[ -f $CACHE/kernels/$k.kver ]]; then k=$(cat "$CACHE/kernels/$k.kver"); fi
	[[ -f $CACHE/kernels/$k/boot/vmlinuz-$k || -f $CACHE/kernels/$k/boot/vmlinux-$k ]] ||
		die "kernel $1 is not in $CACHE/kernels (run tests/vm/setup.sh first)"
	printf '%s\n' "$k"
}

# The kernel image to boot: vmlinuz, or the plain ELF vmlinux that Debian's
# ppc64el (and riscv64) packages ship.
kernel_image() {
	local b=$CACHE/kernels/$1/boot
	if [[ -f $b/vmlinuz-$1 ]]; then echo "$b/vmlinuz-$1"; else echo "$b/vmlinux-$1"; fi
}

# The mirror the host's apt already uses for Debian's main archive.
host_mirror() {
	local uri
	uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i !~ /security/) {print $i; exit}}')
	[[ -n $uri ]] || uri=$(awk '$1 == "deb" && $0 !~ /security/ {
		for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null)
	[[ -n $uri ]] || die "cannot find the host's Debian mirror in /etc/apt"
	echo "$uri"
}

# Download PKG, the candidate version of the apt setup in APT_OPTS, into DIR
# (default $CACHE/debs) unless it is there; prints the .deb path.
download() {
	local pkg=$1 dir=${2:-$CACHE/debs} ver deb
	ver=$(apt-cache "${APT_OPTS[@]}" show --no-all-versions "$pkg" | awk '/^Version:/ { print $2; exit }')
	[[ -n $ver ]] || die "no package $pkg"
	deb=$(ls "$dir/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
	if [[ -n $deb ]]; then
		step "download $pkg $ver: cached"
	else
		step "download $pkg $ver"
		mkdir -p "$dir"
		# As root apt warns that it cannot drop privileges here: harmless.
		(cd "$dir" && apt-get "${APT_OPTS[@]}" download -q "$pkg=$ver" 2>&1 |
			{ grep -v -e 'unsandboxed' -e '^Get:' -e '^Fetched' || true; } >&2)
		deb=$(ls "$dir/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
		[[ -n $deb ]] || die "download of $pkg failed"
	fi
	printf '%s\n' "$deb"
}

# apt_refresh DIR LABEL: apt-get update with APT_OPTS, once a day: the
# version of a suite's kernel moves on.  (apt dates the list files by the
# archive, so DIR/updated is our own stamp.)
apt_refresh() {
	if [[ -z $(find "$1/updated" -mmin -1440 2>/dev/null) ]]; then
		step "apt lists for $2: updating"
		apt-get "${APT_OPTS[@]}" update -q 2>&1 | { grep -v unsandboxed || true; } >&2
		touch "$1/updated"
	else
		step "apt lists for $2: fresh"
	fi
}

# install_host_packages INSTALL PKG...: apt-installs the PKGs that are missing
# (INSTALL=1), or fails naming them (INSTALL=0).
install_host_packages() {
	local install=$1 missing=() p
	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	if ((${#missing[@]} == 0)); then
		step "host packages: all present ($*)"
	elif ((install)); then
		step "host packages: installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
	else
		die "missing host packages: ${missing[*]}"
	fi
}

kernel_dir() { printf '%s\n' "$CACHE/kernels/$1"; }

# The peer (a makedumpfile that is right for this kernel) chosen by setup.sh;
# VMSIFT_PEER overrides it, VMSIFT_PEER=none disables it.
peer_for() {
	if [[ -n ${VMSIFT_PEER:-} ]]; then printf '%s\n' "$VMSIFT_PEER"; return; fi
	cat "$CACHE/kernels/$1/peer"
}

# QEMU acceleration: /dev/kvm can exist and still hang (seen here: stuck in
# the BIOS), so boot the kernel once under KVM with a deadline and remember
# the answer for this host boot.  VMSIFT_ACCEL=tcg|kvm skips the probe.
pick_accel() {
	local kver=$1
	if [[ -n ${VMSIFT_ACCEL:-} ]]; then printf '%s\n' "$VMSIFT_ACCEL"; return; fi
	local memo
	memo=$CACHE/accel.$(cat /proc/sys/kernel/random/boot_id)
	if [[ -f $memo ]]; then cat "$memo"; return; fi
	local accel=tcg
	if [[ -r /dev/kvm && -w /dev/kvm ]]; then
		local out
		out=$(timeout 15 qemu-system-x86_64 -accel kvm -m 256 -display none \
			-no-reboot -serial stdio -monitor none \
			-kernel "$(kernel_dir "$kver")/boot/vmlinuz-$kver" \
			-append "console=ttyS0 panic=-1 loglevel=4" 2>/dev/null || true)
		# With no root and no initramfs the kernel panics: proof it ran.
		if grep -q 'Kernel panic' <<<"$out"; then accel=kvm; fi
	fi
	mkdir -p "$CACHE"
	rm -f "$CACHE"/accel.*
	printf '%s\n' "$accel" >"$memo"
	printf '%s\n' "$accel"
}

# Poll FILE until it contains PATTERN; fail after SECS or if PID dies.
wait_for_line() {
	local file=$1 pattern=$2 secs=$3 pid=${4:-}
	local deadline=$((SECONDS + secs))
	while ((SECONDS < deadline)); do
		if [[ -f $file ]] && grep -aq -- "$pattern" "$file"; then return 0; fi
		if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 2; fi
		sleep 0.5
	done
	return 1
}

# Wait for PID to exit within SECS; kill it (TERM, then KILL) otherwise.
reap() {
	local pid=$1 secs=$2
	local deadline=$((SECONDS + secs))
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			kill "$pid" 2>/dev/null || true
			sleep 2
			kill -9 "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
			return 1
		fi
		sleep 0.5
	done
	wait "$pid" 2>/dev/null || true
	return 0
}

# Workload sizes (MiB) for a guest of MEM MiB: a quarter pattern-filled
# anonymous memory, 1/16 zero-filled anonymous, 1/8 page cache, 1/16 shmem;
# the rest (about half) stays free.
workload_args() {
	local mem=$1
	printf 'vmsift.anon=%d vmsift.zero=%d vmsift.cache=%d vmsift.shm=%d' \
		$((mem / 4)) $((mem / 16)) $((mem / 8)) $((mem / 16))
}

# A kernel's architecture: arm64 kernels are marked by setup-arm64.sh.
kernel_arch() {
	local f=$CACHE/kernels/$1/arch
	if [[ -f $f ]]; then cat "$f"; else echo amd64; fi
}

# The serial console device of the kernel's machine.
console_for() {
	case $(kernel_arch "$1") in
	arm64) echo ttyAMA0 ;;
	ppc64el) echo hvc0 ;;
	*) echo ttyS0 ;;
	esac
}

# Start QEMU in the background: qemu_start KVER INITRD MEM_MIB APPEND LOG
# QMP_SOCKET [extra qemu args...].  Sets QEMU_PID.  The serial console goes
# to LOG; the VM never reboots (a reboot would mean the test went wrong).
# arm64 kernels run on the virt machine under TCG; VMSIFT_ARM_CPU picks the
# CPU (default cortex-a57: no LPA2, so a 52-bit kernel runs 48-bit; "max"
# gives LPA2; pointer authentication is emulated the cheap way).
# ppc64el kernels run on pseries under TCG, VMSIFT_PPC_CPU (default POWER9:
# radix; POWER8: hash), riscv64 ones on virt; neither gets a vmcoreinfo
# device (pseries has no fw_cfg; vm-riscv64 runs virt without one too).
qemu_start() {
	local kver=$1 initrd=$2 mem=$3 append=$4 log=$5 qmp=$6
	shift 6
	local accel cpu machine=() bin=qemu-system-x86_64 vmci=(-device vmcoreinfo)
	if [[ $(kernel_arch "$kver") == arm64 ]]; then
		bin=qemu-system-aarch64 accel=tcg
		cpu=${VMSIFT_ARM_CPU:-cortex-a57}
		[[ $cpu == max ]] && cpu=max,pauth-impdef=on
		machine=(-machine virt)
	elif [[ $(kernel_arch "$kver") == ppc64el ]]; then
		bin=qemu-system-ppc64 accel=tcg cpu=${VMSIFT_PPC_CPU:-POWER9} vmci=()
		machine=(-machine pseries)
	elif [[ $(kernel_arch "$kver") == riscv64 ]]; then
		# virt with OpenSBI; QEMU's rv64 CPU offers Sv57, which 6.12 uses.
		bin=qemu-system-riscv64 accel=tcg cpu=rv64 vmci=()
		machine=(-machine virt -bios default)
	else
		accel=$(pick_accel "$kver")
		# 'max' would offer LA57 under TCG, and the guest would then use 5-level
		# paging; keep the common 4-level layout unless VMSIFT_CPU asks.
		cpu=max,la57=off
		[[ $accel == kvm ]] && cpu=host
		cpu=${VMSIFT_CPU:-$cpu}
	fi
	rm -f "$qmp" "$log"
	"$bin" "${machine[@]}" -accel "$accel" -cpu "$cpu" -smp 2 -m "$mem" \
		-display none -no-reboot -monitor none -serial "file:$log" \
		-qmp "unix:$qmp,server=on,wait=off" "${vmci[@]}" \
		-kernel "$(kernel_image "$kver")" -initrd "$initrd" \
		-append "$append" "$@" </dev/null >"$log.qemu" 2>&1 &
	QEMU_PID=$!
	QEMU_ACCEL=$accel
}

# Make an ext2 image of SIZE (sparse), optionally filled from DIR.
mk_disk() {
	local img=$1 size=$2 dir=${3:-}
	rm -f "$img"
	truncate -s "$size" "$img"
	if [[ -n $dir ]]; then
		mke2fs -q -F -t ext2 -d "$dir" "$img"
	else
		mke2fs -q -F -t ext2 "$img"
	fi
}

# prepare_outdir DIR: sets outdir (absolute) and an empty scratch dir work=$outdir/.work;
# at exit QEMU ($QEMU_PID, if set) is killed and the scratch removed.
QEMU_PID=
prepare_outdir() {
	mkdir -p "$1"
	outdir=$(cd "$1" && pwd)
	work=$outdir/.work
	rm -rf "$work" && mkdir -p "$work"
	trap cleanup_vm EXIT
}
cleanup_vm() {
	if [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null || true
		sleep 1
		kill -9 "$QEMU_PID" 2>/dev/null || true
	fi
	rm -rf "$work"
}
