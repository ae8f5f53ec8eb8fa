#!/bin/bash
# Port forwards of a small gateway, with nested loops and ${VAR} forms.
IPTABLES="iptables"
EXT=eth1
for host in 10 11; do
	for proto in tcp udp; do
		${IPTABLES} -t nat -A PREROUTING -i ${EXT} -p $proto \
			--dport 22${host} -j DNAT --to-destination 192.0.2.${host}:22
	done
done
/usr/sbin/iptables -t nat -A POSTROUTING -o ${EXT} -j SNAT --to-source 203.0.113.1 --random
# the filter table is not natc's: reported, kept as a comment
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
echo "gateway rules loaded"
