#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# warnings.t - warnings travel to cli/, which alone prints them: each once,
# in the order raised, as errors are printed (iptables' words on a command
# line; FILE:LINE:COL with the line and a caret for file input).  The
# warning is iptables' own for --nflog-range (libxt_NFLOG: it is raised in
# the extension's final check, so not for a second --nflog-range or a bad
# value, which the option parser refuses first, but before the refusal of
# --nflog-size beside it):
#  (a) natc-translate against iptables-translate 1.8.9: the same stderr
#      (program name and version aside), stdout and exit status;
#  (b) natc and natc-restore against iptables-nft and iptables-nft-restore,
#      each in a namespace of its own: the same exit status; natc as
#      iptables-nft on stderr; natc-restore each warning at its line;
#  (c) natc-restore-translate: a save file (in one part and in several,
#      NATC_PARTS) and a shell script;
#  (d) natc --explain: a save file and a command line;
#  (e) natc's own warning (backend/netlink: native rules added to a table
#      iptables-nft wrote, see interop.t): natc-restore at the line of
#      the rule that raised it, natc -R with the command line's prefix.

# shellcheck source=testsuite/lib.sh
. "$(dirname "$0")/lib.sh"

require_root
require_cmds ip timeout iptables-translate iptables-nft iptables-nft-restore
require_natc
NATC_DIR=$(dirname "$NATC")

W='--nflog-range has never worked and is no longer supported, please use --nflog-size instead'

# norm TEXT: REPLY = TEXT with the program's name and version made one.
norm() {
	REPLY=$(printf '%s' "$1" | sed -E 's/(iptables|natc)(-[a-z-]+)?( v[0-9]+\.[0-9]+\.[0-9]+)?/PROG/g')
}

# in_tmp CMD...: run CMD outside any namespace of ours (no kernel needed);
# sets RUN_OUT, RUN_ERR, RUN_RC as run_cap does.
in_tmp() {
	"$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	RUN_RC=$?
	RUN_OUT='' RUN_ERR=
	IFS='' read -r -d '' RUN_OUT <"$TMPD/out"
	IFS='' read -r -d '' RUN_ERR <"$TMPD/err"
	return 0
}

CASES=(
	"-A POSTROUTING -j NFLOG --nflog-range 5"
	"-A POSTROUTING -s 10.0.0.1,10.0.0.2 -j NFLOG --nflog-range 5 --nflog-group 3"
	"-A POSTROUTING -j NFLOG --nflog-range 5 --nflog-range 6"
	"-A POSTROUTING -j NFLOG --nflog-range x"
	"-A POSTROUTING -j NFLOG --nflog-range 5 --nflog-size 4"
	"-A POSTROUTING -j NFLOG --nflog-size 4 --nflog-range 5"
)

# ------------------------------------------------- (a) natc-translate

for c in "${CASES[@]}"; do
	read -ra words <<<"$c"
	in_tmp iptables-translate -t nat "${words[@]}"
	norm "$RUN_ERR"; e_err=$REPLY; e_out=$RUN_OUT; e_rc=$RUN_RC
	in_tmp timeout "$NATC_TIMEOUT" "$NATC_DIR/natc-translate" -t nat "${words[@]}"
	norm "$RUN_ERR"
	tap_is "$REPLY" "$e_err" "natc-translate $c: stderr as iptables-translate's"
	tap_is "$RUN_OUT|$RUN_RC" "$e_out|$e_rc" "natc-translate $c: stdout and status"
done
in_tmp "$NATC_DIR/natc-translate" -t nat -A POSTROUTING -j NFLOG --nflog-range 5
tap_is "$(grep -c -- "^warn: $W\$" <<<"$RUN_ERR")" 1 "natc-translate: the warning once"

# ------------------------------------------ (b) natc, natc-restore

for c in "${CASES[@]}"; do
	read -ra words <<<"$c"
	ns_new A ipt
	ns_new B natc
	run_cap "$A" iptables-nft -t nat "${words[@]}"
	norm "$RUN_ERR"; e_err=$REPLY; e_rc=$RUN_RC
	run_cap "$B" timeout "$NATC_TIMEOUT" "$NATC" -t nat "${words[@]}"
	norm "$RUN_ERR"
	tap_is "$REPLY|$RUN_RC" "$e_err|$e_rc" "natc $c: stderr and status as iptables-nft's"
	ns_del "$A"
	ns_del "$B"
done

# a save file: a warning at lines 2 and 4; and one refused at line 3
printf '*nat\n-A POSTROUTING -j NFLOG --nflog-range 5\n-A POSTROUTING -j NFLOG --nflog-group 2\n-A POSTROUTING -j NFLOG --nflog-range 7\nCOMMIT\n' >"$TMPD/ok.save"
printf '*nat\n-A POSTROUTING -j NFLOG --nflog-range 5\n-A POSTROUTING -j NFLOG --nflog-range 7 --nflog-size 3\nCOMMIT\n' >"$TMPD/bad.save"
OK_WARN="$TMPD/ok.save:2:39: warning: $W
-A POSTROUTING -j NFLOG --nflog-range 5
                                      ^
$TMPD/ok.save:4:39: warning: $W
-A POSTROUTING -j NFLOG --nflog-range 7
                                      ^
"
BAD_WARN="$TMPD/bad.save:2:39: warning: $W
-A POSTROUTING -j NFLOG --nflog-range 5
                                      ^
$TMPD/bad.save:3:39: warning: $W
-A POSTROUTING -j NFLOG --nflog-range 7 --nflog-size 3
                                      ^
"
for f in ok bad; do
	ns_new A ipt
	ns_new B natc
	run_cap "$A" iptables-nft-restore "$TMPD/$f.save"
	e_rc=$RUN_RC
	tap_is "$(grep -c -- "^warn: $W\$" <<<"$RUN_ERR")" 2 \
		"iptables-nft-restore $f.save: warns for each line (the harness)"
	run_cap "$B" timeout "$NATC_TIMEOUT" "$NATC_DIR/natc-restore" "$TMPD/$f.save"
	tap_is "$RUN_RC" "$e_rc" "natc-restore $f.save: status as iptables-nft-restore's"
	if [ "$f" = ok ]; then
		tap_is "$RUN_ERR" "$OK_WARN" "natc-restore $f.save: each warning once, at its line, with a caret"
	else
		tap_is "${RUN_ERR%%"$TMPD/bad.save:3:19: error:"*}" "$BAD_WARN" \
			"natc-restore $f.save: the warnings first, at their lines"
		tap_is "$(grep -c ': error: ' <<<"$RUN_ERR")" 1 "natc-restore $f.save: then the error"
	fi
	ns_del "$A"
	ns_del "$B"
done

# --------------------------------------- (c) natc-restore-translate

in_tmp "$NATC_DIR/natc-restore-translate" "$TMPD/ok.save"
tap_is "$RUN_ERR|$RUN_RC" "$OK_WARN|0" "natc-restore-translate ok.save: each warning once, at its line"
NATC_PARTS=3 in_tmp "$NATC_DIR/natc-restore-translate" "$TMPD/ok.save"
tap_is "$(grep -v 'parts at lines' <<<"$RUN_ERR")
|$RUN_RC" "$OK_WARN|0" "natc-restore-translate ok.save in 3 parts: the same, in order"
in_tmp "$NATC_DIR/natc-restore-translate" "$TMPD/bad.save"
tap_is "$RUN_ERR|$RUN_RC" "$BAD_WARN$TMPD/bad.save:3: NFLOG: option \"--nflog-range\" cannot be used together with \"--nflog-size\".
|1" "natc-restore-translate bad.save: the warnings, then what is not translated"
printf 'iptables -t nat -A POSTROUTING -j NFLOG --nflog-group 1\niptables -t nat -A POSTROUTING -j NFLOG --nflog-range 5\n' >"$TMPD/s.sh"
in_tmp "$NATC_DIR/natc-restore-translate" "$TMPD/s.sh"
tap_is "$RUN_ERR|$RUN_RC" "$TMPD/s.sh:2: warning: $W
|0" "natc-restore-translate of a script: the warning at its line"

# ------------------------------------------------- (d) natc --explain

in_tmp "$NATC" --explain --exit-zero "$TMPD/ok.save"
tap_is "$RUN_ERR|$RUN_RC" "$TMPD/ok.save:2:39: warning: $W
$TMPD/ok.save:4:39: warning: $W
|0" "natc --explain ok.save: each warning once, at its line"
ns_new B explain
run_cap "$B" timeout "$NATC_TIMEOUT" "$NATC" --explain --exit-zero -t nat -A POSTROUTING -j NFLOG --nflog-range 5
tap_is "$RUN_ERR|$RUN_RC" "warn: $W
|0" "natc --explain -A ...: the warning once, as on a command line"
ns_del "$B"

# ----------------------------------------- (e) natc's own, from netlink

X="table \`nat' holds rules written by iptables-nft; with natc's native expressions in it, iptables-nft will no longer be able to list it (natc --xt writes rules as iptables-nft does)"
ns_new B xt
run_cap "$B" iptables-nft -t nat -A OUTPUT -m statistic --mode random --probability 0.5 -j RETURN
run_cap "$B" iptables-nft -t nat -A OUTPUT -j RETURN
printf '*nat\n-D OUTPUT -j RETURN\n-A OUTPUT -j RETURN\n-A OUTPUT -p tcp -j REDIRECT --to-ports 1\n-A OUTPUT -p udp -j REDIRECT --to-ports 2\nCOMMIT\n' >"$TMPD/xt.save"
run_cap "$B" timeout "$NATC_TIMEOUT" "$NATC_DIR/natc-restore" --noflush "$TMPD/xt.save"
tap_is "$RUN_ERR|$RUN_RC" "$TMPD/xt.save:4:1: warning: $X
-A OUTPUT -p tcp -j REDIRECT --to-ports 1
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
|0" "natc-restore: the table warning once, at the rule that raised it"
run_cap "$B" timeout "$NATC_TIMEOUT" "$NATC" -t nat -R OUTPUT 2 -p tcp -j REDIRECT --to-ports 9
tap_is "$RUN_ERR|$RUN_RC" "warn: $X
|0" "natc -R: the table warning once"
ns_del "$B"

done_testing
