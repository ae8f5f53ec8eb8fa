// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The save-file driver (parser/savefile.h) without the kernel: the events
 * a text gives, in order, with their lines and what the driver refuses;
 * the same events whether a file is read in one go or in parts; shell
 * scripts.
 */
#include <stdlib.h>
#include "testsuite/unit/tap.h"
#include "parser/savefile.h"
#include "ir/buf.h"

struct log {
	struct nc_buf b;
	struct nc_err *err;
	const char *fail_chain;	/* a command on this chain fails */
};

static int on_begin(void *u, bool script)
{
	nc_buf_printf(&((struct log *)u)->b, "%s|", script ? "script" : "save");
	return 0;
}

static int on_table(void *u, const char *name, const struct nc_loc *loc)
{
	nc_buf_printf(&((struct log *)u)->b, "T%u:%s|", loc->line, name);
	return 0;
}

static int on_chain(void *u, const char *name, bool builtin, uint64_t p, uint64_t b,
		    const struct nc_loc *loc)
{
	nc_buf_printf(&((struct log *)u)->b, "C%u:%s%s:%llu:%llu|", loc->line, name,
		      builtin ? "(b)" : "", (unsigned long long)p, (unsigned long long)b);
	return 0;
}

static int on_commit(void *u, const struct nc_loc *loc)
{
	nc_buf_printf(&((struct log *)u)->b, "COMMIT%u|", loc->line);
	return 0;
}

static int on_command(void *u, struct nc_job *job, const struct nc_loc *loc,
		      const struct nc_save_src *src, void *prepared)
{
	struct log *l = u;

	nc_buf_printf(&l->b, "%c%u:%s:%zu", nc_cmd_letter(job->kind), loc->line, job->chain,
		      job->nrules);
	if (job->nrules && job->rules[0] && job->rules[0]->packets)
		nc_buf_printf(&l->b, ":[%llu]", (unsigned long long)job->rules[0]->packets);
	if (src->text)
		nc_buf_printf(&l->b, "<%.*s>", (int)src->len, src->text);
	if (prepared)
		nc_buf_printf(&l->b, "(%s)", (const char *)prepared);
	nc_buf_putc(&l->b, '|');
	if (l->fail_chain && !strcmp(job->chain, l->fail_chain))
		return nc_err_set(l->err, NC_EOTHER, loc, "consumer refused %s", job->chain);
	return 0;
}

static int on_line(void *u, enum nc_line_kind kind, const struct nc_save_src *src,
		   const char *why)
{
	static const char k[] = "#OUN";

	nc_buf_printf(&((struct log *)u)->b, "%c%u<%.*s>|", k[kind], src->line,
		      src->text ? (int)src->len : 0, src->text ? src->text : "");
	return 0;
}

static int on_error(void *u, const struct nc_err *err, const struct nc_save_src *src)
{
	nc_buf_printf(&((struct log *)u)->b, "E%u@%u:%s|", err->status, src->line, err->msg);
	return 0;
}

/* In a reader thread: marks the job, in the part's store. */
static int prepare(const void *u, struct nc_job *job, struct nc_store *st, void **out)
{
	*out = nc_store_dup(st, "p", 1);
	return *out ? 0 : -1;
}

static const struct nc_save_ops all_ops = {
	.begin = on_begin, .table = on_table, .chain = on_chain, .commit = on_commit,
	.command = on_command, .line = on_line, .error = on_error,
};

/* NC_SAVE_AGAIN: each table's first COMMIT asks for the table again. */
static uint32_t again_done[8];

static int on_commit_again(void *u, const struct nc_loc *loc)
{
	for (size_t i = 0; i < sizeof(again_done) / sizeof(again_done[0]); i++) {
		if (again_done[i] == loc->line)
			break;
		if (!again_done[i]) {
			again_done[i] = loc->line;
			nc_buf_printf(&((struct log *)u)->b, "AGAIN%u|", loc->line);
			return NC_SAVE_AGAIN;
		}
	}
	return on_commit(u, loc);
}

/* ... and the first command on POSTROUTING asks for it before COMMIT */
static bool again_cmd_done;

static int on_command_again(void *u, struct nc_job *job, const struct nc_loc *loc,
			    const struct nc_save_src *src, void *prepared)
{
	int rc = on_command(u, job, loc, src, prepared);

	if (rc == 0 && !again_cmd_done && !strcmp(job->chain, "POSTROUTING")) {
		again_cmd_done = true;
		nc_buf_printf(&((struct log *)u)->b, "AGAIN%u|", loc->line);
		return NC_SAVE_AGAIN;
	}
	return rc;
}

static const struct nc_save_ops again_cmd_ops = {
	.begin = on_begin, .table = on_table, .chain = on_chain, .commit = on_commit,
	.command = on_command_again,
};

static const struct nc_save_ops again_ops = {
	.begin = on_begin, .table = on_table, .chain = on_chain, .commit = on_commit_again,
	.command = on_command, .line = on_line,
};

static char *run_ops(const char *text, struct nc_save_opts *o, const struct nc_save_ops *ops,
		     const char *fail_chain)
{
	struct nc_err err = { 0 };
	struct log l = { .err = &err, .fail_chain = fail_chain };
	size_t len = strlen(text);
	char *buf = malloc(len ? len : 1);	/* no NUL after the text */

	memcpy(buf, text, len);
	o->family = AF_INET;
	o->prog = "test";
	if (nc_save_read(buf, len, o, ops, &l, &err) < 0)
		nc_buf_printf(&l.b, "ERR%d@%u:%s", err.status, err.loc.line, err.msg);
	free(buf);
	return l.b.s ? l.b.s : strdup("");
}

static void check(const char *name, const char *text, struct nc_save_opts o, const char *want)
{
	char *got = run_ops(text, &o, &all_ops, NULL);

	is_str(got, want, "%s", name);
	free(got);
}

static const char file1[] =
	"# first\n"
	"*filter\n"
	":INPUT ACCEPT [1:2]\n"
	"-A INPUT -j ACCEPT\n"
	"COMMIT\n"
	"*nat\n"
	":PREROUTING ACCEPT [3:4]\n"
	":u - [0:0]\n"
	"\n"
	"[5:6] -A PREROUTING -s 10.0.0.1,10.0.0.2 -j u\n"
	"-A u -j RETURN\n"
	"COMMIT\n";

int main(void)
{
	struct nc_save_opts plain = { 0 };
	struct nc_save_opts skip = { .other_tables = NC_SAVE_SKIP, .lines = true };
	struct nc_save_opts keep = { .other_tables = NC_SAVE_SKIP, .lines = true,
				     .keep_going = true };

	check("a save file, other tables refused", file1, plain,
	      "save|ERR2@2:table `filter' is not handled by natc: it manages the nat table only");
	check("other tables skipped, their lines and comments handed on", file1, skip,
	      "save|#1<# first>|O2<*filter>|O3<:INPUT ACCEPT [1:2]>|O4<-A INPUT -j ACCEPT>|"
	      "O5<COMMIT>|T6:nat|C7:PREROUTING(b):0:0|C8:u:0:0|"
	      "A10:PREROUTING:2<[5:6] -A PREROUTING -s 10.0.0.1,10.0.0.2 -j u>|"
	      "A11:u:1<-A u -j RETURN>|COMMIT12|");
	{
		struct nc_save_opts o = { .counters = true, .only_table = "nat" };

		check("-c: counters of chains and rules; -T nat skips filter quietly", file1, o,
		      "save|T6:nat|C7:PREROUTING(b):3:4|C8:u:0:0|A10:PREROUTING:2:[5]|"
		      "A11:u:1|COMMIT12|");
	}
	check("*nat inside a table", "*nat\n-A PREROUTING -j RETURN\n*nat\nCOMMIT\n", plain,
	      "save|T1:nat|A2:PREROUTING:1|ERR2@3:COMMIT expected before table `nat'");
	check("kept going: *nat inside a table, then the table",
	      "*nat\n-A PREROUTING -j RETURN\n*nat\nCOMMIT\n", keep,
	      "save|T1:nat|A2:PREROUTING:1<-A PREROUTING -j RETURN>|"
	      "E2@3:COMMIT expected before table `nat'|T3:nat|COMMIT4|");
	check("COMMIT outside a table", "COMMIT\n", plain, "save|ERR1@1:COMMIT outside a table");
	check("a command before any table", "-A PREROUTING -j RETURN\n", plain,
	      "save|ERR1@1:no table: a `*nat' line must come first");
	/* any line outside a table fails with status 1, as iptables-restore's
	 * "line N failed" */
	check("a chain line outside a table", ":PREROUTING ACCEPT\n", plain,
	      "save|ERR1@1:no table: a `*nat' line must come first");
	check("a line that parses as nothing, before a table", "foo bar\n*nat\nCOMMIT\n", plain,
	      "save|ERR1@1:no table: a `*nat' line must come first");
	check("a line that parses as nothing, after COMMIT", "*nat\nCOMMIT\nfoo\n", plain,
	      "save|T1:nat|COMMIT2|ERR1@3:no table: a `*nat' line must come first");
	check("binary bytes outside a table", "\x7f\x80\x00x\n", plain,
	      "save|ERR1@1:no table: a `*nat' line must come first");
	check("the same line inside a table: a parameter problem", "*nat\nfoo bar\nCOMMIT\n", plain,
	      "save|T1:nat|ERR2@2:Bad argument `foo'");
	check("kept going: a line outside a table reported, the rest read",
	      "foo\n*nat\nCOMMIT\n", keep,
	      "save|E1@1:no table: a `*nat' line must come first|T2:nat|COMMIT3|");
	check("a table never committed", "*nat\n-A OUTPUT -j RETURN\n", plain,
	      "save|T1:nat|A2:OUTPUT:1|ERR1@1:COMMIT expected: table `nat' is not committed");
	check("DROP policy of a builtin", "*nat\n:OUTPUT DROP [0:0]\nCOMMIT\n", plain,
	      "save|T1:nat|ERR2@2:" NC_MSG_DROP);
	check("a bad policy of a builtin", "*nat\n:OUTPUT REJECT\nCOMMIT\n", plain,
	      "save|T1:nat|ERR1@2:Bad policy name. Run `dmesg' for more information.");
	check("a chain line without policy", "*nat\n:OUTPUT\nCOMMIT\n", plain,
	      "save|T1:nat|ERR2@2:policy invalid");
	check("-t in a save file", "*nat\n-t nat -A OUTPUT -j RETURN\nCOMMIT\n", plain,
	      "save|T1:nat|ERR2@2:The -t option cannot be used in test");
	check("a -6 line is not ours", "*nat\n-6 -A OUTPUT -j RETURN\nCOMMIT\n", skip,
	      "save|T1:nat|U2<-6 -A OUTPUT -j RETURN>|COMMIT3|");
	check("kept going: bad lines reported, the rest read",
	      "*nat\n-A OUTPUT -j RETURN --bogus\n-A OUTPUT \"x\n-A OUTPUT -j RETURN\n"
	      "-4\nCOMMIT\n*filter\n", keep,
	      "save|T1:nat|E2@2:unknown option \"--bogus\"|E2@3:unterminated quoted string|"
	      "A4:OUTPUT:1<-A OUTPUT -j RETURN>|E2@5:no command specified|COMMIT6|"
	      "O7<*filter>|");
	{
		struct nc_err err = { 0 };
		struct nc_save_opts o = keep;
		char *got = run_ops("*nat\n-A a -j RETURN\n-A b -j RETURN\nCOMMIT\n", &o,
				    &all_ops, "a");

		is_str(got, "save|T1:nat|A2:a:1<-A a -j RETURN>|E1@2:consumer refused a|"
		       "A3:b:1<-A b -j RETURN>|COMMIT4|",
		       "kept going: a consumer's refusal is reported and reading goes on");
		free(got);
		(void)err;
	}

	/* scripts: the same command events, no table; comments and lines
	 * not followed handed on */
	{
		struct nc_save_opts o = { .scripts = true, .lines = true,
					  .other_tables = NC_SAVE_SKIP };

		check("a shell script",
		      "#!/bin/sh\nIPT=iptables\n$IPT -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n"
		      "iptables -A INPUT -j ACCEPT\nif true; then\n  iptables -t nat -F\nfi\n",
		      o,
		      "script|#1<#!/bin/sh>|A3:POSTROUTING:1<iptables -t nat -A POSTROUTING -o eth0 -j "
		      "MASQUERADE>|O4<iptables -A INPUT -j ACCEPT>|U5<if true; then>|"
		      "N6<  iptables -t nat -F>|U7<fi>|");
		/* issue 14: a here-document fed to iptables-restore is a save
		 * file in the script, at its lines, variables expanded; with
		 * -n no table event (it is not replaced); lines the reader
		 * could not expand handed on in their turn, a table not
		 * committed not read at all */
		o.keep_going = true;
		check("a script feeding iptables-restore",
		      "X=eth0\niptables -t nat -N A\niptables-restore -n <<EOF\n*nat\n# c\n"
		      "-A A -o \"$X\" -j RETURN\n-A A -o $Y -j RETURN\n:B - [0:0]\nCOMMIT\nEOF\n"
		      "iptables-restore <<'EOF'\n*nat\n-A A -j RETURN\nEOF\n"
		      "iptables -t nat -F A\n",
		      o,
		      "script|N2:A:0<iptables -t nat -N A>|#5<# c>|"
		      "A6:A:1<-A A -o \"$X\" -j RETURN>|N7<-A A -o $Y -j RETURN>|C8:B:0:0|"
		      "COMMIT9|N11<iptables-restore <<'EOF'>|N12<*nat>|N13<-A A -j RETURN>|"
		      "N14<EOF>|F15:A:0<iptables -t nat -F A>|");
		o.keep_going = false;
		o.scripts = false;
		check("a shell script where only save files are read",
		      "#!/bin/sh\niptables -t nat -F\n", o,
		      "save|#1<#!/bin/sh>|ERR1@2:no table: a `*nat' line must come first");
	}

	/* parts: a file big enough to cut, with errors and other tables in
	 * it, gives the same events read in one go and in 1..8 parts */
	{
		struct nc_buf f = { 0 };
		struct nc_save_ops pops = all_ops;
		char *one, *got;
		bool same = true, cut = false;

		pops.prepare = prepare;
		nc_buf_puts(&f, "*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n");
		for (int i = 0; i < 12000; i++) {
			if (i % 2500 == 7)
				nc_buf_printf(&f, "-A PREROUTING -p tcp --dport %d -j REDIRECT --bogus\n", i);
			else if (i % 3000 == 11)
				nc_buf_puts(&f, "# a comment\n");
			else
				nc_buf_printf(&f, "-A PREROUTING -p tcp --dport %d -j REDIRECT\n",
					      1 + i % 60000);
		}
		nc_buf_puts(&f, "COMMIT\n*mangle\n-A OUTPUT -j ACCEPT\nCOMMIT\n*nat\n"
			    "-A OUTPUT -j RETURN\n-A OUTPUT -j RETURN x\nCOMMIT\n");
		{
			struct nc_save_opts o = keep;

			one = run_ops(nc_buf_str(&f), &o, &all_ops, NULL);
		}
		for (int n = 1; n <= 8; n++) {
			char env[4];
			struct nc_save_parts parts = { 0 };
			struct nc_save_opts o = keep;
			char *p;

			o.parts = true;
			o.parts_out = &parts;
			snprintf(env, sizeof(env), "%d", n);
			setenv("NATC_PARTS", env, 1);
			got = run_ops(nc_buf_str(&f), &o, &pops, NULL);
			/* prepared jobs say so: "(p)"; otherwise the same */
			for (p = got; (p = strstr(p, "(p)")); )
				memmove(p, p + 3, strlen(p + 3) + 1);
			if (strcmp(got, one)) {
				size_t k = 0;

				while (got[k] == one[k])
					k++;
				same = false;
				printf("# %d parts differ at byte %zu: '%.80s' against '%.80s'\n",
				       n, k, got + (k > 40 ? k - 40 : 0), one + (k > 40 ? k - 40 : 0));
			}
			cut |= parts.n > 1;
			free(got);
		}
		unsetenv("NATC_PARTS");
		if (!strstr(one, "E2@13:unknown option \"--bogus\"") || !strstr(one, "E2@12012:Bad argument") ||
		    !strstr(one, "O12007<*mangle>"))
			printf("# read in one go: ...%s\n", one + (strlen(one) > 300 ? strlen(one) - 300 : 0));
		ok(same && cut && strstr(one, "E2@13:unknown option \"--bogus\"") &&
		   strstr(one, "E2@12012:Bad argument") && strstr(one, "O12007<*mangle>"),
		   "a 12000-line file: the same events read in one go and in 1..8 parts");
		free(one);
		nc_buf_free(&f);
	}
	{
		/* a transaction made again: its events again from its *nat
		 * line, with their lines; the comment and the warning of a
		 * line read twice handed on once */
		static const char text[] =
			"*nat\n"
			":PREROUTING ACCEPT [0:0]\n"
			"# c\n"
			"-A PREROUTING -j RETURN\n"
			"COMMIT\n"
			"*nat\n"
			"-A POSTROUTING -j NFLOG --nflog-range 5\n"
			"COMMIT\n";
		struct nc_save_opts o = { .lines = true, .family = AF_INET, .prog = "test" };
		struct nc_err err = { 0 };
		struct log l = { .err = &err };
		int rc = nc_save_read(text, strlen(text), &o, &again_ops, &l, &err);

		is_str(nc_buf_str(&l.b),
		       "save|T1:nat|C2:PREROUTING(b):0:0|#3<# c>|A4:PREROUTING:1<-A PREROUTING -j RETURN>|"
		       "AGAIN5|T1:nat|C2:PREROUTING(b):0:0|A4:PREROUTING:1<-A PREROUTING -j RETURN>|"
		       "COMMIT5|T6:nat|A7:POSTROUTING:1<-A POSTROUTING -j NFLOG --nflog-range 5>|"
		       "AGAIN8|T6:nat|A7:POSTROUTING:1<-A POSTROUTING -j NFLOG --nflog-range 5>|COMMIT8|",
		       "NC_SAVE_AGAIN: a table's events again from its line, the tables "
		       "committed before it not");
		ok(rc == 0 && err.status == NC_OK && err.nwarn == 1 && err.warn[0].loc.line == 7,
		   "... its warnings (at line 7) and comments handed on once (status %d, "
		   "%u warnings)", err.status, err.nwarn);
		nc_buf_free(&l.b);
		memset(again_done, 0, sizeof(again_done));
		/* not indexed: the table's line is found by counting */
		l = (struct log){ .err = &err };
		nc_err_clear(&err);
		o.lines = false;
		rc = nc_save_read(text, strlen(text), &o, &again_ops, &l, &err);
		ok(rc == 0 && strstr(nc_buf_str(&l.b), "AGAIN8|T6:nat|A7:POSTROUTING:1|COMMIT8|"),
		   "... the same without the lines indexed: %s", nc_buf_str(&l.b));
		nc_buf_free(&l.b);
		/* asked for by a command: the table again from its line */
		l = (struct log){ .err = &err };
		nc_err_clear(&err);
		rc = nc_save_read(text, strlen(text), &o, &again_cmd_ops, &l, &err);
		is_str(rc == 0 ? nc_buf_str(&l.b) : err.msg,
		       "save|T1:nat|C2:PREROUTING(b):0:0|A4:PREROUTING:1|COMMIT5|T6:nat|"
		       "A7:POSTROUTING:1|AGAIN7|T6:nat|A7:POSTROUTING:1|COMMIT8|",
		       "NC_SAVE_AGAIN from a command: its table again from its line");
		nc_buf_free(&l.b);
	}
	return tap_done();
}
