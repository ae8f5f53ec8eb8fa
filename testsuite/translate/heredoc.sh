#!/bin/sh
# A firewall script feeding iptables-restore from here-documents (issue
# 14): natc-restore-translate reads each as a save file in the script's
# context, its variables expanded as the shell expands them.
WAN=eth0
LAN=192.0.2.0/24
WEB=198.51.100.10
iptables -t nat -N WEB
iptables-restore --noflush <<EOF
*nat
# the LAN leaves masqueraded
-A POSTROUTING -s $LAN -o "$WAN" -j MASQUERADE
-A PREROUTING -i ${WAN} -p tcp -j WEB
COMMIT
EOF
for port in 8080 8443; do
	iptables-restore -n <<-EOF
	*nat
	-A WEB -p tcp --dport $port -j DNAT --to-destination $WEB:$port
	COMMIT
	EOF
done
# nothing expanded in a quoted here-document (none needed here)
iptables-restore -n <<'EOF'
*nat
-A WEB -p tcp --dport 80 -j DNAT --to-destination 198.51.100.10:80
COMMIT
EOF
# not the nat table: reported, and no failure
iptables -t mangle -A PREROUTING -i `echo $WAN` -j MARK --set-mark 1
