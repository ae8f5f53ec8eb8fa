#!/bin/sh
IPT="/sbin/iptables -w"
WAN=eth0 LAN=${LAN:-eth1}
for port in 80 443 \
	8080; do
	$IPT -t nat -A PREROUTING -i $WAN -p tcp --dport $port -j DNAT --to-destination "10.0.0.2:$port"
done
${IPT} -t nat -A POSTROUTING -o "$WAN" -j MASQUERADE # masquerade
