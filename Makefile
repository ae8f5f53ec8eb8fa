# SPDX-License-Identifier: GPL-2.0-or-later
# natc: make builds ./natc and its multi-call names; make check runs the
# tests (root needed for the kernel suites); make bench runs benchmarks.

CC      ?= cc
PKGS    := libnftnl libmnl xtables
CFLAGS  ?= -O2 -g
# what the code needs whatever CFLAGS says (make CFLAGS=... keeps these)
NC_CFLAGS := -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow \
           -Wformat=2 -D_GNU_SOURCE
# make WERROR=1: every warning is an error (CI builds so)
ifeq ($(WERROR),1)
NC_CFLAGS += -Werror
endif
# every project header is named from the top: "ir/ir.h", "parser/grammar.h"
# (generated into build/), "backend/netlink/nl.h"
CPPFLAGS += -I. -Ibuild $(shell pkg-config --cflags $(PKGS))
# where the translations and --explain load extensions from, whatever
# XTABLES_LIBDIR says (ir/ext/lib/xt.h)
XTLIBDIR := $(shell pkg-config --variable=xtlibdir xtables)
ifneq ($(XTLIBDIR),)
CPPFLAGS += -DNC_XTLIBDIR='"$(XTLIBDIR)"'
endif
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -pthread
FLEX    ?= flex
BISON   ?= bison

ifeq ($(filter grouped-target,$(.FEATURES)),)
$(error GNU make 4.3 or later needed (grouped targets, &:))
endif

B := build
GEN_C  := $(B)/parser/grammar.c $(B)/parser/scanner.c
LIB_SRC := $(wildcard parser/*.c ir/*.c ir/ext/*.c ir/ext/lib/*.c backend/*/*.c)
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(GEN_C:.c=.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
NAMES   := natc-restore natc-save natc-translate natc-restore-translate

UNIT_SRC := $(wildcard testsuite/unit/*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)

all: natc $(NAMES)

natc: $(CLI_OBJ) $(B)/libnatc.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libnatc.a $(LDLIBS)

$(NAMES): natc
	ln -sf natc $@

$(B)/libnatc.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# bison and flex each write two files in one run: grouped targets (GNU
# make 4.3), so that a parallel make runs each once
$(B)/parser/grammar.c $(B)/parser/grammar.h &: parser/grammar.y
	@mkdir -p $(B)/parser
	$(BISON) -Wall -Werror --defines=$(B)/parser/grammar.h -o $(B)/parser/grammar.c $<

$(B)/parser/scanner.c $(B)/parser/scanner.h &: parser/scanner.l
	@mkdir -p $(B)/parser
	$(FLEX) --header-file=$(B)/parser/scanner.h -o $(B)/parser/scanner.c $<

# generated headers first, then everything may include them
$(LIB_OBJ) $(CLI_OBJ): | $(B)/parser/grammar.h $(B)/parser/scanner.h

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/parser/%.o: $(B)/parser/%.c
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -Wno-sign-compare -Wno-unused-function -MMD -MP -c -o $@ $<

$(B)/testsuite/unit/%: testsuite/unit/%.c $(B)/libnatc.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) $(LDFLAGS) $(UNIT_LDFLAGS) -o $@ $< $(B)/libnatc.a $(LDLIBS)

# oom: libnatc's realloc() calls go through the test's own, which fails
# when asked to; it includes the cli/ files it tests
$(B)/testsuite/unit/oom: UNIT_LDFLAGS := -Wl,--wrap=realloc
$(B)/testsuite/unit/oom: cli/explain.c cli/diag.c

units: $(UNIT_BIN)

# Unit tests run anywhere; the kernel suites need root and skip without it
# only when run by hand (CI runs as root and must not skip them).
check: all units
	prove -v --timer testsuite/*.t

check-unit: all units
	prove -v testsuite/run-unit.t

bench: all
	testsuite/bench/run

clean:
	rm -rf $(B) natc $(NAMES)

.PHONY: all check check-unit units bench clean
-include $(shell find $(B) -name '*.d' 2>/dev/null)

# The suites with natc built under AddressSanitizer and UBSan, in a
# separate tree so the normal build is left alone.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
check-sanitize:
	rm -rf $(B)/san && mkdir -p $(B)/san && git ls-files | tar cf - -T - | tar xf - -C $(B)/san
	$(MAKE) -C $(B)/san CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" all units
	cd $(B)/san && ASAN_OPTIONS=detect_leaks=1:exitcode=99 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98 \
		prove testsuite/run-unit.t testsuite/diff.t testsuite/bad-input.t \
		testsuite/bad-catalogue.t \
		testsuite/restore.t testsuite/interop.t testsuite/explain.t \
		testsuite/translate-parts.t testsuite/translate.t

# natc's threads under ThreadSanitizer: natc-restore-translate's readers,
# the dumps read ahead (nl_kernel: as root, in a namespace of its own), and
# owner's user and group names built in several threads (parse).
check-thread:
	rm -rf $(B)/tsan && mkdir -p $(B)/tsan && git ls-files | tar cf - -T - | tar xf - -C $(B)/tsan
	$(MAKE) -C $(B)/tsan CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" all units
	cd $(B)/tsan && TSAN_OPTIONS=halt_on_error=1:exitcode=97 prove testsuite/translate-parts.t
	cd $(B)/tsan && TSAN_OPTIONS=halt_on_error=1:exitcode=97 build/testsuite/unit/nl_kernel 20000
	cd $(B)/tsan && TSAN_OPTIONS=halt_on_error=1:exitcode=97 build/testsuite/unit/parse

# The suites with natc under valgrind (slow: valgrind starts per command).
check-valgrind: all
	NATC=$(CURDIR)/testsuite/tools/natc-valgrind \
	NATC_RESTORE=$(CURDIR)/testsuite/tools/natc-restore-valgrind \
	NATC_SAVE=$(CURDIR)/testsuite/tools/natc-save-valgrind \
		prove testsuite/bad-input.t testsuite/diff.t testsuite/restore.t

.PHONY: check-sanitize check-thread check-valgrind
