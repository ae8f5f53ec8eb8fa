# shellcheck shell=bash disable=SC2034 # variables set for the sourcing script
# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh - helpers shared by natc's kernel test suites (testsuite/*.t).
#
# Source it from a bash script run by prove(1):
#
#     . "$(dirname "$0")/lib.sh"
#     require_root
#     require_cmds ip nft "$IPT"
#     ...; tap_ok / tap_is ...; done_testing
#
# What it gives:
#   - TAP output: plan, tap_ok, tap_pass, tap_fail, tap_skip, tap_todo,
#     tap_is (a unified diff of expected vs got in the diagnostics), diag,
#     bail_out, done_testing.
#   - Network namespaces named natc-t-<pid>-<seq>-<tag>; every namespace made
#     through ns_new is deleted by a trap on EXIT, INT, TERM and HUP.  Nothing
#     here ever touches the host's own firewall, routes or interfaces: all
#     commands that change kernel state run inside such a namespace (in_ns).
#   - require_root: skips (1..0 # SKIP) when not root, but FAILS when CI=true,
#     because CI must never skip the kernel suites.  So do require_cmds,
#     and tap_skip outside self-test mode.
#   - apply_edits: the native corpus' `natc:` edits (what natc writes where
#     it deliberately differs from an nft text), for native.t and translate.t.
#   - NATC (the tool under test; default: ../natc, absolute) and IPT (the
#     reference tool; default: iptables-nft), both overridable from the env.
#   - Self-test mode: when NATC is itself iptables/xtables (for example
#     NATC=iptables-nft), the suites pass `-t nat` to it when a command names
#     no table, as they do for the reference tool, and ignore the corpus'
#     deliberate-difference directives; every test must then pass.  That is
#     how the harnesses and corpora are validated without natc.

set -u

TESTSUITE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$TESTSUITE_DIR/.." && pwd)

: "${NATC:=$TOP_DIR/natc}"
: "${IPT:=iptables-nft}"
: "${NFT:=nft}"
# Seconds one natc command may run before it is killed (a hang is a failure).
: "${NATC_TIMEOUT:=30}"

# Self-test mode: the tool under test is a reference tool itself.
SELFTEST=0
case "${NATC##*/}" in
iptables* | ip6tables* | xtables*) SELFTEST=1 ;;
esac

# ---------------------------------------------------------------- TAP ----

_tap_count=0
_tap_failed=0

plan() { printf '1..%s\n' "$1"; }

# diag LINE...: TAP diagnostics (to stderr, so prove shows them even when
# not verbose).  Each argument may hold several lines.
diag() {
	local text line
	for text in "$@"; do
		text=${text%$'\n'}
		while IFS='' read -r line; do
			printf '# %s\n' "$line" >&2
		done <<<"$text"
	done
}

# A test name must not hold a bare `#` (TAP would read a directive).
_tap_name() { REPLY=${1//'#'/'\#'}; }

# tap_pass NAME / tap_fail NAME [DIAG...]
tap_pass() {
	_tap_count=$((_tap_count + 1))
	_tap_name "$1"
	printf 'ok %d - %s\n' "$_tap_count" "$REPLY"
}
tap_fail() {
	_tap_count=$((_tap_count + 1))
	_tap_failed=$((_tap_failed + 1))
	_tap_name "$1"
	printf 'not ok %d - %s\n' "$_tap_count" "$REPLY"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# tap_skip NAME REASON: a skipped test; a failed one when CI=true (CI
# must run every test), except in self-test mode, where the skips are
# the reference tool's known limits.
tap_skip() {
	if [ "${CI:-}" = true ] && [ "$SELFTEST" != 1 ]; then
		tap_fail "$1" "skipped: $2 (CI=true: no test may be skipped)"
		return 0
	fi
	_tap_count=$((_tap_count + 1))
	_tap_name "$1"
	printf 'ok %d - %s # SKIP %s\n' "$_tap_count" "$REPLY" "$2"
}

# tap_todo STATUS NAME REASON [DIAG...]: a TODO test (known failure): it
# is reported with `# TODO REASON` and never counts as failed.
tap_todo() {
	local st=$1 name=$2 reason=$3
	shift 3
	_tap_count=$((_tap_count + 1))
	_tap_name "$name"
	name=$REPLY
	if [ "$st" -eq 0 ]; then
		printf 'ok %d - %s # TODO %s\n' "$_tap_count" "$name" "$reason"
	else
		printf 'not ok %d - %s # TODO %s\n' "$_tap_count" "$name" "$reason"
		[ $# -gt 0 ] && diag "$@"
	fi
	return 0
}

# tap_ok STATUS NAME [DIAG...]: passes when STATUS is 0.
tap_ok() {
	local st=$1
	shift
	if [ "$st" -eq 0 ]; then tap_pass "$1"; else tap_fail "$@"; fi
}

# udiff EXPECTED GOT [LABEL_EXPECTED [LABEL_GOT]]: print a unified diff of
# two strings (nothing when equal); returns diff's status.
udiff() {
	diff -u --label "${3:-expected}" --label "${4:-got}" \
		<(printf '%s' "$1") <(printf '%s' "$2")
}

# tap_is GOT EXPECTED NAME: passes when the strings are equal, else the
# diagnostics show a unified diff.
tap_is() {
	if [ "$1" == "$2" ]; then
		tap_pass "$3"
	else
		tap_fail "$3" "$(udiff "$2" "$1" expected got)"
	fi
}

bail_out() {
	printf 'Bail out! %s\n' "$*"
	exit 255
}

# done_testing: print the plan after the tests and exit (status: number of
# failed tests, at most 254, as Test::More does).
done_testing() {
	plan "$_tap_count"
	local st=$_tap_failed
	[ "$st" -gt 254 ] && st=254
	exit "$st"
}

# --------------------------------------------------------- requirements --

# _cannot_run REASON: skip the whole script, or fail it when CI=true.
_cannot_run() {
	if [ "${CI:-}" = true ]; then
		printf '1..1\nnot ok 1 - %s (CI=true: kernel suites must not skip)\n' "$1"
		exit 1
	fi
	printf '1..0 # SKIP %s\n' "$1"
	exit 0
}

require_root() {
	[ "$(id -u)" -eq 0 ] || _cannot_run "needs root"
}

# require_cmds CMD...: every command must exist (else skip, or fail in CI).
require_cmds() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || _cannot_run "needs $c"
	done
}

# require_natc: the tool under test must exist; that is never a skip.
require_natc() {
	command -v "$NATC" >/dev/null 2>&1 ||
		bail_out "NATC=$NATC not found or not executable (run make first)"
}

# ------------------------------------------------------------ namespaces --

NS_PREFIX="natc-t-$$"
_ns_list=()
_ns_seq=0
TMPD=

# _lib_cleanup: delete every namespace this script made, and its temp dir.
_lib_cleanup() {
	local ns
	for ns in "${_ns_list[@]}"; do
		ip netns delete "$ns" 2>/dev/null
	done
	_ns_list=()
	[ -n "$TMPD" ] && rm -rf "$TMPD"
	TMPD=
	return 0
}
_lib_on_signal() {
	_lib_cleanup
	trap - EXIT
	exit "$1"
}
trap _lib_cleanup EXIT
trap '_lib_on_signal 129' HUP
trap '_lib_on_signal 130' INT
trap '_lib_on_signal 143' TERM

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/natc-t-$$.XXXXXX") || bail_out "mktemp failed"

# ns_new VAR TAG: make a fresh namespace, put its name in variable VAR.
# (Not meant for $(...): the namespace must be recorded in this shell.)
ns_new() {
	_ns_seq=$((_ns_seq + 1))
	local name="$NS_PREFIX-$_ns_seq-$2"
	ip netns add "$name" || bail_out "cannot create network namespace $name"
	_ns_list+=("$name")
	printf -v "$1" '%s' "$name"
}

# ns_del NS: delete one namespace made by ns_new.
ns_del() {
	local ns keep=()
	ip netns delete "$1" 2>/dev/null
	for ns in "${_ns_list[@]}"; do
		[ "$ns" = "$1" ] || keep+=("$ns")
	done
	_ns_list=("${keep[@]}")
}

# in_ns NS CMD...: run a command inside the namespace.  nsenter only joins
# the network namespace (cheaper than `ip netns exec`, which also builds a
# mount namespace); nothing these suites run needs more.
if command -v nsenter >/dev/null 2>&1; then
	in_ns() {
		local ns=$1
		shift
		nsenter --net="/run/netns/$ns" "$@"
	}
else
	in_ns() {
		local ns=$1
		shift
		ip netns exec "$ns" "$@"
	}
fi

# run_cap NS CMD...: run CMD in NS; sets RUN_OUT, RUN_ERR (exact bytes,
# trailing newlines kept) and RUN_RC.
run_cap() {
	in_ns "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	RUN_RC=$?
	RUN_OUT='' RUN_ERR=
	IFS='' read -r -d '' RUN_OUT <"$TMPD/out"
	IFS='' read -r -d '' RUN_ERR <"$TMPD/err"
	return 0
}

# ------------------------------------------------- iptables arguments ----

# has_table_arg ARG...: true when the arguments name a table (-t, -tX,
# --table, --table=X, unique abbreviations of --table, or -t at the end
# of a group of flags such as -nvt).
has_table_arg() {
	local a
	for a in "$@"; do
		case "$a" in
		--) return 1 ;;
		-t* | --t | --ta | --tab | --tabl | --table | --table=* | --tab=* | --tabl=* | --ta=*) return 0 ;;
		-[a-zA-Z]*t*)
			# a group of flags: -t in it takes the rest as its argument
			[[ "$a" =~ ^-[nvxLSFZXcwh]+t ]] && return 0
			;;
		esac
	done
	return 1
}

# ipt_argv ARG...: sets ARGV to the reference tool's command line: $IPT,
# plus `-t nat` when the arguments name no table (natc defaults to nat,
# iptables to filter).
ipt_argv() {
	ARGV=("$IPT")
	has_table_arg "$@" || ARGV+=(-t nat)
	ARGV+=("$@")
}

# natc_argv ARG...: sets ARGV to the command line of the tool under test
# (a timeout guards against hangs; in self-test mode `-t nat` is added as
# for the reference tool).
natc_argv() {
	ARGV=(timeout -k 5 "$NATC_TIMEOUT" "$NATC")
	[ "$SELFTEST" = 1 ] && ! has_table_arg "$@" && ARGV+=(-t nat)
	ARGV+=("$@")
}

# both_listing NS_NATC NS_REF OPTS: `-t nat OPTS` (a listing, split into
# words) by natc in NS_NATC and by the reference tool in NS_REF; sets
# N_RC N_OUT N_ERR and I_RC I_RAW I_ERR, and I_OUT (I_RAW through the
# caller's ref_out, as compared).
both_listing() {
	# shellcheck disable=SC2086 # split the listing options
	natc_argv -t nat $3
	run_cap "$1" "${ARGV[@]}"
	N_RC=$RUN_RC N_OUT=$RUN_OUT N_ERR=$RUN_ERR
	# shellcheck disable=SC2086
	ipt_argv -t nat $3
	run_cap "$2" "${ARGV[@]}"
	I_RC=$RUN_RC I_RAW=$RUN_OUT I_ERR=$RUN_ERR
	ref_out "$RUN_OUT"
	I_OUT=$REPLY
}

# split_args LINE: split a corpus line like a shell would (quotes, escapes;
# no globbing); sets ARGS.  Corpus files are trusted project files.
split_args() {
	local line=$1
	ARGS=()
	set -f
	eval "ARGS=($line)" || {
		set +f
		return 1
	}
	set +f
}

# ------------------------------------------------- expected texts ----

# apply_edits TEXT EDIT...: sets REPLY to TEXT (lines, each ending in a
# newline) with the edits applied, in order: the `natc:` lines of the
# native corpus, which turn what nft makes of an entry's nft text into
# what natc writes.  Each edit names a line by its text without the
# leading white space; the search goes on from where the last edit was:
#   -LINE   the line nft writes and natc does not: removed
#   =LINE   a line both write: kept (an anchor for + lines)
#   +LINE   a line natc writes, after the line named before it (the line
#           removed or kept, or the last one added), indented as that one
# Returns 1 (REPLY: the reason) when a named line is not found.
apply_edits() {
	local -a v
	local text=$1 e op want i pos=0 at=-1 ind='' l
	mapfile -t v < <(printf '%s' "$text")
	shift
	for e; do
		op=${e:0:1} want=${e:1}
		case "$op" in
		- | =)
			for ((i = pos; i < ${#v[@]}; i++)); do
				l=${v[i]}
				[ "${l#"${l%%[![:space:]]*}"}" = "$want" ] && break
			done
			if [ "$i" -ge "${#v[@]}" ]; then
				REPLY="natc: $e: no such line in nft's side (after line $pos):"$'\n'"$text"
				return 1
			fi
			l=${v[i]}
			ind=${l%%[![:space:]]*}
			if [ "$op" = - ]; then
				v=("${v[@]:0:i}" "${v[@]:i+1}")
				at=$i
			else
				at=$((i + 1))
			fi
			pos=$at
			;;
		+)
			if [ "$at" -lt 0 ]; then
				REPLY="natc: $e: a + line needs a - or = line before it"
				return 1
			fi
			v=("${v[@]:0:at}" "$ind$want" "${v[@]:at}")
			at=$((at + 1)) pos=$at
			;;
		*)
			REPLY="natc: $e: not -, = or +"
			return 1
			;;
		esac
	done
	REPLY=$(printf '%s\n' "${v[@]}")$'\n'
}

# --------------------------------------------------- protocol names ----

# iptables 1.8.9 prints protocol numbers in the prot column of `-L -n`,
# natc names (diff.t says why, at its head): diff.t and randdiff.t turn
# the reference tool's numbers into names before comparing.

# proto_name NUM: sets REPLY to the name iptables before 1.8.9 prints
# in `-L -n` (and natc prints): iptables' own table (xtables_chain_protos,
# the first name of a number), else the number itself: with -n it looks
# nothing up in /etc/protocols (47 stays 47, not gre).
proto_name() {
	case "$1" in
	0) REPLY=all ;; 1) REPLY=icmp ;; 6) REPLY=tcp ;; 17) REPLY=udp ;;
	50) REPLY=esp ;; 51) REPLY=ah ;; 58) REPLY=ipv6-icmp ;; 132) REPLY=sctp ;;
	135) REPLY=mobility-header ;; 136) REPLY=udplite ;;
	*) REPLY=$1 ;;
	esac
}

# proto_names TEXT: sets REPLY to TEXT with the numbers in the prot column
# of `-L` rule lines replaced by proto_name's names
# (layout kept: the column is printed as `[ !]%-4s ` and is followed by
# the opt column `--`, `-f`, `!f`).  0 becomes `all`; a number outside
# iptables' table (47, 253) stays a number.
proto_names() {
	local line out='' re='^(.*[ !])([0-9]+) +([-!][-f] .*)$' name
	while IFS='' read -r line; do
		if [[ "$line" =~ $re ]]; then
			proto_name "${BASH_REMATCH[2]}"
			printf -v name '%-4s ' "$REPLY"
			line=${BASH_REMATCH[1]}$name${BASH_REMATCH[3]}
		fi
		out+=$line$'\n'
	done <<<"$1"
	out=${out%$'\n'} # <<< added a newline: drop it
	REPLY=$out
}

# --------------------------------------------------- message handling ----

# norm_err TEXT: sets REPLY to TEXT with the program prefixes stripped
# (`iptables v1.8.9 (nf_tables): `, `natc v0.1.0 (nf_tables): `, natc6's,
# `iptables: `, `natc: `) and Try lines replaced by `<Try line>`, so that
# the reasons of natc and iptables-nft compare equal.
norm_err() {
	local line out='' re_v='^(iptables|ip6tables|xtables|natc6?)(-nft|-legacy)? v[^ ]+ \(nf_tables\): (.*)$'
	local re_k='^(iptables|ip6tables|natc6?)(-nft|-legacy)?: (.*)$'
	local re_try='^Try `[^ ]+ -h'"'"' or '"'"'[^ ]+ --help'"'"' for more information\.$'
	while IFS='' read -r line; do
		if [[ "$line" =~ $re_v ]]; then
			line=${BASH_REMATCH[3]}
		elif [[ "$line" =~ $re_k ]]; then
			line=${BASH_REMATCH[3]}
		elif [[ "$line" =~ $re_try ]]; then
			line='<Try line>'
		fi
		out+=$line$'\n'
	done <<<"$1"
	out=${out%$'\n'} # <<< added a newline: drop it
	REPLY=$out
}

# err_reason TEXT: sets REPLY to the reason proper: the normalized message
# without Try lines and blank lines (iptables wraps some reasons in blank
# lines, e.g. the DROP-in-nat one).
err_reason() {
	local line out=
	norm_err "$1"
	while IFS='' read -r line; do
		[ -z "${line//[[:space:]]/}" ] && continue
		[ "$line" = '<Try line>' ] && continue
		out+=$line$'\n'
	done <<<"$REPLY"
	REPLY=$out
}

# The ruleset bad input meets (bad-input.t, bad-catalogue.t): user chains,
# a jump into a chain holding DNAT from PREROUTING (TOPRE), and one
# holding SNAT from POSTROUTING (TOPOST), so that NAT targets that would
# become reachable from a hook forbidding them are refused by the kernel
# only.
BAD_PRELOAD=(
	"-t nat -N USERCHAIN"
	"-t nat -N TOPRE"
	"-t nat -N TOPOST"
	"-t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 198.51.100.1:8080"
	"-t nat -A PREROUTING -s 192.0.2.0/24 -j USERCHAIN"
	"-t nat -A PREROUTING -j TOPRE"
	"-t nat -A USERCHAIN -i eth0 -j RETURN"
	"-t nat -A TOPRE -d 203.0.113.7 -j DNAT --to-destination 198.51.100.2"
	"-t nat -A OUTPUT -d 203.0.113.1 -p tcp -j REDIRECT --to-ports 3128"
	"-t nat -A POSTROUTING -o eth0 -j MASQUERADE"
	"-t nat -A POSTROUTING -j TOPOST"
	"-t nat -A TOPOST -s 192.0.2.0/24 -j SNAT --to-source 203.0.113.1"
)

# bad_preload NS TOOL: load BAD_PRELOAD into NS through natc (TOOL=natc)
# or the reference tool (IPT); returns non-zero and sets REPLY on failure.
bad_preload() {
	local ns=$1 tool=$2 line
	for line in "${BAD_PRELOAD[@]}"; do
		split_args "$line"
		if [ "$tool" = natc ]; then natc_argv "${ARGS[@]}"; else ipt_argv "${ARGS[@]}"; fi
		run_cap "$ns" "${ARGV[@]}"
		if [ "$RUN_RC" != 0 ]; then
			REPLY="preload through $tool failed ($RUN_RC): $line: $RUN_ERR"
			return 1
		fi
	done
}

# ------------------------------------ differential corpora (diff*.t) ----
#
# diff.t (natc, iptables-nft) and diff6.t (natc6, ip6tables-nft) read
# corpora of the same format (testsuite/diff/corpus, head) with this:
# diff_setup, then diff_run, then done_testing.

# diff_setup DIR TABLE CMD: the corpora (DIFF_CORPUS, or DIR/corpus and
# every DIR/*.corpus), the nft table compared (`ip nat`), the reference
# command's name in transcripts (`iptables`); the DIFF_* defaults.
diff_setup() {
	if [ -n "${DIFF_CORPUS:-}" ]; then
		CORPORA=("$DIFF_CORPUS")
	else
		shopt -s nullglob
		CORPORA=("$1/corpus" "$1/"*.corpus)
		shopt -u nullglob
	fi
	DIFF_TABLE=$2 DIFF_CMD=$3
	DIFF_REF=${IPT##*/} DIFF_NATC=${NATC##*/}
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
}

# The listings compared after every entry.
DIFF_LISTINGS=("-S" "-L -n --line-numbers" "-L -n -v -x")

# ref_out TEXT: sets REPLY to the reference tool's stdout as compared.
ref_out() {
	if [ "$DIFF_PROTO_NAMES" = 1 ]; then proto_names "$1"; else REPLY=$1; fi
}

# nat_chains TEXT: sets REPLY to the `table $DIFF_TABLE` (default `ip
# nat`) block of `nft list chains` (natc handles no other table, and says
# so where one is named).
nat_chains() {
	local line in=0 out=''
	while IFS='' read -r line; do
		[ "$line" = "table ${DIFF_TABLE:-ip nat} {" ] && in=1
		[ "$in" = 1 ] && out+=$line$'\n'
		[ "$line" = "}" ] && in=0
	done <<<"$1"
	REPLY=$out
}

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

		transcript+="\$ $DIFF_CMD $cmdtxt  => $i_rc"$'\n'$i_out$i_err

		# exit status
		exp_rc=$i_rc
		if [ "$SELFTEST" = 0 ] && [ -n "${e_status[k]}" ]; then
			exp_rc=${e_status[k]}
		fi
		if [ "$n_rc" != "$exp_rc" ]; then
			problems+=("[$cmdtxt] exit status: $DIFF_NATC $n_rc, expected $exp_rc ($DIFF_REF: $i_rc)")
		fi

		# stdout
		if [ "$SELFTEST" = 1 ] || [ "${e_out_differs[k]}" = 0 ]; then
			ref_out "$i_out"
			if [ "$n_out" != "$REPLY" ]; then
				problems+=("[$cmdtxt] stdout differs:"$'\n'"$(udiff "$REPLY" "$n_out" "$DIFF_REF" "$DIFF_NATC")")
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
				problems+=("[$cmdtxt] $DIFF_NATC failed without a message")
			fi
		else
			norm_err "$i_err"
			want=$REPLY
			norm_err "$n_err"
			got=$REPLY
			if [ "$got" != "$want" ]; then
				problems+=("[$cmdtxt] message differs:"$'\n'"$(udiff "$want" "$got" "$DIFF_REF" "$DIFF_NATC")")
			fi
		fi
	done

	# the resulting rulesets, as both tools list them
	if [ "$SELFTEST" = 1 ] || [ "$e_listings_differ" = 0 ]; then
		local l
		for l in "${DIFF_LISTINGS[@]}"; do
			both_listing "$nsA" "$nsB" "$l"
			[ "$l" = "-S" ] && transcript+="\$ $DIFF_CMD -t nat $l"$'\n'$I_RAW
			if [ "$N_RC$N_OUT$N_ERR" != "$I_RC$I_OUT$I_ERR" ]; then
				problems+=("final listing -t nat $l (status $DIFF_NATC $N_RC, $DIFF_REF $I_RC):"$'\n'"$(udiff "$I_OUT$I_ERR" "$N_OUT$N_ERR" "$DIFF_REF" "$DIFF_NATC")")
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
			problems+=("the kernel's chains (nft list chains):"$'\n'"$(udiff "$i_out" "$n_out" "$DIFF_REF" "$DIFF_NATC")")
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

# diff_run: every entry of the corpora in CORPORA, one TAP test each.
diff_run() {
	local line d
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
}
