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
 * kernel knows them by until the commit.  A transaction the kernel refuses
 * because another writer committed after it read what it needed is made
 * again from its lines (the driver reads the table again: NC_SAVE_AGAIN).
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
#include "ir/chains.h"
#include "parser/savefile.h"

/* A rule of the model: its record in the chain model (ir/chains.h). */
struct mrule {
	struct nc_rule *r;
	struct nc_rule_ref ref;
	uint32_t line;		/* where it was added, 0: from the kernel */
};

struct rchain {
	struct nc_mchain m;	/* first: the model's part */
	bool loaded;		/* rules known: read, created or flushed */
	bool renamed;		/* its name is new in this transaction */
	uint8_t reach;		/* --test: hooks that reach it, NC_HOOK bits */
	uint64_t handle;	/* 0: created in this transaction */
	uint32_t added;		/* rules added without the model (fast path) */
	bool not_accept;	/* a builtin the kernel has with another
				 * policy than ACCEPT (--noflush) */
};

struct restore {
	struct nc_nl *nl;
	const struct nc_restore_opts *o;
	struct nc_err *err;
	struct nc_buf *out;
	bool table_gone;	/* not in this batch yet: made on first use */
	bool model;		/* keep the rules added in a transaction */
	struct nc_chains chains;	/* the chains of this transaction */
	bool builtin_ready[4];	/* created (or declared) in this transaction */
	uint32_t next_id;
	char **zero;		/* chains to zero once committed */
	size_t nzero;
};

static void mrule_free(void *rec)
{
	nc_rule_free(((struct mrule *)rec)->r);
}

static struct mrule *rule_at(struct restore *st, struct rchain *c, size_t i)
{
	return nc_mchain_rule(&st->chains, &c->m, i);
}

static struct rchain *chain_find(struct restore *st, const char *name)
{
	return (struct rchain *)nc_chains_find(&st->chains, name);
}

static struct rchain *chain_add(struct restore *st, const char *name, uint64_t handle)
{
	struct rchain *c = (struct rchain *)nc_chains_get(&st->chains, name);

	if (c)
		c->handle = handle;
	return c;
}

static void chains_reset(struct restore *st)
{
	nc_chains_reset(&st->chains);
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

/* --noflush: the chains the kernel has, without their rules. */
static int chains_from_kernel(struct restore *st)
{
	struct nc_ruleset *rs = NULL;

	if (nc_nl_dump(st->nl, NULL, false, &rs, st->err) < 0)
		return -1;
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct nc_chain *c = rs->chains[i];
		struct rchain *m;

		if (!c->exists)
			continue;
		if (!(m = chain_add(st, c->name, c->handle))) {
			nc_ruleset_free(rs);
			return nomem(st);
		}
		m->not_accept = c->builtin && c->policy != NF_ACCEPT;
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
static struct rchain *chain_get(struct restore *st, const char *name)
{
	struct rchain *c = chain_find(st, name);

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

/* Whether builtin @c is a chain of the kernel's when the batch gets to
 * it: read from the kernel (--noflush), or created or declared in this
 * transaction. */
static bool builtin_there(const struct restore *st, const struct rchain *c)
{
	const struct nc_builtin *b = nc_builtin_find(c->m.name);

	return b && (st->builtin_ready[b - nc_nat_builtins] || (st->o->noflush && c->handle));
}

/* The rules of @c, read from the kernel the first time they are needed. */
static int chain_load(struct restore *st, struct rchain *c)
{
	struct nc_ruleset *rs = NULL;
	struct nc_chain *kc;

	if (c->loaded)
		return 0;
	if (nc_nl_dump(st->nl, c->m.name, true, &rs, st->err) < 0)
		return -1;
	kc = nc_ruleset_find_chain(rs, c->m.name);
	for (size_t i = 0; kc && i < kc->nrules; i++) {
		struct mrule *m = nc_mchain_insert(&st->chains, &c->m, c->m.n);

		if (!m) {
			nc_ruleset_free(rs);
			return nomem(st);
		}
		m->r = kc->rules[i];
		m->ref = (struct nc_rule_ref){ .handle = kc->rules[i]->handle };
		kc->rules[i] = NULL;	/* now the model's */
	}
	if (kc)
		kc->nrules = 0;
	nc_ruleset_free(rs);
	c->loaded = true;
	return 0;
}

/* Keep a copy of @r at @pos of the model, named @id. */
static int model_insert(struct restore *st, struct rchain *c, size_t pos,
			const struct nc_rule *r, uint32_t id)
{
	struct nc_rule *copy = nc_rule_clone(r);
	struct mrule *m;

	if (!copy || !(m = nc_mchain_insert(&st->chains, &c->m, pos))) {
		nc_rule_free(copy);
		return nomem(st);
	}
	*m = (struct mrule){ copy, { .id = id }, r->loc.line };
	return 0;
}

/* --- commands -------------------------------------------------------- */

static int no_chain(struct restore *st, const struct nc_loc *loc)
{
	return nc_err_set(st->err, NC_EOTHER, loc, NC_MSG_NO_CHAIN);
}

/* A command on a chain that is not there (iptables' message for it). */
static int missing_chain(struct restore *st, const struct nc_job *job,
			 const struct nc_loc *loc)
{
	return nc_err_set(st->err, NC_EOTHER, loc, "%s", nc_chains_missing_msg(job));
}

static int queue_err(struct restore *st)
{
	return nc_err_set(st->err, NC_ERESOURCE, NULL, "%s", strerror(errno));
}

/* Add job rule @r at model position @pos (@pos == n: the end). */
static int add_at(struct restore *st, struct rchain *c, const struct nc_rule *r,
		  size_t pos, const char *op)
{
	uint32_t id = ++st->next_id;
	enum nc_rule_pos where = NC_POS_APPEND;
	const struct nc_rule_ref *at = NULL;

	if (pos < c->m.n) {
		where = NC_POS_BEFORE;
		at = &rule_at(st, c, pos)->ref;
	}
	if (nc_nl_add_rule_ref(st->nl, c->m.name, r, where, at, id, op) < 0)
		return queue_err(st);
	return model_insert(st, c, pos, r, id);
}

struct same_arg {
	struct restore *st;
	struct rchain *c;
};

static bool same_rule(void *arg, size_t i, const struct nc_rule *r)
{
	struct same_arg *a = arg;

	return nc_rule_equal(rule_at(a->st, a->c, i)->r, r);
}

static int check_jump(struct restore *st, const struct nc_job *job)
{
	const struct rchain *to = chain_find(st, job->jump);

	if (!job->jump[0] || nc_builtin_find(job->jump) || (to && !to->renamed))
		return 0;
	return nc_err_param(st->err, &job->jump_loc, "Chain '%s' does not exist",
			    job->jump);
}

/*
 * A NAT target in a builtin whose hook it cannot work in, written as
 * native expressions: the kernel finds that out only when it validates
 * the table at commit, and then carries out the batch again validating
 * the whole table after every rule of it, so a refusal late in a file of
 * 50,000 rules takes minutes.  Refused here as the kernel would refuse it
 * (an xt target is refused by the kernel as soon as it gets it).  A jump
 * to a chain holding such a target is still the kernel's to refuse.
 */
static int hook_refused(struct restore *st, const char *chain, const struct nc_rule *r,
			const char *op, const struct nc_loc *loc)
{
	const struct nc_builtin *b = nc_builtin_find(chain);
	const struct nc_ext_ops *t = r->target.ops;
	struct nc_loc line = { .line = loc->line };	/* as the kernel's */

	if (!b || !t || !t->hooks || (t->hooks & NC_HOOK(b->hook)) ||
	    nc_nl_writes_xt(st->nl))
		return 0;
	return nc_err_set(st->err, NC_ERESOURCE, &line, " %s failed (%s): rule in chain %s",
			  op, strerror(EOPNOTSUPP), chain);
}

static int do_add(struct restore *st, const struct nc_job *job, struct rchain *c,
		  const struct nc_loc *loc)
{
	bool insert = job->kind == NC_CMD_INSERT;
	size_t pos;

	if (check_jump(st, job) < 0 || ready_builtin(st, c->m.name) < 0)
		return -1;
	for (size_t i = 0; i < job->nrules; i++)
		if (hook_refused(st, c->m.name, job->rules[i],
				 insert ? "RULE_INSERT" : "RULE_APPEND", loc) < 0)
			return -1;
	if (!st->model) {	/* the fast path: nothing kept but a count */
		for (size_t i = 0; i < job->nrules; i++)
			if (nc_nl_add_rule(st->nl, c->m.name, job->rules[i],
					   insert ? NC_POS_FIRST : NC_POS_APPEND, 0,
					   insert ? "RULE_INSERT" : "RULE_APPEND") < 0)
				return queue_err(st);
		c->added += (uint32_t)job->nrules;
		return 0;
	}
	if (chain_load(st, c) < 0 || nc_chains_add_pos(job, c->m.n, &pos, loc, st->err) < 0)
		return -1;
	for (size_t i = 0; i < job->nrules; i++)
		if (add_at(st, c, job->rules[i], insert ? pos : c->m.n,
			   insert ? "RULE_INSERT" : "RULE_APPEND") < 0)
			return -1;
	return 0;
}

/* -R, and -Z N (the same rule with zero counters), of the rule at @pos. */
static int replace_at(struct restore *st, const struct nc_job *job, struct rchain *c,
		      size_t pos)
{
	struct mrule *m = rule_at(st, c, pos);
	struct nc_rule *r = job->kind == NC_CMD_REPLACE ? job->rules[0] : m->r;
	struct nc_rule_ref old = m->ref;
	struct nc_rule *keep;
	int rc;

	if (job->kind == NC_CMD_ZERO)
		r->packets = r->bytes = 0;
	if (old.handle) {
		if (nc_nl_replace_rule(st->nl, c->m.name, old.handle, r) < 0)
			return queue_err(st);
		if (r != m->r) {
			struct nc_rule *copy = nc_rule_clone(r);

			if (!copy)
				return nomem(st);
			nc_rule_free(m->r);
			m->r = copy;
		}
		return 0;
	}
	/* a rule of this batch: a new one in its place, the old gone */
	if (!(keep = nc_rule_clone(r)))
		return nomem(st);
	if (nc_nl_del_rule_ref(st->nl, c->m.name, &old) < 0) {
		nc_rule_free(keep);
		return queue_err(st);
	}
	nc_mchain_remove(&st->chains, &c->m, pos);
	rc = add_at(st, c, keep, pos, "RULE_REPLACE");
	nc_rule_free(keep);
	return rc;
}

static int do_find(struct restore *st, const struct nc_job *job, struct rchain *c,
		   const struct nc_loc *loc)
{
	struct same_arg arg = { st, c };
	size_t pos;

	if (job->kind == NC_CMD_REPLACE &&
	    (check_jump(st, job) < 0 ||
	     hook_refused(st, c->m.name, job->rules[0], "RULE_REPLACE", loc) < 0))
		return -1;
	if (chain_load(st, c) < 0)
		return -1;
	if (job->kind == NC_CMD_ZERO && job->rulenum > c->m.n)
		return 0;
	if (nc_chains_rule_pos(job, 0, c->m.n, same_rule, &arg, NULL, &pos, loc,
			       st->err) < 0)
		return -1;
	if (job->kind == NC_CMD_CHECK)
		return 0;
	if (job->kind != NC_CMD_DELETE)
		return replace_at(st, job, c, pos);
	/* a list of addresses: every expanded rule goes */
	for (size_t i = 0; i < (job->rulenum ? 1 : job->nrules); i++) {
		if (i && nc_chains_rule_pos(job, i, c->m.n, same_rule, &arg, NULL, &pos,
					    loc, st->err) < 0)
			return -1;
		if (nc_nl_del_rule_ref(st->nl, c->m.name, &rule_at(st, c, pos)->ref) < 0)
			return queue_err(st);
		nc_mchain_remove(&st->chains, &c->m, pos);
	}
	return 0;
}

static int flush_one(struct restore *st, struct rchain *c)
{
	if (ready_builtin(st, c->m.name) < 0 || nc_nl_flush_chain(st->nl, c->m.name) < 0)
		return queue_err(st);
	nc_mchain_clear(&st->chains, &c->m);
	c->added = 0;
	c->loaded = true;
	return 0;
}

/* Whether rules this transaction added to @c are still in it: the kernel
 * would refuse to delete it (EBUSY, status 4), but iptables-nft-restore
 * refuses a builtin holding them itself ("Directory not empty.", 1) */
static bool holds_new_rules(struct restore *st, struct rchain *c)
{
	if (c->added)
		return true;
	for (size_t i = 0; i < c->m.n; i++)
		if (rule_at(st, c, i)->line)
			return true;
	return false;
}

/* -X without a chain: whether builtin @c is there when the batch gets to
 * it, holds no rule (the kernel's, read now, and this transaction's) and
 * has policy ACCEPT: 1, 0, or -1. */
static int builtin_idle(struct restore *st, struct rchain *c)
{
	if (!builtin_there(st, c) || c->added)
		return 0;
	if (!c->not_accept && chain_load(st, c) < 0)
		return -1;
	return nc_chains_x_takes(true, c->m.n, !c->not_accept);
}

static int do_rename(struct restore *st, const struct nc_job *job, struct rchain *c,
		     const struct nc_loc *loc)
{
	if (nc_chains_check_rename(job->chain, c != NULL, job->newname,
				   chain_find(st, job->newname) != NULL, loc, st->err) < 0)
		return -1;
	if (!c->handle)
		return nc_err_set(st->err, NC_EOTHER, loc,
			"natc-restore cannot rename a chain created in the same COMMIT");
	if (nc_nl_rename_chain(st->nl, c->handle, job->newname) < 0)
		return queue_err(st);
	if (nc_chains_rename(&st->chains, &c->m, job->newname) < 0)
		return nomem(st);
	/* the kernel knows the new name only once committed */
	c->renamed = true;
	return 0;
}

static int do_zero(struct restore *st, const struct nc_job *job, struct rchain *c,
		   const struct nc_loc *loc)
{
	char **v;

	if (job->rulenum)
		return do_find(st, job, c, loc);
	/* the policy counters of the builtins it covers, in the batch */
	for (size_t i = 0; i < 4; i++) {
		const char *b = nc_nat_builtins[i].name;

		if (c && strcmp(c->m.name, b))
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
	st->zero[st->nzero] = strdup(c ? c->m.name : "");
	if (!st->zero[st->nzero])
		return nomem(st);
	st->nzero++;
	return 0;
}

static int do_chains(struct restore *st, const struct nc_job *job, struct rchain *c,
		     const struct nc_loc *loc)
{
	switch (job->kind) {
	case NC_CMD_FLUSH:
		if (c)
			return flush_one(st, c);
		for (size_t i = 0; i < st->chains.n; i++)
			if (flush_one(st, (struct rchain *)st->chains.v[i]) < 0)
				return -1;
		return 0;
	case NC_CMD_NEW_CHAIN:
		if (nc_chains_check_new(job->chain, c != NULL, loc, st->err) < 0)
			return -1;
		if (nc_nl_new_chain(st->nl, job->chain) < 0)
			return queue_err(st);
		c = chain_add(st, job->chain, 0);
		if (!c)
			return nomem(st);
		c->loaded = true;
		return 0;
	case NC_CMD_DELETE_CHAIN:
		/* a builtin neither in the kernel (--noflush) nor created in
		 * this transaction is no chain to iptables-nft-restore 1.8.9
		 * ("line N failed: No chain/target/match by that name.",
		 * status 1), not a kernel refusal */
		if (c && c->m.builtin && !builtin_there(st, c))
			return no_chain(st, loc);
		if (c && c->m.builtin && (holds_new_rules(st, c) || c->not_accept))
			return nc_chains_check_delete(c->m.name, true, 1, loc, st->err);
		/* iptables-nft-restore 1.8.9 knows a builtin's rules when a
		 * line of the transaction finds rules (-C, -D, ...: its cache
		 * then holds every chain's), and -X of one holding rules is
		 * then "Directory not empty." (1), not the kernel's refusal
		 * (4); natc reads them when the file has such lines */
		if (c && c->m.builtin && st->model) {
			if (chain_load(st, c) < 0)
				return -1;
			if (c->m.n)
				return nc_chains_check_delete(c->m.name, true, c->m.n, loc,
							      st->err);
		}
		/* emptiness and references are the kernel's to check: it
		 * knows the rules natc did not read (a builtin too); -X
		 * without a chain takes the builtins only where they hold no
		 * rule and have policy ACCEPT, as iptables-nft-restore 1.8.9
		 * (made again on first use) */
		for (size_t i = 0; i < st->chains.n; i++) {
			struct rchain *u = (struct rchain *)st->chains.v[i];
			int rc;

			if (c && u != c)
				continue;
			if (!c && u->m.builtin) {
				rc = builtin_idle(st, u);
				if (rc < 0)
					return -1;
				if (!rc)
					continue;
			}
			if (nc_nl_del_chain(st->nl, u->m.name) < 0)
				return queue_err(st);
			if (u->m.builtin)
				st->builtin_ready[nc_builtin_find(u->m.name) - nc_nat_builtins] = false;
			nc_chains_del(&st->chains, &u->m);
			i--;
		}
		return 0;
	case NC_CMD_POLICY:
		if (!c || !c->m.builtin)
			return nc_err_set(st->err, NC_EOTHER, loc, "Bad built-in chain name.");
		if (job->policy != NF_ACCEPT)
			return nc_err_param(st->err, loc, NC_MSG_DROP);
		if (need_table(st) < 0 ||
		    nc_nl_set_policy_counters(st->nl, c->m.name, NF_ACCEPT, true, 0, 0) < 0)
			return queue_err(st);
		st->builtin_ready[nc_builtin_find(c->m.name) - nc_nat_builtins] = true;
		c->not_accept = false;
		return 0;
	case NC_CMD_RENAME_CHAIN:
		return do_rename(st, job, c, loc);
	case NC_CMD_ZERO:
		return do_zero(st, job, c, loc);
	default:
		return nc_err_param(st->err, loc, "-%c cannot be used in natc-restore",
				    nc_cmd_letter(job->kind));
	}
}

/* --- the driver's events (parser/savefile.h) ---------------------------- */

/* A read of this transaction found the ruleset changed since its first
 * one (nc_nl_stale()): the commit would be refused, so the table is read
 * again now (the driver: NC_SAVE_AGAIN). */
static int read_again(struct restore *st, int rc)
{
	if (rc >= 0 || !nc_nl_stale(st->nl))
		return rc;
	nc_nl_abort(st->nl);
	chains_reset(st);
	st->table_gone = false;
	return NC_SAVE_AGAIN;
}

static int command(struct restore *st, struct nc_job *job, const struct nc_loc *loc)
{
	struct rchain *c = NULL;

	if (need_table(st) < 0)
		return queue_err(st);
	nc_nl_set_tag(st->nl, loc->line);
	if (job->chain[0]) {
		c = chain_get(st, job->chain);
		if (!c && job->kind != NC_CMD_NEW_CHAIN)
			return missing_chain(st, job, loc);
	}
	switch (job->kind) {
	case NC_CMD_APPEND:
	case NC_CMD_INSERT:
		return do_add(st, job, c, loc);
	case NC_CMD_DELETE:
	case NC_CMD_CHECK:
	case NC_CMD_REPLACE:
		return do_find(st, job, c, loc);
	default:
		return do_chains(st, job, c, loc);
	}
}

static int on_command(void *user, struct nc_job *job, const struct nc_loc *loc,
		      const struct nc_save_src *src, void *prepared)
{
	struct restore *st = user;

	return read_again(st, command(st, job, loc));
}

static int on_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct restore *st = user;

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

static int on_chain(void *user, const char *name, bool builtin, uint64_t p,
		    uint64_t b, const struct nc_loc *loc)
{
	struct restore *st = user;
	struct rchain *c;

	nc_nl_set_tag(st->nl, loc->line);
	if (need_table(st) < 0)
		return queue_err(st);
	if (builtin) {
		/* a declared builtin gets the line's counters with -c, and
		 * zero without, as iptables-nft-restore does */
		if (nc_nl_set_policy_counters(st->nl, name, NF_ACCEPT, true, p, b) < 0)
			return queue_err(st);
		st->builtin_ready[nc_builtin_find(name) - nc_nat_builtins] = true;
		c = chain_get(st, name);
		if (!c)
			return nomem(st);
		c->not_accept = false;
		return 0;
	}
	c = chain_find(st, name);
	/* declared: created if missing, emptied if there (--noflush) */
	if (nc_nl_add_chain(st->nl, name) < 0 ||
	    (c && nc_nl_flush_chain(st->nl, name) < 0))
		return queue_err(st);
	if (!c && !(c = chain_add(st, name, 0)))
		return nomem(st);
	nc_mchain_clear(&st->chains, &c->m);
	c->added = 0;
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
	struct rchain **work = NULL;
	size_t nwork = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; i < 4 && rc == 0; i++) {
		struct rchain *c = chain_get(st, nc_nat_builtins[i].name);

		if (!c)
			return nomem(st);
		c->reach |= (uint8_t)NC_HOOK(nc_nat_builtins[i].hook);
	}
	for (size_t i = 0; i < st->chains.n; i++) {
		struct rchain **v, *c = (struct rchain *)st->chains.v[i];

		if (!c->reach)
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
		work[nwork++] = c;
	}
	while (nwork && rc == 0) {
		struct rchain *c = work[--nwork];

		if (chain_load(st, c) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < c->m.n && rc == 0; i++) {
			const struct nc_rule *r = rule_at(st, c, i)->r;
			const struct nc_standard *s = r->target.data;
			const struct nc_ext_ops *t = r->target.ops;
			struct rchain *to;

			if (t && t->hooks && (c->reach & ~t->hooks)) {
				struct nc_loc l = { .line = rule_at(st, c, i)->line };
				uint8_t bad = (uint8_t)(c->reach & ~t->hooks);
				int h = 0;

				while (!(bad & NC_HOOK(h)))
					h++;
				if (c->m.builtin)
					rc = nc_err_set(st->err, NC_ERESOURCE,
						l.line ? &l : NULL,
						"%s is not allowed in chain %s: the "
						"kernel would refuse it", t->name,
						c->m.name);
				else
					rc = nc_err_set(st->err, NC_ERESOURCE,
						l.line ? &l : NULL,
						"%s in chain %s would be reached from "
						"%s, where the kernel refuses it",
						t->name, c->m.name, hook_name(h));
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
				struct rchain **v;

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

	nc_nl_set_tag(st->nl, 0);
	if (st->o->test)
		rc = nc_nl_check(st->nl, st->err);
	else
		rc = nc_nl_commit(st->nl, st->err);
	/* an aborted batch is not validated by the kernel: do it here (its
	 * reads may find the ruleset changed between them: then again) */
	if (rc == 0 && st->o->test &&
	    (rc = read_again(st, check_hooks(st))) == NC_SAVE_AGAIN)
		return rc;
	if (rc == 0 && !st->o->test)
		rc = zero_after_commit(st);
	chains_reset(st);
	st->table_gone = false;
	/* another writer committed since this transaction read the kernel
	 * (--noflush's chains, a chain's rules): the kernel refused it and
	 * applied nothing.  It is made again from its lines, on what the
	 * kernel has now (iptables-nft-restore refreshes its cache and sends
	 * again too); nc_nl_commit() bounds how often */
	if (rc == -2)
		return NC_SAVE_AGAIN;
	if (rc < 0 && !st->err->loc.line)	/* not one line's: the COMMIT's */
		st->err->loc = *loc;
	return rc;
}

static const struct nc_save_ops restore_ops = {
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
	struct nc_save_opts so = {
		.family = opts->family, .prog = "natc-restore",
		.counters = opts->counters, .only_table = opts->only_table,
		.other_tables = NC_SAVE_REFUSE,
	};
	int rc;

	nc_chains_init(&st.chains, sizeof(struct rchain), sizeof(struct mrule), mrule_free);
	rc = nc_save_read(text, len, &so, &restore_ops, &st, err);
	nc_nl_abort(nl);
	chains_reset(&st);
	nc_chains_free(&st.chains);
	return rc;
}
