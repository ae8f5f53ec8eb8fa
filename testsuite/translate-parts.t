#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# translate-parts.t - natc-restore-translate reads a big save file in
# parts, one thread each (the save-file driver, parser/parts.c): a part starts only
# at a line where what came before is known without reading it (inside a
# "*nat" that follows a COMMIT or starts the file).  Whatever the number of
# parts, the script written, the messages and the exit status must be
# those of reading the file in one part.  NATC_PARTS=N asks for N parts
# (files this small would otherwise be read in one) and makes natc say on
# standard error where the parts start, which is checked too: a split that
# never happens would make the comparisons prove nothing.
#
# No kernel and no root needed: only text is compared.
#
# Environment: NATC (natc-restore-translate is beside it).

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_natc
RXL=$(dirname "$NATC")/natc-restore-translate
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT

# run FILE PARTS: REPLY = status, stdout and stderr of the translation,
# without the parts line; PARTS_AT = that line's line numbers.
run() {
	local out err rc
	out=$(NATC_PARTS=$2 "$RXL" -f "$1" 2>"$TMPD/err")
	rc=$?
	err=$(grep -v '^natc-restore-translate: [0-9]* parts at lines' "$TMPD/err")
	PARTS_AT=$(sed -n 's/^natc-restore-translate: [0-9]* parts at lines //p' "$TMPD/err")
	REPLY="status $rc"$'\n'"--- stdout"$'\n'"$out"$'\n'"--- stderr"$'\n'"$err"
}

# check NAME FILE MIN_SPLIT: the same output with 2..8 parts as with one,
# and with some number of parts the file is cut at least MIN_SPLIT times.
check() {
	local name=$1 f=$2 min=$3 one most=0 n cuts
	run "$f" 1
	one=$REPLY
	[ "$PARTS_AT" = 1 ] || tap_fail "$name: one part asked, parts at $PARTS_AT"
	for n in 2 3 4 5 8; do
		run "$f" "$n"
		tap_is "$REPLY" "$one" "$name: $n parts asked (at lines $PARTS_AT), the same as one"
		cuts=$(($(wc -w <<<"$PARTS_AT") - 1))
		[ "$cuts" -gt "$most" ] && most=$cuts
	done
	[ "$most" -ge "$min" ]
	tap_ok $? "$name: cut in parts (at most $most cuts, at least $min wanted)"
}

# 1. The benchmark's rule set: one big *nat, cut anywhere.
"$TESTSUITE_DIR/bench/gen" 3000 >"$TMPD/gen.save"
check "bench/gen 3000" "$TMPD/gen.save" 4

# 2. A file made to catch a wrong cut: sections that may not be cut (a
#    table natc leaves out, with a "*nat" line inside it that the scanner
#    skips; a "*nat" after a table left open; a broken COMMIT) between
#    sections that may, each long enough that a cut lands in it, with bad
#    lines, comments, -6 lines, counters and quoted words throughout.
section() { # PREFIX N: N rule lines of many kinds, every 7th bad
	local i
	for ((i = 1; i <= $2; i++)); do
		if ((i % 7 == 0)); then
			echo "-A PREROUTING -p tcp --dport $i -j DNAT --to-destination 10.$1.0.300"
		elif ((i % 11 == 0)); then
			echo "# $1 comment $i"
		elif ((i % 13 == 0)); then
			echo "-6 -A PREROUTING -p tcp --dport $i -j REDIRECT --to-ports 1"
		elif ((i % 17 == 0)); then
			echo "[3:$i] -A POSTROUTING -s 10.$1.$((i % 250)).0/24 -o eth0 -j SNAT --to-source 192.0.2.$((i % 250 + 1))"
		elif ((i % 23 == 0)); then
			# extensions natc hands to libxtables: its lock in use
			echo "-A PREROUTING -p tcp -m time --timestart 10:$((i % 60)) -m recent --name r$1 --rcheck -j RETURN"
		elif ((i % 19 == 0)); then
			echo "-A OUTPUT -d 127.0.0.1/32 -p udp -m udp --dport $i -m comment --comment \"sec $1 rule $i\" -j REDIRECT --to-ports $((i + 1))"
		else
			echo "-A PREROUTING -i eth$(($1 % 3)) -p tcp -m tcp --dport $i -j DNAT --to-destination 10.$1.$((i % 250)).1:$((i + 1000))"
		fi
	done
}
{
	echo "# made by translate-parts.t"
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	section 1 150 | sed 's/-A PREROUTING/-A INPUT/; s/-A POSTROUTING/-A INPUT/; s/-A OUTPUT/-A INPUT/'
	echo "*nat"
	section 2 150
	echo "COMMIT"
	echo "*nat"
	echo ":PREROUTING ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo ":POSTROUTING ACCEPT [0:0]"
	echo ":SVC - [0:0]"
	section 3 300
	echo "-A SVC -j RETURN"
	echo "COMMIT x"
	section 4 150
	echo "*raw"
	section 5 150 | sed 's/-j DNAT .*/-j CT --notrack/'
	echo "*nat"
	section 6 150
	echo "COMMIT"
	echo ""
	echo "*nat"
	section 7 300
	echo "-A POSTROUTING -o eth0 -j MASQUERADE"
	echo "COMMIT"
	echo "*mangle"
	section 8 150 | sed 's/-j DNAT .*/-j MARK --set-mark 1/'
	echo "COMMIT"
	echo "*nat"
	section 9 300
	echo "-X SVC"
} >"$TMPD/mixed.save"
check "mixed tables, errors, comments" "$TMPD/mixed.save" 2
run "$TMPD/mixed.save" 1
case $REPLY in
status\ 0*) tap_fail "mixed: the bad lines make the status non-zero" "$REPLY" ;;
*) tap_pass "mixed: the bad lines make the status non-zero" ;;
esac

# 3. The Docker and kube-proxy files of the restore tests, repeated so that
#    there is something to cut (each copy replaces the table again).
for f in "$TESTSUITE_DIR"/restore/sync-*/00-*.save; do
	for _ in 1 2 3 4 5 6 7 8; do cat "$f"; done >"$TMPD/rep.save"
	check "$(basename "$(dirname "$f")")/$(basename "$f") x8" "$TMPD/rep.save" 1
done

# 4. Every save file of the restore tests (all the line forms, good and
#    bad) one after the other, twice.
cat "$TESTSUITE_DIR"/restore/*.save "$TESTSUITE_DIR"/restore/*.save >"$TMPD/all.save"
check "restore/*.save one after the other" "$TMPD/all.save" 1

# 5. A file of 1 MiB or more is mapped (parser/readall.c, nc_input_read),
#    one from a pipe is read: the same text either way, in parts and in
#    one, whatever the mixed file's bad lines and a last line without its
#    newline.
for _ in 1 2 3 4 5 6; do cat "$TMPD/mixed.save"; done >"$TMPD/big.save"
"$TESTSUITE_DIR/bench/gen" 6000 >>"$TMPD/big.save"
printf -- '-A POSTROUTING -o eth1 -j MASQUERADE' >>"$TMPD/big.save"
size=$(stat -c %s "$TMPD/big.save")
[ "$size" -ge 1048576 ]
tap_ok $? "the big file is big enough to be mapped ($size bytes)"
check "a mapped file" "$TMPD/big.save" 4
run "$TMPD/big.save" 1
name="$TMPD/big.save:"
mapped=${REPLY//"$name"/<stdin>:}
# shellcheck disable=SC2002 # a pipe, not the file: read, not mapped
out=$(cat "$TMPD/big.save" | NATC_PARTS=1 "$RXL" 2>"$TMPD/err")
rc=$?
err=$(grep -v '^natc-restore-translate: [0-9]* parts at lines' "$TMPD/err")
tap_is "status $rc"$'\n'"--- stdout"$'\n'"$out"$'\n'"--- stderr"$'\n'"$err" "$mapped" \
	"the file read from a pipe translates as it does mapped"

# 6. What the driver means by a save file is the same whatever the cuts
#    (issue 13: the status once depended on them, and the line index was
#    sized for len/2 lines).
# 6a. blank lines only: more lines than half the bytes
head -c 200000 /dev/zero | tr '\0' '\n' >"$TMPD/blank.save"
run "$TMPD/blank.save" 1
tap_is "${REPLY%%$'\n'*}" "status 0" "200,000 blank lines: translated to an empty script, status 0"
# 6b. one bad line late in a big file: status 1 however it is cut
{
	echo "*nat"
	for ((i = 1; i <= 20000; i++)); do
		if ((i == 15000)); then
			echo "-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.300"
		else
			echo "-A PREROUTING -p tcp --dport $((i % 60000 + 1)) -j REDIRECT --to-ports 8080"
		fi
	done
	echo "COMMIT"
} >"$TMPD/late.save"
for n in 1 2 4 8; do
	run "$TMPD/late.save" "$n"
	st=0
	[ "${REPLY%%$'\n'*}" = "status 1" ] || st=1
	grep -q "late.save:15001: " <<<"$REPLY" || st=1
	tap_ok "$st" "a bad line at 15,001 of 20,002: status 1 in $n part(s) (at $PARTS_AT)" \
		"$(tail -3 <<<"$REPLY")"
done
# 6c. what natc-restore refuses, the translation refuses too (status 1 and
#     the line named), in one part and in two
bad() { # NAME TEXT LINE
	local n
	printf '%b' "$2" >"$TMPD/bad.save"
	for n in 1 2; do
		run "$TMPD/bad.save" "$n"
		st=0
		[ "${REPLY%%$'\n'*}" = "status 1" ] || st=1
		grep -q "bad.save:$3: " <<<"$REPLY" || st=1
		tap_ok "$st" "refused: $1 ($n part(s))" "$REPLY"
	done
}
bad "*nat inside *nat" '*nat\n*nat\nCOMMIT\n' 2
bad "*filter inside *nat" '*nat\n*filter\nCOMMIT\n' 2
bad "-t in a save line" '*nat\n-t nat -A PREROUTING -j RETURN\nCOMMIT\n' 2
bad "an empty chain name" '*nat\n: - [0:0]\nCOMMIT\n' 2
bad "a 300-character chain name" "*nat\n:$(printf 'x%.0s' {1..300}) - [0:0]\nCOMMIT\n" 2
bad "COMMIT outside a table" 'COMMIT\n' 1
bad "a table never committed" '*nat\n-A PREROUTING -j RETURN\n' 1

done_testing
