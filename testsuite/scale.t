#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# scale.t - with a large chain in the kernel, -A and -I without a rule
# number must not read the chain's rules: they stay as cheap at 20,000
# rules as at none.  Measured in bytes natc receives from netlink (strace),
# not in time: a dump of the chain is megabytes, a command that reads no
# rules receives a few hundred bytes.  The control (-I with a number, which
# must read the chain) shows the measure can tell the two apart.

. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip nft strace
require_natc

NRULES=20000
SMALL=65536		# bytes: generous for chain look-ups and acks

ns_new NS scale

# Load the big chain with nft (natc-restore is not there yet): the same
# table and base chain natc and iptables-nft use.
gen() {
	echo 'table ip nat {'
	echo ' chain PREROUTING { type nat hook prerouting priority -100; policy accept;'
	for ((i = 0; i < NRULES; i++)); do
		printf '  ip saddr 10.%d.%d.%d meta l4proto tcp tcp dport %d counter dnat to 192.0.2.1\n' \
			$((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255)) $((1000 + i % 50000))
	done
	echo ' }'
	echo ' chain USER { }'
	echo '}'
}
gen >"$TMPD/big.nft"
in_ns "$NS" nft -f "$TMPD/big.nft" || bail_out "cannot load $NRULES rules with nft"

# received ARGS...: run natc under strace in the namespace; REPLY = bytes
# received from all recvmsg/recvfrom calls; RUN_RC = natc's status.
received() {
	in_ns "$NS" strace -f -qq -e trace=recvmsg,recvfrom -e signal=none \
		-o "$TMPD/trace" "$NATC" -t nat "$@" >/dev/null 2>"$TMPD/err"
	RUN_RC=$?
	REPLY=$(awk '/recv(msg|from)\(/ { n = $NF; if (n ~ /^[0-9]+$/) s += n } END { print s + 0 }' "$TMPD/trace")
}

check_small() {
	local what=$1
	shift
	received "$@"
	tap_ok $((RUN_RC != 0 || REPLY > SMALL)) \
		"$what reads no rules: $REPLY bytes received with $NRULES rules in the chain" \
		"status $RUN_RC, $(cat "$TMPD/err")"
}

check_small "-A into the big chain" -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.9
check_small "-I (no number) into the big chain" -I PREROUTING -p udp --dport 53 -j RETURN
check_small "-A jumping to a user chain" -A PREROUTING -s 198.51.100.0/24 -j USER
check_small "-A of a list of sources" -A PREROUTING -s 198.51.100.1,198.51.100.2 -j RETURN

# control: a numbered insert must read the chain, and the measure sees it
received -I PREROUTING 5 -j RETURN
tap_ok $((RUN_RC != 0 || REPLY < NRULES * 50)) \
	"control: -I with a number reads the chain ($REPLY bytes received)" "$(cat "$TMPD/err")"

# and the rules went where they should
count=$(in_ns "$NS" "$NATC" -t nat -S PREROUTING | grep -c '^-A')
tap_is "$count" "$((NRULES + 6))" "the chain holds every rule"
first=$(in_ns "$NS" "$NATC" -t nat -S PREROUTING 1)
tap_is "$first" "-A PREROUTING -p udp -m udp --dport 53 -j RETURN" "-I without a number put its rule first"
last=$(in_ns "$NS" "$NATC" -t nat -S PREROUTING | tail -n 1)
tap_is "$last" "-A PREROUTING -s 198.51.100.2/32 -j RETURN" "-A put its rules last"

done_testing
