// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The save-file driver (parser/savefile.h): what a save file means,
 * written once for natc-restore, natc-restore-translate and --explain.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "parser/driver.h"
#include "parser/script.h"

static const char msg_other_table[] = "not the nat table: natc translates the nat table only";

enum table_fate nc_drv_table_fate(const struct nc_save_opts *o, const char *name)
{
	if (o->only_table && strcmp(name, o->only_table))
		return T_SKIP_QUIET;
	if (!strcmp(name, NC_TABLE_NAT))
		return T_HANDLE;
	return o->other_tables == NC_SAVE_SKIP ? T_SKIP : T_REFUSE;
}

const char *nc_drv_line(const struct drv *d, uint32_t line, size_t *len)
{
	size_t a, b;

	*len = 0;
	if (!d->off || line < 1 || line > d->nlines)
		return "";
	a = d->off[line - 1];
	b = line < d->nlines ? d->off[line] - 1 : d->len;
	if (line == d->nlines && b > a && d->text[b - 1] == '\n')
		b--;
	if (b > a && d->text[b - 1] == '\r')
		b--;
	*len = b - a;
	return d->text + a;
}

static struct nc_save_src src_of(const struct drv *d, uint32_t line)
{
	struct nc_save_src s = { .line = line };

	if (d->off)
		s.text = nc_drv_line(d, line, &s.len);
	return s;
}

/* An error: with keep_going (and not out of memory) handed to
 * ops->error() and forgotten; otherwise the reading stops. */
static int failed(struct drv *d)
{
	struct nc_save_src s;

	if (!d->o->keep_going || d->err->status == NC_ERESOURCE ||
	    d->err->status == NC_OK || d->err->input_refused) {
		d->stop = true;
		return -1;
	}
	s = src_of(d, d->err->loc.line);
	if (d->ops->error(d->user, d->err, &s) < 0) {
		d->stop = true;
		return -1;
	}
	nc_err_clear(d->err);
	return 0;
}

static int hand_line(struct drv *d, enum nc_line_kind kind, uint32_t line, const char *why)
{
	struct nc_save_src s = src_of(d, line);

	if (!d->ops->line || d->ops->line(d->user, kind, &s, why) == 0)
		return 0;
	return failed(d);
}

/* Lines before @line that no event covered: comments, other tables'
 * lines, lines the scanner passed over.  A script's reader reports all of
 * its lines itself. */
static int catch_up(struct drv *d, uint32_t line)
{
	for (uint32_t l = d->done + 1; d->ops->line && !d->script && l < line &&
	     (l <= d->nlines || d->ibad < d->nbad) && !d->stop; l++) {
		size_t len, lead = 0;
		const char *s;

		/* a here-document's line the script's reader could not expand
		 * (empty in the text read) */
		while (d->ibad < d->nbad && d->bad[d->ibad].line < l)
			d->ibad++;
		if (d->ibad < d->nbad && d->bad[d->ibad].line == l) {
			const char *why = d->bad[d->ibad++].why;

			if (why)	/* (NULL: joined to the line before) */
				hand_line(d, d->skip_table ? NC_LINE_OTHER_TABLE :
					  NC_LINE_NOT_FOLLOWED, l, why);
			continue;
		}
		if (l > d->nlines)
			continue;
		s = nc_drv_line(d, l, &len);

		while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
			lead++;
		if (lead == len)
			continue;
		if (s[lead] == '#')
			hand_line(d, NC_LINE_COMMENT, l, NULL);
		else if (d->skip_table)
			hand_line(d, NC_LINE_OTHER_TABLE, l, msg_other_table);
		else
			hand_line(d, NC_LINE_UNREAD, l, "line not read (not for iptables)");
	}
	if (line > d->done)
		d->done = line;
	return d->stop ? -1 : 0;
}

/* The warnings of @e (an event's record, not the driver's own) in input
 * order: to ops->warn, or into the driver's error record. */
static int hand_warnings(struct drv *d, const struct nc_err *e)
{
	if (!e || e == d->err)
		return 0;
	for (unsigned i = 0; i < e->nwarn; i++) {
		const struct nc_warn *w = &e->warn[i];
		struct nc_save_src s;

		if (!d->ops->warn) {
			nc_err_warn(d->err, w->loc.line ? &w->loc : NULL, "%s", w->msg);
			continue;
		}
		s = src_of(d, w->loc.line);
		if (d->script)
			s.text = NULL;
		if (d->ops->warn(d->user, w, &s) < 0)
			return failed(d);
	}
	d->err->warn_lost += e->warn_lost;
	return 0;
}

/* The error of an event's record as the driver's. */
static void take_error(struct drv *d, const struct nc_err *e)
{
	if (e == d->err)
		return;
	d->err->status = e->status;
	d->err->loc = e->loc;
	d->err->usage_hint = e->usage_hint;
	d->err->input_refused = e->input_refused;
	memcpy(d->err->msg, e->msg, sizeof(d->err->msg));
}

static int apply_table(struct drv *d, const struct ev *ev)
{
	bool nested = d->in_table;

	d->in_table = true;
	d->skip_table = false;
	d->table_loc = ev->loc;
	snprintf(d->table, sizeof(d->table), "%s", ev->a);
	d->fate = nc_drv_table_fate(d->o, ev->a);
	if (nested) {
		nc_err_param(d->err, &ev->loc, "COMMIT expected before table `%s'", ev->a);
		if (failed(d) < 0)
			return -1;
	}
	switch (d->fate) {
	case T_SKIP_QUIET:
		d->skip_table = true;
		return 0;
	case T_SKIP:
		d->skip_table = true;
		return hand_line(d, NC_LINE_OTHER_TABLE, ev->loc.line, msg_other_table);
	case T_REFUSE:
		d->skip_table = true;
		nc_err_param(d->err, &ev->loc,
			     "table `%s' is not handled by natc: it manages the nat table only",
			     ev->a);
		return failed(d);
	case T_HANDLE:
		break;
	}
	if (d->noflush)		/* a script's iptables-restore -n: not replaced */
		return 0;
	return d->ops->table(d->user, ev->a, &ev->loc) < 0 ? failed(d) : 0;
}

/* The counters of "[packets:bytes]"; -1 when they do not read so. */
static int counters_of(const char *s, uint64_t *p, uint64_t *b)
{
	char tail;

	if (sscanf(s, "[%" SCNu64 ":%" SCNu64 "]%c", p, b, &tail) != 2)
		return -1;
	return 0;
}

/* Where line @line starts in the input. */
static size_t line_start(const struct drv *d, uint32_t line)
{
	size_t at = 0;

	if (d->off)
		return d->off[line - 1];
	/* not indexed: counted, only when a table is read again */
	for (uint32_t l = 1; l < line && at < d->len; l++) {
		const char *nl = memchr(d->text + at, '\n', d->len - at);

		at = nl ? (size_t)(nl - d->text) + 1 : d->len;
	}
	return at;
}

/* Whether the parser's error @e is of a line outside any table that is
 * no table line ("* nat" and "*nat extra" keep their own message) */
static bool refused_outside(const struct drv *d, const struct nc_err *e)
{
	size_t at;

	if (d->script || d->in_table || e->status != NC_EPARAM || !e->loc.line)
		return false;
	at = line_start(d, e->loc.line);
	return at >= d->len || d->text[at] != '*';
}

/* A save file's line before its table: whatever it holds, the file
 * fails there with status 1, as iptables-restore's "line N failed" */
static int outside_table(struct drv *d, const struct nc_loc *at)
{
	struct nc_loc loc = *at;	/* (perhaps the parser's error's) */
	bool refused = d->err->input_refused;

	if (refused) {	/* a NUL byte, an overlong line: said as such */
		d->err->status = NC_EOTHER;
		return failed(d);
	}
	nc_err_clear(d->err);
	nc_err_set(d->err, NC_EOTHER, &loc, "no table: a `*nat' line must come first");
	d->err->input_refused = refused;
	return failed(d);
}

static int apply_chain(struct drv *d, const struct ev *ev)
{
	const char *name = ev->a, *policy = ev->b;
	const struct nc_loc *loc = &ev->loc;
	bool builtin = nc_builtin_find(name) != NULL;
	uint64_t p = 0, b = 0;

	if (!d->in_table)
		return outside_table(d, loc);
	if (d->skip_table)
		return 0;
	/* counters that do not read as such count as none, as iptables */
	if (!ev->c || !d->o->counters || counters_of(ev->c, &p, &b) < 0)
		p = b = 0;
	if (!policy)
		nc_err_param(d->err, loc, "policy invalid");
	else if (builtin && strcmp(policy, "ACCEPT") && strcmp(policy, "DROP") &&
		 strcmp(policy, "-"))	/* "-" leaves it as it is: ACCEPT */
		nc_err_set(d->err, NC_EOTHER, loc,
			   "Bad policy name. Run `dmesg' for more information.");
	else if (builtin && !strcmp(policy, "DROP"))
		nc_err_param(d->err, loc, NC_MSG_DROP);
	else if (!builtin)	/* a user chain's policy means nothing, as in iptables */
		nc_check_chain_name(name, loc, d->err);
	if (d->err->status != NC_OK)
		return failed(d);
	return d->ops->chain(d->user, name, builtin, p, b, loc) < 0 ? failed(d) : 0;
}

/* NC_SAVE_AGAIN: the reading stops here, and nc_drv_read_seq() starts
 * it again at the table's line. */
static int read_again(struct drv *d, uint32_t line)
{
	d->stop = true;
	if (d->o->parts || d->script || d->here)
		return nc_err_set(d->err, NC_ERESOURCE, &d->table_loc,
				  "table `%s' cannot be read again", d->table);
	d->again = d->table_loc.line;
	d->in_table = d->skip_table = false;	/* (a command's asking) */
	if (line > d->seen)
		d->seen = line;
	return -1;
}

static int apply_commit(struct drv *d, const struct ev *ev)
{
	bool skipped = d->skip_table;
	int rc;

	if (!d->in_table) {
		nc_err_set(d->err, NC_EOTHER, &ev->loc, "COMMIT outside a table");
		return failed(d);
	}
	d->in_table = d->skip_table = false;
	if (skipped)
		return d->fate == T_SKIP ?
		       hand_line(d, NC_LINE_OTHER_TABLE, ev->loc.line, msg_other_table) : 0;
	rc = d->ops->commit(d->user, &ev->loc);
	if (rc == NC_SAVE_AGAIN)
		return read_again(d, ev->loc.line);
	return rc < 0 ? failed(d) : 0;
}

static int apply_command(struct drv *d, const struct ev *ev)
{
	struct nc_save_src s;
	int rc;

	if (!d->script && !d->in_table)
		return outside_table(d, &ev->loc);
	if (d->skip_table)
		return 0;
	/* a line read again raised its warnings the first time */
	if (ev->loc.line > d->seen && hand_warnings(d, ev->err) < 0)
		return -1;
	if (!ev->job) {
		take_error(d, ev->err);
		return failed(d);
	}
	s = src_of(d, ev->loc.line);
	if (d->script && ev->c) {	/* the command as words: "iptables ..." */
		s.text = ev->c;
		s.len = strlen(ev->c);
	}
	rc = d->ops->command(d->user, ev->job, &ev->loc, &s, ev->prep);
	if (rc == NC_SAVE_AGAIN && d->in_table)
		return read_again(d, ev->loc.line);
	return rc < 0 ? failed(d) : 0;
}

int nc_drv_apply(struct drv *d, const struct ev *ev)
{
	if (d->stop || catch_up(d, ev->loc.line) < 0)
		return -1;
	switch (ev->kind) {
	case EV_TABLE: return apply_table(d, ev);
	case EV_CHAIN: return apply_chain(d, ev);
	case EV_COMMIT: return apply_commit(d, ev);
	case EV_COMMAND: return apply_command(d, ev);
	case EV_IGNORED:
		return hand_line(d, d->script ? NC_LINE_NOT_FOLLOWED : NC_LINE_UNREAD,
				 ev->loc.line, ev->a);
	case EV_ERROR:
		if (hand_warnings(d, ev->err) < 0)
			return -1;
		take_error(d, ev->err);	/* (a part's own record, in parts) */
		if (refused_outside(d, d->err))
			return outside_table(d, &d->err->loc);
		return failed(d);
	}
	return 0;
}

/* --- scanning: lines into events ------------------------------------- */

/* A line for the other family's tool (-6 in natc's file, -4 in natc6's),
 * which ip6tables-restore and iptables-restore skip. */
static bool other_family(const struct nc_cmd *cmd, uint8_t family)
{
	enum nc_opt_kind k = family == AF_INET6 ? NC_OPT_IPV4 : NC_OPT_IPV6;

	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == k)
			return true;
	return false;
}

void nc_drv_scan_command(const struct drv *d, struct nc_cmd *cmd, const char *counters,
			 struct ev *ev, struct nc_err *e)
{
	const struct nc_save_opts *o = d->o;
	uint64_t p = 0, b = 0;

	*ev = (struct ev){ .kind = EV_COMMAND, .loc = cmd->loc, .err = e };
	if (!ev->loc.line)	/* no command letter: the line then */
		ev->loc = (struct nc_loc){ .line = cmd->line };
	else if (cmd->end.first_col)	/* the command, without what ends it */
		ev->loc.last_col = (uint16_t)(cmd->end.first_col - 1);
	if (other_family(cmd, o->family)) {
		ev->kind = EV_IGNORED;
		ev->a = o->family == AF_INET6 ?
			"an IPv4 line (-4): natc6 reads the IPv6 rules" :
			"an IPv6 line (-6): natc reads the IPv4 rules";
		return;
	}
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == NC_OPT_TABLE) {
			nc_err_param(e, &cmd->opts[i].loc, "The -t option cannot be used in %s",
				     o->prog ? o->prog : "a save file");
			return;
		}
	if (counters && o->counters) {
		for (size_t i = 0; i < cmd->nopts; i++)
			if (cmd->opts[i].kind == NC_OPT_COUNTERS) {
				nc_err_param(e, &cmd->opts[i].loc,
					     "multiple -c flags not allowed");
				return;
			}
		if (counters_of(counters, &p, &b) < 0) {
			nc_err_param(e, &ev->loc, "Bad counters `%s'", counters);
			return;
		}
	}
	ev->job = nc_build(cmd, o->family, e);
	/* "[p:b]" counts with -c only; "-c P B" in the rule always does */
	for (size_t i = 0; ev->job && counters && o->counters && i < ev->job->nrules; i++) {
		ev->job->rules[i]->packets = p;
		ev->job->rules[i]->bytes = b;
	}
}

/* Read in one go: each line's event applied at once. */
static int s_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct drv *d = user;
	struct ev ev = { .kind = EV_TABLE, .loc = *loc, .a = name };

	if (nc_drv_apply(d, &ev) < 0)
		return -1;
	return d->skip_table ? 1 : 0;	/* 1: its lines are skipped unread */
}

static int s_chain(void *user, const char *name, const char *policy,
		   const char *counters, const struct nc_loc *loc)
{
	struct ev ev = { .kind = EV_CHAIN, .loc = *loc, .a = name, .b = policy,
			 .c = counters };

	return nc_drv_apply(user, &ev);
}

static int s_commit(void *user, const struct nc_loc *loc)
{
	struct ev ev = { .kind = EV_COMMIT, .loc = *loc };

	return nc_drv_apply(user, &ev);
}

static int s_command(void *user, struct nc_cmd *cmd, const char *counters)
{
	struct drv *d = user;
	struct nc_err e;
	struct ev ev;
	int rc;

	nc_err_init(&e);
	nc_drv_scan_command(d, cmd, counters, &ev, &e);
	rc = nc_drv_apply(d, &ev);
	nc_job_free(ev.job);
	return rc;
}

static const struct nc_file_ops seq_ops = {
	.table = s_table, .chain = s_chain, .commit = s_commit, .command = s_command,
};

int nc_drv_read_seq(struct drv *d, const char *text, size_t len, uint32_t first)
{
	for (;;) {
		struct ev ev = { .kind = EV_ERROR };
		uint32_t line;
		size_t at;

		if (nc_parse_file_af(text, len, first, d->o->family, &seq_ops, d,
				     d->err) == 0)
			return 0;
		if (d->again) {
			/* a "*table" line is read as at the start of a file
			 * (parser/parts.c cuts files there too) */
			first = d->again;
			at = line_start(d, first);
			text = d->text + at;
			len = d->len - at;
			d->again = 0;
			d->stop = false;
			nc_err_clear(d->err);	/* the parser's "syntax error" */
			continue;
		}
		if (d->stop)
			return -1;
		/* the parser refused a line: the lines before it are handed
		 * on (as when the file is read in parts), then with keep_going
		 * it is reported and reading goes on with the next line;
		 * failed() says when it cannot */
		line = d->err->loc.line;
		if (d->err->status == NC_ERESOURCE || !d->off ||
		    line < first || line > d->nlines) {
			if (refused_outside(d, d->err))
				outside_table(d, &d->err->loc);
			return -1;
		}
		ev.loc = d->err->loc;
		ev.err = d->err;	/* the error is the driver's already */
		if (nc_drv_apply(d, &ev) < 0)
			return -1;
		/* on after the line, in @text (the input's own, or a
		 * script's here-document as expanded) */
		for (; first <= line && len; first++) {
			const char *nl = memchr(text, '\n', len);

			at = nl ? (size_t)(nl - text) + 1 : len;
			text += at;
			len -= at;
		}
		if (!len)
			return 0;
	}
}

/* --- shell scripts ---------------------------------------------------- */

static bool table_is_nat(const struct nc_cmd *cmd, const char **table)
{
	*table = "filter";	/* iptables' default */
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == NC_OPT_TABLE && cmd->opts[i].arg)
			*table = cmd->opts[i].arg;
	return !strcmp(*table, NC_TABLE_NAT);
}

/* A script's error is at its line: the columns would be the joined
 * command's, not the script's, and are left out. */
static void at_line_w(struct nc_loc *loc, uint32_t line)
{
	*loc = (struct nc_loc){ .line = line };
}

static void at_line(struct nc_err *e, uint32_t line)
{
	at_line_w(&e->loc, line);
}

static int sh_command(void *user, int argc, char **argv, uint32_t line)
{
	struct drv *d = user;
	struct nc_err e = { 0 };
	struct ev ev = { .kind = EV_ERROR, .loc = { .line = line }, .err = &e };
	char *text = NULL, *src = NULL;
	const char *table;
	struct nc_cmd *cmd = nc_parse_argv(argc, argv, &text, &e);
	int rc;

	if (!text || asprintf(&src, "iptables %s", text) < 0) {
		nc_cmd_free(cmd);
		free(text);
		nc_err_set(d->err, NC_ERESOURCE, NULL, "out of memory");
		d->stop = true;
		return -1;
	}
	if (!cmd) {
		at_line(&e, line);
	} else if (!table_is_nat(cmd, &table)) {
		char why[96];

		snprintf(why, sizeof(why), "table `%s': natc translates the nat table only",
			 table);
		catch_up(d, line);
		rc = hand_line(d, NC_LINE_OTHER_TABLE, line, why);
		goto out;
	} else {
		cmd->loc.line = line;	/* its rules are at this line */
		ev.kind = EV_COMMAND;
		ev.job = nc_build(cmd, d->o->family, &e);
		ev.c = src;
		if (!ev.job)
			at_line(&e, line);
	}
	/* its warnings are at the line too */
	for (unsigned i = 0; i < e.nwarn; i++)
		at_line_w(&e.warn[i].loc, line);
	rc = nc_drv_apply(d, &ev);
out:
	nc_job_free(ev.job);
	nc_cmd_free(cmd);
	free(text);
	free(src);
	return rc;
}

static int sh_comment(void *user, const char *text, size_t len, uint32_t line)
{
	struct drv *d = user;
	struct nc_save_src s = { .line = line, .text = text, .len = len };

	if (catch_up(d, line) < 0)
		return -1;
	if (!d->ops->line || d->ops->line(d->user, NC_LINE_COMMENT, &s, NULL) == 0)
		return 0;
	return failed(d);
}

static int sh_skipped(void *user, uint32_t line, const char *why, bool iptables)
{
	struct drv *d = user;

	if (catch_up(d, line) < 0)
		return -1;
	return hand_line(d, iptables ? NC_LINE_NOT_FOLLOWED : NC_LINE_UNREAD, line, why);
}

static int sh_refuse(void *user, uint32_t line, const char *why)
{
	struct drv *d = user;
	struct nc_loc loc;

	at_line_w(&loc, line);
	nc_err_param(d->err, &loc, "%s", why);
	d->err->input_refused = true;
	d->stop = true;
	return -1;
}

/* iptables-restore's arguments in a script: -n, -c, -T TABLE, and those
 * that change no rule (-w, -W, -v, -M); NULL, or why the command is not
 * followed. */
static const char *restore_args(const struct nc_script_here *h, struct nc_save_opts *o,
				bool *noflush)
{
	for (int i = 0; i < h->argc; i++) {
		const char *a = h->argv[i];

		if (!strcmp(a, "-n") || !strcmp(a, "--noflush"))
			*noflush = true;
		else if (!strcmp(a, "-c") || !strcmp(a, "--counters"))
			o->counters = true;
		else if ((!strcmp(a, "-T") || !strcmp(a, "--table")) && i + 1 < h->argc)
			o->only_table = h->argv[++i];
		else if (!strncmp(a, "--table=", 8))
			o->only_table = a + 8;
		else if (!strncmp(a, "-T", 2) && a[2])
			o->only_table = a + 2;
		else if ((!strcmp(a, "-M") || !strcmp(a, "--modprobe")) && i + 1 < h->argc)
			i++;
		else if (!strcmp(a, "-t") || !strcmp(a, "--test"))
			return "iptables-restore --test changes no rule";
		else if (strcmp(a, "-v") && strcmp(a, "--verbose") && strncmp(a, "-w", 2) &&
			 strncmp(a, "--wait", 6) && strncmp(a, "-W", 2) &&
			 strncmp(a, "--modprobe=", 11))
			return "iptables-restore with an argument natc does not follow";
	}
	return NULL;
}

/* Every "*table" of @text has its COMMIT. */
static bool committed(const char *text, size_t len)
{
	bool open = false;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;

		while (i < e && (text[i] == ' ' || text[i] == '\t'))
			i++;
		if (i < e && text[i] == '*')
			open = true;
		else if (e - i >= 6 && !memcmp(text + i, "COMMIT", 6))
			open = false;
		i = e + 1;
	}
	return !open;
}

/* iptables-restore fed a here-document: its body read as a save file at
 * its lines, in the script's context (its model, its variables already
 * expanded); a table not committed is reported, as iptables-restore
 * refuses it. */
static int sh_restore(void *user, const struct nc_script_here *h)
{
	struct drv *d = user;
	const struct nc_save_opts *o = d->o;
	struct nc_save_opts here = *o;
	bool noflush = false;
	const char *why = restore_args(h, &here, &noflush);
	uint32_t end = h->first;	/* the end word's line */
	bool nat = false;
	int rc;

	for (const char *p = h->text; (p = memchr(p, '\n', h->len - (size_t)(p - h->text)));
	     p++)
		end++;
	if (catch_up(d, h->line) < 0)
		return -1;
	if (!why && !committed(h->text, h->len)) {
		/* iptables-restore applies nothing of a table without its
		 * COMMIT: neither does natc (its model has no undo) */
		why = "COMMIT expected: iptables-restore applies nothing of a table "
		      "not committed";
		nat = true;
	}
	if (why) {
		for (uint32_t l = h->line; l <= end && !d->stop; l++)
			hand_line(d, nat ? NC_LINE_NOT_FOLLOWED : NC_LINE_UNREAD, l, why);
		return d->stop ? -1 : 0;
	}
	d->o = &here;
	d->script = false;
	d->here = true;
	d->noflush = noflush;
	d->bad = h->bad;
	d->nbad = h->nbad;
	d->ibad = 0;
	rc = nc_drv_read_seq(d, h->text, h->len, h->first);
	if (rc == 0 && !d->stop)
		rc = catch_up(d, end);
	d->in_table = d->skip_table = false;
	d->o = o;
	d->script = true;
	d->here = d->noflush = false;
	d->bad = NULL;
	d->nbad = d->ibad = 0;
	return rc;
}

static const struct nc_script_ops script_ops = {
	.command = sh_command, .comment = sh_comment, .skipped = sh_skipped,
	.refuse = sh_refuse, .restore = sh_restore,
};

/* --- the whole input ---------------------------------------------------- */

/* Where each line starts. */
static int index_lines(struct drv *d)
{
	size_t n = 0, cap = 1024;

	d->off = malloc(cap * sizeof(*d->off));
	if (!d->off)
		return -1;
	for (size_t i = 0; i < d->len; n++) {
		const char *nl = memchr(d->text + i, '\n', d->len - i);

		if (n == cap) {
			size_t *v = realloc(d->off, 2 * cap * sizeof(*v));

			if (!v)
				return -1;
			d->off = v;
			cap *= 2;
		}
		d->off[n] = i;
		i = nl ? (size_t)(nl - d->text) + 1 : d->len;
	}
	if (n > UINT32_MAX - 1) {
		errno = EFBIG;
		return -1;
	}
	d->nlines = (uint32_t)n;
	return 0;
}

int nc_save_read(const char *text, size_t len, const struct nc_save_opts *opts,
		 const struct nc_save_ops *ops, void *user, struct nc_err *err)
{
	struct drv d = { .o = opts, .ops = ops, .user = user, .err = err,
			 .text = text, .len = len };
	int rc;

	d.script = opts->scripts && nc_text_is_script(text, len);
	if ((opts->lines || opts->keep_going || opts->parts) && index_lines(&d) < 0) {
		free(d.off);
		return nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
	}
	if (ops->begin && ops->begin(user, d.script) < 0) {
		free(d.off);
		return -1;
	}
	if (d.script)
		rc = nc_parse_script_as(text, len, opts->interface, &script_ops, &d);
	else if (opts->parts)
		rc = nc_drv_read_parts(&d);
	else
		rc = nc_drv_read_seq(&d, text, len, 1);
	if (rc == 0 && !d.stop)
		rc = catch_up(&d, d.nlines + 1);
	if (rc == 0 && d.in_table && !d.skip_table) {
		nc_err_set(err, NC_EOTHER, &d.table_loc,
			   "COMMIT expected: table `%s' is not committed", d.table);
		rc = failed(&d);
	}
	if (rc < 0 && err->status == NC_OK)
		nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	free(d.off);
	return rc;
}
