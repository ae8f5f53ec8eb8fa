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
# make SANITIZE=1: natc and the unit programs under AddressSanitizer and
# UBSan, in place.  Every UBSan finding stops the program as an ASan one
# does (no recovery), so that a test cannot pass over it; run them with
# ASAN_OPTIONS/UBSAN_OPTIONS giving an exit code of their own (see
# check-sanitize).
ifeq ($(SANITIZE),1)
NC_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
NC_LDFLAGS += -fsanitize=address,undefined
endif
# make FUZZ=1 (make fuzz's own tree): clang, coverage for libFuzzer
ifeq ($(FUZZ),1)
CC := clang
NC_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined \
	     -fno-sanitize-recover=all -fno-omit-frame-pointer
NC_LDFLAGS += -fsanitize=address,undefined
endif
# every project header is named from the top: "ir/ir.h", "parser/grammar.h"
# (generated into $(B)/), "backend/netlink/nl.h"
CPPFLAGS += -I. -I$(B) $(shell pkg-config --cflags $(PKGS))
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
NAMES   := natc-restore natc-save natc-translate natc-restore-translate \
	   natc6 natc6-restore natc6-save

UNIT_SRC := $(wildcard testsuite/unit/*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)

all: natc $(NAMES)

natc: $(CLI_OBJ) $(B)/libnatc.a
	$(CC) $(NC_LDFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libnatc.a $(LDLIBS)

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

# The flags the tree was built with, written when make reads this file
# and they differ: when they change (make SANITIZE=1 after make),
# everything is built again rather than mixed.
BUILD_FLAGS := $(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) $(NC_LDFLAGS) $(LDFLAGS)
$(shell mkdir -p $(B) && { echo '$(BUILD_FLAGS)' | cmp -s - $(B)/flags || \
	echo '$(BUILD_FLAGS)' > $(B)/flags; })
$(LIB_OBJ) $(CLI_OBJ): $(B)/flags

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/parser/%.o: $(B)/parser/%.c
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -Wno-sign-compare -Wno-unused-function -MMD -MP -c -o $@ $<

$(B)/testsuite/unit/%: testsuite/unit/%.c $(B)/libnatc.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) $(NC_LDFLAGS) $(LDFLAGS) $(UNIT_LDFLAGS) -o $@ $< $(B)/libnatc.a $(LDLIBS)

# oom: libnatc's realloc() calls go through the test's own, which fails
# when asked to; it includes the cli/ files it tests
$(B)/testsuite/unit/oom: UNIT_LDFLAGS := -Wl,--wrap=realloc
$(B)/testsuite/unit/oom: cli/explain.c cli/diag.c

units: $(UNIT_BIN) $(B)/testsuite/randdiff-gen

# what testsuite/randdiff.t runs: random commands from natc's option tables
$(B)/testsuite/randdiff-gen: testsuite/randdiff-gen.c $(B)/libnatc.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) $(NC_LDFLAGS) $(LDFLAGS) -o $@ $< $(B)/libnatc.a $(LDLIBS)

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

# The suites with natc built under AddressSanitizer and UBSan (SANITIZE=1),
# in a separate tree so the normal build is left alone.  A finding makes
# the program exit 99 (ASan, leaks) or 98 (UBSan), and its report is
# written to $(B)/san/reports/ too, so that a test which does not look at
# natc's status or stderr cannot hide it: any report fails the target.
# LeakSanitizer cannot work under ptrace: scale.t (natc under strace) runs
# without leak checking.  SAN_SUITES=... runs some suites only.
SAN_SUITES ?= $(wildcard testsuite/*.t)
SAN_ENV = ASAN_OPTIONS=detect_leaks=$(1):exitcode=99:log_path=$(CURDIR)/$(B)/san/reports/asan \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98:log_path=$(CURDIR)/$(B)/san/reports/ubsan
check-sanitize:
	rm -rf $(B)/san && mkdir -p $(B)/san/reports && git ls-files | tar cf - -T - | tar xf - -C $(B)/san
	$(MAKE) -C $(B)/san SANITIZE=1 CFLAGS="-O1 -g" all units
	st=0; cd $(B)/san && \
	{ $(call SAN_ENV,1) CONCURRENCY_KEEP=40 prove -v --timer $(filter-out testsuite/scale.t,$(SAN_SUITES)) || st=1; } && \
	$(if $(filter testsuite/scale.t,$(SAN_SUITES)),{ $(call SAN_ENV,0) prove -v --timer testsuite/scale.t || st=1; } &&) \
	if [ -n "$$(ls $(CURDIR)/$(B)/san/reports)" ]; then \
		echo "sanitizer reports:"; cat $(CURDIR)/$(B)/san/reports/*; st=1; \
	fi; exit $$st

# make fuzz: the libFuzzer harnesses of testsuite/fuzz/ built with clang
# (FUZZ=1) in their own tree, $(B)/fuzz; each run FUZZ_SECONDS from its
# committed seeds (testsuite/fuzz/seeds/NAME) into a scratch corpus
# ($(B)/fuzz/corpus/NAME); a crash fails it, the input kept in
# $(B)/fuzz/crashes/.  FUZZ_ONLY="cmdline dump" runs some of them.
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES := cmdline savefile script dump
FUZZ_ONLY ?= $(FUZZ_HARNESSES)
FUZZ_BIN := $(FUZZ_HARNESSES:%=$(B)/testsuite/fuzz/%)
fuzz:
	$(MAKE) B=$(B)/fuzz FUZZ=1 fuzz-bins
	testsuite/fuzz/run $(B)/fuzz $(FUZZ_SECONDS) $(FUZZ_ONLY)

fuzz-bins: $(FUZZ_BIN)

# make fuzz-diff N=100000 SEED=...: testsuite/randdiff.t's random
# differential test (root), long; SEED picked from the clock if not given
# (printed, with a line that runs a failing sequence again)
N ?= 100000
fuzz-diff: all units
	RANDDIFF_SEED=$${SEED:-$$(date +%s)} RANDDIFF_N=$(N) prove -v testsuite/randdiff.t

$(FUZZ_BIN): $(B)/testsuite/fuzz/%: testsuite/fuzz/%.c testsuite/fuzz/fuzz.h $(B)/libnatc.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) -fsanitize=fuzzer $(NC_LDFLAGS) $(LDFLAGS) \
		-o $@ $< $(B)/libnatc.a $(LDLIBS)

# what writes the dump harness's seeds (testsuite/fuzz/mkseeds)
$(B)/testsuite/fuzz/gen-dump: testsuite/fuzz/gen-dump.c testsuite/fuzz/fuzz.h \
			      testsuite/unit/corpus.h $(B)/libnatc.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(NC_CFLAGS) $(CFLAGS) $(NC_LDFLAGS) $(LDFLAGS) \
		-o $@ $< $(B)/libnatc.a $(LDLIBS)

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

.PHONY: check-sanitize check-thread check-valgrind fuzz fuzz-bins fuzz-diff
