#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -x VMLINUX, -g and VMCOREINFO recovery on real Debian kernels (tests/vm):
# -g from the debug vmlinux against the kernel's own note key by key (and
# makedumpfile 1.7.2's -g beside it on 6.1); a QEMU core with its note
# removed keeps exactly the pages of the original, through recovery (KASLR
# guest; the dump carries the recovered text, so libkdumpfile, drgn and
# crash read it) and through -x alone (nokaslr guest, every memory copy of the text
# scrubbed); a vmlinux of another kernel, a stripped, truncated or corrupt
# one are refused cleanly; compressed debug sections read the same; --config
# erases the host name and the module names of the real kernel (crash warns),
# and per-CPU variables without -x, from the dump's BTF and kallsyms.
# VMSIFT_NO_VM=1 or VMSIFT_NO_DBG=1 skip it; VMSIFT_VM_KERNELS picks the
# suites; VMSIFT_DI_CORES=DIR keeps the QEMU cores there between runs.
. "$(dirname "$0")/../lib.sh"
VM=$ROOT/tests/vm
[ -n "${VMSIFT_NO_VM:-}" ] && { skip "debug info on real kernels" "VMSIFT_NO_VM is set"; finish; }
[ -n "${VMSIFT_NO_DBG:-}" ] && { skip "debug info on real kernels" "VMSIFT_NO_DBG is set"; finish; }
SUITES=${VMSIFT_VM_KERNELS:-bookworm trixie}
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
CORES=${VMSIFT_DI_CORES:-$WORK/cores}
ASAN=${VMSIFT_ASAN:-$ROOT/vmsift-asan}
[ -x "$ASAN" ] || ASAN=$VMSIFT
STRIP=$TOOLS/strip_vmcoreinfo.py
CMP=$TOOLS/compare_vmcoreinfo.py
# Keys the filter cannot do without: -g must have them all.
NEED="SYMBOL(init_uts_ns),SYMBOL(mem_section),SIZE(page),OFFSET(page.flags),OFFSET(page.mapping),\
OFFSET(page._mapcount),OFFSET(page.private),SIZE(mem_section),OFFSET(mem_section.section_mem_map),\
SYMBOL(node_data),LENGTH(node_data),OFFSET(pglist_data.node_zones),LENGTH(zone.free_area),\
NUMBER(PG_lru),NUMBER(PG_head_mask),SYMBOL(init_top_pgt),SYMBOL(prb)"

check "setup: kernels and debug vmlinux cached ($SUITES)" "$VM/setup.sh" --no-install --dbg $SUITES || finish

# core SUITE KIND [APPEND]: a QEMU core of a 1 GiB guest, taken once per KIND
core() {
	local dir=$CORES/$1-$2
	[ -s "$dir/vmcore.elf" ] && return 0
	VMSIFT_GUEST_APPEND=${3:-} "$VM/qemu-core.sh" "$1" "$dir" > "$WORK/qemu.log" 2>&1 ||
		{ tail -5 "$WORK/qemu.log"; return 1; }
}

# same_pages NAME REF NEW: identical kept pfns and page bytes
same_pages() {
	check "$1" "$PY" "$TOOLS/compare_dumps.py" "$2" "$3"
}

# erase_real SUITE CORE VMLINUX: --config on the real kernel (the KASLR core): the host name
# and every loaded module's name erased; crash warns, shows the name as X and prints the
# record (help -D), drgn reads X; only pages holding erased bytes differ from the reference.
erase_real() {
	local suite=$1 c=$2 vml=$3 t0 nrec
	# The module names erased but their last byte: all 56 would leave no NUL.  crash
	# 8.0.2 segfaulted at start-up on such dumps in 2 of 6 runs (KASLR cores; the
	# unterminated names the likely cause, not proven).
	printf 'erase init_uts_ns.name.nodename\nfor m in modules within module:list\n\terase m.name size 55\nendfor\n' \
		> "$WORK/real.conf"
	t0=$(date +%s.%N)
	check "$suite: --config erases init_uts_ns.name.nodename and each module's name" \
		"$VMSIFT" -f -l -d 31 -x "$vml" --config "$WORK/real.conf" "$c" "$WORK/erase.kdump" || return
	echo "# $suite --config with -x: $(echo "$(date +%s.%N) - $t0" | bc) s"
	"$PY" "$TOOLS/eraseinfo.py" "$WORK/erase.kdump" > "$WORK/erase.rec"
	nrec=$(grep -c '^erase m.name size 55$' "$WORK/erase.rec")
	check "... the record: the host name (65 bytes) and $nrec modules (55 bytes each)" \
		bash -c "grep -qx 'erase init_uts_ns.name.nodename size 65' '$WORK/erase.rec' && [ $nrec -gt 0 ]"
	"$PY" "$TOOLS/compare_dumps.py" "$WORK/ref.kdump" "$WORK/erase.kdump" > "$WORK/erase.cmp"
	local ndiff
	ndiff=$(sed -n 's/.* \([0-9]*\) differ, 0 only-in-A, 0 only-in-B$/\1/p' "$WORK/erase.cmp")
	check "... only pages holding erased bytes differ from the reference (at most 2 per record): ${ndiff:-other pages too}" \
		test "${ndiff:-999999}" -le $((2 * nrec + 2))
	# The two offsets erase_btf locates bytes with, from crash's reading of the DWARF.
	printf 'sys\nhelp -D\nstruct -o rq.nr_running\nstruct -o task_struct.comm\nstruct -o pcpu_hot.current_task\nquit\n' > "$WORK/crash.cmds"
	# The crash that understands this kernel (tests/vm/setup.sh notes it beside the kernel).
	local crash=crash kver
	kver=$(basename "$(dirname "$vml")")
	[ -f "$CACHE/kernels/$kver/crash" ] && crash=$(cat "$CACHE/kernels/$kver/crash")
	[ -d "$crash" ] && crash=$crash/run  # a crash built for newer kernels, with its wrapper
	# --no_modules: what is checked here is the host name and the record; the
	# module names (Xs) are no business of crash's start-up.
	timeout 300 "$crash" -s --no_modules -i "$WORK/crash.cmds" "$vml" "$WORK/erase.kdump" > "$WORK/crash.out" 2>&1
	check_grep "... crash warns that kernel data was erased" "Kernel data has been erased from this dumpfile" "$WORK/crash.out"
	check_grep "... and shows the host name erased" "NODENAME: X{65}" "$WORK/crash.out"
	check_grep "... help -D prints the record" "erase init_uts_ns.name.nodename size 65" "$WORK/crash.out"
	check "... drgn reads the host name as 65 X" "$PY" -c "
import drgn, sys
prog = drgn.Program()
prog.set_core_dump('$WORK/erase.kdump')
prog.load_debug_info(['$vml'])
sys.exit(bytes(prog['init_uts_ns'].name.nodename.value_()) != b'X' * 65)"
	rm -f "$WORK/erase.kdump"
}

# ---- --config without -x: erase_btf SUITE CORE VMLINUX ---------------------------------
# The rules resolved from the kernel's own BTF and kallsyms in the dump.  Debian's BTF
# types only per-CPU variables: rules on those (each CPU's copy; through a per-CPU
# pointer too) give a dump byte-identical to the same rules with -x, erasing exactly the
# bytes x86_percpu_ranges.py locates from the core and the vmlinux's symbols alone (the
# member offsets from crash, in erase_real's session); a rule on another global and a
# section of a loaded module are refused naming them; an unloaded module's is skipped.
erase_btf() {
	local suite=$1 c=$2 vml=$3 nr comm cur=current_task cur_at=0 n
	nr=$(sed -nE 's/^ *\[([0-9]+)\] unsigned int nr_running;$/\1/p' "$WORK/crash.out")
	comm=$(sed -nE 's/^ *\[([0-9]+)\] char comm\[16\];$/\1/p' "$WORK/crash.out")
	nm "$vml" > "$WORK/nm"
	# Linux 6.2 moved the per-CPU current_task into struct pcpu_hot (its first member).
	grep -q ' current_task$' "$WORK/nm" || { cur=pcpu_hot.current_task
		cur_at=$(sed -nE 's/^ *\[([0-9]+)\] +struct task_struct \*current_task;$/\1/p' "$WORK/crash.out"); }
	check "$suite BTF: setup: each CPU's runqueues.nr_running (at ${nr:-?}) and current task's comm (at ${comm:-?}, through $cur at ${cur_at:-?}) located" \
		bash -c "[ -n '$nr' ] && [ -n '$comm' ] && [ '$cur_at' = 0 ] && '$PY' '$TOOLS/x86_percpu_ranges.py' '$c' '$WORK/nm' \
			runqueues:$nr:4 '${cur%%.*}*:$comm:16' > '$WORK/expected'" || return
	n=$(( $(wc -l < "$WORK/expected") / 2 ))
	cat > "$WORK/percpu.conf" <<CONF
erase runqueues.nr_running     # a member of a per-CPU struct: each CPU's copy
erase $cur.comm        # through a per-CPU pointer
erase runqueues.curr.comm      # the same task's name, by another path
CONF
	check "$suite BTF: per-CPU rules without -x" \
		"$VMSIFT" -f -d 31 -l -D --config "$WORK/percpu.conf" "$c" "$WORK/btf.kdump" || return
	cp "$WORK/.log" "$WORK/btf.log"
	check_grep "... resolved from the dump's BTF and kallsyms" \
		"config: resolved without -x, from the dump's BTF .[0-9]+ types. and kallsyms" "$WORK/btf.log"
	check_grep "... $((2 * n)) objects ($n CPUs), $((20 * n)) bytes" "config: $((2 * n)) objects, $((20 * n)) bytes to erase" "$WORK/btf.log"
	check "... exactly the located bytes erased, every other byte of every page as in the core" \
		"$PY" "$TOOLS/check_erased.py" "$WORK/btf.kdump" "$c" "$WORK/expected"
	"$VMSIFT" -f -d 31 -l -x "$vml" --config "$WORK/percpu.conf" "$c" "$WORK/btfx.kdump" > /dev/null 2>&1
	check "... byte-identical to the same rules with -x (the erase record too)" cmp "$WORK/btf.kdump" "$WORK/btfx.kdump"
	check "... -E: the same bytes erased, nothing else changed" bash -c \
		"'$VMSIFT' -f -E -d 31 --config '$WORK/percpu.conf' '$c' '$WORK/btf.elf' && '$PY' '$TOOLS/check_erased.py' '$WORK/btf.elf' '$c' '$WORK/expected'"
	check "... the ASan build writes the same dump" bash -c \
		"'$ASAN' -f -d 31 -l --config '$WORK/percpu.conf' '$c' '$WORK/btfa.kdump' && cmp '$WORK/btf.kdump' '$WORK/btfa.kdump'"
	rm -f "$WORK/btf.elf" "$WORK/btfx.kdump" "$WORK/btfa.kdump"
	printf 'erase init_uts_ns.name.nodename\n' > "$WORK/global.conf"
	check_fails "$suite BTF: a rule on a global that is not per-CPU: refused" \
		"$ASAN" -f -d 31 -l --config "$WORK/global.conf" "$c" "$WORK/bad.kdump"
	check_grep "... naming it and why" \
		"line 1: init_uts_ns.name.nodename: the dump's BTF has no type for the variable init_uts_ns: it describes only per-CPU variables .[0-9]+ of them., not other globals; give -x VMLINUX" "$WORK/.log"
	printf '[ext4]\nerase ext4_li_info\n' > "$WORK/mod.conf"
	check_fails "$suite BTF: a section of a loaded module (ext4): refused" \
		"$VMSIFT" -f -d 31 -l --config "$WORK/mod.conf" "$c" "$WORK/bad.kdump"
	check_grep "... saying it needs its debug file" "section .ext4.: the module ext4 is loaded: .*give -x VMLINUX" "$WORK/.log"
	printf '[e1000]\nerase e1000_driver\n' > "$WORK/nomod.conf"
	check "$suite BTF: a section of a module not loaded (e1000): skipped" \
		"$VMSIFT" -f -d 31 -l --config "$WORK/nomod.conf" "$c" "$WORK/nomod.kdump"
	check_grep "... with a warning" "section .e1000. skipped: no such module is loaded" "$WORK/.log"
	rm -f "$WORK/btf.kdump" "$WORK/nomod.kdump" "$WORK/bad.kdump"
}

# ---- [MODULE] sections: erase_modules SUITE CORE KVER ----------------------------------
# Module globals set at run time (ext4's wait-queue array, its file system name string
# through a pointer, virtio_blk's block major) erased through the modules' own debug
# files (tests/vm/setup.sh --dbg keeps them in the -dbg layout, found from the -x path).
# The record and the page contents equal makedumpfile 1.7.2's on the same core; only
# pages holding erased bytes differ from the reference; drgn, relocating the modules by
# itself, reads X there; crash prints the record; a debug file of another build (vermagic
# or build-id) and a member the module's type lacks are refused naming them (the
# synthetic core-config.sh runs those error paths under ASan).
erase_modules() {
	local suite=$1 c=$2 kver=$3 dbg=$CACHE/kernels/$3/debug t0 ndiff
	local vmlx=$dbg/boot/vmlinux-$kver mods=$dbg/lib/modules/$kver/kernel
	if [ ! -e "$mods/fs/ext4/ext4.ko" ] || [ ! -e "$mods/drivers/block/virtio_blk.ko" ]; then
		skip "$suite: [MODULE] sections" "no module debug files in $dbg (tests/vm/setup.sh --dbg)"
		return
	fi
	printf '[ext4]\nerase ext4__ioend_wq\nerase ext4_fs_type.name\n[virtio_blk]\nerase major\n' > "$WORK/mod.conf"
	local tb
	tb=$(date +%s.%N)
	t0=$(date +%s.%N)
	check "$suite: --config [ext4] and [virtio_blk] sections, the modules' debug files found from -x" \
		"$VMSIFT" -f -l -d 31 -x "$vmlx" --config "$WORK/mod.conf" "$c" "$WORK/mod.kdump" || return
	echo "# $suite --config with module sections: $(echo "$(date +%s.%N) - $t0" | bc) s"
	local ioend_size
	ioend_size=$("$PY" -c "
import drgn
p = drgn.Program(); p.load_debug_info(['$mods/fs/ext4/ext4.ko'], default=False)
print(drgn.sizeof(p.type('wait_queue_head_t')) * len(p['ext4__ioend_wq']))" 2>/dev/null || echo unknown)
	"$PY" "$TOOLS/eraseinfo.py" "$WORK/mod.kdump" > "$WORK/mod.rec"
	check "... the record: the array whole ($ioend_size bytes), the string, the int" diff \
		<(printf 'erase ext4__ioend_wq size %s\nerase ext4_fs_type.name size 4\nerase major size 4\n' "$ioend_size") \
		"$WORK/mod.rec"
	"$PY" "$TOOLS/compare_dumps.py" "$WORK/ref.kdump" "$WORK/mod.kdump" > "$WORK/mod.cmp"
	ndiff=$(sed -n 's/.* \([0-9]*\) differ, 0 only-in-A, 0 only-in-B$/\1/p' "$WORK/mod.cmp")
	check "... only pages holding erased bytes differ from the reference (at most 2 per record): ${ndiff:-other pages too}" \
		test "${ndiff:-999999}" -ge 1 -a "${ndiff:-999999}" -le 6
	# drgn relocates the modules by itself; Debian 12's drgn knows struct module only before 6.4
	# (exit 77: it says it found no loaded module).
	local drgn_check="
import drgn, sys
def vals(core):
    p = drgn.Program(); p.set_core_dump(core)
    try:
        p.load_debug_info(['$vmlx', '$mods/fs/ext4/ext4.ko', '$mods/drivers/block/virtio_blk.ko'])
    except drgn.MissingDebugInfoError as e:
        if 'could not find loaded kernel modules' in str(e):
            print(e); sys.exit(77)
    w = p['ext4__ioend_wq']; m = p.object('major', drgn.FindObjectFlags.VARIABLE, 'virtio_blk.c')
    return (p.read(w.address_, drgn.sizeof(w)), p.read(p['ext4_fs_type'].name.value_(), 4), p.read(m.address_, 4),
            w[0].head.next.value_() == w[0].head.address_, m.value_())
e, r = vals('$WORK/mod.kdump'), vals('$WORK/ref.kdump')
ok = set(e[0]) == {0x58} and e[1] == b'XXXX' and e[2] == b'XXXX' and r[1] == b'ext4' and r[3] and r[4] > 0
print(e[1:3], r[1:]); sys.exit(0 if ok else 1)"
	"$PY" -c "$drgn_check" > "$WORK/drgn-mod.txt" 2>&1
	local rc=$?
	if [ $rc = 77 ]; then
		skip "... drgn reads the three erased as X" "this drgn finds no loaded module: $(grep -o "'struct module'[^)]*" "$WORK/drgn-mod.txt" | head -1)"
	else
		check "... drgn (its own module relocation) reads the three erased as X, the reference as set at run time" \
			bash -c "cat '$WORK/drgn-mod.txt'; exit $rc"
	fi
	printf 'help -D\nrd -64 ext4__ioend_wq 2\nquit\n' > "$WORK/crash-mod.cmds"
	local crash=crash
	[ -f "$CACHE/kernels/$kver/crash" ] && crash=$(cat "$CACHE/kernels/$kver/crash")
	[ -d "$crash" ] && crash=$crash/run
	timeout 300 "$crash" -s -i "$WORK/crash-mod.cmds" "$vmlx" "$WORK/mod.kdump" > "$WORK/crash-mod.out" 2>&1
	check_grep "... crash's help -D prints the module lines" "erase major size 4" "$WORK/crash-mod.out"
	check_grep "... crash (module symbols from the dump's own tables) reads ext4__ioend_wq as X" \
		"^[0-9a-f]+:  5858585858585858 5858585858585858 " "$WORK/crash-mod.out"
	if [ "$suite" = bookworm ] && [ -x /usr/bin/makedumpfile ]; then
		mdf_modules "$c" "$kver" "$dbg"
	fi
	# Bad input: a copy of ext4's debug file with another build-id, then another vermagic.
	local bad=$WORK/baddbg mk
	rm -rf "$bad" && mkdir -p "$bad/boot" "$bad/lib/modules/$kver/kernel/fs/ext4"
	ln -s "$CACHE/kernels/$kver/vmlinux" "$bad/boot/vmlinux-$kver"
	mk=$bad/lib/modules/$kver/kernel/fs/ext4/ext4.ko
	objcopy -O binary --only-section=.note.gnu.build-id "$mods/fs/ext4/ext4.ko" "$WORK/note.bin"
	"$PY" -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[-1] ^= 0xff; open(sys.argv[1], 'wb').write(b)" "$WORK/note.bin"
	objcopy --update-section .note.gnu.build-id="$WORK/note.bin" "$mods/fs/ext4/ext4.ko" "$mk"
	printf '[ext4]\nerase ext4__ioend_wq\n' > "$WORK/mod1.conf"
	check_fails "$suite: an ext4 debug file of another build: refused" \
		"$VMSIFT" -f -l -d 31 -x "$bad/boot/vmlinux-$kver" --config "$WORK/mod1.conf" "$c" "$WORK/bad.kdump"
	check_grep "... naming the file and both build-ids" "ext4.ko has build-id [0-9a-f]+ but the dump's ext4 module has [0-9a-f]+" "$WORK/.log"
	objcopy -O binary --only-section=.modinfo "$mods/fs/ext4/ext4.ko" "$WORK/modinfo.bin"
	"$PY" -c "import sys; p = sys.argv[1]; b = open(p, 'rb').read(); open(p, 'wb').write(b.replace(b'vermagic=$kver', b'vermagic=' + b'9' * len('$kver')))" "$WORK/modinfo.bin"
	objcopy --update-section .modinfo="$WORK/modinfo.bin" "$mods/fs/ext4/ext4.ko" "$mk"
	check_fails "$suite: an ext4 debug file of another kernel (vermagic): refused" \
		"$VMSIFT" -f -l -d 31 -x "$bad/boot/vmlinux-$kver" --config "$WORK/mod1.conf" "$c" "$WORK/bad.kdump"
	check_grep "... naming both releases" "ext4.ko is of kernel 9+ \\(its vermagic\\) but the dump is of ${kver//+/\\+}" "$WORK/.log"
	rm -rf "$bad"
	printf '[vmlinux]\nerase init_uts_ns.name.nodename\n[ext4]\nerase ext4_fs_type.nosuch\n' > "$WORK/mod2.conf"
	check_fails "$suite: a member ext4's type lacks: refused" \
		"$VMSIFT" -f -l -d 31 -x "$vmlx" --config "$WORK/mod2.conf" "$c" "$WORK/bad.kdump"
	check_grep "... naming the file, line and member" "mod2.conf line 4: .*nosuch" "$WORK/.log"
	rm -f "$WORK/mod.kdump" "$WORK/bad.kdump" "$WORK/note.bin" "$WORK/modinfo.bin"
	echo "# $suite [MODULE] checks took $(echo "$(date +%s.%N) - $tb" | bc) s"
}

# mdf_modules CORE KVER DBG: makedumpfile 1.7.2 with the same -x/--config, side by side.
# It finds a module through libdwfl as installed packages place it (the stripped .ko
# under /lib/modules/KVER, /boot/vmlinuz-KVER, the -dbg tree in /usr/lib/debug): a
# private mount namespace shows it the cached copies there, the host untouched.
mdf_modules() {
	local c=$1 kver=$2 dbg=$3 kd=$CACHE/kernels/$2 t0 ns=$WORK/mdf-ns
	rm -rf "$ns" && mkdir -p "$ns/u" "$ns/w"
	if ! unshare -m true 2>/dev/null; then
		skip "makedumpfile 1.7.2 with module sections" "no mount namespace (unshare -m)"
		return
	fi
	"$VM/fix-phoff" "$c" "$WORK/fixed.elf" > /dev/null
	t0=$(date +%s.%N)
	unshare -m bash -c 'set -e; mount --make-rprivate /
		mount -t overlay overlay -o "lowerdir=/usr/lib,upperdir=$1/u,workdir=$1/w" /usr/lib
		mkdir -p "/lib/modules/$2" "/usr/lib/debug/lib/modules/$2"
		mount --bind "$3/lib/modules/$2" "/lib/modules/$2"
		mount --bind "$4/lib/modules/$2" "/usr/lib/debug/lib/modules/$2"
		mount --bind "$3/boot" /boot
		shift 4; exec "$@"' - "$ns" "$kver" "$kd" "$dbg" \
		/usr/bin/makedumpfile -l -d 31 -x "$kd/vmlinux" --config "$WORK/mod.conf" "$WORK/fixed.elf" \
		"$WORK/mdf-mod.kdump" > "$WORK/mdf-mod.log" 2>&1
	echo "# makedumpfile 1.7.2 --config with module sections: exit $?, $(echo "$(date +%s.%N) - $t0" | bc) s"
	rm -f "$WORK/fixed.elf"; rm -rf "$ns"
	check "... makedumpfile 1.7.2, same -x/--config: the same record" \
		diff "$WORK/mod.rec" <("$PY" "$TOOLS/eraseinfo.py" "$WORK/mdf-mod.kdump")
	same_pages "... and the same kept pfns and page bytes" "$WORK/mdf-mod.kdump" "$WORK/mod.kdump"
	rm -f "$WORK/mdf-mod.kdump"
}
# ---- end of [MODULE] sections -------------------------------------------------------------

for suite in $SUITES; do
	kver=$(cat "$CACHE/kernels/$suite.kver")
	vml=$CACHE/kernels/$kver/vmlinux
	[ -s "$vml" ] || { skip "$suite" "no debug vmlinux for $kver"; continue; }
	check "$suite: QEMU core (KASLR guest)" core "$suite" kaslr || continue
	c=$CORES/$suite-kaslr/vmcore.elf
	"$PY" "$TOOLS/vmcoreinfo_note.py" "$c" > "$WORK/note.txt"

	# -g from the vmlinux, against the kernel's own note.
	t0=$(date +%s.%N)
	check "$suite: -g -x VMLINUX" "$VMSIFT" -g "$WORK/g.txt" -x "$vml"
	t_vs=$(echo "$(date +%s.%N) - $t0" | bc)
	"$PY" "$CMP" --min-common 90 --require "$NEED" "$WORK/note.txt" "$WORK/g.txt" > "$WORK/cmp.txt"
	check_eq "$suite: -g equals the kernel's note on every key both have (at least 90)" 0 $?
	echo "# $suite vmsift -g (${t_vs}s): $(tail -1 "$WORK/cmp.txt" | cut -d';' -f1-2)"
	if [ "$suite" = bookworm ] && [ -x /usr/bin/makedumpfile ]; then
		t0=$(date +%s.%N)
		/usr/bin/makedumpfile -g "$WORK/mdf.txt" -x "$vml" > "$WORK/mdf.log" 2>&1
		t_mdf=$(echo "$(date +%s.%N) - $t0" | bc)
		"$PY" "$CMP" "$WORK/note.txt" "$WORK/mdf.txt" > "$WORK/cmp-mdf.txt"
		echo "# makedumpfile 1.7.2 -g (${t_mdf}s): $(grep -c DIFF "$WORK/cmp-mdf.txt") differing:" \
			"$(grep DIFF "$WORK/cmp-mdf.txt" | tr '\n' ' ')$(tail -1 "$WORK/cmp-mdf.txt" | cut -d';' -f1)"
		# The speed goal (a quarter of makedumpfile's) is bench/debuginfo.sh's to judge, on an
		# idle machine; here the two times are only reported.
		echo "# $suite -g: vmsift ${t_vs}s, makedumpfile 1.7.2 ${t_mdf}s"
	fi

	# Reference: the original core at -d 31; then the same core without its note.
	check "$suite: reference dump (with the note)" "$VMSIFT" -f -l -d 31 --message-level 0 "$c" "$WORK/ref.kdump"
	"$PY" "$STRIP" "$c" "$WORK/nonote.elf" > /dev/null
	"$VMSIFT" -f -l -d 31 "$WORK/nonote.elf" "$WORK/rec.kdump" > "$WORK/rec.txt" 2>&1
	check_eq "$suite: no note (KASLR): -d 31 with the recovered VMCOREINFO" 0 $?
	check_grep "... said so" "recovered from its memory" "$WORK/rec.txt"
	same_pages "... the same kept pfns and bytes as with the note" "$WORK/ref.kdump" "$WORK/rec.kdump"
	check "... libkdumpfile, drgn and crash (with the vmlinux) read it like the original core" \
		"$VM/check-readers.sh" --ref "$c" "$WORK/rec.kdump" "$vml"
	check "... -g FILE VMCORE writes the kernel's text" "$VMSIFT" -g "$WORK/grec.txt" "$WORK/nonote.elf"
	check "... equal to the note" diff <(grep -v '^CRASHTIME=' "$WORK/note.txt") "$WORK/grec.txt"
	check "no note (KASLR) with -x: -d 31" "$VMSIFT" -f -l -d 31 --message-level 0 -x "$vml" "$WORK/nonote.elf" "$WORK/recx.kdump"
	same_pages "... the same kept pfns and bytes" "$WORK/ref.kdump" "$WORK/recx.kdump"
	"$PY" "$STRIP" --scrub-memory "$c" "$WORK/bare.elf" > /dev/null
	"$VMSIFT" -f -l -d 31 -x "$vml" "$WORK/bare.elf" "$WORK/bare.kdump" > "$WORK/bare.txt" 2>&1
	check_eq "no note and no text in memory, KASLR guest, -x: refused (exit 2)" 2 $?
	check_grep "... saying the KASLR offset is unknown" "KASLR kernel whose offset is unknown" "$WORK/bare.txt"
	rm -f "$WORK/nonote.elf" "$WORK/bare.elf" "$WORK/rec.kdump" "$WORK/recx.kdump"
	erase_real "$suite" "$c" "$vml"
	erase_btf "$suite" "$c" "$vml"
	erase_modules "$suite" "$c" "$kver"

	# nokaslr guest: -x alone (no note, every copy of the text scrubbed).
	if check "$suite: QEMU core (nokaslr guest)" core "$suite" nokaslr nokaslr; then
		c=$CORES/$suite-nokaslr/vmcore.elf
		"$PY" "$STRIP" --keep-note --scrub-memory "$c" "$WORK/scrubbed-note.elf" > /dev/null
		"$PY" "$STRIP" --scrub-memory "$c" "$WORK/scrubbed.elf" > "$WORK/strip.txt"
		check_grep "$suite nokaslr: the text's memory copies scrubbed" "scrubbed [1-9]" "$WORK/strip.txt"
		check "... reference dump (note kept)" "$VMSIFT" -f -l -d 31 --message-level 0 "$WORK/scrubbed-note.elf" "$WORK/ref.kdump"
		"$VMSIFT" -D -f -l -d 31 -x "$vml" "$WORK/scrubbed.elf" "$WORK/dw.kdump" > "$WORK/dw.txt" 2>&1
		check_eq "... no VMCOREINFO anywhere, -x: -d 31 works" 0 $?
		check_grep "... all from the vmlinux" "VMCOREINFO: none .*, [0-9]+ more keys from -x" "$WORK/dw.txt"
		same_pages "... the same kept pfns and bytes as with the note" "$WORK/ref.kdump" "$WORK/dw.kdump"
		check "... the same under ASan/UBSan" "$ASAN" -f -l -d 31 --message-level 0 -x "$vml" "$WORK/scrubbed.elf" "$WORK/dwa.kdump"
		"$VMSIFT" -f --dump-dmesg --message-level 0 "$c" "$WORK/log0.txt"
		check "... --dump-dmesg -x: the same log as from the note" bash -c \
			"'$VMSIFT' -f --dump-dmesg --message-level 0 -x '$vml' '$WORK/scrubbed.elf' '$WORK/log1.txt' && cmp '$WORK/log0.txt' '$WORK/log1.txt'"
		rm -f "$WORK/scrubbed-note.elf" "$WORK/scrubbed.elf" "$WORK/dw.kdump" "$WORK/dwa.kdump"
	fi

	# A vmlinux of another kernel.
	for other in $SUITES; do
		[ "$other" = "$suite" ] && continue
		ov=$CACHE/kernels/$(cat "$CACHE/kernels/$other.kver")/vmlinux
		[ -s "$ov" ] || continue
		"$VMSIFT" -f -l -d 31 -x "$ov" "$CORES/$suite-kaslr/vmcore.elf" "$WORK/o.kdump" > "$WORK/o.txt" 2>&1
		check_eq "$suite core, $other's vmlinux: refused (exit 2)" 2 $?
		okver=$(cat "$CACHE/kernels/$other.kver")
		check_grep "... naming both kernels" "is of kernel ${okver//+/\\+} but the dump is of ${kver//+/\\+}" "$WORK/o.txt"
	done
done

# Damaged vmlinux files (the first suite's), under ASan/UBSan: a clear error, never a crash.
suite=${SUITES%% *}
kver=$(cat "$CACHE/kernels/$suite.kver")
vml=$CACHE/kernels/$kver/vmlinux
c=$CORES/$suite-kaslr/vmcore.elf
if [ -s "$vml" ] && [ -s "$c" ]; then
	objcopy --strip-debug "$vml" "$WORK/stripped"
	check_fails "stripped vmlinux (no DWARF): a clear error" "$ASAN" -g "$WORK/g.txt" -x "$WORK/stripped"
	check_grep "... naming the file and what is missing" "stripped.* no (usable )?DWARF" "$WORK/.log"
	objcopy --strip-all "$WORK/stripped" "$WORK/stripped-all"
	check_fails "vmlinux without .symtab: a clear error" "$ASAN" -g "$WORK/g.txt" -x "$WORK/stripped-all"
	check_grep "... naming the symbol table" "no symbol table" "$WORK/.log"
	head -c 100000000 "$vml" > "$WORK/cut"
	check_fails "truncated vmlinux: a clear error" "$ASAN" -f -d 31 -x "$WORK/cut" "$c" "$WORK/x.kdump"
	rm -f "$WORK/stripped" "$WORK/stripped-all" "$WORK/cut"
	# Random bytes over a quarter of .debug_info: an error or a result, no crash.
	cp "$vml" "$WORK/corrupt"
	read -r off size < <(readelf -SW "$vml" | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 == ".debug_info" {print "0x"$4, "0x"$5}')
	off=$((off)); size=$((size))
	check "corrupt .debug_info: setup (the section found)" test "$size" -gt 0
	for k in 1 2 3; do
		dd if=/dev/urandom of="$WORK/corrupt" bs=4096 seek=$(( (off + size * k / 4) / 4096 )) count=64 conv=notrunc 2>/dev/null
	done
	timeout 300 "$ASAN" -g "$WORK/g.txt" -x "$WORK/corrupt" > "$WORK/corrupt.txt" 2>&1
	rc=$?
	echo "# corrupt .debug_info: exit $rc: $(grep -v '^$' "$WORK/corrupt.txt" | head -1)"
	check_eq "corrupt .debug_info: no crash, no sanitizer report, no hang" "" "$(unclean_exit $rc "$WORK/corrupt.txt")"
	rm -f "$WORK/corrupt"
	# Compressed debug sections (objcopy --compress-debug-sections): the same answers.
	objcopy --compress-debug-sections=zlib "$vml" "$WORK/compressed"
	"$VMSIFT" -g "$WORK/gz.txt" -x "$WORK/compressed" > /dev/null 2>&1
	"$VMSIFT" -g "$WORK/g.txt" -x "$vml" > /dev/null 2>&1
	check "compressed debug sections: the same -g output" diff "$WORK/g.txt" "$WORK/gz.txt"
	rm -f "$WORK/compressed"
fi
finish
