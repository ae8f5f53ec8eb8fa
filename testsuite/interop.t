#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# interop.t - natc and iptables-nft 1.8.9 on the same nat table.
#
#  1. iptables-nft writes a corpus of rules (NAT targets and matches it
#     writes as xt compat expressions, user chains, jumps): natc's -S and
#     -L -n -v must equal iptables-nft's; natc -C must find every rule
#     (-m recent included, which iptables-nft itself cannot); natc -D by
#     specification must remove them all.
#  2. natc --xt writes the corpus: iptables-nft's -S must equal what it
#     printed for its own rules (it can list natc's table).
#  3. natc warns once, naming --xt, when it adds native rules to a table
#     holding iptables-nft's rules; not with --xt.
#  4. A rule natc cannot express (written with nft) is listed as a comment
#     line; commands on the other rules keep working.
#  5. Rules iptables-nft writes natively (-m mark, -m limit, --tcp-flags,
#     -i + and -o +: a lone load of the name, compared with nothing):
#     natc lists them as iptables-nft does, finds and deletes them; natc's
#     own -i + and -o + (no load at all), iptables-nft lists, finds and
#     deletes as its own.
#  6. -X (natc, natc-restore) on a table whose INPUT has policy DROP
#     (iptables-nft-restore takes it): as iptables-nft, with and without a
#     chain.
# TODO tests are left in self-test mode only (NATC=iptables-nft), where
# iptables-nft cannot find its own -m recent rules without --mask.

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip nft diff timeout "$IPT"
require_natc

NATC_CMD=("$NATC")
[ "$SELFTEST" = 1 ] && NATC_CMD+=(-t nat)

CHAINS=(FOO BAR)
CORPUS=(
	'-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -m comment --comment "hi there" -j DNAT --to-destination 192.0.2.1:8080'
	'-A PREROUTING -d 198.51.100.0/24 -p udp -m udp --sport 53 -j DNAT --to-destination 192.0.2.1-192.0.2.9:100-200 --random --persistent'
	'-A PREROUTING -p tcp -m multiport --dports 80,443 -m recent --rcheck --seconds 60 --name X --mask 255.255.255.255 --rsource -j FOO'
	'-A PREROUTING -m conntrack --ctstate NEW,ESTABLISHED -m addrtype --dst-type LOCAL -j BAR'
	'-A PREROUTING -p tcp -m multiport --sports 1000:2000,3000 -j REDIRECT --to-ports 3128'
	'-A PREROUTING ! -i eth1 -p tcp -m tcp ! --dport 22 -m statistic --mode random --probability 0.25000000000 -j DNAT --to-destination 192.0.2.7'
	'-A PREROUTING -s 192.0.2.0/255.255.0.255 ! -p udp -f -j RETURN'
	'-A OUTPUT -p tcp -j REDIRECT --to-ports 8080-8090 --random'
	'-A OUTPUT -j REDIRECT'
	'-A POSTROUTING -o eth1 -p udp -j MASQUERADE --to-ports 1000-2000 --random'
	'-A POSTROUTING -s 203.0.113.0/24 -o eth+ -j SNAT --to-source 198.51.100.4 --random-fully'
	'-A POSTROUTING -s 192.0.2.128/25 -j SNAT --to-source 198.51.100.4-198.51.100.10 --persistent'
	'-A POSTROUTING -j MASQUERADE --random-fully'
	'-A FOO -m statistic --mode random --probability 0.50000000000 -j RETURN'
	'-A FOO -m statistic --mode nth --every 3 --packet 1 -g BAR'
	'-A FOO -m recent --set --name Y --mask 255.255.255.255 --rsource -j RETURN'
	'-A FOO -m recent --update --seconds 10 --name W -j RETURN'
	'-A BAR -j NETMAP --to 192.0.2.0/24'
	'-A BAR -m comment --comment "just a comment"'
)
# iptables-nft 1.8.9 writes these natively (not as xt)
IPT_NATIVE=(
	'-A OUTPUT -m mark --mark 0x1/0xff -j REDIRECT'
	'-A POSTROUTING -m limit --limit 5/sec -j MASQUERADE'
	'-A PREROUTING -p tcp -m tcp --tcp-flags SYN,ACK SYN -j REDIRECT --to-ports 3128'
	'-A PREROUTING -p tcp -m tcp --sport 37822 --dport 443 --tcp-flags FIN,SYN,RST,ACK SYN -j RETURN'
	'-A PREROUTING -i + -j RETURN'
	'-A PREROUTING -i + -s 192.0.2.1/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128'
	'-A OUTPUT -o + -j RETURN'
	'-A OUTPUT -o + -m limit --limit 3/hour --limit-burst 7 -j ACCEPT'
	'-A POSTROUTING -o + -m statistic --mode nth --every 2 --packet 0 -j MASQUERADE'
)
# natc writes -i + and -o + as no test at all, where iptables-nft writes a
# lone load (ir/ext/lib/ip.c says why): iptables-nft takes natc's rule as
# its own (the targets: verdicts, which it can list beside natc's rules)
IFACE_ANY=(
	'-A PREROUTING -i + -j RETURN'
	'-A POSTROUTING -o + -p udp -m udp --dport 53 -j RETURN'
)

# words LINE: the words of a corpus line into WORDS (quotes as a shell)
words() {
	eval "WORDS=($1)"
}

# ipt NS LINE / natc NS [--xt] LINE: run one corpus line
ipt() {
	words "$2"
	run_cap "$1" "$IPT" -t nat "${WORDS[@]}"
}
natc() {
	local ns=$1 flags=()
	shift
	words "${*: -1}"
	# in self-test mode iptables-nft writes its own encoding: no --xt
	[ "$SELFTEST" = 1 ] || flags=("${@:1:$#-1}")
	run_cap "$ns" timeout "$NATC_TIMEOUT" "${NATC_CMD[@]}" "${flags[@]}" "${WORDS[@]}"
}

# write_all NS TOOL [FLAG...]: chains then the corpus; fails on the first
# error
write_all() {
	local ns=$1 tool=$2 c line
	shift 2
	for c in "${CHAINS[@]}"; do
		"$tool" "$ns" "$@" "-N $c"
		[ "$RUN_RC" = 0 ] || { REPLY="-N $c: $RUN_ERR"; return 1; }
	done
	for line in "${CORPUS[@]}"; do
		"$tool" "$ns" "$@" "$line"
		[ "$RUN_RC" = 0 ] || { REPLY="$line: $RUN_ERR"; return 1; }
	done
	return 0
}

# names_in_prot TEXT: iptables-nft 1.8.9 prints protocol numbers in the
# prot column of -L -n; natc prints names (see diff.t): compare names
names_in_prot() {
	REPLY=$(sed -E 's/ 6    (--|-f) / tcp  \1 /; s/ 17   (--|-f) / udp  \1 /; s/ 0    (--|-f) / all  \1 /;
		s/ !6    (--|-f) / !tcp  \1 /; s/ !17   (--|-f) / !udp  \1 /' <<<"$1")
}

# listing NS TOOL ARGS...: OUT is stdout (names in the prot column, no
# final newline), RUN_RC the status
listing() {
	local ns=$1 tool=$2
	shift 2
	if [ "$tool" = natc ]; then
		run_cap "$ns" timeout "$NATC_TIMEOUT" "${NATC_CMD[@]}" "$@"
	else
		run_cap "$ns" "$IPT" -t nat "$@"
	fi
	names_in_prot "$RUN_OUT"
	OUT=$REPLY
}

# ------------------------------------------------ 1. reading iptables-nft

# cant NAME DIAG: tap_ok of RUN_RC, but a TODO when iptables-nft itself
# is under test and the line has -m recent without --mask: its -C and -D
# compare 4 bytes of the mask the kernel got 16 of (netfilter-facts.md)
cant() {
	if [ "$SELFTEST" = 1 ] && [[ "$line" == *"-m recent"* && "$line" != *--mask* ]]; then
		tap_todo "$RUN_RC" "$1" "iptables-nft cannot find this -m recent rule"
	else
		tap_ok "$RUN_RC" "$@"
	fi
}

# exprs NS: OUT is the expression lines of `nft --debug=netlink list`
exprs() {
	run_cap "$1" "$NFT" --debug=netlink list table ip nat
	OUT=$(grep -E '^  \[' <<<"$RUN_OUT")
}

ns_new A ipt
write_all "$A" ipt || bail_out "iptables-nft refused the corpus: $REPLY"
exprs "$A"
IPT_EXPRS=$OUT

listing "$A" ipt -S
IPT_S=$OUT
listing "$A" natc -S
tap_ok "$RUN_RC" "natc -S exits 0 on iptables-nft's table" "$RUN_ERR"
tap_is "$OUT" "$IPT_S" "natc -S equals iptables-nft -S"

listing "$A" ipt -L -n -v
IPT_L=$OUT
listing "$A" natc -L -n -v
tap_is "$OUT" "$IPT_L" "natc -L -n -v equals iptables-nft -L -n -v (protocol names)"

run_cap "$A" iptables-nft-save -t nat
IPT_SAVE=$(grep -v '^#' <<<"$RUN_OUT")
run_cap "$A" timeout "$NATC_TIMEOUT" "${NATC%/*}/natc-save" -t nat
if [ "$SELFTEST" = 1 ]; then
	tap_skip "natc-save equals iptables-nft-save" "self-test"
else
	tap_is "$(grep -v '^#' <<<"$RUN_OUT")" "$IPT_SAVE" "natc-save equals iptables-nft-save"
fi

for line in "${CORPUS[@]}"; do
	natc "$A" "-C${line#-A}"
	cant "natc -C finds: $line" "$RUN_ERR"
done

# -C of a rule that differs in one byte of an xt blob is not found (the
# corpus gives --mask explicitly: without it, iptables-nft's own -C misses
# -m recent rules, see netfilter-facts.md)
natc "$A" '-C FOO -m recent --set --name Z --mask 255.255.255.255 --rsource -j RETURN'
if [ "$SELFTEST" = 1 ]; then
	tap_todo "$([ "$RUN_RC" = 1 ]; echo $?)" "natc -C does not find a -m recent rule with another name" \
		"iptables-nft compares -m recent wrongly"
else
	tap_is "$RUN_RC" 1 "natc -C does not find a -m recent rule with another name"
fi

# ------------------------------------------------- 4. a rule natc cannot say

run_cap "$A" nft add rule ip nat PREROUTING ip dscp cs1 counter
[ "$RUN_RC" = 0 ] || bail_out "nft add rule failed: $RUN_ERR"
listing "$A" natc -S PREROUTING
tap_ok "$RUN_RC" "natc -S lists a table holding a rule it cannot express" "$RUN_ERR"
n=$(grep -c '^# ' <<<"$OUT")
if [ "$SELFTEST" = 1 ]; then
	tap_skip "that rule is one comment line" "self-test: iptables-nft has its own way"
else
	tap_is "$n" 1 "that rule is one comment line"
	tap_ok "$(grep -q '^# .*network header + 1\] \[bitwise' <<<"$OUT"; echo $?)" \
		"the comment describes the rule's expressions" "$OUT"
fi
listing "$A" natc -L PREROUTING -n
tap_ok "$RUN_RC" "natc -L lists it too" "$RUN_ERR"

# a load of the interface name that a later expression reads (here a
# lookup of the name and the address together) is no "-i +": the rule has
# no iptables form (iptables-nft 1.8.9 lists it as `-A PREROUTING`, a
# rule that matches every packet)
ns_new F concat
ipt "$F" "-A PREROUTING -j RETURN"
run_cap "$F" nft add rule ip nat PREROUTING iifname . ip saddr '{ "eth0" . 192.0.2.1 }' counter
[ "$RUN_RC" = 0 ] || bail_out "nft add rule failed: $RUN_ERR"
listing "$F" natc -S PREROUTING
if [ "$SELFTEST" = 1 ]; then
	tap_skip "a load of iifname read by a lookup is not -i +" "self-test: iptables-nft drops the lookup"
else
	tap_ok "$(grep -q '^# .*\[meta load iifname\] .*\[lookup\]' <<<"$OUT"; echo $?)" \
		"a load of iifname read by a lookup is not -i +" "$OUT"
fi
ns_del "$F"

# ------------------------------------------------------ -D by specification

for line in "${CORPUS[@]}"; do
	natc "$A" "-D${line#-A}"
	cant "natc -D removes: $line" "$RUN_ERR"
done
listing "$A" natc -S
if [ "$SELFTEST" = 1 ]; then
	tap_skip "no corpus rule left after natc -D" "iptables-nft cannot -D -m recent"
else
	tap_is "$(grep -c '^-A' <<<"$OUT")" 0 "no corpus rule left after natc -D"
fi
run_cap "$A" nft list chain ip nat PREROUTING
tap_ok "$(grep -q 'ip dscp cs1' <<<"$RUN_OUT"; echo $?)" "the nft rule is still there"

# -------------------------------------------------- 2. natc --xt for iptables

ns_new B xt
if write_all "$B" natc --xt; then
	tap_pass "natc --xt writes the corpus"
else
	tap_fail "natc --xt writes the corpus" "$REPLY"
fi
listing "$B" ipt -S
tap_ok "$RUN_RC" "iptables-nft -S lists natc --xt's table" "$RUN_ERR"
tap_is "$OUT" "$IPT_S" "iptables-nft -S of natc --xt's rules equals its own"
listing "$B" ipt -L -n -v
tap_is "$OUT" "$IPT_L" "iptables-nft -L -n -v of natc --xt's rules equals its own"
exprs "$B"
tap_is "$OUT" "$IPT_EXPRS" "natc --xt writes iptables-nft's expressions, in its order"
if [ "$SELFTEST" != 1 ]; then
	line=${CORPUS[0]}
	words "-C${line#-A}"
	run_cap "$B" "$IPT" -t nat "${WORDS[@]}"
	tap_ok "$RUN_RC" "iptables-nft -C finds a rule natc --xt wrote" "$RUN_ERR"
fi

# ------------------------------------------------------------ 3. the warning

if [ "$SELFTEST" = 1 ]; then
	tap_skip "natc warns once about native rules in iptables-nft's table" "self-test"
else
	ns_new C warn
	write_all "$C" ipt || bail_out "iptables-nft refused the corpus: $REPLY"
	# a verdict alone is no harm to iptables-nft; REDIRECT natively is
	printf '*nat\n-D FOO -m statistic --mode random --probability 0.50000000000 -j RETURN\n-A FOO -j RETURN\n-A OUTPUT -p tcp -j REDIRECT --to-ports 1\n-A OUTPUT -p udp -j REDIRECT --to-ports 2\nCOMMIT\n' >"$TMPD/r"
	in_ns "$C" timeout "$NATC_TIMEOUT" "${NATC%/*}/natc-restore" --noflush "$TMPD/r" 2>"$TMPD/err" >/dev/null
	rc=$?
	n=$(grep -c -- '--xt' "$TMPD/err")
	tap_ok "$rc" "natc-restore --noflush into iptables-nft's table" "$(cat "$TMPD/err")"
	tap_is "$n" 1 "natc-restore warned once, naming --xt"
	run_cap "$C" "$IPT" -t nat -S
	tap_ok "$([ "$RUN_RC" != 0 ] && echo 0 || echo 1)" \
		"iptables-nft can no longer list it (as the warning said)"
	natc "$C" "-R OUTPUT 1 -p tcp -j REDIRECT --to-ports 3"
	tap_is "$(grep -c -- '--xt' <<<"$RUN_ERR")" 1 "natc -R warns too"
	listing "$C" natc -S OUTPUT
	tap_is "$OUT" $'-P OUTPUT ACCEPT\n-A OUTPUT -p tcp -j REDIRECT --to-ports 3\n-A OUTPUT -j REDIRECT\n-A OUTPUT -p tcp -j REDIRECT --to-ports 1\n-A OUTPUT -p udp -j REDIRECT --to-ports 2' \
		"natc -R replaced iptables-nft's rule"
	natc "$C" "-D OUTPUT -j REDIRECT"
	tap_ok "$RUN_RC" "natc -D of iptables-nft's rule beside natc's own" "$RUN_ERR"
	natc "$C" "-R FOO 1 -j RETURN"
	tap_is "$RUN_ERR" "" "no warning for a rule iptables-nft can read"

	ns_new D nowarn
	write_all "$D" ipt || bail_out "iptables-nft refused the corpus: $REPLY"
	in_ns "$D" timeout "$NATC_TIMEOUT" "${NATC%/*}/natc-restore" --xt --noflush "$TMPD/r" 2>"$TMPD/err" >/dev/null
	rc=$?
	tap_ok "$rc" "natc-restore --xt --noflush into iptables-nft's table" "$(cat "$TMPD/err")"
	tap_is "$(cat "$TMPD/err")" "" "no warning with --xt"
	listing "$D" ipt -S OUTPUT
	tap_is "$OUT" $'-P OUTPUT ACCEPT\n-A OUTPUT -p tcp -j REDIRECT --to-ports 8080-8090 --random\n-A OUTPUT -j REDIRECT\n-A OUTPUT -p tcp -j REDIRECT --to-ports 1\n-A OUTPUT -p udp -j REDIRECT --to-ports 2' \
		"iptables-nft lists what natc-restore --xt wrote"
fi

# ------------------------------------------- iptables-nft's native forms

# cross NS WRITER READER LINE WHAT: WRITER (ipt or natc) adds LINE; the
# READER's -S must equal the WRITER's, and LINE as -C and -D must find
# and delete it
cross() {
	local ns=$1 w=$2 r=$3 line=$4 what=$5 want got found st=1
	"$w" "$ns" "$line"
	[ "$RUN_RC" = 0 ] || bail_out "$w refused $line: $RUN_ERR"
	listing "$ns" "$w" -S
	want=$OUT
	listing "$ns" "$r" -S
	got=$OUT
	"$r" "$ns" "-C${line#-A}"
	found=$RUN_RC
	"$r" "$ns" "-D${line#-A}"
	[ "$got" == "$want" ] && [ "$found" = 0 ] && [ "$RUN_RC" = 0 ] && st=0
	tap_ok "$st" "$what: $line" \
		"$(udiff "$want" "$got")" "-C: $found, -D: $RUN_RC $RUN_ERR"
	run_cap "$ns" "$IPT" -t nat -F
}

ns_new E native
for line in "${IPT_NATIVE[@]}"; do
	cross "$E" ipt natc "$line" "natc reads, finds and deletes iptables-nft's native"
done
for line in "${IFACE_ANY[@]}"; do
	cross "$E" natc ipt "$line" "iptables-nft reads, finds and deletes natc's"
done

# -------------------------- 6. -X and a builtin whose policy is not ACCEPT

# iptables-nft-restore 1.8.9 takes `:INPUT DROP` in the nat table (natc
# refuses it): -X without a chain leaves such a builtin, even empty, and
# -X of it is refused ("Directory not empty.", status 1); the empty
# builtins with policy ACCEPT go.  Each tool on its own namespace, the
# same table, the same commands: same status, message and chains after.
drop_table=$'*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:USER - [0:0]\n-A OUTPUT -j RETURN\nCOMMIT\n'
restore_of() {
	if [ "$1" = ipt ]; then REPLY=$IPT-restore; else REPLY=$(dirname "$NATC")/natc-restore; fi
}
for how in cmd restore; do
	ns_new X1 x-ipt
	ns_new X2 x-natc
	got=() want=()
	for side in ipt natc; do
		[ "$side" = ipt ] && ns=$X1 || ns=$X2
		printf '%s' "$drop_table" | in_ns "$ns" "$IPT-restore" ||
			bail_out "iptables-nft-restore refused the table with :INPUT DROP"
		out=''
		for x in "-X INPUT" "-X" "-X INPUT"; do
			if [ "$how" = cmd ]; then
				if [ "$side" = ipt ]; then
					run_cap "$ns" "$IPT" -t nat $x
				else
					run_cap "$ns" timeout "$NATC_TIMEOUT" "${NATC_CMD[@]}" -t nat $x
				fi
				err_reason "$RUN_ERR"
			else
				restore_of "$side"
				printf '*nat\n%s\nCOMMIT\n' "$x" >"$TMPD/x.save"
				run_cap "$ns" "$REPLY" --noflush "$TMPD/x.save"
				# iptables-nft-restore: "line 2 failed: REASON";
				# natc: "FILE:2:1: error: REASON"
				REPLY=${RUN_ERR%%$'\n'*}
				REPLY=${REPLY##*failed: }
				REPLY=${REPLY##*error: }
			fi
			out+="$x => $RUN_RC $REPLY"$'\n'
		done
		run_cap "$ns" "$NFT" list table ip nat
		out+=$(grep -E '^[[:space:]]*(chain|type) ' <<<"$RUN_OUT")
		if [ "$side" = ipt ]; then want=$out; else got=$out; fi
	done
	tap_is "$got" "$want" "-X ($how) keeps a builtin whose policy is not ACCEPT, as iptables-nft 1.8.9"
	ns_del "$X1"
	ns_del "$X2"
done

done_testing
