// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A save file's nat table into a ruleset, for --explain: each rule keeps
 * its line.  What builds a table is read (*nat, :CHAIN, -A, -I, -D, -F,
 * -N, COMMIT; -X is not); other tables are skipped.
 *
 * A shell script of iptables commands (told apart by its content, as
 * natc-restore-translate does: parser/script.h) is read the same way,
 * without running it: its nat commands build the ruleset, each rule at
 * the script's line; -X deletes chains, -P, -Z, -L, -S and -C change no
 * rule; commands of other tables are skipped, and what the reader cannot
 * follow (a conditional, a function, ip6tables) becomes a note.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/build.h"
#include "parser/parser.h"
#include "parser/script.h"

struct load {
	struct nc_ruleset *rs;
	struct nc_err *err;
	uint8_t family;
	bool script;
	char **notes;			/* script lines not followed */
	size_t nnotes;
	char *why;			/* the pending run of them */
	uint32_t first, last;
};

static int add_chain(struct load *l, const char *name, const struct nc_loc *loc)
{
	const struct nc_builtin *b = nc_builtin_find(name);
	struct nc_chain *c;

	if (nc_ruleset_find_chain(l->rs, name))
		return 0;
	c = nc_chain_new(name);
	if (!c || (b && (c->builtin = true, c->hook = b->hook, c->prio = b->prio, 0)) ||
	    nc_ruleset_add_chain(l->rs, c) < 0)
		return nc_err_set(l->err, NC_ERESOURCE, loc, "out of memory");
	c->exists = true;
	return 0;
}

static int on_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct load *l = user;

	if (strcmp(name, NC_TABLE_NAT))
		return 1;	/* not ours: skipped */
	l->rs->exists = true;
	return 0;
}

static int on_chain(void *user, const char *name, const char *policy,
		    const char *counters, const struct nc_loc *loc)
{
	return add_chain(user, name, loc);
}

static int on_commit(void *user, const struct nc_loc *loc)
{
	return 0;
}

/* -X [CHAIN]: the empty user chain(s), as iptables removes them. */
static int delete_chains(struct load *l, const char *name, const struct nc_loc *loc)
{
	struct nc_ruleset *rs = l->rs;

	for (size_t i = 0; i < rs->nchains; i++) {
		struct nc_chain *c = rs->chains[i];

		if (c->builtin || (name[0] && strcmp(c->name, name)))
			continue;
		if (c->nrules)
			return nc_err_set(l->err, NC_EOTHER, loc,
					  "Directory not empty (chain %s has rules)", c->name);
		nc_chain_free(c);
		memmove(&rs->chains[i], &rs->chains[i + 1],
			(rs->nchains - i - 1) * sizeof(*rs->chains));
		rs->nchains--;
		i--;
		if (name[0])
			return 0;
	}
	if (name[0])
		return nc_err_set(l->err, NC_EOTHER, loc, "No chain/target/match by that name.");
	return 0;
}

static int on_command(void *user, struct nc_cmd *cmd, const char *counters)
{
	struct load *l = user;
	struct nc_job *j = nc_build(cmd, l->family, l->err);
	struct nc_chain *c;
	size_t pos;
	int rc = 0;

	if (!j)
		return -1;
	switch (j->kind) {
	case NC_CMD_NEW_CHAIN:
		rc = add_chain(l, j->chain, &cmd->loc);
		break;
	case NC_CMD_APPEND:
	case NC_CMD_INSERT:
		c = nc_ruleset_find_chain(l->rs, j->chain);
		if (!c && nc_builtin_find(j->chain)) {
			rc = add_chain(l, j->chain, &cmd->loc);
			c = nc_ruleset_find_chain(l->rs, j->chain);
		}
		if (rc < 0)
			break;
		if (!c) {
			rc = nc_err_set(l->err, NC_EOTHER, &j->chain_loc,
					"Chain '%s' does not exist", j->chain);
			break;
		}
		pos = j->kind == NC_CMD_APPEND ? c->nrules :
		      j->rulenum ? j->rulenum - 1 : 0;
		if (pos > c->nrules) {
			rc = nc_err_set(l->err, NC_EOTHER, &cmd->loc, "Index of insertion too big.");
			break;
		}
		for (size_t i = 0; i < j->nrules; i++) {
			struct nc_rule *r = j->rules[i];

			/* the chain takes it, even when it fails (then it is
			 * freed): the job must not free it either way */
			j->rules[i] = NULL;
			if (nc_chain_insert(c, pos + i, r) < 0) {
				rc = nc_err_set(l->err, NC_ERESOURCE, &cmd->loc, "out of memory");
				break;
			}
		}
		break;
	case NC_CMD_DELETE:
		c = nc_ruleset_find_chain(l->rs, j->chain);
		pos = c && j->rulenum ? j->rulenum - 1 : (size_t)-1;
		for (size_t i = 0; c && !j->rulenum && i < c->nrules && j->nrules; i++)
			if (nc_rule_equal(c->rules[i], j->rules[0])) {
				pos = i;
				break;
			}
		if (!c || pos >= c->nrules)
			rc = nc_err_set(l->err, NC_EOTHER, &cmd->loc,
					"Bad rule (does a matching rule exist in that chain?).");
		else
			nc_rule_free(nc_chain_remove(c, pos));
		break;
	case NC_CMD_FLUSH:
		for (size_t i = 0; i < l->rs->nchains; i++) {
			c = l->rs->chains[i];
			if (j->chain[0] && strcmp(c->name, j->chain))
				continue;
			while (c->nrules)
				nc_rule_free(nc_chain_remove(c, c->nrules - 1));
		}
		break;
	case NC_CMD_DELETE_CHAIN:
		if (l->script) {
			rc = delete_chains(l, j->chain, &cmd->loc);
			break;
		}
		/* fall through */
	default:
		if (l->script && j->kind != NC_CMD_RENAME_CHAIN)
			break;	/* -P, -Z, -L, -S, -C: no rule changes */
		rc = nc_err_param(l->err, &cmd->loc,
			"--explain reads -A, -I, -D, -F and -N lines only (-%c found)",
			nc_cmd_letter(j->kind));
		break;
	}
	nc_job_free(j);
	return rc;
}

static char *slurp(const char *name, size_t *len, struct nc_err *err)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *buf;

	if (!f) {
		nc_err_set(err, NC_EOTHER, NULL, "Can't open %s: %s", name, strerror(errno));
		return NULL;
	}
	buf = nc_read_all(f, len);
	if (f != stdin)
		fclose(f);
	if (!buf)
		nc_err_set(err, NC_EOTHER, NULL, "Can't read %s", name);
	return buf;
}

/* --- shell scripts --- */

static bool table_is_nat(const struct nc_cmd *cmd)
{
	const char *table = "filter";	/* iptables' default */

	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == NC_OPT_TABLE && cmd->opts[i].arg)
			table = cmd->opts[i].arg;
	return !strcmp(table, NC_TABLE_NAT);
}

/* An error of a script's command: at its line (the column is the
 * joined command's, not the script's: left out). */
static int at_line(struct load *l, uint32_t line)
{
	l->err->loc.line = line;
	l->err->loc.first_col = l->err->loc.last_col = 0;
	return -1;
}

/* The warnings a script's command raised (those from @from on): at its
 * line, as its error would be. */
static void warnings_at_line(struct load *l, unsigned from, uint32_t line)
{
	for (unsigned i = from; i < l->err->nwarn; i++)
		l->err->warn[i].loc = (struct nc_loc){ .line = line };
}

static int sh_command(void *user, int argc, char **argv, uint32_t line)
{
	struct load *l = user;
	char *text = NULL;
	unsigned nwarn = l->err->nwarn;
	struct nc_cmd *cmd = nc_parse_argv(argc, argv, &text, l->err);
	int rc;

	free(text);
	if (!cmd) {
		warnings_at_line(l, nwarn, line);
		return at_line(l, line);
	}
	if (!table_is_nat(cmd)) {
		nc_cmd_free(cmd);
		return 0;
	}
	/* the rules it makes are located at this line */
	cmd->loc.line = line;
	rc = on_command(l, cmd, NULL);
	nc_cmd_free(cmd);
	warnings_at_line(l, nwarn, line);
	return rc < 0 ? at_line(l, line) : 0;
}

static int sh_comment(void *user, const char *text, size_t len, uint32_t line)
{
	(void)user;
	(void)text;
	(void)len;
	(void)line;
	return 0;
}

/* The pending run of skipped lines becomes a note. */
static int flush_skipped(struct load *l)
{
	char **v;
	int rc;

	if (!l->why)
		return 0;
	v = realloc(l->notes, (l->nnotes + 1) * sizeof(*v));
	if (!v)
		return nc_err_set(l->err, NC_ERESOURCE, NULL, "out of memory");
	l->notes = v;
	if (l->first == l->last)
		rc = asprintf(&v[l->nnotes], "line %u of the script was not followed "
			      "(%s): a nat rule it makes is not audited", l->first, l->why);
	else
		rc = asprintf(&v[l->nnotes], "lines %u-%u of the script were not followed "
			      "(%s): nat rules they make are not audited", l->first,
			      l->last, l->why);
	free(l->why);
	l->why = NULL;
	if (rc < 0)
		return nc_err_set(l->err, NC_ERESOURCE, NULL, "out of memory");
	l->nnotes++;
	return 0;
}

/* Every line the reader did not follow is noted (a conditional may hold
 * iptables commands, a sysctl may matter too); a run of lines with the
 * same reason is one note. */
static int sh_skipped(void *user, uint32_t line, const char *why, bool iptables)
{
	struct load *l = user;

	(void)iptables;
	if (l->why && !strcmp(l->why, why) && line <= l->last + 1) {
		l->last = line;
		return 0;
	}
	if (flush_skipped(l) < 0)
		return -1;
	l->why = strdup(why);
	if (!l->why)
		return nc_err_set(l->err, NC_ERESOURCE, NULL, "out of memory");
	l->first = l->last = line;
	return 0;
}

struct nc_ruleset *nc_xp_load_file(const char *name, uint8_t family,
				   char ***notes, size_t *nnotes, struct nc_err *err)
{
	static const struct nc_script_ops sh_ops = {
		.command = sh_command, .comment = sh_comment, .skipped = sh_skipped,
	};
	static const struct nc_file_ops ops = {
		.table = on_table, .chain = on_chain, .commit = on_commit,
		.command = on_command,
	};
	struct load l = { .err = err, .family = family };
	size_t len;
	char *text = slurp(name, &len, err);

	if (!text)
		return NULL;
	l.rs = nc_ruleset_new(family, NC_TABLE_NAT);
	if (!l.rs) {
		nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	} else if (((l.script = nc_text_is_script(text, len)) ?
		    nc_parse_script(text, len, &sh_ops, &l) :
		    nc_parse_file(text, len, &ops, &l, err)) < 0 ||
		   nc_ruleset_add_builtins(l.rs) < 0) {
		if (err->status == NC_OK)
			nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
		nc_ruleset_free(l.rs);
		l.rs = NULL;
	}
	if (l.script && l.rs && flush_skipped(&l) < 0) {
		nc_ruleset_free(l.rs);
		l.rs = NULL;
	}
	free(l.why);
	if (l.script && l.rs)
		l.rs->exists = true;
	free(text);
	if (l.rs && notes) {
		*notes = l.notes;
		*nnotes = l.nnotes;
	} else {
		for (size_t i = 0; i < l.nnotes; i++)
			free(l.notes[i]);
		free(l.notes);
	}
	return l.rs;
}
