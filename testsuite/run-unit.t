#!/bin/bash
# Runs every unit test program (build/testsuite/unit/*) as one TAP stream
# per program, through prove's --exec-less interface: each becomes a subtest.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
n=0
fail=0
for t in "$top"/build/testsuite/unit/*; do
	[ -x "$t" ] || continue
	n=$((n + 1))
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/    /'
	if [ $rc -eq 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		echo "ok $n - unit/$(basename "$t")"
	else
		echo "not ok $n - unit/$(basename "$t") (exit $rc)"
		fail=1
	fi
done
echo "1..$n"
[ $n -gt 0 ] || { echo "# no unit test programs: run make units"; exit 1; }
exit $fail
