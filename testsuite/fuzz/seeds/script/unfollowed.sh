#!/bin/bash
set -e
if [ -n "$1" ]; then iptables -t nat -F; fi
f() { iptables -t nat -N "$1"; }
ADDR=$(ip -4 addr show eth0 | awk '{print $2}')
iptables -t nat -A POSTROUTING -s 10.0.0.0/8 -j SNAT --to-source $ADDR
ip6tables -t nat -A POSTROUTING -j MASQUERADE
iptables -t filter -A INPUT -j ACCEPT
iptables -t nat -A OUTPUT -m comment --comment 'it'"'"'s' -j RETURN && echo ok
