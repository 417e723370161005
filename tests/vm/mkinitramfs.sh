#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build a busybox initramfs for the VM tests.
#
#   tests/vm/mkinitramfs.sh KERNEL OUT.cpio.gz workload
#   tests/vm/mkinitramfs.sh KERNEL OUT.cpio.gz capture [DUMPER...]
#
# workload: the first kernel; /init runs the page-mix workload, prints the
#   ground truth, then idles (saved-core test) or loads a capture kernel and
#   crashes (kdump test).  Guest behaviour is chosen on the kernel command
#   line (vmsift.* options, see init-workload.sh).
# capture: the kdump kernel; /init runs every DUMPER on /proc/vmcore and
#   writes results to the second disk (see init-capture.sh).  A DUMPER is
#   [NAME[:VARIANTS]=]PATH, VARIANTS a comma list of mmap,nonmmap (default
#   both; nonmmap adds --non-mmap); PATH is an executable (static, or dynamic: its libraries are copied, found with
#   ldd) or a directory holding an executable `run` (a self-contained bundle
#   such as a makedumpfile from another release with its own loader).
# KERNEL is a version or a suite name known to setup.sh.  Capture options:
# VMSIFT_DUMP_ARGS (default "-l -d 31"; the dumper gets ARGS /proc/vmcore
# OUT), VMSIFT_SAVE_VMCORE=1 also copies the raw /proc/vmcore.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

(($# >= 3)) || die "usage: $0 KERNEL OUT.cpio.gz workload|capture [DUMPER...]"
kver=$(resolve_kver "$1")
out=$2 mode=$3
shift 3
[[ $mode == workload || $mode == capture ]] || die "mode must be workload or capture"

kd=$(kernel_dir "$kver")
moddir=$kd/lib/modules/$kver
[[ -d $moddir ]] || moddir=$kd/usr/lib/modules/$kver
[[ -d $moddir ]] || die "no modules for $kver"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,mnt,tmp,out,lib/modules,lib64}

arch=$(kernel_arch "$kver")
# A foreign guest's userland: the tree its setup script unpacked (busybox,
# kexec, the libraries), its static tools, its GNU triple.
foreign_root='' triple=''
case $arch in
arm64) foreign_root=$CACHE/arm64/root triple=aarch64-linux-gnu ;;
ppc64el) foreign_root=$CACHE/ppc64el/root triple=powerpc64le-linux-gnu ;;
riscv64) foreign_root=$CACHE/riscv64/root triple=riscv64-linux-gnu ;;
esac
if [[ -n $foreign_root ]]; then
	BUSYBOX=$foreign_root/bin/busybox TOOLS=$CACHE/build/$arch KEXEC=$foreign_root/sbin/kexec
	[[ -x $BUSYBOX ]] || BUSYBOX=$foreign_root/usr/bin/busybox
	[[ -x $BUSYBOX ]] || die "no $arch userland: run tests/vm/setup-${arch%el}.sh"
	# Debian has no riscv64 kexec-tools: setup-riscv64-kdump.sh builds one.
	[[ -x $KEXEC ]] || KEXEC=$TOOLS/kexec
else
	BUSYBOX=/bin/busybox TOOLS=$CACHE/build KEXEC=$(command -v kexec)
fi

# Copy an ELF file to the same path in the image, with its libraries.
# glibc dlopen()s libgcc_s for pthread_exit/cancellation, which ldd does not
# list, so it comes along with any dynamic binary.
copy_elf() {
	local src=$1 dst=$2 lib
	install -D -m 0755 "$src" "$root$dst"
	if [[ -n $foreign_root ]]; then copy_foreign_libs "$src"; return; fi
	if ! ldd "$src" >/dev/null 2>&1; then return; fi # static
	for lib in $(ldd "$src" | grep -o '/[^ ]*') /lib/x86_64-linux-gnu/libgcc_s.so.1; do
		[[ -e $root$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

# A foreign binary's libraries (ldd cannot run it): its NEEDED entries and
# theirs, found in the guest arch's userland tree, go to /lib/TRIPLE; its
# program interpreter (/lib/ld-linux-aarch64.so.1, /lib64/ld64.so.2) to the
# path the binary names.
copy_foreign_libs() {
	local f=$1 lib path d interp
	readelf -d "$f" | grep -q NEEDED || return 0 # static
	interp=$(readelf -l "$f" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[[ -z $interp || -e $root$interp ]] ||
		install -D -m 0755 "$(readlink -f "$foreign_root$interp")" "$root$interp"
	for lib in $(readelf -d "$f" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p') libgcc_s.so.1; do
		# The loader comes through the binary's interpreter path above.
		[[ $lib == ld-linux-* || $lib == ld64.so.* || -e $root/lib/$triple/$lib ]] && continue
		path=
		for d in lib/$triple usr/lib/$triple; do
			[[ -e $foreign_root/$d/$lib ]] && { path=$(readlink -f "$foreign_root/$d/$lib"); break; }
		done
		[[ -n $path ]] || die "$arch library $lib (needed by $f) is not in $foreign_root"
		install -D -m 0755 "$path" "$root/lib/$triple/$lib"
		copy_foreign_libs "$path"
	done
}

# Kernel modules: the names we need, plus their dependencies (read from the
# .modinfo strings), loaded in dependency order by /init.  Built-in ones are
# skipped; compressed ones are unpacked here so busybox insmod can load them.
NEED=(virtio_pci virtio_blk crc32c_generic ext4 qemu_fw_cfg)
# pseries has no fw_cfg, and ppc64el builds no qemu_fw_cfg module.
[[ $arch == ppc64el ]] && NEED=(virtio_pci virtio_blk crc32c_generic ext4)
declare -A seen=()
order=()
mod_file() { find "$moddir/kernel" -regextype egrep -regex ".*/${1//_/[-_]}\.ko(\.xz|\.zst|\.gz)?" | head -1; }
mod_cat() {
	case $1 in
	*.xz) xz -dc "$1" ;; *.zst) zstd -dcq "$1" ;; *.gz) gzip -dc "$1" ;; *) cat "$1" ;;
	esac
}
add_mod() {
	local m=${1//-/_} f d
	[[ -n ${seen[$m]:-} ]] && return
	seen[$m]=1
	if grep -Eq "/${m//_/[-_]}\.ko$" "$moddir/modules.builtin"; then return; fi
	f=$(mod_file "$m")
	[[ -n $f ]] || die "module $m not found for $kver"
	for d in $(mod_cat "$f" | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '); do
		add_mod "$d"
	done
	mod_cat "$f" >"$root/lib/modules/$m.ko"
	order+=("$m")
}
for m in "${NEED[@]}"; do add_mod "$m"; done
printf '%s\n' "${order[@]}" >"$root/lib/modules/load-order"

cp "$BUSYBOX" "$root/bin/busybox"
if readelf -l "$BUSYBOX" | grep -q interpreter; then die "$BUSYBOX is not static (install busybox-static)"; fi
printf '%s\n' "$kver" >"$root/kernel-release"
printf '%s\n' "$(console_for "$kver")" >"$root/console"

case $mode in
workload)
	install -m 0755 "$TOOLS/workload" "$root/bin/workload"
	copy_elf "$KEXEC" /sbin/kexec
	install -m 0755 "$VM_DIR/init-workload.sh" "$root/init"
	# VMSIFT_INITRD_BIN: more static programs for /bin (vm-userstack's stackcrash)
	for b in ${VMSIFT_INITRD_BIN:-}; do install -m 0755 "$b" "$root/bin/$(basename "$b")"; done
	;;
capture)
	install -m 0755 "$TOOLS/memwatch" "$root/bin/memwatch"
	install -m 0755 "$VM_DIR/init-capture.sh" "$root/init"
	cat >"$root/dump.conf" <<EOF
DUMP_ARGS="${VMSIFT_DUMP_ARGS:--l -d 31}"
SAVE_VMCORE=${VMSIFT_SAVE_VMCORE:-0}
EOF
	i=0
	: >"$root/dumpers.list"
	for spec in "$@"; do
		# [NAME[:VARIANTS]=]PATH; VARIANTS: comma list of mmap,nonmmap.
		i=$((i + 1))
		path=${spec#*=} head=
		[[ $spec == *=* ]] && head=${spec%%=*}
		name=${head%%:*} variants=mmap,nonmmap
		[[ $head == *:* ]] && variants=${head#*:}
		if [[ -d $path ]]; then
			[[ -x $path/run ]] || die "dumper bundle $path has no executable run"
			mkdir -p "$root/dumpers/$i"
			cp -a "$path/." "$root/dumpers/$i/"
			[[ -n $name ]] || name=$(basename "$path")
			cmd=/dumpers/$i/run
		else
			[[ -x $path ]] || die "dumper $path is not executable"
			[[ $(head -c 4 "$path") == $'\x7fELF' ]] ||
				die "dumper $path is not an ELF binary (pass a bundle as its directory)"
			[[ -n $name ]] || name=$(basename "$path")
			cmd=/dumpers/$i/$(basename "$path")
			copy_elf "$(readlink -f "$path")" "$cmd"
			# As a distribution package installs it: without debug info.
			if [[ -n $triple ]]; then
				"$triple-strip" --strip-debug "$root$cmd"
			else
				strip --strip-debug "$root$cmd"
			fi
		fi
		printf '%s|%s|%s\n' "$name" "$variants" "$cmd" >>"$root/dumpers.list"
	done
	;;
esac

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
log "$out: $mode initramfs for $kver ($(du -h "$out" | cut -f1); modules: ${order[*]})"
