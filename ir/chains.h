/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The chain model: the chains of one table as a run of commands sees
 * them, used wherever natc follows commands without the kernel doing it
 * for it (natc-restore's lines that find rules, natc-restore-translate's
 * table, --explain's loader).  It holds, once:
 *   - name -> chain (open addressing), the chains in order of first
 *     mention;
 *   - each chain's rules in order, as records of the user's own type;
 *   - what -A, -I N, -D, -R, -C, -Z N, -N, -X and -E do to positions and
 *     names, with iptables' messages (nc_chains_*_pos(), nc_chains_check_*()).
 *
 * A user's chain type starts with struct nc_mchain (the model allocates
 * chains of csize bytes, zeroed); a rule record is rsize bytes, zeroed
 * when made, released with the model's rule_free (NULL: it owns nothing).
 *
 * Ownership: the model owns its chains, their names and their records;
 * nc_chains_free() releases all of it.  The struct itself is the caller's
 * (zeroed, then nc_chains_init()).
 */
#ifndef NATC_CHAINS_H
#define NATC_CHAINS_H

#include <stdbool.h>
#include <stddef.h>
#include "ir/build.h"

/* iptables' words, written once */
#define NC_MSG_NO_CHAIN "No chain/target/match by that name."
#define NC_MSG_BAD_RULE "Bad rule (does a matching rule exist in that chain?)."
#define NC_MSG_CHAIN_EXISTS "Chain already exists."
#define NC_MSG_FILE_EXISTS "File exists."
#define NC_MSG_NOT_EMPTY "Directory not empty."

struct nc_mchain {
	char *name;		/* owned by the model */
	bool builtin;		/* one of the nat table's base chains */
	size_t n, cap;		/* rules, and room for them */
	unsigned char *rules;	/* n records of the model's rsize bytes */
};

struct nc_chains {
	size_t csize, rsize;
	void (*rule_free)(void *rec);
	struct nc_mchain **slot;	/* by name */
	size_t nslots;
	struct nc_mchain **v;	/* in order of first mention */
	size_t n, cap;
	struct nc_mchain *last;	/* the one found last: lines come chain by
				 * chain */
};

void nc_chains_init(struct nc_chains *m, size_t csize, size_t rsize,
		    void (*rule_free)(void *rec));
/* Every chain and record released; the model is empty (and usable). */
void nc_chains_reset(struct nc_chains *m);
void nc_chains_free(struct nc_chains *m);

struct nc_mchain *nc_chains_find(struct nc_chains *m, const char *name);
/* The chain @name, made (empty, after the others) when it is not there;
 * NULL with errno on ENOMEM. */
struct nc_mchain *nc_chains_get(struct nc_chains *m, const char *name);
/* Forget @c and its rules. */
void nc_chains_del(struct nc_chains *m, struct nc_mchain *c);
/* @c is now @newname (which no chain has), keeping its rules and place;
 * -1 with errno on ENOMEM. */
int nc_chains_rename(struct nc_chains *m, struct nc_mchain *c, const char *newname);

/* Record @i of @c. */
static inline void *nc_mchain_rule(const struct nc_chains *m,
				   const struct nc_mchain *c, size_t i)
{
	return c->rules + i * m->rsize;
}
/* Room for a record at @pos (0..n), zeroed; NULL with errno on ENOMEM. */
void *nc_mchain_insert(struct nc_chains *m, struct nc_mchain *c, size_t pos);
/* Release record @pos and close the gap. */
void nc_mchain_remove(struct nc_chains *m, struct nc_mchain *c, size_t pos);
/* Release every record of @c. */
void nc_mchain_clear(struct nc_chains *m, struct nc_mchain *c);
/* @from's records become @to's (whose own are released); @from is empty. */
void nc_mchain_move(struct nc_chains *m, struct nc_mchain *to, struct nc_mchain *from);

/* --- what commands do, for any representation of a chain ------------
 * These know positions and messages only: @n is the chain's rule count,
 * and a rule is found through @same(arg, i, r) (is rule i of the chain
 * the same as @r).  Errors are NC_EOTHER at @loc, as iptables says them. */

typedef bool (*nc_same_rule_fn)(void *arg, size_t i, const struct nc_rule *r);

/* -A and -I [N]: where the job's rules go (all of them, in order, from
 * *@pos on; -A: n).  0, or -1: "Index of insertion too big." */
int nc_chains_add_pos(const struct nc_job *job, size_t n, size_t *pos,
		      const struct nc_loc *loc, struct nc_err *err);
/*
 * -D, -C, -R and -Z: the rule the job names: number N (1..n), or the
 * first rule the same as job->rules[@k] that @taken (NULL, or n flags)
 * does not mark.  0 with *@pos, or -1: "Index of deletion too big."
 * (replacement, zero) or NC_MSG_BAD_RULE.
 */
int nc_chains_rule_pos(const struct nc_job *job, size_t k, size_t n,
		       nc_same_rule_fn same, void *arg, const bool *taken,
		       size_t *pos, const struct nc_loc *loc, struct nc_err *err);
/* -N: @exists says whether a chain of that name is there. */
int nc_chains_check_new(const char *name, bool exists, const struct nc_loc *loc,
			struct nc_err *err);
/* What iptables says of a command on a chain that is not there: "Bad
 * rule" for -D and -C by specification and -Z CHAIN N (iptables-nft and
 * -legacy 1.8.9 look for the rule first), NC_MSG_NO_CHAIN otherwise. */
const char *nc_chains_missing_msg(const struct nc_job *job);
/* -X without a chain: whether it deletes a chain holding @n rules.  Every
 * user chain (the kernel refuses one that holds rules or is jumped to);
 * iptables-nft 1.8.9 also deletes the builtins that hold none and have
 * policy ACCEPT (made again on first use), and natc does so everywhere:
 * in the kernel, natc-restore, the translation and --explain's loader. */
bool nc_chains_x_takes(bool builtin, size_t n, bool accept);
/* -X NAME: the chain is there (@exists, not a builtin) and empty (@n). */
int nc_chains_check_delete(const char *name, bool exists, size_t n,
			   const struct nc_loc *loc, struct nc_err *err);
/* -E OLD NEW: OLD is a user chain that is there, NEW is no chain. */
int nc_chains_check_rename(const char *old, bool old_exists, const char *newname,
			   bool new_exists, const struct nc_loc *loc,
			   struct nc_err *err);

#endif
