// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natc-restore: a save file streamed into netlink batches.
 *
 * Each line is parsed, built and queued as soon as it is read, so a load
 * of any size holds one rule at a time; the batch buffer is the only thing
 * that grows.  What the kernel has is read only when a line needs it: the
 * chain list for --noflush (is -A's chain there, may -j jump to it), and a
 * chain's rules for the commands that find rules (-D, -C, -R, -I N, -Z N).
 * When the input has such commands (a quick look over the text says), the
 * transaction keeps a model of the chains it touches so that rules added
 * earlier in the same COMMIT can be found too: they are named by an id the
 * kernel knows them by until the commit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/exec/restore.h"
#include "ir/build.h"
#include "ir/ext.h"
#include "ir/parse.h"
#include "parser/parser.h"

struct mrule {
	struct nc_rule *r;
	struct nc_rule_ref ref;
	uint32_t line;		/* where it was added, 0: from the kernel */
};

struct mchain {
	char *name;
	bool builtin;
	bool loaded;		/* rules known: read, created or flushed */
	bool renamed;		/* its name is new in this transaction */
	uint8_t reach;		/* --test: hooks that reach it, NC_HOOK bits */
	uint64_t handle;	/* 0: created in this transaction */
	struct mrule *rules;
	size_t n, cap;
};

struct restore {
	struct nc_nl *nl;
	const struct nc_restore_opts *o;
	struct nc_err *err;
	struct nc_buf *out;
	bool in_table, skip_table;
	bool table_gone;	/* not in this batch yet: made on first use */
	bool model;		/* keep the rules added in a transaction */
	struct nc_loc table_loc;
	/* the chains of this transaction, by name (open addressing) */
	struct mchain **slot;
	size_t nslots, nchains;
	bool builtin_ready[4];	/* created (or declared) in this transaction */
	uint32_t next_id;
	char **zero;		/* chains to zero once committed */
	size_t nzero;
};

/* --- the chains of a transaction ----------------------------------- */

static size_t hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct mchain **slot_of(struct restore *st, const char *name)
{
	size_t i = hash(name) & (st->nslots - 1);

	while (st->slot[i] && strcmp(st->slot[i]->name, name))
		i = (i + 1) & (st->nslots - 1);
	return &st->slot[i];
}

static struct mchain *chain_find(struct restore *st, const char *name)
{
	return st->nslots ? *slot_of(st, name) : NULL;
}

static void mchain_clear(struct mchain *c)
{
	for (size_t i = 0; i < c->n; i++)
		nc_rule_free(c->rules[i].r);
	c->n = 0;
}

static void mchain_free(struct mchain *c)
{
	if (!c)
		return;
	mchain_clear(c);
	free(c->rules);
	free(c->name);
	free(c);
}

static int grow_slots(struct restore *st)
{
	struct mchain **old = st->slot;
	size_t n = st->nslots;

	st->nslots = n ? 2 * n : 64;
	st->slot = calloc(st->nslots, sizeof(*st->slot));
	if (!st->slot) {
		st->slot = old;
		st->nslots = n;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (old[i])
			*slot_of(st, old[i]->name) = old[i];
	free(old);
	return 0;
}

static struct mchain *chain_add(struct restore *st, const char *name, uint64_t handle)
{
	struct mchain *c;

	if (2 * (st->nchains + 1) > st->nslots && grow_slots(st) < 0)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->name = strdup(name))) {
		free(c);
		return NULL;
	}
	c->builtin = nc_builtin_find(name) != NULL;
	c->handle = handle;
	*slot_of(st, name) = c;
	st->nchains++;
	return c;
}

/* Remove by rebuilding the table without it (deletions are rare). */
static void chain_del(struct restore *st, const char *name)
{
	struct mchain **old = st->slot, *victim = chain_find(st, name);
	size_t n = st->nslots;

	if (!victim)
		return;

	st->slot = calloc(n, sizeof(*st->slot));
	if (!st->slot) {	/* keep it, marked gone */
		st->slot = old;
		return;
	}
	st->nchains = 0;
	for (size_t i = 0; i < n; i++) {
		if (!old[i])
			continue;
		if (old[i] == victim) {	/* @name may be its own: compare
					 * the chain, not the name */
			mchain_free(old[i]);
			continue;
		}
		*slot_of(st, old[i]->name) = old[i];
		st->nchains++;
	}
	free(old);
}

static void chains_reset(struct restore *st)
{
	for (size_t i = 0; i < st->nslots; i++)
		mchain_free(st->slot[i]);
	free(st->slot);
	st->slot = NULL;
	st->nslots = st->nchains = 0;
	memset(st->builtin_ready, 0, sizeof(st->builtin_ready));
	for (size_t i = 0; i < st->nzero; i++)
		free(st->zero[i]);
	free(st->zero);
	st->zero = NULL;
	st->nzero = 0;
}

static int nomem(struct restore *st)
{
	return nc_err_set(st->err, NC_ERESOURCE, NULL, "%s", strerror(errno ? errno : ENOMEM));
}

/* Room for one more rule in the model of @c. */
static int reserve_rule(struct restore *st, struct mchain *c)
{
	size_t cap = c->cap ? 2 * c->cap : 16;
	struct mrule *v;

	if (c->n < c->cap)
		return 0;
	v = realloc(c->rules, cap * sizeof(*v));
	if (!v)
		return nomem(st);
	c->rules = v;
	c->cap = cap;
	return 0;
}

/* --noflush: the chains the kernel has, without their rules. */
static int chains_from_kernel(struct restore *st)
{
	struct nc_ruleset *rs = NULL;

	if (nc_nl_dump(st->nl, NULL, false, &rs, st->err) < 0)
		return -1;
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct nc_chain *c = rs->chains[i];

		if (c->exists && !chain_add(st, c->name, c->handle)) {
			nc_ruleset_free(rs);
			return nomem(st);
		}
	}
	nc_ruleset_free(rs);
	return 0;
}

/* The table again, once something goes into it after its deletion. */
static int need_table(struct restore *st)
{
	if (!st->table_gone)
		return 0;
	st->table_gone = false;
	return nc_nl_add_table(st->nl) < 0 ? -1 : 0;
}

/* A chain lines may name: known in this transaction, or a builtin. */
static struct mchain *chain_get(struct restore *st, const char *name)
{
	struct mchain *c = chain_find(st, name);

	if (!c && nc_builtin_find(name)) {
		c = chain_add(st, name, 0);
		if (c && !st->o->noflush)
			c->loaded = true;	/* a replaced table: empty */
	}
	return c;
}

/* A builtin must exist before rules go into it. */
static int ready_builtin(struct restore *st, const char *name)
{
	const struct nc_builtin *b = nc_builtin_find(name);
	size_t i;

	if (!b)
		return 0;
	i = (size_t)(b - nc_nat_builtins);
	if (st->builtin_ready[i])
		return 0;
	if (need_table(st) < 0 || nc_nl_add_chain(st->nl, name) < 0)
		return nomem(st);
	st->builtin_ready[i] = true;
	return 0;
}

/* The rules of @c, read from the kernel the first time they are needed. */
static int chain_load(struct restore *st, struct mchain *c)
{
	struct nc_ruleset *rs = NULL;
	struct nc_chain *kc;

	if (c->loaded)
		return 0;
	if (nc_nl_dump(st->nl, c->name, true, &rs, st->err) < 0)
		return -1;
	kc = nc_ruleset_find_chain(rs, c->name);
	for (size_t i = 0; kc && i < kc->nrules; i++) {
		if (reserve_rule(st, c) < 0) {
			nc_ruleset_free(rs);
			return -1;
		}
		c->rules[c->n].r = kc->rules[i];
		c->rules[c->n].ref = (struct nc_rule_ref){ .handle = kc->rules[i]->handle };
		c->n++;
		kc->rules[i] = NULL;	/* now the model's */
	}
	if (kc)
		kc->nrules = 0;
	nc_ruleset_free(rs);
	c->loaded = true;
	return 0;
}

/* Keep a copy of @r at @pos of the model, named @id. */
static int model_insert(struct restore *st, struct mchain *c, size_t pos,
			const struct nc_rule *r, uint32_t id)
{
	struct nc_rule *copy = nc_rule_clone(r);

	if (!copy)
		return nomem(st);
	if (reserve_rule(st, c) < 0) {
		nc_rule_free(copy);
		return -1;
	}
	memmove(&c->rules[pos + 1], &c->rules[pos], (c->n - pos) * sizeof(*c->rules));
	c->rules[pos] = (struct mrule){ copy, { .id = id }, r->loc.line };
	c->n++;
	return 0;
}

static void model_remove(struct mchain *c, size_t pos)
{
	nc_rule_free(c->rules[pos].r);
	memmove(&c->rules[pos], &c->rules[pos + 1], (c->n - pos - 1) * sizeof(*c->rules));
	c->n--;
}

/* --- commands -------------------------------------------------------- */

static int no_chain(struct restore *st, const struct nc_loc *loc)
{
	return nc_err_set(st->err, NC_EOTHER, loc, "No chain/target/match by that name.");
}

static int queue_err(struct restore *st)
{
	return nc_err_set(st->err, NC_ERESOURCE, NULL, "%s", strerror(errno));
}

/* Add job rule @r at model position @pos (@pos == n: the end). */
static int add_at(struct restore *st, struct mchain *c, const struct nc_rule *r,
		  size_t pos, const char *op)
{
	uint32_t id = ++st->next_id;
	enum nc_rule_pos where = NC_POS_APPEND;
	const struct nc_rule_ref *at = NULL;

	if (pos < c->n) {
		where = NC_POS_BEFORE;
		at = &c->rules[pos].ref;
	}
	if (nc_nl_add_rule_ref(st->nl, c->name, r, where, at, id, op) < 0)
		return queue_err(st);
	return model_insert(st, c, pos, r, id);
}

static long find_rule(const struct mchain *c, const struct nc_rule *r)
{
	for (size_t i = 0; i < c->n; i++)
		if (nc_rule_equal(c->rules[i].r, r))
			return (long)i;
	return -1;
}

static int check_jump(struct restore *st, const struct nc_job *job)
{
	const struct mchain *to = chain_find(st, job->jump);

	if (!job->jump[0] || nc_builtin_find(job->jump) || (to && !to->renamed))
		return 0;
	return nc_err_param(st->err, &job->jump_loc, "Chain '%s' does not exist",
			    job->jump);
}

static int do_add(struct restore *st, const struct nc_job *job, struct mchain *c,
		  const struct nc_loc *loc)
{
	bool insert = job->kind == NC_CMD_INSERT;
	size_t pos;

	if (check_jump(st, job) < 0 || ready_builtin(st, c->name) < 0)
		return -1;
	if (!st->model) {	/* the fast path: nothing kept */
		for (size_t i = 0; i < job->nrules; i++)
			if (nc_nl_add_rule(st->nl, c->name, job->rules[i],
					   insert ? NC_POS_FIRST : NC_POS_APPEND, 0,
					   insert ? "RULE_INSERT" : "RULE_APPEND") < 0)
				return queue_err(st);
		return 0;
	}
	if (chain_load(st, c) < 0)
		return -1;
	pos = insert ? (job->rulenum ? job->rulenum - 1 : 0) : c->n;
	if (pos > c->n)
		return nc_err_set(st->err, NC_EOTHER, loc, "Index of insertion too big.");
	for (size_t i = 0; i < job->nrules; i++)
		if (add_at(st, c, job->rules[i], insert ? pos : c->n,
			   insert ? "RULE_INSERT" : "RULE_APPEND") < 0)
			return -1;
	return 0;
}

static int do_find(struct restore *st, const struct nc_job *job, struct mchain *c,
		   const struct nc_loc *loc)
{
	size_t pos;
	long at;

	if (job->kind == NC_CMD_REPLACE && check_jump(st, job) < 0)
		return -1;
	if (chain_load(st, c) < 0)
		return -1;
	if (job->rulenum) {
		if (job->kind == NC_CMD_ZERO && job->rulenum > c->n)
			return 0;
		if (job->rulenum > c->n)
			return nc_err_set(st->err, NC_EOTHER, loc, "Index of %s too big.",
					  job->kind == NC_CMD_DELETE ? "deletion" :
					  job->kind == NC_CMD_REPLACE ? "replacement" : "zero");
		pos = job->rulenum - 1;
	} else {
		at = find_rule(c, job->rules[0]);
		if (at < 0)
			return nc_err_set(st->err, NC_EOTHER, loc,
				"Bad rule (does a matching rule exist in that chain?).");
		pos = (size_t)at;
	}
	if (job->kind == NC_CMD_CHECK)
		return 0;
	if (job->kind == NC_CMD_DELETE) {
		if (nc_nl_del_rule_ref(st->nl, c->name, &c->rules[pos].ref) < 0)
			return queue_err(st);
		model_remove(c, pos);
		/* a list of addresses: every expanded rule goes */
		for (size_t i = 1; !job->rulenum && i < job->nrules; i++) {
			at = find_rule(c, job->rules[i]);
			if (at < 0)
				return nc_err_set(st->err, NC_EOTHER, loc,
					"Bad rule (does a matching rule exist in that chain?).");
			if (nc_nl_del_rule_ref(st->nl, c->name, &c->rules[at].ref) < 0)
				return queue_err(st);
			model_remove(c, (size_t)at);
		}
		return 0;
	}
	/* -R, and -Z N (the same rule with zero counters) */
	{
		struct nc_rule *r = job->kind == NC_CMD_REPLACE ? job->rules[0] :
				    c->rules[pos].r;
		struct nc_rule_ref old = c->rules[pos].ref;

		if (job->kind == NC_CMD_ZERO)
			r->packets = r->bytes = 0;
		if (old.handle) {
			if (nc_nl_replace_rule(st->nl, c->name, old.handle, r) < 0)
				return queue_err(st);
			if (r != c->rules[pos].r) {
				struct nc_rule *copy = nc_rule_clone(r);

				if (!copy)
					return nomem(st);
				nc_rule_free(c->rules[pos].r);
				c->rules[pos].r = copy;
			}
			return 0;
		}
		/* a rule of this batch: a new one in its place, the old gone */
		{
			struct nc_rule *keep = nc_rule_clone(r);
			int rc;

			if (!keep)
				return nomem(st);
			if (nc_nl_del_rule_ref(st->nl, c->name, &old) < 0) {
				nc_rule_free(keep);
				return queue_err(st);
			}
			model_remove(c, pos);
			rc = add_at(st, c, keep, pos, "RULE_REPLACE");
			nc_rule_free(keep);
			return rc;
		}
	}
}

static int flush_one(struct restore *st, struct mchain *c)
{
	if (ready_builtin(st, c->name) < 0 || nc_nl_flush_chain(st->nl, c->name) < 0)
		return queue_err(st);
	mchain_clear(c);
	c->loaded = true;
	return 0;
}

static int do_chains(struct restore *st, const struct nc_job *job, struct mchain *c,
		     const struct nc_loc *loc)
{
	switch (job->kind) {
	case NC_CMD_FLUSH:
		if (c)
			return flush_one(st, c);
		for (size_t i = 0; i < st->nslots; i++)
			if (st->slot[i] && flush_one(st, st->slot[i]) < 0)
				return -1;
		return 0;
	case NC_CMD_NEW_CHAIN:
		if (c || nc_builtin_find(job->chain))
			return nc_err_set(st->err, NC_EOTHER, loc, "Chain already exists.");
		if (nc_nl_new_chain(st->nl, job->chain) < 0)
			return queue_err(st);
		c = chain_add(st, job->chain, 0);
		if (!c)
			return nomem(st);
		c->loaded = true;
		return 0;
	case NC_CMD_DELETE_CHAIN:
		if (c) {
			if (nc_nl_del_chain(st->nl, c->name) < 0)
				return queue_err(st);
			chain_del(st, job->chain);
			return 0;
		}
		for (size_t i = 0; i < st->nslots; i++) {
			struct mchain *u = st->slot[i];

			if (!u || u->builtin)
				continue;
			if (nc_nl_del_chain(st->nl, u->name) < 0)
				return queue_err(st);
			chain_del(st, u->name);
			i = (size_t)-1;	/* the table was rebuilt: start over */
		}
		return 0;
	case NC_CMD_POLICY:
		if (!c || !c->builtin)
			return nc_err_set(st->err, NC_EOTHER, loc, "Bad built-in chain name.");
		if (job->policy != NF_ACCEPT)
			return nc_err_param(st->err, loc, NC_MSG_DROP);
		if (need_table(st) < 0 ||
		    nc_nl_set_policy_counters(st->nl, c->name, NF_ACCEPT, true, 0, 0) < 0)
			return queue_err(st);
		st->builtin_ready[nc_builtin_find(c->name) - nc_nat_builtins] = true;
		return 0;
	case NC_CMD_RENAME_CHAIN:
		if (!c || c->builtin)
			return no_chain(st, loc);
		if (chain_find(st, job->newname) || nc_builtin_find(job->newname))
			return nc_err_set(st->err, NC_EOTHER, loc, "File exists.");
		if (!c->handle)
			return nc_err_set(st->err, NC_EOTHER, loc,
				"natc-restore cannot rename a chain created in the same COMMIT");
		if (nc_nl_rename_chain(st->nl, c->handle, job->newname) < 0)
			return queue_err(st);
		{
			uint64_t h = c->handle;

			struct mchain *n;

			chain_del(st, job->chain);
			n = chain_add(st, job->newname, h);
			if (!n)
				return nomem(st);
			/* the kernel knows the new name only once committed */
			n->renamed = true;
		}
		return 0;
	case NC_CMD_ZERO: {
		char **v;

		if (job->rulenum)
			return do_find(st, job, c, loc);
		/* the policy counters of the builtins it covers, in the batch */
		for (size_t i = 0; i < 4; i++) {
			const char *b = nc_nat_builtins[i].name;

			if (c && strcmp(c->name, b))
				continue;
			if (need_table(st) < 0 ||
			    nc_nl_set_policy_counters(st->nl, b, NF_ACCEPT, true, 0, 0) < 0)
				return queue_err(st);
			st->builtin_ready[i] = true;
		}
		v = realloc(st->zero, (st->nzero + 1) * sizeof(*v));
		if (!v)
			return nomem(st);
		st->zero = v;
		st->zero[st->nzero] = strdup(c ? c->name : "");
		if (!st->zero[st->nzero])
			return nomem(st);
		st->nzero++;
		return 0;
	}
	default:
		return nc_err_param(st->err, loc, "-%c cannot be used in natc-restore",
				    nc_cmd_letter(job->kind));
	}
}

/* The counters of "[packets:bytes]". */
static int parse_counters(struct restore *st, const char *s, uint64_t *p, uint64_t *b,
			  const struct nc_loc *loc)
{
	char tail;

	if (sscanf(s, "[%" SCNu64 ":%" SCNu64 "]%c", p, b, &tail) != 2)
		return nc_err_param(st->err, loc, "Bad counters `%s'", s);
	return 0;
}

static bool ipv6_only(const struct nc_cmd *cmd)
{
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == NC_OPT_IPV6)
			return true;
	return false;
}

static int run_command(struct restore *st, struct nc_cmd *cmd, const char *counters)
{
	struct nc_loc loc = cmd->loc;
	struct nc_job *job;
	struct mchain *c = NULL;
	uint64_t p = 0, b = 0;
	int rc;

	loc.last_col = cmd->end.first_col ? (uint16_t)(cmd->end.first_col - 1) : loc.last_col;
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == NC_OPT_TABLE)
			return nc_err_param(st->err, &cmd->opts[i].loc,
				"The -t option cannot be used in natc-restore");
	if (counters && st->o->counters) {
		for (size_t i = 0; i < cmd->nopts; i++)
			if (cmd->opts[i].kind == NC_OPT_COUNTERS)
				return nc_err_param(st->err, &cmd->opts[i].loc,
						    "multiple -c flags not allowed");
		if (parse_counters(st, counters, &p, &b, &loc) < 0)
			return -1;
	}
	if (need_table(st) < 0)
		return queue_err(st);
	job = nc_build(cmd, st->o->family, st->err);
	if (!job)
		return -1;
	nc_nl_set_tag(st->nl, cmd->loc.line);
	/* "[p:b]" counts with -c only; "-c P B" in the rule always does */
	for (size_t i = 0; counters && st->o->counters && i < job->nrules; i++) {
		job->rules[i]->packets = p;
		job->rules[i]->bytes = b;
	}
	if (job->chain[0]) {
		c = chain_get(st, job->chain);
		if (!c && job->kind != NC_CMD_NEW_CHAIN) {
			rc = no_chain(st, &loc);
			goto out;
		}
	}
	switch (job->kind) {
	case NC_CMD_APPEND:
	case NC_CMD_INSERT:
		rc = do_add(st, job, c, &loc);
		break;
	case NC_CMD_DELETE:
	case NC_CMD_CHECK:
	case NC_CMD_REPLACE:
		rc = do_find(st, job, c, &loc);
		break;
	default:
		rc = do_chains(st, job, c, &loc);
		break;
	}
out:
	nc_job_free(job);
	return rc;
}

/* --- the lines of a save file ---------------------------------------- */

static int on_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct restore *st = user;

	if (st->in_table)
		return nc_err_param(st->err, loc, "COMMIT expected before table `%s'",
				    name);
	st->in_table = true;
	st->table_loc = *loc;
	st->skip_table = st->o->only_table && strcmp(name, st->o->only_table);
	if (st->skip_table)
		return 1;	/* the reader skips its lines unread */
	if (strcmp(name, NC_TABLE_NAT))
		return nc_err_param(st->err, loc,
			"table `%s' is not handled by natc: it manages the nat table only",
			name);
	nc_nl_set_tag(st->nl, loc->line);
	/* the table is made (again) only once something goes into it */
	st->table_gone = true;
	if (!st->o->noflush) {
		/* replaced as a whole, in the same transaction */
		if (nc_nl_add_table(st->nl) < 0 || nc_nl_del_table(st->nl) < 0)
			return queue_err(st);
		return 0;
	}
	return chains_from_kernel(st);
}

static int on_chain(void *user, const char *name, const char *policy,
		    const char *counters, const struct nc_loc *loc)
{
	struct restore *st = user;
	struct mchain *c;
	uint64_t p = 0, b = 0;

	if (!st->in_table)
		return nc_err_param(st->err, loc, "chain line outside a table");
	if (st->skip_table)
		return 0;
	nc_nl_set_tag(st->nl, loc->line);
	/* counters that do not read as such count as none, as iptables */
	if (counters && parse_counters(st, counters, &p, &b, loc) < 0) {
		nc_err_clear(st->err);
		p = b = 0;
	}
	if (!policy)
		return nc_err_param(st->err, loc, "policy invalid");
	if (need_table(st) < 0)
		return queue_err(st);
	if (nc_builtin_find(name)) {
		/* "-" leaves the policy as it is, ACCEPT */
		if (strcmp(policy, "ACCEPT") && strcmp(policy, "DROP") &&
		    strcmp(policy, "-"))
			return nc_err_set(st->err, NC_EOTHER, loc,
				"Bad policy name. Run `dmesg' for more information.");
		if (!strcmp(policy, "DROP"))
			return nc_err_param(st->err, loc, NC_MSG_DROP);
		/* a declared builtin gets the line's counters with -c, and
		 * zero without, as iptables-nft-restore does */
		if (!st->o->counters)
			p = b = 0;
		if (nc_nl_set_policy_counters(st->nl, name, NF_ACCEPT, true, p, b) < 0)
			return queue_err(st);
		st->builtin_ready[nc_builtin_find(name) - nc_nat_builtins] = true;
		return chain_get(st, name) ? 0 : nomem(st);
	}
	if (nc_check_chain_name(name, loc, st->err) < 0)
		return -1;
	/* a policy on a user chain means nothing; iptables ignores it too */
	c = chain_find(st, name);
	/* declared: created if missing, emptied if there (--noflush) */
	if (nc_nl_add_chain(st->nl, name) < 0 ||
	    (c && nc_nl_flush_chain(st->nl, name) < 0))
		return queue_err(st);
	if (!c && !(c = chain_add(st, name, 0)))
		return nomem(st);
	mchain_clear(c);
	c->loaded = true;
	return 0;
}

/* --- --test: what the kernel checks only when it commits ------------- */

static const char *hook_name(int h)
{
	for (size_t i = 0; i < 4; i++)
		if (nc_nat_builtins[i].hook == h)
			return nc_nat_builtins[i].name;
	return "?";
}

/* Follow jumps from the builtins; a NAT target reached from a hook it is
 * not allowed in is what the commit would refuse. */
static int check_hooks(struct restore *st)
{
	struct mchain **work = NULL;
	size_t nwork = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; i < 4 && rc == 0; i++) {
		struct mchain *c = chain_get(st, nc_nat_builtins[i].name);

		if (!c)
			return nomem(st);
		c->reach |= (uint8_t)NC_HOOK(nc_nat_builtins[i].hook);
	}
	for (size_t i = 0; i < st->nslots; i++) {
		struct mchain **v;

		if (!st->slot[i] || !st->slot[i]->reach)
			continue;
		if (nwork == cap) {
			cap = cap ? 2 * cap : 16;
			v = realloc(work, cap * sizeof(*v));
			if (!v) {
				free(work);
				return nomem(st);
			}
			work = v;
		}
		work[nwork++] = st->slot[i];
	}
	while (nwork && rc == 0) {
		struct mchain *c = work[--nwork];

		if (chain_load(st, c) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < c->n && rc == 0; i++) {
			const struct nc_rule *r = c->rules[i].r;
			const struct nc_standard *s = r->target.data;
			const struct nc_ext_ops *t = r->target.ops;
			struct mchain *to;

			if (t && t->hooks && (c->reach & ~t->hooks)) {
				struct nc_loc l = { .line = c->rules[i].line };
				uint8_t bad = (uint8_t)(c->reach & ~t->hooks);
				int h = 0;

				while (!(bad & NC_HOOK(h)))
					h++;
				if (c->builtin)
					rc = nc_err_set(st->err, NC_ERESOURCE,
						l.line ? &l : NULL,
						"%s is not allowed in chain %s: the "
						"kernel would refuse it", t->name,
						c->name);
				else
					rc = nc_err_set(st->err, NC_ERESOURCE,
						l.line ? &l : NULL,
						"%s in chain %s would be reached from "
						"%s, where the kernel refuses it",
						t->name, c->name, hook_name(h));
				break;
			}
			if (t != &nc_ext_standard ||
			    (s->kind != NC_VERDICT_JUMP && s->kind != NC_VERDICT_GOTO))
				continue;
			to = chain_find(st, s->chain);
			if (!to || (to->reach | c->reach) == to->reach)
				continue;
			to->reach |= c->reach;
			if (nwork == cap) {
				struct mchain **v;

				cap = cap ? 2 * cap : 16;
				v = realloc(work, cap * sizeof(*v));
				if (!v) {
					rc = nomem(st);
					break;
				}
				work = v;
			}
			work[nwork++] = to;
		}
	}
	free(work);
	return rc;
}

static int zero_after_commit(struct restore *st)
{
	for (size_t i = 0; i < st->nzero; i++)
		if (nc_nl_reset_counters(st->nl, st->zero[i][0] ? st->zero[i] : NULL,
					 st->err) < 0)
			return -1;
	return 0;
}

static int on_commit(void *user, const struct nc_loc *loc)
{
	struct restore *st = user;
	int rc = 0;

	if (!st->in_table)
		return nc_err_set(st->err, NC_EOTHER, loc, "COMMIT outside a table");
	st->in_table = false;
	if (st->skip_table) {
		st->skip_table = false;
		return 0;
	}
	nc_nl_set_tag(st->nl, 0);
	if (st->o->test)
		rc = nc_nl_check(st->nl, st->err);
	else
		rc = nc_nl_commit(st->nl, st->err);
	/* an aborted batch is not validated by the kernel: do it here */
	if (rc == 0 && st->o->test)
		rc = check_hooks(st);
	if (rc == -2)
		rc = nc_err_set(st->err, NC_ERESOURCE, loc,
			"the ruleset changed while natc-restore read it; nothing of "
			"this COMMIT was applied, run it again");
	if (rc == 0 && !st->o->test)
		rc = zero_after_commit(st);
	chains_reset(st);
	st->table_gone = false;
	return rc;
}

static int on_command(void *user, struct nc_cmd *cmd, const char *counters)
{
	struct restore *st = user;
	int rc = 0;

	if (!st->in_table)
		rc = nc_err_set(st->err, NC_EOTHER, &cmd->loc,
				"no table: a `*nat' line must come first");
	else if (!st->skip_table && !ipv6_only(cmd))	/* -6 lines are not ours */
		rc = run_command(st, cmd, counters);
	return rc;
}

static const struct nc_file_ops restore_ops = {
	.table = on_table,
	.chain = on_chain,
	.commit = on_commit,
	.command = on_command,
};

/* Whether @w (@n bytes) is -D, -C, -R, -I, -Z or their long forms. */
static bool finds_word(const char *w, size_t n)
{
	static const char *const longs[] = {
		"--delete", "--check", "--replace", "--insert", "--zero",
	};

	if (n == 2)
		return w[1] && strchr("DCRIZ", w[1]);
	if (n < 6 || w[1] != '-' || !w[2] || !strchr("dcriz", w[2]))
		return false;
	for (size_t k = 0; k < sizeof(longs) / sizeof(longs[0]); k++)
		if (strlen(longs[k]) == n && !memcmp(w, longs[k], n))
			return true;
	return false;
}

/* Does any line find rules (-D, -C, -R, -I, -Z)?  A look at the words
 * that start with '-' (a few tests of their first bytes each: a big file
 * has millions). */
static bool finds_rules(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t n = 0;

		if (text[i] != '-' || (i && text[i - 1] != ' ' && text[i - 1] != '\t' &&
				       text[i - 1] != '\n'))
			continue;
		while (i + n < len && text[i + n] != ' ' && text[i + n] != '\t' &&
		       text[i + n] != '\n')
			n++;
		if (finds_word(text + i, n))
			return true;
		i += n;
	}
	return false;
}

int nc_restore(struct nc_nl *nl, char *text, size_t len,
	       const struct nc_restore_opts *opts, struct nc_buf *out,
	       struct nc_err *err)
{
	struct restore st = {
		.nl = nl, .o = opts, .err = err, .out = out,
		.model = opts->test || finds_rules(text, len),
	};
	int rc = nc_parse_file(text, len, &restore_ops, &st, err);

	if (rc == 0 && st.in_table && !st.skip_table)
		rc = nc_err_set(err, NC_EOTHER, &st.table_loc,
				"COMMIT expected: table `%s' is not committed",
				NC_TABLE_NAT);
	nc_nl_abort(nl);
	chains_reset(&st);
	return rc;
}
