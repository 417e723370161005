# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the foreign-architecture setup and cross-build scripts
# (setup-ARCH.sh, build-ARCH.sh; sourced after lib.sh, not run).  A setup
# script sets, before calling them:
#   FOREIGN_ARCH    Debian's name of the architecture (arm64, ppc64el, ...)
#   FOREIGN_SUITE   the suite its packages come from (bookworm, trixie)
#   FOREIGN_DISTRO  how the peer's run script names it ("Debian 12's")
#   FOREIGN_QEMU    the qemu-user binary that runs its programs here
#   FOREIGN_KIMAGE  the kernel image's file name in /boot, before -VERSION
#   FOREIGN_UPDATES 1: also the suite's -updates and -security archives
# and may redefine foreign_tree_fixup DIR (runs on each unpacked tree) and
# foreign_peer_fixup ROOT (runs on the userland before the peer is tried).
# Everything lands under $CACHE: apt/SUITE-ARCH, debs-ARCH, kernels/,
# ARCH/root, ARCH/sysroot, peers/ARCH.
# shellcheck disable=SC2034 # APT_OPTS is for lib.sh's download

FOREIGN_KIMAGE=vmlinuz
FOREIGN_UPDATES=1
foreign_tree_fixup() { :; }
foreign_peer_fixup() { :; }

foreign_debs() { printf '%s\n' "$CACHE/debs-$FOREIGN_ARCH"; }

# Private apt lists for the suite's FOREIGN_ARCH archive, on the host's own mirror.
foreign_apt_setup() {
	local a=$FOREIGN_ARCH s=$FOREIGN_SUITE mirror sec d
	d=$CACHE/apt/$s-$a
	mirror=$(host_mirror)
	sec=${mirror%/debian}/debian-security
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	{
		echo "deb [arch=$a signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main"
		if ((FOREIGN_UPDATES)); then
			echo "deb [arch=$a signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s-updates main"
			echo "deb [arch=$a signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $sec $s-security main"
		fi
	} >"$d/sources.list"
	APT_OPTS=(-o APT::Architecture="$a" -o APT::Architectures="$a"
		-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o Dir::State::status=/dev/null)
	apt_refresh "$d" "$s $a"
}

# foreign_fetch_kernel NAME META: the kernel META depends on, unpacked into
# $CACHE/kernels/VERSION and recorded as NAME.
foreign_fetch_kernel() {
	local name=$1 meta=$2 pkg kver deb
	pkg=$(apt-cache "${APT_OPTS[@]}" depends "$meta" | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[[ -n $pkg ]] || die "cannot resolve $meta"
	kver=${pkg#linux-image-}
	local kd=$CACHE/kernels/$kver
	if [[ -f $kd/boot/$FOREIGN_KIMAGE-$kver ]]; then
		step "kernel $kver ($name): cached"
	else
		step "kernel $kver ($name): downloading"
		deb=$(download "$pkg" "$(foreign_debs)")
		rm -rf "$kd.tmp" && mkdir -p "$kd.tmp"
		dpkg-deb -x "$deb" "$kd.tmp"
		rm -f "$deb"
		echo "$FOREIGN_ARCH" >"$kd.tmp/arch"
		rm -rf "$kd" && mv "$kd.tmp" "$kd"
	fi
	printf '%s\n' "$kver" >"$CACHE/kernels/$name.kver"
	printf '%s\n' "$CACHE/peers/$FOREIGN_ARCH" >"$kd/peer"
	printf 'none\n' >"$kd/crash"
}

# foreign_unpack_tree DIR PKG...: PKGs and the libraries they pull in,
# unpacked into DIR (one tree).
foreign_unpack_tree() {
	local dir=$1 p deps pkgs
	shift
	deps=$(for p in "$@"; do
		apt-cache "${APT_OPTS[@]}" show --no-all-versions "$p" | sed -n 's/^\(Pre-\)\?Depends: //p'
	done | tr ',|' '\n\n' | sed 's/^ *//; s/[ (:].*//' | grep -v -e '^$' -e '^perl' -e '^debconf' \
		-e '^lsb-base' -e '^init-system-helpers' -e '^kdump-tools' -e '^binutils' | sort -u)
	# shellcheck disable=SC2086 # lists of package names
	pkgs=$(apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances $deps |
		grep -v '^ ' | grep -E '^(lib|zlib|gcc-[0-9]+-base)' |
		grep -v -e '^libperl' -e '^libgdbm' -e '^libdb' -e '^libc-gconv' -e '^libc-bin' | sort -u)
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	for p in "$@" $pkgs; do
		dpkg-deb -x "$(download "$p" "$(foreign_debs)")" "$dir.tmp"
	done
	foreign_tree_fixup "$dir.tmp"
	rm -rf "$dir.tmp/usr/share/doc" "$dir.tmp/usr/share/man" "$dir.tmp/usr/share/locale"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

# foreign_fetch_userland PKG...: the guests' userland tree ($CACHE/ARCH/root),
# and the peer: the tree's makedumpfile on this host, under qemu-user.
foreign_fetch_userland() {
	local a=$FOREIGN_ARCH root=$CACHE/$FOREIGN_ARCH/root stamp="$*"
	if [[ -f $root/.pkgs && $(cat "$root/.pkgs") == "$stamp" ]]; then
		step "$a userland: cached"
	else
		step "$a userland: $* and their libraries"
		foreign_unpack_tree "$root" "$@"
		printf '%s\n' "$stamp" >"$root/.pkgs"
	fi
	foreign_peer_fixup "$root"
	local peer=$CACHE/peers/$a
	mkdir -p "$peer"
	cat >"$peer/run" <<EOF
#!/bin/sh
# $FOREIGN_DISTRO $a makedumpfile, run under qemu-user with its own libraries.
exec $FOREIGN_QEMU -L "$root" "$root/usr/bin/makedumpfile" "\$@"
EOF
	chmod +x "$peer/run"
	"$peer/run" -v >/dev/null 2>&1 || die "the $a peer does not run ($peer/run -v)"
	step "$a peer: $("$peer/run" -v 2>&1 | grep -m1 .)"
}

# foreign_fetch_sysroot PKG...: the -dev packages a cross build links
# ($CACHE/ARCH/sysroot), without their dependencies.
foreign_fetch_sysroot() {
	local a=$FOREIGN_ARCH sr=$CACHE/$FOREIGN_ARCH/sysroot stamp="$*" p
	if [[ -f $sr/.pkgs && $(cat "$sr/.pkgs") == "$stamp" ]]; then
		step "$a sysroot: cached"
		return
	fi
	step "$a sysroot: $*"
	rm -rf "$sr.tmp" && mkdir -p "$sr.tmp"
	for p in "$@"; do
		dpkg-deb -x "$(download "$p" "$(foreign_debs)")" "$sr.tmp"
	done
	foreign_tree_fixup "$sr.tmp"
	printf '%s\n' "$stamp" >"$sr.tmp/.pkgs"
	rm -rf "$sr" && mv "$sr.tmp" "$sr"
}

# foreign_build_tools CC LABEL: the guests' static tools (the workload and
# memwatch), cross-built with CC into $CACHE/build/ARCH.
foreign_build_tools() {
	local cc=$1 label=$2 b=$CACHE/build/$FOREIGN_ARCH c name
	mkdir -p "$b"
	for c in "$VM_DIR/workload.c" "$VM_DIR/../../bench/memwatch.c"; do
		name=$(basename "$c" .c)
		if [[ ! -x $b/$name || $c -nt $b/$name ]]; then
			"$cc" -std=c11 -O2 -Wall -Wextra -Werror -static -o "$b/$name" "$c"
			step "built $b/$name ($label, static)"
		else
			step "tool $name ($label): up to date"
		fi
	done
}

# cross_build OUT ARCH TRIPLET SETUP CCFLAGS: vmsift cross-built as the
# release build is (codecs static, glibc dynamic) with TRIPLET-gcc CCFLAGS
# against $CACHE/ARCH/sysroot (which SETUP writes), in a scratch copy of the
# source tree so that the host build is untouched.  CCFLAGS may name the
# sysroot as $sr.
cross_build() {
	local out=$1 a=$2 triplet=$3 setup=$4 sr=$CACHE/$2/sysroot src tmp
	local ccflags=${5//\$sr/$sr}
	src=$(cd "$VM_DIR/../.." && pwd)
	[[ -d $sr/usr/include ]] || die "no $a sysroot: run tests/vm/$setup"
	command -v "$triplet-gcc" >/dev/null || die "no $triplet-gcc: run tests/vm/$setup"
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	cp -a "$src/Makefile" "$src/src" "$src/include" "$src/arch" "$tmp/"
	make -s -C "$tmp" -j"$(nproc)" vmsift \
		CC="$triplet-gcc $ccflags" \
		LDFLAGS="-L$sr/usr/lib/$triplet" >&2
	install -m 0755 "$tmp/vmsift" "$out"
	log "$out: $(readelf -h "$out" | sed -n "s/ *Machine: *//p")"
}
