# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer harnesses (clang, ASan + UBSan) and tests/fuzz/mkmini.
# Run from the top of the tree: make -f tests/fuzz/fuzz.mk [-j2]
# The engine is compiled again with fuzzer instrumentation into build/fuzz/obj;
# the CLI is left out (the harnesses call the engine directly).

CLANG   ?= clang
B       := build/fuzz
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
QUIET   := -Wno-gnu-variable-sized-type-not-at-end
SANS    := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
CFL     := -std=c11 -g -O1 -D_GNU_SOURCE -Iinclude -Iarch $(SANS)
LIBS    := -ldeflate -llzo2 -lsnappy -lzstd -pthread

LIB_SRCS := $(filter-out src/cli/%,$(wildcard src/*/*.c)) $(wildcard arch/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)
HARNESSES := fuzz_elf fuzz_vmcoreinfo fuzz_flat fuzz_walk fuzz_walk_arm64 fuzz_dwarf fuzz_kdumpin
HARNESSES += fuzz_walk_riscv64
HARNESSES += fuzz_config
HARNESSES += fuzz_walk_s390x
HARNESSES += fuzz_walk_ppc64
HARNESSES += fuzz_btf
# fuzz_walk_arm64's base cores: one small generated core per granule and descriptor format.
ARM64_LAYOUTS := 4k-48 4k-52 4k-52-on-48 16k-47 16k-52 64k-42 64k-52
ARM64_CORES := $(ARM64_LAYOUTS:%=$(B)/arm64/%.core)
# fuzz_walk_riscv64's: Sv39/48/57 (6.12 keys), Sv57 with Svnapot runs, Sv39 with 6.1's keys.
RISCV64_CORES := $(patsubst %,$(B)/riscv64/%.core,sv39 sv48 sv57 sv57-napot sv39-61)
# fuzz_walk_s390x's: 3, 4 and 5 levels, before 6.7 and since.
S390X_LAYOUTS := 3-6.1 4-6.12 5-6.1 5-6.12
S390X_CORES := $(S390X_LAYOUTS:%=$(B)/s390x/%.core)
# fuzz_walk_ppc64's: radix 64K/4K with the vmemmap only in the tables (6.12), hash, radix with both (6.1).
PPC64_CORES := $(addprefix $(B)/ppc64/,radix-64k.core radix-4k.core hash-64k.core radix-64k-61.core)
HELP_OBJS := $(B)/obj/tests/fuzz/minicore.o $(B)/obj/tests/fuzz/fuzzutil.o
# The page-table walk harnesses share their body (walkcore.c).
WALK_HARNESSES := fuzz_walk_arm64 fuzz_walk_riscv64 fuzz_walk_s390x fuzz_walk_ppc64
# The walk harnesses' extra prerequisite below is a rule too: "all" must stay the default.
.DEFAULT_GOAL := all
$(WALK_HARNESSES:%=$(B)/%): $(B)/obj/tests/fuzz/walkcore.o

.PHONY: all
all: $(HARNESSES:%=$(B)/%) $(B)/mkmini $(ARM64_CORES) $(RISCV64_CORES) $(S390X_CORES) $(PPC64_CORES)

$(B)/arm64/%.core: tests/gen/mkvmcore
	@mkdir -p $(dir $@)
	tests/gen/mkvmcore -o $@ --layout $* --mem 64M --seed 1 --mix free=90,zero=5,kernel=5
$(B)/riscv64/sv39-61.core: tests/gen/mkvmcore
	@mkdir -p $(dir $@)
	tests/gen/mkvmcore -o $@ --layout sv39 --kernel 6.1 --mem 64M --seed 1 --mix free=90,zero=5,kernel=5
$(B)/riscv64/%.core: tests/gen/mkvmcore
	@mkdir -p $(dir $@)
	tests/gen/mkvmcore -o $@ --layout $* --kernel 6.12 --mem 64M --seed 1 --mix free=90,zero=5,kernel=5
$(B)/s390x/%.core: tests/gen/mkvmcore
	@mkdir -p $(dir $@)
	tests/gen/mkvmcore -o $@ --layout s390x-$(firstword $(subst -, ,$*)) --kernel $(lastword $(subst -, ,$*)) \
		--mem 64M --seed 1 --mix free=90,zero=5,kernel=5
PPC64_GEN = @mkdir -p $(dir $@); tests/gen/mkvmcore -o $@ --arch ppc64le --mem 64M --seed 1 --mix free=90,zero=5,kernel=5
$(B)/ppc64/radix-64k.core $(B)/ppc64/radix-4k.core: $(B)/ppc64/%.core: tests/gen/mkvmcore
	$(PPC64_GEN) --layout $* --kernel 6.12
$(B)/ppc64/hash-64k.core: tests/gen/mkvmcore
	$(PPC64_GEN) --layout hash-64k
$(B)/ppc64/radix-64k-61.core: tests/gen/mkvmcore
	$(PPC64_GEN) --layout radix-64k --kernel 6.1
tests/gen/mkvmcore:
	$(MAKE) -f Makefile $@

# Engine sources: warnings shown, never fatal (gcc -Werror guards them).
$(B)/obj/src/%.o $(B)/obj/arch/%.o: CFL += $(WARN) $(QUIET)
$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(CFL) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

# Harness code is ours: fatal warnings.
$(B)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(CFL) $(WARN) -Werror -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(B)/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $(HELP_OBJS) $(LIB_OBJS)
	$(CLANG) $(CFL) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(B)/mkmini: tests/fuzz/mkmini.c tests/fuzz/minicore.c tests/fuzz/minicore.h
	@mkdir -p $(B)
	$(CC) -std=c11 $(WARN) -Werror -O2 -g -D_GNU_SOURCE -o $@ tests/fuzz/mkmini.c tests/fuzz/minicore.c

.SECONDARY:
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
