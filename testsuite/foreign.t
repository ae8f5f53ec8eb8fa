#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# foreign.t - rules other tools wrote (issue 14): what nft makes of
# iptables-restore-translate's text for the nat table, read by natc as the
# rule it came from.
#
# The rules below are written as a save file, translated by
# iptables-restore-translate 1.8.9 and loaded with `nft -f` into a fresh
# namespace (`ip protocol udp`, sets, ranges, `!=` forms, merged ports:
# whatever nft 1.0.6 makes of that text), then:
#   - natc -S lists each rule as natc lists the same iptables line it
#     loaded itself (another namespace, natc-restore);
#   - iptables-nft -S lists them the same (batches without native NAT
#     targets, which iptables-nft cannot read), except where iptables-nft
#     1.8.9 reads the bytes wrong (`!` entries, reason given);
#   - natc -C finds every rule by its iptables text, natc-save lists them
#     all, and natc -D by specification deletes them all;
#   - a few nft texts neither translation writes (`th dport`, `ip protocol
#     !=`), read as the iptables rule given.
# FOREIGN_ONLY=REGEX runs the batches whose name matches.

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip nft diff timeout iptables-restore-translate "$IPT"
require_natc

[ "$SELFTEST" = 1 ] && _cannot_run "no self-test mode: the subject is natc reading nft's bytes"

NATC_DIR=$(dirname "$(command -v "$NATC")")
NATC_RESTORE=${NATC_RESTORE:-$NATC_DIR/natc-restore}
NATC_SAVE=${NATC_SAVE:-$NATC_DIR/natc-save}
ONLY=${FOREIGN_ONLY:-}

# Entries: `= RULE` (iptables-nft lists it as natc does), `! RULE` (the
# comment above says what iptables-nft 1.8.9 gets wrong), `x RULE` (a
# native NAT target, or a comment says why: iptables-nft cannot read the
# table).  Chains FOO and
# BAR exist; the entries are in chain order (PREROUTING, OUTPUT,
# POSTROUTING, FOO), as the tools list them.
PLAIN='
= -A PREROUTING -p udp -j ACCEPT
= -A PREROUTING -p tcp -j RETURN
= -A PREROUTING ! -p udp -j RETURN
= -A PREROUTING -p sctp -j RETURN
= -A PREROUTING -p icmp -j RETURN
= -A PREROUTING -p 47 -j RETURN
= -A PREROUTING -s 192.0.2.0/24 -p udp -j ACCEPT
= -A PREROUTING -i eth0 -p tcp -j RETURN
= -A PREROUTING ! -i eth+ ! -s 192.0.2.0/255.255.0.255 -d 198.51.100.7 -p udp -j RETURN
= -A PREROUTING -f -p udp -j RETURN
= -A PREROUTING -p tcp --dport 80 -j RETURN
= -A PREROUTING -p tcp ! --dport 22 -j RETURN
= -A PREROUTING -p udp --sport 53 -j RETURN
= -A PREROUTING -p tcp --sport 1000 --dport 2000 -j RETURN
= -A PREROUTING -p tcp --sport 1024: --dport :1023 -j RETURN
= -A PREROUTING -p tcp --sport :1023 --dport 1024: -j RETURN
= -A PREROUTING -p tcp --dport 1000:2000 -j RETURN
= -A PREROUTING -p tcp ! --dport 1000:2000 -j RETURN
= -A PREROUTING -p udp --sport 1:2 --dport 3:4 -j RETURN
= -A PREROUTING -p tcp -m tcp --tcp-flags SYN,ACK SYN -j RETURN
= -A PREROUTING -m mark --mark 0x5/0xff -j RETURN
= -A PREROUTING -j FOO
# iptables-nft 1.8.9 lists a port set as no test at all (-p tcp)
! -A PREROUTING -p tcp -m multiport --dports 80,443 -j RETURN
! -A PREROUTING -p udp -m multiport --sports 53,1000:2000 -j FOO
# iptables-nft 1.8.9 lists an address range as one address (the last)
! -A PREROUTING -p tcp -m iprange --src-range 192.0.2.1-192.0.2.9 -j RETURN
# iptables-nft 1.8.9 lists `icmp type != echo-request` without its `!`
! -A PREROUTING -p icmp ! --icmp-type 8 -j RETURN
= -A FOO -p udp -g BAR
= -A FOO -p tcp -m limit --limit 5/sec -j RETURN
'
NAT='
# iptables-nft 1.8.9 cannot read a native sctp port at all
x -A PREROUTING -p sctp --dport 5000 -j RETURN
x -A PREROUTING -p tcp -j DNAT --to-destination 192.0.2.1:8080
x -A PREROUTING -p udp -j DNAT --to-destination 192.0.2.1-192.0.2.9:53
x -A PREROUTING -d 198.51.100.1 -p tcp --dport 80 -j DNAT --to-destination 192.0.2.1:8080
x -A PREROUTING -p tcp -m multiport --dports 80,443 -j DNAT --to-destination 192.0.2.2
x -A OUTPUT -p tcp -j REDIRECT --to-ports 3128
x -A OUTPUT -p udp -j REDIRECT --to-ports 5000-5010
x -A POSTROUTING -o eth0 -p udp -j MASQUERADE --to-ports 1024-65535
x -A POSTROUTING -p tcp -j SNAT --to-source 203.0.113.1:1000-2000
x -A POSTROUTING -s 192.0.2.0/24 -p tcp ! --dport 25 -j MASQUERADE
'
# nft text neither translation writes: KIND|NFT RULE|the iptables rule
# (KIND: `=` iptables-nft lists it so too, `!` it does not, comment above)
RAW='
=|meta l4proto tcp th dport 22 counter accept|-A PREROUTING -p tcp -m tcp --dport 22 -j ACCEPT
=|ip protocol != tcp counter return|-A PREROUTING ! -p tcp -j RETURN
=|ip protocol tcp tcp sport 1 tcp dport 2 counter return|-A PREROUTING -p tcp -m tcp --sport 1 --dport 2 -j RETURN
=|ip protocol udp udp sport >= 1024 udp dport 53 counter return|-A PREROUTING -p udp -m udp --sport 1024:65535 --dport 53 -j RETURN
# iptables-nft 1.8.9 lists a port set as no test at all (-p udp)
!|ip protocol udp udp dport { 53, 5353 } counter return|-A PREROUTING -p udp -m multiport --dports 53,5353 -j RETURN
'

# save_of ENTRIES: a save file of the entries' rules
save_of() {
	local l
	printf '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n'
	printf ':OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:FOO - [0:0]\n:BAR - [0:0]\n'
	while IFS= read -r l; do
		case "$l" in [=!x]\ *) echo "${l#? }" ;; esac
	done <<<"$1"
	echo COMMIT
}


# each_as NS CMD LINE...: every `-A CHAIN ...` LINE run through natc in NS
# as CMD (-C, -D) instead of -A; REPLY: the lines that failed, with their
# status and message.
each_as() {
	local ns=$1 cmd=$2 line
	shift 2
	REPLY=''
	for line in "$@"; do
		split_args "${line/#-A /$cmd }"
		run_cap "$ns" "$NATC" -t nat "${ARGS[@]}"
		[ "$RUN_RC" = 0 ] || REPLY+="$line: $RUN_RC $RUN_ERR"$'\n'
	done
}
# rules_of TEXT: the -A lines of a listing
rules_of() {
	grep -E '^(-A|# rule)' <<<"$1"
}

# batch NAME ENTRIES: translate, load with nft, compare, find, delete
batch() {
	local name=$1 entries=$2 r o rules own i n line
	local -a kinds=() lines=()
	[ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]] && return 0
	while IFS= read -r line; do
		case "$line" in [=!x]\ *) kinds+=("${line%% *}") lines+=("${line#? }") ;; esac
	done <<<"$entries"
	save_of "$entries" >"$TMPD/in.save"
	if ! iptables-restore-translate -f "$TMPD/in.save" >"$TMPD/in.nft" 2>"$TMPD/err"; then
		tap_fail "$name: iptables-restore-translate takes the rules" "$(cat "$TMPD/err")"
		return
	fi
	n=$(grep -c '^add rule' "$TMPD/in.nft")
	tap_is "$n" "${#lines[@]}" "$name: one nft rule per iptables rule"
	ns_new r nft
	ns_new o own
	run_cap "$r" "$NFT" -f "$TMPD/in.nft"
	tap_ok "$RUN_RC" "$name: nft -f loads the translation" "$RUN_ERR"
	run_cap "$o" "$NATC_RESTORE" "$TMPD/in.save"
	tap_ok "$RUN_RC" "$name: natc-restore loads the rules" "$RUN_ERR"
	run_cap "$r" "$NATC" -t nat -S
	rules=$(rules_of "$RUN_OUT")
	run_cap "$o" "$NATC" -t nat -S
	own=$(rules_of "$RUN_OUT")
	# in chain order, as both list them
	tap_is "$rules" "$own" "$name: natc lists nft's rules as the iptables rules they came from"
	n=0
	[ -n "$rules" ] && n=$(wc -l <<<"$rules")
	tap_is "$n" "${#lines[@]}" "$name: every rule is listed"
	if [[ ${kinds[*]} != *x* ]]; then
		# listing line i is entry i: the entries are in chain order
		local bad=''
		run_cap "$r" "$IPT" -t nat -S
		mapfile -t a < <(rules_of "$RUN_OUT")
		mapfile -t b <<<"$rules"
		for i in "${!lines[@]}"; do
			[ "${kinds[i]}" = '=' ] || continue
			[ "${a[i]:-}" = "${b[i]:-}" ] ||
				bad+="natc: ${b[i]:-}"$'\n'"ipt:  ${a[i]:-}"$'\n'
		done
		tap_is "$bad" '' "$name: iptables-nft lists the \`=' rules as natc does"
	fi
	run_cap "$r" "$NATC_SAVE" -t nat
	tap_is "$(rules_of "$RUN_OUT")" "$rules" "$name: natc-save lists them all"
	each_as "$r" -C "${lines[@]}"
	tap_is "$REPLY" '' "$name: natc -C finds every rule by its iptables text"
	each_as "$r" -D "${lines[@]}"
	local notdel=$REPLY
	run_cap "$r" "$NATC" -t nat -S
	tap_is "$notdel$(rules_of "$RUN_OUT")" '' "$name: natc -D deletes every rule by its iptables text"
	ns_del "$r"
	ns_del "$o"
}

batch plain "$PLAIN"
batch nat "$NAT"

# raw nft text
if [ -z "$ONLY" ] || [[ raw =~ $ONLY ]]; then
	ns_new r raw
	printf 'table ip nat {\n\tchain PREROUTING {\n\t\ttype nat hook prerouting priority -100; policy accept;\n\t}\n}\n' |
		in_ns "$r" "$NFT" -f - || bail_out "nft cannot make a table"
	chain=PREROUTING
	while IFS='|' read -r kind rule want; do
		[ "$kind" = '=' ] || [ "$kind" = '!' ] || continue
		in_ns "$r" "$NFT" flush chain ip nat "$chain"
		# shellcheck disable=SC2086 # nft takes the rule as words
		run_cap "$r" "$NFT" add rule ip nat "$chain" $rule
		if [ "$RUN_RC" != 0 ]; then
			tap_fail "raw: nft takes $rule" "$RUN_ERR"
			continue
		fi
		run_cap "$r" "$NATC" -t nat -S "$chain"
		tap_is "$(rules_of "$RUN_OUT")" "$want" "raw: nft's \`$rule\` is $want"
		if [ "$kind" = '=' ]; then
			run_cap "$r" "$IPT" -t nat -S "$chain"
			tap_is "$(rules_of "$RUN_OUT")" "$want" "raw: iptables-nft lists \`$rule\` so too"
		fi
		split_args "${want/#-A /-D }"
		run_cap "$r" "$NATC" -t nat "${ARGS[@]}"
		tap_ok "$RUN_RC" "raw: natc -D ${want#-A }" "$RUN_ERR"
	done <<<"$RAW"
fi

done_testing
