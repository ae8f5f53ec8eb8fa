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

static const struct nc_script_ops ops = { on_command, on_comment, on_skipped, on_refuse };

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
						   too_long_at };
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
	script("if true; then\n iptables -F\nfi\niptables -X\n",
	       "S1:a conditional (if)|S2!:a conditional (if)|S3:a conditional (if)|C4:[-X]|",
	       "a conditional is reported line by line, never run");
	script("iptables -F | cat\niptables -A $(x)\niptables -A $NOPE\nf() {\n iptables -F\n}\n",
	       "S1!:a pipeline|S2!:command substitution|S3!:a variable the script does not set|"
	       "S4:a function|S5!:a function|S6:a function|",
	       "pipelines, substitutions, unknown variables, functions");
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
