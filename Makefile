# SPDX-License-Identifier: GPL-2.0-or-later
# vmsift build.  Targets: all (vmsift), test-tools, check, check-quick, check-distro, asan,
# tsan, install, install-makedumpfile-name, uninstall, clean, fuzz, demo.
# Variables: CFLAGS, CPPFLAGS, LDFLAGS, WERROR=0|1, STATIC_CODECS=0|1, PREFIX,
# DESTDIR, SBINDIR, MANDIR, INSTALL_MAKEDUMPFILE=0|1.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
VERSION := 0.1.0

# -Werror in a git checkout (development and CI), not in a release tarball,
# where a newer compiler's new warning must not stop a user's build.
# WERROR=1 or WERROR=0 on the command line decides either way.
WERROR  ?= $(if $(wildcard .git),1,0)
WARN     := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
            $(if $(filter 1,$(WERROR)),-Werror)

# CFLAGS, CPPFLAGS and LDFLAGS are the caller's (distro builds pass their own,
# e.g. make CFLAGS="-O2 -g -fstack-protector-strong"); what the build itself
# needs lives in VS_* and is always added in front of them.
CFLAGS   ?= -O2 -g
VS_CPPFLAGS := -Iinclude -Iarch -D_GNU_SOURCE -DVMSIFT_VERSION=\"$(VERSION)\"
VS_CFLAGS   := -std=c11 $(WARN) -pthread
ALL_CPPFLAGS = $(VS_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(VS_CFLAGS) $(CFLAGS)
LIBS     := -ldeflate -llzo2 -lsnappy -lzstd -pthread
# The release binary links the codec libraries statically (and snappy's C++
# runtime with them): in a kdump initramfs the shared libraries are copied
# whole, and libstdc++ + libm alone are 3 MiB that a 96 MiB crashkernel
# cannot spare (the capture kernel ran out of memory unpacking the image).
# STATIC_CODECS=0 links them dynamically.
STATIC_CODECS ?= 1
ifeq ($(STATIC_CODECS),1)
REL_LIBS := -Wl,-Bstatic -ldeflate -llzo2 -lsnappy -lzstd -lstdc++ -Wl,-Bdynamic -lm -pthread
else
REL_LIBS := $(LIBS) -lstdc++
endif

SRCS := $(wildcard src/*/*.c) $(wildcard arch/*.c)
LIB_SRCS := $(filter-out src/cli/%,$(SRCS))
CLI_SRCS := $(filter src/cli/%,$(SRCS))

OBJDIR      := build/rel
ASAN_OBJDIR := build/asan
TSAN_OBJDIR := build/tsan
OBJS      := $(SRCS:%.c=$(OBJDIR)/%.o)
ASAN_OBJS := $(SRCS:%.c=$(ASAN_OBJDIR)/%.o)
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TSAN_OBJS := $(SRCS:%.c=$(TSAN_OBJDIR)/%.o)
TSAN_FLAGS := -O1 -g -fsanitize=thread

GEN_SRCS := $(wildcard tests/gen/*.c)
GEN_HDRS := $(wildcard tests/gen/*.h)

.PHONY: all asan tsan test-tools check check-quick check-distro install install-makedumpfile-name uninstall \
        clean fuzz demo
GEN := $(if $(GEN_SRCS),tests/gen/mkvmcore)

# The product.  The test tools are separate targets that check depends on.
all: vmsift

test-tools: $(GEN)

vmsift: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(REL_LIBS)

vmsift-asan: $(ASAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

asan: vmsift-asan

# ThreadSanitizer build for the --num-threads pool (tests/cases/tsan-threads.sh).
vmsift-tsan: $(TSAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(TSAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

tsan: vmsift-tsan

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(ASAN_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ASAN_FLAGS) -MMD -MP -c -o $@ $<

$(TSAN_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(TSAN_FLAGS) -MMD -MP -c -o $@ $<

# A test tool: its own fixed flags (big generated machines need -O2).
tests/gen/mkvmcore: $(GEN_SRCS) $(GEN_HDRS)
	$(CC) -std=c11 $(WARN) -O2 -g -D_GNU_SOURCE -o $@ $(GEN_SRCS) -lm

check: vmsift vmsift-asan vmsift-tsan test-tools
	tests/run.sh

check-quick: vmsift test-tools
	VMSIFT_QUICK=1 tests/run.sh

# Debian's kdump-tools running vmsift through a real crash in a Debian guest
# (tests/cases/vm-distro.sh): minutes under TCG, so not part of check.
check-distro: vmsift test-tools
	VMSIFT_DISTRO=1 tests/run.sh tests/cases/vm-distro.sh

# The main job on a bundled default input: a generated 256 MiB x86_64 machine,
# filtered at the distros' default level (-l -d 31).
demo: vmsift tests/gen/mkvmcore
	@mkdir -p build/demo
	tests/gen/mkvmcore --mem 256M --seed 1 -o build/demo/vmcore >/dev/null
	./vmsift -f -l -d 31 --show-stats build/demo/vmcore build/demo/dump.kdump
	@ls -l build/demo/vmcore build/demo/dump.kdump

# Installation.  SBINDIR and MANDIR follow PREFIX unless given; DESTDIR is
# prepended to every path (package builds).  INSTALL_MAKEDUMPFILE=1 (or the
# install-makedumpfile-name target) also installs the name makedumpfile: a
# symlink to vmsift, which then signs its messages as makedumpfile, and the
# man page under that name.
SBINDIR ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
INSTALL ?= install
INSTALL_MAKEDUMPFILE ?= 0

install: vmsift
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 755 vmsift $(DESTDIR)$(SBINDIR)/vmsift
	$(INSTALL) -m 644 docs/vmsift.8 $(DESTDIR)$(MANDIR)/man8/vmsift.8
	$(if $(filter 1,$(INSTALL_MAKEDUMPFILE)),$(install_makedumpfile_name))

install-makedumpfile-name:
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(install_makedumpfile_name)

# Relative symlinks, so they hold both in DESTDIR and after it.  A real
# makedumpfile already at that place is left alone: install stops instead.
define install_makedumpfile_name
	@for l in $(DESTDIR)$(SBINDIR)/makedumpfile:vmsift $(DESTDIR)$(MANDIR)/man8/makedumpfile.8:vmsift.8; do \
		link=$${l%:*} target=$${l##*:}; \
		if [ -e "$$link" ] && [ "$$(readlink "$$link")" != "$$target" ]; then \
			echo "$$link exists and is not vmsift's: not replaced" >&2; exit 1; fi; \
		echo "ln -sf $$target $$link"; ln -sf "$$target" "$$link" || exit 1; \
	done
endef

# Removes what install put there, and the makedumpfile name only where it
# is our symlink (never a real makedumpfile).
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vmsift $(DESTDIR)$(MANDIR)/man8/vmsift.8
	if [ "$$(readlink $(DESTDIR)$(SBINDIR)/makedumpfile)" = vmsift ]; then \
		rm -f $(DESTDIR)$(SBINDIR)/makedumpfile; fi
	if [ "$$(readlink $(DESTDIR)$(MANDIR)/man8/makedumpfile.8)" = vmsift.8 ]; then \
		rm -f $(DESTDIR)$(MANDIR)/man8/makedumpfile.8; fi

fuzz:
	tests/fuzz/run.sh

clean:
	rm -rf build vmsift vmsift-asan vmsift-tsan tests/gen/mkvmcore tests/out

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(TSAN_OBJS:.o=.d)
