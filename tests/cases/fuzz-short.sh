#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fuzz harnesses (tests/fuzz, libFuzzer + ASan + UBSan): every seed and
# every input that ever found a bug (tests/fuzz/regress) replays clean, then
# a short fuzzing pass (FUZZ_SHORT seconds per harness, default 15, two at a
# time: about a minute of fuzzing in all).  `make fuzz` runs the long pass.
. "$(dirname "$0")/../lib.sh"

if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
	skip "fuzz harnesses" "clang or libclang-rt-dev (libFuzzer) not installed"
	finish
fi
# Logs and any finding stay in build/fuzz/short (a finding must not vanish with $WORK).
OUT=$ROOT/build/fuzz/short
rm -rf "$OUT/findings"
check "the harnesses build (clang -fsanitize=fuzzer,address,undefined)" \
	make -s -C "$ROOT" -f tests/fuzz/fuzz.mk -j"$(nproc)"

FUZZ_OUT=$OUT "$ROOT/tests/fuzz/run.sh" --replay >"$WORK/replay.txt" 2>&1
for h in fuzz_elf fuzz_vmcoreinfo fuzz_flat fuzz_walk fuzz_walk_arm64 fuzz_dwarf fuzz_kdumpin fuzz_walk_riscv64 fuzz_config fuzz_walk_s390x fuzz_walk_ppc64 fuzz_btf; do
	check_grep "$h: seeds and past findings replay clean" "^$h: replayed .* all clean" "$WORK/replay.txt"
done

if [ -n "${VMSIFT_QUICK:-}" ]; then
	skip "short fuzzing pass" "VMSIFT_QUICK"
	finish
fi
t=${FUZZ_SHORT:-15}
FUZZ_OUT=$OUT "$ROOT/tests/fuzz/run.sh" -t "$t" -j 2 >"$WORK/fuzz.txt" 2>&1
for h in fuzz_elf fuzz_vmcoreinfo fuzz_flat fuzz_walk fuzz_walk_arm64 fuzz_dwarf fuzz_kdumpin fuzz_walk_riscv64 fuzz_config fuzz_walk_s390x fuzz_walk_ppc64 fuzz_btf; do
	check_grep "$h: ${t} s of fuzzing, no crash, hang, leak or sanitizer report" "^$h: [0-9]+ execs .* no findings" "$WORK/fuzz.txt"
done
sed 's/^/# /' "$WORK/fuzz.txt"
finish
