// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shell-script reader (parser/script.c) and the nft text of rules
 * (backend/nft) without the kernel: which commands a script gives, with
 * what words and lines, what it reports; and rules' nft words.
 */
#include <stdlib.h>
#include <string.h>
#include "testsuite/unit/tap.h"
#include "parser/script.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/buf.h"
#include "backend/nft/nft.h"

struct log {
	struct nc_buf b;
	int fail_at;
};

static int on_command(void *u, int argc, char **argv, uint32_t line)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "C%u:", line);
	for (int i = 0; i < argc; i++)
		nc_buf_printf(&l->b, "%s[%s]", i ? " " : "", argv[i]);
	nc_buf_puts(&l->b, "|");
	return 0;
}

static int on_comment(void *u, const char *text, size_t len, uint32_t line)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "#%u:%.*s|", line, (int)len, text);
	return 0;
}

static int on_skipped(void *u, uint32_t line, const char *why, bool ipt)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "S%u%s:%s|", line, ipt ? "!" : "", why);
	return 0;
}

static int on_refuse(void *u, uint32_t line, const char *why)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "R%u:%s|", line, why);
	return -1;
}

/* iptables-restore fed a here-document: H<command line>@<first line>:
 * [args] {text} and B<line>:why for each line not expanded */
static int on_restore(void *u, const struct nc_script_here *h)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "H%u@%u:", h->line, h->first);
	for (int i = 0; i < h->argc; i++)
		nc_buf_printf(&l->b, "[%s]", h->argv[i]);
	nc_buf_printf(&l->b, "{%.*s}", (int)h->len, h->text);
	for (size_t i = 0; i < h->nbad; i++)
		nc_buf_printf(&l->b, "B%u:%s,", h->bad[i].line,
			      h->bad[i].why ? h->bad[i].why : "-");
	nc_buf_puts(&l->b, "|");
	return 0;
}

static const struct nc_script_ops ops = { on_command, on_comment, on_skipped, on_refuse,
					  on_restore };

static void script(const char *text, const char *want, const char *what)
{
	struct log l = { { 0 }, 0 };
	int rc = nc_parse_script(text, strlen(text), &ops, &l);

	ok(rc == 0, "%s: read", what);
	is_str(nc_buf_str(&l.b), want, "%s", what);
	nc_buf_free(&l.b);
}

/* A script refused (@len bytes of @text): the reading stops there, what
 * came before it handed on; @want ends with the refusal. */
static void refused(const char *text, size_t len, const char *want, const char *what)
{
	struct log l = { { 0 }, 0 };
	int rc = nc_parse_script(text, len, &ops, &l);

	ok(rc == -1, "%s: refused", what);
	is_str(nc_buf_str(&l.b), want, "%s", what);
	nc_buf_free(&l.b);
}

/* The limits of docs/limits.md (issue 13): a variable doubled on every
 * line (A=$A$A 28 times was 1 GB), loops whose passes add up past the
 * script's expansion budget, NUL bytes and overlong lines.  A shell
 * would run them all; natc refuses them at their line. */
static void limits(void)
{
	struct nc_buf t = { 0 }, want = { 0 };
	char *big;

	/* 2^15 = 32768 bytes is the longest value, and a word that long
	 * reaches the command; one more doubling is refused at its line */
	nc_buf_puts(&t, "A=x\n");
	for (int i = 0; i < 15; i++)
		nc_buf_puts(&t, "A=$A$A\n");
	nc_buf_puts(&t, "iptables -A $A\nA=$A$A\niptables -F\n");
	big = malloc(32769);
	memset(big, 'x', 32768);
	big[32768] = '\0';
	nc_buf_printf(&want, "C17:[-A] [%s]|R18:" NC_MSG_VALUE_LONG "|", big);
	refused(nc_buf_str(&t), t.len, nc_buf_str(&want), "a value doubled past 32768 bytes");
	free(big);
	nc_buf_free(&want);

	/* a 32 KiB word expanded on each of 3000 passes: 96 MiB, past the
	 * 64 MiB budget after about 2040 commands (the doublings and the
	 * passes cost some of it) */
	nc_buf_free(&t);
	nc_buf_puts(&t, "A=x\n");
	for (int i = 0; i < 15; i++)
		nc_buf_puts(&t, "A=$A$A\n");
	nc_buf_puts(&t, "L=\"");
	for (int i = 0; i < 3000; i++)
		nc_buf_puts(&t, "1 ");
	nc_buf_puts(&t, "\"\nfor i in $L; do\n iptables -A $A\ndone\n");
	{
		struct log l = { { 0 }, 0 };
		int rc = nc_parse_script(nc_buf_str(&t), t.len, &ops, &l);
		const char *r = strstr(nc_buf_str(&l.b), "|R19:");
		size_t n = 0;

		for (const char *p = nc_buf_str(&l.b); (p = strstr(p, "C19:")); p++)
			n++;
		ok(rc == -1 && r && !strcmp(r, "|R19:" NC_MSG_EXPAND_MAX "|"),
		   "a loop expanding 96 MiB is refused at its command's line");
		ok(n > 2000 && n < 2048, "the commands before the budget ran out are handed on (%zu)", n);
		nc_buf_free(&l.b);
	}

	/* loops nested four deep over 100 words, with nothing but a
	 * comment: 10^8 passes, refused on the passes' own cost */
	nc_buf_free(&t);
	nc_buf_puts(&t, "L=\"");
	for (int i = 0; i < 100; i++)
		nc_buf_printf(&t, "%d ", i);
	nc_buf_puts(&t, "\"\nfor a in $L; do for b in $L; do for c in $L; do for d in $L; do\n"
		    "# x\ndone; done; done; done\n");
	{
		struct log l = { { 0 }, 0 };
		int rc = nc_parse_script(nc_buf_str(&t), t.len, &ops, &l);
		const char *r = strstr(nc_buf_str(&l.b), "|R3:");

		/* the count of commands walked (250,000) runs out before the
		 * bytes do: refused at the comment past it */
		ok(rc == -1 && r && !strcmp(r, "|R3:" NC_MSG_STEPS_MAX "|"),
		   "loops of 10^8 passes are refused at their line");
		nc_buf_free(&l.b);
	}
	nc_buf_free(&t);

	refused("iptables -F\nipt\0ables -X\n", 25, "R2:" NC_MSG_NUL "|",
		"a NUL byte refuses the script before anything is run");
	big = malloc(NC_LINE_MAX + 32);
	memset(big, ' ', NC_LINE_MAX + 32);
	memcpy(big, "iptables -F\n", 12);
	big[NC_LINE_MAX + 31] = '\n';
	refused(big, NC_LINE_MAX + 32, "R2:" NC_MSG_LONG_LINE "|", "a line longer than 32768 bytes");
	free(big);
}

static int count_command(void *u, int argc, char **argv, uint32_t line)
{
	(*(size_t *)u)++;
	return 0;
}

static int too_long_at(void *u, uint32_t line, const char *why)
{
	if (!strcmp(why, NC_MSG_STEPS_MAX))
		*(size_t *)u += (size_t)line << 32;	/* the line, in the upper half */
	return -1;
}

/* NC_SCRIPT_MAX_STEPS: nested loops are walked up to it, then stopped at
 * the line of the command past it (the loop's body) */
static void too_long(void)
{
	static const struct nc_script_ops cops = { count_command, on_comment, on_skipped,
						   too_long_at, NULL };
	const char *text = "L=\"0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 "
			   "24 25 26 27 28 29 30 31\"\nfor a in $L; do\n for b in $L; do\n"
			   "  for c in $L; do\n   for d in $L; do\n"
			   "    iptables -t nat -A P -d 10.$a.$b.$c -j R\n   done\n  done\n"
			   " done\ndone\n";
	size_t n = 0;
	int rc = nc_parse_script(text, strlen(text), &cops, &n);

	ok(rc == -1, "a script of four nested loops of 32 (over a million commands): refused");
	ok((n >> 32) == 6, "... at the line of the command past the limit (%zu)", n >> 32);
	ok((n & 0xffffffffu) > 200000 && (n & 0xffffffffu) < NC_SCRIPT_MAX_STEPS,
	   "... after at most %d commands walked (%zu handed on)", NC_SCRIPT_MAX_STEPS,
	   (size_t)(n & 0xffffffffu));
}

/* Issue 14: here-documents read as the shell reads them, and fed to
 * iptables-restore as a save file in the script's context. */
static void heredocs(void)
{
	script("X=eth0\niptables-restore <<EOF\n*nat\n-A P -o \"$X\" -j M\nCOMMIT\nEOF\n"
	       "iptables -t nat -F\n",
	       "H2@3:{*nat\n-A P -o \"eth0\" -j M\nCOMMIT\n}|C7:[-t] [nat] [-F]|",
	       "<<EOF: variables expanded, the line's own quotes left to iptables-restore");
	script("X=eth0\n\tiptables-restore -n <<-\tEND\n\t*nat\n\t\t-A P -o ${X}\n\tCOMMIT\n\tEND\n",
	       "H2@3:[-n]{*nat\n-A P -o eth0\nCOMMIT\n}|",
	       "<<-END: leading tabs stripped, the end word's too");
	script("X=eth0\niptables-restore <<'EOF'\n*nat\n-A P -o $X\n-A P -o eth1\nCOMMIT\nEOF\n"
	       "iptables-nft-restore <<\"E\"\n-A P -o $X\nE\n/sbin/iptables-restore <<\\E\n$X\nE\n",
	       "H2@3:{*nat\n\n-A P -o eth1\nCOMMIT\n}B4:a `$' the shell hands on unexpanded "
	       "(quoted): natc does not translate it,|"
	       "H8@9:{\n}B9:a `$' the shell hands on unexpanded (quoted): natc does not "
	       "translate it,|"
	       "H11@12:{\n}B12:a `$' the shell hands on unexpanded (quoted): natc does not "
	       "translate it,|",
	       "<<'EOF', <<\"E\", <<\\E: nothing expanded, a $X line reported");
	script("iptables-restore <<EOF\n*nat\n-A P -i `x` -j M\n-A P -o $(y)\n-A P -o $NOPE\n"
	       "-A P -p tcp \\\n --dport 1 -j M\na\\$ \\\\ \\a\nCOMMIT\nEOF\n",
	       "H1@2:{*nat\n\n\n\n-A P -p tcp  --dport 1 -j M\n\na$ \\ \\a\nCOMMIT\n}"
	       "B3:command substitution,B4:command substitution,"
	       "B5:a variable the script does not set,B7:-,|",
	       "lines not expanded are empty and listed; a continuation keeps the lines' "
	       "numbers");
	script("for i in eth0 eth1; do\niptables-restore -n <<EOF\n*nat\n-A P -o $i\nCOMMIT\nEOF\n"
	       "done\n",
	       "H2@3:[-n]{*nat\n-A P -o eth0\nCOMMIT\n}|H2@3:[-n]{*nat\n-A P -o eth1\nCOMMIT\n}|",
	       "a here-document in a loop is expanded on each pass");
	script("cat > /x <<EOF\n*nat\nhi\nEOF\niptables -t nat -F <<E\nx\nE\n",
	       "S1:not an iptables command (not run)|S2:not an iptables command (not run)|"
	       "S3:not an iptables command (not run)|S4:not an iptables command (not run)|"
	       "C5:[-t] [nat] [-F]|",
	       "another program's here-document is reported with it, line by line");
	script("iptables-restore <<EOF\n*nat\n-A P -j M\n",
	       "S1!:a here-document without its end word (the shell reads it to the end of "
	       "the file)|S2!:a here-document without its end word (the shell reads it to "
	       "the end of the file)|S3!:a here-document without its end word (the shell "
	       "reads it to the end of the file)|",
	       "a here-document without its end word is reported to the end, not followed");
	script("M=$((1<<4))\niptables -t nat -F\n",
	       "S1:command substitution|C2:[-t] [nat] [-F]|",
	       "<< in $((...)) is a shift, not a here-document swallowing the script");
	script("iptables-restore <<EOF <<F\nEOF\nF\niptables-restore <<<'*nat'\n",
	       "S1:more than one here-document for a command|"
	       "S2:more than one here-document for a command|"
	       "S3:more than one here-document for a command|"
	       "S4!:a here-string (<<<)|",
	       "several here-documents for one command, here-strings: not followed");
	/* the limits hold inside here-documents: a value doubled in the
	 * body past a line's length, and a loop feeding one too often */
	{
		struct nc_buf t = { 0 };

		nc_buf_puts(&t, "A=x\n");
		for (int i = 0; i < 14; i++)
			nc_buf_puts(&t, "A=$A$A\n");
		nc_buf_puts(&t, "iptables-restore <<EOF\n*nat\n$A$A$A\nCOMMIT\nEOF\n");
		refused(nc_buf_str(&t), t.len, "R18:" NC_MSG_VALUE_LONG "|",
			"a here-document's line past 32768 bytes once expanded");
		nc_buf_free(&t);
		nc_buf_puts(&t, "L=\"");
		for (int i = 0; i < 300; i++)
			nc_buf_puts(&t, "1 ");
		nc_buf_puts(&t, "\"\nfor a in $L; do for b in $L; do\niptables-restore <<EOF\n");
		for (int i = 0; i < 10; i++)
			nc_buf_puts(&t, "-A P -j M\n");
		nc_buf_puts(&t, "EOF\ndone; done\n");
		{
			struct log l = { { 0 }, 0 };
			int rc = nc_parse_script(nc_buf_str(&t), t.len, &ops, &l);
			const char *r = strstr(nc_buf_str(&l.b), "|R3:");

			ok(rc == -1 && r && !strcmp(r, "|R3:" NC_MSG_STEPS_MAX "|"),
			   "here-documents fed 90,000 times are refused past %d lines walked",
			   NC_SCRIPT_MAX_STEPS);
			nc_buf_free(&l.b);
		}
		nc_buf_free(&t);
	}
}

/* wg-quick: PreUp and PostUp followed with %i the interface, PreDown and
 * PostDown reported once each, never a failure; other settings silent */
static void wg_quick(void)
{
	const char *conf = "[Interface]\nPrivateKey = k # secret\n"
			   "PostUp = iptables -t nat -A P -o %i -j M; iptables -A F -i %i\n"
			   "PostDown = iptables -t nat -D P -o %i -j M\n# note\n"
			   "PreUp=iptables -t nat -N X#comment\n[Peer]\nPostUp = iptables -F\n";
	struct log l = { { 0 }, 0 };
	char buf[16];

	ok(nc_parse_script_as(conf, strlen(conf), "wg0", &ops, &l) == 0, "wg-quick: read");
	is_str(nc_buf_str(&l.b),
	       "C3:[-t] [nat] [-A] [P] [-o] [wg0] [-j] [M]|C3:[-A] [F] [-i] [wg0]|"
	       "S4:wg-quick down's command: natc translates what wg-quick up makes|"
	       "#5:# note|C6:[-t] [nat] [-N] [X]|",
	       "wg-quick: up's commands in order, down's reported once, [Peer] not read");
	nc_buf_free(&l.b);
	script(conf,
	       "S3!:%i: the interface, which wg-quick names after the file (not known here)|"
	       "S4:wg-quick down's command: natc translates what wg-quick up makes|"
	       "#5:# note|C6:[-t] [nat] [-N] [X]|",
	       "wg-quick: %i not known, its line reported");
	is_str(nc_wg_interface("/etc/wireguard/wg0.conf", buf), "wg0", "wg0.conf names wg0");
	ok(!nc_wg_interface("wg0.cfg", buf) && !nc_wg_interface(".conf", buf) &&
	   !nc_wg_interface("a-name-over-15-b.conf", buf) && !nc_wg_interface("a b.conf", buf),
	   "names wg-quick would not take name nothing");
}

/* save file or script: by shell syntax outside here-documents */
static void is_script(void)
{
	static const struct { const char *text; bool script; } t[] = {
		{ "*nat\n-A P -j M\nCOMMIT\n", false },
		{ "# c\n*nat\n:P ACCEPT [0:0]\n[1:2] -A P -j M\nfoo bar\nCOMMIT\n", false },
		{ "-A P -m comment --comment \"a<<b\" -j M\n*nat\nCOMMIT\n", false },
		{ "iptables -t nat -F\n", true },
		{ "iptables-restore <<EOF\n*nat\nCOMMIT\nEOF\n", true },
		{ "X=1\n*nat\nCOMMIT\n", true },
		{ "#!/bin/sh\n*nat\nCOMMIT\n", true },
		{ "  if true; then :; fi\nCOMMIT\n", true },
		{ "$IPT <<E\n*nat\nCOMMIT\nE\n", true },
		{ "[Interface]\nPostUp = iptables -t nat -F\n", true },
		{ "", true },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok(nc_text_is_script(t[i].text, strlen(t[i].text)) == t[i].script,
		   "%s: %s", t[i].script ? "a script" : "a save file", t[i].text);
}

/* nft words of the one rule of an -A command */
static void rule(const char *cmdline, const char *want)
{
	struct nc_err err = { 0 };
	struct nc_cmd *c = nc_parse_line(cmdline, 1, &err);
	struct nc_job *j = c ? nc_build(c, AF_INET, &err) : NULL;
	struct nc_buf b = { 0 };
	char why[256] = "";

	if (j && j->nrules && nc_nft_rule(j->rules[0], &b, why, sizeof(why)) < 0)
		nc_buf_printf(&b, "untranslated: %s", why);
	is_str(j ? nc_buf_str(&b) : err.msg, want, "nft text of %s", cmdline);
	nc_buf_free(&b);
	nc_job_free(j);
	nc_cmd_free(c);
}

int main(void)
{
	script("IPT=/sbin/iptables\n$IPT -t nat -F\n${IPT} -t nat -X\n",
	       "C2:[-t] [nat] [-F]|C3:[-t] [nat] [-X]|", "variables, both forms");
	script("W=\"eth0 eth1\"\niptables -t nat -A P -o $W -j R\niptables -A P -o \"$W\"\n",
	       "C2:[-t] [nat] [-A] [P] [-o] [eth0] [eth1] [-j] [R]|C3:[-A] [P] [-o] [eth0 eth1]|",
	       "unquoted expansions are split, quoted ones are not");
	script("iptables -t nat \\\n  -A P \\\n  -j R\niptables -F\n",
	       "C1:[-t] [nat] [-A] [P] [-j] [R]|C4:[-F]|", "continuations");
	script("# head\niptables -F # tail\n",
	       "#1:# head|C2:[-F]|#2:# tail|", "comments");
	script("for p in 80 443; do\n iptables -A P --dport $p\ndone\n",
	       "C2:[-A] [P] [--dport] [80]|C2:[-A] [P] [--dport] [443]|", "a for loop");
	script("for a in 1 2; do for b in x; do iptables -A $a$b; done; done\n",
	       "C1:[-A] [1x]|C1:[-A] [2x]|", "nested loops on one line");
	script("sudo iptables -F\n/usr/sbin/iptables -F 2>/dev/null\necho hi > /tmp/x\n",
	       "C1:[-F]|C2:[-F]|S3:not an iptables command (not run)|",
	       "sudo, redirections, other programs");
	/* "!": a nat-table command (the exit status is 1 for those only) */
	script("if true; then\n iptables -t nat -F\nfi\niptables -X\n",
	       "S1:a conditional (if)|S2!:a conditional (if)|S3:a conditional (if)|C4:[-X]|",
	       "a conditional is reported line by line, never run");
	script("iptables -t nat -F | cat\niptables -tnat -A $(x)\n$IPT --table nat -A $NOPE\n"
	       "f() {\n iptables --table=nat -F\n}\n",
	       "S1!:a pipeline|S2!:command substitution|S3!:a variable the script does not set|"
	       "S4:a function|S5!:a function|S6:a function|",
	       "pipelines, substitutions, unknown variables, functions");
	/* issue 14: what is not of the nat table is no failure */
	script("iptables -t mangle -A PREROUTING -i `cat /x` -j MARK --set-mark 1\n"
	       "sh -c \"iptables-save > /tmp/x\"\niptables -F | cat\niptables-save > /x\n"
	       "if x; then iptables -A INPUT -j ACCEPT; fi\niptables-restore < nat.rules\n",
	       "S1:command substitution|S2:not an iptables command (not run)|S3:a pipeline|"
	       "S4:iptables-save changes no rule|S5:a conditional (if)|"
	       "S6!:iptables-restore of a file natc does not see (give it with -f)|",
	       "other tables, iptables-save and other programs are not nat commands");
	/* a `$' the shell hands on as it is never reaches a rule */
	script("iptables -t nat -A P -o '$X' -j R\niptables -t nat -A P -o \\$X -j R\n"
	       "iptables -t nat -A P -m comment --comment 'costs 5$' -j R\n",
	       "S1!:a `$' the shell hands on unexpanded (quoted): natc does not translate it|"
	       "S2!:a `$' the shell hands on unexpanded (quoted): natc does not translate it|"
	       "C3:[-t] [nat] [-A] [P] [-m] [comment] [--comment] [costs 5$] [-j] [R]|",
	       "single-quoted $X is reported, a lone $ is text");
	heredocs();
	wg_quick();
	is_script();
	script("iptables -A P -m comment --comment 'a b' -j R\n",
	       "C1:[-A] [P] [-m] [comment] [--comment] [a b] [-j] [R]|", "single quotes");

	limits();
	too_long();

	rule("-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.1:8080",
	     "tcp dport 80 counter dnat to 192.0.2.1:8080");
	rule("-A PREROUTING -p tcp -j DNAT --to-destination 192.0.2.1:80",
	     "meta l4proto tcp counter dnat to 192.0.2.1:80");
	rule("-A POSTROUTING -o eth+ ! -s 192.0.2.0/25 -j MASQUERADE --random --random-fully",
	     "oifname \"eth*\" ip saddr != 192.0.2.0/25 counter masquerade random,fully-random");
	rule("-A PREROUTING ! -i + -j RETURN",
	     "untranslated: \"! -i +\" (no interface at all) has no nft text");
	rule("-A PREROUTING -p udp ! --dport 1:1023 --sport 1024: -j RETURN",
	     "udp sport 1024-65535 udp dport != 1-1023 counter return");
	rule("-A PREROUTING -s 10.0.0.1 -c 5 7 -j ACCEPT",
	     "ip saddr 10.0.0.1 counter packets 5 bytes 7 accept");
	return tap_done();
}
