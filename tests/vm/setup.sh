#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare everything the VM tests need; safe to run again (skips what exists).
#
#   tests/vm/setup.sh [--dbg] [--no-install] [SUITE...]
#
# SUITE: bookworm (default), trixie, or another Debian suite (forky, sid).
# For each suite the distribution kernel package is downloaded and unpacked
# into the cache (nothing is installed on the host), together with the
# makedumpfile ("peer") and crash that are right for that kernel.  --dbg
# also fetches the debug vmlinux (the -dbg package is ~860 MB; only the
# vmlinux is kept; VMSIFT_NO_DBG=1 turns --dbg off).  Cache:
# ${VMSIFT_CACHE:-$HOME/.cache/vmsift}.  Prints one line per step.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

HOST_PKGS=(qemu-system-x86 busybox-static kexec-tools makedumpfile crash
	python3-libkdumpfile python3-drgn e2fsprogs gcc libc6-dev cpio xz-utils)

want_dbg=0 install=1 suites=()
for a in "$@"; do
	case $a in
	--dbg) want_dbg=1 ;;
	--no-install) install=0 ;;
	[a-z]*) suites+=("$a") ;; # a Debian suite on the host's own mirror
	-h | --help) sed -n '3,13p' "$0"; exit 0 ;;
	*) die "unknown argument: $a" ;;
	esac
done
((${#suites[@]})) || suites=(bookworm)
[[ ${VMSIFT_NO_DBG:-0} == 1 ]] && want_dbg=0

# make check runs cases in parallel lanes, and several of them (and make
# check-distro beside them) call this script at once: one at a time, so that
# two never download or unpack into the same cache entry (the second then
# finds it cached).
mkdir -p "$CACHE"
exec 9>"$CACHE/.setup.lock"
flock 9

# apt options for a suite.  The host's own lists serve bookworm; other suites
# get private lists under the cache (the host's apt setup is not touched).
# The mirror is the one the host's apt already uses for Debian's main archive.
APT_OPTS=()
apt_setup() {
	local s=$1
	APT_OPTS=()
	[[ $s == bookworm ]] && return
	local d=$CACHE/apt/$s
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"$(host_mirror) $s main" >"$d/sources.list"
	APT_OPTS=(-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
	apt_refresh "$d" "$s"
}

kernel_package() {
	apt-cache "${APT_OPTS[@]}" depends linux-image-amd64 |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

fetch_kernel() {
	local s=$1 pkg kver deb
	pkg=$(kernel_package)
	[[ -n $pkg ]] || die "cannot resolve linux-image-amd64 in $s"
	kver=${pkg#linux-image-}
	local kd=$CACHE/kernels/$kver
	if [[ -f $kd/boot/vmlinuz-$kver ]]; then
		step "kernel $kver ($s): cached in $kd"
	else
		deb=$(download "$pkg")
		step "kernel $kver: unpacking into $kd"
		rm -rf "$kd.tmp" && mkdir -p "$kd.tmp"
		dpkg-deb -x "$deb" "$kd.tmp"
		rm -f "$deb"   # the unpacked tree is what we keep
		rm -rf "$kd" && mv "$kd.tmp" "$kd"
	fi
	printf '%s\n' "$kver" >"$CACHE/kernels/$s.kver"
	KVER=$kver
}

# Debug files of the modules vm-debuginfo.sh's --config checks erase in (the
# guests load them, tests/vm/mkinitramfs.sh), kept in the -dbg package's
# layout under kernels/KVER/debug (its usr/lib/debug), with
# boot/vmlinux-KVER there a link to the vmlinux: -x of that path finds them
# as on a Debian system with the -dbg package installed.
DBG_MODULES=(kernel/fs/ext4/ext4.ko kernel/drivers/block/virtio_blk.ko)
have_dbg_modules() {
	local m
	for m in "${DBG_MODULES[@]}"; do
		compgen -G "$CACHE/kernels/$1/debug/lib/modules/$1/$m*" >/dev/null || return 1
	done
}

fetch_dbg() {
	local kver=$1 out=$CACHE/kernels/$1/vmlinux dbg=$CACHE/kernels/$1/debug
	if [[ -f $out ]] && have_dbg_modules "$kver"; then
		step "debug vmlinux and modules $kver: cached ($out, $dbg)"
		return
	fi
	local deb m pats=()
	deb=$(download "linux-image-$kver-dbg")
	[[ -f $out ]] || pats+=("./usr/lib/debug/boot/vmlinux-$kver")
	for m in "${DBG_MODULES[@]}"; do pats+=("./usr/lib/debug/lib/modules/$kver/$m*"); done
	step "debug vmlinux $kver: extracting ${pats[*]}"
	local tmp=$CACHE/kernels/$kver/dbg.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards "${pats[@]}"
	[[ -f $out ]] || mv "$tmp/usr/lib/debug/boot/vmlinux-$kver" "$out"
	rm -rf "$dbg" && mkdir -p "$dbg/lib/modules" "$dbg/boot"
	mv "$tmp/usr/lib/debug/lib/modules/$kver" "$dbg/lib/modules/"
	ln -s ../../vmlinux "$dbg/boot/vmlinux-$kver"
	rm -rf "$tmp" "$deb"
}

# A program from another release, run with that release's own loader and
# libraries (its libc is newer than the host's): bundle DIR SUITE PKG
# VERSION-ARG.  Result: DIR/run, which passes its arguments on.
fetch_bundle() {
	local dir=$1 s=$2 pkg=$3 varg=$4
	if [[ -x $dir/run ]] && "$dir/run" "$varg" >/dev/null 2>&1; then
		step "$pkg ($s): cached ($dir/run: $("$dir/run" "$varg" 2>&1 | grep -m1 .))"
		return
	fi
	local saved=("${APT_OPTS[@]}")
	apt_setup "$s"
	local deps pkgs p
	# Direct library dependencies (not perl, which only makedumpfile's helper
	# scripts need, nor binutils), then everything those pull in.
	deps=$(apt-cache "${APT_OPTS[@]}" show --no-all-versions "$pkg" |
		sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' |
		grep -v -e '^perl' -e '^binutils' -e '^$')
	# shellcheck disable=SC2086 # $deps is a list of package names
	pkgs=$(apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances $deps |
		grep -v '^ ' | grep -E '^(lib|zlib|gcc-[0-9]+-base)' |
		grep -v -e '^libperl' -e '^libgdbm' -e '^libdb' -e '^libc-gconv' | sort -u)
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/root"
	for p in "$pkg" $pkgs; do
		dpkg-deb -x "$(download "$p")" "$dir.tmp/root"
	done
	APT_OPTS=("${saved[@]}")
	# Merged /usr: libraries may sit under lib/ or usr/lib/.
	cat >"$dir.tmp/run" <<EOF
#!/bin/sh
# Run $s's $pkg with its own loader and libraries.
d=\$(dirname "\$(readlink -f "\$0")")/root
L=\$d/usr/lib/x86_64-linux-gnu:\$d/lib/x86_64-linux-gnu
ld=\$d/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
[ -e "\$ld" ] || ld=\$d/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
bin=\$d/usr/sbin/$pkg
[ -e "\$bin" ] || bin=\$d/usr/bin/$pkg
exec "\$ld" --library-path "\$L" "\$bin" "\$@"
EOF
	chmod +x "$dir.tmp/run"
	rm -rf "$dir.tmp/root/usr/share" "$dir.tmp/root/usr/lib/x86_64-linux-gnu/gconv"
	rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$dir.tmp" "$dir"
	"$dir/run" "$varg" >/dev/null 2>&1 || die "bundle $dir does not run"
	step "$pkg ($s): built $dir/run ($("$dir/run" "$varg" 2>&1 | grep -m1 .))"
}

# Which makedumpfile and crash are right for a kernel (docs/testing.md, Peers):
# Debian 12's own for 6.1; for 6.12, sid's makedumpfile (1.7.2 and 1.7.6
# mis-filter 6.12) and trixie's crash (8.0.2 exits silently on 6.12).
choose_tools() {
	local s=$1 kver=$2 peer crash
	case $s in
	bookworm)
		peer=$(command -v makedumpfile)
		crash=$(command -v crash)
		;;
	*)
		peer=$CACHE/peers/sid # bundles: run them as DIR/run
		crash=$CACHE/tools/crash-$s
		fetch_bundle "$peer" sid makedumpfile -v
		fetch_bundle "$crash" "$s" crash --version
		;;
	esac
	printf '%s\n' "$peer" >"$CACHE/kernels/$kver/peer"
	printf '%s\n' "$crash" >"$CACHE/kernels/$kver/crash"
	step "tools for $kver: peer $peer, crash $crash"
}

# Static tools for the guests: the workload, and bench/memwatch.c, which runs
# a dumper and records its exit, times, peak RSS and sampled peak RssAnon.
build_tools() {
	local b=$CACHE/build name c
	mkdir -p "$b"
	for c in "$VM_DIR/workload.c" "$VM_DIR/../../bench/memwatch.c"; do
		name=$(basename "$c" .c)
		if [[ ! -x $b/$name || $c -nt $b/$name ]]; then
			gcc -std=c11 -O2 -Wall -Wextra -Werror -static -o "$b/$name" "$c"
			step "built $b/$name (static)"
		else
			step "tool $name: up to date"
		fi
	done
}

mkdir -p "$CACHE"
step "cache: $CACHE"
install_host_packages "$install" "${HOST_PKGS[@]}"
build_tools
for s in "${suites[@]}"; do
	apt_setup "$s"
	fetch_kernel "$s"
	choose_tools "$s" "$KVER"
	if ((want_dbg)); then
		fetch_dbg "$KVER"
	elif [[ -f $CACHE/kernels/$KVER/vmlinux ]]; then
		step "debug vmlinux $KVER: cached"
	else
		step "debug vmlinux $KVER: not fetched (--dbg)"
	fi
	step "suite $s ready: kernel $KVER"
done
step "done"
