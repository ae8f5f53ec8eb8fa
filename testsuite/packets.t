#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# packets.t - real TCP and UDP through routers and hosts whose NAT rules
# were written by natc, in throwaway network namespaces (testsuite/netlab.sh).
# Every check looks at what the peer saw (the server answers with the
# addresses its socket sees) and, where it means something, at the kernel's
# conntrack entry (original and reply tuples).  Every "works" check has a
# "does not work" counterpart, so a natc that programs nothing fails.
#
#   (a) DNAT alone on one link times out; + MASQUERADE works; -o IFACE
#   (b) SNAT between two subnets, to an address and to a port range
#   (c) REDIRECT in PREROUTING and in OUTPUT (loopback and own address)
#   (d) DNAT to another port and to a port range, TCP and UDP
#   (e) user chains: -j CHAIN, RETURN, falling off a chain's end, -D
#
# Run with NATC=iptables-nft to check the test itself against iptables.

. "$(dirname "$0")/lib.sh"
. "$TESTSUITE_DIR/netlab.sh"

lab_start

# -------------------------------------------------------------- helpers --

# field peer|local ADDR|PORT: a part of the last server answer.
field() { lab_reply_field "$@"; }

# ct HOST PROTO REGEX NAME: the conntrack entry of the last client call
# (selected by protocol and the client's source port) must match REGEX
# (see lab_ct for the line format).  Sets CT to the entry.
ct() {
	local h=$1 proto=$2 rx=$3 name=$4
	CT=$(lab_ct "$h" -p "$proto" --orig-port-src "$LAB_SPORT")
	if [[ -n $CT && $(wc -l <<<"$CT") -eq 1 && $CT =~ $rx ]]; then
		tap_pass "$name"
	else
		tap_fail "$name" "expected one entry matching: $rx" \
			"conntrack -L -p $proto --orig-port-src $LAB_SPORT in $h:" "${CT:-(none)}" \
			"all entries:" "$(lab_ct_raw "$h")"
	fi
}

# in_range N LO HI NAME
in_range() {
	if [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; then
		tap_pass "$4"
	else
		tap_fail "$4" "expected a number in $2-$3, got '${1}'"
	fi
}

C=192.0.2.2 R=192.0.2.1 S=192.0.2.3

# ------------------------------------------------------------------ (a) --
# The classic question: one link, DNAT on R to S; S answers C directly.

lab_one_link a || bail_out "cannot build lab a"
lab_tcp_server a-s 80 || bail_out "no TCP server in a-s"
lab_udp_server a-s 53 || bail_out "no UDP server in a-s"

lab_tcp_client a-c $S 80
saw peer $C "$LAB_SPORT" "a: control: C reaches S directly, S sees C"

nat a-r -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $S:80
nat a-r -t nat -A PREROUTING -p udp --dport 53 -j DNAT --to-destination $S:53

rst0=$(lab_nstat a-c TcpOutRsts)
lab_tcp_client a-c $R 80
expect timeout "a: DNAT alone: TCP C -> R:80 times out"
sport=$LAB_SPORT
rsts=$(($(lab_nstat a-c TcpOutRsts) - rst0))
tap_ok "$([ "$rsts" -gt 0 ]; echo $?)" \
	"a: DNAT alone: S answered C directly, C reset it ($rsts TcpOutRsts)"
if lab_seen a-s tcp 80 | grep -q ":$sport "; then
	tap_fail "a: DNAT alone: S never accepted that connection" "$(lab_seen a-s tcp 80)"
else
	tap_pass "a: DNAT alone: S never accepted that connection"
fi
ct a-r tcp "^tcp orig=$(re "$C:$sport>$R:80") reply=$(re "$S:80>$C:$sport") state=SYN_SENT flags=UNREPLIED$" \
	"a: DNAT alone: conntrack in R: rewritten to S, reply never came back through R"

lab_udp_client a-c $R 53
expect timeout "a: DNAT alone: UDP C -> R:53 gets no answer"
ct a-r udp "^udp orig=$(re "$C:$LAB_SPORT>$R:53") reply=$(re "$S:53>$C:$LAB_SPORT") state=- flags=UNREPLIED$" \
	"a: DNAT alone: conntrack in R: UDP unreplied"

nat a-r -t nat -A POSTROUTING -j MASQUERADE

lab_tcp_client a-c $R 80
expect ok "a: + MASQUERADE: TCP C -> R:80 connects"
saw peer $R '[0-9]+' "a: + MASQUERADE: S sees R's address"
saw local $S 80 "a: + MASQUERADE: S answered on its port 80"
ct a-r tcp "^tcp orig=$(re "$C:$LAB_SPORT>$R:80") reply=$(re "$S:80>$R:$(field peer PORT)") state=[A-Z_]+ flags=ASSURED$" \
	"a: + MASQUERADE: conntrack in R: reply from S to R, assured"

lab_udp_client a-c $R 53
expect ok "a: + MASQUERADE: UDP C -> R:53 answered"
saw peer $R '[0-9]+' "a: + MASQUERADE: S sees UDP from R's address"
ct a-r udp "^udp orig=$(re "$C:$LAB_SPORT>$R:53") reply=$(re "$S:53>$R:$(field peer PORT)") " \
	"a: + MASQUERADE: conntrack in R: UDP reply from S to R"

nat a-r -t nat -F POSTROUTING
nat a-r -t nat -A POSTROUTING -o eth9 -j MASQUERADE
lab_tcp_client a-c $R 80
expect timeout "a: -o eth9 (not R's interface) MASQUERADE: times out again"

nat a-r -t nat -F POSTROUTING
nat a-r -t nat -A POSTROUTING -o eth0 -j MASQUERADE
lab_tcp_client a-c $R 80
expect ok "a: -o eth0 MASQUERADE: TCP C -> R:80 connects"
saw peer $R '[0-9]+' "a: -o eth0 MASQUERADE: S sees R's address"
ct a-r tcp "^tcp orig=$(re "$C:$LAB_SPORT>$R:80") reply=$(re "$S:80>$R:")[0-9]+ " \
	"a: -o eth0 MASQUERADE: conntrack in R"

natc_argv -t nat -S POSTROUTING
run_cap "$(lab_ns a-r)" "${ARGV[@]}"
rules=$(grep -c '^-A POSTROUTING' <<<"$RUN_OUT")
if [ "$RUN_RC" -eq 0 ] && [ "$rules" -eq 1 ] &&
	grep -qE '^-A POSTROUTING -o eth0 -j MASQUERADE$' <<<"$RUN_OUT"; then
	tap_pass "a: natc -S POSTROUTING lists just the -o eth0 rule"
else
	tap_fail "a: natc -S POSTROUTING lists just the -o eth0 rule" "$RUN_OUT" "$RUN_ERR"
fi

# ------------------------------------------------------------------ (b) --
# SNAT on a router between 192.0.2.0/24 (C) and 198.51.100.0/24 (S).
# S has no route back to C's subnet: without SNAT it cannot answer.

S2=198.51.100.2 RA=192.0.2.1 RB=198.51.100.1 X=198.51.100.10
lab_two_links b || bail_out "cannot build lab b"
ip -n "$(lab_ns b-r)" addr add $X/24 dev eth1
lab_tcp_server b-s 80 || bail_out "no TCP server in b-s"
lab_udp_server b-s 53 || bail_out "no UDP server in b-s"

lab_tcp_client b-c $S2 80
expect timeout "b: no SNAT: S cannot answer C (no route back), times out"

nat b-r -t nat -A POSTROUTING -o eth1 -j SNAT --to-source $X

lab_tcp_client b-c $S2 80
expect ok "b: SNAT --to-source $X: TCP C -> S connects"
saw peer $X '[0-9]+' "b: SNAT: S sees $X (not R's primary $RB, not C)"
ct b-r tcp "^tcp orig=$(re "$C:$LAB_SPORT>$S2:80") reply=$(re "$S2:80>$X:$(field peer PORT)") state=[A-Z_]+ flags=ASSURED$" \
	"b: SNAT: conntrack in R: reply from S to $X"

lab_udp_client b-c $S2 53
expect ok "b: SNAT: UDP C -> S answered"
saw peer $X '[0-9]+' "b: SNAT: S sees UDP from $X"
ct b-r udp "^udp orig=$(re "$C:$LAB_SPORT>$S2:53") reply=$(re "$S2:53>$X:$(field peer PORT)") " \
	"b: SNAT: conntrack in R: UDP reply to $X"

nat b-r -t nat -F POSTROUTING
nat b-r -t nat -A POSTROUTING -o eth1 -p tcp -j SNAT --to-source $X:20000-20099
nat b-r -t nat -A POSTROUTING -o eth1 -p udp -j SNAT --to-source $X:20100-20199

for i in 1 2 3; do
	lab_tcp_client b-c $S2 80
	expect ok "b: SNAT to $X:20000-20099, TCP connection $i connects"
	saw peer $X '[0-9]+' "b: port range: S sees $X"
	port=$(field peer PORT)
	in_range "$port" 20000 20099 "b: port range: S sees source port $port, in 20000-20099 (client used $LAB_SPORT)"
	ct b-r tcp "^tcp orig=$(re "$C:$LAB_SPORT>$S2:80") reply=$(re "$S2:80>$X:$port") state=[A-Z_]+ flags=ASSURED$" \
		"b: port range: conntrack reply tuple is $S2:80 > $X:$port"
done

lab_udp_client b-c $S2 53
expect ok "b: SNAT to $X:20100-20199, UDP answered"
port=$(field peer PORT)
in_range "$port" 20100 20199 "b: port range: S sees UDP source port $port, in 20100-20199"
ct b-r udp "^udp orig=$(re "$C:$LAB_SPORT>$S2:53") reply=$(re "$S2:53>$X:$port") " \
	"b: port range: UDP conntrack reply tuple is $S2:53 > $X:$port"

# ------------------------------------------------------------------ (c) --
# REDIRECT on a host (S of a one-link lab), for traffic from the link in
# PREROUTING and for its own traffic in OUTPUT.

lab_one_link c || bail_out "cannot build lab c"
lab_tcp_server c-s 9090 || bail_out "no TCP server in c-s"
lab_udp_server c-s 5353 || bail_out "no UDP server in c-s"

lab_tcp_client c-c $S 8080
expect refused "c: before REDIRECT: C -> S:8080 is refused (nothing listens)"

nat c-s -t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 9090
nat c-s -t nat -A PREROUTING -p udp --dport 53 -j REDIRECT --to-ports 5353

lab_tcp_client c-c $S 8080
expect ok "c: REDIRECT: C -> S:8080 connects"
saw local $S 9090 "c: REDIRECT: the server on port 9090 answered"
saw peer $C "$LAB_SPORT" "c: REDIRECT: the server sees C itself"
ct c-s tcp "^tcp orig=$(re "$C:$LAB_SPORT>$S:8080") reply=$(re "$S:9090>$C:$LAB_SPORT") state=[A-Z_]+ flags=ASSURED$" \
	"c: REDIRECT: conntrack in S: reply from port 9090"

lab_udp_client c-c $S 53
expect ok "c: REDIRECT udp 53 -> 5353: answered"
saw local '*' 5353 "c: REDIRECT: the UDP server on port 5353 answered"
ct c-s udp "^udp orig=$(re "$C:$LAB_SPORT>$S:53") reply=$(re "$S:5353>$C:$LAB_SPORT") " \
	"c: REDIRECT: UDP conntrack in S: reply from port 5353"

lab_tcp_client c-s 127.0.0.1 8081
expect refused "c: before OUTPUT REDIRECT: S -> 127.0.0.1:8081 is refused"
lab_tcp_client c-s $S 8082
expect refused "c: before OUTPUT REDIRECT: S -> $S:8082 (own address) is refused"

nat c-s -t nat -A OUTPUT -p tcp -d 127.0.0.1 --dport 8081 -j REDIRECT --to-ports 9090
nat c-s -t nat -A OUTPUT -p tcp -d $S --dport 8082 -j REDIRECT --to-ports 9090

lab_tcp_client c-s 127.0.0.1 8081
expect ok "c: OUTPUT REDIRECT: S -> 127.0.0.1:8081 connects"
saw local 127.0.0.1 9090 "c: OUTPUT REDIRECT: answered on 127.0.0.1:9090"
ct c-s tcp "^tcp orig=$(re "127.0.0.1:$LAB_SPORT>127.0.0.1:8081") reply=$(re "127.0.0.1:9090>127.0.0.1:$LAB_SPORT") " \
	"c: OUTPUT REDIRECT: conntrack in S (loopback)"

lab_tcp_client c-s $S 8082
expect ok "c: OUTPUT REDIRECT: S -> own address $S:8082 connects"
saw local 127.0.0.1 9090 "c: OUTPUT REDIRECT: locally generated traffic goes to 127.0.0.1:9090"
ct c-s tcp "^tcp orig=$(re "$S:$LAB_SPORT>$S:8082") reply=$(re "127.0.0.1:9090>$S:$LAB_SPORT") " \
	"c: OUTPUT REDIRECT: conntrack in S (own address)"

lab_tcp_client c-c $S 8082
expect refused "c: OUTPUT REDIRECT does not apply to traffic from the link (C -> S:8082 refused)"

# ------------------------------------------------------------------ (d) --
# DNAT to another port and to a port range, two subnets, S routes back
# through R (no SNAT): S must see C's own address.

lab_two_links d || bail_out "cannot build lab d"
lab_route d-s 192.0.2.0/24 $RB
for p in 80 9000 9001; do
	lab_tcp_server d-s $p || bail_out "no TCP server on d-s:$p"
done
lab_udp_server d-s 5353 || bail_out "no UDP server in d-s"

lab_tcp_client d-c $RA 8080
expect refused "d: before DNAT: C -> R:8080 is refused"

nat d-r -t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination $S2:80
nat d-r -t nat -A PREROUTING -i eth0 -p tcp --dport 8000:8010 -j DNAT --to-destination $S2:9000-9001
nat d-r -t nat -A PREROUTING -i eth0 -p udp --dport 53 -j DNAT --to-destination $S2:5353

lab_tcp_client d-c $RA 8080
expect ok "d: DNAT R:8080 -> S:80: connects"
saw local $S2 80 "d: DNAT to another port: S answered on port 80"
saw peer $C "$LAB_SPORT" "d: DNAT only: S sees C's own address and port"
ct d-r tcp "^tcp orig=$(re "$C:$LAB_SPORT>$RA:8080") reply=$(re "$S2:80>$C:$LAB_SPORT") state=[A-Z_]+ flags=ASSURED$" \
	"d: DNAT to another port: conntrack in R"

for dport in 8000 8005 8010; do
	lab_tcp_client d-c $RA $dport
	expect ok "d: DNAT R:$dport (in 8000:8010) -> S:9000-9001: connects"
	port=$(field local PORT)
	in_range "$port" 9000 9001 "d: port range: answered on S port $port, in 9000-9001"
	ct d-r tcp "^tcp orig=$(re "$C:$LAB_SPORT>$RA:$dport") reply=$(re "$S2:$port>$C:$LAB_SPORT") state=[A-Z_]+ flags=ASSURED$" \
		"d: port range: conntrack reply tuple from $S2:$port"
done

lab_tcp_client d-c $RA 8011
expect refused "d: R:8011 (outside 8000:8010) is not forwarded (refused)"

lab_udp_client d-c $RA 53
expect ok "d: DNAT udp R:53 -> S:5353: answered"
saw peer $C "$LAB_SPORT" "d: UDP DNAT: S sees C"
ct d-r udp "^udp orig=$(re "$C:$LAB_SPORT>$RA:53") reply=$(re "$S2:5353>$C:$LAB_SPORT") " \
	"d: UDP DNAT: conntrack in R"

# ------------------------------------------------------------------ (e) --
# User chains: which rule applies.  Two clients, servers on S:80, 81, 82.
#   PREROUTING: -j OTHER (only matches 192.0.2.99 -> :82; falls off its end)
#               -j WEB   (RETURN for C; DNAT to :80 for everyone else)
#               DNAT to :81

C2=192.0.2.4
lab_one_link e || bail_out "cannot build lab e"
lab_host e-c2 && lab_attach e-c2 eth0 e-sw br0 $C2/24 || bail_out "cannot add e-c2"
for p in 80 81 82; do
	lab_tcp_server e-s $p || bail_out "no TCP server on e-s:$p"
done

nat e-r -t nat -N WEB
nat e-r -t nat -N OTHER
nat e-r -t nat -A PREROUTING -p tcp --dport 80 -j WEB
nat e-r -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $S:81
nat e-r -t nat -A WEB -s $C/32 -j RETURN
nat e-r -t nat -A WEB -p tcp -j DNAT --to-destination $S:80
nat e-r -t nat -A OTHER -s 192.0.2.99/32 -p tcp -j DNAT --to-destination $S:82
nat e-r -t nat -A POSTROUTING -o eth0 -j MASQUERADE

lab_tcp_client e-c $R 80
expect ok "e: C connects"
saw local $S 81 "e: C hits RETURN in WEB, the next PREROUTING rule sends it to :81"
ct e-r tcp "^tcp orig=$(re "$C:$LAB_SPORT>$R:80") reply=$(re "$S:81>$R:")[0-9]+ " \
	"e: conntrack in R: C's connection went to $S:81"

lab_tcp_client e-c2 $R 80
expect ok "e: C2 connects"
saw local $S 80 "e: C2 is DNATed by WEB's second rule to :80"
ct e-r tcp "^tcp orig=$(re "$C2:$LAB_SPORT>$R:80") reply=$(re "$S:80>$R:")[0-9]+ " \
	"e: conntrack in R: C2's connection went to $S:80"

nat e-r -t nat -I PREROUTING 1 -p tcp -j OTHER
lab_tcp_client e-c $R 80
saw local $S 81 "e: a chain whose rules do not match returns at its end (C still :81)"
lab_tcp_client e-c2 $R 80
saw local $S 80 "e: ... and C2 still :80"

nat e-r -t nat -D WEB -s $C/32 -j RETURN
lab_tcp_client e-c $R 80
saw local $S 80 "e: without the RETURN rule C is DNATed by WEB to :80"

nat e-r -t nat -A OTHER -s $C/32 -p tcp -j DNAT --to-destination $S:82
lab_tcp_client e-c $R 80
saw local $S 82 "e: a DNAT in the first jumped-to chain ends the traversal (:82)"
lab_tcp_client e-c2 $R 80
saw local $S 80 "e: ... C2 unaffected (:80)"

done_testing
