#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# packets-balance.t - kube-proxy's and Docker's matches on real TCP, in
# throwaway network namespaces (testsuite/netlab.sh).  One link: client C,
# router R, server S with three "backends" (TCP ports 81, 82, 83).  R's
# rules are written by natc:
#
#   PREROUTING -p tcp -m addrtype --dst-type LOCAL -j SVC  (Docker's test)
#   SVC: -m statistic --mode random --probability 0.33333333349 -> :81
#        -m statistic --mode random --probability 0.50000000000 -> :82
#        everything else                                        -> :83
#   (kube-proxy's three-endpoint split), and for port 90 an nth split
#   (every 3rd, then every 2nd of the rest, then the rest), which must give
#   :81 :82 :83 :81 :82 :83 ... in order: the first packet of a connection
#   is the only one the nat table sees.
#
# Checks: before the rules nothing answers on R:80; 36 connections spread
# over all three backends (a backend is missed with probability
# 3 * (2/3)^36, about 1.4e-6); a destination that is not R's own address
# is not load balanced (addrtype); the nth split is exact.  Also on R:
# port 91 DNATs with -m limit --limit 1/min --limit-burst 2 (two
# connections in a row pass, the third is refused by R itself), port 92
# only for C's connections (-m conntrack --ctorigsrc C --ctproto tcp
# --ctorigdstport 92 --ctstate NEW --ctdir ORIGINAL; S, another client,
# is refused).
# Run with NATC=iptables-nft to check the test itself against iptables
# (xt_statistic and xt_addrtype instead of natc's native expressions).

. "$(dirname "$0")/lib.sh"
. "$TESTSUITE_DIR/netlab.sh"

lab_start

R=192.0.2.1 S=192.0.2.3
lab_one_link lb || bail_out "cannot build the lab"
for p in 81 82 83; do
	lab_tcp_server lb-s $p || bail_out "no TCP server on lb-s:$p"
done

lab_tcp_client lb-c $R 80
tap_is "$LAB_RESULT" refused "before any rule, C -> R:80 is refused"

nat lb-r -t nat -N SVC
nat lb-r -t nat -N SEP-A
nat lb-r -t nat -N SEP-B
nat lb-r -t nat -N SEP-C
nat lb-r -t nat -A PREROUTING -p tcp -m addrtype --dst-type LOCAL -j SVC
nat lb-r -t nat -A SVC -p tcp --dport 80 -m statistic --mode random --probability 0.33333333349 -j SEP-A
nat lb-r -t nat -A SVC -p tcp --dport 80 -m statistic --mode random --probability 0.50000000000 -j SEP-B
nat lb-r -t nat -A SVC -p tcp --dport 80 -j SEP-C
nat lb-r -t nat -A SVC -p tcp --dport 90 -m statistic --mode nth --every 3 --packet 0 -j SEP-A
nat lb-r -t nat -A SVC -p tcp --dport 90 -m statistic --mode nth --every 2 --packet 0 -j SEP-B
nat lb-r -t nat -A SVC -p tcp --dport 90 -j SEP-C
nat lb-r -t nat -A SEP-A -p tcp -j DNAT --to-destination $S:81
nat lb-r -t nat -A SEP-B -p tcp -j DNAT --to-destination $S:82
nat lb-r -t nat -A SEP-C -p tcp -j DNAT --to-destination $S:83
nat lb-r -t nat -A POSTROUTING -o eth0 -j MASQUERADE
nat lb-r -t nat -A PREROUTING -p tcp --dport 91 -m limit --limit 1/min --limit-burst 2 -j DNAT --to-destination $S:81
nat lb-r -t nat -A PREROUTING -p tcp --dport 92 -m conntrack --ctorigsrc 192.0.2.2 --ctproto tcp --ctorigdstport 92 --ctstate NEW --ctdir ORIGINAL -j DNAT --to-destination $S:82

# the listing shows kube-proxy's lines as iptables-nft prints them
natc_argv -t nat -S SVC
run_cap "$(lab_ns lb-r)" "${ARGV[@]}"
tap_is "$(grep -c -e '--probability 0.33333333349 -j SEP-A$' -e '--probability 0.50000000000 -j SEP-B$' <<<"$RUN_OUT")" 2 \
	"-S SVC prints kube-proxy's probabilities as written"

declare -A hits=([81]=0 [82]=0 [83]=0)
fails=0
for ((i = 0; i < 36; i++)); do
	lab_tcp_client lb-c $R 80
	port=$(lab_reply_field local PORT) || port=
	if [[ $LAB_RESULT == ok && -n ${hits[$port]+x} ]]; then
		hits[$port]=$((hits[$port] + 1))
	else
		fails=$((fails + 1))
	fi
done
tap_is "$fails" 0 "36 connections to R:80 all reach a backend"
for p in 81 82 83; do
	tap_ok "$([ "${hits[$p]}" -gt 0 ]; echo $?)" \
		"backend :$p got some of the 36 connections (${hits[81]}/${hits[82]}/${hits[83]})"
done

# addrtype: S's own address is not R's, so R does not balance it (the
# connection reaches S:80 directly, where nothing listens)
lab_route lb-c 203.0.113.1/32 $R || bail_out "cannot add a route on C"
lab_exec lb-s ip addr add 203.0.113.1/32 dev lo || bail_out "cannot add an address on S"
lab_route lb-r 203.0.113.1/32 $S || bail_out "cannot add a route on R"
lab_tcp_client lb-c 203.0.113.1 80
tap_is "$LAB_RESULT" refused "a destination R does not own is not DNATed (addrtype LOCAL)"

seq=''
for ((i = 0; i < 6; i++)); do
	lab_tcp_client lb-c $R 90
	seq+="$(lab_reply_field local PORT || echo x) "
done
tap_is "$seq" "81 82 83 81 82 83 " "nth split of connections to R:90 is round robin"

lab_tcp_client lb-c $R 91
tap_is "$LAB_RESULT" ok "limit: 1st connection to R:91 passes (burst 2)"
lab_tcp_client lb-c $R 91
tap_is "$LAB_RESULT" ok "limit: 2nd connection to R:91 passes (burst 2)"
lab_tcp_client lb-c $R 91
tap_is "$LAB_RESULT" refused "limit: 3rd connection to R:91 in the same minute is not DNATed"

lab_tcp_client lb-c $R 92
tap_is "$LAB_RESULT $(lab_reply_field local PORT)" "ok 82" \
	"conntrack: C's connection to R:92 is DNATed to :82"
lab_tcp_client lb-s $R 92
tap_is "$LAB_RESULT" refused "conntrack: S's connection to R:92 is not (--ctorigsrc)"

done_testing
