# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# netlab.sh - throwaway network labs for natc's packet tests and demo.
#
# Source it from bash (as root), then call lab_init.  Every network
# namespace is named "${LAB_PREFIX}NAME" (natc-lab-<pid>-NAME) and is
# removed, with every process left running inside it, by a trap on
# EXIT/INT/TERM/HUP.  Nothing is ever created in, connected to or changed
# in the caller's own network namespace: no interface, route, rule or
# sysctl of the host is touched.  Addresses come only from documentation
# ranges (192.0.2.0/24, 198.51.100.0/24) and no namespace has a default
# route, so no packet can leave the lab.
#
# Building blocks
#   lab_init                       check tools, make LAB_DIR, install trap
#   lab_switch SW BR...            a "switch": namespace SW holding bridges
#   lab_host H                     an empty host namespace (lo up)
#   lab_attach H IFACE SW BR A/P   veth IFACE in H, other end a port of BR
#   lab_route H DEST VIA           a route inside H
#   lab_forwarding H               net.ipv4.ip_forward=1 inside H only
#   lab_exec H CMD...              run CMD inside H
#   lab_ns H                       the namespace name of H
#   lab_addr H [IFACE]             H's (first) address, without prefix
#
# Topologies (TAG may be empty; host names are then c, r, s, sw)
#   lab_one_link [TAG]    switch TAG-sw/br0 = 192.0.2.0/24 with
#                         TAG-r 192.0.2.1 (eth0, forwarding on),
#                         TAG-c 192.0.2.2 and TAG-s 192.0.2.3
#   lab_two_links [TAG]   TAG-c 192.0.2.2 --br0-- TAG-r eth0 192.0.2.1
#                         TAG-r eth1 198.51.100.1 --br1-- TAG-s 198.51.100.2
#                         TAG-c routes 198.51.100.0/24 via TAG-r; TAG-s has
#                         NO route back to 192.0.2.0/24 (add one if needed)
#
# Traffic
#   lab_tcp_server H PORT [BIND]  socat server: answers every connection
#                                 with "peer=ADDR:PORT local=ADDR:PORT",
#                                 the addresses its socket sees, then closes
#   lab_udp_server H PORT         answers every datagram with
#                                 "peer=ADDR:PORT local=*:PORT"
#   lab_tcp_client H ADDR PORT [T]   connect with a T s bound (default
#   lab_udp_client H ADDR PORT [T]   $LAB_TIMEOUT = 2); sets LAB_REPLY,
#                                 LAB_RESULT (ok|timeout|refused|error),
#                                 LAB_SPORT (the client source port used,
#                                 a fresh one each call) and returns 0 only
#                                 when the server answered
#   lab_seen HOST PROTO PORT      what that server logged (one line each)
#
# Conntrack (the kernel's view, inside a namespace)
#   lab_ct H [conntrack filter args]   conntrack -L, one normalised line
#       per entry: "PROTO orig=SRC:SPORT>DST:DPORT reply=SRC:SPORT>DST:DPORT
#       state=STATE flags=FLAG,FLAG" (ICMP etc. are passed through raw)
#   lab_ct_raw H [args]                conntrack -L output as is
#   lab_ct_flush H                     conntrack -F
#   lab_nstat H COUNTER                an SNMP counter of H (TcpOutRsts...)
#
# IPv6: with LAB_IPV6=1 set before lab_init, the namespaces keep IPv6
# (addresses from 2001:db8::/32, added without duplicate address
# detection), lab_forwarding turns IPv6 forwarding on as well, and the
# TCP server and client speak TCP6 (the server reports addresses as
# socat gives them: "[2001:0db8:...:0002]", lab_addr6_full makes that
# form of an address).
#
# All waits are bounded; all client calls are wrapped in timeout(1).

LAB_PREFIX="natc-lab-$$-"
LAB_DIR=
LAB_TIMEOUT=${LAB_TIMEOUT:-2}
LAB_REPLY=
LAB_RESULT=
LAB_ERROR=
LAB_SPORT=
LAB_NEXT_SPORT=41000
LAB_NPORT=0
LAB_PIDS=()
declare -gA LAB_ADDRS=()

lab__die() { echo "netlab: $*" >&2; return 1; }

lab_ns() { printf '%s%s\n' "$LAB_PREFIX" "$1"; }

lab_exec() {
	local h=$1; shift
	ip netns exec "$LAB_PREFIX$h" "$@"
}

# Delete namespaces (and their processes) and temporary directories left by
# an earlier run of this library whose process is gone (a run killed with
# SIGKILL cannot clean up after itself).
lab__reap_stale() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		[[ $ns =~ ^natc-lab-([0-9]+)- ]] || continue
		pid=${BASH_REMATCH[1]}
		[[ $pid == "$$" ]] && continue
		kill -0 "$pid" 2>/dev/null && continue
		lab__del_ns "$ns"
	done
	for ns in "${TMPDIR:-/tmp}"/natc-lab-[0-9]*.*; do
		[[ -d $ns && ${ns##*/} =~ ^natc-lab-([0-9]+)\. ]] || continue
		pid=${BASH_REMATCH[1]}
		kill -0 "$pid" 2>/dev/null || rm -rf "$ns"
	done
}

lab__del_ns() {
	local ns=$1 p
	for p in $(ip netns pids "$ns" 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $(ip netns pids "$ns" 2>/dev/null); do
		kill -KILL "$p" 2>/dev/null
	done
	ip netns del "$ns" 2>/dev/null
}

lab_cleanup() {
	local p ns
	for p in "${LAB_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		[[ $ns == "$LAB_PREFIX"* ]] && lab__del_ns "$ns"
	done
	for p in "${LAB_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	LAB_PIDS=()
	if [[ -n $LAB_DIR && -d $LAB_DIR ]]; then
		rm -rf "$LAB_DIR"
	fi
	LAB_DIR=
	return 0
}

# Chain our cleanup in front of whatever trap the caller already has.
lab__trap() {
	local sig=$1 dflt=$2 prev
	prev=$(trap -p "$sig")
	if [[ -n $prev ]]; then
		eval "set -- $prev"
		prev=$3
	fi
	# shellcheck disable=SC2064
	trap "lab_cleanup; ${prev:-$dflt}" "$sig"
}

# lab_start [TOOL...]: how a packet suite starts (lib.sh sourced before
# this file): as root, with the lab's tools, the TOOLs and natc, the lab
# set up
lab_start() {
	require_root
	require_cmds ip socat conntrack ss timeout perl "$@"
	require_natc
	lab_init || bail_out "cannot set up the network lab"
}

lab_init() {
	local t
	[[ $EUID -eq 0 ]] || { lab__die "must run as root (network namespaces)"; return 1; }
	for t in ip socat conntrack ss timeout perl; do
		command -v "$t" >/dev/null 2>&1 || { lab__die "missing tool: $t"; return 1; }
	done
	lab__reap_stale
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/natc-lab-$$.XXXXXX") || return 1
	lab__trap EXIT ":"
	lab__trap INT "exit 130"
	lab__trap TERM "exit 143"
	lab__trap HUP "exit 129"
	# The server's answer: the addresses its socket sees, also logged.
	cat >"$LAB_DIR/answer" <<'EOF'
#!/bin/sh
# $1 = log file
line="peer=$SOCAT_PEERADDR:$SOCAT_PEERPORT local=$SOCAT_SOCKADDR:$SOCAT_SOCKPORT"
echo "$line"
echo "$line" >>"$1"
EOF
	chmod +x "$LAB_DIR/answer"
	# The UDP server: answers each datagram with the peer it came from.
	cat >"$LAB_DIR/udps" <<'EOF'
use strict; use IO::Socket::INET;
my ($port, $log) = @ARGV;
my $s = IO::Socket::INET->new(Proto => 'udp', LocalAddr => '0.0.0.0',
	LocalPort => $port, ReuseAddr => 1) or die "socket: $@\n";
while (1) {
	my $peer = $s->recv(my $buf, 2048);
	next unless defined $peer && length $peer;
	my ($pport, $paddr) = sockaddr_in($peer);
	my $line = sprintf "peer=%s:%d local=*:%d\n", inet_ntoa($paddr), $pport, $port;
	$s->send($line, 0, $peer);
	if (open my $fh, '>>', $log) { print $fh $line; close $fh }
}
EOF
	# The UDP client: one datagram out, first answer back or a timeout.
	cat >"$LAB_DIR/udpc" <<'EOF'
use strict; use IO::Socket::INET;
my ($addr, $port, $sport, $t) = @ARGV;
my $s = IO::Socket::INET->new(Proto => 'udp', PeerAddr => $addr,
	PeerPort => $port, LocalPort => $sport, ReuseAddr => 1)
	or die "socket: $@\n";
defined $s->send("hello\n") or die "send: $!\n";
my $rin = ''; vec($rin, fileno($s), 1) = 1;
select(my $rout = $rin, undef, undef, $t) or die "Connection timed out\n";
defined $s->recv(my $buf, 2048) or die "recv: $!\n";
print $buf;
EOF
}

lab__add_ns() {
	local ns=$LAB_PREFIX$1
	ip netns add "$ns" || { lab__die "cannot create namespace $ns"; return 1; }
	ip -n "$ns" link set lo up
	if [[ ${LAB_IPV6:-0} == 1 ]]; then
		# IPv6 on, quiet: no router solicitations, no autoconfiguration
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_ra=0 \
			net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.default.router_solicitations=0 >/dev/null 2>&1
		return 0
	fi
	# Keep the links quiet: IPv4 only, no router solicitations, no MLD.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
	return 0
}

lab_host() { lab__add_ns "$1"; }

lab_switch() {
	local sw=$1 br; shift
	[[ -e /run/netns/$LAB_PREFIX$sw ]] || lab__add_ns "$sw" || return 1
	for br in "$@"; do
		ip -n "$LAB_PREFIX$sw" link add "$br" type bridge &&
		ip -n "$LAB_PREFIX$sw" link set "$br" up || return 1
	done
}

# lab_attach HOST IFACE SWITCH BRIDGE ADDR/PLEN
# The veth pair is created inside the switch namespace and its other end
# is moved straight into the host's: neither end is ever in ours.
lab_attach() {
	local h=$1 ifc=$2 sw=$3 br=$4 cidr=$5 port
	port=p$((LAB_NPORT++))
	ip -n "$LAB_PREFIX$sw" link add "$port" type veth \
		peer name "$ifc" netns "$LAB_PREFIX$h" || return 1
	ip -n "$LAB_PREFIX$sw" link set "$port" master "$br" up || return 1
	if [[ $cidr == *:* ]]; then	# IPv6: usable at once
		ip -n "$LAB_PREFIX$h" addr add "$cidr" dev "$ifc" nodad || return 1
	else
		ip -n "$LAB_PREFIX$h" addr add "$cidr" dev "$ifc" || return 1
	fi
	ip -n "$LAB_PREFIX$h" link set "$ifc" up || return 1
	LAB_ADDRS[$h/$ifc]=${cidr%/*}
	[[ -n ${LAB_ADDRS[$h]:-} ]] || LAB_ADDRS[$h]=${cidr%/*}
}

lab_addr() {
	if [[ -n ${2:-} ]]; then
		echo "${LAB_ADDRS[$1/$2]:-}"
	else
		echo "${LAB_ADDRS[$1]:-}"
	fi
}

lab_route() { ip -n "$LAB_PREFIX$1" route add "$2" via "$3"; }

lab_forwarding() {
	ip netns exec "$LAB_PREFIX$1" sysctl -qw net.ipv4.ip_forward=1 >/dev/null &&
	if [[ ${LAB_IPV6:-0} == 1 ]]; then
		ip netns exec "$LAB_PREFIX$1" sysctl -qw net.ipv6.conf.all.forwarding=1 >/dev/null
	fi
}

# lab_addr6_full ADDR: the IPv6 address as socat reports it to the server
# ("[2001:0db8:0000:...:0001]").
lab_addr6_full() {
	perl -MSocket=inet_pton,AF_INET6 -e \
		'printf "[%s]\n", join ":", unpack "(H4)*", inet_pton(AF_INET6, $ARGV[0])' "$1"
}

lab_one_link() {
	local t=${1:+$1-}
	lab_switch "${t}sw" br0 &&
	lab_host "${t}r" && lab_attach "${t}r" eth0 "${t}sw" br0 192.0.2.1/24 &&
	lab_host "${t}c" && lab_attach "${t}c" eth0 "${t}sw" br0 192.0.2.2/24 &&
	lab_host "${t}s" && lab_attach "${t}s" eth0 "${t}sw" br0 192.0.2.3/24 &&
	lab_forwarding "${t}r"
}

lab_two_links() {
	local t=${1:+$1-}
	lab_switch "${t}sw" br0 br1 &&
	lab_host "${t}r" &&
	lab_attach "${t}r" eth0 "${t}sw" br0 192.0.2.1/24 &&
	lab_attach "${t}r" eth1 "${t}sw" br1 198.51.100.1/24 &&
	lab_host "${t}c" && lab_attach "${t}c" eth0 "${t}sw" br0 192.0.2.2/24 &&
	lab_route "${t}c" 198.51.100.0/24 192.0.2.1 &&
	lab_host "${t}s" && lab_attach "${t}s" eth0 "${t}sw" br1 198.51.100.2/24 &&
	lab_forwarding "${t}r"
}

# lab_wait_listen HOST tcp|udp PORT: until a socket listens (max ~3 s).
lab_wait_listen() {
	local h=$1 proto=$2 port=$3 i flag=-t
	[[ $proto == udp ]] && flag=-u
	for ((i = 0; i < 60; i++)); do
		if [[ -n $(ip netns exec "$LAB_PREFIX$h" ss -Hln "$flag" "sport = :$port" 2>/dev/null) ]]; then
			return 0
		fi
		sleep 0.05
	done
	lab__die "no $proto server listening on $h port $port"
}

# lab__tcpv: socat's TCP version of the lab.
lab__tcpv() { if [[ ${LAB_IPV6:-0} == 1 ]]; then echo 6; else echo 4; fi; }

lab_tcp_server() {
	local h=$1 port=$2 bind=${3:-} log
	log=$LAB_DIR/seen-$h-tcp-$port
	: >"$log"
	ip netns exec "$LAB_PREFIX$h" socat \
		"TCP$(lab__tcpv)-LISTEN:$port,reuseaddr,fork${bind:+,bind=$bind}" \
		"EXEC:$LAB_DIR/answer $log" \
		</dev/null >/dev/null 2>>"$LAB_DIR/server.err" &
	LAB_PIDS+=($!)
	lab_wait_listen "$h" tcp "$port"
}

# The UDP server is a small perl loop rather than socat UDP-RECVFROM,fork:
# socat's forked children keep reading the shared socket for a while after
# answering and swallow the next datagram now and then.
lab_udp_server() {
	local h=$1 port=$2 log
	log=$LAB_DIR/seen-$h-udp-$port
	: >"$log"
	ip netns exec "$LAB_PREFIX$h" perl "$LAB_DIR/udps" "$port" "$log" \
		</dev/null >/dev/null 2>>"$LAB_DIR/server.err" &
	LAB_PIDS+=($!)
	lab_wait_listen "$h" udp "$port"
}

# lab_seen HOST PROTO PORT: the lines that server has answered so far.
lab_seen() { cat "$LAB_DIR/seen-$1-$2-$3" 2>/dev/null; }

lab__classify() {
	local rc=$1 err=$2
	if [[ $rc -eq 0 && -n $LAB_REPLY ]]; then
		LAB_RESULT=ok
		return 0
	fi
	if [[ $rc -eq 124 || $err == *"timed out"* ]]; then
		LAB_RESULT=timeout
		return 2
	fi
	if [[ $err == *refused* ]]; then
		LAB_RESULT=refused
		return 3
	fi
	LAB_RESULT=error
	LAB_ERROR=$err
	return 1
}

# lab_tcp_client HOST ADDR PORT [TIMEOUT]  (no command substitution needed)
lab_tcp_client() {
	local h=$1 addr=$2 port=$3 t=${4:-$LAB_TIMEOUT} rc err
	LAB_SPORT=$((LAB_NEXT_SPORT++))
	LAB_REPLY='' LAB_ERROR=''
	[[ $addr == *:* ]] && addr="[$addr]"
	timeout $((t + 2)) ip netns exec "$LAB_PREFIX$h" socat -u \
		"TCP$(lab__tcpv):$addr:$port,connect-timeout=$t,sourceport=$LAB_SPORT,reuseaddr" \
		STDOUT >"$LAB_DIR/client.out" 2>"$LAB_DIR/client.err"
	rc=$?
	LAB_REPLY=$(head -n 1 "$LAB_DIR/client.out")
	err=$(cat "$LAB_DIR/client.err")
	lab__classify "$rc" "$err"
}

lab_udp_client() {
	local h=$1 addr=$2 port=$3 t=${4:-$LAB_TIMEOUT} rc err
	LAB_SPORT=$((LAB_NEXT_SPORT++))
	LAB_REPLY='' LAB_ERROR=''
	timeout $((t + 2)) ip netns exec "$LAB_PREFIX$h" perl "$LAB_DIR/udpc" \
		"$addr" "$port" "$LAB_SPORT" "$t" \
		>"$LAB_DIR/client.out" 2>"$LAB_DIR/client.err"
	rc=$?
	LAB_REPLY=$(head -n 1 "$LAB_DIR/client.out")
	err=$(cat "$LAB_DIR/client.err")
	lab__classify "$rc" "$err"
}

# lab_reply_field peer|local ADDR|PORT: pick a part of LAB_REPLY.
lab_reply_field() {
	local v
	[[ " $LAB_REPLY" =~ \ $1=([^ ]*):([^ ]*) ]] || return 1
	if [[ $2 == PORT ]]; then v=${BASH_REMATCH[2]}; else v=${BASH_REMATCH[1]}; fi
	echo "$v"
}

lab_ct_raw() {
	local h=$1; shift
	ip netns exec "$LAB_PREFIX$h" conntrack -L "$@" 2>/dev/null
}

lab_ct() {
	lab_ct_raw "$@" | awk '
	{
		n = 0; st = ""; fl = ""
		for (i = 3; i <= NF; i++) {
			f = $i
			if (f ~ /^src=/) { n++; src[n] = substr(f, 5) }
			else if (f ~ /^dst=/) dst[n] = substr(f, 5)
			else if (f ~ /^sport=/) sp[n] = substr(f, 7)
			else if (f ~ /^dport=/) dp[n] = substr(f, 7)
			else if (f ~ /^\[[A-Z_]+\]$/) fl = fl (fl == "" ? "" : ",") substr(f, 2, length(f) - 2)
			else if (f ~ /^[A-Z_]+$/) st = f
		}
		if (n != 2 || sp[1] == "") { print; next }
		printf "%s orig=%s:%s>%s:%s reply=%s:%s>%s:%s state=%s flags=%s\n", \
			$1, src[1], sp[1], dst[1], dp[1], src[2], sp[2], dst[2], dp[2], \
			(st == "" ? "-" : st), (fl == "" ? "-" : fl)
	}'
}

# lab_nstat HOST COUNTER: the namespace's absolute SNMP counter (nstat -a;
# -s so that no nstat history file, shared through /tmp, is written).
lab_nstat() {
	ip netns exec "$LAB_PREFIX$1" nstat -asz "$2" 2>/dev/null |
		awk -v c="$2" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }'
}

lab_ct_flush() { ip netns exec "$LAB_PREFIX$1" conntrack -F >/dev/null 2>&1; }

# ------------------------------------------- checks for the packet tests --
# (they need testsuite/lib.sh: natc_argv, run_cap, tap_*)

# nat HOST ARG...: run natc inside HOST; a test point of its own.
nat() {
	local h=$1
	shift
	natc_argv "$@"
	run_cap "$(lab_ns "$h")" "${ARGV[@]}"
	tap_ok "$RUN_RC" "$h: natc $*" "exit status $RUN_RC" "$RUN_ERR"
}

# re STRING: STRING as an extended regex matching itself.
re() { printf '%s' "$1" | sed 's/[].[\\*^$()+?{}|]/\\&/g'; }

# expect RESULT NAME: the last lab client call must have ended as RESULT
# (ok, timeout, refused).
expect() {
	if [ "$LAB_RESULT" = "$1" ]; then
		tap_pass "$2"
	else
		tap_fail "$2" "expected: $1" "got: $LAB_RESULT${LAB_REPLY:+ (server said: $LAB_REPLY)}${LAB_ERROR:+ ($LAB_ERROR)}"
	fi
}

# saw peer|local ADDR PORT-REGEX NAME: what the server reported it saw.
saw() {
	local re_
	re_="(^| )$1=$(re "$2"):$3( |\$)"
	if [[ $LAB_RESULT == ok && $LAB_REPLY =~ $re_ ]]; then
		tap_pass "$4"
	else
		tap_fail "$4" "expected $1=$2:$3" "server said: ${LAB_REPLY:-nothing} ($LAB_RESULT)"
	fi
}
