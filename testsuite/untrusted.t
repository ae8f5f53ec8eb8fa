#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# untrusted.t - what natc-translate, natc-restore-translate and natc
# --explain make of files anyone may have written (issue 13): no crash,
# hang or unbounded memory, a located refusal, and no code run from a
# directory the environment names.
#
#   1 NUL bytes, /dev/zero (a file and a pipe), a 1 MiB line: refused at
#     their line and column, status 2, within `ulimit -v` and a time
#     limit, in one part and in several (parser/parts.c), nothing after
#     them read (no script written).  iptables-nft 1.8.9 reads a line up
#     to its first NUL and in 10,240-byte pieces: natc is stricter
#     (docs/limits.md).
#   2 shell scripts past their limits (a variable doubled to 1 GB, loops
#     of 10^12 passes): refused at their line, status 2.  A shell would
#     run them; natc never runs a script and refuses to expand it past
#     32768 bytes a value, 64 MiB in all.  The same in here-documents,
#     whose lines count as commands walked; one without its end word is
#     read to the end of the file (once) and not followed.
#   3 --explain of the same files, and its bad options without a leak
#     (valgrind).
#   4 XTABLES_LIBDIR naming a directory holding a planted extension (a
#     library whose constructor writes a marker file): reading a command,
#     a save file or a script that uses `-m` of that name must not load
#     it.  iptables-translate 1.8.9 loads it (checked: the harness plants
#     a library that works).
#
# No kernel and no root needed.  Environment: NATC (natc-translate and
# natc-restore-translate are beside it), NATC_TIMEOUT.

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_natc
require_cmds cc timeout
XL=$(dirname "$NATC")/natc-translate
RXL=$(dirname "$NATC")/natc-restore-translate
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT

# lim KB CMD...: CMD with its address space limited to KB KiB (not under
# AddressSanitizer, which reserves terabytes of it) and a time limit; RC,
# OUT (stdout bytes), ERR (stderr).
lim() {
	local kb=$1
	shift
	[ -n "${ASAN_OPTIONS:-}" ] && kb=unlimited
	bash -c 'ulimit -v "$1"; shift; exec "$@"' - "$kb" \
		timeout -k 5 "$NATC_TIMEOUT" "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	RC=$?
	OUT=$(wc -c <"$TMPD/out")
	ERR=$(cat "$TMPD/err")
}

# refused NAME WANT_ERR_LINE1 KB CMD...: status 2, nothing on stdout, the
# first line of stderr WANT.
refused() {
	local name=$1 want=$2 kb=$3
	shift 3
	lim "$kb" "$@"
	local l1
	l1=$(head -1 <<<"$ERR")
	tap_ok $( ([ "$RC" = 2 ] && [ "$OUT" = 0 ] && [ "$l1" = "$want" ]) && echo 0 || echo 1) \
		"$name" "status $RC, $OUT bytes on stdout, stderr:" "$(head -3 <<<"$ERR" | cut -c1-300)"
}

NUL_MSG="NUL byte in a line: not a text file"
LONG_MSG="line longer than 32768 bytes"

# ------------------------------------------------ 1. save files --------

f=$TMPD/nul.save
{ printf '*nat\n--policy'; head -c 262144 /dev/zero; printf ' OUTPUT ACCEPT\nCOMMIT\n'; } >"$f"
refused "save file: --policy and 256 KiB of NULs" "$f:2:9: error: $NUL_MSG" 200000 "$RXL" "$f"

# (zeros have no "*table" line: read as a script, whose errors name lines
# only)
refused "/dev/zero" "/dev/zero:1: error: $NUL_MSG" 100000 "$RXL" /dev/zero
bash -c '[ -n "${ASAN_OPTIONS:-}" ] || ulimit -v 100000; head -c 1000000000 /dev/zero | timeout -k 5 "$2" "$1" >/dev/null 2>"$3"; echo "${PIPESTATUS[1]}"' \
	- "$RXL" "$NATC_TIMEOUT" "$TMPD/err" >"$TMPD/rc"
tap_ok $( ([ "$(cat "$TMPD/rc")" = 2 ] &&
	[ "$(head -1 "$TMPD/err")" = "<stdin>:1: error: $NUL_MSG" ]) && echo 0 || echo 1) \
	"1 GB of zeros through a pipe, stopped at line 1" \
	"status $(cat "$TMPD/rc")" "$(head -2 "$TMPD/err")"

f=$TMPD/long.save
{ printf '*nat\n-A POSTROUTING -j MASQUERADE -m comment --comment '; head -c 1048576 /dev/zero | tr '\0' a; printf '\nCOMMIT\n'; } >"$f"
refused "save file: a line of 1 MiB" "$f:2:32769: error: $LONG_MSG" 200000 "$RXL" "$f"

# a NUL late in a file read in parts: refused at its line, nothing of the
# parts before or after it written
f=$TMPD/late.save
{
	for t in 1 2 3 4; do
		echo '*nat'
		for i in $(seq 1 2000); do echo "-A PREROUTING -s 10.$t.$((i / 256)).$((i % 256)) -j RETURN"; done
		echo COMMIT
	done
} >"$f"
printf '*nat\n-A PREROUTING -j RET\0URN\nCOMMIT\n' >>"$f"
for n in 1 4; do
	NATC_PARTS=$n lim 400000 "$RXL" "$f"
	l1=$(grep -v 'parts at lines' <<<"$ERR" | head -1)
	tap_ok $( ([ "$RC" = 2 ] && [ "$OUT" = 0 ] && [ "$l1" = "$f:8010:21: error: $NUL_MSG" ]) && echo 0 || echo 1) \
		"save file: a NUL on the last of 8,011 lines, $n part(s): refused there, no script" \
		"status $RC, $OUT bytes on stdout" "$(head -3 <<<"$ERR")"
done

# ------------------------------------------------ 2. shell scripts -----

f=$TMPD/double.sh
{
	echo 'A=x'
	for i in $(seq 1 28); do echo 'A=$A$A'; done
	echo 'iptables -t nat -A POSTROUTING -m comment --comment "$A" -j MASQUERADE'
} >"$f"
refused "script: A=\$A\$A 28 times (1 GB in a shell)" "$f:17: error: a variable's value or an expanded word longer than 32768 bytes" \
	200000 "$RXL" "$f"

f=$TMPD/loops.sh
{
	echo 'L="0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31"'
	echo 'for a in $L; do for b in $L; do for c in $L; do for d in $L; do for e in $L; do for g in $L; do for h in $L; do for i in $L; do'
	echo 'iptables -t nat -A POSTROUTING -s 10.$a.$b.$c -j MASQUERADE'
	echo 'done; done; done; done; done; done; done; done'
} >"$f"
refused "script: loops nested eight deep over 32 words (10^12 passes)" \
	"$f:3: error: the script expands to more than 250000 commands (loops repeat them): natc reads no further" \
	400000 "$RXL" "$f"

printf 'iptables -t nat -F\nipt\0ables -t nat -X\n' >"$TMPD/nul.sh"
refused "script: a NUL byte" "$TMPD/nul.sh:2: error: $NUL_MSG" 100000 "$RXL" "$TMPD/nul.sh"

# here-documents (issue 14) keep the same limits: a body fed to
# iptables-restore in nested loops counts its lines as commands walked,
# a value doubled inside one is refused at its line
f=$TMPD/here-loops.sh
{
	echo 'L="0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31"'
	echo 'for a in $L; do for b in $L; do for c in $L; do for d in $L; do'
	echo 'iptables-restore -n <<EOF'
	echo '*nat'
	echo '-A POSTROUTING -s 10.$a.$b.$c -j MASQUERADE'
	echo 'COMMIT'
	echo 'EOF'
	echo 'done; done; done; done'
} >"$f"
refused "script: iptables-restore fed a here-document in loops of 10^6 passes" \
	"$f:3: error: the script expands to more than 250000 commands (loops repeat them): natc reads no further" \
	400000 "$RXL" "$f"
f=$TMPD/here-double.sh
{
	echo 'A=x'
	for i in $(seq 1 15); do echo 'A=$A$A'; done
	printf 'iptables-restore <<EOF\n*nat\n-A POSTROUTING -m comment --comment "$A$A" -j MASQUERADE\nCOMMIT\nEOF\n'
} >"$f"
refused "script: a here-document's line expanded past 32768 bytes" \
	"$f:19: error: a variable's value or an expanded word longer than 32768 bytes" \
	200000 "$RXL" "$f"
# a here-document without its end word: read to the end of the file as
# the shell does (once, in linear time), reported line by line and not
# followed, status 1 (a nat table in it)
f=$TMPD/here-open.sh
{
	echo 'iptables-restore <<EOF'
	echo '*nat'
	for i in $(seq 1 100000); do echo "-A POSTROUTING -s 10.0.$((i / 256)).$((i % 256)) -j MASQUERADE"; done
} >"$f"
lim 400000 "$RXL" "$f"
n=$(grep -c "^$f:[0-9]*: a here-document without its end word" "$TMPD/err")
tap_ok $( ([ "$RC" = 1 ] && [ "$n" = 100002 ] && ! grep -q '^add rule' "$TMPD/out") && echo 0 || echo 1) \
	"script: a here-document of 100,000 lines without its end word: each line reported, none followed, status 1" \
	"status $RC, $n lines reported" "$(head -3 <<<"$ERR")"

# ------------------------------------------------ 3. --explain ---------

lim 200000 "$NATC" --explain "$TMPD/nul.save"
tap_ok $( ([ "$RC" = 2 ] && [[ "$ERR" == *"nul.save:2:9: error: $NUL_MSG"* ]]) && echo 0 || echo 1) \
	"--explain: the NUL file refused at 2:9, status 2" "status $RC" "$ERR"
lim 100000 "$NATC" --explain /dev/zero
tap_ok $( ([ "$RC" = 2 ] && [[ "$ERR" == *"/dev/zero:1:1: error: $NUL_MSG"* ]]) && echo 0 || echo 1) \
	"--explain: /dev/zero refused at line 1, status 2" "status $RC" "$ERR"
lim 200000 "$NATC" --explain "$TMPD/double.sh"
tap_ok $( ([ "$RC" = 2 ] && [[ "$ERR" == *"double.sh:17:1: error: a variable's value"* ]]) && echo 0 || echo 1) \
	"--explain: the doubled variable refused at line 17, status 2" "status $RC" "$ERR"

# (under AddressSanitizer, its leak checker: ASAN_OPTIONS exitcode=99)
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
[ -n "${ASAN_OPTIONS:-}" ] && VG=()
if [ ${#VG[@]} = 0 ] || command -v valgrind >/dev/null 2>&1; then
	for args in "--json --dot x.save" "--packet"; do
		# shellcheck disable=SC2086
		"${VG[@]}" "$NATC" --explain $args >/dev/null 2>"$TMPD/vg"
		rc=$?
		tap_ok $((rc != 2)) "--explain $args: refused (2) without a leak" \
			"status $rc (99: a leak or a memory error)" "$(cat "$TMPD/vg")"
	done
else
	tap_skip "--explain: bad options without a leak" "valgrind not installed"
fi

# ------------------------------------------------ 4. XTABLES_LIBDIR ----

mkdir -p "$TMPD/lib"
cat >"$TMPD/planted.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
/* runs when the library is loaded: the marker says it was */
__attribute__((constructor)) static void planted(void)
{
	const char *m = getenv("PLANTED_MARKER");
	FILE *f = m ? fopen(m, "w") : NULL;

	if (f)
		fclose(f);
}
EOF
if ! cc -shared -fPIC -o "$TMPD/lib/libxt_planted.so" "$TMPD/planted.c" 2>"$TMPD/cc"; then
	tap_fail "XTABLES_LIBDIR: the planted library builds" "$(cat "$TMPD/cc")"
else
	M=$TMPD/marker
	printf 'iptables -t nat -A POSTROUTING -m planted --x 1 -j MASQUERADE\n' >"$TMPD/planted.sh"
	printf '*nat\n-A POSTROUTING -m planted --x 1 -j MASQUERADE\nCOMMIT\n' >"$TMPD/planted.save"
	# harness check: the library is one libxtables would run
	if command -v iptables-translate >/dev/null 2>&1; then
		rm -f "$M"
		PLANTED_MARKER=$M XTABLES_LIBDIR=$TMPD/lib iptables-translate -t nat -A POSTROUTING \
			-m planted -j MASQUERADE >/dev/null 2>&1
		tap_ok $([ -e "$M" ] && echo 0 || echo 1) \
			"XTABLES_LIBDIR: iptables-translate 1.8.9 loads the planted library (harness check)"
	else
		tap_skip "XTABLES_LIBDIR: the planted library loads (harness check)" "no iptables-translate"
	fi
	planted() { # NAME CMD...
		local name=$1
		shift
		rm -f "$M"
		PLANTED_MARKER=$M XTABLES_LIBDIR=$TMPD/lib IPTABLES_LIB_DIR=$TMPD/lib \
			timeout -k 5 "$NATC_TIMEOUT" "$@" >/dev/null 2>"$TMPD/err"
		tap_ok $([ -e "$M" ] && echo 1 || echo 0) "XTABLES_LIBDIR: $name loads nothing from it" \
			"the planted library ran" "$(cat "$TMPD/err")"
	}
	planted "natc-translate -m planted" "$XL" -t nat -A POSTROUTING -m planted --x 1 -j MASQUERADE
	planted "natc-restore-translate of a save file" "$RXL" "$TMPD/planted.save"
	planted "natc-restore-translate of a script" "$RXL" "$TMPD/planted.sh"
	planted "natc --explain of a script" "$NATC" --explain "$TMPD/planted.sh"
	planted "natc --explain of a save file" "$NATC" --explain "$TMPD/planted.save"
fi

# The inputs the fuzz harnesses once failed on (testsuite/fuzz/seeds/
# regress-*, replayed by make fuzz too): refused at their line in bounded
# time, by every tool that reads files: status 2 (natc-restore-translate
# goes on after a bad line and exits 1, unless the input is refused whole).
for f in "$TESTSUITE_DIR"/fuzz/seeds/*/regress-*; do
	for tool in "$RXL" "$NATC --explain"; do
		# shellcheck disable=SC2086 # "$NATC --explain": two words
		timeout -k 5 "$NATC_TIMEOUT" $tool "$f" >/dev/null 2>"$TMPD/err"
		rc=$?
		st=0
		[ "$rc" = 2 ] || { [ "$rc" = 1 ] && [ "$tool" = "$RXL" ]; } || st=1
		grep -qE "^$f:[0-9]+(:[0-9]+)?: " "$TMPD/err" || st=1
		tap_ok "$st" "fuzz find $(basename "$f"): $(basename "${tool%% *}") refuses it at its line (status $rc)" \
			"$(head -c 600 "$TMPD/err")"
	done
done

done_testing
