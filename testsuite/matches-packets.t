#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# matches-packets.t - the matches of ir/ext/ (comment, mark, tcp flags,
# multiport, iprange, pkttype, ttl, length, icmp-free TCP, owner) tested
# with real TCP through a router whose DNAT rules natc wrote (one link:
# C -> R, R DNATs to S and masquerades).  Each match has a rule that must
# let the connection reach S and one that must not (it times out, as
# nothing listens on R itself), so a natc that drops a test fails.
#
# Run with NATC=iptables-nft to check the test itself against iptables.

. "$(dirname "$0")/lib.sh"
. "$TESTSUITE_DIR/netlab.sh"

lab_start

# reach PORT RESULT NAME: C connects to R:PORT; RESULT ok means S answered
# on its port 80; refused means R itself answered (no DNAT: nothing
# listens on R).
reach() {
	lab_tcp_client m-c $R "$1"
	if [ "$LAB_RESULT" = "$2" ] &&
		{ [ "$2" != ok ] || [[ $LAB_REPLY =~ (^| )local=$S:80( |$) ]]; }; then
		tap_pass "$3"
	else
		tap_fail "$3" "expected: $2" "got: $LAB_RESULT (server said: ${LAB_REPLY:-nothing})"
	fi
}

C=192.0.2.2 R=192.0.2.1 S=192.0.2.3

lab_one_link m || bail_out "cannot build the lab"
lab_tcp_server m-s 80 || bail_out "no TCP server in m-s"

nat m-r -t nat -A POSTROUTING -j MASQUERADE
d="-j DNAT --to-destination $S:80"

# multiport: a set with a range
nat m-r -t nat -A PREROUTING -p tcp -m multiport --dports 8080,9000:9010 $d
reach 8080 ok "multiport: 8080 is in the set"
reach 9005 ok "multiport: 9005 is in the range"
reach 8081 refused "multiport: 8081 is not"
nat m-r -t nat -A PREROUTING -p tcp -m multiport ! --dports 1:9019 $d
reach 9020 ok "multiport: ! --dports 1:9019 takes 9020"

# iprange
nat m-r -t nat -A PREROUTING -p tcp --dport 7000 -m iprange --src-range 192.0.2.2-192.0.2.2 $d
reach 7000 ok "iprange: C is in 192.0.2.2-192.0.2.2"
nat m-r -t nat -A PREROUTING -p tcp --dport 7001 -m iprange ! --src-range 192.0.2.1-192.0.2.9 $d
reach 7001 refused "iprange: C is not outside 192.0.2.1-192.0.2.9"

# kube-proxy's shape: comment before the port, an empty -m tcp in a chain
nat m-r -t nat -N KUBE-SVC
nat m-r -t nat -A KUBE-SVC -p tcp -m comment --comment "default/svc" -m tcp $d
nat m-r -t nat -A PREROUTING -d $R/32 -p tcp -m comment --comment "default/svc cluster IP" -m tcp --dport 6000 -j KUBE-SVC
reach 6000 ok "comment and -m tcp: kube-proxy's service rule"

# tcp flags: NAT sees the first packet of a connection, a SYN
nat m-r -t nat -A PREROUTING -p tcp --dport 6001 --syn $d
reach 6001 ok "--syn: the first packet is a SYN"
nat m-r -t nat -A PREROUTING -p tcp --dport 6002 ! --syn $d
reach 6002 refused "! --syn: the first packet is a SYN"
nat m-r -t nat -A PREROUTING -p tcp --dport 6003 --tcp-flags SYN,ACK ACK $d
reach 6003 refused "--tcp-flags SYN,ACK ACK: not a SYN"

# mark: packets arrive unmarked
nat m-r -t nat -A PREROUTING -p tcp --dport 6004 -m mark --mark 0 $d
reach 6004 ok "mark 0"
nat m-r -t nat -A PREROUTING -p tcp --dport 6005 -m mark --mark 0x1/0x1 $d
reach 6005 refused "mark 0x1/0x1"

# length: a SYN is well under 100 bytes
nat m-r -t nat -A PREROUTING -p tcp --dport 6006 -m length --length 40:100 $d
reach 6006 ok "length 40:100"
nat m-r -t nat -A PREROUTING -p tcp --dport 6007 -m length ! --length 40:100 $d
reach 6007 refused "length ! 40:100"

# ttl: C sends with 64
nat m-r -t nat -A PREROUTING -p tcp --dport 6008 -m ttl --ttl-gt 10 $d
reach 6008 ok "ttl > 10"
nat m-r -t nat -A PREROUTING -p tcp --dport 6009 -m ttl --ttl-lt 10 $d
reach 6009 refused "ttl < 10"

# pkttype
nat m-r -t nat -A PREROUTING -p tcp --dport 6010 -m pkttype --pkt-type unicast $d
reach 6010 ok "pkttype unicast"
nat m-r -t nat -A PREROUTING -p tcp --dport 6011 -m pkttype --pkt-type broadcast $d
reach 6011 refused "pkttype broadcast"

# owner, in C's OUTPUT: the client runs as root
nat m-c -t nat -A OUTPUT -p tcp -d $R --dport 6012 -m owner --uid-owner 0 $d
reach 6012 ok "owner: uid 0 in C's OUTPUT"
nat m-c -t nat -A OUTPUT -p tcp -d $R --dport 6013 -m owner ! --uid-owner 0-10 $d
reach 6013 refused "owner: ! uid 0-10 in C's OUTPUT"

done_testing
