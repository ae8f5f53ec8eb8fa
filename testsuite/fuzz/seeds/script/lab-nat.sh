#!/bin/sh
# A legacy NAT script, as they were written for iptables: variables, a
# loop, continuations, comments, sudo, and shell natc-restore-translate
# cannot follow (it must report it, never run it).
IPT=/sbin/iptables
WAN="eth0"
LAN=192.0.2.0/24
WEB=198.51.100.7

# start from nothing
$IPT -t nat -F
$IPT -t nat -X

# the LAN goes out masqueraded
${IPT} -t nat -A POSTROUTING -o $WAN -s $LAN \
	-j MASQUERADE

# web ports to the server
for port in 80 443 8080; do
	$IPT -t nat -A PREROUTING -i "$WAN" -p tcp --dport $port \
		-j DNAT --to-destination $WEB:$port
done
# DNS stays local, everything else UDP goes to the server
sudo iptables -t nat -N UDPFWD
iptables -t nat -A UDPFWD -p udp ! --dport 53 -j DNAT --to-destination $WEB
iptables -t nat -A PREROUTING -i $WAN -j UDPFWD

# not followed: a conditional (false when run, so both agree)
if [ -n "$NATC_NEVER_SET" ]; then
	iptables -t nat -A PREROUTING -j RETURN
fi
