#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# randdiff.t - a random differential test: natc against iptables-nft 1.8.9
# on commands nobody wrote by hand.
#
# build/testsuite/randdiff-gen (testsuite/randdiff-gen.c) prints random
# nat-table commands for a seed, from natc's own option tables (every
# match and target of ir/ext/registry.c and every option of each, valid
# values, `!` where allowed, user chains, -A, -I N, -D by number and by
# specification, -R, -C, -N, -X, -E, -F, -Z, -P, -S and -L), in sequences.
# Each sequence runs in two fresh namespaces, one per tool, one TAP test
# per sequence:
#   - after every command: the exit status; the stdout of -S and -L
#     (the prot column's numbers of iptables-nft 1.8.9 read as names, see
#     diff.t);
#   - every RANDDIFF_LIST_EVERY commands and at the end: `-t nat -S` and
#     `-L -n -v -x --line-numbers` of both (the other forms of -L come
#     among the generated commands); what natc makes of
#     the rules iptables-nft wrote (`natc -S` in iptables-nft's namespace,
#     xt matches and targets read back, against iptables-nft's own -S);
#     the chains the kernel has in table ip nat (`nft list chains`:
#     builtins made on first use, the empty ones deleted by -X without a
#     chain), which no listing shows; and `nft list table ip nat` of both, rule by rule, for the rules
#     both write as native expressions (no kind iptables-nft writes as an
#     xt match or target: `randdiff-gen --kinds`).  Elsewhere natc writes
#     native expressions where iptables-nft writes xt ones, and nft's text
#     of the two is not comparable: what they mean is compared instead,
#     through natc -S above.
# A sequence stops at its first difference (the states part then); the
# diagnostics give the seed, the sequence, the command, the commands
# before it and a line that runs that sequence again.
#
# Deliberate differences: the generator leaves out the inputs natc and
# iptables-nft 1.8.9 answer differently on purpose, and those where this
# test found a difference not fixed yet (its head lists both, each where
# it is left out, with the reason); deliberate() below names those of
# exit status, nft_norm() those of nft's text (order and encoding, not
# meaning).
#
# Environment:
#   RANDDIFF_SEED (or SEED)  the seed (default 1: CI runs the same commands
#                            every time; `make fuzz-diff` picks one)
#   RANDDIFF_N (or N)        commands in all (default 300)
#   RANDDIFF_SEQLEN          commands per sequence (default 100)
#   RANDDIFF_SEQ=K           run sequence K only (as a failure says)
#   RANDDIFF_LIST_EVERY      compare the listings every so many commands
#                            (default 10; 1: after each)
#   RANDDIFF_GEN             the generator (default build/testsuite/randdiff-gen)
#   NATC, IPT, NFT           tools (lib.sh); NATC=iptables-nft is self-test
#                            mode (deliberate differences not applied)
#
# Run locally (2026-12-07, 18:15-19:08 UTC, three runs at once, niced,
# on 2 CPUs shared with other work at a load of 10 to 15; natc -O2 of this
# branch as of "exec: -F of a builtin chain not created yet creates it",
# with the -I N fix from 18:44): seeds 101000-101007, 201000-201008 and
# 301000-301008, 1,000 commands each: 25,715 commands run clean (a
# sequence counted up to its first difference), about 8 a second in all.
# NOT the 100,000 asked for: at this speed that is 3.5 hours of this
# machine.  The 7 differences those runs found are fixed (-I N with
# several addresses; -C/-D with a jump to a missing chain) or named here
# (NFLOG -Z crash, clause order in nft's text) or left out by the
# generator (addrtype's interface limits in user chains); the runs before
# 18:15 (not counted) found the others named in randdiff-gen.c's head.
# Again (21:35-22:20 UTC, one run at a time, niced, beside two fuzz runs)
# once `-i +`, tcp and udp --sport with --dport and -X without a chain
# were back in the generator and the kernel's chains compared: seeds
# 1001, 2002, 3003, 4004, 5005, 6006 and 7007, 1,000 commands each, and
# 8008, 300 commands listed after each (RANDDIFF_LIST_EVERY=1), ran clean
# on the final code (7,300 commands, about 6 a second); the two
# differences they found first are fixed (a lone load of the interface
# name before a limit; iptables-nft's merged ports after its tcp flags).
# And beside them, on the work that brought a kind twice in one rule and
# state beside conntrack into the generator: seeds 2, 3, 5, 7, 11 and 13,
# 1,000 commands each, clean (6,000; its overlapping tcp and udp tests
# found there are named in randdiff-gen.c's head).  Both were merged
# after these runs (67707db): the 100,000 commands asked for are still
# to run on the merged code (`make fuzz-diff N=100000`, about 3 to 4
# hours of this machine at 6 to 8 commands a second).

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip diff timeout "$IPT" "$NFT"
require_natc

: "${RANDDIFF_SEED:=${SEED:-1}}"
: "${RANDDIFF_N:=${N:-300}}"
: "${RANDDIFF_SEQLEN:=100}"
: "${RANDDIFF_SEQ:=}"
: "${RANDDIFF_LIST_EVERY:=10}"
: "${RANDDIFF_GEN:=$TOP_DIR/build/testsuite/randdiff-gen}"

[ -x "$RANDDIFF_GEN" ] || bail_out "$RANDDIFF_GEN not found (run make units)"

# the kinds iptables-nft writes natively: NATIVE[name]=1
declare -A NATIVE=() TARGET_KIND=() NFT_RULES=()
while read -r mj name nat; do
	[ "$nat" = 1 ] && NATIVE[$name]=1
	[ "$mj" = j ] && TARGET_KIND[$name]=1
done < <("$RANDDIFF_GEN" --kinds) || bail_out "randdiff-gen --kinds failed"
[ ${#TARGET_KIND[@]} -gt 0 ] || bail_out "randdiff-gen --kinds listed no target"

LISTINGS=("-S" "-L -n -v -x --line-numbers")
nsA='' nsB='' # the namespaces of the sequence running (check_seq)

# ------------------------------------------------ deliberate differences --

# deliberate CMD NATC_RC IPT_RC: sets REPLY to the reason when natc
# answers CMD otherwise than iptables-nft 1.8.9 on purpose (then the
# sequence goes on: the kernels are compared again at the next listing).
deliberate() {
	local cmd=$1 n_rc=$2 i_rc=$3
	REPLY=
	[ "$SELFTEST" = 1 ] && return 1
	# diff/matches-b.corpus: xt_conntrack ORs the NAT status bits with
	# the state bits; nft has no single test for that, natc refuses it
	if [ "$n_rc" = 2 ] && [ "$i_rc" = 0 ] &&
		[[ "$cmd" =~ --ctstate\ ([A-Z,]*,)?[SD]NAT(,[A-Z,]*)?( |$) ]] &&
		[[ "${BASH_REMATCH[0]}" =~ (INVALID|NEW|ESTABLISHED|RELATED|UNTRACKED) ]]; then
		REPLY="--ctstate SNAT or DNAT with other states: natc refuses it"
		return 0
	fi
	# iptables-nft 1.8.9 crashes (SIGSEGV) zeroing one rule whose NFLOG
	# target has a prefix (-A C -j NFLOG --nflog-prefix x; -Z C 1): a
	# fault of the reference tool; natc zeroes it, the state is the same
	if [ "$i_rc" = 139 ] && [ "$n_rc" = 0 ] && [[ "$cmd" =~ ^-Z\ [^\ ]+\ [0-9]+$ ]]; then
		REPLY="iptables-nft 1.8.9 crashes zeroing a rule with NFLOG --nflog-prefix"
		return 0
	fi
	return 1
}

# nft_norm LINE: sets REPLY to an nft rule line with its tests in a
# fixed order, and open port ranges written as natc writes them.  Both
# are deliberate differences of encoding, not of meaning:
#   - natc writes the generic part and each match's tests in the order of
#     nft's own syntax (iifname, oifname, ip saddr, ip daddr, frag-off,
#     meta l4proto; tcp ports before tcp flags: the native corpus holds
#     it to nft's text); iptables-nft 1.8.9 writes meta l4proto before the
#     addresses and tcp flags before the ports.  The line is cut into its
#     clauses (each from a word that starts one: iifname, ip, tcp, meta,
#     limit, counter, a verdict, ...) and they are compared sorted.
#   - a port range open at its top (--dport 80:65535) natc writes as one
#     comparison, `dport >= 80`, as it writes `:80` as `dport <= 80`
#     (iptables-nft 1.8.9 does so for the latter only); iptables-nft
#     writes the former as the range `80-65535`.
nft_norm() {
	local re_top='^(.*[sd]port )([0-9]+)-65535( .*)$'
	local -a words clauses=()
	local w clause='' i j t
	REPLY=$1
	[ "$SELFTEST" = 1 ] && return
	while [[ "$REPLY" =~ $re_top ]]; do
		REPLY="${BASH_REMATCH[1]}>= ${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
	done
	read -ra words <<<"$REPLY"
	for w in "${words[@]}"; do
		case "$w" in
		iifname | oifname | ip | meta | tcp | udp | limit | counter | accept | return | jump | goto)
			[ -n "$clause" ] && clauses+=("$clause")
			clause=$w
			;;
		*) clause+=" $w" ;;
		esac
	done
	[ -n "$clause" ] && clauses+=("$clause")
	# a few clauses: insertion sort, no process
	for ((i = 1; i < ${#clauses[@]}; i++)); do
		t=${clauses[i]}
		for ((j = i - 1; j >= 0; j--)); do
			[[ "${clauses[j]}" > "$t" ]] || break
			clauses[j + 1]=${clauses[j]}
		done
		clauses[j + 1]=$t
	done
	REPLY=$(IFS='|'; printf '%s' "${clauses[*]}")
}

# ------------------------------------------------------------ helpers ----

# run_both: run ARGS through natc in $nsA and iptables-nft in $nsB at
# once; sets N_RC N_OUT N_ERR I_RC I_OUT I_ERR.
run_both() {
	local pid
	natc_argv "${ARGS[@]}"
	in_ns "$nsA" "${ARGV[@]}" >"$TMPD/n.out" 2>"$TMPD/n.err" </dev/null &
	pid=$!
	ipt_argv "${ARGS[@]}"
	in_ns "$nsB" "${ARGV[@]}" >"$TMPD/i.out" 2>"$TMPD/i.err" </dev/null
	I_RC=$?
	wait "$pid"
	N_RC=$?
	N_OUT='' N_ERR='' I_OUT='' I_ERR=''
	IFS='' read -r -d '' N_OUT <"$TMPD/n.out"
	IFS='' read -r -d '' N_ERR <"$TMPD/n.err"
	IFS='' read -r -d '' I_OUT <"$TMPD/i.out"
	IFS='' read -r -d '' I_ERR <"$TMPD/i.err"
	return 0
}

# ref_out TEXT: sets REPLY to the reference tool's stdout as compared.
ref_out() {
	if [ "$SELFTEST" = 1 ]; then REPLY=$1; else proto_names "$1"; fi
}

# native_rule LINE: true when an `-A CHAIN ...` line of -S holds only
# kinds iptables-nft writes natively (its generic part, tcp, udp, mark,
# limit, a verdict or a jump).  A quoted text comes only after a kind
# that is not native (comment, LOG, NFLOG), which is seen first.
native_rule() {
	local w prev=
	for w in $1; do
		case "$prev" in
		-m) [ -n "${NATIVE[$w]:-}" ] || return 1 ;;
		-j | -g) [ -z "${TARGET_KIND[$w]:-}" ] || [ -n "${NATIVE[$w]:-}" ] || return 1 ;;
		esac
		prev=$w
	done
	return 0
}

# nft_rules TEXT: sets NFT_RULES[CHAIN/N] to the N-th rule line (from 1)
# of each chain of `nft list table` TEXT.
nft_rules() {
	local line chain='' n=0
	NFT_RULES=()
	while IFS='' read -r line; do
		line=${line#"${line%%[![:space:]]*}"}
		case "$line" in
		'chain '*' {') chain=${line#chain } chain=${chain% \{} n=0 ;;
		'}' | '' | 'type '* | 'table '* | '#'*) ;;
		*)
			[ -n "$chain" ] || continue
			n=$((n + 1))
			NFT_RULES[$chain/$n]=$line
			;;
		esac
	done <<<"$1"
}

# compare_nft: the rules both tools write natively, as nft lists them;
# appends to PROBLEMS.  Uses the -S of iptables-nft's side ($1).
compare_nft() {
	local ref_s=$1 line chain n k a
	local -A count=() A B
	run_cap "$nsA" "$NFT" list table ip nat
	[ "$RUN_RC" = 0 ] || { PROBLEMS+=("nft list (natc's side) failed: $RUN_ERR"); return; }
	nft_rules "$RUN_OUT"
	for k in "${!NFT_RULES[@]}"; do A[$k]=${NFT_RULES[$k]}; done
	run_cap "$nsB" "$NFT" list table ip nat
	[ "$RUN_RC" = 0 ] || { PROBLEMS+=("nft list (iptables-nft's side) failed: $RUN_ERR"); return; }
	nft_rules "$RUN_OUT"
	for k in "${!NFT_RULES[@]}"; do B[$k]=${NFT_RULES[$k]}; done
	while IFS='' read -r line; do
		case "$line" in -A\ *) ;; *) continue ;; esac
		chain=${line#-A } chain=${chain%% *}
		count[$chain]=$((${count[$chain]:-0} + 1))
		n=${count[$chain]}
		native_rule "$line" || continue
		nft_norm "${A[$chain/$n]-(none)}"
		a=$REPLY
		nft_norm "${B[$chain/$n]-(none)}"
		if [ "$a" != "$REPLY" ]; then
			PROBLEMS+=("nft list, chain $chain rule $n ($line):"$'\n'"  iptables-nft: ${B[$chain/$n]-(none)}"$'\n'"  natc:         ${A[$chain/$n]-(none)}")
		fi
	done <<<"$ref_s"
}

# compare_listings: the listings of both sides, natc's -S of
# iptables-nft's rules, nft's text of the native ones; appends to PROBLEMS.
compare_listings() {
	local l a ref_s=
	for l in "${LISTINGS[@]}"; do
		both_listing "$nsA" "$nsB" "$l"
		[ "$l" = -S ] && ref_s=$I_RAW
		if [ "$N_RC$N_OUT$N_ERR" != "$I_RC$I_OUT$I_ERR" ]; then
			PROBLEMS+=("listing -t nat $l (status natc $N_RC, iptables-nft $I_RC):"$'\n'"$(udiff "$I_OUT$I_ERR" "$N_OUT$N_ERR" iptables-nft natc)")
			return
		fi
	done
	# what natc reads of iptables-nft's rules (xt forms among them)
	natc_argv -t nat -S
	run_cap "$nsB" "${ARGV[@]}"
	if [ "$RUN_RC$RUN_OUT" != "0$ref_s" ]; then
		PROBLEMS+=("natc -S of the rules iptables-nft wrote (status $RUN_RC):"$'\n'"$(udiff "$ref_s" "$RUN_OUT$RUN_ERR" iptables-nft natc)")
		return
	fi
	# the chains the kernel has: builtins are made on first use and
	# deleted by -X without a chain when empty, which no listing shows
	run_cap "$nsA" "$NFT" list chains
	nat_chains "$RUN_OUT$RUN_ERR"
	a=$REPLY
	run_cap "$nsB" "$NFT" list chains
	nat_chains "$RUN_OUT$RUN_ERR"
	if [ "$a" != "$REPLY" ]; then
		PROBLEMS+=("the kernel's chains (nft list chains):"$'\n'"$(udiff "$REPLY" "$a" iptables-nft natc)")
		return
	fi
	# before the first command that made the table, there is none
	[ -n "$ref_s" ] && [[ "$ref_s" == *'-A '* ]] && compare_nft "$ref_s"
	return 0
}

# ----------------------------------------------------------- sequences --

# check_seq: run sequence $SEQ (commands in SEQ_CMDS), emit its TAP test.
check_seq() {
	local name="seed $RANDDIFF_SEED sequence $SEQ (${#SEQ_CMDS[@]} commands)"
	local k cmd shown=() why reason
	PROBLEMS=()
	ns_new nsA natc
	ns_new nsB ref
	for k in "${!SEQ_CMDS[@]}"; do
		cmd=${SEQ_CMDS[k]}
		shown+=("$((k + 1)): $cmd")
		if ! split_args "$cmd"; then
			PROBLEMS+=("cannot split: $cmd")
			break
		fi
		run_both
		why=
		if [ "$N_RC" != "$I_RC" ]; then
			if deliberate "$cmd" "$N_RC" "$I_RC"; then
				DELIBERATE=$((DELIBERATE + 1))
			else
				why="exit status: natc $N_RC, iptables-nft $I_RC"$'\n'"natc: $N_ERR"$'\n'"iptables-nft: $I_ERR"
			fi
		elif [ "$N_RC" = 0 ] && [[ "$cmd" == -[SL]* ]]; then
			ref_out "$I_OUT"
			[ "$N_OUT" = "$REPLY" ] || why="stdout:"$'\n'"$(udiff "$REPLY" "$N_OUT" iptables-nft natc)"
		fi
		[ -n "$why" ] && PROBLEMS+=("$why")
		if [ ${#PROBLEMS[@]} -eq 0 ] &&
			{ [ $(((k + 1) % RANDDIFF_LIST_EVERY)) = 0 ] || [ "$k" = $((${#SEQ_CMDS[@]} - 1)) ]; }; then
			compare_listings
			[ ${#PROBLEMS[@]} -eq 0 ] || PROBLEMS=("after command $((k + 1)): $cmd" "${PROBLEMS[@]}")
		fi
		[ ${#PROBLEMS[@]} -eq 0 ] || break
		RAN=$((RAN + 1))
	done
	ns_del "$nsA"
	ns_del "$nsB"
	if [ ${#PROBLEMS[@]} -eq 0 ]; then
		tap_pass "$name"
		return
	fi
	reason=("command $((k + 1)) of sequence $SEQ, seed $RANDDIFF_SEED: $cmd"
		"${PROBLEMS[@]}"
		"the sequence up to there (last 15):")
	[ ${#shown[@]} -gt 15 ] && shown=("${shown[@]: -15}")
	reason+=("${shown[@]/#/  }")
	reason+=("again: RANDDIFF_SEED=$RANDDIFF_SEED RANDDIFF_N=$RANDDIFF_N RANDDIFF_SEQLEN=$RANDDIFF_SEQLEN RANDDIFF_SEQ=$SEQ prove -v testsuite/randdiff.t")
	tap_fail "$name" "${reason[@]}"
}

# -------------------------------------------------------------- main ----

diag "seed $RANDDIFF_SEED, $RANDDIFF_N commands in sequences of $RANDDIFF_SEQLEN"
GEN_ARGS=("$RANDDIFF_SEED" "$RANDDIFF_N" "$RANDDIFF_SEQLEN")
[ -n "$RANDDIFF_SEQ" ] && GEN_ARGS+=("$RANDDIFF_SEQ")
"$RANDDIFF_GEN" "${GEN_ARGS[@]}" >"$TMPD/cmds" || bail_out "randdiff-gen ${GEN_ARGS[*]} failed"

RAN=0 DELIBERATE=0 SEQ='' SEQ_CMDS=()
START=$SECONDS
while IFS='' read -r line; do
	case "$line" in
	'%seq '*)
		[ -n "$SEQ" ] && check_seq
		SEQ=${line#'%seq '} SEQ_CMDS=()
		;;
	*) SEQ_CMDS+=("$line") ;;
	esac
done <"$TMPD/cmds"
[ -n "$SEQ" ] && check_seq
diag "seed $RANDDIFF_SEED: $RAN commands run clean in $((SECONDS - START)) s ($DELIBERATE deliberate differences)"
done_testing
