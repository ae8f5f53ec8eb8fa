// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scanner, grammar and build pass, without the kernel: a command line goes
 * in, and either the rules' -S form or iptables' message comes out.  The
 * expected texts are what iptables-nft 1.8.9 prints for the same input.
 */
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include "testsuite/unit/tap.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/print.h"
#include "ir/ext.h"

/* Build @line and print its rules as -S would ("" when it has none), or
 * "ERR<status>: message". */
static char *run(const char *line)
{
	struct nc_err err = { 0 };
	struct nc_buf b = { 0 };
	struct nc_cmd *cmd = nc_parse_line(line, 1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, AF_INET, &err) : NULL;

	if (!job) {
		/* the blank lines iptables prints around some messages aside */
		const char *m = err.msg + strspn(err.msg, "\n");

		nc_buf_printf(&b, "ERR%d: %.*s", err.status, (int)strcspn(m, "\n"), m);
	} else {
		for (size_t i = 0; i < job->nrules; i++) {
			if (i)
				nc_buf_putc(&b, '\n');
			nc_print_rule_spec(job->rules[i], job->chain, false, &b);
		}
	}
	nc_job_free(job);
	nc_cmd_free(cmd);
	if (!b.s)
		return strdup("");
	return b.s;
}

static void check(const char *line, const char *want)
{
	char *got = run(line);

	is_str(got, want, "%s", line);
	free(got);
}

/* Location of the error, as "line:first-last". */
static void check_loc(const char *line, unsigned first, unsigned last)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line(line, 7, &err);
	struct nc_job *job = cmd ? nc_build(cmd, AF_INET, &err) : NULL;

	ok(!job && err.loc.line == 7 && err.loc.first_col == first &&
	   err.loc.last_col == last, "error in '%s' at 7:%u-%u (got %u:%u-%u)",
	   line, first, last, err.loc.line, err.loc.first_col, err.loc.last_col);
	nc_job_free(job);
	nc_cmd_free(cmd);
}

static void check_kind(const char *line, enum nc_cmd_kind kind, const char *chain,
		       size_t rulenum, unsigned fmt)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line(line, 1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, AF_INET, &err) : NULL;

	ok(job && job->kind == kind && !strcmp(job->chain, chain) &&
	   job->rulenum == rulenum && job->fmt == fmt, "command of '%s'%s%s", line,
	   job ? "" : ": ", job ? "" : err.msg);
	nc_job_free(job);
	nc_cmd_free(cmd);
}

/* owner's names are looked up with the reentrant calls, so that threads
 * may build them at once (natc-restore-translate's do): each thread
 * builds lines naming a user and a group of its own, many times. */
struct owner_case {
	char line[160], want[160];
	int wrong;
};

static void *owner_thread(void *arg)
{
	struct owner_case *c = arg;

	for (int i = 0; i < 300; i++) {
		char *got = run(c->line);

		if (strcmp(got, c->want))
			c->wrong++;
		free(got);
	}
	return NULL;
}

static void owner_names(void)
{
	static const char *const users[] = { "root", "daemon", "nobody", "bin" };
	static const char *const groups[] = { "nogroup", "root", "daemon", "bin" };
	struct owner_case c[4] = { 0 };
	pthread_t th[4];
	int n = 0;

	for (int i = 0; i < 4; i++) {
		struct passwd *pw = getpwnam(users[i]);	/* before any thread */
		struct group *gr = getgrnam(groups[i]);

		if (!pw || !gr)
			continue;
		snprintf(c[n].line, sizeof(c[n].line),
			 "-A OUTPUT -m owner --uid-owner %s --gid-owner %s -j ACCEPT",
			 users[i], groups[i]);
		snprintf(c[n].want, sizeof(c[n].want),
			 "-A OUTPUT -m owner --uid-owner %u --gid-owner %u -j ACCEPT",
			 (unsigned)pw->pw_uid, (unsigned)gr->gr_gid);
		n++;
	}
	if (!n) {
		printf("ok %d - # SKIP owner names: no such users here\n", ++tap_n);
		return;
	}
	check(c[0].line, c[0].want);
	check("-A OUTPUT -m owner --uid-owner no-such-user-natc -j ACCEPT",
	      "ERR2: owner: Bad value for \"--uid-owner\" option: \"no-such-user-natc\"");
	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, owner_thread, &c[i]))
			c[i].wrong = -1;
	for (int i = 0; i < n; i++)
		if (c[i].wrong >= 0)
			pthread_join(th[i], NULL);
	for (int i = 0; i < n; i++)
		ok(c[i].wrong == 0, "%d threads at once: '%s' (%d wrong)", n,
		   c[i].line, c[i].wrong);
}

int main(void)
{
	/* rules: the generic part */
	check("-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80",
	      "-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80");
	check("-t nat -A POSTROUTING -j MASQUERADE", "-A POSTROUTING -j MASQUERADE");
	check("--append POSTROUTING --out-interface eth0 --jump MASQUERADE",
	      "-A POSTROUTING -o eth0 -j MASQUERADE");
	check("-A FOO ! -s 10.1.2.3/8 -d 192.0.2.1 -i eth+ ! -o ppp0",
	      "-A FOO ! -s 10.0.0.0/8 -d 192.0.2.1/32 -i eth+ ! -o ppp0");
	check("-A PREROUTING -s 10.0.0.0/255.0.255.0 -j RETURN",
	      "-A PREROUTING -s 10.0.0.0/255.0.255.0 -j RETURN");
	check("-A PREROUTING -s 1.2.3.4,5.6.7.8 -d 9.9.9.9/0 -j ACCEPT",
	      "-A PREROUTING -s 1.2.3.4/32 -j ACCEPT\n-A PREROUTING -s 5.6.7.8/32 -j ACCEPT");
	/* repeats in the list are kept, as iptables keeps them */
	check("-A PREROUTING -s 1.2.3.4,1.2.3.4 -j ACCEPT",
	      "-A PREROUTING -s 1.2.3.4/32 -j ACCEPT\n-A PREROUTING -s 1.2.3.4/32 -j ACCEPT");
	check("-A PREROUTING -p udp ! --sport 5: --dport :90 -j DNAT --to-destination :80",
	      "-A PREROUTING -p udp -m udp ! --sport 5:65535 --dport 0:90 -j DNAT --to-destination :80");
	check("-A PREROUTING -p tcp --dport 0:65535 -j ACCEPT", "-A PREROUTING -p tcp -m tcp -j ACCEPT");
	check("-A PREROUTING -p 6 -m tcp --sport ssh", "-A PREROUTING -p tcp -m tcp --sport 22");
	check("-A PREROUTING ! -p udp -f", "-A PREROUTING ! -p udp -f");
	check("-A PREROUTING ! -f -p sctp --dport 1:2", "-A PREROUTING -p sctp ! -f -m sctp --dport 1:2");
	check("-A PREROUTING -g FOO", "-A PREROUTING -g FOO");
	check("-A FOO -j BAR", "-A FOO -j BAR");
	check("-A OUTPUT -p tcp -j REDIRECT --to-ports 8080-8090 --random",
	      "-A OUTPUT -p tcp -j REDIRECT --to-ports 8080-8090 --random");
	check("-A POSTROUTING -p tcp -j MASQUERADE --to-ports 10-20 --random-fully",
	      "-A POSTROUTING -p tcp -j MASQUERADE --to-ports 10-20 --random-fully");
	check("-A POSTROUTING -j SNAT --to-source 1.1.1.1-1.1.1.9 --persistent --random",
	      "-A POSTROUTING -j SNAT --to-source 1.1.1.1-1.1.1.9 --random --persistent");
	check("-A PREROUTING -p tcp -j DNAT --to 1.2.3.4:80-90",
	      "-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-90");
	check("-A PREROUTING -ptcp --dport=80 -j ACCEPT",
	      "-A PREROUTING -p tcp -m tcp --dport 80 -j ACCEPT");
	check("-A 'PREROUTING' -p \"tcp\" -j ACCEPT", "-A PREROUTING -p tcp -j ACCEPT");

	/* errors, with iptables' words */
	check("-A PREROUTING --dport 80", "ERR2: unknown option \"--dport\"");
	check("-A PREROUTING -p icmp --dport 80", "ERR2: unknown option \"--dport\"");
	check("-A PREROUTING -p tcp --dport 70000", "ERR2: invalid port/service `70000' specified");
	check("-A PREROUTING -s 1.2.3.4/33", "ERR2: invalid mask `33' specified");
	check("-A PREROUTING -p foo", "ERR2: unknown protocol \"foo\" specified");
	check("-A PREROUTING -j DNAT", "ERR2: DNAT: option \"--to-destination\" must be specified");
	check("-A PREROUTING -j DNAT --to-destination 1.2.3.4:80",
	      "ERR2: Need TCP, UDP, SCTP or DCCP with port specification");
	check("-A PREROUTING -j DROP",
	      "ERR2: The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.");
	check("-A PREROUTING -j ACCEPT -j RETURN", "ERR2: multiple -j flags not allowed");
	check("-A", "ERR2: option \"-A\" requires an argument");
	check("-A PREROUTING foo", "ERR2: Bad argument `foo'");
	check("-q", "ERR2: unknown option \"-q\"");
	check("--foo", "ERR2: unknown option \"--foo\"");
	check("", "ERR2: no command specified");
	check("-A PREROUTING -n -j ACCEPT", "ERR2: Illegal option `-n' with this command");
	check("-S -n", "ERR2: Illegal option `-n' with this command");
	check("-N AVERYLONGCHAINNAMEISTOOLONGFORIT",
	      "ERR2: chain name `AVERYLONGCHAINNAMEISTOOLONGFORIT' too long (must be under 29 chars)");
	check("-A PREROUTING -D PREROUTING 1", "ERR2: Cannot use -D with -A");
	check("-t filter -L", "ERR2: table `filter' is not handled by natc: it manages the nat table only");
	check("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.9-1.2.3.1",
	      "ERR2: Bad IP range \"1.2.3.9-1.2.3.1\": first address is after the last");
	check("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:0", "ERR2: Port `0' not valid");
	check("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.400", "ERR2: Bad IP address \"1.2.3.400\"");
	check("-A PREROUTING -s 1.2.3.400", "ERR2: host/network `1.2.3.400' not found");
	check("-A PREROUTING -j SNAT --to-source 1.2.3.4 --to-source 1.2.3.5",
	      "ERR2: SNAT: option \"--to-source\" can only be used once.");
	check("-A PREROUTING 'unterminated", "ERR2: unterminated quoted string");
	/* in double quotes a backslash takes any next character, as in
	 * iptables-restore: -S writes a comment's ' as \' and must read it
	 * back (found by testsuite/fuzz/cmdline) */
	check("-A PREROUTING -m comment --comment \"it\\'s \\x\\\\ \\\"q\\\"\" -j ACCEPT",
	      "-A PREROUTING -m comment --comment \"it\\'s x\\\\ \\\"q\\\"\" -j ACCEPT");
	check("-A PREROUTING -i \"e\\f\" -j RETURN", "-A PREROUTING -i ef -j RETURN");
	check("-A PREROUTING -i e\\f -j RETURN", "-A PREROUTING -i e\\f -j RETURN");

	/* locations: columns of the word at fault */
	check_loc("-A PREROUTING -p tcp --dport 70000", 30, 34);
	check_loc("-A PREROUTING --bogus", 15, 21);
	check_loc("-A PREROUTING foo", 15, 17);

	/* commands and their arguments */
	check_kind("-nvL", NC_CMD_LIST, "", 0, NC_FMT_NUMERIC | NC_FMT_VERBOSE);
	check_kind("-L PREROUTING 2 -n -x --line-numbers", NC_CMD_LIST, "PREROUTING", 2,
		   NC_FMT_NUMERIC | NC_FMT_EXACT | NC_FMT_LINENUM);
	check_kind("--list-rules POSTROUTING", NC_CMD_LIST_RULES, "POSTROUTING", 0, 0);
	check_kind("-D PREROUTING 3", NC_CMD_DELETE, "PREROUTING", 3, 0);
	check_kind("-I PREROUTING -j ACCEPT", NC_CMD_INSERT, "PREROUTING", 0, 0);
	check_kind("-w -t nat -F", NC_CMD_FLUSH, "", 0, 0);
	check_kind("-w 5 -Z PREROUTING 1", NC_CMD_ZERO, "PREROUTING", 1, 0);
	check_kind("-E FOO BAR", NC_CMD_RENAME_CHAIN, "FOO", 0, 0);
	check_kind("--new FOO", NC_CMD_NEW_CHAIN, "FOO", 0, 0);
	/* an optional argument is the rest of the word, as getopt's "L::"
	 * has it (iptables -LPREROUTING) */
	check_kind("-LPREROUTING", NC_CMD_LIST, "PREROUTING", 0, 0);
	check_kind("-nvLPREROUTING 2", NC_CMD_LIST, "PREROUTING", 2, NC_FMT_NUMERIC | NC_FMT_VERBOSE);
	check_kind("-SPOSTROUTING", NC_CMD_LIST_RULES, "POSTROUTING", 0, 0);
	check_kind("-FFOO", NC_CMD_FLUSH, "FOO", 0, 0);
	check_kind("-ZFOO 3", NC_CMD_ZERO, "FOO", 3, 0);
	check_kind("-XFOO", NC_CMD_DELETE_CHAIN, "FOO", 0, 0);
	check_kind("-w5 -XFOO", NC_CMD_DELETE_CHAIN, "FOO", 0, 0);
	check("-wx -S", "ERR2: wait seconds not numeric");
	check("-W 5 -S", "ERR2: --wait-interval only makes sense with --wait");
	check_kind("-w -W 5 -S", NC_CMD_LIST_RULES, "", 0, 0);

	/* a kind given again: a new instance, its options from then on
	 * (libxtables' xtables_find_match() clones the kind) */
	check("-A PREROUTING -m mark --mark 1 -m mark ! --mark 2 -j RETURN",
	      "-A PREROUTING -m mark --mark 0x1 -m mark ! --mark 0x2 -j RETURN");
	check("-A PREROUTING -m mark --mark 1 -m mark --mar 2 --mark 3",
	      "ERR2: mark: option \"--mark\" can only be used once.");
	check("-A PREROUTING -m iprange --src-range 1.1.1.1-1.1.1.2 -m mark --mark 1 --dst-range 2.2.2.2-2.2.2.3",
	      "-A PREROUTING -m iprange --src-range 1.1.1.1-1.1.1.2 --dst-range 2.2.2.2-2.2.2.3 -m mark --mark 0x1");
	check("-A OUTPUT -m owner --uid-owner 1 -m owner --gid-owner 2",
	      "-A OUTPUT -m owner --uid-owner 1 -m owner --gid-owner 2");
	check("-A PREROUTING -m state --state NEW -m conntrack --ctproto 6",
	      "-A PREROUTING -m state --state NEW -m conntrack --ctproto 6");
	/* tcp and udp merged as iptables-nft 1.8.9 reads them back */
	check("-A PREROUTING -p tcp --dport 1 -m tcp --sport 2",
	      "-A PREROUTING -p tcp -m tcp --sport 2 --dport 1");
	check("-A PREROUTING -p tcp -m tcp --syn -m tcp --sport 2 -m tcp",
	      "-A PREROUTING -p tcp -m tcp --sport 2 --tcp-flags FIN,SYN,RST,ACK SYN -m tcp");
	check("-A PREROUTING -p tcp -m tcp -m tcp --sport 2",
	      "-A PREROUTING -p tcp -m tcp -m tcp --sport 2");
	check("-A PREROUTING -p tcp -m tcp --dport 1 -m tcp ! --dport 2 -m tcp --sport 3",
	      "-A PREROUTING -p tcp -m tcp --sport 3 --dport 1 -m tcp ! --dport 2");
	check("-A PREROUTING -p udp -m udp --dport 1 -m udp --dport 2 -m udp --sport 3 --dport 4",
	      "-A PREROUTING -p udp -m udp --sport 3 --dport 1 -m udp --dport 2 -m udp --dport 4");
	/* one comment a rule (nft's userdata holds one; deliberate) */
	check("-A PREROUTING -m comment --comment a -m comment --comment b",
	      "ERR2: comment: one comment a rule (the rule's userdata holds one)");
	/* where each instance of a kind given again starts takes 3 bytes of
	 * userdata beside a comment: two fit a comment of 240 characters,
	 * three do not */
	check("-A PREROUTING -m mark --mark 1 -m mark --mark 2 -m mark --mark 3 -m comment --comment xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	      "-A PREROUTING -m mark --mark 0x1 -m mark --mark 0x2 -m mark --mark 0x3 -m comment --comment xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	check("-A PREROUTING -m mark --mark 1 -m mark --mark 2 -m mark --mark 3 -m mark --mark 4 -m comment --comment xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	      "ERR2: comment: the comment and match kinds given again in one rule do not fit the rule's userdata (256 bytes): shorten the comment");

	owner_names();
	return tap_done();
}
