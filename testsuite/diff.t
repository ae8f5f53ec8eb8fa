#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# diff.t - differential tests: natc against iptables-nft 1.8.9.
#
# For each entry of testsuite/diff/corpus (format: see the head of that
# file), two fresh network namespaces are made: the entry's commands run
# through $NATC in one and through $IPT (iptables-nft; `-t nat` added when a
# command names no table, as natc defaults to nat) in the other.  Per
# command, natc must give the same exit status, the same stdout and the same
# message (stderr with the program prefixes stripped and Try lines
# normalized, see norm_err in lib.sh).  After the entry, the listings
# `-t nat -S`, `-t nat -L -n --line-numbers` and `-t nat -L -n -v -x` of
# both namespaces must be equal.  One TAP test per entry; a failure shows
# unified diffs (expected: iptables-nft, got: natc).
#
# Environment:
#   NATC, IPT           tools (see lib.sh); NATC=iptables-nft is self-test
#                       mode: everything must pass, directives are ignored.
#   DIFF_CORPUS         corpus file (default testsuite/diff/corpus)
#   DIFF_ONLY=REGEX     run only entries whose title or "FILE:N" matches
#   DIFF_VERBOSE=1      show a transcript of every entry (reference side)
#   DIFF_PROTO_NAMES=0  compare the prot column of `-L -n` strictly; the
#                       default (1, except in self-test mode) rewrites the
#                       protocol NUMBERS iptables-nft 1.8.9 prints there
#                       to the NAMES natc prints (see proto_names).
#
# About that prot column.  iptables 1.8.9 prints protocol numbers (6, 17,
# 0) in `-L -n` listings; natc prints names (tcp, udp, all), by design.
# This is NOT specific to iptables-nft: iptables-legacy 1.8.9 prints the
# same numbers with -n (checked in a namespace): both come from the shared
# xshared.c, upstream commit da8ecc62dd76 "xshared: Print protocol numbers
# if --numeric was given", a regression (netfilter bugzilla #1729) that
# upstream reverted in 34f085b16073; without -n both print names.  So this
# normalization is a deliberate difference of natc's (it prints what
# iptables before and after 1.8.9 prints), applied to the reference output
# only; DIFF_PROTO_NAMES=0 holds natc to 1.8.9 exactly.
#
# Directives (lines starting with `#!`, see the corpus head): differs:,
# expect-status, msg-differs, expect-msg, out-differs, listings-differ,
# chains-differ.

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip diff timeout "$IPT" "$NFT"
require_natc

diff_setup "$TESTSUITE_DIR/diff" "ip nat" iptables
diff_run
done_testing
