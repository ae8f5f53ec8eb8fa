#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# concurrency.t - natc beside other writers of the same table, and killed
# or refused in the middle of big loads.  Four parts, each in namespaces of
# its own:
#
#   writers   natc -A, -I, -I N, -D, -R, natc-restore --noflush (with -I N
#             and -D lines, which read a chain) and iptables-nft -A and -D,
#             all at once on one table for CONCURRENCY_SECONDS (each adding
#             writer deletes its rules again W_KEEP commands later, so the
#             chain stays the same size however long it runs): every change
#             reported done is there exactly once, every change reported
#             failed is not there, nothing else is; natc-save and
#             iptables-nft-save list the same rules; and no command fails
#             (each one is valid whenever it runs: a failure is natc giving
#             up on a dump another writer interrupted, or on a commit the
#             kernel refused because another writer committed first).
#   replaced  natc-restore without --noflush replacing the whole table over
#             and over (its file has -I N and -D lines too) beside natc -A,
#             natc -I N, natc-restore --noflush and iptables-nft -A, for
#             half of CONCURRENCY_SECONDS: the table holds one replacement,
#             whole; a change that began after that replacement ended is
#             there exactly once, one that ended before it began is gone,
#             the others are there at most once and never in part (times
#             are taken around each command); no command fails.
#   kill      natc-restore of CONCURRENCY_RULES (50,000) rules, with and
#             without --noflush, killed with SIGKILL at random times
#             (CONCURRENCY_KILLS each): the table is then the old one or
#             the new one, never a part of it.
#   refused   a rule the kernel refuses (MASQUERADE in PREROUTING) at line
#             40,000 of a 50,000-line file, with and without --noflush:
#             nothing applied, iptables-nft-restore's status, and the
#             message names line 40,000.
#
# Environment (besides lib.sh's):
#   CONCURRENCY_KEEP=N     commands after which an adding writer deletes its
#                          rules again (default 100; make check-sanitize sets
#                          less: under ASan fewer commands run in the time)
#   CONCURRENCY_SECONDS=N  how long the writers run (default 20; longer by
#                          hand: the failures it looks for are rare at a
#                          few per thousand commands)
#   CONCURRENCY_PAUSE=S    seconds each writer waits between two commands
#                          (default 0.05: a few hundred commits a second
#                          in all; with none, commits come faster than a
#                          chain of a thousand rules can be read, and
#                          readers starve, natc and iptables-nft alike)
#   CONCURRENCY_RULES=N    rules of the big files (default 50000)
#   CONCURRENCY_KILLS=N    kills per mode (default 4)
#   CONCURRENCY_ONLY=REGEX run only the parts whose name matches
#   NATC_RESTORE, NATC_SAVE  default: natc-restore, natc-save beside NATC

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

# $EPOCHREALTIME with a decimal point, whatever the locale
export LC_ALL=C

: "${NATC_RESTORE:=$(dirname "$NATC")/natc-restore}"
: "${NATC_SAVE:=$(dirname "$NATC")/natc-save}"
: "${IPT_RESTORE:=$IPT-restore}"
: "${IPT_SAVE:=$IPT-save}"
: "${CONCURRENCY_SECONDS:=20}"
: "${CONCURRENCY_PAUSE:=0.05}"
: "${CONCURRENCY_RULES:=50000}"
: "${CONCURRENCY_KILLS:=4}"
: "${CONCURRENCY_ONLY:=}"

require_root
require_cmds ip nft awk timeout sort "$IPT" "$IPT_RESTORE" "$IPT_SAVE"
require_natc
for _t in "$NATC_RESTORE" "$NATC_SAVE"; do
	command -v "$_t" >/dev/null 2>&1 ||
		bail_out "$_t not found or not executable (run make first)"
done

want() { [ -z "$CONCURRENCY_ONLY" ] || [[ "$1" =~ $CONCURRENCY_ONLY ]]; }

# ------------------------------------------------------------- rules ----

# rule CHAIN ID PORT: sets R to the words of a rule for CHAIN named by
# its comment ID (a DNAT, or in POSTROUTING a SNAT).
rule() {
	R=(-p tcp --dport "$3" -m comment --comment "$2")
	if [ "$1" = POSTROUTING ]; then
		R+=(-j SNAT --to-source "192.0.2.1:$3")
	else
		R+=(-j DNAT --to-destination "192.0.2.1:$3")
	fi
}

# rline COMMAND ID PORT: prints the rule as a save-file line after
# COMMAND ("-A PREROUTING", "-I PREROUTING 2", ...).
rline() {
	local w
	read -r -a w <<<"$1"
	rule "${w[1]}" "$2" "$3"
	printf '%s %s\n' "$1" "${R[*]}"
}

port() { REPLY=$((1024 + $1 % 60000)); }

pause() { sleep "$CONCURRENCY_PAUSE"; }

# --------------------------------------------------------- operations ----

# op NS KIND ID CMD...: run CMD in NS and log "ID STATUS START END" to
# $TMPD/log.KIND (START and END: $EPOCHREALTIME around it); the messages
# of a failure go to $TMPD/err.KIND.  Returns CMD's status.
op() {
	local ns=$1 kind=$2 id=$3 t0 rc
	shift 3
	t0=$EPOCHREALTIME
	in_ns "$ns" timeout -k 5 "$NATC_TIMEOUT" "$@" >/dev/null 2>"$TMPD/e.$kind" </dev/null
	rc=$?
	printf '%s %s %s %s\n' "$id" "$rc" "$t0" "$EPOCHREALTIME" >>"$TMPD/log.$kind"
	[ "$rc" = 0 ] || sed "s/^/$id: status $rc: /" "$TMPD/e.$kind" >>"$TMPD/err.$kind"
	return "$rc"
}

# comments NS: sets REPLY to "ID COUNT" lines: how often each rule
# comment is in natc-save's output; SAVE_TEXT to that output's rules.
comments() {
	SAVE_TEXT=$(in_ns "$1" "$NATC_SAVE" | grep '^-A')
	REPLY=$(awk 'match($0, /--comment [^ ]+/) {
		n[substr($0, RSTART + 10, RLENGTH - 10)]++ }
		END { for (k in n) print k, n[k] }' <<<"$SAVE_TEXT" | sort)
}

# check_expect FILE GOT: FILE holds "ID MIN MAX GROUP" lines: the rule
# named ID must be there MIN to MAX times, and every rule of a GROUP as
# often as the others; GOT is comments' REPLY.  Sets REPLY to the problems
# (a rule that FILE does not name must not be there).
check_expect() {
	REPLY=$(awk 'NR == FNR { lo[$1] = $2; hi[$1] = $3; grp[$1] = $4; next }
		{ got[$1] = $2 }
		END {
			for (k in lo) {
				n = got[k] + 0
				if (n < lo[k] || n > hi[k])
					printf "%s: there %d times, expected %s\n", k, n,
						lo[k] == hi[k] ? lo[k] : lo[k] " to " hi[k]
				g = grp[k]
				if (g in first && first[g] != n)
					printf "%s: there %d times, but %s %d times (one change)\n",
						k, n, who[g], first[g]
				else if (!(g in first)) { first[g] = n; who[g] = k }
			}
			for (k in got)
				if (!(k in lo))
					printf "%s: there %d times, never added\n", k, got[k]
		}' "$1" - <<<"$2" | sort | head -40)
}

# failures KIND LABEL: one test: no command of KIND failed.
failures() {
	local kind=$1 label=$2 total=0 failed=0
	[ -e "$TMPD/log.$kind" ] && total=$(wc -l <"$TMPD/log.$kind")
	[ -e "$TMPD/log.$kind" ] && failed=$(awk '$2 != 0' "$TMPD/log.$kind" | wc -l)
	diag "$label: $total commands, $failed failed"
	# a deleting writer (KIND-d) has nothing due while its adding writer
	# ran W_KEEP commands or fewer (a slow build on a busy machine: ASan's
	# -I 2, which reads the chain, once ran 6 in the time)
	if [ "$total" = 0 ] && [[ $kind == *-d ]]; then
		local adds=0
		[ -e "$TMPD/log.${kind%-d}" ] && adds=$(wc -l <"$TMPD/log.${kind%-d}")
		if [ "$adds" -gt 0 ] && [ "$adds" -le "$W_KEEP" ]; then
			tap_pass "$PART: $label: none due ($adds added, deleted $W_KEEP commands later)"
			return
		fi
	fi
	if [ "$total" = 0 ]; then
		tap_fail "$PART: $label: no command ran"
		return
	fi
	tap_ok "$failed" "$PART: $label: none of $total failed beside the other writers" \
		"$failed of $total failed; the first messages:" \
		"$(head -5 "$TMPD/err.$kind" 2>/dev/null)"
}

# --------------------------------------------------------- part: writers ----

W_DPOOL=400	# preloaded rules natc -D deletes, one by one
W_RSLOTS=150	# rules of chain RCH natc -R replaces, again and again
W_KEEP=${CONCURRENCY_KEEP:-100}	# an adding writer deletes its rules this many commands later,
		# so that the chain every reader reads stays the same size
		# however long the writers run

# adder KIND N CMD...: run CMD through op as adding rule KIND-N, and
# delete rule KIND-(N - W_KEEP) with the caller's DEL command (logged as
# KIND-d) if its adding went through.  ADDED (an associative array of the
# caller) keeps what was added.
adder() {
	local kind=$1 n=$2 old
	shift 2
	op "$NS" "$kind" "$kind-$n" "$@" && ADDED[$n]=1
	old=$((n - W_KEEP))
	if [ -n "${ADDED[$old]:-}" ]; then
		unset "ADDED[$old]"
		port $((old + ${PORT0[$kind]}))
		rule PREROUTING "$kind-$old" "$REPLY"
		op "$NS" "$kind-d" "$kind-$old" "${DEL[@]}" "${R[@]}"
	fi
}

declare -A PORT0=([a]=10000 [i]=20000 [x]=60000)

w_append() {
	local n=0 DEL=("$NATC" --xt -D PREROUTING)
	local -A ADDED=()
	while ((EPOCHSECONDS < END)); do
		port $((n + PORT0[a]))
		rule PREROUTING "a-$n" "$REPLY"
		adder a "$n" "$NATC" --xt -A PREROUTING "${R[@]}"
		n=$((n + 1))
		pause
	done
}

# -I without a number (no dump), and -I 2 (reads the chain)
w_insert() {
	local n=0 at DEL=("$NATC" --xt -D PREROUTING)
	local -A ADDED=()
	while ((EPOCHSECONDS < END)); do
		port $((n + PORT0[i]))
		rule PREROUTING "i-$n" "$REPLY"
		at=()
		((n % 2)) && at=(2)
		adder i "$n" "$NATC" --xt -I PREROUTING "${at[@]}" "${R[@]}"
		n=$((n + 1))
		pause
	done
}

w_delete() {
	local k
	for ((k = 0; k < W_DPOOL && EPOCHSECONDS < END; k++)); do
		port $((k + 30000))
		rule PREROUTING "d-$k" "$REPLY"
		op "$NS" d "d-$k" "$NATC" --xt -D PREROUTING "${R[@]}"
		pause
	done
}

w_replace() {
	local k ver=1
	while ((EPOCHSECONDS < END)); do
		for ((k = 0; k < W_RSLOTS && EPOCHSECONDS < END; k++)); do
			port $((k + 40000))
			rule RCH "r-$k-$ver" "$REPLY"
			op "$NS" r "r-$k-$ver" "$NATC" --xt -R RCH $((k + 1)) "${R[@]}"
			pause
		done
		ver=$((ver + 1))
	done
}

# natc-restore --noflush: two appends, a numbered insert (which reads the
# chain) and the deletion of the first rule of the file before it, if
# that one was applied
w_noflush() {
	local n=0 prev_done=0 f=$TMPD/noflush.save
	while ((EPOCHSECONDS < END)); do
		port $((n + 50000))
		{
			echo '*nat'
			rline '-A PREROUTING' "n-$n-a" "$REPLY"
			rline '-A POSTROUTING' "n-$n-b" "$REPLY"
			rline '-I PREROUTING 2' "n-$n-c" "$REPLY"
			if [ "$prev_done" = 1 ]; then
				port $((n - 1 + 50000))
				rline '-D PREROUTING' "n-$((n - 1))-a" "$REPLY"
				echo "n-$n n-$((n - 1))-a" >>"$TMPD/ndel"
			fi
			echo COMMIT
		} >"$f"
		if op "$NS" n "n-$n" "$NATC_RESTORE" --xt --noflush "$f"; then
			prev_done=1
		else
			prev_done=0
		fi
		n=$((n + 1))
		pause
	done
}

# iptables-nft -A, and -D of its rules
w_ipt() {
	local n=0 DEL=("$IPT" -t nat -D PREROUTING)
	local -A ADDED=()
	while ((EPOCHSECONDS < END)); do
		port $((n + PORT0[x]))
		rule PREROUTING "x-$n" "$REPLY"
		adder x "$n" "$IPT" -t nat -A PREROUTING "${R[@]}"
		n=$((n + 1))
		pause
	done
}

# expect ID MIN MAX [GROUP]
expect() { printf '%s %s %s %s\n' "$1" "$2" "$3" "${4:-$1}" >>"$TMPD/expect"; }

part_writers() {
	local NS END k ver id rc dn problems
	PART=writers
	want "$PART" || return
	ns_new NS writers
	rm -f "$TMPD"/log.* "$TMPD"/err.* "$TMPD/expect" "$TMPD/ndel"
	{
		echo '*nat'
		echo ':PREROUTING ACCEPT [0:0]'
		echo ':INPUT ACCEPT [0:0]'
		echo ':OUTPUT ACCEPT [0:0]'
		echo ':POSTROUTING ACCEPT [0:0]'
		echo ':RCH - [0:0]'
		rline '-A PREROUTING' keep-0 1
		for ((k = 0; k < W_DPOOL; k++)); do
			port $((k + 30000))
			rline '-A PREROUTING' "d-$k" "$REPLY"
		done
		for ((k = 0; k < W_RSLOTS; k++)); do
			port $((k + 40000))
			rline '-A RCH' "r-$k-0" "$REPLY"
		done
		echo 'COMMIT'
	} >"$TMPD/writers.save"
	in_ns "$NS" "$NATC_RESTORE" --xt "$TMPD/writers.save" ||
		bail_out "$PART: cannot preload the table"

	END=$((EPOCHSECONDS + CONCURRENCY_SECONDS))
	w_append &
	w_insert &
	w_delete &
	w_replace &
	w_noflush &
	w_ipt &
	wait

	# what must be there
	expect keep-0 1 1
	declare -A deleted=() rlast=() ndel=()
	# added, and not deleted by its writer
	while read -r id rc _; do
		[ "$rc" = 0 ] && deleted[$id]=1
	done < <(cat "$TMPD/log.a-d" "$TMPD/log.i-d" "$TMPD/log.x-d" 2>/dev/null)
	while read -r id rc _; do
		if [ "$rc" = 0 ] && [ -z "${deleted[$id]:-}" ]; then
			expect "$id" 1 1
		else
			expect "$id" 0 0
		fi
	done < <(cat "$TMPD/log.a" "$TMPD/log.i" "$TMPD/log.x" 2>/dev/null)
	while read -r id rc _; do
		[ "$rc" = 0 ] && deleted[$id]=1
	done <"$TMPD/log.d"
	for ((k = 0; k < W_DPOOL; k++)); do
		if [ -n "${deleted[d-$k]:-}" ]; then expect "d-$k" 0 0; else expect "d-$k" 1 1; fi
	done
	while read -r id rc _; do
		[ "$rc" = 0 ] || continue
		k=${id#r-} k=${k%-*} ver=${id##*-}
		rlast[$k]=$ver
	done <"$TMPD/log.r"
	for ((k = 0; k < W_RSLOTS; k++)); do
		expect "r-$k-${rlast[$k]:-0}" 1 1
	done
	# n-N applied with its -D line takes n-(N-1)-a away
	declare -A ndone=()
	while read -r id rc _; do
		[ "$rc" = 0 ] && ndone[$id]=1
	done <"$TMPD/log.n"
	while read -r id dn; do
		[ -n "${ndone[$id]:-}" ] && ndel[$dn]=1
	done < <(cat "$TMPD/ndel" 2>/dev/null)
	while read -r id rc _; do
		if [ "$rc" = 0 ]; then
			if [ -n "${ndel[$id-a]:-}" ]; then expect "$id-a" 0 0; else expect "$id-a" 1 1 "$id"; fi
			expect "$id-b" 1 1 "$id"
			expect "$id-c" 1 1 "$id"
		else
			expect "$id-a" 0 0 "$id"
			expect "$id-b" 0 0 "$id"
			expect "$id-c" 0 0 "$id"
		fi
	done <"$TMPD/log.n"

	failures a "natc -A"
	failures i "natc -I and -I 2"
	failures d "natc -D"
	failures a-d "natc -D (of natc -A's rules)"
	failures i-d "natc -D (of natc -I's rules)"
	failures r "natc -R"
	failures n "natc-restore --noflush"
	failures x "iptables-nft -A"
	failures x-d "iptables-nft -D"

	comments "$NS"
	check_expect "$TMPD/expect" "$REPLY"
	tap_is "$REPLY" "" "$PART: every change reported done is there once, every one reported failed is not, nothing else is"
	diag "$PART: $(wc -l <<<"$SAVE_TEXT") rules at the end"

	problems=$(in_ns "$NS" "$IPT_SAVE" -t nat | grep '^-A')
	tap_is "$problems" "$SAVE_TEXT" "$PART: iptables-nft-save lists the same rules as natc-save"
	ns_del "$NS"
}

# ------------------------------------------------------- part: replaced ----

# the whole table, replaced: f-N-1 is deleted by the file itself, f-N-5
# put in by a numbered insert
r_file() {
	local n=$1 p=$(($1 % 500 * 6 + 2000))
	echo '*nat'
	echo ':PREROUTING ACCEPT [0:0]'
	echo ':INPUT ACCEPT [0:0]'
	echo ':OUTPUT ACCEPT [0:0]'
	echo ':POSTROUTING ACCEPT [0:0]'
	echo ':FCH - [0:0]'
	rline '-A PREROUTING' "f-$n-0" $p
	rline '-A PREROUTING' "f-$n-1" $((p + 1))
	rline '-A POSTROUTING' "f-$n-2" $((p + 2))
	rline '-A FCH' "f-$n-3" $((p + 3))
	echo "-A PREROUTING -s 198.51.100.0/24 -m comment --comment f-$n-4 -j FCH"
	rline '-I PREROUTING 2' "f-$n-5" $((p + 5))
	rline '-D PREROUTING' "f-$n-1" $((p + 1))
	echo 'COMMIT'
}

r_flush() {
	local n=1
	while ((EPOCHSECONDS < END)); do
		r_file "$n" >"$TMPD/replace.save"
		op "$NS" f "f-$n" "$NATC_RESTORE" --xt "$TMPD/replace.save"
		n=$((n + 1))
		sleep 0.2
	done
}

r_append() {
	local n=0
	while ((EPOCHSECONDS < END)); do
		port $((n + 10000))
		rule POSTROUTING "a-$n" "$REPLY"
		op "$NS" a "a-$n" "$NATC" --xt -A POSTROUTING "${R[@]}"
		n=$((n + 1))
		pause
	done
}

r_insert() {
	local n=0
	while ((EPOCHSECONDS < END)); do
		port $((n + 20000))
		rule PREROUTING "i-$n" "$REPLY"
		op "$NS" i "i-$n" "$NATC" --xt -I PREROUTING 3 "${R[@]}"
		n=$((n + 1))
		pause
	done
}

r_noflush() {
	local n=0 f=$TMPD/rnoflush.save
	while ((EPOCHSECONDS < END)); do
		port $((n + 50000))
		{
			echo '*nat'
			rline '-A POSTROUTING' "n-$n-a" "$REPLY"
			rline '-I PREROUTING 2' "n-$n-b" "$REPLY"
			echo COMMIT
		} >"$f"
		op "$NS" n "n-$n" "$NATC_RESTORE" --xt --noflush "$f"
		n=$((n + 1))
		pause
	done
}

r_ipt() {
	local n=0
	while ((EPOCHSECONDS < END)); do
		port $((n + 60000))
		rule POSTROUTING "x-$n" "$REPLY"
		op "$NS" x "x-$n" "$IPT" -t nat -A POSTROUTING "${R[@]}"
		n=$((n + 1))
		pause
	done
}

part_replaced() {
	local NS END last got s e
	PART=replaced
	want "$PART" || return
	ns_new NS replaced
	rm -f "$TMPD"/log.* "$TMPD"/err.* "$TMPD/expect"
	r_file 0 >"$TMPD/replace.save"
	in_ns "$NS" "$NATC_RESTORE" --xt "$TMPD/replace.save" ||
		bail_out "$PART: cannot preload the table"
	echo "f-0 0 0 0" >"$TMPD/log.f"

	END=$((EPOCHSECONDS + (CONCURRENCY_SECONDS + 1) / 2))
	r_flush &
	r_append &
	r_insert &
	r_noflush &
	r_ipt &
	wait

	failures f "natc-restore"
	failures a "natc -A"
	failures i "natc -I 3"
	failures n "natc-restore --noflush"
	failures x "iptables-nft -A"

	comments "$NS"
	got=$REPLY
	last=$(awk '$1 ~ /^f-[0-9]+-0$/ { sub(/^f-/, "", $1); sub(/-0$/, "", $1); print $1 }' <<<"$got")
	if [ "$(wc -w <<<"$last")" != 1 ]; then
		tap_fail "$PART: the table holds one replacement" "replacements there: ${last:-none}"
		ns_del "$NS"
		return
	fi
	read -r _ _ s e < <(awk -v id="f-$last" '$1 == id' "$TMPD/log.f")
	awk -v s="$e" '$2 == 0 && $3 > s { print $1 " began after f-'"$last"' ended, yet is not there" }' \
		"$TMPD/log.f" >"$TMPD/later"
	tap_is "$(cat "$TMPD/later")" "" "$PART: the table holds the replacement applied last (f-$last)"
	diag "$PART: $(wc -l <"$TMPD/log.f") replacements, f-$last there"

	# f-$last whole; the others' changes by the times around them
	expect "f-$last-0" 1 1 f
	expect "f-$last-1" 0 0 f-del
	expect "f-$last-2" 1 1 f
	expect "f-$last-3" 1 1 f
	expect "f-$last-4" 1 1 f
	expect "f-$last-5" 1 1 f
	awk -v s="$s" -v e="$e" '
		function out(id, lo, hi, g) { print id, lo, hi, g }
		{
			lo = hi = 0
			if ($2 == 0 && $3 > e) lo = hi = 1	# after: there
			else if ($2 == 0 && $4 >= s) hi = 1	# during: maybe
			if (FILENAME ~ /log\.n$/) {
				out($1 "-a", lo, hi, $1)
				out($1 "-b", lo, hi, $1)
			} else {
				out($1, lo, hi, $1)
			}
		}' "$TMPD/log.a" "$TMPD/log.i" "$TMPD/log.n" "$TMPD/log.x" >>"$TMPD/expect"
	check_expect "$TMPD/expect" "$got"
	tap_is "$REPLY" "" "$PART: changes after the last replacement there once, before it gone, during it whole or not at all"
	ns_del "$NS"
}

# ---------------------------------------------------- big files ----

# big_rules N TAG: N rule lines over the builtins and chains BIG0..BIG4
# (declared first); TAG makes the two sets of rules differ.
big_rules() {
	awk -v n="$1" -v tag="$2" 'BEGIN {
		for (c = 0; c < 5; c++) printf ":BIG%d - [0:0]\n", c
		for (c = 0; c < 5; c++) printf "-A PREROUTING -s 10.%d.%d.0/24 -j BIG%d\n", 200 + c, tag, c
		for (i = 0; i < n; i++) {
			a = sprintf("10.%d.%d.%d", tag, int(i / 256) % 256, i % 256)
			k = i % 4
			if (k == 0) printf "-A PREROUTING -d %s/32 -p tcp -m tcp --dport %d -j DNAT --to-destination 192.0.2.%d:%d\n", a, 1000 + i % 60000, i % 250 + 1, 80 + i % 100
			else if (k == 1) printf "-A BIG%d -s %s/32 -p udp -m udp --dport %d -j DNAT --to-destination 198.51.100.%d\n", i % 5, a, 1 + i % 65000, i % 250 + 1
			else if (k == 2) printf "-A POSTROUTING -s %s/32 -o eth%d -j SNAT --to-source 203.0.113.%d\n", a, i % 4, i % 250 + 1
			else printf "-A POSTROUTING -s %s/32 -j MASQUERADE\n", a
		}
	}'
}

BIG_MADE=0
make_big() {
	[ "$BIG_MADE" = 1 ] && return
	BIG_MADE=1
	{
		echo '*nat'
		big_rules 2000 1
		echo 'COMMIT'
	} >"$TMPD/old.save"
	{
		echo '*nat'
		big_rules "$CONCURRENCY_RULES" 2 | sed 's/BIG/NEW/g'
		echo 'COMMIT'
	} >"$TMPD/new.save"
}

# saved NS: sets REPLY to natc-save's output without its comment lines.
saved() {
	REPLY=$(in_ns "$1" "$NATC_SAVE" | grep -v '^#')
}

# ------------------------------------------------------------ part: kill ----

# kill_case MODE ARGS...: CONCURRENCY_KILLS loads of new.save (with ARGS)
# over old.save, each killed at a random time between its start and a
# little after the time a whole load takes.
kill_case() {
	local mode=$1 NS t0 ms old new i delay pid got outcome problems=() n_old=0 n_new=0
	shift
	ns_new NS "kill-$mode"
	in_ns "$NS" "$NATC_RESTORE" "$TMPD/old.save" || bail_out "$PART: cannot load old.save"
	saved "$NS"
	old=$REPLY
	t0=$EPOCHREALTIME
	in_ns "$NS" "$NATC_RESTORE" "$@" "$TMPD/new.save" || bail_out "$PART: cannot load new.save"
	ms=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
	saved "$NS"
	new=$REPLY
	[ "$old" != "$new" ] || bail_out "$PART: old and new tables are the same"
	diag "$PART: $mode: a whole load of $CONCURRENCY_RULES rules takes ${ms} ms"
	for ((i = 0; i < CONCURRENCY_KILLS; i++)); do
		in_ns "$NS" "$NATC_RESTORE" "$TMPD/old.save" || bail_out "$PART: cannot load old.save"
		delay=$((RANDOM * (ms * 5 / 4 + 1) / 32768))
		rm -f "$TMPD/pid"
		# sh gives its pid, then becomes natc-restore (exec): that is
		# the process killed (the subshell's "Killed" goes to /dev/null)
		# shellcheck disable=SC2016 # expanded by that sh
		{
			in_ns "$NS" sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$TMPD/pid" \
				"$NATC_RESTORE" "$@" "$TMPD/new.save"
		} 2>/dev/null &
		while [ ! -s "$TMPD/pid" ]; do sleep 0.01; done
		pid=$(cat "$TMPD/pid")
		sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
		kill -9 "$pid" 2>/dev/null
		wait
		saved "$NS"
		got=$REPLY
		if [ "$got" = "$old" ]; then
			outcome=old n_old=$((n_old + 1))
		elif [ "$got" = "$new" ]; then
			outcome=new n_new=$((n_new + 1))
		else
			outcome="neither ($(grep -c '^-A' <<<"$got") rules)"
			problems+=("killed after $delay ms: the table is neither the old nor the new one: $outcome")
		fi
	done
	diag "$PART: $mode: killed $CONCURRENCY_KILLS times: old table $n_old times, new table $n_new times"
	tap_ok ${#problems[@]} "$PART: natc-restore${*:+ $*} of $CONCURRENCY_RULES rules killed at random times: the old table or the new one, never a part" "${problems[@]}"
	ns_del "$NS"
}

part_kill() {
	PART='kill'
	want "$PART" || return
	make_big
	kill_case replace
	kill_case noflush --noflush
}

# --------------------------------------------------------- part: refused ----

# refused_case ARGS...: bad.save loaded over old.save by natc-restore and
# by iptables-nft-restore.
refused_case() {
	local nsN nsR before after n_rc r_rc n_err name
	name="$PART: MASQUERADE in PREROUTING at line 40000 of 50000${*:+ ($*)}"
	ns_new nsN natc
	ns_new nsR ref
	in_ns "$nsN" "$NATC_RESTORE" "$TMPD/old.save" || bail_out "$PART: cannot load old.save"
	in_ns "$nsR" "$IPT_RESTORE" "$TMPD/old.save" || bail_out "$PART: $IPT_RESTORE cannot load old.save"
	saved "$nsN"
	before=$REPLY
	n_err=$(in_ns "$nsN" timeout -k 5 "$NATC_TIMEOUT" "$NATC_RESTORE" "$@" "$TMPD/bad.save" 2>&1)
	n_rc=$?
	in_ns "$nsR" "$IPT_RESTORE" "$@" "$TMPD/bad.save" >/dev/null 2>&1
	r_rc=$?
	[ "$r_rc" != 0 ] || tap_fail "$name: iptables-nft-restore refuses it (harness check)" "it exited 0"
	tap_is "$n_rc" "$r_rc" "$name: status as iptables-nft-restore's"
	saved "$nsN"
	after=$REPLY
	[ "$after" = "$before" ]
	tap_ok $? "$name: nothing applied (natc-save as before)" \
		"$(udiff "$before" "$after" before after | head -20)"
	[[ "$(head -1 <<<"$n_err")" =~ ^[^:]+:40000:[0-9]+:\ error:\  ]]
	tap_ok $? "$name: the message names line 40000" "$(head -3 <<<"$n_err")"
	ns_del "$nsN"
	ns_del "$nsR"
}

part_refused() {
	PART=refused
	want "$PART" || return
	make_big
	# line 1 *nat, lines 2..11 the chain declarations and jumps, then
	# rules, the refused one at line 40000, 50000 lines in all
	{
		echo '*nat'
		big_rules 49987 3 | sed 's/BIG/BAD/g' | sed '39999i -A PREROUTING -s 192.0.2.1/32 -j MASQUERADE'
		echo 'COMMIT'
	} >"$TMPD/bad.save"
	if [ "$(wc -l <"$TMPD/bad.save")" != 50000 ] ||
		[ "$(sed -n 40000p "$TMPD/bad.save")" != '-A PREROUTING -s 192.0.2.1/32 -j MASQUERADE' ]; then
		bail_out "$PART: bad.save is not as meant"
	fi
	refused_case
	refused_case --noflush
}

_t0=$SECONDS
part_writers
diag "part writers: $((SECONDS - _t0))s"
_t0=$SECONDS
part_replaced
diag "part replaced: $((SECONDS - _t0))s"
_t0=$SECONDS
part_kill
diag "part kill: $((SECONDS - _t0))s"
_t0=$SECONDS
part_refused
diag "part refused: $((SECONDS - _t0))s"
done_testing
