#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# translate.t - natc-translate and natc-restore-translate (backend/nft):
#  (a) every entry of testsuite/native/*corpus: its ipt: lines translated
#      (by natc-translate, one command at a time, and by
#      natc-restore-translate, as a script) and loaded with nft give the
#      same rules (`nft --debug=netlink`: expressions, and nft's listing)
#      as natc loading the ipt: lines through netlink, once the entry's
#      deliberate differences (`natc:` lines) are applied to nft's side;
#  (b) natc-translate against iptables-translate 1.8.9, word for word, with
#      deliberate differences marked (testsuite/translate/iptables-translate.list);
#      libxtables' own translations of the kinds natc hands to iptables'
#      extensions (-m time, -m recent, ...): the same words, and nft -c
#      takes them, or both leave the rule untranslated and natc says so;
#  (c) save files (testsuite/restore/*.save that iptables-nft-restore loads,
#      restore/sync*/00-*.save: plain, Docker and kube-proxy) and the
#      scripts testsuite/translate/*.sh:
#      the translation passes `nft -c -f`, loads twice with `nft -f`, and
#      gives the same table as the original (save files: through
#      natc-restore; scripts: run with iptables-nft, saved, and loaded with
#      natc-restore, so that both sides are native expressions);
#  (d) what is not translated is reported as FILE:LINE, kept as a comment,
#      and makes the exit status non-zero;
#  (e) issue 14: scripts feeding iptables-restore from here-documents
#      (testsuite/translate/heredoc.sh, and no `$' left in a rule), a
#      script's jump to a chain nothing makes, the exit status when only
#      other tables' lines are left, a bad save-file line kept, wg-quick
#      configurations; -n and wg-quick add to the chains as they are (the
#      translation loaded with nft -f over rules already there gives what
#      natc-restore --noflush, or running the commands, gives).
#
# Environment: NATC (natc-translate and natc-restore-translate are beside
# it), NFT, TRANSLATE_ONLY=REGEX (run only tests whose name matches).

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip timeout "$NFT" iptables-translate iptables-nft iptables-nft-save iptables-nft-restore
require_natc
NATC_DIR=$(dirname "$NATC")
XL=$NATC_DIR/natc-translate
RXL=$NATC_DIR/natc-restore-translate
NRESTORE=$NATC_DIR/natc-restore
: "${TRANSLATE_ONLY:=}"
want() { [ -z "$TRANSLATE_ONLY" ] || [[ "$1" =~ $TRANSLATE_ONLY ]]; }

# table NS: REPLY = `nft --debug=netlink list table ip nat` in NS, rule
# handles and anonymous set names normalised, chain by chain in name
# order (the order chains were made in means nothing); an empty table is
# no table (neither holds a rule), and a base chain with no rule and
# policy accept is no chain (it decides nothing; a script's original,
# saved by iptables-nft-save and restored, has all four builtins, its
# translation those the script uses).  Rule userdata lines are left out: natc
# keeps its own layout hints there (TLV 0xc0: how -S prints the rule back,
# e.g. an empty -m tcp), which no nft text can write; a comment (TLV 0)
# is still compared, in nft's listing of the chain.
table() {
	local t c names all=''
	local re_idle=$'^\tchain [^ ]+ \\{\n\t\ttype nat hook [a-z]+ priority [^;]+; policy accept;\n\t\\}\n$'
	run_cap "$1" "$NFT" --debug=netlink list table ip nat
	t=$(printf '%s' "$RUN_OUT" | sed -E \
		-e 's/^(ip nat [^ ]+) [0-9]+( [0-9]+)?$/\1/' \
		-e 's/__set[0-9]+/__setN/g' -e 's/# handle [0-9]+//' -e '/^  userdata = /d')
	names=$(printf '%s\n' "$t" | sed -nE 's/^\tchain ([^ ]+) \{$/\1/p' | LC_ALL=C sort)
	for c in $names; do
		chain_block "$t" "$c"
		[[ "$REPLY" =~ $re_idle ]] && continue
		all+=$REPLY
	done
	REPLY=$all
}

# chain_block TEXT CHAIN: REPLY = the rule blocks of CHAIN and its listing
chain_block() {
	local line in_rule=0 in_list=0 out=''
	while IFS='' read -r line; do
		if [[ "$line" =~ ^ip\ nat\ ([^ ]+)$ ]]; then
			in_rule=0
			[ "${BASH_REMATCH[1]}" = "$2" ] && in_rule=1 && out+=$line$'\n'
			continue
		fi
		[ -z "$line" ] && in_rule=0 && continue
		[[ "$line" == "table "* ]] && in_rule=0
		if [ "$in_rule" = 1 ]; then
			out+=$line$'\n'
		elif [ "$line" = $'\tchain '"$2"' {' ]; then
			in_list=1 out+=$line$'\n'
		elif [ "$in_list" = 1 ]; then
			out+=$line$'\n'
			[ "$line" = $'\t}' ] && in_list=0
		fi
	done <<<"$1"
	REPLY=$out
}

base_decl() {
	case "$1" in
	PREROUTING) REPLY="type nat hook prerouting priority -100; policy accept;" ;;
	INPUT) REPLY="type nat hook input priority 100; policy accept;" ;;
	OUTPUT) REPLY="type nat hook output priority -100; policy accept;" ;;
	POSTROUTING) REPLY="type nat hook postrouting priority 100; policy accept;" ;;
	*) REPLY='' ;;
	esac
}

# ------------------------------------------------- (a) native corpus ----

# nft_side GOT: sets REPLY to GOT (what nft made of a translation) with the
# entry's `natc:` edits (its deliberate differences from the nft text,
# see the native corpus head) applied, so that it says what natc itself
# writes; the edits of userdata lines are left out, as table() leaves
# those lines out, and set names are written as table() writes them.
# Returns 1 (REPLY: why) when an edit does not apply.
nft_side() {
	local e edits=()
	for e in "${e_natc[@]}"; do
		[[ "${e:1}" == 'userdata = '* ]] && continue
		edits+=("$(sed -E 's/__set[0-9]+/__setN/g' <<<"$e")")
	done
	REPLY=$1
	[ ${#edits[@]} -eq 0 ] || apply_edits "$1" "${edits[@]}"
}

corpus_entry() {
	local name="corpus ${CORPUS##*/}:$e_line: $e_title" nsA nsB nsC l c st want got out
	[ -n "$e_chain" ] && [ ${#e_ipt[@]} -gt 0 ] || return 0
	want "$name" || return 0

	# natc through netlink
	ns_new nsA natc
	for c in "${e_chains[@]}"; do run_cap "$nsA" "$NATC" -N "$c"; done
	for l in "${e_ipt[@]}"; do
		split_args "$l"
		run_cap "$nsA" "$NATC" "${ARGS[@]}"
	done
	table "$nsA"
	chain_block "$REPLY" "$e_chain"
	want=$REPLY
	ns_del "$nsA"

	# natc-translate, one command at a time, run as the shell lines they
	# are (nft has no -R or -D by position: natc-translate refuses them
	# as iptables-translate 1.8.9 does: `nft ` on stdout, its message on
	# stderr, status 1)
	if [[ "${e_ipt[*]}" =~ (^|\ )-[RD]\  ]]; then
		st=0 out=''
		for l in "${e_ipt[@]}"; do
			[[ "$l" =~ ^-[RD]\  ]] || continue
			split_args "$l"
			"$XL" -t nat "${ARGS[@]}" >"$TMPD/xl.out" 2>"$TMPD/xl.err"
			REPLY="status $?, stdout '$(cat "$TMPD/xl.out")', stderr '$(cat "$TMPD/xl.err")'"
			[ "$REPLY" = "status 1, stdout 'nft ', stderr 'Translation not implemented'" ] ||
				{ st=1; out+="$l: $REPLY"$'\n'; }
		done
		tap_ok "$st" "$name: natc-translate refuses -R/-D as iptables-translate" "$out"
	else
	ns_new nsB xl
	st=0 out=''
	base_decl "$e_chain"
	run_cap "$nsB" "$NFT" "add table ip nat"
	[ -n "$REPLY" ] && run_cap "$nsB" "$NFT" "add chain ip nat $e_chain { $REPLY }"
	for c in "${e_chains[@]}"; do run_cap "$nsB" "$NFT" add chain ip nat "$c"; done
	for l in "${e_ipt[@]}"; do
		split_args "$l"
		out=$("$XL" -t nat "${ARGS[@]}" 2>&1) || st=1
		run_cap "$nsB" bash -c "$out"
		[ "$RUN_RC" = 0 ] || { st=1; out+=$'\n'$RUN_ERR; }
	done
	table "$nsB"
	chain_block "$REPLY" "$e_chain"
	nft_side "$REPLY" || { st=1; out+=$'\n'$REPLY; }
	got=$REPLY
	ns_del "$nsB"
	[ "$got" == "$want" ] || st=1
	tap_ok "$st" "$name: natc-translate" "$out" "$(udiff "$want" "$got" natc natc-translate)"
	fi

	# natc-restore-translate of the same lines as a script, loaded twice
	{
		for c in "${e_chains[@]}"; do echo "iptables -t nat -N $c"; done
		for l in "${e_ipt[@]}"; do echo "iptables -t nat $l"; done
	} >"$TMPD/entry.sh"
	ns_new nsC rxl
	st=0
	"$RXL" -f "$TMPD/entry.sh" >"$TMPD/entry.nft" 2>"$TMPD/entry.err" || st=1
	run_cap "$nsC" "$NFT" -f "$TMPD/entry.nft"
	[ "$RUN_RC" = 0 ] || st=1
	run_cap "$nsC" "$NFT" -f "$TMPD/entry.nft"
	[ "$RUN_RC" = 0 ] || st=1
	table "$nsC"
	chain_block "$REPLY" "$e_chain"
	nft_side "$REPLY" || { st=1; echo "$REPLY" >>"$TMPD/entry.err"; }
	got=$REPLY
	ns_del "$nsC"
	[ "$got" == "$want" ] || st=1
	tap_ok "$st" "$name: natc-restore-translate, loaded twice" "$(cat "$TMPD/entry.err" "$TMPD/entry.nft")" \
		"$(udiff "$want" "$got" natc natc-restore-translate)"
}

shopt -s nullglob
for CORPUS in "$TESTSUITE_DIR/native/corpus" "$TESTSUITE_DIR/native/"*.corpus; do
	e_line=0 lineno=0
	reset() { e_line=0 e_title='' e_chain='' e_chains=() e_ipt=() e_natc=(); }
	reset
	while IFS='' read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		if [ -z "${line//[[:space:]]/}" ]; then
			[ "$e_line" != 0 ] && corpus_entry
			reset
			continue
		fi
		[ "$e_line" = 0 ] && e_line=$lineno
		case "$line" in
		'#'*) [ -z "$e_title" ] && e_title=${line#'# '} ;;
		chain:*) e_chain=${line#chain:} e_chain=${e_chain// /} ;;
		chains:*) read -ra c <<<"${line#chains:}"; e_chains+=("${c[@]}") ;;
		ipt:*) l=${line#ipt:} e_ipt+=("${l# }") ;;
		natc:*) l=${line#natc:} e_natc+=("${l# }") ;;
		esac
	done <"$CORPUS"
	[ "$e_line" != 0 ] && corpus_entry
done
shopt -u nullglob

# ---------------------------------------- (b) against iptables-translate --

norm_prog() { sed -E 's/^(natc-translate|iptables-translate) v[^ ]+ \(nf_tables\)/PROG/; s/(natc-translate|iptables-translate)/PROG/g'; }

diff_one() {
	local kind=$1 args=$2 exp=$3 reason=$4 name n_out n_err n_rc i_out i_err i_rc
	name="iptables-translate $args"
	want "$name" || return 0
	split_args "$args"
	n_out=$("$XL" "${ARGS[@]}" 2>"$TMPD/n_err"); n_rc=$?
	i_out=$(iptables-translate "${ARGS[@]}" 2>"$TMPD/i_err"); i_rc=$?
	n_err=$(norm_prog <"$TMPD/n_err"); i_err=$(norm_prog <"$TMPD/i_err")
	if [ "$kind" = '~' ]; then
		# libxtables' text (iptables-translate may space it oddly)
		xlate_words "$n_out" "$i_out" "$n_rc" "$n_err" "$exp" "$reason"
		return
	elif [ "$kind" = '?' ]; then
		[[ "$n_out" == 'nft # '* ]] && [ "$n_out" == "$i_out" ] && [ "$n_rc" != 0 ] && [ -n "$n_err" ]
		tap_ok $? "$name (untranslated by both, reported)" "natc: $n_out (rc=$n_rc) $n_err" "iptables-translate: $i_out"
		return
	elif [ "$kind" = '=' ]; then
		[ "$n_out" == "$i_out" ] && [ "$n_rc" = "$i_rc" ] && [ "$n_err" == "$i_err" ]
		tap_ok $? "$name" "$(udiff "$i_out"$'\n'"rc=$i_rc"$'\n'"$i_err" "$n_out"$'\n'"rc=$n_rc"$'\n'"$n_err" iptables-translate natc-translate)"
	else
		[ "$n_out" == "$exp" ] && [ "$n_out" != "$i_out" ]
		tap_ok $? "$name (differs: $reason)" "$(udiff "$exp" "$n_out" expected natc-translate)" "iptables-translate: $i_out"
	fi
}

# xlate_words NATC_OUT IPT_OUT NATC_RC NATC_ERR [EXPECTED REASON]: the
# same words as iptables-translate (or EXPECTED, which differs from them
# on purpose), status 0, and nft -c takes natc's commands on a table with
# the chain
xlate_words() {
	local st=0 nsX chain words=$2 what="libxtables' words, nft -c"
	[ -n "$5" ] && words=$5 what="differs: $6; nft -c"
	[ "$(printf '%s' "$1" | tr -s ' ')" == "$(printf '%s' "$words" | tr -s ' ')" ] && [ "$3" = 0 ] || st=1
	[ -z "$5" ] || [ "$(printf '%s' "$1" | tr -s ' ')" != "$(printf '%s' "$2" | tr -s ' ')" ] || st=1
	chain=$(printf '%s' "$1" | sed -nE "s/^nft '(add|insert) rule ip nat ([^ ]+) .*/\2/p" | head -n1)
	base_decl "$chain"
	{
		echo "add table ip nat"
		[ -n "$chain" ] && echo "add chain ip nat $chain { $REPLY }"
		printf '%s\n' "$1" | sed -E "s/^nft '(.*)'$/\1/"
	} >"$TMPD/xl.nft"
	ns_new nsX xlc
	run_cap "$nsX" "$NFT" -c -f "$TMPD/xl.nft"
	[ "$RUN_RC" = 0 ] || st=1
	ns_del "$nsX"
	tap_ok "$st" "$name ($what)" "$(udiff "$words" "$1" expected natc-translate)" \
		"rc=$3 $4" "nft -c: $RUN_ERR"
}

d_kind='' d_args='' d_exp='' d_reason='' why=''
flush_diff() { [ -n "$d_kind" ] && diff_one "$d_kind" "$d_args" "$d_exp" "$d_reason"; d_kind='' d_exp=''; }
while IFS='' read -r line || [ -n "$line" ]; do
	case "$line" in
	'= '*) flush_diff; d_kind='=' d_args=${line#= } ;;
	'~ '*) flush_diff; d_kind='~' d_args=${line#'~ '} d_reason=$why ;;
	'? '*) flush_diff; d_kind='?' d_args=${line#'? '} ;;
	'! '*) flush_diff; d_kind='!' d_args=${line#! } d_reason=$why ;;
	'> '*) d_exp+=${d_exp:+$'\n'}${line#> } ;;
	'# '*) [ -z "$d_kind" ] || flush_diff; why=${line#'# '} ;;
	'') flush_diff; why='' ;;
	esac
done <"$TESTSUITE_DIR/translate/iptables-translate.list"
flush_diff

# ------------------------------------------- (c) save files and scripts --

# same_table NAME NS_ORIG NFTFILE ERRFILE: NFTFILE passes nft -c, loads
# twice into a fresh namespace, and the table equals the one in NS_ORIG.
same_table() {
	local name=$1 nsO=$2 nsT st=0 want got log=''
	table "$nsO"
	want=$REPLY
	ns_new nsT load
	run_cap "$nsT" "$NFT" -c -f "$3"
	[ "$RUN_RC" = 0 ] || { st=1; log+="nft -c: $RUN_ERR"; }
	run_cap "$nsT" "$NFT" -f "$3"
	[ "$RUN_RC" = 0 ] || { st=1; log+="nft -f (1): $RUN_ERR"; }
	run_cap "$nsT" "$NFT" -f "$3"
	[ "$RUN_RC" = 0 ] || { st=1; log+="nft -f (2): $RUN_ERR"; }
	table "$nsT"
	got=$REPLY
	ns_del "$nsT"
	[ "$got" == "$want" ] || st=1
	tap_ok "$st" "$name" "$log" "$(cat "$4")" "$(udiff "$want" "$got" original translation)"
}

for f in "$TESTSUITE_DIR"/restore/*.save "$TESTSUITE_DIR"/restore/sync*/00-*.save \
	"$TESTSUITE_DIR"/translate/*.save; do
	[ -r "$f" ] || continue
	name="save ${f#"$TESTSUITE_DIR"/}"
	want "$name" || continue
	grep -q '^\*nat' "$f" || continue
	ns_new nsI ipt
	run_cap "$nsI" iptables-nft-restore "$f"
	rc=$RUN_RC
	ns_del "$nsI"
	[ "$rc" = 0 ] || continue	# only what iptables-nft-restore loads
	ns_new nsO orig
	run_cap "$nsO" "$NRESTORE" -T nat "$f"
	"$RXL" -f "$f" >"$TMPD/save.nft" 2>"$TMPD/save.err"
	rc=$?
	if [ "$RUN_RC" != 0 ]; then
		# natc refuses what iptables-nft takes (DROP policy in nat, ...):
		# the translation must say so too
		[ "$rc" != 0 ] && grep -q "^$f:[0-9]*: " "$TMPD/save.err"
		tap_ok $? "$name: refused by natc-restore, reported by natc-restore-translate" \
			"$RUN_ERR" "$(cat "$TMPD/save.err")"
		ns_del "$nsO"
		continue
	fi
	# the lines reported as not translated (FILE:LINE: why) are left out
	# of the original too: the translation holds the rest
	untranslated=$(sed -n "s|^$f:\([0-9]*\): .*|\1d|p" "$TMPD/save.err")
	if [ -n "$untranslated" ]; then
		sed "$untranslated" "$f" >"$TMPD/save.kept"
		run_cap "$nsO" "$NRESTORE" -T nat "$TMPD/save.kept"
		[ "$RUN_RC" = 0 ] ||
			bail_out "natc-restore refuses $f without its untranslated lines: $RUN_ERR"
	fi
	same_table "$name" "$nsO" "$TMPD/save.nft" "$TMPD/save.err"
	ns_del "$nsO"
done

# the fault of iptables-restore-translate 1.8.9 natc-restore-translate
# fixes: the kube-proxy style DNAT loses its protocol, and nft refuses it
if want "kube.save: iptables-restore-translate"; then
	ns_new nsT load
	iptables-restore-translate -f "$TESTSUITE_DIR/translate/kube.save" >"$TMPD/kube.ipt.nft" 2>/dev/null
	run_cap "$nsT" "$NFT" -c -f "$TMPD/kube.ipt.nft"
	ipt_rc=$RUN_RC
	"$RXL" -f "$TESTSUITE_DIR/translate/kube.save" >"$TMPD/kube.nft" 2>/dev/null
	run_cap "$nsT" "$NFT" -c -f "$TMPD/kube.nft"
	[ "$ipt_rc" != 0 ] && [ "$RUN_RC" = 0 ]
	tap_ok $? "kube.save: nft -c refuses iptables-restore-translate's output ($ipt_rc), takes natc's ($RUN_RC)"
	ns_del "$nsT"
fi

# a `sudo` for the scripts (root already): runs its command
mkdir -p "$TMPD/bin"
printf '#!/bin/sh\nexec "$@"\n' >"$TMPD/bin/sudo"
chmod +x "$TMPD/bin/sudo"
for f in "$TESTSUITE_DIR"/translate/*.sh; do
	name="script ${f#"$TESTSUITE_DIR"/}"
	want "$name" || continue
	# the original, run with iptables-nft, its nat table saved and loaded
	# again with natc-restore so that both sides hold native expressions
	ns_new nsI run
	run_cap "$nsI" env PATH="$TMPD/bin:$PATH" bash "$f"
	run_cap "$nsI" iptables-nft-save -t nat
	printf '%s' "$RUN_OUT" >"$TMPD/script.save"
	ns_del "$nsI"
	ns_new nsO orig
	run_cap "$nsO" "$NRESTORE" "$TMPD/script.save"
	"$RXL" -f "$f" >"$TMPD/script.nft" 2>"$TMPD/script.err"
	rc=$?
	same_table "$name" "$nsO" "$TMPD/script.nft" "$TMPD/script.err"
	ns_del "$nsO"
	# (d) what it did not follow is reported with file:line, kept as a
	# comment, and the status says so when it was an iptables nat command
	st=0 msg=''
	while IFS='' read -r line; do
		[[ "$line" =~ ^"$f":([0-9]+):\ (.+)$ ]] || { st=1; msg+="not FILE:LINE: $line"$'\n'; continue; }
		src=$(sed -n "${BASH_REMATCH[1]}p" "$f")
		grep -qxF "# $src" "$TMPD/script.nft" || grep -qxF "$src" "$TMPD/script.nft" ||
			{ st=1; msg+="line ${BASH_REMATCH[1]} not kept as a comment"$'\n'; }
	done <"$TMPD/script.err"
	[ -s "$TMPD/script.err" ] || { st=1; msg+="nothing reported"$'\n'; }
	if grep -q '^if ' "$f"; then
		[ "$rc" != 0 ] || { st=1; msg+="exit status 0 with an iptables command in an if"$'\n'; }
	fi
	tap_ok "$st" "$name: untranslated lines reported as file:line and kept" "$msg" "$(cat "$TMPD/script.err")"
done

# (d) a save file with a rule natc cannot translate and a filter table
cat >"$TMPD/bad.save" <<'EOF2'
# a comment before the table
*filter
:INPUT ACCEPT [0:0]
-A INPUT -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
# forward the web port
-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.1
-A PREROUTING -p tcp --bogus-option 1 -j RETURN
-A PREROUTING -j DNAT --to-destination 192.0.2.400
-4
COMMIT
EOF2
if want "save with errors"; then
	"$RXL" -f "$TMPD/bad.save" >"$TMPD/bad.nft" 2>"$TMPD/bad.err"
	rc=$?
	st=0
	[ "$rc" != 0 ] || st=1
	for l in 2 3 4 5 10 11 12; do
		grep -q "^$TMPD/bad.save:$l: " "$TMPD/bad.err" || st=1
		grep -qxF "# $(sed -n "${l}p" "$TMPD/bad.save")" "$TMPD/bad.nft" || st=1
	done
	# each once and no other line: a line with no command in it ("-4", line 12) is
	# reported at its own line (it was once reported at the line before
	# the last one the parser restarted from)
	reported=$(sed -n "s|^$TMPD/bad.save:\([0-9]*\): .*|\1|p" "$TMPD/bad.err" | sort -n | tr '\n' ' ')
	[ "$reported" = "2 3 4 5 10 11 12 " ] || st=1
	grep -qxF '# forward the web port' "$TMPD/bad.nft" || st=1
	grep -q '^add rule ip nat PREROUTING tcp dport 80 counter dnat to 192.0.2.1$' "$TMPD/bad.nft" || st=1
	ns_new nsT load
	run_cap "$nsT" "$NFT" -c -f "$TMPD/bad.nft"
	[ "$RUN_RC" = 0 ] || st=1
	ns_del "$nsT"
	tap_ok "$st" "save with errors: reported as file:line, kept as comments, status $rc" \
		"$(cat "$TMPD/bad.err" "$TMPD/bad.nft")"
fi

# (e) issue 14, real-world input: here-documents, typos, what is not of
# the nat table, bad save-file lines, wg-quick.  Each translation also
# passes nft -c.
# rxl NAME FILE...: OUT ERR RC of natc-restore-translate on FILEs; NFT_OK
# 0 when nft -c takes OUT
rxl() {
	shift
	"$RXL" "$@" >"$TMPD/e.nft" 2>"$TMPD/e.err"
	RC=$?
	OUT=$(cat "$TMPD/e.nft") ERR=$(cat "$TMPD/e.err")
	ns_new nsE e
	run_cap "$nsE" "$NFT" -c -f "$TMPD/e.nft"
	NFT_OK=$RUN_RC
	ns_del "$nsE"
}
# kept FILE LINE: line LINE of FILE is in the output once, as a comment
kept() { [ "$(grep -cxF "# $(sed -n "$2p" "$1")" <<<"$OUT")" = 1 ]; }

if want "issue 14: here-documents"; then
	f=$TESTSUITE_DIR/translate/heredoc.sh
	rxl x "$f"
	iptables-restore-translate -f "$f" >/dev/null 2>&1
	ipt_rc=$?
	# iptables-restore-translate 1.8.9 reads it as a save file and fails
	# at line 1 (status 1): natc reads the script
	[ "$RC" = 0 ] && [ "$NFT_OK" = 0 ] && [ "$ipt_rc" != 0 ] &&
		grep -qx 'add rule ip nat POSTROUTING oifname "eth0" ip saddr 192.0.2.0/24 counter masquerade' <<<"$OUT" &&
		! grep -q '^add rule.*\$' <<<"$OUT" && [ "$ERR" = "$f:30: command substitution" ]
	tap_ok $? "issue 14: heredoc.sh: read as a script, variables expanded, status 0 (only a mangle line left)" \
		"status $RC, nft -c $NFT_OK, iptables-restore-translate $ipt_rc" "$ERR" "$OUT"

	# the issue's own example, and no `$' ever reaching a rule: a quoted
	# here-document, an unset variable, single quotes
	printf 'X=eth0\niptables-restore <<EOF\n*nat\n-A POSTROUTING -o "$X" -j MASQUERADE\nCOMMIT\nEOF\n' >"$TMPD/ex.sh"
	rxl x "$TMPD/ex.sh"
	[ "$RC" = 0 ] && [ "$NFT_OK" = 0 ] && [ -z "$ERR" ] &&
		grep -qx 'add rule ip nat POSTROUTING oifname "eth0" counter masquerade' <<<"$OUT"
	tap_ok $? "issue 14: X=eth0, iptables-restore <<EOF ... -o \"\$X\": oifname \"eth0\", status 0" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
	printf 'X=eth0\niptables-restore <<'"'"'EOF'"'"'\n*nat\n-A POSTROUTING -o "$X" -j MASQUERADE\n-A POSTROUTING -o eth1 -j MASQUERADE\nCOMMIT\nEOF\niptables-restore -n <<EOF\n*nat\n-A POSTROUTING -o $Y -j MASQUERADE\nCOMMIT\nEOF\niptables -t nat -A POSTROUTING -o '"'"'$X'"'"' -j MASQUERADE\n' >"$TMPD/q.sh"
	rxl x "$TMPD/q.sh"
	[ "$RC" = 1 ] && [ "$NFT_OK" = 0 ] && ! grep -q '^add rule.*\$' <<<"$OUT" &&
		grep -qx 'add rule ip nat POSTROUTING oifname "eth1" counter masquerade' <<<"$OUT" &&
		kept "$TMPD/q.sh" 4 && kept "$TMPD/q.sh" 10 && kept "$TMPD/q.sh" 13 &&
		[ "$(cut -d: -f2 <<<"$ERR" | tr '\n' ' ')" = "4 10 13 " ]
	tap_ok $? "issue 14: no unexpanded \$ reaches a rule: reported, kept as a comment, status 1" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
fi

if want "issue 14: a jump to a chain nothing makes"; then
	printf 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERAD\n' >"$TMPD/typo.sh"
	printf '*nat\n-A POSTROUTING -o eth0 -j MASQUERAD\nCOMMIT\n' >"$TMPD/typo.save"
	rxl x "$TMPD/typo.sh"
	[ "$RC" = 1 ] && [ "$NFT_OK" = 0 ] && [ "$ERR" = "$TMPD/typo.sh:1: Chain 'MASQUERAD' does not exist" ] &&
		! grep -q '^add chain ip nat MASQUERAD$\|jump MASQUERAD$' <<<"$OUT" &&
		kept "$TMPD/typo.sh" 1
	tap_ok $? "issue 14: script: -j MASQUERAD reported as a save file's is, status 1, no empty chain" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
	script_err=${ERR#"$TMPD/typo.sh:1: "}
	rxl x "$TMPD/typo.save"
	save_err=${ERR#"$TMPD/typo.save:2: "}
	ns_new nsT typo
	run_cap "$nsT" "$NATC" -t nat -A POSTROUTING -o eth0 -j MASQUERAD
	ns_del nsT
	# iptables-restore-translate 1.8.9 writes `jump MASQUERAD' (status
	# 0), which nft cannot load: natc reports the line
	iptables-restore-translate -f "$TMPD/typo.save" 2>/dev/null | grep -q 'jump MASQUERAD$'
	ipt=$?
	[ "$RC" = 1 ] && [ "$script_err" = "$save_err" ] && [ "$RUN_RC" = 2 ] &&
		[[ "$RUN_ERR" == *": $save_err"* ]] && [ "$ipt" = 0 ]
	tap_ok $? "issue 14: the same message from a script, a save file and natc ($save_err)" \
		"script: $script_err" "save: $save_err" "natc: $RUN_RC $RUN_ERR"
	# a chain made later in the script, or by another input file, is
	# no typo
	printf 'iptables -t nat -A POSTROUTING -j LATER\niptables -t nat -A PREROUTING -j OTHER\niptables -t nat -N LATER\n' >"$TMPD/later.sh"
	printf 'iptables -t nat -N OTHER\niptables -t nat -A OTHER -j RETURN\n' >"$TMPD/other.sh"
	rxl x -f "$TMPD/later.sh" -f "$TMPD/other.sh"
	[ "$RC" = 0 ] && [ "$NFT_OK" = 0 ] && [ -z "$ERR" ] &&
		grep -qx 'add rule ip nat POSTROUTING counter jump LATER' <<<"$OUT" &&
		grep -qx 'add rule ip nat PREROUTING counter jump OTHER' <<<"$OUT"
	tap_ok $? "issue 14: jumps to chains made later or by the next file are kept" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
fi

if want "issue 14: status and comments"; then
	# only lines of other tables and other programs left: status 0
	printf 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\niptables -t mangle -A PREROUTING -i `cat /etc/if` -j MARK --set-mark 1\nsh -c "iptables-save > /tmp/x"\n' >"$TMPD/st.sh"
	rxl x "$TMPD/st.sh"
	[ "$RC" = 0 ] && [ "$NFT_OK" = 0 ] && kept "$TMPD/st.sh" 2 && kept "$TMPD/st.sh" 3 &&
		[ "$(cut -d: -f2 <<<"$ERR" | tr '\n' ' ')" = "2 3 " ]
	tap_ok $? "issue 14: lines not of the nat table reported and kept, status 0 (README)" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
	# a bad line inside *nat is kept as a comment where it was
	printf '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\n-A POSTROUTING -j NOPE\n-A POSTROUTING -o eth1 -j MASQUERADE\nCOMMIT\n' >"$TMPD/bad7.save"
	rxl x "$TMPD/bad7.save"
	[ "$RC" = 1 ] && [ "$NFT_OK" = 0 ] && kept "$TMPD/bad7.save" 4 &&
		[ "$ERR" = "$TMPD/bad7.save:4: Chain 'NOPE' does not exist" ] &&
		[ "$(grep -A1 -xF '# -A POSTROUTING -j NOPE' <<<"$OUT" | tail -1)" = 'add rule ip nat POSTROUTING oifname "eth1" counter masquerade' ]
	tap_ok $? "issue 14: a jump to a missing chain inside *nat: reported, kept as a comment in place" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
fi

# added_to FILE OPTS WHAT CMD... [-- CMD...]...: in two namespaces holding
# the same rules (written by natc: some in each builtin, a user chain X
# with a rule), FILE's translation (natc-restore-translate OPTS FILE) is
# loaded with nft -f in one, the CMDs (separated by --) are run in the
# other; the same `natc -S' in both (else 1 and ADD_WHY says what differs)
added_to() {
	local f=$1 opts=$2 what=$3 ns side
	shift 3
	ADD_WHY=''
	# shellcheck disable=SC2086
	"$RXL" $opts "$f" >"$TMPD/add.nft" 2>"$TMPD/add.err"
	ns_new nsP addp
	ns_new nsQ addq
	for ns in "$nsP" "$nsQ"; do
		in_ns "$ns" "$NATC" -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j DNAT --to-destination 192.0.2.1 &&
		in_ns "$ns" "$NATC" -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE &&
		in_ns "$ns" "$NATC" -t nat -N X && in_ns "$ns" "$NATC" -t nat -A X -j RETURN &&
		in_ns "$ns" "$NATC" -t nat -A OUTPUT -j X || ADD_WHY="could not set up $ns"
	done
	run_cap "$nsP" "$NFT" -f "$TMPD/add.nft"
	[ "$RUN_RC" = 0 ] || ADD_WHY="nft -f: $RUN_ERR $(cat "$TMPD/add.nft")"
	side=("$@" --)
	local cmd=()
	for w in "${side[@]}"; do
		if [ "$w" = -- ]; then
			in_ns "$nsQ" "${cmd[@]}" >/dev/null 2>&1 || ADD_WHY+=" ${what}: ${cmd[*]} failed"
			cmd=()
		else
			cmd+=("$w")
		fi
	done
	run_cap "$nsP" "$NATC" -t nat -S
	local p=$RUN_OUT
	run_cap "$nsQ" "$NATC" -t nat -S
	[ "$p" = "$RUN_OUT" ] || ADD_WHY+=" translation loaded: $p ${what}: $RUN_OUT"
	ns_del "$nsP"
	ns_del "$nsQ"
	[ -z "$ADD_WHY" ]
}

if want "issue 14: -n adds to the table"; then
	# natc-restore-translate -n, as iptables-restore --noflush: a
	# builtin's ":CHAIN" line sets its policy and keeps its rules, a user
	# chain's empties it, -A appends and -I inserts before the rules
	# the chain held; -I N and -D where the head the input made tells
	# the position
	printf '%s\n' '*nat' ':POSTROUTING ACCEPT [0:0]' ':X - [0:0]' ':Y - [0:0]' \
		'-A POSTROUTING -o eth0 -j MASQUERADE' '-I PREROUTING -j Y' \
		'-I PREROUTING 2 -p udp -j RETURN' '-I PREROUTING 2 -p tcp -j RETURN' \
		'-D PREROUTING -p udp -j RETURN' '-A X -p icmp -j RETURN' '-I OUTPUT -o lo -j RETURN' \
		'-A Y -j RETURN' 'COMMIT' >"$TMPD/nf.save"
	rxl x -n "$TMPD/nf.save"
	[ "$RC" = 0 ] && [ "$NFT_OK" = 0 ] && [ -z "$ERR" ] &&
		grep -qx 'flush chain ip nat X' <<<"$OUT" && ! grep -q 'flush chain ip nat [PO]' <<<"$OUT"
	tap_ok $? "issue 14: natc-restore-translate -n: no builtin flushed, declared user chains are" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
	# the oracle: natc-restore --noflush, which restore.t holds to
	# iptables-nft-restore --noflush
	added_to "$TMPD/nf.save" -n natc-restore "$NRESTORE" --noflush "$TMPD/nf.save"
	tap_ok $? "issue 14: -n: the translation loaded with nft -f gives what natc-restore --noflush gives" \
		"$ADD_WHY"
	# what needs the rules a chain held is not translated, the rest is
	printf '%s\n' '*nat' '-A POSTROUTING -o eth0 -j MASQUERADE' '-I POSTROUTING 3 -o eth2 -j MASQUERADE' \
		'-D PREROUTING -i eth1 -j RETURN' '-R OUTPUT 1 -j RETURN' '-D POSTROUTING 2' 'COMMIT' >"$TMPD/nk.save"
	rxl x -n "$TMPD/nk.save"
	why="the rules chain %s held before are not known (the input adds to the table)"
	exp=$(printf "$TMPD/nk.save:3: $why\n$TMPD/nk.save:4: $why\n$TMPD/nk.save:5: $why\n$TMPD/nk.save:6: $why" \
		POSTROUTING PREROUTING OUTPUT POSTROUTING)
	[ "$RC" = 1 ] && [ "$NFT_OK" = 0 ] && [ "$ERR" = "$exp" ] &&
		kept "$TMPD/nk.save" 3 && kept "$TMPD/nk.save" 4 && kept "$TMPD/nk.save" 5 && kept "$TMPD/nk.save" 6 &&
		grep -qx 'add rule ip nat POSTROUTING oifname "eth0" counter masquerade' <<<"$OUT"
	tap_ok $? "issue 14: -n: -I N, -D, -R needing the rules a chain held: reported, kept, status 1" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
	# without -n the table is the file's (the chains it touches emptied)
	rxl x "$TMPD/nf.save"
	[ "$RC" = 0 ] && grep -qx 'delete table ip nat' <<<"$OUT"
	tap_ok $? "issue 14: without -n a save file replaces the table" "status $RC" "$ERR" "$OUT"
fi

if want "issue 14: chain names nft cannot take"; then
	# nft 1.0.6 takes a chain name only bare, and not one it reads as a
	# keyword: natc reports the commands naming such a chain (its list:
	# backend/nft/names.c) where iptables-restore-translate writes text
	# nft refuses whole.  Held to nft itself: every word natc refuses
	# nft refuses, and a save file of all the other words libnftables
	# holds, and of natc's keywords in capitals, loads with nft -c.
	kw=$(sed -n '/^static const char \*const keywords/,/^};/p' "$TOP_DIR/backend/nft/names.c" |
		grep -o '"[^"]*"' | tr -d '"')
	lib=$(ldconfig -p 2>/dev/null | awk '/libnftables\.so\.1 /{print $NF; exit}')
	words=$( { printf '%s\n' $kw; printf '%s\n' $kw | tr a-z A-Z
		   [ -n "$lib" ] && strings "$lib" | grep -xE '[a-z][a-z0-9_.-]{0,27}'
		   printf '%s\n' 'bad*chain' 1st a:b 'a+b' x.y a/b _x; } | sort -u)
	{
		echo '*nat'
		while read -r w; do printf ':%s - [0:0]\n' "$w"; done <<<"$words"
		while read -r w; do printf -- '-A %s -j RETURN\n-A POSTROUTING -j %s\n' "$w" "$w"; done <<<"$words"
		echo COMMIT
	} >"$TMPD/names.save"
	rxl x "$TMPD/names.save"
	refused=$(grep -o "chain name \`[^']*' cannot be written" <<<"$ERR" | sed "s/^chain name \`//; s/' cannot.*//" | sort -u)
	ns_new nsN names
	run_cap "$nsN" "$NFT" -f - <<<$'add table ip nat\nadd chain ip nat P'
	bad=''
	while read -r w; do
		printf 'add chain ip nat %s\nadd rule ip nat P jump %s\n' "$w" "$w" >"$TMPD/one.nft"
		run_cap "$nsN" "$NFT" -c -f "$TMPD/one.nft"
		[ "$RUN_RC" != 0 ] || bad+=" $w"
	done <<<"$refused"
	ns_del nsN
	nkw=$(wc -w <<<"$kw")
	[ "$NFT_OK" = 0 ] && [ -z "$bad" ] && [ "$RC" = 1 ] &&
		[ "$(grep -cxF -f <(printf '%s\n' $kw) <<<"$refused")" = "$nkw" ] &&
		grep -qx 'bad\*chain' <<<"$refused" && grep -qx 'add chain ip nat x.y' <<<"$OUT"
	tap_ok $? "issue 14: chain names: the $(wc -l <<<"$refused") natc refuses nft refuses, the other $(($(wc -l <<<"$words") - $(wc -l <<<"$refused"))) load" \
		"status $RC, nft -c of the rest $NFT_OK" "taken by nft after all:$bad" \
		"$(grep -v 'cannot be written' <<<"$ERR" | head -5)"
	"$XL" -t nat -A POSTROUTING -j masquerade >"$TMPD/x.out" 2>&1
	xrc=$?
	[ "$xrc" = 1 ] && grep -qx "nft # -t nat -A POSTROUTING -j masquerade " "$TMPD/x.out"
	tap_ok $? "issue 14: natc-translate -j masquerade (a chain): not translated, status 1" \
		"status $xrc" "$(cat "$TMPD/x.out")"
fi

if want "issue 14: -X without a chain"; then
	# -X also deletes the builtins that hold no rule (policy ACCEPT),
	# as iptables-nft 1.8.9 does: the chains the translation makes are
	# those iptables-nft has after running the same script
	printf '%s\n' 'iptables -t nat -A PREROUTING -j RETURN' 'iptables -t nat -N X' \
		'iptables -t nat -A OUTPUT -j X' 'iptables -t nat -F' 'iptables -t nat -X' \
		'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE' >"$TMPD/x.sh"
	rxl x "$TMPD/x.sh"
	ns_new nsT xl
	ns_new nsI xi
	run_cap "$nsT" "$NFT" -f "$TMPD/e.nft"
	load=$RUN_RC
	while read -r -a w; do
		in_ns "$nsI" iptables-nft "${w[@]:1}"
	done <"$TMPD/x.sh"
	run_cap "$nsT" "$NFT" list chains
	tr_chains=$(grep -o 'chain [A-Z]*' <<<"$RUN_OUT" | tr '\n' ' ')
	run_cap "$nsI" "$NFT" list chains
	ipt_chains=$(grep -o 'chain [A-Z]*' <<<"$RUN_OUT" | tr '\n' ' ')
	ns_del nsT
	ns_del nsI
	[ "$RC" = 0 ] && [ "$load" = 0 ] && [ "$tr_chains" = "$ipt_chains" ] &&
		[ "$tr_chains" = "chain POSTROUTING " ]
	tap_ok $? "issue 14: -X without a chain deletes idle builtins in the translation too (iptables-nft: $ipt_chains)" \
		"status $RC, nft -f $load" "translation: $tr_chains" "iptables-nft: $ipt_chains" "$OUT"
fi

if want "issue 14: wg-quick"; then
	mkdir -p "$TMPD/wg"
	cat >"$TMPD/wg/wg0.conf" <<'EOF2'
[Interface]
Address = 10.8.0.1/24
PrivateKey = c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=
PreUp = iptables -t nat -N WG
PostUp = iptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE; iptables -A FORWARD -i %i -j ACCEPT
PostUp = iptables -t nat -A PREROUTING -i %i -j WG # from the tunnel
PostDown = iptables -t nat -D POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE; iptables -D FORWARD -i %i -j ACCEPT
PreDown = iptables -t nat -D PREROUTING -i %i -j WG
ListenPort = 51820

[Peer]
PublicKey = cHVibGljLXB1YmxpYy1wdWJsaWMtcHVibGljLXB1Ymw=
AllowedIPs = 10.8.0.2/32
EOF2
	f=$TMPD/wg/wg0.conf
	rxl x "$f"
	[ "$RC" = 0 ] && [ "$NFT_OK" = 0 ] &&
		grep -qx 'add rule ip nat POSTROUTING oifname "eth0" ip saddr 10.8.0.0/24 counter masquerade' <<<"$OUT" &&
		grep -qx 'add rule ip nat PREROUTING iifname "wg0" counter jump WG' <<<"$OUT" &&
		! grep -q 'PrivateKey\|Address\|PublicKey' <<<"$OUT" &&
		kept "$f" 5 && kept "$f" 7 && kept "$f" 8 &&
		[ "$(cut -d: -f2 <<<"$ERR" | tr '\n' ' ')" = "5 7 8 " ] &&
		[ "$(grep -c '^#' <<<"$OUT")" = 5 ] && ! grep -q '^flush chain ip nat P' <<<"$OUT" &&
		grep -qx '# rules added to what the chains hold (-n, wg-quick): loading this twice adds them twice' <<<"$OUT"
	tap_ok $? "issue 14: wg0.conf: PreUp/PostUp translated (%i = wg0), PostDown/PreDown reported once, no duplicates" \
		"status $RC, nft -c $NFT_OK" "$ERR" "$OUT"
	# wg-quick up runs its commands on the host's table as it is: the
	# translation adds to the chains (rules another program put there,
	# here Docker's masquerade, stay), as running the commands does
	added_to "$f" "" "natc" "$NATC" -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE \
		-- "$NATC" -t nat -N WG -- "$NATC" -t nat -A PREROUTING -i wg0 -j WG
	tap_ok $? "issue 14: wg0.conf's translation loaded with nft -f adds to the chains as running its commands does" \
		"$ADD_WHY"
	# read from standard input, the interface is not known
	"$RXL" <"$f" >"$TMPD/e.nft" 2>"$TMPD/e.err"
	RC=$?
	[ "$RC" = 1 ] && grep -qx '<stdin>:6: %i: the interface, which wg-quick names after the file (not known here)' "$TMPD/e.err"
	tap_ok $? "issue 14: wg-quick from standard input: %i not known, its line reported, status 1" \
		"status $RC" "$(cat "$TMPD/e.err")"
fi

done_testing
