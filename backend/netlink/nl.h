/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The netlink backend: IR to kernel and back, over nf_tables.
 *
 * A session (struct nc_nl) is one NETLINK_NETFILTER socket in the current
 * network namespace.  Reads dump the kernel into IR; writes are collected
 * into one transaction (one batch, sent in one sendmsg) and committed as a
 * whole: if the kernel refuses any message, nothing is applied and the
 * error names the operation that failed, as iptables does
 * ("RULE_APPEND failed (Invalid argument): rule in chain PREROUTING").
 *
 * All functions return 0 on success and -1 on failure, with the reason in
 * the caller's struct nc_err (status NC_ERESOURCE for kernel refusals,
 * NC_EOTHER for missing objects unless stated).
 */
#ifndef NATC_NL_H
#define NATC_NL_H

#include "ir/ir.h"
#include "ir/err.h"

struct nc_nl;

/* Open a session for @family (AF_INET or AF_INET6) and table @table.
 * The session's warnings (see nc_nl_set_xt()) go to @err as they are
 * raised, so @err must outlive it. */
struct nc_nl *nc_nl_open(uint8_t family, const char *table, struct nc_err *err);
void nc_nl_close(struct nc_nl *nl);

/* --- reading ------------------------------------------------------- */

/*
 * Dump the table into a new ruleset (*out, owned by the caller).  With
 * @chain non-NULL only that chain is read (rules included); with
 * @with_rules false only the chains.  A missing table gives an empty
 * ruleset, not an error.  Rules natc cannot express get rule->unknown.
 * The ruleset is read at one generation: a read another writer's commit
 * interrupted is started again (see NC_NL_TRIES).  The
 * generation id the dump was read at is kept in the session and sent
 * with the next commit, so a concurrent change makes that commit fail with
 * ERESTART (nc_nl_commit() then returns -2 and the caller retries).
 * When a read since the last commit pinned a generation already and the
 * ruleset changed since, the dump fails at once with @err untouched and
 * nc_nl_stale() true: the caller starts again from its first read, as
 * after a refused commit.
 */
int nc_nl_dump(struct nc_nl *nl, const char *chain, bool with_rules,
	       struct nc_ruleset **out, struct nc_err *err);
/* Whether the last failure was a read of a generation gone (above);
 * nc_nl_abort() forgets it. */
bool nc_nl_stale(const struct nc_nl *nl);

/*
 * How many times in a row a read is started again, or a commit refused,
 * because another writer committed under it, before natc gives up (exit
 * 4): one count per session, back to zero when a commit goes through.
 * iptables-nft 1.8.9 starts again without bound; a bound turns a reader
 * that can never keep up (a big chain read while commits come faster
 * than that) into an error instead of a hang.
 */
#define NC_NL_TRIES 128

/* Whether the chain exists: 1 yes, 0 no, -1 error.  Like a dump, it
 * pins the generation it answers at for the next commit. */
int nc_nl_chain_exists(struct nc_nl *nl, const char *chain, struct nc_err *err);

/* Read and zero the counters of one chain's rules (all chains if NULL). */
int nc_nl_reset_counters(struct nc_nl *nl, const char *chain, struct nc_err *err);

/* --- writing: queue operations, then commit them as one batch ------ */

/* Create the table if missing. */
int nc_nl_add_table(struct nc_nl *nl);
/* Create a chain if missing; a builtin gets its nat hook and priority. */
int nc_nl_add_chain(struct nc_nl *nl, const char *chain);
/* Create a user chain, failing if it exists (-N). */
int nc_nl_new_chain(struct nc_nl *nl, const char *chain);
int nc_nl_del_chain(struct nc_nl *nl, const char *chain);
int nc_nl_rename_chain(struct nc_nl *nl, uint64_t handle, const char *newname);
int nc_nl_set_policy(struct nc_nl *nl, const char *chain, int verdict);
/* Delete every rule of the chain. */
int nc_nl_flush_chain(struct nc_nl *nl, const char *chain);

enum nc_rule_pos {
	NC_POS_APPEND,		/* at the end */
	NC_POS_FIRST,		/* at the start (-I without a number) */
	NC_POS_BEFORE,		/* before the rule with @handle */
	NC_POS_AFTER,		/* after the rule with @handle */
};
/* Queue a rule; @op names the operation for errors ("RULE_APPEND"). */
int nc_nl_add_rule(struct nc_nl *nl, const char *chain, const struct nc_rule *r,
		   enum nc_rule_pos pos, uint64_t handle, const char *op);
int nc_nl_del_rule(struct nc_nl *nl, const char *chain, uint64_t handle);

/* A rule in the kernel (handle) or one queued in this batch (id). */
struct nc_rule_ref {
	uint64_t handle;
	uint32_t id;
};
/* Queue @r, named @id within this batch (0: unnamed), at @pos relative
 * to @at (NC_POS_BEFORE/AFTER). */
int nc_nl_add_rule_ref(struct nc_nl *nl, const char *chain, const struct nc_rule *r,
		       enum nc_rule_pos pos, const struct nc_rule_ref *at,
		       uint32_t id, const char *op);
int nc_nl_del_rule_ref(struct nc_nl *nl, const char *chain,
		       const struct nc_rule_ref *which);
/* Delete the table with everything in it. */
int nc_nl_del_table(struct nc_nl *nl);
/* Set the policy of a builtin (created if missing) and, with @counters,
 * its policy counters. */
int nc_nl_set_policy_counters(struct nc_nl *nl, const char *chain, int verdict,
			      bool counters, uint64_t packets, uint64_t bytes);
/* Messages queued from now on are tagged with @tag (a source line); a
 * kernel error about one of them is located there. */
void nc_nl_set_tag(struct nc_nl *nl, uint32_t tag);
/* Write rules as iptables-nft 1.8.9 does (xt matches and targets where it
 * uses them), so that it can still list the table (natc --xt).  Without
 * it, adding a rule to a table whose dump showed xt expressions warns
 * once (a warning in the session's struct nc_err, at the tag's line). */
void nc_nl_set_xt(struct nc_nl *nl, bool on);
bool nc_nl_writes_xt(const struct nc_nl *nl);
int nc_nl_replace_rule(struct nc_nl *nl, const char *chain, uint64_t handle,
		       const struct nc_rule *r);

/*
 * Send everything queued since the last commit as one transaction.
 * 0: applied; -1: refused or failed (err says which operation and why,
 * and nothing was applied); -2: the ruleset changed since the first read
 * (ERESTART), nothing was applied, read again and try again (-1 instead
 * once that happened NC_NL_TRIES times in a row, with reads started
 * again counted too).
 * Queued operations are discarded in every case.
 */
int nc_nl_commit(struct nc_nl *nl, struct nc_err *err);
/* As nc_nl_commit(), but nothing is applied: the kernel checks every
 * queued operation (and the ruleset they would make) and refuses as it
 * would on commit. */
int nc_nl_check(struct nc_nl *nl, struct nc_err *err);
/* Discard queued operations without sending them, and the generation
 * id read for them. */
void nc_nl_abort(struct nc_nl *nl);

#endif
