#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# native.t - natc programs native nf_tables expressions: each entry of
# testsuite/native/corpus (format: see its head) is loaded through $NATC
# (iptables syntax) in one namespace and through `nft -f` (nft syntax) in
# another; the rules of the entry's chain must then be identical as
# `nft --debug=netlink list table ip nat` shows them: the expression lines
# (`[ ... ]`, under a rule header stripped of its handles) and nft's own
# listing of the chain (declaration line included, so that natc's base
# chains must have iptables-nft's type, hook, priority and policy).
# One TAP test per entry.  An entry where natc deliberately writes
# something else than the nft text (`#! differs: REASON`) states exactly
# what natc writes instead, as edits of nft's side (`natc:` lines, see the
# corpus head); natc must then write precisely that.
#
# Environment:
#   NATC, NFT              tools (see lib.sh)
#   NATIVE_CORPUS          corpus file (default testsuite/native/corpus)
#   NATIVE_ONLY=REGEX      run only entries whose title or "line N" matches
#   NATIVE_VERBOSE=1       show what is expected of every entry
#   NATIVE_SELFTEST=1      load BOTH namespaces through nft: every entry
#                          must pass (validates the harness and the nft
#                          texts without natc)
#   NATIVE_FAMILY          the table's family, ip (default) or ip6: set by
#                          native6.t, which runs natc6 on native6/corpus

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip timeout "$NFT"
: "${NATIVE_SELFTEST:=0}"
: "${NATIVE_FAMILY:=ip}"
[ "$NATIVE_SELFTEST" = 1 ] || require_natc

# the corpus: the file named, or corpus and every *.corpus beside it
if [ -n "${NATIVE_CORPUS:-}" ]; then
	CORPORA=("$NATIVE_CORPUS")
else
	shopt -s nullglob
	CORPORA=("$TESTSUITE_DIR/native/corpus" "$TESTSUITE_DIR/native/"*.corpus)
	shopt -u nullglob
fi
: "${NATIVE_ONLY:=}"
: "${NATIVE_VERBOSE:=0}"
for CORPUS in "${CORPORA[@]}"; do
	[ -r "$CORPUS" ] || bail_out "cannot read corpus $CORPUS"
done

# base_chain_decl CHAIN: sets REPLY to the nft declaration iptables-nft
# uses for a base chain of table nat (empty for a user chain).
base_chain_decl() {
	case "$1" in
	PREROUTING) REPLY="type nat hook prerouting priority -100; policy accept;" ;;
	INPUT) REPLY="type nat hook input priority 100; policy accept;" ;;
	OUTPUT) REPLY="type nat hook output priority -100; policy accept;" ;;
	POSTROUTING) REPLY="type nat hook postrouting priority 100; policy accept;" ;;
	*) REPLY='' ;;
	esac
}

# nft_script FILE: write the nft side of the current entry.
nft_script() {
	local c r
	{
		printf 'table %s nat {\n' "$NATIVE_FAMILY"
		for c in "${e_userchains[@]}"; do
			printf '\tchain %s {\n\t}\n' "$c"
		done
		base_chain_decl "$e_chain"
		if [ -n "$REPLY" ]; then
			printf '\tchain %s {\n\t\t%s\n\t}\n' "$e_chain" "$REPLY"
		fi
		printf '}\n'
		for r in "${e_nft[@]}"; do
			printf 'add rule %s nat %s %s\n' "$NATIVE_FAMILY" "$e_chain" "$r"
		done
	} >"$1"
}

# extract TEXT CHAIN: sets REPLY to what is compared for CHAIN in the
# output of `nft --debug=netlink list table ip nat`: the rule blocks of the
# chain (header `ip nat CHAIN HANDLE [PREV]` reduced to `ip nat CHAIN`) and
# the chain's block in nft's listing.
extract() {
	local line chain=$2 in_rule=0 in_list=0 nl='' ls=
	local re_hdr="^$NATIVE_FAMILY nat ([^ ]+) [0-9]+( [0-9]+)?\$"
	while IFS='' read -r line; do
		if [[ "$line" =~ $re_hdr ]]; then
			in_rule=0
			if [ "${BASH_REMATCH[1]}" = "$chain" ]; then
				in_rule=1
				nl+="$NATIVE_FAMILY nat $chain"$'\n'
			fi
			continue
		fi
		# a rule's lines are indented by two spaces (expressions, and
		# its userdata, after which no blank line may come)
		if [ "$in_rule" = 1 ] && [[ "$line" == '  '* ]]; then
			nl+=$line$'\n'
			continue
		fi
		in_rule=0
		[ -z "$line" ] && continue
		if [ "$line" = $'\tchain '"$chain"' {' ]; then
			in_list=1
			ls+=$line$'\n'
		elif [ "$in_list" = 1 ]; then
			ls+=$line$'\n'
			[ "$line" = $'\t}' ] && in_list=0
		fi
	done <<<"$1"
	REPLY="-- expressions"$'\n'$nl"-- listing"$'\n'$ls
}

# load_nft NS FILE: load the nft script in NS; REPLY has nft's message.
load_nft() {
	run_cap "$1" "$NFT" -f "$2"
	REPLY=$RUN_ERR
	return "$RUN_RC"
}

# load_natc NS: create the user chains and run the ipt: lines through natc.
load_natc() {
	local c l
	for c in "${e_userchains[@]}"; do
		natc_argv -N "$c"
		run_cap "$1" "${ARGV[@]}"
		if [ "$RUN_RC" != 0 ]; then
			REPLY="natc -N $c failed ($RUN_RC): $RUN_ERR"
			return 1
		fi
	done
	for l in "${e_ipt[@]}"; do
		split_args "$l" || {
			REPLY="cannot split: $l"
			return 1
		}
		natc_argv "${ARGS[@]}"
		run_cap "$1" "${ARGV[@]}"
		if [ "$RUN_RC" != 0 ]; then
			REPLY="natc $l failed ($RUN_RC): $RUN_ERR"
			return 1
		fi
	done
}

reset_entry() {
	e_line=0 e_title='' e_chain='' e_differs='' e_natc=() e_userchains=() e_ipt=() e_nft=() e_errors=()
}

check_entry() {
	local name="${CORPUS##*/}:$e_line: ${e_title:-(no title)}" nsA nsB got want st

	# a block of plain comments (the corpus head) is no entry
	if [ -z "$e_chain" ] && [ ${#e_ipt[@]} -eq 0 ] && [ ${#e_nft[@]} -eq 0 ] &&
		[ ${#e_errors[@]} -eq 0 ] && [ -z "$e_differs" ] && [ ${#e_natc[@]} -eq 0 ]; then
		return
	fi
	if [ -n "$NATIVE_ONLY" ] && ! [[ "$name" =~ $NATIVE_ONLY ]]; then
		return
	fi
	[ -n "$e_chain" ] || e_errors+=("no chain:")
	[ ${#e_ipt[@]} -gt 0 ] || e_errors+=("no ipt: line")
	[ ${#e_nft[@]} -gt 0 ] || e_errors+=("no nft: line")
	if [ -n "$e_differs" ] && [ ${#e_natc[@]} -eq 0 ]; then
		e_errors+=("#! differs: needs natc: lines saying what natc writes")
	elif [ -z "$e_differs" ] && [ ${#e_natc[@]} -gt 0 ]; then
		e_errors+=("natc: lines need a '#! differs: REASON'")
	fi
	if [ ${#e_errors[@]} -gt 0 ]; then
		tap_fail "$name" "corpus error:" "${e_errors[@]}"
		return
	fi

	ns_new nsB nft
	nft_script "$TMPD/entry.nft"
	if ! load_nft "$nsB" "$TMPD/entry.nft"; then
		tap_fail "$name" "the nft text does not load:" "$REPLY" "$(cat "$TMPD/entry.nft")"
		ns_del "$nsB"
		return
	fi
	run_cap "$nsB" "$NFT" --debug=netlink list table "$NATIVE_FAMILY" nat
	extract "$RUN_OUT" "$e_chain"
	want=$REPLY
	ns_del "$nsB"
	if [ ${#e_natc[@]} -gt 0 ]; then
		if ! apply_edits "$want" "${e_natc[@]}"; then
			tap_fail "$name" "corpus error:" "$REPLY"
			return
		fi
		# in self-test mode both sides are nft's: no difference
		[ "$NATIVE_SELFTEST" = 1 ] || want=$REPLY
	fi

	ns_new nsA natc
	if [ "$NATIVE_SELFTEST" = 1 ]; then
		load_nft "$nsA" "$TMPD/entry.nft"
	else
		load_natc "$nsA"
	fi
	st=$?
	if [ "$st" = 0 ]; then
		run_cap "$nsA" "$NFT" --debug=netlink list table "$NATIVE_FAMILY" nat
		extract "$RUN_OUT" "$e_chain"
		got=$REPLY
		[ "$got" == "$want" ] || st=1
		REPLY=$(udiff "$want" "$got" "nft ${e_nft[*]}${e_differs:+ (natc: edits)}" \
			"natc ${e_ipt[*]}")
	fi
	ns_del "$nsA"

	if [ "$NATIVE_VERBOSE" = 1 ]; then
		local tl
		while IFS='' read -r tl; do printf '#   %s\n' "$tl"; done <<<"$want"
	fi
	if [ "$st" != 0 ] && [ -n "$e_differs" ]; then
		tap_fail "$name" "$REPLY" "natc deliberately differs: $e_differs"
	else
		tap_ok "$st" "$name" "$REPLY"
	fi
}

reset_entry
lineno=0
for CORPUS in "${CORPORA[@]}"; do
lineno=0
reset_entry
while IFS='' read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	if [ -z "${line//[[:space:]]/}" ]; then
		[ "$e_line" != 0 ] && check_entry
		reset_entry
		continue
	fi
	[ "$e_line" = 0 ] && e_line=$lineno
	case "$line" in
	'#! differs:'*)
		e_differs=${line#'#! differs:'}
		e_differs=${e_differs# }
		;;
	'#!'*) e_errors+=("line $lineno: unknown directive: $line") ;;
	'#'*)
		if [ -z "$e_title" ]; then
			e_title=${line#'#'}
			e_title=${e_title# }
		fi
		;;
	chain:*) e_chain=${line#chain:} e_chain=${e_chain// /} ;;
	chains:*)
		read -ra c <<<"${line#chains:}"
		e_userchains+=("${c[@]}")
		;;
	ipt:*) l=${line#ipt:} e_ipt+=("${l# }") ;;
	natc:*) l=${line#natc:} e_natc+=("${l# }") ;;
	nft:*) l=${line#nft:} e_nft+=("${l# }") ;;
	*) e_errors+=("line $lineno: not understood: $line") ;;
	esac
done <"$CORPUS"
[ "$e_line" != 0 ] && check_entry
done

done_testing
