// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The save-file reader without the kernel: which callbacks a text gives,
 * in order, and where its errors are located.
 */
#include <stdlib.h>
#include <time.h>
#include "testsuite/unit/tap.h"
#include "parser/parser.h"
#include "ir/buf.h"

struct log {
	struct nc_buf b;
	struct nc_err *err;
	int fail_at_command;	/* make the Nth command fail */
	int ncommands;
};

static int on_table(void *u, const char *name, const struct nc_loc *loc)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "T%u:%s|", loc->line, name);
	return 0;
}

static int on_chain(void *u, const char *name, const char *policy,
		    const char *counters, const struct nc_loc *loc)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "C%u:%s,%s,%s|", loc->line, name, policy ? policy : "-",
		      counters ? counters : "-");
	return 0;
}

static int on_commit(void *u, const struct nc_loc *loc)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "COMMIT%u|", loc->line);
	return 0;
}

static int on_command(void *u, struct nc_cmd *cmd, const char *counters)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "%c%u:%s:%zu%s%s|", nc_cmd_letter(cmd->kind), cmd->loc.line,
		      cmd->chain.s ? cmd->chain.s : "", cmd->nopts,
		      counters ? ":" : "", counters ? counters : "");
	/* lent: the parser reuses it */
	if (++l->ncommands == l->fail_at_command)
		return nc_err_set(l->err, NC_EOTHER, NULL, "stop");
	return 0;
}

static const struct nc_file_ops ops = { on_table, on_chain, on_commit, on_command };

/* The text is handed over in a buffer of exactly its length, with no NUL
 * after it: the sanitizers see any read past its end. */
static char *run_n(const char *text, size_t len, int fail_at, struct nc_err *err)
{
	struct log l = { .err = err, .fail_at_command = fail_at };
	char *buf = malloc(len ? len : 1);

	memcpy(buf, text, len);
	if (nc_parse_file(buf, len, 1, &ops, &l, err) < 0)
		nc_buf_printf(&l.b, "ERR%d@%u:%u-%u:%s", err->status, err->loc.line,
			      err->loc.first_col, err->loc.last_col, err->msg);
	free(buf);
	return l.b.s ? l.b.s : strdup("");
}

static char *run(const char *text, int fail_at, struct nc_err *err)
{
	return run_n(text, strlen(text), fail_at, err);
}

static void check(const char *name, const char *text, const char *want)
{
	struct nc_err err = { 0 };
	char *got = run(text, 0, &err);

	is_str(got, want, "%s", name);
	free(got);
}

/* A save file of "*nat", line 2 @head then @n bytes @c then @tail, and
 * "COMMIT": what the scanner makes of it, and how long it takes. */
static char *line2(const char *head, char c, size_t n, const char *tail,
		   struct nc_err *err, double *secs)
{
	struct nc_buf t = { 0 };
	struct timespec a, b;
	char *got;

	nc_buf_puts(&t, "*nat\n");
	nc_buf_puts(&t, head);
	for (size_t i = 0; i < n; i++)
		nc_buf_putc(&t, c);
	nc_buf_puts(&t, tail);
	nc_buf_puts(&t, "COMMIT\n");
	clock_gettime(CLOCK_MONOTONIC, &a);
	got = run_n(t.s, t.len, 0, err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	*secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	nc_buf_free(&t);
	return got;
}

/*
 * Issue 13: a NUL byte, and a line longer than NC_LINE_MAX, are refused
 * where they are, in time linear in the text.  "--policy" followed by
 * 64 KiB of NULs was read past a string literal (find_long()), accepted,
 * took 4 s (flex rescans a token at each NUL) and crashed at 256 KiB.
 * Stricter than iptables-nft-restore 1.8.9, which reads a line up to its
 * first NUL and takes the rest of it as gone (testsuite/bad-input.t).
 */
static void refused(void)
{
	struct nc_err err = { 0 };
	double secs;
	char *got;

	got = line2("--policy", '\0', 256 << 10, " OUTPUT ACCEPT\n", &err, &secs);
	is_str(got, "T1:nat|ERR2@2:9-9:" NC_MSG_NUL, "--policy and 256 KiB of NULs");
	ok(secs < 0.5, "... refused in linear time (%.3f s)", secs);
	ok(err.input_refused, "... and nothing after it is to be read");
	free(got);
	err = (struct nc_err){ 0 };
	got = line2("-A X -j ACC", '\0', 1, "EPT\n", &err, &secs);
	is_str(got, "T1:nat|ERR2@2:12-12:" NC_MSG_NUL, "a NUL inside a word");
	free(got);
	err = (struct nc_err){ 0 };
	got = line2("-A X -m comment --comment \"", 'a', 40000, "\0\"\n", &err, &secs);
	is_str(got, "T1:nat|ERR2@2:32769-32769:" NC_MSG_LONG_LINE,
	       "a line longer than 32768 bytes (a quoted word across chunks)");
	free(got);
	err = (struct nc_err){ 0 };
	got = line2("-A X -j ", 'a', NC_LINE_MAX - 8, "\n", &err, &secs);
	ok(!strcmp(got, "T1:nat|A2:X:1|COMMIT3|") && !err.status,
	   "a line of 32768 bytes is read");
	free(got);
	err = (struct nc_err){ 0 };
	got = line2("-A X -j ", 'a', NC_LINE_MAX - 7, "\n", &err, &secs);
	is_str(got, "T1:nat|ERR2@2:32769-32769:" NC_MSG_LONG_LINE, "one byte more is not");
	free(got);
	err = (struct nc_err){ 0 };
	got = line2("", ' ', 1 << 20, "\n", &err, &secs);
	is_str(got, "T1:nat|ERR2@2:32769-32769:" NC_MSG_LONG_LINE, "1 MiB of blanks");
	free(got);
	err = (struct nc_err){ 0 };
	got = run_n("\0\0\0\0", 4, 0, &err);
	is_str(got, "ERR2@1:1-1:" NC_MSG_NUL, "zeros from the first byte");
	free(got);
	err = (struct nc_err){ 0 };
	got = run_n("*nat\n-6 -A X\0\nCOMMIT\n", 21, 0, &err);
	is_str(got, "T1:nat|ERR2@2:8-8:" NC_MSG_NUL, "a NUL in a line skipped unread");
	free(got);
}

int main(void)
{
	check("a whole table",
	      "# comment\n*nat\n:PREROUTING ACCEPT [1:2]\n:FOO - [0:0]\n"
	      "-A PREROUTING -j FOO\n\n[3:4] -A FOO -j RETURN\nCOMMIT\n",
	      "T2:nat|C3:PREROUTING,ACCEPT,[1:2]|C4:FOO,-,[0:0]|A5:PREROUTING:1|"
	      "A7:FOO:1:[3:4]|COMMIT8|");
	check("no newline at the end", "*nat\nCOMMIT", "T1:nat|COMMIT2|");
	check("blanks and CR", "*nat  \r\n  -A X -j RETURN\t\r\nCOMMIT\r\n",
	      "T1:nat|A2:X:1|COMMIT3|");
	check("quoted arguments", "*nat\n-A \"PRE ROUTING\" -j 'RETURN'\nCOMMIT\n",
	      "T1:nat|A2:PRE ROUTING:1|COMMIT3|");
	/* -6 lines belong to ip6tables-restore: skipped unread, as iptables */
	check("-4 and -6 prefixes", "*nat\n-4 -A X -j RETURN\n-6 -A Y -j RETURN\n-6 garbage \"\nCOMMIT\n",
	      "T1:nat|A2:X:2|COMMIT5|");
	check("quotes group characters only",
	      "*nat\n\"-A\" X -o x\"y z\"'w' \"-j\" RETURN\nCOMMIT\n",
	      "T1:nat|A2:X:2|COMMIT3|");
	check("two tables", "*nat\nCOMMIT\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n",
	      "T1:nat|COMMIT2|T3:filter|A4:INPUT:1|COMMIT5|");
	check("a chain line without counters", "*nat\n:FOO -\nCOMMIT\n",
	      "T1:nat|C2:FOO,-,-|COMMIT3|");
	check("an error locates its word",
	      "*nat\n-A PREROUTING -j RETURN\n-A PREROUTING bogus -j RETURN\nCOMMIT\n",
	      "T1:nat|A2:PREROUTING:1|ERR2@3:15-19:Bad argument `bogus'");
	check("an unknown option", "*nat\n-A X --nosuch 1\n",
	      "T1:nat|ERR2@2:6-13:unknown option \"--nosuch\"");
	check("an option missing its argument at the end of a line",
	      "*nat\n-A X -j\nCOMMIT\n", "T1:nat|ERR2@2:8-8:option \"-j\" requires an argument");
	check("an unterminated quote", "*nat\n-A X -j \"RET\n",
	      "T1:nat|ERR2@2:9-12:unterminated quoted string");
	check("COMMIT with something after it", "*nat\nCOMMIT now\n",
	      "T1:nat|ERR2@2:8-10:Bad argument `now'");
	{
		struct nc_err err = { 0 };
		char *got = run("*nat\n-A X -j A\n-A X -j B\n-A X -j C\n", 2, &err);

		is_str(got, "T1:nat|A2:X:1|A3:X:1|ERR1@0:0-0:stop",
		       "a callback's error stops the reading");
		free(got);
	}
	{
		/* 20,000 lines: one scanner, lines counted right to the end */
		struct nc_buf text = { 0 };
		struct nc_err err = { 0 };
		char *got;

		nc_buf_puts(&text, "*nat\n");
		for (int i = 0; i < 20000; i++)
			nc_buf_printf(&text, "-A PREROUTING -s 10.%d.%d.0/24 -j RETURN\n",
				      i / 256 % 256, i % 256);
		nc_buf_puts(&text, "-A PREROUTING -q\n");
		got = run(text.s, 0, &err);
		ok(err.loc.line == 20002 && strstr(got, "A20001:PREROUTING:2|"),
		   "line numbers hold over 20,000 lines (error at %u)", err.loc.line);
		free(got);
		nc_buf_free(&text);
	}
	{
		/* only @len bytes are read: what follows is not the text's */
		const char *t = "*nat\n-A X -j RETURN\nCOMMIT\n-A Y bogus\n";
		struct nc_err err = { 0 };
		char *got = run_n(t, strlen(t) - strlen("-A Y bogus\n"), 0, &err);

		is_str(got, "T1:nat|A2:X:1|COMMIT3|", "the text ends at its length");
		free(got);
		got = run_n(t, strlen("*nat\n-A X -j RET"), 0, &err);
		is_str(got, "T1:nat|A2:X:1|", "... even in the middle of a word");
		free(got);
		got = run_n("", 0, 0, &err);
		is_str(got, "", "an empty text");
		free(got);
	}
	{
		/* the scanner takes the text in chunks into a buffer of its
		 * own: a word across two chunks, on a line as long as a line
		 * may be, arrives whole */
		struct nc_buf text = { 0 }, want = { 0 };
		struct nc_err err = { 0 };
		char *got;

		nc_buf_puts(&text, "*nat\n-A ");
		nc_buf_puts(&want, "T1:nat|A2:");
		for (int i = 0; i < NC_LINE_MAX - 13; i++) {
			nc_buf_putc(&text, (char)('a' + i % 26));
			nc_buf_putc(&want, (char)('a' + i % 26));
		}
		nc_buf_puts(&text, " -j RETURN\n");
		nc_buf_puts(&want, ":1|");
		for (int i = 3; i < 20000; i++) {
			nc_buf_printf(&text, "-A \"W %d\" -j RETURN\n", i);
			nc_buf_printf(&want, "A%d:W %d:1|", i, i);
		}
		nc_buf_puts(&text, "COMMIT\n");
		nc_buf_puts(&want, "COMMIT20000|");
		ok(!nc_buf_failed(&text) && !nc_buf_failed(&want), "texts built");
		got = run(text.s, 0, &err);
		ok(!strcmp(got, want.s), "a 32,755-byte word and 20,000 lines across "
		   "the scanner's chunks (%zu bytes read back of %zu)", strlen(got), want.len);
		free(got);
		nc_buf_free(&text);
		nc_buf_free(&want);
	}
	refused();
	return tap_done();
}
