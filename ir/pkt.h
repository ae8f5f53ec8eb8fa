/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A packet as --explain reasons about it: the first packet of a
 * connection, with the fields the nat hooks look at.  A field may be
 * unknown (the static audit asks "could this rule see such a packet?"):
 * known says which are.  The per-kind `packet` callback of ir/ext.h tests
 * a match against it, or tells what a target would do to it.
 */
#ifndef NATC_PKT_H
#define NATC_PKT_H

#include "ir/ir.h"

enum nc_pkt_known {
	NC_PK_PROTO = 1 << 0,
	NC_PK_SRC   = 1 << 1,
	NC_PK_DST   = 1 << 2,
	NC_PK_SPORT = 1 << 3,
	NC_PK_DPORT = 1 << 4,
	NC_PK_IIF   = 1 << 5,	/* iif is known ("" = none: local out) */
	NC_PK_OIF   = 1 << 6,	/* oif is known ("" = none: before routing) */
	NC_PK_FRAG  = 1 << 7,	/* a non-first fragment when frag is set */
	NC_PK_MARK  = 1 << 8,	/* the packet mark (skb->mark) */
};

/* What a target does with the packet (targets' packet callback). */
enum nc_pkt_act {
	NC_ACT_NONE = 0,	/* no target: on to the next rule */
	NC_ACT_ACCEPT,		/* stop: no translation in this hook */
	NC_ACT_DROP,
	NC_ACT_RETURN,
	NC_ACT_JUMP,
	NC_ACT_GOTO,
	NC_ACT_DNAT,		/* destination rewritten (DNAT, REDIRECT) */
	NC_ACT_SNAT,		/* source rewritten (SNAT, MASQUERADE) */
	NC_ACT_UNKNOWN,		/* a target whose effect natc cannot tell */
};

struct nc_pkt_act_info {
	enum nc_pkt_act act;
	const char *chain;		/* JUMP, GOTO */
	/* DNAT/SNAT: the range the rewritten side is taken from */
	bool map_addr;			/* else the address is kept */
	union nc_addr amin, amax;
	bool addr_unknown;		/* the address of an interface natc
					 * does not know (see addr_of) */
	const char *addr_of;		/* "the outgoing interface", ... */
	bool map_port;			/* else the port is kept if free */
	uint16_t pmin, pmax;		/* host order */
	bool random;			/* --random, --random-fully */
	bool netmap;			/* NETMAP: amin..amax is a prefix; the
					 * host bits of the address are kept */
	/* Targets that are no verdict (MARK, CONNMARK): the packet mark
	 * becomes (mark & ~mark_mask) ^ mark_xor when set_mark, and
	 * unknown when mark_lost (copied from the connection's mark). */
	bool set_mark, mark_lost;
	uint32_t mark_mask, mark_xor;
};

struct nc_pkt {
	uint8_t family;		/* AF_INET */
	unsigned known;		/* enum nc_pkt_known */
	uint8_t proto;
	bool frag;
	union nc_addr src, dst;
	uint16_t sport, dport;	/* host order */
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	/* Context the caller gives for MASQUERADE and REDIRECT: the source
	 * address the route out of oif would use, and iif's primary address
	 * (have_* false: unknown). */
	bool have_out_addr, have_in_addr;
	union nc_addr out_addr, in_addr;
	/* The kind of each address for this host, as the routing table
	 * says (RTN_LOCAL, RTN_UNICAST, ...; 0: unknown), for addrtype. */
	uint8_t src_type, dst_type;
	uint32_t mark;		/* NC_PK_MARK: the packet mark */
	bool dnatted;		/* its connection's destination was rewritten
				 * in an earlier hook (conntrack's DNAT state) */
	int hook;		/* NF_INET_* being walked */
	struct nc_pkt_act_info act;	/* filled by a target's callback */
};

/* Results of a match's packet callback. */
#define NC_PKT_NO	0
#define NC_PKT_YES	1
#define NC_PKT_MAYBE	(-1)	/* depends on a field that is not known */

/* Combine results: a rule matches when every part does. */
static inline int nc_pkt_and(int a, int b)
{
	if (a == NC_PKT_NO || b == NC_PKT_NO)
		return NC_PKT_NO;
	return a == NC_PKT_MAYBE || b == NC_PKT_MAYBE ? NC_PKT_MAYBE : NC_PKT_YES;
}

/* Whether @a is in prefix @net/@mask. */
static inline bool nc_addr_in(const union nc_addr *a, const union nc_addr *net,
			      const union nc_addr *mask, uint8_t family)
{
	for (size_t i = 0; i < (family == AF_INET6 ? 16u : 4u); i++)
		if ((a->b[i] & mask->b[i]) != (net->b[i] & mask->b[i]))
			return false;
	return true;
}

/* NETMAP's rewrite of @addr (a->netmap): the network's bits from the map
 * (amin), the host's kept (amax has them set). */
static inline void nc_pkt_netmap(const struct nc_pkt_act_info *a, union nc_addr *addr)
{
	for (size_t i = 0; i < sizeof(addr->b); i++) {
		uint8_t host = (uint8_t)(a->amin.b[i] ^ a->amax.b[i]);

		addr->b[i] = (uint8_t)((a->amin.b[i] & ~host) | (addr->b[i] & host));
	}
}

/* A target's mark change (p->act) applied to @p, which met the rule
 * with @m (NC_PKT_YES, or MAYBE: then a mark that may change becomes
 * unknown). */
static inline void nc_pkt_mark_effect(struct nc_pkt *p, int m)
{
	const struct nc_pkt_act_info *a = &p->act;
	uint32_t v;

	if (a->mark_lost) {
		p->known &= ~(unsigned)NC_PK_MARK;
		return;
	}
	if (!a->set_mark)
		return;
	if (!(p->known & NC_PK_MARK)) {
		/* a whole new mark is known whatever the old one was */
		if (m == NC_PKT_YES && a->mark_mask == UINT32_MAX) {
			p->mark = a->mark_xor;
			p->known |= NC_PK_MARK;
		}
		return;
	}
	v = (p->mark & ~a->mark_mask) ^ a->mark_xor;
	if (m == NC_PKT_YES)
		p->mark = v;
	else if (v != p->mark)
		p->known &= ~(unsigned)NC_PK_MARK;
}

#endif
