#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# packets6.t - real TCP over IPv6 through a router whose NAT66 rules were
# written by natc6, in throwaway network namespaces (testsuite/netlab.sh
# with LAB_IPV6=1).  As in packets.t, every check looks at what the server
# saw and at the kernel's conntrack entry, and every "works" check has a
# "does not work" counterpart, so a natc6 that programs nothing fails.
#
#   C 2001:db8:1::2 --br0-- R eth0 2001:db8:1::1
#                           R eth1 2001:db8:2::1 --br1-- S 2001:db8:2::2
#   C routes 2001:db8:2::/64 via R; S has no route back to C's subnet.
#
#   (a) DNAT on R to S: without MASQUERADE S cannot answer (timeout);
#       with MASQUERADE -o eth1 S sees R's eth1 address, and R's
#       conntrack entry holds both translations
#   (b) SNAT to R's eth1 address with a port range instead of MASQUERADE
#   (c) REDIRECT in PREROUTING to a port of R's own
#
# Environment: NATC6 (default: natc6 beside natc); NATC6=ip6tables-nft
# checks the test itself against ip6tables.

NATC=${NATC6:-$(cd "$(dirname "$0")/.." && pwd)/natc6}
LAB_IPV6=1
# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=testsuite/netlab.sh
. "$TESTSUITE_DIR/netlab.sh"

lab_start

# ct HOST REGEX NAME: the conntrack entry of the last client call (by its
# source port) must match REGEX (lab_ct's line format).
ct() {
	local h=$1 rx=$2 name=$3 e
	e=$(lab_ct "$h" -f ipv6 -p tcp --orig-port-src "$LAB_SPORT")
	if [[ -n $e && $(wc -l <<<"$e") -eq 1 && $e =~ $rx ]]; then
		tap_pass "$name"
	else
		tap_fail "$name" "expected one entry matching: $rx" "got: ${e:-(none)}" \
			"all entries:" "$(lab_ct_raw "$h" -f ipv6)"
	fi
}

C=2001:db8:1::2 R0=2001:db8:1::1 R1=2001:db8:2::1 S=2001:db8:2::2

if ! { lab_switch sw br0 br1 &&
	lab_host r && lab_attach r eth0 sw br0 $R0/64 && lab_attach r eth1 sw br1 $R1/64 &&
	lab_host c && lab_attach c eth0 sw br0 $C/64 && lab_route c 2001:db8:2::/64 $R0 &&
	lab_host s && lab_attach s eth0 sw br1 $S/64 && lab_forwarding r; }; then
	bail_out "cannot build the lab"
fi
lab_tcp_server s 8080 || bail_out "no TCP server in s"

# ------------------------------------------------------------------ (a) --

lab_tcp_client r $S 8080
saw peer "$(lab_addr6_full $R1)" "$LAB_SPORT" "control: R reaches S, S sees R's eth1 address"
lab_tcp_client c $R0 80
expect refused "control: nothing listens on R port 80"

nat r -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination "[$S]:8080"
lab_tcp_client c $R0 80
expect timeout "a: DNAT alone: S has no route back to C, C -> [R]:80 times out"

nat r -A POSTROUTING -o eth1 -j MASQUERADE
lab_tcp_client c $R0 80
expect ok "a: DNAT + MASQUERADE: C -> [R]:80 answered"
saw peer "$(lab_addr6_full $R1)" '[0-9]+' "a: S sees R's eth1 address as the peer"
saw local "$(lab_addr6_full $S)" 8080 "a: S was reached on port 8080"
ct r "^tcp orig=$(re $C):$LAB_SPORT>$(re $R0):80 reply=$(re $S):8080>$(re $R1):[0-9]+ " \
	"a: R's conntrack entry: C -> R:80 translated to R1 -> S:8080"

nat r -D POSTROUTING -o eth1 -j MASQUERADE
lab_ct_flush r
lab_tcp_client c $R0 80
expect timeout "a: MASQUERADE deleted (-D by specification): times out again"

# ------------------------------------------------------------------ (b) --

nat r -A POSTROUTING -o eth1 -p tcp -j SNAT --to-source "[$R1]:20000-20099"
lab_ct_flush r
lab_tcp_client c $R0 80
expect ok "b: DNAT + SNAT to [R1]:20000-20099: answered"
saw peer "$(lab_addr6_full $R1)" '200[0-9][0-9]' "b: S sees R1 and a port in 20000-20099"
ct r "^tcp orig=$(re $C):$LAB_SPORT>$(re $R0):80 reply=$(re $S):8080>$(re $R1):200[0-9][0-9] " \
	"b: R's conntrack entry: SNAT to a port in the range"

nat r -F POSTROUTING
lab_ct_flush r
lab_tcp_client c $R0 80
expect timeout "b: POSTROUTING flushed: times out again"

# ------------------------------------------------------------------ (c) --
# REDIRECT in PREROUTING: C's connection to S:81 is taken by R itself, on
# the address of the interface it came in by.

lab_tcp_server r 8081 || bail_out "no TCP server in r"
lab_tcp_client c $S 81
expect timeout "c: control: C -> [S]:81 times out (S has no route back to C)"

nat r -A PREROUTING -i eth0 -d $S -p tcp --dport 81 -j REDIRECT --to-ports 8081
lab_tcp_client c $S 81
expect ok "c: REDIRECT: C -> [S]:81 answered by R"
saw local "$(lab_addr6_full $R0)" 8081 "c: R's server was reached on its eth0 address, port 8081"
saw peer "$(lab_addr6_full $C)" "$LAB_SPORT" "c: R's server sees C itself"

done_testing
