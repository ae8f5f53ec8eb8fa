/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the netlink backend, shared by its files (and by its
 * kernel test, which drives the batch below the nc_rule level).
 *
 * The batch is one growing buffer holding the messages between BATCH_BEGIN
 * and BATCH_END; those two are written at commit time and sent with it in
 * one sendmsg() (three iovecs, one datagram).  Message i of the batch has
 * sequence number seq0 + 1 + i, so an error from the kernel is mapped back
 * to its message, whose bytes say which object it was about; the only
 * extra state kept per message is the index of its operation name.
 */
#ifndef NATC_NL_INTERNAL_H
#define NATC_NL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include "backend/netlink/nl.h"
#include "ir/expr.h"

/* Not in the 6.1 uapi headers of Debian 12; the kernel has it since 6.3. */
#define NC_NFT_MSG_GETRULE_RESET 25

#define NC_NL_RXSIZE	(64 * 1024)	/* dump replies are at most 32 KiB */
#define NC_NL_MAXOPS	32		/* distinct operation names a batch */
#define NC_NL_OPLEN	24

struct nc_nl_batch {
	char *buf;		/* messages between begin and end */
	size_t len, cap;
	size_t populated;	/* [0, populated) is faulted in */
	size_t dirty;		/* [len, dirty) may hold old bytes, the rest
				 * is zero: libmnl 1.0.4 leaves attribute
				 * padding as it finds it */
	size_t last;		/* offset of the last message */
	uint32_t seq0;		/* sequence number of BATCH_BEGIN */
	uint32_t n;		/* messages queued */
	uint8_t *op;		/* per message: index into names */
	uint32_t *tag;		/* per message: the caller's tag (a line) */
	size_t opcap;
	uint32_t cur_tag;	/* given to messages queued from now on */
	char names[NC_NL_MAXOPS][NC_NL_OPLEN];
	unsigned nnames;
};

/* The anonymous sets of the table, read before its rules so that lookups
 * can be raised with their elements (set.c). */
struct nc_nl_cset {
	char name[NFT_SET_MAXNAMELEN];
	struct nc_set set;		/* elems owned here */
};
struct nc_nl_setcache {
	struct nc_nl_cset *v;		/* sorted by name */
	size_t n, cap;
};

/* The name every anonymous set is created with; the kernel numbers it. */
#define NC_NL_ANON_SET "__set%d"

struct nc_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;		/* next sequence number */
	uint8_t family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	char table[32];
	bool have_genid;	/* a dump happened since the last commit */
	uint32_t genid;		/* the generation it read */
	/* reads started again and commits refused, for another writer's
	 * commits, since the last commit that went through (NC_NL_TRIES) */
	unsigned tries;
	bool stale;		/* a read found the generation pinned before it
				 * gone: see nc_nl_stale() */
	int sndbuf;		/* send buffer size we asked for, 0 = default */
	struct nc_nl_batch batch;
	struct nc_exprs exprs;	/* scratch list reused for every rule */
	struct nc_nl_setcache sets;	/* of the last dump */
	uint32_t next_set_id;	/* NFTA_SET_ID of the next set queued */
	char *rx;		/* NC_NL_RXSIZE bytes, requests and replies */
	bool xt;		/* write iptables-nft's encoding (--xt) */
	bool saw_xt;		/* a dump read xt matches/targets */
	bool warned;		/* ... and the user was told, once */
	struct nc_err *warn;	/* nc_nl_open()'s: where warnings go */
};

/* expr.c: struct nc_expr <-> kernel expressions, one each way. */

/* Write @l into rule message @nlh (with room for it): its userdata, its
 * expressions and its compat attribute, as libnftnl would; the sets of @l
 * were queued with ids from @set_id0 on.  -1 with errno (EOPNOTSUPP for
 * NC_E_UNKNOWN, EINVAL for a bad length), the message then unusable. */
int nc_nl_put_exprs(struct nlmsghdr *nlh, const struct nc_exprs *l,
		    uint32_t set_id0);
/* Append the expressions of @r to @l; kinds or variants that struct
 * nc_expr cannot hold, and lookups of sets not in @sets (may be NULL),
 * become NC_E_UNKNOWN.  -1 with errno on ENOMEM. */
int nc_nl_rule_to_exprs(struct nftnl_rule *r, struct nc_exprs *l,
			const struct nc_nl_setcache *sets);

/* set.c: anonymous sets. */

/* Queue NEWSET and NEWSETELEM for each set of @l, before its rule;
 * *@set_id0 gets the id of the first (set i has id *set_id0 + i). */
int nc_nl_queue_sets(struct nc_nl *nl, const struct nc_exprs *l,
		     uint32_t *set_id0);
/* Read the table's anonymous sets and their elements into nl->sets. */
int nc_nl_setcache_load(struct nc_nl *nl);
const struct nc_set *nc_nl_setcache_find(const struct nc_nl_setcache *c,
					 const char *name);
void nc_nl_setcache_clear(struct nc_nl_setcache *c);

/* session.c: one request, its replies through @cb (may be NULL). */

/* Send the request at @nlh and read until its ack, NLMSG_DONE or error;
 * -1 with errno (the kernel's error, or @cb's). */
int nc_nl_talk(struct nc_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* The same for a dump of many replies: once the first is not the last,
 * the rest are read ahead by a thread while @cb parses (in the calling
 * thread, in order). */
int nc_nl_talk_dump(struct nc_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* Read the ruleset generation id into @genid; -1 with errno. */
int nc_nl_getgen(struct nc_nl *nl, uint32_t *genid);
/* Another writer's commit made a read or a commit start again: 0, or
 * -1 with @err set once NC_NL_TRIES of them came in a row. */
int nc_nl_again(struct nc_nl *nl, struct nc_err *err);
/* Set @err to "@what: <strerror>" with NC_ERESOURCE; returns -1. */
int nc_nl_syserr(struct nc_err *err, const char *what, int errnum);
/* Receive one datagram into nl->rx; @flags as recv(2).  Returns its
 * length or -1 with errno (EAGAIN, ENOBUFS, EINTR are left to the caller). */
ssize_t nc_nl_recv(struct nc_nl *nl, int flags);
/* Throw away replies left over from an exchange cut short. */
void nc_nl_drain(struct nc_nl *nl);

/* batch.c: queueing. */

/*
 * Start a message of @type (NFT_MSG_*) with @flags in the batch, leaving
 * at least @room bytes for it; @op names it for errors.  Returns its
 * header, or NULL with errno.  The message only counts once
 * nc_nl_batch_push() is called; otherwise the next one overwrites it.
 */
struct nlmsghdr *nc_nl_batch_start(struct nc_nl *nl, uint16_t type,
				   uint16_t flags, size_t room, const char *op);
void nc_nl_batch_push(struct nc_nl *nl, const struct nlmsghdr *nlh);
/* Give up the message started at @nlh (not pushed). */
void nc_nl_batch_drop(struct nc_nl *nl, const struct nlmsghdr *nlh);
/* Give the batch's buffers back (they are made again when needed). */
void nc_nl_batch_free(struct nc_nl_batch *b);

/* rule.c: queue a rule made of @l (the test's entry point below nc_rule). */
int nc_nl_queue_exprs(struct nc_nl *nl, const char *chain,
		      const struct nc_exprs *l, enum nc_rule_pos pos,
		      uint64_t handle, const char *op);

/* dump.c: run a rule dump (@type NFT_MSG_GETRULE or the reset variant) of
 * @chain (all chains if NULL) of the session's table.  @cb borrows each
 * rule; returning -1 with errno stops the walk and fails it. */
int nc_nl_rules_foreach(struct nc_nl *nl, uint16_t type, const char *chain,
			int (*cb)(struct nftnl_rule *r, void *data), void *data);

/* dump.c: a rule message of a dump parsed by libnftnl into @r; -1 when
 * libnftnl refuses it, or would not survive it (a message cut short, an
 * expression without its name). */
int nc_nl_rule_parse(const struct nlmsghdr *nlh, struct nftnl_rule *r);
/* dump.c: one rule message of a dump (@nlh) into a new IR rule of
 * @family: parsed by libnftnl into @nr, or, when libnftnl refused it (@nr
 * NULL), its expressions read by name only so that it still reads as a
 * rule natc cannot express.  The expressions go through @l (reset first;
 * lookups find their sets in @sets); *@saw_xt is set when they hold xt
 * matches or targets.  The rule (caller-owned), or NULL with errno.
 * Every dump goes through it; so does testsuite/fuzz/dump.c. */
struct nc_rule *nc_nl_rule_read(const struct nlmsghdr *nlh, struct nftnl_rule *nr,
				struct nc_exprs *l, const struct nc_nl_setcache *sets,
				uint8_t family, bool *saw_xt);

#endif
