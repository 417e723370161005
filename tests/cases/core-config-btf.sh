#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --config without -x on the real Debian 6.1 x86_64 core of bench/ (a QEMU
# guest's, 1 GiB): the rules are resolved from the kernel's own BTF and
# kallsyms in the dump.  Debian's BTF types only per-CPU variables: rules on
# those (each CPU's copy; through a per-CPU pointer too) give a dump
# byte-identical to the same rules with the -dbg vmlinux (-x), and exactly
# the bytes located from the core and the vmlinux's symbols alone
# (tests/tools/x86_percpu_ranges.py) are erased; a rule on another global fails naming it and
# why; a section of a loaded module is refused (its types would come from
# its debug file), one of a module not loaded skipped; the arm64 6.1 core
# (kallsyms without data symbols) is refused saying so.  The ASan build
# does the same.  Skips (saying why) when the bench
# core or the vmlinux is not cached.
. "$(dirname "$0")/../lib.sh"
CACHE=${VMSIFT_CACHE:-$HOME/.cache/vmsift}
CORE=$CACHE/bench/cores/real-1g-6.1/vmcore.elf
VML=$CACHE/kernels/6.1.0-57-amd64/vmlinux
[ -r "$CORE" ] || { skip "--config from the dump's BTF" "no bench core $CORE (bench/run.sh makes it)"; finish; }
[ -r "$VML" ] || { skip "--config from the dump's BTF" "no 6.1 -dbg vmlinux (tests/vm/setup.sh fetches it)"; finish; }
T0=$(date +%s.%N)
took() { printf '%.1f' "$(echo "$(date +%s.%N) - $1" | bc)"; }

cat > "$WORK/percpu.conf" <<'CONF'
erase runqueues.nr_running     # a member of a per-CPU struct: each CPU's copy
erase current_task.comm        # through a per-CPU pointer
erase runqueues.curr.comm      # the same task's name, by another path
CONF
printf 'erase init_uts_ns.name.nodename\n' > "$WORK/global.conf"

t=$(date +%s.%N)
check "per-CPU rules without -x: from the dump's BTF and kallsyms" \
	"$VMSIFT" -f -d 31 -l -D --config "$WORK/percpu.conf" "$CORE" "$WORK/btf.kdump"
cp "$WORK/.log" "$WORK/btf.log"
echo "# without -x: $(took "$t") s"
check_grep "... saying so" "config: resolved without -x, from the dump's BTF .100811 types. and kallsyms" "$WORK/btf.log"
check_grep "... erasing 4 objects (2 CPUs), 40 bytes" "config: 4 objects, 40 bytes to erase" "$WORK/btf.log"
t=$(date +%s.%N)
check "the same rules with -x VMLINUX" \
	"$VMSIFT" -f -d 31 -l -x "$VML" --config "$WORK/percpu.conf" "$CORE" "$WORK/x.kdump"
echo "# with -x: $(took "$t") s"
check "... the same pages and page contents as without -x" "$PY" "$TOOLS/compare_dumps.py" "$WORK/btf.kdump" "$WORK/x.kdump"
check "... byte-identical files (the erase record too)" cmp "$WORK/btf.kdump" "$WORK/x.kdump"
# Where the bytes should be, from the core and the vmlinux's symbols alone (not vmsift's code):
# struct rq.nr_running is at 4 and task_struct.comm at 2976 in this build (gdb ptype/o on its vmlinux).
nm "$VML" > "$WORK/nm"
check "setup: each CPU's runqueues.nr_running and current task's comm located" \
	bash -c "'$PY' '$TOOLS/x86_percpu_ranges.py' '$CORE' '$WORK/nm' runqueues:4:4 'current_task*:2976:16' > '$WORK/expected'"
check_eq "... 2 CPUs: 4 ranges" 4 "$(wc -l < "$WORK/expected")"
check "... exactly those bytes erased, every other byte of every page as in the core" \
	"$PY" "$TOOLS/check_erased.py" "$WORK/btf.kdump" "$CORE" "$WORK/expected"
check "-E (ELF output) without -x: the same bytes erased, nothing else changed" bash -c \
	"'$VMSIFT' -f -E -d 31 --config '$WORK/percpu.conf' '$CORE' '$WORK/btf.elf' && '$PY' '$TOOLS/check_erased.py' '$WORK/btf.elf' '$CORE' '$WORK/expected'"
rm -f "$WORK/btf.elf"
check "the same filtering without --config" "$VMSIFT" -f -d 31 -l "$CORE" "$WORK/plain.kdump"
check_fails "... differs from it (bytes were erased)" "$PY" "$TOOLS/compare_dumps.py" "$WORK/plain.kdump" "$WORK/btf.kdump"
# one record per object: runqueues.curr.comm is current_task.comm's bytes (the same start: one record)
check_eq "... the erase record: each CPU's nr_running and task name" \
	"$(printf 'erase current_task.comm size 16\n%.0s' 1 2; printf 'erase runqueues.nr_running size 4\n%.0s' 1 2)" \
	"$(strings "$WORK/btf.kdump" | grep -E '^erase [a-z_.]+ size [0-9]+$' | sort)"

check_fails "a rule on a global that is not per-CPU: refused" \
	"$VMSIFT" -f -d 31 -l --config "$WORK/global.conf" "$CORE" "$WORK/bad.kdump"
check_grep "... naming it and why" \
	"line 1: init_uts_ns.name.nodename: the dump's BTF has no type for the variable init_uts_ns: it describes only per-CPU variables .380 of them., not other globals; give -x VMLINUX" "$WORK/.log"

# The module list is walked with BTF's struct module and kallsyms' "modules".
printf '[ext4]\nerase ext4_li_info\n' > "$WORK/mod.conf"
check_fails "a section of a loaded module (ext4): refused" \
	"$VMSIFT" -f -d 31 -l --config "$WORK/mod.conf" "$CORE" "$WORK/bad.kdump"
check_grep "... saying it needs its debug file" "section .ext4.: the module ext4 is loaded: .*give -x VMLINUX" "$WORK/.log"
printf '[e1000]\nerase e1000_driver\n' > "$WORK/nomod.conf"
check "a section of a module not loaded (e1000): skipped" \
	"$VMSIFT" -f -d 31 -l --config "$WORK/nomod.conf" "$CORE" "$WORK/nomod.kdump"
check_grep "... with a warning" "section .e1000. skipped: no such module is loaded" "$WORK/.log"

# Debian's 6.1 arm64 kernel has BTF but CONFIG_KALLSYMS_ALL unset: no data symbol, no __start_BTF.
ARM=$CACHE/bench/cores/real-1g-arm64-6.1/vmcore.elf
if [ -r "$ARM" ]; then
	check_fails "arm64 6.1 (kallsyms without data symbols): refused" \
		"$VMSIFT" -f -d 31 -l --config "$WORK/percpu.conf" "$ARM" "$WORK/bad.kdump"
	check_grep "... saying why" "kallsyms has no __start_BTF: it holds no data symbols at all .the kernel was built without CONFIG_KALLSYMS_ALL.; give -x VMLINUX" "$WORK/.log"
else
	skip "arm64 6.1 core without data symbols in kallsyms" "no bench core $ARM"
fi

if [ -x "$ROOT/vmsift-asan" ]; then
	t=$(date +%s.%N)
	check "ASan build: the per-CPU rules" \
		"$ROOT/vmsift-asan" -f -d 31 -l --config "$WORK/percpu.conf" "$CORE" "$WORK/asan.kdump"
	check "... the same dump" cmp "$WORK/btf.kdump" "$WORK/asan.kdump"
	check_fails "ASan build: the global rule refused" \
		"$ROOT/vmsift-asan" -f -d 31 -l --config "$WORK/global.conf" "$CORE" "$WORK/bad.kdump"
	check_grep "... with the message, and no sanitizer report" "no type for the variable init_uts_ns" "$WORK/.log"
	echo "# ASan: $(took "$t") s"
else
	skip "ASan build on the BTF rules" "vmsift-asan not built"
fi
echo "# core-config-btf took $(took "$T0") s"
finish
