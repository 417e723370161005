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
HARNESSES := fuzz_elf fuzz_vmcoreinfo fuzz_flat fuzz_walk fuzz_dwarf fuzz_kdumpin
HELP_OBJS := $(B)/obj/tests/fuzz/minicore.o $(B)/obj/tests/fuzz/fuzzutil.o

.PHONY: all
all: $(HARNESSES:%=$(B)/%) $(B)/mkmini

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
