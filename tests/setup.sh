#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what vmsift's build and tests need on Debian 12, skipping what is
# already present.  Run as root.  The real-kernel VM tests' own needs (kernel
# packages, cached under $VMSIFT_CACHE) are fetched by tests/vm/setup.sh.
set -euo pipefail

BUILD=(build-essential pkg-config libdeflate-dev zlib1g-dev liblzo2-dev libsnappy-dev libzstd-dev
       libelf-dev libdw-dev)
TEST=(makedumpfile python3 python3-libkdumpfile python3-drgn python3-lzo python3-snappy
      python3-zstandard crash clang libclang-rt-14-dev strace time valgrind e2fsprogs
      debhelper devscripts lintian)
VM=(qemu-system-x86 busybox-static kexec-tools cpio mmdebstrap)

missing=()
for p in "${BUILD[@]}" "${TEST[@]}" "${VM[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: run as root (apt-get install is needed)" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
	echo "setup: all packages present"
fi
# The other architectures' kernels, peers and cross toolchains, one after
# the other (they share apt and dpkg).  `tests/setup.sh --foreign` does only
# these; VMSIFT_NO_FOREIGN=1 leaves them out (.ci/run fetches them beside
# the suite); VMSIFT_NO_<ARCH>=1 leaves one out.
foreign() {
	local a
	for a in arm64 s390x ppc64 riscv64; do
		local knob=VMSIFT_NO_${a^^}
		[ -n "${!knob:-}" ] && continue
		[ -x "$(dirname "$0")/vm/setup-$a.sh" ] && "$(dirname "$0")/vm/setup-$a.sh"
	done
	return 0
}
if [ -x "$(dirname "$0")/vm/setup.sh" ] && [ -z "${VMSIFT_NO_VM:-}" ]; then
	if [ "${1:-}" = --foreign ]; then
		foreign
		exit 0
	fi
	# Every suite and debug vmlinux the cases use, fetched here once rather
	# than by the first of several cases that need them at the same time.
	"$(dirname "$0")/vm/setup.sh" --dbg bookworm trixie
	[ -n "${VMSIFT_NO_FOREIGN:-}" ] || foreign
fi
