#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# packets-targets.t - real TCP through a router whose NETMAP, MARK and
# CONNMARK rules natc wrote, in throwaway namespaces (testsuite/netlab.sh).
# Each "works" check has a "does not work" counterpart.
#
#   (n) NETMAP: C reaches S through a virtual network (destination mapped
#       in PREROUTING); S answers only once C's source is mapped too
#       (POSTROUTING); conntrack in R shows both translations
#   (m) MARK is not a verdict: a DNAT after it still applies; the mark it
#       set is copied to the connection by CONNMARK --save-mark and seen
#       in conntrack
#   (k) kube-proxy's mark-based masquerade: KUBE-MARK-MASQ marks with
#       MARK --or-mark 0x4000, KUBE-POSTROUTING masquerades only what
#       carries the mark (-m mark ! --mark 0x4000/0x4000 -j RETURN, MARK
#       --xor-mark, MASQUERADE --random-fully): a DNATed flow to a backend
#       on the client's own link works only when marked, as conntrack shows
#   (s) DNAT's shifted port map (--to-destination S:8000-8100/3000): a
#       connection to R:3005 reaches S:8005 (natc sends the xt DNAT
#       target: the native nat expression has no port base)
#
# Run with NATC=iptables-nft to check the test itself against iptables.

. "$(dirname "$0")/lib.sh"
. "$TESTSUITE_DIR/netlab.sh"

lab_start

# ct HOST REGEX NAME: the TCP conntrack entry of the last client call.
ct() {
	CT=$(lab_ct "$1" -p tcp --orig-port-src "$LAB_SPORT")
	if [[ -n $CT && $(wc -l <<<"$CT") -eq 1 && $CT =~ $2 ]]; then
		tap_pass "$3"
	else
		tap_fail "$3" "expected one entry matching: $2" "${CT:-(none)}" \
			"all entries:" "$(lab_ct_raw "$1")"
	fi
}

# ctmark HOST MARK NAME: the connection mark of the last client call.
ctmark() {
	local raw
	raw=$(lab_ct_raw "$1" -p tcp --orig-port-src "$LAB_SPORT")
	if [[ $(wc -l <<<"$raw") -eq 1 && $raw =~ (^| )mark=$2( |$) ]]; then
		tap_pass "$3"
	else
		tap_fail "$3" "expected mark=$2" "${raw:-(none)}"
	fi
}

# ------------------------------------------------------------------ (n) --
# C 192.0.2.2 -- R -- S 198.51.100.2.  C knows S's network only as
# 203.0.113.0/25 (routed to R); S knows C's only as 203.0.113.128/25
# (routed to R).  NETMAP keeps the host part: S is 203.0.113.2 to C, C is
# 203.0.113.130 to S.

C=192.0.2.2 S=198.51.100.2 VS=203.0.113.2 VC=203.0.113.130
lab_two_links n || bail_out "cannot build lab n"
lab_route n-c 203.0.113.0/25 192.0.2.1 || bail_out "route in n-c"
lab_route n-s 203.0.113.128/25 198.51.100.1 || bail_out "route in n-s"
lab_tcp_server n-s 80 || bail_out "no TCP server in n-s"

lab_tcp_client n-c $VS 80
if [ "$LAB_RESULT" != ok ]; then
	tap_pass "n: no NETMAP: $VS is nowhere ($LAB_RESULT)"
else
	tap_fail "n: no NETMAP: $VS is nowhere" "server said: $LAB_REPLY"
fi

nat n-r -t nat -A PREROUTING -d 203.0.113.0/25 -j NETMAP --to 198.51.100.0/25

lab_tcp_client n-c $VS 80
expect timeout "n: destination NETMAP alone: S gets C's SYN but cannot answer C"
ct n-r "^tcp orig=$(re "$C:$LAB_SPORT>$VS:80") reply=$(re "$S:80>$C:$LAB_SPORT") state=SYN_SENT flags=UNREPLIED$" \
	"n: destination NETMAP: conntrack in R: $VS mapped to $S (host part kept)"

nat n-r -t nat -A POSTROUTING -s 192.0.2.0/25 -o eth1 -j NETMAP --to 203.0.113.128/25

lab_tcp_client n-c $VS 80
expect ok "n: + source NETMAP: TCP C -> $VS:80 connects"
saw peer $VC '[0-9]+' "n: + source NETMAP: S sees C as $VC"
saw local $S 80 "n: + source NETMAP: S answered on $S:80"
ct n-r "^tcp orig=$(re "$C:$LAB_SPORT>$VS:80") reply=$(re "$S:80>$VC:")[0-9]+ state=[A-Z_]+ flags=ASSURED$" \
	"n: both NETMAPs: conntrack in R: destination and source mapped"

natc_argv -t nat -S
run_cap "$(lab_ns n-r)" "${ARGV[@]}"
want='-A PREROUTING -d 203.0.113.0/25 -j NETMAP --to 198.51.100.0/25
-A POSTROUTING -s 192.0.2.0/25 -o eth1 -j NETMAP --to 203.0.113.128/25'
tap_is "$(grep '^-A' <<<"$RUN_OUT")" "$want" "n: -S lists both NETMAP rules as written"

# ------------------------------------------------------------------ (m) --
# One link: C 192.0.2.2, R 192.0.2.1, S 192.0.2.3; DNAT C -> R:80 to S
# and MASQUERADE, so that S answers through R.

C=192.0.2.2 R=192.0.2.1 S=192.0.2.3
lab_one_link m || bail_out "cannot build lab m"
lab_tcp_server m-s 80 || bail_out "no TCP server in m-s"

nat m-r -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination $S:80
nat m-r -t nat -A POSTROUTING -j CONNMARK --save-mark
nat m-r -t nat -A POSTROUTING -j MASQUERADE

lab_tcp_client m-c $R 80
expect ok "m: DNAT + MASQUERADE, no MARK: connects"
ctmark m-r 0 "m: no MARK: the connection mark is 0"

nat m-r -t nat -I PREROUTING 1 -p tcp --dport 80 -j MARK --or-mark 0x4000
nat m-r -t nat -I PREROUTING 1 -p tcp --dport 80 -j MARK --set-mark 0x1

lab_tcp_client m-c $R 80
expect ok "m: MARK rules before the DNAT: the DNAT still applies (MARK is no verdict)"
saw local $S 80 "m: MARK then DNAT: S answered"
ct m-r "^tcp orig=$(re "$C:$LAB_SPORT>$R:80") reply=$(re "$S:80>$R:")[0-9]+ state=[A-Z_]+ flags=ASSURED$" \
	"m: MARK then DNAT: conntrack in R: DNATed and masqueraded"
ctmark m-r 16385 "m: --set-mark 0x1 then --or-mark 0x4000, saved by CONNMARK: mark=0x4001"

nat m-r -t nat -R PREROUTING 1 -p tcp --dport 80 -j MARK --set-xmark 0x4003/0x0
lab_tcp_client m-c $R 80
expect ok "m: --set-xmark 0x4003/0x0 (xor) then --or-mark: connects"
ctmark m-r 16387 "m: xor 0x4003 then or 0x4000: mark=0x4003"

nat m-r -t nat -I POSTROUTING 2 -j CONNMARK --and-mark 0xff
nat m-r -t nat -I POSTROUTING 3 -j CONNMARK --or-mark 0x20
lab_tcp_client m-c $R 80
expect ok "m: CONNMARK --and-mark and --or-mark after the save: connects"
ctmark m-r 35 "m: saved 0x4003, and 0xff, or 0x20: connection mark=0x23"

# ------------------------------------------------------------------ (k) --
# One link again: C 192.0.2.2, R 192.0.2.1, S 192.0.2.3.  R's service on
# ports 80 (marked for masquerade) and 81 (not marked) DNATs to S:80.
# Without masquerade S answers C directly and C drops the reply.

lab_one_link k || bail_out "cannot build lab k"
lab_tcp_server k-s 80 || bail_out "no TCP server in k-s"

nat k-r -t nat -N KUBE-MARK-MASQ
nat k-r -t nat -N KUBE-POSTROUTING
nat k-r -t nat -N KUBE-SVC-TEST
nat k-r -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
nat k-r -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
nat k-r -t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
nat k-r -t nat -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
nat k-r -t nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
nat k-r -t nat -A KUBE-SVC-TEST -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ
nat k-r -t nat -A KUBE-SVC-TEST -p tcp -m tcp -j DNAT --to-destination $S:80
nat k-r -t nat -A PREROUTING -p tcp -m tcp --dport 80 -j KUBE-SVC-TEST
nat k-r -t nat -A PREROUTING -p tcp -m tcp --dport 81 -j KUBE-SVC-TEST

lab_tcp_client k-c $R 81
expect timeout "k: port 81 is DNATed but not marked: not masqueraded, S answers C directly, no connection"
ct k-r "^tcp orig=$(re "$C:$LAB_SPORT>$R:81") reply=$(re "$S:80>$C:$LAB_SPORT") state=SYN_SENT flags=UNREPLIED$" \
	"k: unmarked: conntrack in R: destination translated, source kept"

lab_tcp_client k-c $R 80
expect ok "k: port 80 is marked by KUBE-MARK-MASQ: masqueraded, connects"
saw peer $R '[0-9]+' "k: marked: S sees R as the client"
ct k-r "^tcp orig=$(re "$C:$LAB_SPORT>$R:80") reply=$(re "$S:80>$R:")[0-9]+ state=[A-Z_]+ flags=ASSURED$" \
	"k: marked: conntrack in R: DNATed to S and masqueraded to R"

nat k-r -t nat -R KUBE-POSTROUTING 1 -m mark ! --mark 0x8000/0x8000 -j RETURN
lab_tcp_client k-c $R 80
expect timeout "k: KUBE-POSTROUTING waiting for another mark bit: port 80 no longer masqueraded"

# ------------------------------------------------------------------ (s) --
# One link: C 192.0.2.2, R 192.0.2.1, S 192.0.2.3 listening on 8005 and
# 8042; R maps its ports 3000-3100 onto S's 8000-8100, shifted.

lab_one_link s || bail_out "cannot build lab s"
lab_tcp_server s-s 8005 || bail_out "no TCP server in s-s"
lab_tcp_server s-s 8042 || bail_out "no TCP server on 8042 in s-s"
nat s-r -t nat -A PREROUTING -p tcp -m tcp --dport 3000:3100 -j DNAT --to-destination $S:8000-8100/3000
nat s-r -t nat -A POSTROUTING -j MASQUERADE

for p in 3005 3042; do
	lab_tcp_client s-c $R $p
	expect ok "s: TCP C -> R:$p connects through the shifted port map"
	saw local $S $((p + 5000)) "s: R:$p reached S:$((p + 5000))"
done
natc_argv -t nat -S PREROUTING
run_cap "$(lab_ns s-r)" "${ARGV[@]}"
tap_is "$(grep '^-A' <<<"$RUN_OUT")" "-A PREROUTING -p tcp -m tcp --dport 3000:3100 -j DNAT --to-destination $S:8000-8100/3000" \
	"s: -S lists the shifted port map as written"

done_testing
