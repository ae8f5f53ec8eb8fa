// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The save-file reader without the kernel: which callbacks a text gives,
 * in order, and where its errors are located.
 */
#include <stdlib.h>
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
		/* the scanner takes the text in chunks of 64 KiB into a buffer
		 * of its own: a word across two chunks, and a line longer
		 * than the buffer, arrive whole */
		struct nc_buf text = { 0 }, want = { 0 };
		struct nc_err err = { 0 };
		char *got;

		nc_buf_puts(&text, "*nat\n-A ");
		nc_buf_puts(&want, "T1:nat|A2:");
		for (int i = 0; i < 300000; i++) {
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
		ok(!strcmp(got, want.s), "a 300,000-byte word and 20,000 lines across "
		   "the scanner's chunks (%zu bytes read back of %zu)", strlen(got), want.len);
		free(got);
		nc_buf_free(&text);
		nc_buf_free(&want);
	}
	return tap_done();
}
