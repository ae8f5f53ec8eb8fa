// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading the kernel: the generation id first, then the chains of the
 * table, then the rules chain by chain (a dump of the whole table re-walks
 * every chain from its start for each 32 KiB reply, so per-chain dumps are
 * about twice as fast on large tables).
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include "backend/netlink/internal.h"
#include "ir/ext.h"
#include "parser/parser.h"

/* --- rules ------------------------------------------------------------ */

struct rule_walk {
	struct nc_nl *nl;
	const char *chain;	/* NULL: any chain of the table */
	int (*cb)(const struct nlmsghdr *nlh, struct nftnl_rule *r, void *data);
	void *data;
};

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Whether every expression of the rule at @nlh is named: libnftnl 1.2.4
 * looks its kind up by name without checking that the name is there (a
 * NULL dereference), and the kernel always sends one. */
static bool exprs_named(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *elem, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(elem, a) {
			bool named = false;

			mnl_attr_for_each_nested(b, elem)
				named |= mnl_attr_get_type(b) == NFTA_EXPR_NAME &&
					 mnl_attr_validate(b, MNL_TYPE_STRING) == 0;
			if (!named)
				return false;
		}
	}
	return true;
}

int nc_nl_rule_parse(const struct nlmsghdr *nlh, struct nftnl_rule *r)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nfgenmsg) || !exprs_named(nlh)) {
		errno = EINVAL;
		return -1;
	}
	return nftnl_rule_nlmsg_parse(nlh, r);
}

static int rule_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rule_walk *w = data;
	struct nftnl_rule *r;
	int ret = MNL_CB_OK;

	if (!w->cb)
		return MNL_CB_OK;
	r = nftnl_rule_alloc();
	if (!r)
		return MNL_CB_ERROR;
	/* libnftnl refuses rules holding an expression it does not know:
	 * those go to the callback raw (r == NULL) */
	if (nc_nl_rule_parse(nlh, r) < 0) {
		nftnl_rule_free(r);
		r = NULL;
	} else if (!same(nftnl_rule_get_str(r, NFTNL_RULE_TABLE), w->nl->table) ||
		   (w->chain &&
		    !same(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), w->chain))) {
		nftnl_rule_free(r);
		return MNL_CB_OK;
	}
	if (w->cb(nlh, r, w->data) < 0)
		ret = MNL_CB_ERROR;
	if (r) {
		int saved = errno;

		nftnl_rule_free(r);
		errno = saved;
	}
	return ret;
}

/* Rules dump of @chain (or the table) with callbacks seeing the raw
 * message too; see nc_nl_rules_foreach(). */
static int rules_walk(struct nc_nl *nl, uint16_t type, const char *chain,
		      struct rule_walk *w)
{
	struct nftnl_rule *req = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	if (!req)
		return -1;
	if (nftnl_rule_set_str(req, NFTNL_RULE_TABLE, nl->table) < 0 ||
	    (chain && nftnl_rule_set_str(req, NFTNL_RULE_CHAIN, chain) < 0)) {
		nftnl_rule_free(req);
		return -1;
	}
	nlh = nftnl_nlmsg_build_hdr(nl->rx, type, nl->family, NLM_F_DUMP,
				    nl->seq++);
	nftnl_rule_nlmsg_build_payload(nlh, req);
	nftnl_rule_free(req);
	w->nl = nl;
	w->chain = chain;
	return nc_nl_talk_dump(nl, nlh, rule_msg_cb, w);
}

struct foreach {
	int (*cb)(struct nftnl_rule *r, void *data);
	void *data;
};

static int foreach_cb(const struct nlmsghdr *nlh, struct nftnl_rule *r,
		      void *data)
{
	struct foreach *f = data;

	if (!r) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return f->cb(r, f->data);
}

/* A rules dump, each rule parsed by libnftnl for @cb. */
int nc_nl_rules_foreach(struct nc_nl *nl, uint16_t type, const char *chain,
			int (*cb)(struct nftnl_rule *r, void *data), void *data)
{
	struct foreach f = { cb, data };
	struct rule_walk w = { .cb = cb ? foreach_cb : NULL, .data = &f };

	return rules_walk(nl, type, chain, &w);
}

/* The expressions of a rule libnftnl could not parse, by name only, so
 * that the rule still reads as one natc cannot express. */
static int raw_exprs(const struct nlmsghdr *nlh, struct nc_exprs *l,
		     uint64_t *handle)
{
	const struct nlattr *a, *elem, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_RULE_HANDLE &&
		    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			*handle = be64toh(mnl_attr_get_u64(a));
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(elem, a) {
			struct nc_expr *x = nc_exprs_add(l, NC_E_UNKNOWN);

			if (!x)
				return -1;
			mnl_attr_for_each_nested(b, elem)
				if (mnl_attr_get_type(b) == NFTA_EXPR_NAME &&
				    mnl_attr_validate(b, MNL_TYPE_NUL_STRING) == 0)
					snprintf(x->u.unknown.name,
						 sizeof(x->u.unknown.name), "%s",
						 mnl_attr_get_str(b));
		}
	}
	return 0;
}

struct rules_into {
	struct nc_nl *nl;
	struct nc_chain *c;
	uint8_t family;
};

/* One rule message of a dump into IR; see internal.h. */
struct nc_rule *nc_nl_rule_read(const struct nlmsghdr *nlh, struct nftnl_rule *nr,
				struct nc_exprs *l, const struct nc_nl_setcache *sets,
				uint8_t family, bool *saw_xt)
{
	uint64_t handle = 0;
	struct nc_rule *r;

	nc_exprs_reset(l);
	if (nr) {
		if (nc_nl_rule_to_exprs(nr, l, sets) < 0)
			return NULL;
		handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
	} else if (raw_exprs(nlh, l, &handle) < 0) {
		return NULL;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == NC_E_MATCH || l->v[i].type == NC_E_TARGET)
			*saw_xt = true;
	r = nc_rule_new(family);
	if (!r)
		return NULL;
	if (nc_rule_delinearize(r, l, nc_parse_line) < 0) {
		int saved = errno;

		nc_rule_free(r);
		errno = saved;
		return NULL;
	}
	r->handle = handle;
	return r;
}

/* One kernel rule into the IR, appended to its chain. */
static int rule_into_cb(const struct nlmsghdr *nlh, struct nftnl_rule *nr,
			void *data)
{
	struct rules_into *d = data;
	struct nc_rule *r = nc_nl_rule_read(nlh, nr, &d->nl->exprs, &d->nl->sets,
					    d->family, &d->nl->saw_xt);

	return r ? nc_chain_insert(d->c, d->c->nrules, r) : -1;
}

/* --- chains ----------------------------------------------------------- */

struct chains_into {
	struct nc_nl *nl;
	struct nc_ruleset *rs;
	const char *only;	/* NULL: every chain of the table */
};

static int chain_into(struct chains_into *d, const struct nftnl_chain *c)
{
	const char *name = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
	struct nc_chain *nc;

	if (!same(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), d->nl->table) ||
	    !name || (d->only && strcmp(name, d->only)))
		return 0;
	nc = nc_chain_new(name);
	if (!nc)
		return -1;	/* ENAMETOOLONG: longer than iptables allows */
	nc->exists = true;
	nc->handle = nftnl_chain_get_u64(c, NFTNL_CHAIN_HANDLE);
	if (nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM)) {
		nc->builtin = true;
		nc->hook = (int)nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM);
		nc->prio = nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
		if (nftnl_chain_is_set(c, NFTNL_CHAIN_POLICY))
			nc->policy = (int)nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY);
	}
	if (nftnl_chain_is_set(c, NFTNL_CHAIN_PACKETS)) {
		nc->packets = nftnl_chain_get_u64(c, NFTNL_CHAIN_PACKETS);
		nc->bytes = nftnl_chain_get_u64(c, NFTNL_CHAIN_BYTES);
	}
	return nc_ruleset_add_chain(d->rs, nc);
}

static int chain_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	int ret = MNL_CB_OK, saved;

	if (!c)
		return MNL_CB_ERROR;
	if (nftnl_chain_nlmsg_parse(nlh, c) < 0 || chain_into(data, c) < 0)
		ret = MNL_CB_ERROR;
	saved = errno;
	nftnl_chain_free(c);
	errno = saved;
	return ret;
}

/* GETCHAIN for one chain (@name) or a dump of all; cb may be NULL. */
static int get_chains(struct nc_nl *nl, const char *name, mnl_cb_t cb,
		      void *data)
{
	struct nftnl_chain *req = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!req)
		return -1;
	if (nftnl_chain_set_str(req, NFTNL_CHAIN_TABLE, nl->table) < 0 ||
	    (name && nftnl_chain_set_str(req, NFTNL_CHAIN_NAME, name) < 0)) {
		nftnl_chain_free(req);
		return -1;
	}
	nlh = nftnl_nlmsg_build_hdr(nl->rx, NFT_MSG_GETCHAIN, nl->family,
				    name ? NLM_F_ACK : NLM_F_DUMP, nl->seq++);
	nftnl_chain_nlmsg_build_payload(nlh, req);
	nftnl_chain_free(req);
	return nc_nl_talk(nl, nlh, cb, data);
}

/* GETCHAIN of one chain: ENOENT means no.  The answer is a fact of the
 * generation read before it, sent with the next commit unless a read
 * since the last commit pinned one already: -A reads no rules, yet "the
 * chain is there" must still hold when it commits. */
int nc_nl_chain_exists(struct nc_nl *nl, const char *chain, struct nc_err *err)
{
	char what[320];
	uint32_t genid;

	if (!chain)
		return nc_nl_syserr(err, "Could not look up a chain", EINVAL);
	if (!nl->have_genid) {
		if (nc_nl_getgen(nl, &genid) < 0)
			return nc_nl_syserr(err, "Could not fetch rule set generation id",
					    errno);
		nl->genid = genid;
		nl->have_genid = true;
	}
	if (get_chains(nl, chain, NULL, NULL) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	snprintf(what, sizeof(what), "Could not look up chain %s", chain);
	return nc_nl_syserr(err, what, errno);
}

/* --- the whole table -------------------------------------------------- */

/* GETTABLE of the session's table: 1 there, 0 not, -1 with errno. */
static int table_exists(struct nc_nl *nl)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -1;
	if (nftnl_table_set_str(t, NFTNL_TABLE_NAME, nl->table) < 0) {
		nftnl_table_free(t);
		return -1;
	}
	nlh = nftnl_nlmsg_build_hdr(nl->rx, NFT_MSG_GETTABLE, nl->family,
				    NLM_F_ACK, nl->seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (nc_nl_talk(nl, nlh, NULL, NULL) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/* An absent builtin @name, listed like iptables-nft does. */
static int add_absent_builtin(struct nc_ruleset *rs, const char *name)
{
	const struct nc_builtin *b = nc_builtin_find(name);
	struct nc_chain *c;

	if (!b || nc_ruleset_find_chain(rs, name))
		return 0;
	c = nc_chain_new(name);
	if (!c)
		return -1;
	c->builtin = true;
	c->hook = b->hook;
	c->prio = b->prio;
	return nc_ruleset_add_chain(rs, c);
}

static int read_table(struct nc_nl *nl, const char *chain, bool with_rules,
		      struct nc_ruleset *rs, struct nc_err *err)
{
	struct chains_into cd = { nl, rs, chain };
	char what[320];
	int there = table_exists(nl);

	if (there < 0)
		return nc_nl_syserr(err, "Could not look up the table", errno);
	rs->exists = there;

	if (get_chains(nl, chain, chain_msg_cb, &cd) < 0 && errno != ENOENT) {
		snprintf(what, sizeof(what), "Could not list chains of table %s",
			 nl->table);
		return nc_nl_syserr(err, what, errno);
	}
	if (with_rules && there && nc_nl_setcache_load(nl) < 0) {
		snprintf(what, sizeof(what), "Could not list sets of table %s",
			 nl->table);
		return nc_nl_syserr(err, what, errno);
	}
	for (size_t i = 0; with_rules && i < rs->nchains; i++) {
		struct rules_into rd = { nl, rs->chains[i], rs->family };
		struct rule_walk w = { .cb = rule_into_cb, .data = &rd };

		if (rules_walk(nl, NFT_MSG_GETRULE, rs->chains[i]->name, &w) < 0) {
			snprintf(what, sizeof(what),
				 "Could not list rules of chain %s",
				 rs->chains[i]->name);
			return nc_nl_syserr(err, what, errno);
		}
	}
	if (chain ? add_absent_builtin(rs, chain) : nc_ruleset_add_builtins(rs))
		return nc_nl_syserr(err, "Could not list the table", errno);
	return 0;
}

/*
 * GETGEN, then the chains, then the rules chain by chain, then GETGEN
 * again.  Another writer's commit in between makes the view
 * inconsistent: the kernel marks the rest of a dump of several replies
 * NLM_F_DUMP_INTR (libmnl: EINTR), a chain listed first may be gone when
 * its rules are asked for (ENOENT), or the chains are read at two
 * generations.  Whatever the read gave, success or failure, it is then
 * started again from scratch, as iptables-nft does (its cache is fetched
 * again until the generation read before equals the one read after);
 * NC_NL_TRIES times in a row at most (nc_nl_again()).
 */
int nc_nl_dump(struct nc_nl *nl, const char *chain, bool with_rules,
	       struct nc_ruleset **out, struct nc_err *err)
{
	struct nc_ruleset *rs = NULL;
	uint32_t genid, after;

	*out = NULL;
	for (;;) {
		bool moved;
		int rc, saved;

		if (nc_nl_getgen(nl, &genid) < 0)
			return nc_nl_syserr(err, "Could not fetch rule set generation id",
					    errno);
		rs = nc_ruleset_new(nl->family, nl->table);
		if (!rs)
			return nc_nl_syserr(err, "Could not list the table", errno);
		rc = read_table(nl, chain, with_rules, rs, err);
		saved = errno;
		if (nc_nl_getgen(nl, &after) < 0) {
			nc_ruleset_free(rs);
			if (rc < 0)
				return -1;	/* the read's own error says more */
			return nc_nl_syserr(err, "Could not fetch rule set generation id",
					    errno);
		}
		/* moved during the read, or since an earlier read pinned
		 * the generation the commit will be checked against */
		moved = after != genid || (nl->have_genid && nl->genid != genid);
		if (!moved && rc == 0)
			break;
		nc_ruleset_free(rs);
		if (!moved) {	/* a failure of its own */
			errno = saved;
			return -1;
		}
		if (nc_nl_again(nl, err) < 0)
			return -1;
		nc_err_clear(err);	/* its warnings stay */
		if (nl->have_genid) {
			/* what was read before this dump is of a generation
			 * gone: the commit would be refused, so the caller
			 * starts again from its first read now */
			nl->stale = true;
			return -1;
		}
	}
	/* the oldest view since the last commit is the one to check */
	if (!nl->have_genid) {
		nl->genid = genid;
		nl->have_genid = true;
	}
	*out = rs;
	return 0;
}

/* A GETRULE_RESET dump whose replies are dropped. */
int nc_nl_reset_counters(struct nc_nl *nl, const char *chain, struct nc_err *err)
{
	struct rule_walk w = { 0 };
	char what[320];

	/* an interrupted dump still went on to its end: every rule of it
	 * was reset, and none is to be read */
	if (rules_walk(nl, NC_NFT_MSG_GETRULE_RESET, chain, &w) == 0 || errno == EINTR)
		return 0;
	if (chain)
		snprintf(what, sizeof(what), "Could not zero counters of chain %s",
			 chain);
	else
		snprintf(what, sizeof(what), "Could not zero counters of table %s",
			 nl->table);
	return nc_nl_syserr(err, what, errno);
}
