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

# the corpus: the file named, or corpus and every *.corpus beside it
if [ -n "${DIFF_CORPUS:-}" ]; then
	CORPORA=("$DIFF_CORPUS")
else
	shopt -s nullglob
	CORPORA=("$TESTSUITE_DIR/diff/corpus" "$TESTSUITE_DIR/diff/"*.corpus)
	shopt -u nullglob
fi
: "${DIFF_ONLY:=}"
: "${DIFF_VERBOSE:=0}"
if [ "$SELFTEST" = 1 ]; then
	: "${DIFF_PROTO_NAMES:=0}" # both sides print numbers
else
	: "${DIFF_PROTO_NAMES:=1}"
fi

for CORPUS in "${CORPORA[@]}"; do
	[ -r "$CORPUS" ] || bail_out "cannot read corpus $CORPUS"
done

# The listings compared after every entry.
LISTINGS=("-S" "-L -n --line-numbers" "-L -n -v -x")

# ref_out TEXT: sets REPLY to the reference tool's stdout as compared.
ref_out() {
	if [ "$DIFF_PROTO_NAMES" = 1 ]; then proto_names "$1"; else REPLY=$1; fi
}

# ------------------------------------------------------------ entries ----

# State of the entry being read.
reset_entry() {
	e_line=0 e_title='' e_differs='' e_listings_differ=0 e_chains_differ=0
	e_cmds=() e_cmd_line=()
	e_status=() e_msg_differs=() e_msg=() e_out_differs=()
	e_errors=()
	p_status='' p_msg_differs=0 p_msg='' p_out_differs=0 e_relaxed=0
}

# directive TEXT LINENO: record one `#!` directive.
directive() {
	local d=$1 ln=$2
	case "$d" in
	differs:*)
		d=${d#differs:}
		d=${d# }
		[ -n "$d" ] || e_errors+=("line $ln: differs: needs a reason")
		e_differs+=${e_differs:+; }$d
		;;
	expect-status\ *)
		p_status=${d#expect-status }
		[[ "$p_status" =~ ^[0-9]+$ ]] || e_errors+=("line $ln: bad status '$p_status'")
		e_relaxed=1
		;;
	msg-differs) p_msg_differs=1 e_relaxed=1 ;;
	expect-msg\ *) p_msg=${d#expect-msg } e_relaxed=1 ;;
	out-differs) p_out_differs=1 e_relaxed=1 ;;
	listings-differ) e_listings_differ=1 e_relaxed=1 ;;
	chains-differ) e_chains_differ=1 e_relaxed=1 ;;
	*) e_errors+=("line $ln: unknown directive '#! $d'") ;;
	esac
}

# add_command LINE LINENO: record a command with the pending directives.
add_command() {
	e_cmds+=("$1")
	e_cmd_line+=("$2")
	e_status+=("$p_status")
	e_msg_differs+=("$p_msg_differs")
	e_msg+=("$p_msg")
	e_out_differs+=("$p_out_differs")
	p_status='' p_msg_differs=0 p_msg='' p_out_differs=0
}

# show_cmd ARGS...: one readable line for a command (for diagnostics).
show_cmd() {
	local s
	printf -v s ' %q' "$@"
	REPLY=${s# }
}

# check_entry: run the entry just read, emit its TAP test.
check_entry() {
	local name="${CORPUS##*/}:$e_line: ${e_title:-(no title)}"
	local problems=() transcript='' k nsA nsB
	local n_rc n_out n_err i_rc i_out i_err exp_rc want got cmdtxt

	# a block of plain comments (such as the corpus head) is no entry
	if [ ${#e_cmds[@]} -eq 0 ] && [ -z "$e_differs" ] && [ "$e_relaxed" = 0 ] &&
		[ ${#e_errors[@]} -eq 0 ]; then
		return
	fi
	if [ -n "$DIFF_ONLY" ] && ! [[ "$name" =~ $DIFF_ONLY ]]; then
		return
	fi
	[ ${#e_cmds[@]} -gt 0 ] || e_errors+=("entry has no command")
	if [ -n "$p_status" ] || [ "$p_msg_differs$p_out_differs" != 00 ] || [ -n "$p_msg" ]; then
		e_errors+=("a directive at the end of the entry applies to no command")
	fi
	if [ "$e_relaxed" = 1 ] && [ -z "$e_differs" ]; then
		e_errors+=("directives that relax the comparison need '#! differs: REASON'")
	fi
	if [ ${#e_errors[@]} -gt 0 ]; then
		tap_fail "$name" "corpus error:" "${e_errors[@]}"
		return
	fi

	ns_new nsA natc
	ns_new nsB ref
	for k in "${!e_cmds[@]}"; do
		if ! split_args "${e_cmds[k]}"; then
			problems+=("line ${e_cmd_line[k]}: cannot split: ${e_cmds[k]}")
			continue
		fi
		show_cmd "${ARGS[@]}"
		cmdtxt=$REPLY

		natc_argv "${ARGS[@]}"
		run_cap "$nsA" "${ARGV[@]}"
		n_rc=$RUN_RC n_out=$RUN_OUT n_err=$RUN_ERR

		ipt_argv "${ARGS[@]}"
		run_cap "$nsB" "${ARGV[@]}"
		i_rc=$RUN_RC i_out=$RUN_OUT i_err=$RUN_ERR

		transcript+="\$ iptables $cmdtxt  => $i_rc"$'\n'$i_out$i_err

		# exit status
		exp_rc=$i_rc
		if [ "$SELFTEST" = 0 ] && [ -n "${e_status[k]}" ]; then
			exp_rc=${e_status[k]}
		fi
		if [ "$n_rc" != "$exp_rc" ]; then
			problems+=("[$cmdtxt] exit status: natc $n_rc, expected $exp_rc (iptables-nft: $i_rc)")
		fi

		# stdout
		if [ "$SELFTEST" = 1 ] || [ "${e_out_differs[k]}" = 0 ]; then
			ref_out "$i_out"
			if [ "$n_out" != "$REPLY" ]; then
				problems+=("[$cmdtxt] stdout differs:"$'\n'"$(udiff "$REPLY" "$n_out" iptables-nft natc)")
			fi
		fi

		# message
		if [ "$SELFTEST" = 0 ] && [ -n "${e_msg[k]}" ]; then
			err_reason "$n_err"
			got=${REPLY%%$'\n'*}
			[ "$got" = "${e_msg[k]}" ] ||
				problems+=("[$cmdtxt] message: got '$got', expected '${e_msg[k]}'")
		elif [ "$SELFTEST" = 0 ] && [ "${e_msg_differs[k]}" = 1 ]; then
			err_reason "$n_err"
			if [ "$n_rc" != 0 ] && [ -z "$REPLY" ]; then
				problems+=("[$cmdtxt] natc failed without a message")
			fi
		else
			norm_err "$i_err"
			want=$REPLY
			norm_err "$n_err"
			got=$REPLY
			if [ "$got" != "$want" ]; then
				problems+=("[$cmdtxt] message differs:"$'\n'"$(udiff "$want" "$got" iptables-nft natc)")
			fi
		fi
	done

	# the resulting rulesets, as both tools list them
	if [ "$SELFTEST" = 1 ] || [ "$e_listings_differ" = 0 ]; then
		local l
		for l in "${LISTINGS[@]}"; do
			both_listing "$nsA" "$nsB" "$l"
			[ "$l" = "-S" ] && transcript+="\$ iptables -t nat $l"$'\n'$I_RAW
			if [ "$N_RC$N_OUT$N_ERR" != "$I_RC$I_OUT$I_ERR" ]; then
				problems+=("final listing -t nat $l (status natc $N_RC, iptables-nft $I_RC):"$'\n'"$(udiff "$I_OUT$I_ERR" "$N_OUT$N_ERR" iptables-nft natc)")
			fi
		done
	fi
	# the chains the kernel has: builtins are made on first use and
	# deleted by -X as iptables-nft does it, which no listing shows (it
	# lists absent builtins too)
	if [ "$SELFTEST" = 1 ] || [ "$e_listings_differ$e_chains_differ" = 00 ]; then
		run_cap "$nsA" "$NFT" list chains
		nat_chains "$RUN_OUT$RUN_ERR"
		n_out=$REPLY
		run_cap "$nsB" "$NFT" list chains
		nat_chains "$RUN_OUT$RUN_ERR"
		i_out=$REPLY
		if [ "$n_out" != "$i_out" ]; then
			problems+=("the kernel's chains (nft list chains):"$'\n'"$(udiff "$i_out" "$n_out" iptables-nft natc)")
		fi
	fi
	ns_del "$nsA"
	ns_del "$nsB"

	if [ ${#problems[@]} -eq 0 ]; then
		tap_pass "$name"
	else
		[ -n "$e_differs" ] && problems+=("(deliberate difference: $e_differs)")
		tap_fail "$name" "${problems[@]}"
	fi
	if [ "$DIFF_VERBOSE" = 1 ]; then
		local tl
		while IFS='' read -r tl; do printf '#   %s\n' "$tl"; done <<<"$transcript"
	fi
}

# -------------------------------------------------------------- main ----

reset_entry
lineno=0
for CORPUS in "${CORPORA[@]}"; do
lineno=0
reset_entry
while IFS='' read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	if [ -z "${line//[[:space:]]/}" ]; then
		if [ "$e_line" != 0 ]; then
			check_entry
			reset_entry
		fi
		continue
	fi
	[ "$e_line" = 0 ] && e_line=$lineno
	case "$line" in
	'#!'*)
		d=${line#'#!'}
		directive "${d# }" "$lineno"
		;;
	'#'*)
		if [ -z "$e_title" ]; then
			e_title=${line#'#'}
			e_title=${e_title# }
		fi
		;;
	*) add_command "$line" "$lineno" ;;
	esac
done <"$CORPUS"
[ "$e_line" != 0 ] && check_entry
done

done_testing
