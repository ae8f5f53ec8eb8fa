#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# names.t - every listed rule can be named back (issue 14).
#
# The rules of the test corpora (the `-A` lines of testsuite/diff/*corpus,
# the `ipt: -A` lines of testsuite/native/*corpus and the `-A` lines of
# testsuite/restore/*.save) are written into the kernel by three writers:
# natc-restore (natc's native expressions), natc-restore --xt and
# iptables-nft-restore (iptables-nft's xt encodings).  Then, for each
# writer, the exact lines `natc -S` prints are turned into commands:
#   - `-C` of every line finds its rule;
#   - `-D` of every line deletes its rule and only it: the rules are
#     deleted one per chain at a time, after which `natc -S` must be the
#     first listing without exactly those lines; once from the last rule
#     of each chain to the first (a line that also names a rule before
#     its own would delete that one), once from the first to the last (a
#     line naming a rule after its own).
# Lines a writer refuses are left out: the corpora hold refused commands
# too, and they are other suites' business.  The rules are put in chains
# of their own (NAMES-1, NAMES-2, ..., $NAMES_PER_CHAIN rules each) that
# no builtin jumps to, so that a NAT target is taken in any of them; the
# user chains the corpora name are made empty, for their jumps.
#
# The -C and -D lines go through natc-restore --noflush, many to a
# transaction (a refused line is reported, left out, and the rest made
# again), and `natc -C` / `natc -D` on the command line too, split from
# the -S line as a shell would, for a sample of them ($NAMES_ARGV, every
# Nth rule; 1: all).
#
# Environment: NATC (natc-restore beside it), IPT (its -restore is the
# third writer), NAMES_ONLY=REGEX (writers: natc, natc-xt, iptables-nft),
# NAMES_PER_CHAIN (4), NAMES_ARGV (20).

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip timeout awk "$IPT" "$IPT-restore"
require_natc

: "${NAMES_ONLY:=}"
: "${NAMES_PER_CHAIN:=4}"
: "${NAMES_ARGV:=20}"
# Self-test mode has nothing to check: the property is natc's own, and
# iptables-nft 1.8.9 lacks it (its -C does not find a -m recent rule by
# the line its -S printed).
if [ "$SELFTEST" = 1 ]; then
	printf '1..0 # SKIP iptables-nft 1.8.9 cannot name its -m recent rules by its -S lines\n'
	exit 0
fi
NATC_RESTORE=${NATC_RESTORE:-$(dirname "$NATC")/natc-restore}
[ -x "$NATC_RESTORE" ] || bail_out "no natc-restore beside $NATC"

# ------------------------------------------------------------ corpus ----

# A word of a shell-split line, as a save file writes it.
save_word() {
	local w=$1
	if [[ "$w" =~ ^[^[:space:]\"\'\\]+$ ]]; then
		REPLY=$w
	else
		w=${w//\\/\\\\}
		REPLY=\"${w//\"/\\\"}\"
	fi
}

RULES=()	# "-A CHAIN ..." in save-file words, without duplicates
declare -A seen=()
USER_CHAINS=()
declare -A user_seen=()

add_user_chain() {
	[[ "$1" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,27}$ ]] || return 0
	case "$1" in
	PREROUTING | INPUT | OUTPUT | POSTROUTING | NAMES-*) return 0 ;;
	esac
	[ -n "${user_seen[$1]:-}" ] && return 0
	user_seen[$1]=1
	USER_CHAINS+=("$1")
}

# Deliberately left out: an interface name holding a blank.  -S prints
# it bare, as iptables-nft 1.8.9 does (`-o eth 0`), so its line names no
# rule, for either tool.
BLANK_IFNAME=0
blank_ifname() {
	local i
	split_args "$1" 2>/dev/null || return 1
	for ((i = 1; i < ${#ARGS[@]}; i++)); do
		case "${ARGS[i - 1]}" in
		-i | -o | --in-interface | --out-interface)
			[[ "${ARGS[i]}" == *[[:space:]]* ]] && return 0
			;;
		esac
	done
	return 1
}

# add_rule_words WORDS...: a rule given as shell words (-A CHAIN ...)
add_rule_words() {
	local out='' w
	shift 2
	for w in "$@"; do
		save_word "$w"
		out+=" $REPLY"
	done
	add_rule_text "${out# }"
}

# add_rule_text TEXT: a rule in save-file words, without -A CHAIN
add_rule_text() {
	[ -n "$1" ] || return 0
	if blank_ifname "$1"; then
		BLANK_IFNAME=$((BLANK_IFNAME + 1))
		return 0
	fi
	[ -n "${seen[$1]:-}" ] && return 0
	seen[$1]=1
	RULES+=("$1")
}

shopt -s nullglob
for f in "$TESTSUITE_DIR"/diff/corpus "$TESTSUITE_DIR"/diff/*.corpus \
	"$TESTSUITE_DIR"/native/*corpus; do
	while IFS='' read -r line; do
		line=${line#ipt: }
		line=${line#-t nat }
		case "$line" in
		-N\ *) split_args "$line" && [ ${#ARGS[@]} = 2 ] && add_user_chain "${ARGS[1]}" ;;
		chains:*) for w in ${line#chains:}; do add_user_chain "$w"; done ;;
		-A\ *)
			split_args "$line" 2>/dev/null || continue
			[ ${#ARGS[@]} -ge 3 ] && add_rule_words "${ARGS[@]}"
			;;
		esac
	done <"$f"
done
for f in "$TESTSUITE_DIR"/restore/*.save; do
	while IFS='' read -r line; do
		case "$line" in
		:*) w=${line#:} && add_user_chain "${w%% *}" ;;
		-A\ *)
			w=${line#-A }
			w=${w#* }
			[ "$w" != "${line#-A }" ] && add_rule_text "$w"
			;;
		esac
	done <"$f"
done
shopt -u nullglob
[ ${#RULES[@]} -gt 100 ] || bail_out "only ${#RULES[@]} rules found in the corpora"
[ "$BLANK_IFNAME" -gt 0 ] &&
	diag "left out: $BLANK_IFNAME rules with a blank in an interface name (-S prints it bare, as iptables-nft does)"

# ------------------------------------------------------------ helpers ----

# The save file of the rules still taken (TAKEN[i] = 1), each in its
# chain (CHAIN_OF[i]); LINE_OF[i] is its line in it.
declare -a CHAIN_OF LINE_OF TAKEN
write_file() {
	local f=$1 i n=0 k ln
	{
		echo '*nat'
		ln=1
		for ((k = 1; k <= NCHAINS; k++)); do echo ":NAMES-$k - [0:0]"; ln=$((ln + 1)); done
		for k in "${USER_CHAINS[@]}"; do echo ":$k - [0:0]"; ln=$((ln + 1)); done
		for i in "${!RULES[@]}"; do
			[ "${TAKEN[i]}" = 1 ] || continue
			ln=$((ln + 1))
			LINE_OF[i]=$ln
			echo "-A ${CHAIN_OF[i]} ${RULES[i]}"
		done
		echo COMMIT
	} >"$f"
}

# rule_at_line LINE: sets REPLY to the rule index written at LINE, or -1.
rule_at_line() {
	local i
	REPLY=-1
	for i in "${!RULES[@]}"; do
		if [ "${TAKEN[i]}" = 1 ] && [ "${LINE_OF[i]}" = "$1" ]; then
			REPLY=$i
			return
		fi
	done
}

# failed_line TEXT: sets REPLY to the line a restore tool's message
# names (natc: FILE:LINE:COL, iptables-nft-restore: "line N failed" or
# "Error occurred at line: N"), or nothing.
failed_line() {
	REPLY=
	if [[ "$1" =~ \.save:([0-9]+): ]] || [[ "$1" =~ line\ ([0-9]+)\ failed ]] ||
		[[ "$1" =~ at\ line:\ ([0-9]+) ]] || [[ "$1" =~ line\ ([0-9]+): ]]; then
		REPLY=${BASH_REMATCH[1]}
	fi
}

# load NS TOOL...: the corpus through a writer, leaving out what it
# refuses (at most 100 lines); sets LOADED to the rules taken.
load() {
	local ns=$1 tries=0 i
	shift
	while :; do
		write_file "$TMPD/load.save"
		in_ns "$ns" "$NFT" flush ruleset
		run_cap "$ns" timeout 60 "$@" "$TMPD/load.save"
		[ -n "${NAMES_DEBUG:-}" ] && echo "$EPOCHREALTIME load rc=$RUN_RC" >&2
		[ "$RUN_RC" = 0 ] && break
		failed_line "$RUN_ERR"
		i=${REPLY:-0}
		rule_at_line "$i"
		i=$((i - NCHAINS - 2))
		if [ "$REPLY" = -1 ] && [ "$i" -ge 0 ] && [ "$i" -lt ${#USER_CHAINS[@]} ]; then
			# a chain the corpora name that this writer refuses
			USER_CHAINS=("${USER_CHAINS[@]:0:i}" "${USER_CHAINS[@]:i+1}")
			continue
		fi
		if [ "$REPLY" = -1 ] || [ $((tries += 1)) -gt 100 ]; then
			bail_out "$* refuses the corpus: $RUN_ERR"
		fi
		TAKEN[REPLY]=0
	done
	LOADED=0
	for i in "${!RULES[@]}"; do [ "${TAKEN[i]}" = 1 ] && LOADED=$((LOADED + 1)); done
}

# Most refused lines of the corpora are refused by natc's parser: all of
# them are found in one go by natc-restore-translate (which goes on after
# a bad line), leaving the writers to refuse what the kernel or
# iptables-nft refuses.  A line without a translation is no bad line.
prefilter() {
	local tr i ln
	local -A bad=()
	tr=$(dirname "$NATC")/natc-restore-translate
	[ -x "$tr" ] || return 0
	NCHAINS=$(((${#RULES[@]} + NAMES_PER_CHAIN - 1) / NAMES_PER_CHAIN))
	for i in "${!RULES[@]}"; do
		TAKEN[i]=1
		CHAIN_OF[i]=NAMES-1
	done
	write_file "$TMPD/pre.save"
	"$tr" -f "$TMPD/pre.save" >/dev/null 2>"$TMPD/pre.err"
	while IFS='' read -r ln; do
		[[ "$ln" =~ ^[^:]*pre\.save:([0-9]+):\ (.*)$ ]] || continue
		[[ "${BASH_REMATCH[2]}" == *"has no nft translation"* ]] && continue
		bad[${BASH_REMATCH[1]}]=1
	done <"$TMPD/pre.err"
	local -a keep=()
	for i in "${!RULES[@]}"; do
		[ -n "${bad[${LINE_OF[i]}]:-}" ] || keep+=("${RULES[i]}")
	done
	RULES=("${keep[@]}")
	keep=()
	for i in "${!USER_CHAINS[@]}"; do
		[ -n "${bad[$((NCHAINS + 2 + i))]:-}" ] || keep+=("${USER_CHAINS[i]}")
	done
	USER_CHAINS=("${keep[@]}")
}

# natc's -S of NS into LISTING (lines) and the rules of the NAMES chains
# into LR_CHAIN[j], LR_TEXT[j] (the line without "-A CHAIN "), LR_LINE[j]
# (its index in LISTING).
list_names() {
	local ns=$1 j=0 k l
	natc_argv -t nat -S
	run_cap "$ns" "${ARGV[@]}"
	[ "$RUN_RC" = 0 ] || bail_out "natc -S failed: $RUN_ERR"
	mapfile -t LISTING <<<"${RUN_OUT%$'\n'}"
	LR_CHAIN=() LR_TEXT=() LR_LINE=()
	for k in "${!LISTING[@]}"; do
		l=${LISTING[k]}
		[[ "$l" == "-A NAMES-"* ]] || continue
		l=${l#-A }
		LR_CHAIN[j]=${l%% *}
		LR_TEXT[j]=${l#* }
		LR_LINE[j]=$k
		j=$((j + 1))
	done
}

# A transaction of LINES (global array) through natc-restore --noflush in
# NS; the lines it refuses are left out and put in REFUSED (their index
# in LINES) with the message, the rest made again.
REFUSED=() REFUSED_MSG=()
transact() {
	local ns=$1 k n tries=0
	local -a idx=("${!LINES[@]}")
	REFUSED=() REFUSED_MSG=()
	while [ ${#idx[@]} -gt 0 ]; do
		{
			echo '*nat'
			for k in "${idx[@]}"; do echo "${LINES[k]}"; done
			echo COMMIT
		} >"$TMPD/t.save"
		run_cap "$ns" timeout 60 "$NATC_RESTORE" --noflush "$TMPD/t.save"
		[ -n "${NAMES_DEBUG:-}" ] && echo "$EPOCHREALTIME transact ${#idx[@]} rc=$RUN_RC" >&2
		[ "$RUN_RC" = 0 ] && return 0
		failed_line "$RUN_ERR"
		n=${REPLY:-0}
		if [ "$n" -lt 2 ] || [ "$n" -gt $((${#idx[@]} + 1)) ] || [ $((tries += 1)) -gt 200 ]; then
			bail_out "natc-restore --noflush failed: $RUN_ERR"
		fi
		REFUSED+=("${idx[n - 2]}")
		REFUSED_MSG+=("${RUN_ERR%%$'\n'*}")
		idx=("${idx[@]:0:n-2}" "${idx[@]:n-1}")
	done
}

# ------------------------------------------------------------ the test ----

# Rules iptables-nft 1.8.9 writes in native expressions natc does not
# read (it lists each as a `# rule natc cannot express` line, so no line
# names it): the expressions, and why.  An entry that no longer shows
# fails the first test, so that it is dropped here (`-i +`, a lone load
# of iifname, was, once natc read it as iptables-nft does).
UNREAD=(
	"[payload load 4b @ transport header + 0] [cmp neq 0x00010003]"
)
UNREAD_WHY=(
	"! --sport 1 ! --dport 3: iptables-nft 1.8.9 writes one 4-byte != compare, which means \"not both\" (a packet with sport 1 and dport 4 matches it): not the rule, so natc does not read it as one (deliberate)"
)

[ -n "${NAMES_DEBUG:-}" ] && echo "$EPOCHREALTIME corpus read" >&2
prefilter
[ -n "${NAMES_DEBUG:-}" ] && echo "$EPOCHREALTIME prefiltered" >&2
NCHAINS=$(((${#RULES[@]} + NAMES_PER_CHAIN - 1) / NAMES_PER_CHAIN))

# check_writer NAME TOOL...: one writer, all its tests.
check_writer() {
	local name=$1 nsA nsB i j k n p round fails miss want got
	shift
	if [ -n "$NAMES_ONLY" ] && ! [[ "$name" =~ $NAMES_ONLY ]]; then
		return
	fi
	TAKEN=() CHAIN_OF=() LINE_OF=()
	for i in "${!RULES[@]}"; do
		TAKEN[i]=1
		CHAIN_OF[i]=NAMES-$((i / NAMES_PER_CHAIN + 1))
	done
	ns_new nsA "$name-a"
	ns_new nsB "$name-b"
	load "$nsA" "$@"
	local loaded=$LOADED
	load "$nsB" "$@"
	[ "$LOADED" = "$loaded" ] || bail_out "$name: a second load took other lines"
	list_names "$nsA"
	local -a L0=("${LISTING[@]}")
	local -a C0=("${LR_CHAIN[@]}") T0=("${LR_TEXT[@]}") I0=("${LR_LINE[@]}")
	n=${#T0[@]}

	# every rule is listed as a rule (but for iptables-nft's encodings
	# natc does not read yet: each must still be found so, or the entry
	# goes)
	miss=()
	local -A known_seen=()
	for l in "${L0[@]}"; do
		[[ "$l" == "# "* ]] || continue
		for k in "${!UNREAD[@]}"; do
			if [ "$name" = iptables-nft ] && [[ "$l" == *"${UNREAD[k]}"* ]]; then
				known_seen[$k]=1
				continue 2
			fi
		done
		miss+=("$l")
	done
	if [ "$name" = iptables-nft ]; then
		for k in "${!UNREAD[@]}"; do
			[ -n "${known_seen[$k]:-}" ] ||
				miss+=("no longer unread, drop it from UNREAD: ${UNREAD[k]} (${UNREAD_WHY[k]})")
		done
	fi
	tap_ok "${#miss[@]}" "$name: natc lists each of the $LOADED rules written as a rule ($n with address lists expanded${known_seen[*]:+; ${#known_seen[@]} known unread})" "${miss[@]}"

	# -C: every listed line finds its rule
	LINES=()
	for ((j = 0; j < n; j++)); do LINES[j]="-C ${C0[j]} ${T0[j]}"; done
	transact "$nsA"
	fails=()
	for k in "${!REFUSED[@]}"; do fails+=("${LINES[REFUSED[k]]}" "  ${REFUSED_MSG[k]}"); done
	tap_ok "${#fails[@]}" "$name: natc-restore -C of each of the $n lines natc -S printed finds its rule" "${fails[@]}"

	# the same on natc's command line, for a sample
	fails=()
	for ((j = 0; j < n; j += NAMES_ARGV)); do
		split_args "-C ${C0[j]} ${T0[j]}" || { fails+=("cannot split: ${T0[j]}"); continue; }
		natc_argv -t nat "${ARGS[@]}"
		run_cap "$nsA" "${ARGV[@]}"
		[ "$RUN_RC" = 0 ] || fails+=("natc -t nat -C ${C0[j]} ${T0[j]}  => $RUN_RC" "  ${RUN_ERR%%$'\n'*}")
	done
	tap_ok "${#fails[@]}" "$name: natc -C of every ${NAMES_ARGV}th line finds its rule" "${fails[@]}"

	# the rules of each chain, in order (indices into C0/T0)
	local -A cidx=()
	local -a chains=()
	for ((j = 0; j < n; j++)); do
		[ -n "${cidx[${C0[j]}]:-}" ] || chains+=("${C0[j]}")
		cidx[${C0[j]}]+=" $j"
	done

	# -D, one rule per chain a round: last first in A, first first in B
	local ns order ch
	for order in last first; do
		[ "$order" = last ] && ns=$nsA || ns=$nsB
		local -A gone=()
		fails=()
		for ((round = 0; ; round++)); do
			# the rules of this round: position round of each chain,
			# from its end or its start
			local -a pick=() v
			for ch in "${chains[@]}"; do
				read -r -a v <<<"${cidx[$ch]}"
				p=$round
				[ "$order" = last ] && p=$((${#v[@]} - 1 - round))
				[ "$p" -ge 0 ] && [ "$p" -lt ${#v[@]} ] && pick+=("${v[p]}")
			done
			[ ${#pick[@]} -gt 0 ] || break
			LINES=()
			for j in "${pick[@]}"; do LINES+=("-D ${C0[j]} ${T0[j]}"); done
			transact "$ns"
			local -A refused=()
			for k in "${!REFUSED[@]}"; do
				refused[${pick[REFUSED[k]]}]=1
				fails+=("${LINES[REFUSED[k]]}" "  ${REFUSED_MSG[k]}")
			done
			# a line deletes the first rule of its chain that has its
			# text: where several have it, the first one left
			for j in "${pick[@]}"; do
				[ -n "${refused[$j]:-}" ] && continue
				read -r -a v <<<"${cidx[${C0[j]}]}"
				for k in "${v[@]}"; do
					if [ -z "${gone[$k]:-}" ] && [ "${T0[k]}" = "${T0[j]}" ]; then
						gone[$k]=1
						break
					fi
				done
			done
			unset refused
			# the listing: the first one without the lines deleted
			local -A gone_line=()
			for k in "${!gone[@]}"; do gone_line[${I0[k]}]=1; done
			want=''
			for k in "${!L0[@]}"; do
				[ -n "${gone_line[$k]:-}" ] || want+=${L0[k]}$'\n'
			done
			unset gone_line
			natc_argv -t nat -S
			run_cap "$ns" "${ARGV[@]}"
			got=$RUN_OUT
			if [ "$got" != "$want" ]; then
				fails+=("after round $((round + 1)) ($order first), natc -S:" "$(udiff "$want" "$got" expected natc)")
				break
			fi
		done
		unset gone
		tap_ok "${#fails[@]}" "$name: natc-restore -D of each listed line deletes its rule and only it, $order rule of each chain first" "${fails[@]}"
	done

	# -D on natc's command line, for a sample (the rules are gone from
	# B: loaded again)
	load "$nsB" "$@"
	fails=()
	local -A cut=()
	for ((j = 0; j < n; j += NAMES_ARGV)); do
		split_args "-D ${C0[j]} ${T0[j]}" || continue
		natc_argv -t nat "${ARGS[@]}"
		run_cap "$nsB" "${ARGV[@]}"
		if [ "$RUN_RC" != 0 ]; then
			fails+=("natc -t nat -D ${C0[j]} ${T0[j]}  => $RUN_RC" "  ${RUN_ERR%%$'\n'*}")
			continue
		fi
		natc_argv -t nat -S "${C0[j]}"
		run_cap "$nsB" "${ARGV[@]}"
		# one line of that text less in its chain, one rule less
		p=$(printf '%s' "$RUN_OUT" | grep -cxF -- "-A ${C0[j]} ${T0[j]}")
		k=$(printf '%s' "$RUN_OUT" | grep -c -- "^-A ")
		want=0 got=0
		read -r -a v <<<"${cidx[${C0[j]}]}"
		for i in "${v[@]}"; do
			[ -n "${cut[$i]:-}" ] && continue
			got=$((got + 1))
			[ "${T0[i]}" = "${T0[j]}" ] && want=$((want + 1))
		done
		cut[$j]=1
		[ "$p" = $((want - 1)) ] && [ "$k" = $((got - 1)) ] ||
			fails+=("natc -t nat -D ${C0[j]} ${T0[j]}: $p such lines and $k rules left in the chain, expected $((want - 1)) and $((got - 1))")
	done
	tap_ok "${#fails[@]}" "$name: natc -D of every ${NAMES_ARGV}th line deletes its rule" "${fails[@]}"
	ns_del "$nsA"
	ns_del "$nsB"
}

check_writer natc "$NATC_RESTORE"
check_writer natc-xt "$NATC_RESTORE" --xt
check_writer iptables-nft "$IPT-restore"

done_testing
