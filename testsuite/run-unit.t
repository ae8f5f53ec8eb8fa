#!/bin/bash
# Runs every unit test program (build/testsuite/unit/*) as one TAP stream
# per program, through prove's --exec-less interface: each becomes a subtest.
# With CI=true a program that skips (all or part) fails.
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
	if [ "${CI:-}" = true ] && printf '%s\n' "$out" | grep -q '# SKIP'; then
		# the programs fail rather than skip with CI=true; in case one
		# does not, CI must still never skip
		echo "not ok $n - unit/$(basename "$t") (skipped with CI=true)"
		fail=1
	elif [ $rc -eq 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		echo "ok $n - unit/$(basename "$t")"
	else
		echo "not ok $n - unit/$(basename "$t") (exit $rc)"
		fail=1
	fi
done
echo "1..$n"
[ $n -gt 0 ] || { echo "# no unit test programs: run make units"; exit 1; }
exit $fail
