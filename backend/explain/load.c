// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A save file's nat table, or a shell script's nat commands, into a
 * ruleset for --explain, through the save-file driver (parser/savefile.h)
 * and the chain model (ir/chains.h): each rule keeps its line; -A, -I,
 * -D, -R, -F, -N, -X and -E change the chains as they would the kernel's,
 * -P, -Z, -L, -S and -C change no rule; other tables are skipped.  What a
 * script's reader cannot follow (a conditional, a function, ip6tables)
 * becomes a note.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/chains.h"
#include "parser/parser.h"
#include "parser/savefile.h"
#include "parser/script.h"

struct load {
	struct nc_chains chains;	/* records: struct nc_rule * */
	struct nc_err *err;
	bool script, table;
	char **notes;			/* script lines not followed */
	size_t nnotes;
	char *why;			/* the pending run of them */
	uint32_t first, last;
};

static void rule_free(void *rec)
{
	nc_rule_free(*(struct nc_rule **)rec);
}

static struct nc_rule **rule_at(struct load *l, struct nc_mchain *c, size_t i)
{
	return nc_mchain_rule(&l->chains, c, i);
}

static int nomem(struct load *l, const struct nc_loc *loc)
{
	return nc_err_set(l->err, NC_ERESOURCE, loc, "out of memory");
}

static int on_begin(void *user, bool script)
{
	((struct load *)user)->script = script;
	return 0;
}

static int on_table(void *user, const char *name, const struct nc_loc *loc)
{
	((struct load *)user)->table = true;
	return 0;
}

static int on_chain(void *user, const char *name, bool builtin, uint64_t p, uint64_t b,
		    const struct nc_loc *loc)
{
	struct load *l = user;

	return nc_chains_get(&l->chains, name) ? 0 : nomem(l, loc);
}

static int on_commit(void *user, const struct nc_loc *loc)
{
	return 0;
}

static bool same_rule(void *arg, size_t i, const struct nc_rule *r)
{
	void **a = arg;

	return nc_rule_equal(*rule_at(a[0], a[1], i), r);
}

/* -A, -I: the job's rules, taken into the chain. */
static int add_rules(struct load *l, struct nc_job *j, struct nc_mchain *c,
		     const struct nc_loc *loc)
{
	size_t pos;

	if (nc_chains_add_pos(j, c->n, &pos, loc, l->err) < 0)
		return -1;
	for (size_t i = 0; i < j->nrules; i++) {
		struct nc_rule **at = nc_mchain_insert(&l->chains, c,
						       j->kind == NC_CMD_APPEND ? c->n : pos);

		if (!at)
			return nomem(l, loc);
		*at = j->rules[i];
		j->rules[i] = NULL;
	}
	return 0;
}

/* -D, -R: the rule(s) the job names. */
static int find_rules(struct load *l, struct nc_job *j, struct nc_mchain *c,
		      const struct nc_loc *loc)
{
	void *arg[2] = { l, c };
	size_t pos;

	for (size_t i = 0; i < (j->rulenum ? 1 : j->nrules); i++) {
		if (nc_chains_rule_pos(j, i, c->n, same_rule, arg, NULL, &pos, loc,
				       l->err) < 0)
			return -1;
		if (j->kind == NC_CMD_REPLACE) {
			nc_rule_free(*rule_at(l, c, pos));
			*rule_at(l, c, pos) = j->rules[0];
			j->rules[0] = NULL;
			return 0;
		}
		nc_mchain_remove(&l->chains, c, pos);
	}
	return 0;
}

static int delete_chains(struct load *l, struct nc_job *j, struct nc_mchain *c,
			 const struct nc_loc *loc)
{
	if (j->chain[0]) {
		if (nc_chains_check_delete(j->chain, c && !c->builtin, c ? c->n : 0, loc,
					   l->err) < 0)
			return -1;
		nc_chains_del(&l->chains, c);
		return 0;
	}
	for (size_t i = 0; i < l->chains.n; i++) {
		c = l->chains.v[i];
		/* a nat builtin's policy is ACCEPT (-P DROP is refused) */
		if (!nc_chains_x_takes(c->builtin, c->n, true))
			continue;
		if (!c->builtin &&
		    nc_chains_check_delete(c->name, true, c->n, loc, l->err) < 0)
			return -1;
		nc_chains_del(&l->chains, c);
		i--;
	}
	return 0;
}

static int on_command(void *user, struct nc_job *j, const struct nc_loc *loc,
		      const struct nc_save_src *src, void *prepared)
{
	struct load *l = user;
	struct nc_mchain *c = j->chain[0] ? nc_chains_find(&l->chains, j->chain) : NULL;

	if (!c && j->chain[0] && nc_builtin_find(j->chain) && !(c = nc_chains_get(&l->chains, j->chain)))
		return nomem(l, loc);
	switch (j->kind) {
	case NC_CMD_NEW_CHAIN:
		if (nc_chains_check_new(j->chain, c != NULL, loc, l->err) < 0)
			return -1;
		return nc_chains_get(&l->chains, j->chain) ? 0 : nomem(l, loc);
	case NC_CMD_APPEND:
	case NC_CMD_INSERT:
	case NC_CMD_DELETE:
	case NC_CMD_REPLACE:
		if (!c)
			return nc_err_set(l->err, NC_EOTHER, &j->chain_loc,
					  "Chain '%s' does not exist", j->chain);
		if (j->kind == NC_CMD_APPEND || j->kind == NC_CMD_INSERT)
			return add_rules(l, j, c, loc);
		return find_rules(l, j, c, loc);
	case NC_CMD_FLUSH:
		for (size_t i = 0; i < l->chains.n; i++)
			if (!j->chain[0] || l->chains.v[i] == c)
				nc_mchain_clear(&l->chains, l->chains.v[i]);
		return 0;
	case NC_CMD_DELETE_CHAIN:
		return delete_chains(l, j, c, loc);
	case NC_CMD_RENAME_CHAIN:
		if (nc_chains_check_rename(j->chain, c != NULL, j->newname,
					   nc_chains_find(&l->chains, j->newname) != NULL,
					   loc, l->err) < 0)
			return -1;
		return nc_chains_rename(&l->chains, c, j->newname) < 0 ? nomem(l, loc) : 0;
	default:
		return 0;	/* -P, -Z, -L, -S, -C: no rule changes */
	}
}

static char *slurp(const char *name, size_t *len, struct nc_err *err)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *buf;
	int e;

	if (!f) {
		nc_err_set(err, NC_EOTHER, NULL, "Can't open %s: %s", name, strerror(errno));
		return NULL;
	}
	buf = nc_read_all(f, len);
	e = errno;
	if (f != stdin)
		fclose(f);
	if (!buf)	/* out of memory is a resource problem (4) */
		nc_err_set(err, e == ENOMEM ? NC_ERESOURCE : NC_EOTHER, NULL,
			   "Can't read %s: %s", name, strerror(e));
	return buf;
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

/* Every line a script's reader did not follow is noted (a conditional
 * may hold iptables commands, a sysctl may matter too); a run of lines
 * with the same reason is one note. */
static int on_line(void *user, enum nc_line_kind kind, const struct nc_save_src *src,
		   const char *why)
{
	struct load *l = user;
	uint32_t line = src->line;

	if (!l->script || (kind != NC_LINE_UNREAD && kind != NC_LINE_NOT_FOLLOWED))
		return 0;
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

/* The model as a ruleset: chains in the model's order (the ruleset
 * keeps builtins first), each rule moved over. */
/* The ruleset's order (ir.c: builtins by hook, then user chains by
 * name), so that each chain is added at the end rather than moved in. */
static int mchain_order(const void *x, const void *y)
{
	const struct nc_mchain *a = *(struct nc_mchain *const *)x,
			       *b = *(struct nc_mchain *const *)y;
	const struct nc_builtin *ba = nc_builtin_find(a->name),
				*bb = nc_builtin_find(b->name);

	if (!ba != !bb)
		return ba ? -1 : 1;
	if (ba)
		return ba->hook - bb->hook;
	return strcmp(a->name, b->name);
}

static struct nc_ruleset *to_ruleset(struct load *l, uint8_t family)
{
	struct nc_ruleset *rs = nc_ruleset_new(family, NC_TABLE_NAT);
	struct nc_mchain **v = malloc((l->chains.n ? l->chains.n : 1) * sizeof(*v));

	if (!v) {
		nc_ruleset_free(rs);
		return NULL;
	}
	memcpy(v, l->chains.v, l->chains.n * sizeof(*v));
	qsort(v, l->chains.n, sizeof(*v), mchain_order);
	for (size_t i = 0; rs && i < l->chains.n; i++) {
		struct nc_mchain *m = v[i];
		const struct nc_builtin *b = nc_builtin_find(m->name);
		struct nc_chain *c = nc_chain_new(m->name);

		if (!c || nc_ruleset_add_chain(rs, c) < 0) {
			nc_chain_free(c);
			nc_ruleset_free(rs);
			free(v);
			return NULL;
		}
		c->exists = true;
		if (b) {
			c->builtin = true;
			c->hook = b->hook;
			c->prio = b->prio;
		}
		for (size_t k = 0; k < m->n; k++) {
			struct nc_rule **r = rule_at(l, m, k);

			if (nc_chain_insert(c, c->nrules, *r) < 0) {
				*r = NULL;	/* freed by nc_chain_insert() */
				nc_ruleset_free(rs);
				free(v);
				return NULL;
			}
			*r = NULL;
		}
	}
	free(v);
	if (rs && nc_ruleset_add_builtins(rs) < 0) {
		nc_ruleset_free(rs);
		return NULL;
	}
	if (rs)
		rs->exists = l->table || l->script;
	return rs;
}

struct nc_ruleset *nc_xp_load_file(const char *name, uint8_t family,
				   char ***notes, size_t *nnotes, struct nc_err *err)
{
	static const struct nc_save_ops ops = {
		.begin = on_begin, .table = on_table, .chain = on_chain,
		.commit = on_commit, .command = on_command, .line = on_line,
	};
	struct nc_save_opts o = {
		.family = family, .prog = "natc --explain",
		.other_tables = NC_SAVE_SKIP, .scripts = true,
	};
	struct load l = { .err = err };
	struct nc_ruleset *rs = NULL;
	size_t len;
	char *text = slurp(name, &len, err), iface[16];

	if (!text)
		return NULL;
	o.interface = nc_wg_interface(name, iface);	/* wg-quick's "%i" */
	nc_chains_init(&l.chains, 0, sizeof(struct nc_rule *), rule_free);
	if (nc_save_read(text, len, &o, &ops, &l, err) == 0 &&
	    (!l.script || flush_skipped(&l) == 0) && !(rs = to_ruleset(&l, family)) &&
	    err->status == NC_OK)
		nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	free(l.why);
	nc_chains_free(&l.chains);
	free(text);
	if (rs && notes) {
		*notes = l.notes;
		*nnotes = l.nnotes;
	} else {
		for (size_t i = 0; i < l.nnotes; i++)
			free(l.notes[i]);
		free(l.notes);
	}
	return rs;
}
