#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a riscv64 kdump cycle needs beyond setup-riscv64.sh; safe to run again.
#
#   tests/vm/setup-riscv64-kdump.sh
#
# Debian builds no kexec-tools for riscv64 (trixie's 2.0.29 has no riscv
# port; sid's 2.0.32 has), so kexec is cross-built here, static,
# from the upstream tarball of sid's source package (a private deb-src list
# under the cache; the tarball is checked against the .dsc's SHA-256), with
# the riscv64 cross compiler setup-riscv64.sh installs.  Also the guests'
# static workload and memwatch.  Results in $CACHE/build/riscv64 (kexec,
# kexec.version, workload, memwatch): ~1 min the first time, then ~3 s.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

CC=riscv64-linux-gnu-gcc
command -v $CC >/dev/null || die "no $CC: run tests/vm/setup-riscv64.sh"
out=$CACHE/build/riscv64
mkdir -p "$out"

# sid's kexec-tools source, through a private deb-src list on the host's mirror.
src_setup() {
	local d=$CACHE/apt/sid-src
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(host_mirror) sid main" >"$d/sources.list"
	APT_OPTS=(-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o Dir::State::status=/dev/null)
	if [[ -z $(find "$d/updated" -mmin -1440 2>/dev/null) ]]; then
		step "apt source lists for sid: updating"
		apt-get "${APT_OPTS[@]}" update -q 2>&1 | { grep -v unsandboxed || true; } >&2
		touch "$d/updated"
	fi
}

build_kexec() {
	local ver upstream tmp tarball sum
	ver=$(apt-cache "${APT_OPTS[@]}" showsrc kexec-tools | awk '/^Version:/ { print $2 }' | sort -V | tail -1)
	[[ -n $ver ]] || die "no kexec-tools source in sid"
	upstream=${ver#*:} upstream=${upstream%-*}
	if [[ -x $out/kexec && $(cat "$out/kexec.version" 2>/dev/null) == "$upstream" ]]; then
		step "kexec-tools $upstream (riscv64, static): cached"
		return
	fi
	tmp=$(mktemp -d)
	# The Debian diff is not needed (and the mirror may lack it): the upstream tarball and the .dsc.
	(cd "$tmp" && apt-get "${APT_OPTS[@]}" source --download-only -q "kexec-tools=$ver" >/dev/null 2>&1) || true
	tarball=$tmp/kexec-tools_$upstream.orig.tar.xz
	[[ -f $tarball && -f $tmp/kexec-tools_${ver#*:}.dsc ]] || die "could not download kexec-tools $ver's source"
	sum=$(awk '/^Checksums-Sha256:/ { f = 1; next } /^[^ ]/ { f = 0 } f && $3 ~ /orig.tar/ { print $1 }' \
		"$tmp/kexec-tools_${ver#*:}.dsc")
	[[ $(sha256sum "$tarball" | cut -d' ' -f1) == "$sum" ]] || die "kexec-tools tarball does not match its .dsc"
	tar -xf "$tarball" -C "$tmp"
	[[ -d $tmp/kexec-tools-$upstream/kexec/arch/riscv ]] || die "kexec-tools $upstream has no riscv port"
	step "kexec-tools $upstream: cross-building (riscv64, static)"
	(cd "$tmp/kexec-tools-$upstream" &&
		./configure -q --host=riscv64-linux-gnu --build="$(gcc -dumpmachine)" \
			--without-zlib --without-lzma --without-xen LDFLAGS=-static >/dev/null &&
		make -s -j"$(nproc)" >/dev/null 2>&1) || die "kexec-tools build failed"
	riscv64-linux-gnu-strip -o "$out/kexec" "$tmp/kexec-tools-$upstream/build/sbin/kexec"
	echo "$upstream" >"$out/kexec.version"
	rm -rf "$tmp"
	step "built $out/kexec ($upstream)"
}

build_tools() {
	local c name
	for c in "$VM_DIR/workload.c" "$VM_DIR/../../bench/memwatch.c"; do
		name=$(basename "$c" .c)
		if [[ ! -x $out/$name || $c -nt $out/$name ]]; then
			$CC -std=c11 -O2 -Wall -Wextra -Werror -static -o "$out/$name" "$c"
			step "built $out/$name (riscv64, static)"
		fi
	done
}

src_setup
build_kexec
build_tools
step "done"
