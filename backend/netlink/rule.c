// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Queueing rule operations.  A rule is lowered by the IR
 * (nc_rule_linearize) into the session's scratch expression list, which
 * is written straight into the batch (nc_nl_put_exprs).
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include "backend/netlink/internal.h"
#include "ir/ext.h"
#include "parser/parser.h"

/* Room for one rule message: header, table, chain, handles, and a bound
 * on any expression nc_nl_put_exprs() writes (the widest, a bitwise
 * or a jump, takes about 130 bytes). */
#define RULE_ROOM(l) (1024 + ((l) ? 256 * (l)->n + (l)->alen : 0))

/* What names the rule and its place: @id names a new rule in this batch;
 * @position/@position_id the rule it goes next to. */
struct rule_msg {
	uint64_t handle, position;
	uint32_t id, position_id;
};

static int queue_rule(struct nc_nl *nl, uint16_t type, uint16_t flags,
		      const char *chain, const struct nc_exprs *l,
		      const struct rule_msg *m, const char *op)
{
	struct nlmsghdr *nlh;
	uint32_t set_id0 = 0;

	if (!chain || !*chain || strlen(chain) >= NFT_CHAIN_MAXNAMELEN) {
		errno = EINVAL;
		return -1;
	}
	/* the rule's anonymous sets go first, in the same batch */
	if (l && l->nsets && nc_nl_queue_sets(nl, l, &set_id0) < 0)
		return -1;
	nlh = nc_nl_batch_start(nl, type, flags, RULE_ROOM(l), op);
	if (!nlh)
		return -1;
	/* the attributes in libnftnl's order */
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, nl->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (m->handle)
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(m->handle));
	if (m->position)
		mnl_attr_put_u64(nlh, NFTA_RULE_POSITION, htobe64(m->position));
	if (l && nc_nl_put_exprs(nlh, l, set_id0) < 0) {
		int saved = errno;

		nc_nl_batch_drop(nl, nlh);	/* not pushed */
		errno = saved;
		return -1;
	}
	if (m->id)
		mnl_attr_put_u32(nlh, NFTA_RULE_ID, htonl(m->id));
	if (m->position_id)
		mnl_attr_put_u32(nlh, NFTA_RULE_POSITION_ID, htonl(m->position_id));
	nc_nl_batch_push(nl, nlh);
	return 0;
}

/* NEWRULE of @l at @pos (NLM_F_APPEND and NFTA_RULE_POSITION). */
int nc_nl_queue_exprs(struct nc_nl *nl, const char *chain,
		      const struct nc_exprs *l, enum nc_rule_pos pos,
		      uint64_t handle, const char *op)
{
	uint16_t flags = NLM_F_CREATE;

	switch (pos) {
	case NC_POS_APPEND:
		flags |= NLM_F_APPEND;
		handle = 0;
		break;
	case NC_POS_FIRST:
		handle = 0;
		break;
	case NC_POS_AFTER:
		flags |= NLM_F_APPEND;
		/* fall through */
	case NC_POS_BEFORE:
		if (!handle) {
			errno = EINVAL;
			return -1;
		}
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (!op)
		op = pos == NC_POS_APPEND ? "RULE_APPEND" : "RULE_INSERT";
	return queue_rule(nl, NFT_MSG_NEWRULE, flags, chain, l,
			  &(struct rule_msg){ .position = handle }, op);
}

/* Whether iptables-nft 1.8.9 can decode every expression of @l. */
static bool iptables_reads(const struct nc_exprs *l)
{
	for (size_t i = 0; i < l->n; i++)
		switch (l->v[i].type) {
		case NC_E_NAT: case NC_E_MASQ: case NC_E_REDIR: case NC_E_CT:
		case NC_E_NUMGEN: case NC_E_FIB: case NC_E_UNKNOWN:
			return false;
		default:
			break;
		}
	return true;
}

/* Lower @r into the session's scratch list. */
static const struct nc_exprs *lower(struct nc_nl *nl, const struct nc_rule *r)
{
	int rc;

	nc_exprs_reset(&nl->exprs);
	rc = nl->xt ? nc_rule_linearize_xt(r, &nl->exprs, nc_parse_line)
		    : nc_rule_linearize(r, &nl->exprs, nc_parse_line);
	if (rc < 0)
		return NULL;
	if (!nl->xt && nl->saw_xt && !nl->warned && !iptables_reads(&nl->exprs)) {
		nl->warned = true;
		nc_err_warn(nl->warn, &(struct nc_loc){ .line = nl->batch.cur_tag },
			"table `%s' holds rules written by iptables-nft; with "
			"natc's native expressions in it, iptables-nft will no "
			"longer be able to list it (natc --xt writes rules as "
			"iptables-nft does)", nl->table);
	}
	return &nl->exprs;
}

/* Lower @r and queue it at @pos; @op NULL: RULE_APPEND/RULE_INSERT. */
int nc_nl_add_rule(struct nc_nl *nl, const char *chain, const struct nc_rule *r,
		   enum nc_rule_pos pos, uint64_t handle, const char *op)
{
	const struct nc_exprs *l = lower(nl, r);

	return l ? nc_nl_queue_exprs(nl, chain, l, pos, handle, op) : -1;
}

void nc_nl_set_xt(struct nc_nl *nl, bool on)
{
	nl->xt = on;
}

bool nc_nl_writes_xt(const struct nc_nl *nl)
{
	return nl->xt;
}

bool nc_nl_stale(const struct nc_nl *nl)
{
	return nl->stale;
}

/* NEWRULE with NLM_F_REPLACE on @handle. */
int nc_nl_replace_rule(struct nc_nl *nl, const char *chain, uint64_t handle,
		       const struct nc_rule *r)
{
	const struct nc_exprs *l;

	if (!handle) {
		errno = EINVAL;
		return -1;
	}
	l = lower(nl, r);
	if (!l)
		return -1;
	return queue_rule(nl, NFT_MSG_NEWRULE, NLM_F_REPLACE, chain, l,
			  &(struct rule_msg){ .handle = handle }, "RULE_REPLACE");
}

/* DELRULE of @handle. */
int nc_nl_del_rule(struct nc_nl *nl, const char *chain, uint64_t handle)
{
	if (!handle) {
		errno = EINVAL;
		return -1;
	}
	return queue_rule(nl, NFT_MSG_DELRULE, 0, chain, NULL,
			  &(struct rule_msg){ .handle = handle }, "RULE_DELETE");
}

/* DELRULE naming only the chain: all its rules. */
int nc_nl_flush_chain(struct nc_nl *nl, const char *chain)
{
	return queue_rule(nl, NFT_MSG_DELRULE, 0, chain, NULL,
			  &(struct rule_msg){ 0 }, "RULE_FLUSH");
}

/* NEWRULE of @r named @id in this batch (0: unnamed), placed by @pos
 * relative to @at, a kernel rule (handle) or one of this batch (id). */
int nc_nl_add_rule_ref(struct nc_nl *nl, const char *chain, const struct nc_rule *r,
		       enum nc_rule_pos pos, const struct nc_rule_ref *at,
		       uint32_t id, const char *op)
{
	const struct nc_exprs *l = lower(nl, r);
	struct rule_msg m = { .id = id };
	uint16_t flags = NLM_F_CREATE;

	if (!l)
		return -1;
	if (pos == NC_POS_APPEND || pos == NC_POS_AFTER)
		flags |= NLM_F_APPEND;
	if (pos == NC_POS_BEFORE || pos == NC_POS_AFTER) {
		if (!at || (!at->handle && !at->id)) {
			errno = EINVAL;
			return -1;
		}
		m.position = at->handle;
		m.position_id = at->handle ? 0 : at->id;
	}
	if (!op)
		op = pos == NC_POS_APPEND ? "RULE_APPEND" : "RULE_INSERT";
	return queue_rule(nl, NFT_MSG_NEWRULE, flags, chain, l, &m, op);
}

/* DELRULE of a kernel rule (handle) or one queued in this batch (id). */
int nc_nl_del_rule_ref(struct nc_nl *nl, const char *chain,
		       const struct nc_rule_ref *which)
{
	struct rule_msg m = { .handle = which->handle };

	if (!which->handle && !which->id) {
		errno = EINVAL;
		return -1;
	}
	if (!which->handle)
		m.id = which->id;
	return queue_rule(nl, NFT_MSG_DELRULE, 0, chain, NULL, &m, "RULE_DELETE");
}
