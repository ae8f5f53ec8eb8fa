#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# diff6.t - differential tests for IPv6: natc6 against ip6tables-nft 1.8.9.
#
# diff.t's machinery (lib.sh: diff_setup, diff_run) on the corpora of
# testsuite/diff6/ (the format of testsuite/diff/corpus, see its head):
# per entry, two fresh namespaces, the commands through natc6 and through
# ip6tables-nft (`-t nat` added when a command names no table); exit
# status, stdout and message compared per command, then `-t nat -S`,
# `-L -n --line-numbers`, `-L -n -v -x` and the kernel's chains in table
# ip6 nat (`nft list chains`).  The prot column of `-L -n` is compared by
# name, as in diff.t (DIFF_PROTO_NAMES, see diff.t's head).
#
# Environment:
#   NATC6               the tool under test (default: natc6 beside natc);
#                       NATC6=ip6tables-nft is self-test mode
#   IPT6                the reference (default: ip6tables-nft)
#   DIFF6_CORPUS        corpus file (default testsuite/diff6/corpus and
#                       every testsuite/diff6/*.corpus)
#   DIFF_ONLY, DIFF_VERBOSE, DIFF_PROTO_NAMES   as for diff.t
#   NATC6_RESTORE, NATC6_SAVE  natc6-restore and natc6-save (default:
#                       beside natc6; in self-test mode ip6tables-nft's)
#   IPT6_RESTORE, IPT6_SAVE    ip6tables-nft-restore, ip6tables-nft-save
#
# Then restore and save (tests named "restore: ..."; DIFF_ONLY selects
# them too): testsuite/diff6/docker6.save (with a -4 line, skipped, and a
# -6 line, read) through both restores, then noflush6.save with
# --noflush over it; after each, both saves (comments dropped), `-S` and
# the kernel's chains must be equal.  Each tool's save is loaded by the
# other tool's restore and must save the same again; bad6.save is refused
# by both with the same status, changing nothing; counters6.save loaded
# with -c must be saved back by natc6-save -c as it is (a deliberate
# difference: ip6tables-nft 1.8.9 sets no rule counters, its save shows
# [0:0] for every rule, where iptables-nft-restore -c sets them).

NATC=${NATC6:-$(cd "$(dirname "$0")/.." && pwd)/natc6}
IPT=${IPT6:-ip6tables-nft}
DIFF_CORPUS=${DIFF6_CORPUS:-}
# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
if [ "$SELFTEST" = 1 ]; then
	: "${NATC6_RESTORE:=ip6tables-nft-restore}" "${NATC6_SAVE:=ip6tables-nft-save}"
else
	: "${NATC6_RESTORE:=${NATC%/*}/natc6-restore}" "${NATC6_SAVE:=${NATC%/*}/natc6-save}"
fi
: "${IPT6_RESTORE:=ip6tables-nft-restore}" "${IPT6_SAVE:=ip6tables-nft-save}"
require_cmds ip diff timeout "$IPT" "$NFT" "$IPT6_RESTORE" "$IPT6_SAVE"
require_natc

diff_setup "$TESTSUITE_DIR/diff6" "ip6 nat" ip6tables
diff_run

# ---------------------------------------------------- restore and save ----

R_DIR=$TESTSUITE_DIR/diff6

# tool_run NS natc|ref restore|save ARG...: one of the four tools in NS
# (natc6's under a timeout); sets RUN_RC RUN_OUT RUN_ERR.
tool_run() {
	local ns=$1 side=$2 what=$3
	shift 3
	local -a cmd
	if [ "$side" = natc ]; then
		cmd=(timeout -k 5 "$NATC_TIMEOUT")
		if [ "$what" = restore ]; then cmd+=("$NATC6_RESTORE"); else cmd+=("$NATC6_SAVE"); fi
	elif [ "$what" = restore ]; then
		cmd=("$IPT6_RESTORE")
	else
		cmd=("$IPT6_SAVE")
	fi
	run_cap "$ns" "${cmd[@]}" "$@"
}

# state_of NS natc|ref: sets REPLY to what is compared of NS's table: its
# save without comment lines, `-S`, the kernel's chains.
state_of() {
	local s
	tool_run "$1" "$2" save
	s=$(grep -v '^#' <<<"$RUN_OUT")$'\n'"[$RUN_RC] $RUN_ERR"$'\n'
	if [ "$2" = natc ]; then natc_argv -t nat -S; else ipt_argv -t nat -S; fi
	run_cap "$1" "${ARGV[@]}"
	s+="${RUN_OUT}[$RUN_RC] $RUN_ERR"$'\n'
	run_cap "$1" "$NFT" list chains
	nat_chains "$RUN_OUT"
	REPLY=$s$REPLY
}

nsN='' nsI=''

# restore_both NAME STATUS ARG...: natc6-restore ARG... in nsN, the
# reference's in nsI; natc6-restore must exit STATUS, both the same, and
# both states must be equal.
restore_both() {
	local name="restore: $1" want=$2 problems=() n_rc n_state
	shift 2
	tool_run "$nsN" natc restore "$@"
	n_rc=$RUN_RC
	[ "$n_rc" = "$want" ] ||
		problems+=("natc6-restore $* exited $n_rc, not $want: $RUN_ERR")
	tool_run "$nsI" ref restore "$@"
	[ "$RUN_RC" = "$n_rc" ] ||
		problems+=("status: natc6-restore $n_rc, $IPT6_RESTORE $RUN_RC")
	state_of "$nsN" natc
	n_state=$REPLY
	state_of "$nsI" ref
	[ "$n_state" = "$REPLY" ] ||
		problems+=("save, -S, chains:"$'\n'"$(udiff "$REPLY" "$n_state" "$IPT6_RESTORE" natc6-restore)")
	if [ ${#problems[@]} -eq 0 ]; then tap_pass "$name"; else tap_fail "$name" "${problems[@]}"; fi
}

# cross NAME FROM_NS FROM_SIDE TO_NS TO_SIDE: FROM's save loaded into a
# fresh namespace by TO's restore must be listed by TO's tools as TO_NS,
# which TO loaded from the same files, is.
cross() {
	local name="restore: $1" ns want
	state_of "$4" "$5"
	want=$REPLY
	tool_run "$2" "$3" save
	printf '%s' "$RUN_OUT" >"$TMPD/cross.save"
	ns_new ns cross
	tool_run "$ns" "$5" restore "$TMPD/cross.save"
	if [ "$RUN_RC" != 0 ]; then
		tap_fail "$name" "restore failed ($RUN_RC): $RUN_ERR"
	else
		state_of "$ns" "$5"
		tap_is "$REPLY" "$want" "$name"
	fi
	ns_del "$ns"
}

if [ -z "$DIFF_ONLY" ] || [[ "restore: " =~ $DIFF_ONLY ]]; then
	ns_new nsN natc
	ns_new nsI ref
	restore_both "docker6.save (-4 line skipped, -6 line read)" 0 "$R_DIR/docker6.save"
	restore_both "--noflush noflush6.save over it" 0 --noflush "$R_DIR/noflush6.save"
	cross "natc6-save read by $IPT6_RESTORE" "$nsN" natc "$nsI" ref
	cross "$IPT6_SAVE read by natc6-restore" "$nsI" ref "$nsN" natc

	# a refused file: the same status, nothing changed, natc6 names the line
	state_of "$nsN" natc
	before=$REPLY
	restore_both "bad6.save refused by both" 2 "$R_DIR/bad6.save"
	tool_run "$nsN" natc restore "$R_DIR/bad6.save"
	err=$RUN_ERR
	state_of "$nsN" natc
	problems=()
	[ "$REPLY" = "$before" ] || problems+=("the table changed:"$'\n'"$(udiff "$before" "$REPLY")")
	if [ "$SELFTEST" = 0 ]; then
		[[ "$err" == *"bad6.save:6:"* ]] ||
			problems+=("natc6-restore's message does not name line 6: $err")
	fi
	if [ ${#problems[@]} -eq 0 ]; then tap_pass "restore: bad6.save leaves the table as it was"
	else tap_fail "restore: bad6.save leaves the table as it was" "${problems[@]}"; fi
	ns_del "$nsN"
	ns_del "$nsI"

	ns_new nsN counters
	tool_run "$nsN" natc restore -c "$R_DIR/counters6.save"
	tool_run "$nsN" natc save -c
	if [ "$SELFTEST" = 1 ]; then
		tap_skip "restore: -c counters6.save saved back as it is" "ip6tables-nft 1.8.9 sets no rule counters"
	else
		tap_is "$(grep -v '^#' <<<"$RUN_OUT")" "$(cat "$R_DIR/counters6.save")" \
			"restore: -c counters6.save saved back as it is"
	fi
	ns_del "$nsN"
fi
done_testing
