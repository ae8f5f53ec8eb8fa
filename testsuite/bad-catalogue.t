#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bad-catalogue.t - a catalogue of bad input (bad-catalogue/cases) through
# natc, natc-restore, natc-restore-translate and natc --explain.
#
# For every case:
#   1. the tool runs under `timeout` (a hang fails) in one namespace that
#      was preloaded once through natc (lib.sh's BAD_PRELOAD, as bad-input.t);
#   2. its exit status must be the one the case gives: iptables' (the
#      reference tool's status is recorded next to it; BADCAT_REF=1
#      checks the record against the reference tools), or natc's own
#      where the case names a deliberate difference;
#   3. stderr must hold exactly one line of reason (iptables' Try lines,
#      blank lines, and the echoed line with its caret under it do not
#      count), with its location for a file: `case.save:LINE:COL: ` for
#      natc-restore and natc --explain; natc-restore-translate goes on
#      after a bad line and reports each as `case.save:LINE: ` (its
#      format), so it may print several, each located; no sanitizer report;
#      stdout empty (natc-restore-translate: the script it could write);
#   4. the namespace's `nft list ruleset` must be byte for byte what it
#      was: around each case that may touch the kernel (natc, natc-restore,
#      natc --explain with a command), and once around the whole batch of
#      those that do not (translations, explanations of files).
# One TAP test per case, plus the batch's snapshot.
#
# Case format (bad-catalogue/cases): one case a line, five fields
# separated by tabs:
#   TOOL  STATUS  REF  TAGS  PAYLOAD
# TOOL      natc (PAYLOAD: the arguments, shell words; no table given means
#           nat for natc, `-t nat` is added for iptables-nft), restore,
#           xlate, explain (PAYLOAD: the file, printf %b escapes: \n, \t,
#           \xHH, \0; `@dir`: a directory, `@missing`: no such file),
#           explain-cmd (the arguments after `natc --explain`)
# STATUS    natc's exit status
# REF       the reference tool's status for the same input (iptables-nft,
#           iptables-nft-restore, iptables-restore-translate 1.8.9 on the
#           same preload), `-` where there is none (--explain)
# TAGS      `-`, or a comma list of: `differs:KEY` (STATUS differs from
#           REF on purpose: KEY names a `%reason KEY TEXT` line, which
#           says why), `noloc` (the file itself is wrong: the reason
#           names the file, not a line)
# In PAYLOAD, {{N*TEXT}} stands for TEXT repeated N times.  `#` lines and
# blank lines are comments.
#
# Environment: NATC (natc-restore and natc-restore-translate are taken
# beside it), NATC_TIMEOUT (s per run, here 10 by default), BADCAT_REF=1 (also run the reference tools and
# check REF), BADCAT_ONLY=REGEX (cases whose "TOOL PAYLOAD" matches).

# seconds a run may take (lib.sh's default is 30)
: "${NATC_TIMEOUT:=10}"

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

: "${BADCAT_REF:=}"
: "${BADCAT_ONLY:=}"

require_root
require_cmds ip timeout "$NFT"
require_natc
[ "$SELFTEST" = 1 ] && bail_out "no self-test mode: BADCAT_REF=1 checks the reference tools"
if [ -n "$BADCAT_REF" ]; then
	require_cmds "$IPT" iptables-nft-restore iptables-restore-translate
fi

NATC_DIR=$(cd "$(dirname "$(command -v "$NATC")")" && pwd)
RESTORE=$NATC_DIR/natc-restore
XLATE=$NATC_DIR/natc-restore-translate
CASES=$TESTSUITE_DIR/bad-catalogue/cases

# preload NS TOOL: flush NS and load lib.sh's BAD_PRELOAD through natc or
# the reference.
preload() {
	in_ns "$1" "$NFT" flush ruleset
	bad_preload "$1" "$2" || bail_out "$REPLY"
}

snapshot() { # NS: REPLY = nft list ruleset
	run_cap "$1" "$NFT" list ruleset
	REPLY="(status $RUN_RC)"$'\n'$RUN_OUT$RUN_ERR
}

# expand TEXT: REPLY = TEXT with each {{N*X}} replaced by N copies of X.
expand() {
	local s=$1 out='' n x rep
	local re='^(.*)\{\{([0-9]+)\*([^}]*)\}\}(.*)$'
	while [[ "$s" =~ $re ]]; do
		n=${BASH_REMATCH[2]} x=${BASH_REMATCH[3]}
		printf -v rep '%*s' "$n" ''
		out=${rep// /"$x"}${BASH_REMATCH[4]}$out
		s=${BASH_REMATCH[1]}
	done
	REPLY=$s$out
}

WORK=$TMPD/w
mkdir -p "$WORK"

# setup_input TOOL PAYLOAD: writes the file (restore, xlate, explain) or
# splits the arguments into ARGS; returns 1 on a corpus error (REPLY).
setup_input() {
	local tool=$1 payload
	expand "$2"
	payload=$REPLY
	rm -rf "$WORK/case.save"
	case "$tool" in
	natc | explain-cmd)
		split_args "$payload" || {
			REPLY="cannot split: $payload"
			return 1
		}
		;;
	*)
		case "$payload" in
		@dir) mkdir "$WORK/case.save" ;;
		@missing) ;;
		*) printf '%b' "$payload" >"$WORK/case.save" ;;
		esac
		;;
	esac
}

# run_tool NS WHO TOOL: runs natc's tool (WHO=natc) or the reference
# (WHO=ref) on the input set up, in $WORK; RUN_RC, files out and err.
run_tool() {
	local ns=$1 who=$2 tool=$3 argv
	case "$who:$tool" in
	natc:natc) argv=("$NATC" "${ARGS[@]}") ;;
	ref:natc) ipt_argv "${ARGS[@]}" && argv=("${ARGV[@]}") ;;
	natc:explain-cmd) argv=("$NATC" --explain "${ARGS[@]}") ;;
	natc:restore) argv=("$RESTORE" case.save) ;;
	ref:restore) argv=(iptables-nft-restore case.save) ;;
	natc:xlate) argv=("$XLATE" case.save) ;;
	ref:xlate) argv=(iptables-restore-translate -f case.save) ;;
	natc:explain) argv=("$NATC" --explain case.save) ;;
	*) return 1 ;;
	esac
	(cd "$WORK" && in_ns "$ns" timeout -k 2 "$NATC_TIMEOUT" "${argv[@]}" \
		>"$TMPD/out" 2>"$TMPD/err" </dev/null)
	RUN_RC=$?
}

# check_err TOOL TAGS: REPLY = what is wrong with $TMPD/err and out, or ''.
check_err() {
	local tool=$1 tags=$2 n_reason re loc_re problems=''
	if grep -aqE 'AddressSanitizer|LeakSanitizer|runtime error:|ThreadSanitizer' "$TMPD/err"; then
		problems+="a sanitizer report"$'\n'
	fi
	if [ "$tool" != xlate ] && [ -s "$TMPD/out" ]; then
		problems+="printed on stdout: $(head -c 200 "$TMPD/out" | tr -d '\0')"$'\n'
	fi
	# the reasons: not Try lines, blank lines, carets, nor the line a
	# caret is under
	n_reason=$(tr -d '\0' <"$TMPD/err" | awk '
		{ l[NR] = $0; sub(/^[a-z-]+ v[^ ]+ \(nf_tables\): /, "", l[NR]) }
		END {
			for (i = 1; i <= NR; i++) {
				if (l[i] ~ /^[ \t]*$/ || l[i] ~ /^Try `/) continue
				if (l[i] ~ /^[ \t~]*\^[ \t~^]*$/) continue
				if (i < NR && l[i + 1] ~ /^[ \t~]*\^[ \t~^]*$/) continue
				n++
			}
			print n + 0
		}')
	if [ "$tool" = xlate ]; then
		# it goes on after a bad line: one located line for each
		# (FILE:LINE:); input it refuses whole (a NUL byte, a line too
		# long) stops it, located as natc-restore locates it
		local n_loc
		n_loc=$(tr -d '\0' <"$TMPD/err" | grep -acE '^case\.save:[0-9]+:([0-9]+: error:)? ')
		if [ "$n_reason" -lt 1 ] || { [ "$n_loc" != "$n_reason" ] &&
			[[ ",$tags," != *,noloc,* ]]; }; then
			problems+="$n_reason lines of reason, $n_loc located: $(head -c 600 "$TMPD/err" | tr -d '\0')"$'\n'
		fi
	elif [ "$n_reason" != 1 ]; then
		problems+="$n_reason lines of reason, not 1: $(head -c 600 "$TMPD/err" | tr -d '\0')"$'\n'
	fi
	case "$tool" in
	restore | explain) loc_re='^case\.save:[0-9]+:[0-9]+: ' ;;
	xlate) loc_re='^case\.save:[0-9]+:([0-9]+: error:)? ' ;;
	*) loc_re= ;;
	esac
	case ",$tags," in
	*,noloc,*) loc_re='case\.save' ;;
	esac
	if [ -n "$loc_re" ] && ! head -n 1 "$TMPD/err" | tr -d '\0' | grep -aqE "$loc_re"; then
		problems+="no location ($loc_re) in: $(head -n 1 "$TMPD/err" | head -c 300 | tr -d '\0')"$'\n'
	fi
	REPLY=$problems
}

declare -A REASONS=()
KERNEL_FREE=()		# case indexes run in the batch
C_LINE=() C_TOOL=() C_STATUS=() C_REF=() C_TAGS=() C_PAYLOAD=()

read_cases() {
	local line n=0 tool status ref tags payload key text
	while IFS='' read -r line; do
		n=$((n + 1))
		case "$line" in
		'' | '#'*) continue ;;
		'%reason '*)
			line=${line#'%reason '}
			key=${line%% *} text=${line#* }
			REASONS[$key]=$text
			continue
			;;
		esac
		IFS=$'\t' read -r tool status ref tags payload <<<"$line"
		if [ -n "$BADCAT_ONLY" ] && ! [[ "$tool $payload" =~ $BADCAT_ONLY ]]; then
			continue
		fi
		C_LINE+=("$n") C_TOOL+=("$tool") C_STATUS+=("$status") C_REF+=("$ref")
		C_TAGS+=("$tags") C_PAYLOAD+=("$payload")
	done <"$CASES"
}

# report I PROBLEMS: the case's TAP line.
report() {
	local i=$1 problems=$2 name tags=${C_TAGS[$1]} p
	p=${C_PAYLOAD[$i]}
	[ ${#p} -gt 70 ] && p="${p:0:70}..."
	name="cases:${C_LINE[$i]}: ${C_TOOL[$i]} $p"
	if [ -z "$problems" ]; then
		tap_pass "$name"
	else
		tap_fail "$name" "${problems%$'\n'}"
	fi
}

# check_case I NS: runs case I in NS (kernel snapshots are the caller's).
check_case() {
	local i=$1 ns=$2 tool=${C_TOOL[$1]} tags=${C_TAGS[$1]} problems='' t key
	for t in ${tags//,/ }; do
		case "$t" in
		-) ;;
		noloc) ;;
		differs:*)
			key=${t#differs:}
			[ -n "${REASONS[$key]:-}" ] || problems+="corpus error: no %reason $key"$'\n'
			;;
		*) problems+="corpus error: unknown tag $t"$'\n' ;;
		esac
	done
	if [ "${C_REF[$i]}" != - ] && [ "${C_REF[$i]}" != "${C_STATUS[$i]}" ] &&
		[[ ",$tags," != *,differs:* ]]; then
		problems+="corpus error: natc's status ${C_STATUS[$i]} differs from the reference's ${C_REF[$i]} without differs:KEY"$'\n'
	fi
	if ! setup_input "$tool" "${C_PAYLOAD[$i]}"; then
		CASE_PROBLEMS="corpus error: $REPLY"
		return
	fi
	if ! run_tool "$ns" natc "$tool"; then
		CASE_PROBLEMS="corpus error: unknown tool $tool"
		return
	fi
	local natc_rc=$RUN_RC natc_err
	natc_err=$(head -n 1 "$TMPD/err" | head -c 200 | tr -d '\0')
	if [ "$RUN_RC" = 124 ] || [ "$RUN_RC" = 137 ]; then
		problems+="hangs: killed after ${NATC_TIMEOUT}s"$'\n'
	elif [ "$RUN_RC" != "${C_STATUS[$i]}" ]; then
		problems+="exit status $RUN_RC, expected ${C_STATUS[$i]}"$'\n'
	fi
	check_err "$tool" "$tags"
	problems+=$REPLY
	if [ -n "$BADCAT_REF" ] && [ "${C_REF[$i]}" != - ]; then
		local nsr=$NS_REF
		[ "$tool" = xlate ] && nsr=$NS
		snapshot "$nsr"
		local before=$REPLY
		run_tool "$nsr" ref "$tool"
		[ -n "${BADCAT_RECORD:-}" ] && printf '%s\t%s\t%s\t%s\t%s\n' "${C_LINE[$i]}" \
			"$natc_rc" "$RUN_RC" "$natc_err" "$(grep -v '^Try\|^Error occurred' "$TMPD/err" | head -n 1 | head -c 200 | tr -d '\0')" >>"$BADCAT_RECORD"
		[ "$RUN_RC" = "${C_REF[$i]}" ] ||
			problems+="the reference tool exits $RUN_RC, recorded ${C_REF[$i]}: $(head -c 300 "$TMPD/err")"$'\n'
		snapshot "$nsr"
		[ "$before" = "$REPLY" ] || preload "$nsr" ref
	elif [ -n "${BADCAT_RECORD:-}" ]; then
		printf '%s\t%s\t-\t%s\t-\n' "${C_LINE[$i]}" "$natc_rc" "$natc_err" >>"$BADCAT_RECORD"
	fi
	CASE_PROBLEMS=$problems
}

read_cases
[ ${#C_LINE[@]} -gt 0 ] || bail_out "no case in $CASES"

ns_new NS natc
preload "$NS" natc
if [ -n "$BADCAT_REF" ]; then
	ns_new NS_REF ref
	preload "$NS_REF" ref
fi

# the cases that may touch the kernel, each between two snapshots
snapshot "$NS"
BEFORE=$REPLY
for i in "${!C_LINE[@]}"; do
	case "${C_TOOL[$i]}" in
	xlate | explain)
		KERNEL_FREE+=("$i")
		continue
		;;
	esac
	CASE_PROBLEMS=
	check_case "$i" "$NS"
	snapshot "$NS"
	if [ "$BEFORE" != "$REPLY" ]; then
		CASE_PROBLEMS+="the ruleset changed:"$'\n'"$(udiff "$BEFORE" "$REPLY" before after)"$'\n'
		preload "$NS" natc
		snapshot "$NS"
		BEFORE=$REPLY
	fi
	report "$i" "$CASE_PROBLEMS"
done

# the batch that does not: one snapshot around it
for i in "${KERNEL_FREE[@]}"; do
	CASE_PROBLEMS=
	check_case "$i" "$NS"
	report "$i" "$CASE_PROBLEMS"
done
snapshot "$NS"
tap_is "$REPLY" "$BEFORE" "the ${#KERNEL_FREE[@]} translations and explanations of files left the ruleset unchanged"

done_testing
