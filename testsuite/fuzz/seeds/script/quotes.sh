A='a b' B="x $A" C=\$D
iptables -t nat -A PREROUTING -m comment --comment "$B ${A}" -j ACCEPT
for c in PREROUTING OUTPUT; do for p in tcp udp; do
iptables -t nat -I $c -p $p -j RETURN; done; done
