#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# explain.t - natc --explain: every finding raised by one ruleset and not by
# a near-identical one (static, from save files), the MASQUERADE question,
# the live findings on real namespaces (forwarding off, a target on the
# client's link, a FORWARD policy of DROP, ...), and packet traces checked
# against the conntrack entries the kernel makes for the same packets.
# natc --explain must never change the kernel: checked too.

. "$(dirname "$0")/lib.sh"
. "$TESTSUITE_DIR/netlab.sh"

lab_start jq nft iptables-nft

# ------------------------------------------------------------- helpers --

# sv NAME LINE...: a save file whose nat table holds LINEs; SV is its path.
sv() {
	SV=$TMPD/$1.save
	shift
	{
		echo '*nat'
		printf '%s\n' "$@"
		echo COMMIT
	} >"$SV"
}

# xp [NS] -- ARG...: natc --explain --json ARG... (in NS when given); sets
# J (the JSON), IDS (" id id ... "), XRC, and XRC_OK (the exit status is
# the one the findings call for: 1 with a warning or an error, else 0).
xp() {
	local ns=$1
	shift 2
	natc_argv --explain --json "$@"
	if [ -n "$ns" ]; then
		run_cap "$ns" "${ARGV[@]}"
	else
		"${ARGV[@]}" >"$TMPD/out" 2>"$TMPD/err" </dev/null
		RUN_RC=$?
		RUN_OUT=$(cat "$TMPD/out") RUN_ERR=$(cat "$TMPD/err")
	fi
	XRC=$RUN_RC J=$RUN_OUT
	IDS=" $(jq -r '[.findings[].id] | join(" ")' <<<"$J" 2>/dev/null) "
	local want
	want=$(jq -r 'if [.findings[] | select(.severity != "info")] | length > 0 then 1 else 0 end' \
		<<<"$J" 2>/dev/null)
	XRC_OK=false
	[ -n "$want" ] && [ "$XRC" -eq "$want" ] && XRC_OK=true
}

# raised yes|no ID NAME: the last xp reported ID (or did not).
raised() {
	local want=$1 id=$2 name=$3 got=no
	[[ $IDS == *" $id "* ]] && got=yes
	if $XRC_OK && [ "$got" = "$want" ]; then
		tap_pass "$name"
	else
		tap_fail "$name" "expected $id: $want, got: $got (exit $XRC)" \
			"findings:$IDS" "${RUN_ERR:-}"
	fi
}

# severity ID SEV NAME
severity() {
	local got
	got=$(jq -r --arg id "$1" '[.findings[] | select(.id == $id) | .severity][0]' <<<"$J")
	tap_is "$got" "$2" "$3"
}

# A pair: the first file raises ID, the second does not.
pair() {
	local id=$1 a=$2 b=$3
	xp '' -- "$a"
	raised yes "$id" "static: $id raised by $(basename "$a" .save)"
	xp '' -- "$b"
	raised no "$id" "static: $id not raised by $(basename "$b" .save)"
}

DNAT80='-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80'

# ---------------------------------------------- the MASQUERADE question --

sv q1 "$DNAT80"
xp '' -- "$SV"
raised yes dnat-no-return-path "question: DNAT alone raises dnat-no-return-path"
raised yes dnat-any-interface "question: DNAT alone raises dnat-any-interface"
raised no masquerade-all-interfaces "question: DNAT alone: no masquerade-all-interfaces"
tap_is "$(jq -r '.rules[0].sentence' <<<"$J")" \
	"TCP packets to port 80, arriving on any interface, for any destination address: destination rewritten to 13.37.42.1 port 80" \
	"question: the rule's sentence"
tap_is "$(jq -c '[.findings[] | select(.id == "dnat-no-return-path") | .location][0]' <<<"$J")" \
	"{\"chain\":\"PREROUTING\",\"rule_number\":1,\"file\":\"$SV\",\"line\":2}" \
	"question: the finding is located at file:line, chain and rule number"
tap_is "$(jq -r '[.findings[] | select(.id == "dnat-no-return-path") | .rule][0]' <<<"$J")" \
	"-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80" \
	"question: the finding carries the rule's text"
sv q2 "$DNAT80" '-A POSTROUTING -j MASQUERADE'
xp '' -- "$SV"
raised no dnat-no-return-path "question: + MASQUERADE clears dnat-no-return-path"
raised yes masquerade-all-interfaces "question: + MASQUERADE raises masquerade-all-interfaces"
sv q3 "$DNAT80" '-A POSTROUTING -o eth0 -j MASQUERADE'
xp '' -- "$SV"
raised no masquerade-all-interfaces "question: -o eth0 clears masquerade-all-interfaces"
raised no dnat-no-return-path "question: -o eth0: still no dnat-no-return-path"

natc_argv --explain "$TMPD/q1.save"
"${ARGV[@]}" >"$TMPD/text" 2>&1
grep -q '^  warning dnat-no-return-path at PREROUTING rule 1 (.*q1.save:2)$' "$TMPD/text"
tap_ok $? "question: text output names the finding and where" "$(cat "$TMPD/text")"
grep -q '^    fix: ' "$TMPD/text"
tap_ok $? "question: text output gives a fix"

# ------------------------------------------------------ shell scripts --
# a legacy firewall script: variables, a loop, a conditional natc does not
# follow; told apart from a save file by its content

cat >"$TMPD/fw.sh" <<'EOS'
#!/bin/sh
# forward the web ports to the server
IPT=/sbin/iptables
WAN=eth0
SERVER=10.0.0.5

$IPT -t nat -F
$IPT -t nat -X
$IPT -P FORWARD DROP
for port in 80 443; do
	$IPT -t nat -A PREROUTING -i $WAN -p tcp --dport $port \
		-j DNAT --to-destination $SERVER
done
if [ -n "$LAN" ]; then
	$IPT -t nat -A POSTROUTING -o $LAN -j MASQUERADE
fi
EOS
xp '' -- "$TMPD/fw.sh"
raised yes dnat-no-return-path "script: the loop's DNAT rules raise dnat-no-return-path"
tap_is "$(jq -c '[.findings[] | select(.id == "dnat-no-return-path") | .location]' <<<"$J")" \
	"[{\"chain\":\"PREROUTING\",\"rule_number\":1,\"file\":\"$TMPD/fw.sh\",\"line\":11},{\"chain\":\"PREROUTING\",\"rule_number\":2,\"file\":\"$TMPD/fw.sh\",\"line\":11}]" \
	"script: located at the script's line, one rule per loop turn"
tap_is "$(jq -c '[.rules[].rule]' <<<"$J")" \
	'["-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.5","-A PREROUTING -i eth0 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.5"]' \
	"script: variables expanded, the loop unrolled, the filter table's -P left out"
tap_is "$(jq -r '.unknown[0]' <<<"$J")" \
	"lines 14-16 of the script were not followed (a conditional (if)): nat rules they make are not audited" \
	"script: what it did not follow is said among the unknowns"
sed -i 's/^\$IPT -t nat -X$/$IPT -t nat -A POSTROUTING -d $SERVER -j MASQUERADE/' "$TMPD/fw.sh"
xp '' -- "$TMPD/fw.sh"
raised no dnat-no-return-path "script: + a MASQUERADE to the server clears it"
printf 'IPT=iptables\n\n$IPT -t nat -A PREROUTING -p tcp --dport 99999 -j ACCEPT\n' >"$TMPD/bad.sh"
natc_argv --explain "$TMPD/bad.sh"
"${ARGV[@]}" >/dev/null 2>"$TMPD/err"
rc=$?
grep -q "bad.sh:3:" "$TMPD/err"
tap_ok $(( rc == 2 ? $? : 1 )) "script: a bad command located at its line, exit 2" "rc=$rc" "$(cat "$TMPD/err")"
# issue 14: the same rule fed to iptables-restore from a here-document is
# read as a save file in the script, at the body's lines, variables
# expanded (once read as a save file that failed at line 1); what the
# reader cannot expand is said among the unknowns
cat >"$TMPD/fwh.sh" <<'EOS'
#!/bin/sh
WAN=eth0
SERVER=10.0.0.5
iptables-restore <<EOF
*nat
-A PREROUTING -i $WAN -p tcp --dport 80 -j DNAT --to-destination $SERVER
-A POSTROUTING -o $NOPE -j MASQUERADE
COMMIT
EOF
EOS
xp '' -- "$TMPD/fwh.sh"
raised yes dnat-no-return-path "script with a here-document: its DNAT rule raises dnat-no-return-path"
tap_is "$(jq -c '[.findings[] | select(.id == "dnat-no-return-path") | .location.line]' <<<"$J"):$(jq -c '[.rules[].rule]' <<<"$J")" \
	'[6]:["-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.5"]' \
	"script with a here-document: the rule at the body's line, variables expanded"
tap_is "$(jq -r '.unknown[0]' <<<"$J")" \
	"line 7 of the script was not followed (a variable the script does not set): a nat rule it makes is not audited" \
	"script with a here-document: a line not expanded is said among the unknowns"

# ------------------------------------------------------- exit status --
# 0: no finding of severity warning or error; 1: some; 2: bad input

xrc() {
	natc_argv --explain "$@"
	"${ARGV[@]}" >/dev/null 2>&1 </dev/null
	echo $?
}
sv ok '-A PREROUTING -i eth0 -d 198.51.100.1 -p tcp --dport 80 -j ACCEPT'
tap_is "$(xrc "$SV")" 0 "exit status: no finding: 0"
sv infos '-A PREROUTING -d 198.51.100.1 -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1' \
	'-A POSTROUTING -o eth1 -d 13.37.42.1 -j MASQUERADE'
xp '' -- "$SV"
tap_is "$XRC:$(jq -r '[.findings[].severity] | unique | join(",")' <<<"$J")" "0:info" \
	"exit status: info findings only: 0"
tap_is "$(xrc "$TMPD/q1.save")" 1 "exit status: a warning: 1"
tap_is "$(xrc --json "$TMPD/q1.save")" 1 "exit status: the same with --json"
tap_is "$(xrc --exit-zero "$TMPD/q1.save")" 0 "exit status: --exit-zero: 0 whatever was found"
tap_is "$(xrc "$TMPD/ok.save" "$TMPD/q1.save")" 1 "exit status: several files: 1 when any has a warning"
tap_is "$(xrc "$TMPD/does-not-exist.save")" 2 "exit status: a file that cannot be read: 2"
tap_is "$(xrc --bogus-option "$TMPD/q1.save")" 2 "exit status: a bad command line: 2"

# ------------------------------------------- every kind describes itself --
# one rule per kind; "(not described)" must not appear

sv kinds \
	'-A PREROUTING -m mark ! --mark 0x4000/0x4000 -j MARK --or-mark 0x4000' \
	'-A PREROUTING -m mark --mark 0x1 -j MARK --set-mark 0x2' \
	'-A PREROUTING -d 10.0.0.0/24 -j NETMAP --to 192.168.5.0/24' \
	'-A POSTROUTING -s 192.168.5.0/24 -j NETMAP --to 10.0.0.0/24' \
	'-A PREROUTING -m iprange --src-range 1.2.3.4-1.2.3.9 ! --dst-range 10.0.0.1-10.0.0.5 -j LOG --log-prefix "nat: "' \
	'-A PREROUTING -m pkttype --pkt-type multicast -m ttl --ttl-lt 5 -j CONNMARK --set-mark 5' \
	'-A PREROUTING -p icmp -m icmp --icmp-type 8 -m length --length 10:20 -j NFLOG --nflog-group 3' \
	'-A OUTPUT -m owner --uid-owner 0 -j CONNMARK --restore-mark' \
	'-A PREROUTING -m statistic --mode random --probability 0.25 -j ACCEPT' \
	'-A PREROUTING -m statistic --mode nth --every 3 --packet 1 -j ACCEPT' \
	'-A PREROUTING -m limit --limit 5/sec -j ACCEPT' \
	'-A PREROUTING -m recent --rcheck --name x -j ACCEPT' \
	'-A PREROUTING -j AUDIT --type accept'
xp '' -- "$SV"
# the rules of a chain, in file order: PREROUTING first, then OUTPUT, POSTROUTING
kind_sentence() {
	tap_is "$(jq -r --arg r "$1" '[.rules[] | select(.rule == $r) | .sentence][0]' <<<"$J")" "$2" "sentence: $3"
}
kind_sentence '-A PREROUTING -m mark ! --mark 0x4000/0x4000 -j MARK --set-xmark 0x4000/0x4000' \
	'All packets whose packet mark has bit 0x4000 clear, arriving on any interface, for any destination address: bits 0x4000 of the packet mark set, then on to the next rule (not a verdict)' \
	'-m mark ! --mark V/M, -j MARK --or-mark'
kind_sentence '-A PREROUTING -m mark --mark 0x1 -j MARK --set-xmark 0x2/0xffffffff' \
	'All packets whose packet mark is 0x1, arriving on any interface, for any destination address: the packet mark set to 0x2, then on to the next rule (not a verdict)' \
	'-m mark --mark V, -j MARK --set-mark'
kind_sentence '-A PREROUTING -d 10.0.0.0/24 -j NETMAP --to 192.168.5.0/24' \
	'All packets to 10.0.0.0/24, arriving on any interface: destination network mapped to 192.168.5.0/24 (the host part of the address kept)' \
	'NETMAP in PREROUTING'
kind_sentence '-A POSTROUTING -s 192.168.5.0/24 -j NETMAP --to 10.0.0.0/24' \
	'All packets from 192.168.5.0/24, leaving through any interface: source network mapped to 10.0.0.0/24 (the host part of the address kept)' \
	'NETMAP in POSTROUTING'
kind_sentence '-A PREROUTING -m iprange --src-range 1.2.3.4-1.2.3.9 ! --dst-range 10.0.0.1-10.0.0.5 -j LOG --log-prefix "nat: "' \
	'All packets from 1.2.3.4-1.2.3.9, to outside 10.0.0.1-10.0.0.5, arriving on any interface, for any destination address: logged to the kernel log at level 4 with prefix "nat: ", then on to the next rule (not a verdict)' \
	'-m iprange, -j LOG'
kind_sentence '-A PREROUTING -m pkttype --pkt-type multicast -m ttl --ttl-lt 5 -j CONNMARK --set-xmark 0x5/0xffffffff' \
	"All packets sent to a link-layer multicast address, with a TTL below 5, arriving on any interface, for any destination address: the connection's mark set to 0x5, then on to the next rule (not a verdict)" \
	'-m pkttype, -m ttl, -j CONNMARK --set-mark'
kind_sentence '-A PREROUTING -p icmp -m icmp --icmp-type 8 -m length --length 10:20 -j NFLOG --nflog-group 3' \
	'ICMP packets of ICMP type 8 (echo-request), 10 to 20 bytes long (IP packet), arriving on any interface, for any destination address: copied to userspace logging (nflog group 3), then on to the next rule (not a verdict)' \
	'-m icmp, -m length, -j NFLOG'
kind_sentence '-A OUTPUT -m owner --uid-owner 0 -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff' \
	"All packets sent by a local program of user 0: the connection's mark (bits 0xffffffff) copied to the packet mark (bits 0xffffffff), then on to the next rule (not a verdict)" \
	'-m owner, -j CONNMARK --restore-mark'
kind_sentence '-A PREROUTING -m statistic --mode random --probability 0.25000000000 -j ACCEPT' \
	'All packets sampled at random with probability 0.25: left as they are (no later nat rule of this hook sees them)' \
	'-m statistic --mode random'
kind_sentence '-A PREROUTING -m statistic --mode nth --every 3 --packet 1 -j ACCEPT' \
	'All packets sampled: one in every 3 (packets 1, 4, ...; counting from 0): left as they are (no later nat rule of this hook sees them)' \
	'-m statistic --mode nth'
kind_sentence '-A PREROUTING -m limit --limit 5/sec -j ACCEPT' \
	'All packets within a rate limit of 5/sec (bursts of 5; the packets beyond it do not match): left as they are (no later nat rule of this hook sees them)' \
	'-m limit'
kind_sentence '-A PREROUTING -m recent --rcheck --name x --mask 255.255.255.255 --rsource -j ACCEPT' \
	'All packets matching `-m recent --rcheck --name x --mask 255.255.255.255 --rsource` (not analysed): left as they are (no later nat rule of this hook sees them)' \
	'an xt match (libxtables): its own -S text'
kind_sentence '-A PREROUTING -j AUDIT --type accept' \
	'All packets arriving on any interface, for any destination address: `-j AUDIT --type accept` (not analysed: what it does is unknown to natc)' \
	'an xt target (libxtables): its own -S text'
tap_is "$(jq '[.rules[] | select(.sentence | test("not described"))] | length' <<<"$J")" 0 \
	"sentence: no kind is left \"not described\""

# ------------------------------------------------------ static pairs --

sv nrp-a "$DNAT80"
sv nrp-b "$DNAT80" '-A POSTROUTING -o eth1 -d 13.37.42.1 -p tcp --dport 80 -j SNAT --to-source 10.0.0.1'
pair dnat-no-return-path "$TMPD/nrp-a.save" "$TMPD/nrp-b.save"
sv nrp-c "$DNAT80" '-A POSTROUTING -d 13.37.42.2 -j MASQUERADE'
xp '' -- "$SV"
raised yes dnat-no-return-path "static: MASQUERADE of another address does not cover the DNAT"

sv any-a "$DNAT80"
sv any-b '-A PREROUTING -d 198.51.100.1 -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80'
pair dnat-any-interface "$TMPD/any-a.save" "$TMPD/any-b.save"
sv any-c ':WEB - [0:0]' '-A PREROUTING -i eth1 -j WEB' '-A WEB -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1'
xp '' -- "$SV"
raised no dnat-any-interface "static: -i on the jump to the chain limits the DNAT inside"

sv mai-a '-A POSTROUTING -j MASQUERADE'
sv mai-b '-A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE'
pair masquerade-all-interfaces "$TMPD/mai-a.save" "$TMPD/mai-b.save"

sv ltn-a '-A PREROUTING -d 198.51.100.1 -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1'
sv ltn-b '-A PREROUTING -d 198.51.100.1 -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1' \
	'-A OUTPUT -d 198.51.100.1 -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1'
pair local-traffic-not-translated "$TMPD/ltn-a.save" "$TMPD/ltn-b.save"

sv lo-a '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080'
sv lo-b '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.1:8080'
pair dnat-to-loopback "$TMPD/lo-a.save" "$TMPD/lo-b.save"

sv wc-a ':X - [0:0]' '-A POSTROUTING -j X' '-A X -j DNAT --to-destination 10.0.0.1'
sv wc-b ':X - [0:0]' '-A PREROUTING -j X' '-A X -j DNAT --to-destination 10.0.0.1'
pair wrong-chain "$TMPD/wc-a.save" "$TMPD/wc-b.save"
xp '' -- "$TMPD/wc-a.save"
severity wrong-chain error "static: wrong-chain is an error (the kernel refuses it)"

sv sh-a '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1' \
	'-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2'
sv sh-b '-A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 10.0.0.1' \
	'-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2'
pair shadowed-rule "$TMPD/sh-a.save" "$TMPD/sh-b.save"
xp '' -- "$TMPD/sh-a.save"
tap_is "$(jq -r '[.findings[] | select(.id == "shadowed-rule") | .location.rule_number][0]' <<<"$J")" 2 \
	"static: shadowed-rule points at the later rule"
sv sh-c '-A PREROUTING -s 10.0.0.0/8 -p tcp -j ACCEPT' \
	'-A PREROUTING -s 10.1.0.0/16 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2'
xp '' -- "$SV"
raised yes shadowed-rule "static: an ACCEPT of a wider network shadows a DNAT"
sv sh-d ':X - [0:0]' '-A PREROUTING -p tcp -j X' \
	'-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2'
xp '' -- "$SV"
raised no shadowed-rule "static: a -j CHAIN (which may return) shadows nothing"

sv uc-a ':X - [0:0]' '-A X -j DNAT --to-destination 10.0.0.1'
sv uc-b ':X - [0:0]' '-A X -j DNAT --to-destination 10.0.0.1' '-A PREROUTING -i eth1 -j X'
pair unreachable-chain "$TMPD/uc-a.save" "$TMPD/uc-b.save"

sv hp-a '-A PREROUTING -i eth1 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5'
sv hp-b '-A PREROUTING -d 198.51.100.1 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5'
pair hairpin-missing "$TMPD/hp-a.save" "$TMPD/hp-b.save"

# NETMAP in PREROUTING is the DNAT of a whole network: the same findings
sv nm-a '-A PREROUTING -d 203.0.113.0/24 -j NETMAP --to 198.51.100.0/24'
sv nm-b '-A PREROUTING -d 203.0.113.0/24 -j NETMAP --to 198.51.100.0/24' \
	'-A POSTROUTING -d 198.51.100.0/24 -j MASQUERADE'
pair dnat-no-return-path "$TMPD/nm-a.save" "$TMPD/nm-b.save"
xp '' -- "$TMPD/nm-a.save"
msg=$(jq -r '[.findings[] | select(.id == "dnat-no-return-path") | .message][0]' <<<"$J")
[[ $msg == *"(to an address in 198.51.100.0/24)"* ]]
tap_ok $? "static: NETMAP of a network: the finding names the network mapped to" "$msg"
sv nm-c '-A PREROUTING -d 203.0.113.7/32 -p tcp --dport 80 -j NETMAP --to 198.51.100.0/24'
xp '' -- "$SV"
msg=$(jq -r '[.findings[] | select(.id == "dnat-no-return-path") | .message][0]' <<<"$J")
[[ $msg == *"(to 198.51.100.7 port 80)"* ]]
tap_ok $? "static: NETMAP of one address: the finding names where it goes (host part kept)" "$msg"
sv nm-d '-A PREROUTING -j NETMAP --to 198.51.100.0/24'
pair dnat-any-interface "$TMPD/nm-d.save" "$TMPD/nm-a.save"
sv nm-e '-A POSTROUTING -s 10.0.0.0/24 -j NETMAP --to 198.51.100.0/24'
xp '' -- "$SV"
raised no dnat-no-return-path "static: NETMAP in POSTROUTING (a source mapping) raises no DNAT finding"

# what Docker and kube-proxy write is sound: no false alarm
# (Docker's base with its "docker run -p 8080:80" delta applied)
{
	grep -v '^COMMIT' "$TESTSUITE_DIR/restore/sync-docker/00-daemon-start.save"
	grep '^-A' "$TESTSUITE_DIR/restore/sync-docker/01-publish-port.save"
	echo COMMIT
} >"$TMPD/docker-publish.save"
for f in 73-kube-docker-matches.save sync-kube/00-base.save sync-docker/00-daemon-start.save \
	"$TMPD/docker-publish.save"; do
	[[ $f == /* ]] || f=$TESTSUITE_DIR/restore/$f
	xp '' -- "$f"
	f=${f#"$TESTSUITE_DIR/restore/"} f=${f#"$TMPD/"}
	tap_is "$XRC:$(jq -c '[.findings[] | select(.severity != "info") | .id]' <<<"$J")" "0:[]" \
		"static: $f (as Docker/kube-proxy write it): no warning"
done
# ... but without kube-proxy's "RETURN unless marked" the MASQUERADE is unlimited
grep -v -- '-A KUBE-POSTROUTING -m mark ! --mark' "$TESTSUITE_DIR/restore/sync-kube/00-base.save" \
	>"$TMPD/kube-nomark.save"
xp '' -- "$TMPD/kube-nomark.save"
raised yes masquerade-all-interfaces "static: kube-proxy's POSTROUTING without its mark test: masquerade-all-interfaces"

xp '' -- "$TMPD/q1.save"
tap_ok "$([ "$(jq '.unknown | length' <<<"$J")" -gt 0 ]; echo $?)" \
	"static: says what it could not know" "$J"
tap_is "$(jq -r '.live' <<<"$J")" false "static: a file is audited without the live state"

natc_argv --explain --dot "$TMPD/uc-b.save"
out=$("${ARGV[@]}" 2>&1)
[[ $out == "digraph nat {"* && $out == *"-> c"*"[style=solid]"* ]]
tap_ok $? "--dot: a graphviz digraph with the jump" "$out"

natc_argv --explain --packet 'tcp 1.2.3.4 -> 5.6.7.8:80 in eth0' "$TMPD/q1.save"
"${ARGV[@]}" >/dev/null 2>"$TMPD/err"
tap_is "$?" 2 "--packet without a source port: parameter problem (exit 2)"
printf '*nat\n-A PREROUTING -p tcp --dport 99999 -j ACCEPT\nCOMMIT\n' >"$TMPD/bad.save"
natc_argv --explain "$TMPD/bad.save"
"${ARGV[@]}" >/dev/null 2>"$TMPD/err"
rc=$?
grep -q "bad.save:2:" "$TMPD/err"
tap_ok $(( rc == 2 ? $? : 1 )) "a bad line in a file: located, exit 2" "rc=$rc" "$(cat "$TMPD/err")"

# ----------------------------------------------------------- live --
# one link: c 192.0.2.2, r 192.0.2.1 (eth0, forwarding on), s 192.0.2.3

C=192.0.2.2 R=192.0.2.1 S=192.0.2.3
lab_one_link l || bail_out "cannot build lab l"
RNS=$(lab_ns l-r)

# nat ARG...: natc in l-r (must succeed).
nat() {
	natc_argv "$@"
	run_cap "$RNS" "${ARGV[@]}"
	[ "$RUN_RC" -eq 0 ] || diag "natc $* failed: $RUN_ERR"
}

nat -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $S:80
before=$(in_ns "$RNS" "$NATC" -t nat -S)
xp "$RNS" --
raised yes dnat-no-return-path "live: target on the client's link: dnat-no-return-path"
severity dnat-no-return-path error "live: ... and it is certain (error)"
tap_is "$(jq -r .live <<<"$J")" true "live: the live table is audited with the live state"
nat -t nat -A POSTROUTING -o eth9 -j MASQUERADE
xp "$RNS" --
raised yes dnat-no-return-path "live: MASQUERADE -o eth9 (not the way to S) does not clear it"
nat -t nat -F POSTROUTING
nat -t nat -A POSTROUTING -o eth0 -j MASQUERADE
xp "$RNS" --
raised no dnat-no-return-path "live: MASQUERADE -o eth0 clears it"
raised yes masquerade-static-address "live: eth0 has one static address: masquerade-static-address"

# the command form: explained in the live context, kernel unchanged
nat -t nat -F POSTROUTING
xp "$RNS" -- -t nat -A POSTROUTING -o eth0 -j MASQUERADE
raised no dnat-no-return-path "command: -A POSTROUTING -o eth0 -j MASQUERADE would fix it"
tap_is "$(jq -c '[.rules[] | select(.location.command_line) | .rule]' <<<"$J")" \
	'["-A POSTROUTING -o eth0 -j MASQUERADE"]' "command: the new rule is marked as the command line's"
xp "$RNS" -- -t nat -I PREROUTING -p tcp --dport 80 -j ACCEPT
raised yes shadowed-rule "command: -I of a catch-all shadows the live DNAT"
after=$(in_ns "$RNS" "$NATC" -t nat -S)
tap_is "$after" "$before" "--explain never changed the kernel's table"

# hairpin: the DNAT matches R's address, the server is on the clients' link
nat -t nat -F PREROUTING
nat -t nat -A PREROUTING -d $R -p tcp --dport 80 -j DNAT --to-destination $S:80
xp "$RNS" --
raised yes hairpin-missing "live: -d R, target on the same link, no SNAT: hairpin-missing"
nat -t nat -A POSTROUTING -s 192.0.2.0/24 -d $S -p tcp --dport 80 -j MASQUERADE
xp "$RNS" --
raised no hairpin-missing "live: + hairpin MASQUERADE clears it"

lab_exec l-r sysctl -qw net.ipv4.ip_forward=0
xp "$RNS" --
raised yes ip-forward-disabled "live: ip_forward=0: ip-forward-disabled"
natc_argv --explain --packet "tcp $C:40000 -> $R:80 in eth0"
run_cap "$RNS" "${ARGV[@]}"
grep -q "^  routing: $S goes out through eth0 (on that link): forwarded, but net.ipv4.ip_forward is 0: dropped\$" <<<"$RUN_OUT"
tap_ok $? "live: the trace says the forwarded packet is dropped" "$RUN_OUT"
lab_exec l-r sysctl -qw net.ipv4.ip_forward=1
xp "$RNS" --
raised no ip-forward-disabled "live: ip_forward=1 clears it"

in_ns "$RNS" iptables-nft -P FORWARD DROP
xp "$RNS" --
raised yes forward-policy-drop "live: filter FORWARD policy DROP: forward-policy-drop"
severity forward-policy-drop error "live: ... with no rule at all: error"
in_ns "$RNS" iptables-nft -P FORWARD ACCEPT
xp "$RNS" --
raised no forward-policy-drop "live: policy ACCEPT clears it"

in_ns "$RNS" nft 'add table inet other; add chain inet other pre { type nat hook prerouting priority -110; }'
xp "$RNS" --
raised yes mixed-backends "live: another nft table doing NAT: mixed-backends"
in_ns "$RNS" nft 'delete table inet other'
xp "$RNS" --
raised no mixed-backends "live: without it: no mixed-backends"

# NETMAP of one address onto the link's network: S, on the clients' link
# (clients coming in on eth0: as a DNAT to S, certain; matched by address
# alone, the clients on S's link are the hairpin case)
nat -t nat -F PREROUTING
nat -t nat -F POSTROUTING
nat -t nat -A PREROUTING -d 198.51.100.3/32 -p tcp --dport 80 -j NETMAP --to 192.0.2.0/24
xp "$RNS" --
raised yes hairpin-missing "live: NETMAP of -d onto S on the clients' link: hairpin-missing"
nat -t nat -F PREROUTING
nat -t nat -A PREROUTING -i eth0 -d 198.51.100.3/32 -p tcp --dport 80 -j NETMAP --to 192.0.2.0/24
xp "$RNS" --
raised yes dnat-no-return-path "live: NETMAP onto S's address on the clients' link: dnat-no-return-path"
severity dnat-no-return-path error "live: ... an error, as for DNAT"
nat -t nat -A POSTROUTING -o eth0 -j MASQUERADE
xp "$RNS" --
raised no dnat-no-return-path "live: MASQUERADE -o eth0 clears it for NETMAP too"

nat -t nat -F POSTROUTING
nat -t nat -A POSTROUTING -o wan0 -j MASQUERADE
ip -n "$RNS" link add wan0 type veth peer name wan1
ip -n "$RNS" addr add 203.0.113.7/24 dev wan0 valid_lft 3600 preferred_lft 3600
xp "$RNS" --
raised no masquerade-static-address "live: an address with a lifetime (DHCP-like): no masquerade-static-address"
ip -n "$RNS" addr flush dev wan0
ip -n "$RNS" addr add 203.0.113.7/24 dev wan0
xp "$RNS" --
raised yes masquerade-static-address "live: the same address static: masquerade-static-address"

nat -t nat -F
nat -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080
xp "$RNS" --
raised yes dnat-to-loopback "live: DNAT to 127.0.0.1, route_localnet 0: dnat-to-loopback"
lab_exec l-r sysctl -qw net.ipv4.conf.eth0.route_localnet=1
xp "$RNS" --
raised no dnat-to-loopback "live: route_localnet=1 on eth0 clears it"
lab_exec l-r sysctl -qw net.ipv4.conf.eth0.route_localnet=0

# a table iptables-nft wrote (xt targets) is explained as well
ns_new IPT ipt
in_ns "$IPT" iptables-nft -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80
xp "$IPT" --
raised yes dnat-any-interface "live: a table iptables-nft wrote is read and audited"
tap_is "$(jq -r '.rules[0].rule' <<<"$J")" \
	"-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80" \
	"live: ... its rule as iptables-nft lists it"

ns_new V6 v6
ip -n "$V6" link add e0 type veth peer name e1
ip -n "$V6" link set e0 up
ip -n "$V6" addr add 192.0.2.1/24 dev e0
in_ns "$V6" "$NATC" -t nat -A PREROUTING -i e0 -p tcp --dport 80 -j DNAT --to-destination 192.0.2.3
xp "$V6" --
raised no ipv6-not-covered "live: no global IPv6 address: no ipv6-not-covered"
in_ns "$V6" sysctl -qw net.ipv6.conf.e0.disable_ipv6=0 2>/dev/null
ip -n "$V6" addr add 2001:db8::1/64 dev e0 nodad
xp "$V6" --
raised yes ipv6-not-covered "live: a global IPv6 address and IPv4-only DNAT: ipv6-not-covered"

# ------------------------------------------------ traces vs conntrack --
# natc predicts the conntrack tuple; the kernel makes it for the real
# packet; they must agree.  "?" in natc's answer (a port natc cannot know,
# e.g. SNAT to a port range) matches any number.

# predict NS SPEC: natc's tuple for SPEC, as "orig=...>... reply=...>...".
predict() {
	natc_argv --explain --json --packet "$2"
	run_cap "$1" "${ARGV[@]}"
	PRED=$(jq -r '.trace | "orig=\(.original.src):\(.original.sport)>\(.original.dst):\(.original.dport) reply=\(.reply.src // "?"):\(.reply.sport // "?")>\(.reply.dst // "?"):\(.reply.dport // "?")"' <<<"$RUN_OUT" 2>/dev/null)
	[ "$RUN_RC" -le 1 ] || PRED="natc failed: $RUN_ERR"
}

# trace_check HOST(where conntrack is) CLIENT PROTO DST PORT SPEC-TAIL NAME
# SPEC-TAIL is "in IFACE" or "out IFACE"; the source is CLIENT's address
# and the source port the one the lab client will use.
trace_check() {
	local h=$1 cl=$2 proto=$3 dst=$4 port=$5 tail=$6 name=$7 sport src rx line
	sport=$LAB_NEXT_SPORT
	src=${TRACE_SRC:-$(lab_addr "$cl")}
	predict "$(lab_ns "$h")" "$proto $src:$sport -> $dst:$port $tail"
	if [ "$proto" = tcp ]; then
		lab_tcp_client "$cl" "$dst" "$port" 1
	else
		lab_udp_client "$cl" "$dst" "$port" 1
	fi
	line=$(lab_ct "$h" -p "$proto" --orig-port-src "$sport" | head -n 1)
	rx=$(printf '%s' "$PRED" | sed 's/[.]/\\./g; s/?/[0-9.]+/g')
	if [[ $PRED == orig=* && $line =~ ^$proto\ $rx\  ]]; then
		tap_pass "trace: $name"
	else
		tap_fail "trace: $name" "natc:   $PRED" "kernel: ${line:-(no conntrack entry)}"
	fi
}

# every port gets a listener: a reset answering a SYN deletes the
# conntrack entry at once
for p in 80 8080 8081; do lab_tcp_server l-s $p || bail_out "no server"; done
for p in 83 84 90 92 99 22 8080; do lab_tcp_server l-r $p || bail_out "no server"; done
lab_udp_server l-s 53 || bail_out "no server"
nat -t nat -F
nat -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $S
nat -t nat -A PREROUTING -p udp --dport 53 -j DNAT --to-destination $S:53
nat -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination $S:8080
nat -t nat -N WEB
nat -t nat -A PREROUTING -p tcp --dport 82:89 -j WEB
nat -t nat -A WEB -p tcp --dport 83 -j RETURN
nat -t nat -A WEB -p tcp --dport 84 -j ACCEPT
nat -t nat -A WEB -p tcp -j DNAT --to-destination $S:80
nat -t nat -N GO
nat -t nat -A PREROUTING -p tcp --dport 90 -g GO
nat -t nat -A PREROUTING -p tcp --dport 90 -j DNAT --to-destination $S:80
nat -t nat -A GO -s $C -j RETURN
nat -t nat -A PREROUTING -p tcp --dport 91 -j REDIRECT --to-ports 8080
nat -t nat -A PREROUTING -p tcp --dport 92 -j REDIRECT
nat -t nat -A PREROUTING -p tcp --dport 93:94 -j DNAT --to-destination $S:8080-8081
nat -t nat -N DOCK
nat -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCK
nat -t nat -A DOCK -i docker0 -j RETURN
nat -t nat -A DOCK ! -i docker0 -p tcp --dport 95 -j DNAT --to-destination $S:80
nat -t nat -A POSTROUTING -o eth0 -d $S -j MASQUERADE
nat -t nat -A INPUT -p tcp --dport 22 -j SNAT --to-source 192.0.2.77
nat -t nat -A OUTPUT -d 192.0.2.9 -p tcp -j DNAT --to-destination $S:80
nat -t nat -A OUTPUT -d $R -p tcp --dport 7 -j REDIRECT --to-ports 8080

trace_check l-r l-c tcp $R 80 "in eth0" "DNAT to S (port kept) + MASQUERADE"
trace_check l-r l-c udp $R 53 "in eth0" "UDP DNAT to S:53 + MASQUERADE"
trace_check l-r l-c tcp $R 81 "in eth0" "DNAT to another port"
trace_check l-r l-c tcp $R 82 "in eth0" "-j WEB, DNAT at its end"
trace_check l-r l-c tcp $R 83 "in eth0" "-j WEB, RETURN: not translated"
trace_check l-r l-c tcp $R 84 "in eth0" "-j WEB, ACCEPT: not translated"
trace_check l-r l-c tcp $R 85 "in eth0" "-j WEB, another port of the range"
trace_check l-r l-c tcp $R 90 "in eth0" "-g GO, RETURN there goes back to the base chain's caller: next rule skipped"
trace_check l-r l-c tcp $R 91 "in eth0" "REDIRECT --to-ports 8080"
trace_check l-r l-c tcp $R 92 "in eth0" "REDIRECT, port kept"
trace_check l-r l-c tcp $R 93 "in eth0" "DNAT to a port range, port outside it"
trace_check l-r l-c tcp $R 22 "in eth0" "SNAT in INPUT"
trace_check l-r l-c tcp $R 95 "in eth0" "Docker-style: -m addrtype --dst-type LOCAL -j DOCK, DNAT there"
trace_check l-r l-c tcp $R 99 "in eth0" "no rule: untranslated"
trace_check l-r l-c udp $R 99 "in eth0" "UDP, no rule: untranslated"
trace_check l-r l-r tcp 192.0.2.9 80 "out eth0" "OUTPUT DNAT (this host's own connection)"
trace_check l-r l-r tcp $R 7 "out lo" "OUTPUT REDIRECT to 127.0.0.1:8080"

# two links: c 192.0.2.2 -- r (eth0 .1 / eth1 198.51.100.1) -- s 198.51.100.2
lab_two_links t || bail_out "cannot build lab t"
S2=198.51.100.2 X=198.51.100.10
ip -n "$(lab_ns t-r)" addr add $X/24 dev eth1
for p in 80 81 82 83 84 85 86 87; do lab_tcp_server t-s $p || bail_out "no server"; done
lab_udp_server t-s 53 || bail_out "no server"
TNS=$(lab_ns t-r)
tnat() {
	natc_argv "$@"
	run_cap "$TNS" "${ARGV[@]}"
	[ "$RUN_RC" -eq 0 ] || diag "natc $* failed: $RUN_ERR"
}
tnat -t nat -A POSTROUTING -o eth1 -p tcp --dport 80 -j SNAT --to-source $X
tnat -t nat -A POSTROUTING -o eth1 -p udp -j SNAT --to-source $X:20100-20199
tnat -t nat -A POSTROUTING -o eth1 -p tcp --dport 81 -j MASQUERADE
tnat -t nat -A POSTROUTING -o eth1 -p tcp --dport 82 -j SNAT --to-source $X:30000
tnat -t nat -N SN
tnat -t nat -A POSTROUTING -o eth1 -p tcp --dport 83:84 -j SN
tnat -t nat -A SN -p tcp --dport 84 -j RETURN
tnat -t nat -A SN -p tcp -j SNAT --to-source $X:31000
tnat -t nat -A POSTROUTING -o eth1 -p tcp --dport 86 -m conntrack --ctstate NEW -j SNAT --to-source $X
tnat -t nat -A POSTROUTING -o eth1 -p tcp --dport 87 -m state ! --state NEW -j SNAT --to-source $X
trace_check t-r t-c tcp $S2 80 "in eth0" "forwarded, SNAT to an address (port kept)"
trace_check t-r t-c udp $S2 53 "in eth0" "forwarded UDP, SNAT to a port range"
trace_check t-r t-c tcp $S2 81 "in eth0" "forwarded, MASQUERADE -o eth1: the route's source address"
trace_check t-r t-c tcp $S2 82 "in eth0" "forwarded, SNAT to one port"
trace_check t-r t-c tcp $S2 83 "in eth0" "forwarded, -j SN, SNAT there"
trace_check t-r t-c tcp $S2 84 "in eth0" "forwarded, -j SN, RETURN: not translated"
trace_check t-r t-c tcp $S2 85 "in eth0" "forwarded, no rule: untranslated"
trace_check t-r t-c tcp $S2 86 "in eth0" "forwarded, --ctstate NEW (the nat chains see the first packet): SNAT"
trace_check t-r t-c tcp $S2 87 "in eth0" "forwarded, -m state ! --state NEW: untranslated"

# NETMAP: the network mapped, the host part kept (destination in
# PREROUTING, source in POSTROUTING)
lab_route t-c 203.0.113.0/24 192.0.2.1
lab_route t-s 10.77.0.0/24 198.51.100.1
lab_tcp_server t-s 88 || bail_out "no server"
tnat -t nat -A PREROUTING -d 203.0.113.0/24 -p tcp -j NETMAP --to 198.51.100.0/24
tnat -t nat -A POSTROUTING -o eth1 -s 192.0.2.0/24 -p tcp --dport 88 -j NETMAP --to 10.77.0.0/24
trace_check t-r t-c tcp 203.0.113.2 85 "in eth0" "NETMAP in PREROUTING: 203.0.113.2 becomes 198.51.100.2"
trace_check t-r t-c tcp $S2 88 "in eth0" "NETMAP in POSTROUTING: 192.0.2.2 becomes 10.77.0.2"
natc_argv --explain --json --packet "tcp 192.0.2.2:40000 -> 203.0.113.2:85 in eth0"
run_cap "$TNS" "${ARGV[@]}"
tap_is "$(jq -r '.trace.translated | "\(.src) \(.dst):\(.dport)"' <<<"$RUN_OUT")" \
	"192.0.2.2 198.51.100.2:85" "trace: NETMAP's translated tuple keeps the host part"

# kube-proxy's masquerade: KUBE-MARK-MASQ marks the flows to masquerade,
# KUBE-POSTROUTING returns for unmarked ones, clears the bit, masquerades.
# The trace follows the mark from PREROUTING to POSTROUTING.
lab_route t-c 10.96.0.0/16 192.0.2.1
tnat -t nat -N KUBE-SVC
tnat -t nat -N KUBE-MARK-MASQ
tnat -t nat -N KUBE-POSTROUTING
tnat -t nat -A PREROUTING -d 10.96.0.10 -p tcp -j KUBE-SVC
tnat -t nat -A KUBE-SVC -p tcp --dport 89 -j KUBE-MARK-MASQ
tnat -t nat -A KUBE-SVC -p tcp -j DNAT --to-destination $S2:85
tnat -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
tnat -t nat -A POSTROUTING -j KUBE-POSTROUTING
tnat -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
tnat -t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
tnat -t nat -A KUBE-POSTROUTING -j MASQUERADE
trace_check t-r t-c tcp 10.96.0.10 89 "in eth0" "kube-proxy: marked by KUBE-MARK-MASQ, masqueraded in KUBE-POSTROUTING"
trace_check t-r t-c tcp 10.96.0.10 90 "in eth0" "kube-proxy: unmarked, KUBE-POSTROUTING returns: not masqueraded"
natc_argv --explain --json --packet "tcp 192.0.2.2:40000 -> 10.96.0.10:89 in eth0"
run_cap "$TNS" "${ARGV[@]}"
tap_is "$(jq -r '[.trace.steps[] | select(.hook == "POSTROUTING") | .match] | join(" ")' <<<"$RUN_OUT") $(jq -r .trace.translated.src <<<"$RUN_OUT")" \
	"yes yes yes 198.51.100.1" "trace: the mark is known: the jump, MARK and MASQUERADE certain (RETURN not met), eth1's address"
natc_argv --explain --json --packet "tcp 192.0.2.2:40000 -> 10.96.0.10:90 in eth0 mark 0x4000"
run_cap "$TNS" "${ARGV[@]}"
tap_is "$(jq -r .trace.translated.src <<<"$RUN_OUT")" 198.51.100.1 \
	"trace: --packet '... mark 0x4000': a packet marked before the nat table is masqueraded"

# the text form of a trace
natc_argv --explain --packet "tcp $C:40000 -> $R:80 in eth0"
run_cap "$RNS" "${ARGV[@]}"
grep -q "^  translated  tcp $R:40000 -> $S:80\$" <<<"$RUN_OUT" &&
	grep -q "^  routing: $S goes out through eth0 (on that link): forwarded\$" <<<"$RUN_OUT"
tap_ok $? "trace: text form shows the route and the translated tuple" "$RUN_OUT"

done_testing
