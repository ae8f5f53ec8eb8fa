// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A save file's nat table into a ruleset, for --explain: each rule keeps
 * its line.  What builds a table is read (*nat, :CHAIN, -A, -I, -D, -F,
 * -N, COMMIT; -X is not); other tables are skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/build.h"
#include "parser/parser.h"

struct load {
	struct nc_ruleset *rs;
	struct nc_err *err;
	uint8_t family;
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

static int on_command(void *user, struct nc_cmd *cmd, const char *counters)
{
	struct load *l = user;
	struct nc_job *j = nc_build(cmd, l->family, l->err);
	struct nc_chain *c;
	size_t pos;
	int rc = 0;

	if (!j) {
		nc_cmd_free(cmd);
		return -1;
	}
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
			if (nc_chain_insert(c, pos + i, j->rules[i]) < 0) {
				rc = nc_err_set(l->err, NC_ERESOURCE, &cmd->loc, "out of memory");
				break;
			}
			j->rules[i] = NULL;
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
	default:
		rc = nc_err_param(l->err, &cmd->loc,
			"--explain reads -A, -I, -D, -F and -N lines only (-%c found)",
			nc_cmd_letter(j->kind));
		break;
	}
	nc_job_free(j);
	nc_cmd_free(cmd);
	return rc;
}

static char *slurp(const char *name, size_t *len, struct nc_err *err)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	size_t cap = 1 << 14, n = 0, got;
	char *buf, *p;

	if (!f) {
		nc_err_set(err, NC_EOTHER, NULL, "Can't open %s: %s", name, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n - 2, f)) > 0) {
		n += got;
		if (cap - n - 2 == 0) {
			p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				buf = NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	if (!buf) {
		nc_err_set(err, NC_EOTHER, NULL, "Can't read %s", name);
		return NULL;
	}
	buf[n] = buf[n + 1] = '\0';
	*len = n;
	return buf;
}

struct nc_ruleset *nc_xp_load_file(const char *name, uint8_t family,
				   struct nc_err *err)
{
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
	} else if (nc_parse_file(text, len, &ops, &l, err) < 0 ||
		   nc_ruleset_add_builtins(l.rs) < 0) {
		if (err->status == NC_OK)
			nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
		nc_ruleset_free(l.rs);
		l.rs = NULL;
	}
	free(text);
	return l.rs;
}
