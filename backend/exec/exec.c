// SPDX-License-Identifier: GPL-2.0-or-later
/* One iptables command against the kernel, as iptables-nft carries it out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/exec/exec.h"
#include "ir/chains.h"
#include "ir/ext.h"
#include "ir/print.h"

static int no_chain(struct nc_err *err)
{
	return nc_err_set(err, NC_EOTHER, NULL, NC_MSG_NO_CHAIN);
}

/* Make sure the table and @chain (a builtin, or an existing user chain)
 * are there; queue their creation where needed. */
static int need_chain(struct nc_nl *nl, const char *chain, struct nc_err *err)
{
	int rc;

	rc = nc_nl_chain_exists(nl, chain, err);
	if (rc < 0)
		return -1;
	if (rc)
		return 0;
	if (!nc_builtin_find(chain))
		return no_chain(err);
	/* created only when missing: re-sending an existing chain is an
	 * update, which costs the closing of the socket an RCU grace
	 * period (10-15 ms) */
	if (nc_nl_add_table(nl) < 0 || nc_nl_add_chain(nl, chain) < 0)
		return nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
	return 0;
}

static int check_jump(struct nc_nl *nl, const struct nc_job *job, struct nc_err *err)
{
	int rc;

	if (!job->jump[0] || nc_builtin_find(job->jump))
		return 0;	/* a builtin: the kernel refuses the jump */
	rc = nc_nl_chain_exists(nl, job->jump, err);
	if (rc < 0)
		return -1;
	if (!rc)
		return nc_err_param(err, &job->jump_loc, "Chain '%s' does not exist",
				    job->jump);
	return 0;
}

/* The chain of @job with its rules, from the kernel.  A builtin chain not
 * created yet reads as empty, as iptables-nft lists it; a missing user
 * chain is an error (iptables' message for @job). */
static int read_chain(struct nc_nl *nl, const struct nc_job *job, struct nc_ruleset **rs,
		      struct nc_chain **c, struct nc_err *err)
{
	if (nc_nl_dump(nl, job->chain, true, rs, err) < 0)
		return -1;
	*c = nc_ruleset_find_chain(*rs, job->chain);
	if (!*c || (!(*c)->exists && !(*c)->builtin))
		return nc_err_set(err, NC_EOTHER, NULL, "%s", nc_chains_missing_msg(job));
	return 0;
}

/* -v: iptables echoes each rule of -A/-I/-D/-R/-C before acting. */
static void echo_rules(const struct nc_job *job, struct nc_buf *out)
{
	if (!job->verbose)
		return;
	for (size_t i = 0; i < job->nrules; i++)
		nc_print_rule_brief(job->rules[i], out);
}

static const char *op_name(enum nc_cmd_kind k)
{
	return k == NC_CMD_INSERT ? "RULE_INSERT" : "RULE_APPEND";
}

static int queue_add(struct nc_nl *nl, const struct nc_job *job,
		     enum nc_rule_pos pos, uint64_t handle, struct nc_err *err)
{
	/* iptables inserts the rules of -I N (N > 1) one after the other at
	 * position N, each before the one inserted last: -s A,B lists B
	 * before A (as -I and -I 1 do, at the head) */
	bool rev = job->kind == NC_CMD_INSERT && job->rulenum > 1;

	for (size_t k = 0; k < job->nrules; k++) {
		size_t i = rev ? job->nrules - 1 - k : k;

		if (nc_nl_add_rule(nl, job->chain, job->rules[i], pos, handle,
				   op_name(job->kind)) < 0)
			return nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
	}
	return 0;
}

static int do_add(struct nc_nl *nl, const struct nc_job *job, struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	struct nc_chain *c;
	enum nc_rule_pos pos = NC_POS_APPEND;
	uint64_t handle = 0;
	int rc = -1;

	if (check_jump(nl, job, err) < 0)
		return -1;
	if (job->kind == NC_CMD_INSERT && job->rulenum > 1) {
		/* only a numbered insert reads the chain */
		size_t at;

		if (read_chain(nl, job, &rs, &c, err) < 0 ||
		    nc_chains_add_pos(job, c->nrules, &at, NULL, err) < 0)
			goto out;
		if (at < c->nrules) {
			pos = NC_POS_BEFORE;
			handle = c->rules[at]->handle;
		}
	} else if (job->kind == NC_CMD_INSERT) {
		pos = NC_POS_FIRST;
	}
	if (need_chain(nl, job->chain, err) < 0)
		goto out;
	rc = queue_add(nl, job, pos, handle, err);
out:
	nc_ruleset_free(rs);
	return rc;
}

static bool same_rule(void *arg, size_t i, const struct nc_rule *r)
{
	return nc_rule_equal(((const struct nc_chain *)arg)->rules[i], r);
}

static int do_delete_check_replace(struct nc_nl *nl, const struct nc_job *job,
				   struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	struct nc_chain *c;
	int rc = -1;

	/* the jump first (-R, and -D or -C by specification): iptables looks
	 * for the chain it names while it reads the command, before the
	 * chain and the rule */
	if ((job->kind == NC_CMD_REPLACE || !job->rulenum) &&
	    check_jump(nl, job, err) < 0)
		goto out;
	if (read_chain(nl, job, &rs, &c, err) < 0)
		goto out;
	if (job->kind == NC_CMD_REPLACE || (job->kind == NC_CMD_DELETE && job->rulenum)) {
		size_t at;

		if (nc_chains_rule_pos(job, 0, c->nrules, same_rule, c, NULL, &at, NULL,
				       err) < 0)
			goto out;
		if (job->kind == NC_CMD_DELETE)
			rc = nc_nl_del_rule(nl, job->chain, c->rules[at]->handle);
		else
			rc = nc_nl_replace_rule(nl, job->chain, c->rules[at]->handle,
						job->rules[0]);
		if (rc < 0)
			nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
		goto out;
	}
	/* by specification: every expanded rule must be there (its jump was
	 * checked above) */
	{
		bool *taken = calloc(c->nrules ? c->nrules : 1, sizeof(*taken));

		if (!taken) {
			nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
			goto out;
		}
		for (size_t i = 0; i < job->nrules; i++) {
			size_t at;

			if (nc_chains_rule_pos(job, i, c->nrules, same_rule, c, taken, &at,
					       NULL, err) < 0) {
				free(taken);
				goto out;
			}
			taken[at] = true;
			if (job->kind == NC_CMD_DELETE &&
			    nc_nl_del_rule(nl, job->chain, c->rules[at]->handle) < 0) {
				free(taken);
				nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
				goto out;
			}
		}
		free(taken);
	}
	rc = 0;
out:
	nc_ruleset_free(rs);
	return rc;
}

/* -Z: counters of one rule, one chain or every chain. */
static int do_zero(struct nc_nl *nl, const struct nc_job *job, struct nc_buf *out,
		   struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	struct nc_chain *c;
	struct nc_rule *r;
	int rc = -1;

	if (job->chain[0] && job->rulenum) {
		/* one rule: rewrite it with zero counters, in the batch */
		if (read_chain(nl, job, &rs, &c, err) < 0)
			goto out;
		/* a builtin not created yet has no rule to zero: iptables-nft
		 * fails to find it (any number past the end of one that is
		 * there is no error) */
		if (!c->exists) {
			nc_err_set(err, NC_EOTHER, NULL, NC_MSG_BAD_RULE);
			goto out;
		}
		if (job->rulenum > c->nrules) {
			rc = 0;		/* nothing to zero, as -L lists nothing */
			goto out;
		}
		r = c->rules[job->rulenum - 1];
		r->packets = r->bytes = 0;
		if (nc_nl_replace_rule(nl, job->chain, r->handle, r) < 0) {
			nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (nc_nl_dump(nl, job->chain[0] ? job->chain : NULL, false, &rs, err) < 0)
		goto out;
	if (job->chain[0] && !nc_ruleset_find_chain(rs, job->chain)) {
		no_chain(err);
		goto out;
	}
	for (size_t i = 0; i < rs->nchains; i++) {
		c = rs->chains[i];
		if (job->chain[0] && strcmp(c->name, job->chain))
			continue;
		if (job->chain[0] && !c->exists) {
			no_chain(err);
			goto out;
		}
		/* -Z -v names the chains the kernel has; -L -Z -v all */
		if (job->verbose && (c->exists || job->zero))
			nc_buf_printf(out, "Zeroing chain `%s'\n", c->name);
	}
	rc = nc_nl_reset_counters(nl, job->chain[0] ? job->chain : NULL, err);
out:
	nc_ruleset_free(rs);
	return rc;
}

static int do_list(struct nc_nl *nl, const struct nc_job *job, struct nc_buf *out,
		   struct nc_err *err)
{
	const char *chain = job->chain[0] ? job->chain : NULL;
	struct nc_ruleset *rs = NULL;
	int rc;

	if (nc_nl_dump(nl, NULL, true, &rs, err) < 0)
		return -1;
	if (chain && !nc_ruleset_find_chain(rs, chain)) {
		nc_ruleset_free(rs);
		return no_chain(err);
	}
	if (job->kind == NC_CMD_LIST_RULES)
		rc = nc_print_S(rs, chain, job->rulenum, job->verbose, out);
	else
		rc = nc_print_L(rs, chain, job->rulenum, job->fmt, out);
	nc_ruleset_free(rs);
	/* a rule number past the end lists nothing, as iptables-nft */
	(void)rc;
	if (nc_buf_failed(out))
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	if (job->zero) {
		struct nc_job z = *job;

		z.rulenum = 0;
		return do_zero(nl, &z, out, err);
	}
	return 0;
}

/* What -F or -X without a chain does to chain @c of the kernel's: 0, or
 * -1 with @err set. */
typedef int (*chain_fn)(struct nc_nl *nl, const struct nc_job *job,
			const struct nc_chain *c, struct nc_buf *out, struct nc_err *err);

/* Chains a command on "all chains" works on: those in the kernel. */
static int each_chain(struct nc_nl *nl, const struct nc_job *job, chain_fn fn,
		      struct nc_buf *out, struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	int rc = 0;

	if (nc_nl_dump(nl, NULL, false, &rs, err) < 0)
		return -1;
	for (size_t i = 0; i < rs->nchains && rc == 0; i++)
		rc = fn(nl, job, rs->chains[i], out, err);
	nc_ruleset_free(rs);
	return rc;
}

static int queued(int rc, struct nc_err *err)
{
	return rc < 0 ? nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno)) : 0;
}

static int flush_one(struct nc_nl *nl, const struct nc_job *job,
		     const struct nc_chain *c, struct nc_buf *out, struct nc_err *err)
{
	/* -F names the builtins even before they exist, as iptables */
	if (job->verbose)
		nc_buf_printf(out, "Flushing chain `%s'\n", c->name);
	return c->exists ? queued(nc_nl_flush_chain(nl, c->name), err) : 0;
}

/* Whether @chain (which the kernel has) holds no rule: 1, 0, or -1. */
static int chain_empty(struct nc_nl *nl, const char *chain, struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	const struct nc_chain *c;
	int rc;

	if (nc_nl_dump(nl, chain, true, &rs, err) < 0)
		return -1;
	c = nc_ruleset_find_chain(rs, chain);
	rc = !c || !c->nrules;
	nc_ruleset_free(rs);
	return rc;
}

/*
 * -X without a chain, as iptables-nft 1.8.9: every user chain (the kernel
 * refuses the batch if one holds rules or is jumped to), and every
 * builtin that holds no rule and has policy ACCEPT, since its creation
 * was implicit and it is made again on first use; -v names only the
 * user chains.  Only the builtins' rules are read.
 */
static int delete_one(struct nc_nl *nl, const struct nc_job *job,
		      const struct nc_chain *c, struct nc_buf *out, struct nc_err *err)
{
	int rc;

	if (!c->exists)
		return 0;
	if (c->builtin) {
		/* nc_chains_x_takes(), its rules read only when it may */
		if (!nc_chains_x_takes(true, 0, c->policy == NF_ACCEPT))
			return 0;
		rc = chain_empty(nl, c->name, err);
		if (rc <= 0)
			return rc;	/* 0: kept */
	} else if (job->verbose) {
		nc_buf_printf(out, "Deleting chain `%s'\n", c->name);
	}
	return queued(nc_nl_del_chain(nl, c->name), err);
}

/*
 * -X NAME: a chain the kernel has.  A builtin whose policy is not ACCEPT
 * iptables-nft 1.8.9 refuses itself ("Directory not empty.", status 1);
 * whether it holds rules is the kernel's to say (EBUSY, 4), as for a user
 * chain.
 */
static int deletable_chain(struct nc_nl *nl, const char *chain, struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	const struct nc_chain *c;
	int rc;

	if (!nc_builtin_find(chain)) {
		rc = nc_nl_chain_exists(nl, chain, err);
		if (rc < 0)
			return -1;
		return rc ? 0 : no_chain(err);
	}
	if (nc_nl_dump(nl, NULL, false, &rs, err) < 0)
		return -1;
	c = nc_ruleset_find_chain(rs, chain);
	if (!c || !c->exists)
		rc = no_chain(err);
	else if (c->builtin && c->policy != NF_ACCEPT)
		rc = nc_chains_check_delete(chain, true, 1, NULL, err);
	else
		rc = 0;
	nc_ruleset_free(rs);
	return rc;
}

static int do_chain_cmd(struct nc_nl *nl, const struct nc_job *job, struct nc_buf *out,
			struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	struct nc_chain *c;
	int rc;

	switch (job->kind) {
	case NC_CMD_FLUSH:
		if (!job->chain[0])
			return each_chain(nl, job, flush_one, out, err);
		rc = nc_nl_chain_exists(nl, job->chain, err);
		if (rc < 0)
			return -1;
		if (!rc && !nc_builtin_find(job->chain))
			return no_chain(err);
		if (job->verbose)
			nc_buf_printf(out, "Flushing chain `%s'\n", job->chain);
		/* a builtin not created yet is empty, and made: iptables-nft
		 * creates it (and the table) to flush it */
		if (!rc)
			return nc_nl_add_table(nl) < 0 || nc_nl_add_chain(nl, job->chain) < 0 ?
			       nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno)) : 0;
		return nc_nl_flush_chain(nl, job->chain) < 0 ?
		       nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno)) : 0;
	case NC_CMD_NEW_CHAIN:
		rc = nc_nl_chain_exists(nl, job->chain, err);
		if (rc < 0)
			return -1;
		if (nc_chains_check_new(job->chain, rc, NULL, err) < 0)
			return -1;
		if (nc_nl_add_table(nl) < 0 || nc_nl_new_chain(nl, job->chain) < 0)
			return nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
		return 0;
	case NC_CMD_DELETE_CHAIN:
		if (!job->chain[0])
			return each_chain(nl, job, delete_one, out, err);
		if (deletable_chain(nl, job->chain, err) < 0)
			return -1;
		if (job->verbose)
			nc_buf_printf(out, "Deleting chain `%s'\n", job->chain);
		return nc_nl_del_chain(nl, job->chain) < 0 ?
		       nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno)) : 0;
	case NC_CMD_POLICY:
		if (!nc_builtin_find(job->chain))
			return nc_err_set(err, NC_EOTHER, NULL, "Bad built-in chain name.");
		if (job->policy == NF_DROP)
			return nc_err_param(err, NULL, NC_MSG_DROP);
		if (nc_nl_add_table(nl) < 0 || nc_nl_add_chain(nl, job->chain) < 0 ||
		    nc_nl_set_policy(nl, job->chain, job->policy) < 0)
			return nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
		return 0;
	case NC_CMD_RENAME_CHAIN:
		if (nc_nl_dump(nl, NULL, false, &rs, err) < 0)
			return -1;
		c = nc_ruleset_find_chain(rs, job->chain);
		{
			const struct nc_chain *to = nc_ruleset_find_chain(rs, job->newname);

			rc = nc_chains_check_rename(job->chain, c && c->exists, job->newname,
						    to && to->exists, NULL, err);
		}
		if (rc == 0 && nc_nl_rename_chain(nl, c->handle, job->newname) < 0)
			rc = nc_err_set(err, NC_ERESOURCE, NULL, "%s", strerror(errno));
		nc_ruleset_free(rs);
		return rc;
	default:
		return 0;
	}
}

static int exec_once(struct nc_nl *nl, const struct nc_job *job, struct nc_buf *out,
		     struct nc_err *err)
{
	echo_rules(job, out);
	switch (job->kind) {
	case NC_CMD_APPEND:
	case NC_CMD_INSERT:
		return do_add(nl, job, err);
	case NC_CMD_DELETE:
	case NC_CMD_CHECK:
	case NC_CMD_REPLACE:
		return do_delete_check_replace(nl, job, err);
	case NC_CMD_LIST:
	case NC_CMD_LIST_RULES:
		return do_list(nl, job, out, err);
	case NC_CMD_ZERO:
		return do_zero(nl, job, out, err);
	default:
		return do_chain_cmd(nl, job, out, err);
	}
}

/*
 * The kernel refuses a NAT expression in a hook it cannot work in with
 * EOPNOTSUPP, for the rule itself or for a jump that makes it reachable
 * from such a hook: say which hooks the job's target allows.
 */
static void hook_hint(const struct nc_job *job, struct nc_err *err)
{
	static const char *const names[] = {
		[NF_INET_PRE_ROUTING] = "PREROUTING", [NF_INET_LOCAL_IN] = "INPUT",
		[NF_INET_LOCAL_OUT] = "OUTPUT", [NF_INET_POST_ROUTING] = "POSTROUTING",
	};
	const struct nc_ext_ops *t = job->nrules ? job->rules[0]->target.ops : NULL;
	size_t len = strlen(err->msg);
	const char *sep = "";

	if (err->status != NC_ERESOURCE || !strstr(err->msg, strerror(EOPNOTSUPP)))
		return;
	if (t == &nc_ext_standard && nc_builtin_find(job->jump)) {
		snprintf(err->msg + len, sizeof(err->msg) - len,
			 " (built-in chains cannot be jumped to)");
		return;
	}
	if (!t || !t->hooks) {
		snprintf(err->msg + len, sizeof(err->msg) - len,
			 " (a NAT target would be reached from a chain it is not allowed in)");
		return;
	}
	len += (size_t)snprintf(err->msg + len, sizeof(err->msg) - len,
				" (%s is only allowed in ", t->name);
	for (int h = 0; h < 5 && len < sizeof(err->msg); h++) {
		if (!(t->hooks & NC_HOOK(h)) || h >= (int)(sizeof(names) / sizeof(names[0])) ||
		    !names[h])
			continue;
		len += (size_t)snprintf(err->msg + len, sizeof(err->msg) - len,
					"%s%s", sep, names[h]);
		sep = " and ";
	}
	if (len < sizeof(err->msg))
		snprintf(err->msg + len, sizeof(err->msg) - len,
			 ", and chains only they reach)");
}

/*
 * One attempt reads what it needs and queues the changes; the commit
 * carries the generation id of the first read (a dump or a chain look-up,
 * backend/netlink/nl.h), so if another writer committed since, the kernel
 * refuses the batch and the job is carried out again from the start, on
 * what the kernel has now (iptables-nft refreshes its cache and sends
 * again too).
 */
int nc_exec(struct nc_nl *nl, const struct nc_job *job, struct nc_buf *out,
	    struct nc_err *err)
{
	for (;;) {	/* nc_nl_commit() bounds it */
		size_t mark = out->len;
		int rc;

		if (exec_once(nl, job, out, err) < 0) {
			bool stale = nc_nl_stale(nl);

			nc_nl_abort(nl);
			if (!stale)
				return -1;
		} else {
			rc = nc_nl_commit(nl, err);
			if (rc == -1)
				hook_hint(job, err);
			if (rc != -2)
				return rc;
		}
		/* someone else committed since we first read: read again */
		out->len = mark;
		if (out->s)
			out->s[mark] = '\0';
		nc_err_clear(err);
	}
}
