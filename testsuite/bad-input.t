#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bad-input.t - malformed or refused commands leave the kernel untouched.
#
# For every entry of the list at the end of this file:
#   1. a fresh namespace is preloaded through $NATC with lib.sh's BAD_PRELOAD;
#   2. `nft --debug=netlink list ruleset` and `nft list ruleset` are saved;
#   3. the bad command runs through $NATC;
#   4. natc must exit with the status iptables-nft gives for the same
#      command on the same preload (measured in a second namespace, never
#      hard-coded, except with `#! expect-status N` for a deliberate
#      difference), print nothing on stdout and exactly one non-empty line
#      of reason on stderr (after its prefix; Try lines and blank lines,
#      which iptables puts around some reasons, do not count);
#   5. both snapshots must be byte-for-byte unchanged.
# One TAP test per entry.
#
# Entry format (as testsuite/diff/corpus): blocks separated by blank lines;
# `# ...` comments (the first is the title), `#! differs: REASON` plus
# `#! expect-status N` for a deliberate difference from iptables-nft, and
# exactly one command line (the arguments after `natc`, shell-split).
#
# In self-test mode (NATC=iptables-nft) entries marked as deliberate
# differences are skipped: there the reference tool accepts the command.

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip timeout "$IPT" "$NFT"
require_natc

# The ruleset every bad command meets: lib.sh's BAD_PRELOAD.
preload() { bad_preload "$@"; }

# snapshot NS: sets REPLY to both nft listings of the namespace.
snapshot() {
	local snap
	run_cap "$1" "$NFT" --debug=netlink list ruleset
	snap="== nft --debug=netlink list ruleset (status $RUN_RC)"$'\n'$RUN_OUT$RUN_ERR
	run_cap "$1" "$NFT" list ruleset
	snap+="== nft list ruleset (status $RUN_RC)"$'\n'$RUN_OUT$RUN_ERR
	REPLY=$snap
}

# check_entry TITLE LINE DIFFERS STATUS CMD
check_entry() {
	local title=$1 ln=$2 differs=$3 want_status=$4 cmd=$5
	local name="line $ln: $title" nsA nsB before after ref_rc problems=() lines
	local n_rc n_out n_err

	if [ -z "$cmd" ]; then
		tap_fail "$name" "corpus error: entry has no command"
		return
	fi
	if [ -n "$want_status" ] && [ -z "$differs" ]; then
		tap_fail "$name" "corpus error: expect-status needs '#! differs: REASON'"
		return
	fi
	if [ -n "$differs" ] && [ "$SELFTEST" = 1 ]; then
		tap_skip "$name" "deliberate difference, not checkable in self-test mode"
		return
	fi
	if ! split_args "$cmd"; then
		tap_fail "$name" "corpus error: cannot split: $cmd"
		return
	fi
	local cmd_args=("${ARGS[@]}") # preload() reuses ARGS

	# reference status: same preload, same command, through iptables-nft
	ns_new nsB ref
	if ! preload "$nsB" ref; then
		ns_del "$nsB"
		tap_fail "$name" "$REPLY"
		return
	fi
	ipt_argv "${cmd_args[@]}"
	run_cap "$nsB" "${ARGV[@]}"
	ref_rc=$RUN_RC
	ns_del "$nsB"
	if [ -z "$want_status" ]; then
		want_status=$ref_rc
		[ "$ref_rc" != 0 ] ||
			problems+=("corpus error: iptables-nft accepts this command (status 0)")
	fi

	# natc on its own preload, with snapshots around the bad command
	ns_new nsA natc
	if ! preload "$nsA" natc; then
		ns_del "$nsA"
		tap_fail "$name" "$REPLY"
		return
	fi
	snapshot "$nsA"
	before=$REPLY
	natc_argv "${cmd_args[@]}"
	run_cap "$nsA" "${ARGV[@]}"
	n_rc=$RUN_RC n_out=$RUN_OUT n_err=$RUN_ERR
	snapshot "$nsA"
	after=$REPLY
	ns_del "$nsA"

	[ "$n_rc" = "$want_status" ] ||
		problems+=("exit status: natc $n_rc, expected $want_status (iptables-nft: $ref_rc)")
	[ -z "$n_out" ] || problems+=("natc printed on stdout:"$'\n'"$n_out")
	err_reason "$n_err"
	lines=0
	[ -n "$REPLY" ] && lines=$(($(printf '%s' "$REPLY" | grep -c '')))
	if [ "$lines" != 1 ]; then
		problems+=("natc must print a one-line reason, got $lines lines; stderr:"$'\n'"$n_err")
	fi
	if [ "$before" != "$after" ]; then
		problems+=("the ruleset changed:"$'\n'"$(udiff "$before" "$after" before after)")
	fi

	if [ ${#problems[@]} -eq 0 ]; then
		tap_pass "$name"
	else
		[ -n "$differs" ] && problems+=("(deliberate difference: $differs)")
		tap_fail "$name" "[natc $cmd]" "${problems[@]}"
	fi
}

# run_entries: check the entries of ENTRY_LINES one by one.
run_entries() {
	local line lineno=$ENTRY_BASE start=0 title='' differs='' status='' cmd='' ncmd=0 bad=
	flush() {
		if [ "$start" != 0 ]; then
			if [ -n "$bad" ]; then
				tap_fail "line $start: $title" "corpus error: $bad"
			elif [ "$ncmd" -gt 1 ]; then
				tap_fail "line $start: $title" "corpus error: one command per entry"
			elif [ "$ncmd" = 1 ] || [ -n "$differs$status" ]; then
				check_entry "$title" "$start" "$differs" "$status" "$cmd"
			fi
		fi
		start=0 title='' differs='' status='' cmd='' ncmd=0 bad=
	}
	for line in "${ENTRY_LINES[@]}"; do
		lineno=$((lineno + 1))
		if [ -z "${line//[[:space:]]/}" ]; then
			flush
			continue
		fi
		[ "$start" = 0 ] && start=$lineno
		case "$line" in
		'#! differs:'*) differs=${line#'#! differs:'} differs=${differs# } ;;
		'#! expect-status '*) status=${line#'#! expect-status '} ;;
		'#!'*) bad="unknown directive: $line" ;;
		'#'*) [ -z "$title" ] && title=${line#'#'} title=${title# } ;;
		*) cmd=$line ncmd=$((ncmd + 1)) ;;
		esac
	done
	flush
}

# The entries (test names give their line numbers in this file).
ENTRY_BASE=$((LINENO + 1))
mapfile -t ENTRY_LINES <<'__ENTRIES__'
# bad address
-A PREROUTING -s 192.0.2.256 -j RETURN

# bad prefix length
-A PREROUTING -s 192.0.2.1/33 -j RETURN

# bad dotted mask
-A PREROUTING -d 198.51.100.1/255.255.255.256 -j RETURN

# empty address
-A PREROUTING -s "" -j RETURN

# bad second element of a comma list: nothing may be added
-A PREROUTING -s 192.0.2.1,192.0.2.256 -j RETURN

# port too big
-A PREROUTING -p tcp --dport 65536 -j RETURN

# reversed port range
-A PREROUTING -p tcp --dport 90:80 -j RETURN

# unknown service name
-A PREROUTING -p udp --sport nosuchservice -j RETURN

# --dport without -p
-A PREROUTING --dport 80 -j RETURN

# --dport with -p all
-A PREROUTING -p all --dport 80 -j RETURN

# -m tcp without -p tcp
-A PREROUTING -m tcp --dport 80 -j RETURN

# unknown protocol name
-A PREROUTING -p foo -j RETURN

# protocol number too big
-A PREROUTING -p 256 -j RETURN

# ! -p all never matches
-A PREROUTING ! -p all -j RETURN

# unknown long option
-A PREROUTING --foo -j RETURN

# unknown short option
-A PREROUTING -Q -j RETURN

# unknown target
-A PREROUTING -j FOOBAR

# unknown match
-A PREROUTING -m nosuchmatch -j RETURN

# DNAT in POSTROUTING
-A POSTROUTING -j DNAT --to-destination 198.51.100.1

# DNAT in INPUT
-A INPUT -j DNAT --to-destination 198.51.100.1

# MASQUERADE in PREROUTING
-A PREROUTING -j MASQUERADE

# SNAT in PREROUTING
-A PREROUTING -j SNAT --to-source 203.0.113.1

# SNAT in OUTPUT
-A OUTPUT -j SNAT --to-source 203.0.113.1

# REDIRECT in POSTROUTING
-A POSTROUTING -j REDIRECT

# DNAT for several sources in POSTROUTING: nothing may be added
-A POSTROUTING -s 192.0.2.1,192.0.2.2 -j DNAT --to-destination 198.51.100.1

# DROP in nat
-A PREROUTING -j DROP

# DROP policy in nat
-P PREROUTING DROP

# DNAT without --to-destination
-A PREROUTING -j DNAT

# SNAT without --to-source
-A POSTROUTING -j SNAT

# DNAT port without a protocol
-A PREROUTING -j DNAT --to-destination 198.51.100.1:80

# DNAT port out of range
-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.1:99999

# DNAT given twice
-A PREROUTING -j DNAT --to-destination 198.51.100.1 --to-destination 198.51.100.2

# MASQUERADE --to-ports without a protocol
-A POSTROUTING -j MASQUERADE --to-ports 1024

# REDIRECT reversed port range
-A PREROUTING -p tcp -j REDIRECT --to-ports 2000-1000

# chain name too long
-N abcdefghijklmnopqrstuvwxyz012

# interface name too long
-A PREROUTING -i abcdefghijklmnop -j RETURN

# -o in PREROUTING
-A PREROUTING -o eth0 -j RETURN

# stray argument after -N
-N NEWCHAIN extra

# stray argument in a rule
-A PREROUTING foo -j RETURN

# -s given twice
-A PREROUTING -s 192.0.2.1 -s 192.0.2.2 -j RETURN

# ! with a comma list
-A PREROUTING ! -s 192.0.2.1,192.0.2.2 -j RETURN

# -w with a bad number
-w x -A PREROUTING -j RETURN

# unknown chain
-A NOSUCH -j RETURN

# -j to a chain that does not exist
-A PREROUTING -g NOSUCH

# jump to a builtin chain
-A PREROUTING -j OUTPUT

# insertion index too big
-I PREROUTING 5 -j RETURN

# insertion index 0
-I PREROUTING 0 -j RETURN

# deletion index too big
-D PREROUTING 9

# replacement index too big
-R PREROUTING 9 -j RETURN

# replacement with two addresses
-R PREROUTING 1 -s 192.0.2.1,192.0.2.2 -j RETURN

# delete a rule that does not exist
-D PREROUTING -s 192.0.2.99 -j RETURN

# delete a comma list of which one rule is missing: nothing is deleted
-D PREROUTING -s 192.0.2.0/24,192.0.2.9 -j USERCHAIN

# flush a chain that does not exist
-F NOSUCH

# zero a chain that does not exist
-Z NOSUCH

# create an existing chain
-N USERCHAIN

# rename to an existing chain
-E USERCHAIN TOPOST

# rename a chain that does not exist
-E NOSUCH NEWNAME

# policy of a user chain
-P USERCHAIN ACCEPT

# delete a referenced chain
-X USERCHAIN

# delete a non-empty chain
-X TOPOST

# delete a builtin chain
-X PREROUTING

# delete all user chains while they are referenced
-X

# kernel only: DNAT into a chain reachable from POSTROUTING
-A TOPOST -j DNAT --to-destination 198.51.100.9

# kernel only: MASQUERADE into a chain reachable from PREROUTING
-A USERCHAIN -j MASQUERADE

# kernel only: jump from POSTROUTING to a chain holding DNAT
-A POSTROUTING -j TOPRE

# kernel only: goto from INPUT to a chain holding DNAT
-I INPUT -g TOPRE

# kernel only: replace a rule of a chain reachable from POSTROUTING by DNAT
-R TOPOST 1 -j DNAT --to-destination 198.51.100.9

# -6 to the IPv4 tool: a parameter problem (iptables-nft prints only its
# usage hint; natc says why)
-4 -6 -A POSTROUTING -j MASQUERADE

# -6 alone, listing
-6 -L

# another table: natc refuses it and must not create it
#! differs: natc refuses every table but nat (exit 2); iptables-nft accepts
#! expect-status 2
-t filter -A INPUT -j ACCEPT

# another table, a command that creates nothing in nat either
#! differs: natc refuses every table but nat (exit 2); iptables-nft accepts
#! expect-status 2
-t mangle -N NEWCHAIN
__ENTRIES__

run_entries
done_testing
