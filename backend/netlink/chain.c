// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Queueing table and chain operations.  Operation names are iptables-nft's,
 * so errors read the same: TABLE_ADD, CHAIN_ADD (a builtin),
 * CHAIN_USER_ADD, CHAIN_DEL, CHAIN_RENAME, CHAIN_UPDATE (policy).
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include "backend/netlink/internal.h"

#define CHAIN_ROOM 1024	/* table, name (< 256), hook, type, policy */

#ifndef NLM_F_NONREC
#define NLM_F_NONREC 0x100	/* refuse to delete a chain with rules */
#endif

/* A table message naming the session's table. */
static int queue_table(struct nc_nl *nl, uint16_t type, uint16_t flags,
		       const char *op)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -1;
	if (nftnl_table_set_str(t, NFTNL_TABLE_NAME, nl->table) < 0)
		goto fail;
	nlh = nc_nl_batch_start(nl, type, flags, 512, op);
	if (!nlh)
		goto fail;
	nftnl_table_nlmsg_build_payload(nlh, t);
	nc_nl_batch_push(nl, nlh);
	nftnl_table_free(t);
	return 0;
fail:
	nftnl_table_free(t);
	return -1;
}

/* NEWTABLE with NLM_F_CREATE: a no-op when the table exists. */
int nc_nl_add_table(struct nc_nl *nl)
{
	return queue_table(nl, NFT_MSG_NEWTABLE, NLM_F_CREATE, "TABLE_ADD");
}

/* DELTABLE: the table, its chains and rules. */
int nc_nl_del_table(struct nc_nl *nl)
{
	return queue_table(nl, NFT_MSG_DELTABLE, 0, "TABLE_DEL");
}

/* A chain object naming @name in the session's table, or NULL. */
static struct nftnl_chain *chain_obj(struct nc_nl *nl, const char *name)
{
	struct nftnl_chain *c;

	if (!name || !*name || strlen(name) >= NFT_CHAIN_MAXNAMELEN) {
		errno = EINVAL;
		return NULL;
	}
	c = nftnl_chain_alloc();
	if (!c)
		return NULL;
	if (nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, nl->table) < 0 ||
	    nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name) < 0) {
		nftnl_chain_free(c);
		return NULL;
	}
	return c;
}

/* Give @c the nat hook of builtin @b. */
static int chain_hook(struct nftnl_chain *c, const struct nc_builtin *b)
{
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)b->hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, b->prio);
	return nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "nat");
}

/* Queue @c (freed in every case). */
static int queue_chain(struct nc_nl *nl, struct nftnl_chain *c, uint16_t type,
		       uint16_t flags, const char *op)
{
	struct nlmsghdr *nlh = nc_nl_batch_start(nl, type, flags, CHAIN_ROOM, op);

	if (nlh) {
		nftnl_chain_nlmsg_build_payload(nlh, c);
		nc_nl_batch_push(nl, nlh);
	}
	nftnl_chain_free(c);
	return nlh ? 0 : -1;
}

/* NEWCHAIN with NLM_F_CREATE; builtins get hook, priority, type. */
int nc_nl_add_chain(struct nc_nl *nl, const char *chain)
{
	struct nftnl_chain *c = chain_obj(nl, chain);
	const struct nc_builtin *b;

	if (!c)
		return -1;
	b = nc_builtin_find(chain);
	if (!b)
		return queue_chain(nl, c, NFT_MSG_NEWCHAIN, NLM_F_CREATE,
				   "CHAIN_USER_ADD");
	/* no policy: an existing chain stays as it is */
	if (chain_hook(c, b) < 0) {
		nftnl_chain_free(c);
		return -1;
	}
	return queue_chain(nl, c, NFT_MSG_NEWCHAIN, NLM_F_CREATE, "CHAIN_ADD");
}

/* NEWCHAIN with NLM_F_CREATE | NLM_F_EXCL: EEXIST if it exists. */
int nc_nl_new_chain(struct nc_nl *nl, const char *chain)
{
	struct nftnl_chain *c = chain_obj(nl, chain);

	if (!c)
		return -1;
	return queue_chain(nl, c, NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_EXCL,
			   "CHAIN_USER_ADD");
}

/* DELCHAIN with NLM_F_NONREC: EBUSY while it has rules or jumps. */
int nc_nl_del_chain(struct nc_nl *nl, const char *chain)
{
	struct nftnl_chain *c = chain_obj(nl, chain);

	if (!c)
		return -1;
	return queue_chain(nl, c, NFT_MSG_DELCHAIN, NLM_F_NONREC, "CHAIN_DEL");
}

/* NEWCHAIN naming the chain by handle, with its new name. */
int nc_nl_rename_chain(struct nc_nl *nl, uint64_t handle, const char *newname)
{
	struct nftnl_chain *c;

	if (!handle) {
		errno = EINVAL;
		return -1;
	}
	c = chain_obj(nl, newname);
	if (!c)
		return -1;
	nftnl_chain_set_u64(c, NFTNL_CHAIN_HANDLE, handle);
	return queue_chain(nl, c, NFT_MSG_NEWCHAIN, 0, "CHAIN_RENAME");
}

/* NEWCHAIN with the policy; a missing builtin is created with it. */
int nc_nl_set_policy(struct nc_nl *nl, const char *chain, int verdict)
{
	return nc_nl_set_policy_counters(nl, chain, verdict, false, 0, 0);
}

/* NEWCHAIN with the policy (and counters); a missing builtin is created. */
int nc_nl_set_policy_counters(struct nc_nl *nl, const char *chain, int verdict,
			      bool counters, uint64_t packets, uint64_t bytes)
{
	const struct nc_builtin *b = nc_builtin_find(chain ? chain : "");
	struct nftnl_chain *c;
	uint16_t flags = 0;

	if (verdict != NF_ACCEPT && verdict != NF_DROP) {
		errno = EINVAL;
		return -1;
	}
	c = chain_obj(nl, chain);
	if (!c)
		return -1;
	/* a builtin is created with its policy if it does not exist yet */
	if (b) {
		if (chain_hook(c, b) < 0) {
			nftnl_chain_free(c);
			return -1;
		}
		flags = NLM_F_CREATE;
	}
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, (uint32_t)verdict);
	if (counters) {
		nftnl_chain_set_u64(c, NFTNL_CHAIN_PACKETS, packets);
		nftnl_chain_set_u64(c, NFTNL_CHAIN_BYTES, bytes);
	}
	return queue_chain(nl, c, NFT_MSG_NEWCHAIN, flags, "CHAIN_UPDATE");
}
