// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NETMAP: map a whole network onto another, keeping the host part; the
 * destination in PREROUTING and OUTPUT, the source in POSTROUTING and
 * INPUT (the kernel allows it in those four hooks only).  Kernel, as nft
 * writes `dnat ip prefix to 10.10.0.0/24`: the first and last address of
 * the network in two immediates and `nat dnat|snat addr_min reg1
 * addr_max reg2 flags netmap`.
 *
 * The native form must say dnat or snat, so natc decides by the rule's
 * builtin chain.  In a user chain (reachable from either side) the hook is
 * unknown: natc writes iptables' xt target, which decides per
 * packet, as iptables-nft does.  A NETMAP read back from an xt target has
 * no side either, and equals the same NETMAP typed in any chain.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter/nf_nat.h>
#include "ir/ext.h"
#include "ir/pkt.h"
#include "ir/parse.h"

enum { O_TO };
enum { SIDE_UNKNOWN, SIDE_DST, SIDE_SRC };	/* NFT_NAT_SNAT is 0 */

struct netmap {
	union nc_addr addr;	/* the network, host bits cleared */
	uint32_t plen;
	uint32_t side;		/* SIDE_*: which address the hook maps */
	uint32_t given;		/* parse-time only; zeroed by check */
};

static const struct nc_ext_opt netmap_opts[] = {
	{ "to", O_TO, NC_EXTOPT_ARG },
	{ 0 }
};

static uint32_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static int bad_mask(uint8_t family, const struct nc_loc *loc, struct nc_err *err)
{
	return nc_err_param(err, loc,
		"NETMAP: bad value for option \"--to\", neither a valid network mask nor valid CIDR (0-%u).\n",
		alen(family) * 8);
}

/* "/N" (as strtoul base 0 reads it) or "/MASK"; -1 with the message. */
static int parse_plen(const char *s, uint8_t family, uint32_t *plen,
		      const struct nc_loc *loc, struct nc_err *err)
{
	bool dotted = family == AF_INET6 ? strchr(s, ':') != NULL
					 : strchr(s, '.') != NULL;
	union nc_addr m;
	unsigned long v;
	char *end;
	int bits;

	if (dotted) {
		if (nc_parse_addr_numeric(s, family, &m) < 0)
			return bad_mask(family, loc, err);
		bits = nc_mask_to_prefix(&m, family);
		/* iptables 1.8.9 takes a mask with holes as /32 */
		if (bits < 0)
			return nc_err_param(err, loc,
				"NETMAP: network mask `%s' is not contiguous", s);
		*plen = (uint32_t)bits;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return bad_mask(family, loc, err);
	errno = 0;
	v = strtoul(s, &end, 0);
	/* iptables 1.8.9 takes a length over the address size as the
	 * whole address */
	if (errno || *end || v > alen(family) * 8)
		return bad_mask(family, loc, err);
	*plen = (uint32_t)v;
	return 0;
}

static int parse_host(const char *s, uint8_t family, union nc_addr *a,
		      const struct nc_loc *loc, struct nc_err *err)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_RAW };
	struct addrinfo *res;
	int rc;

	if (!nc_parse_addr_numeric(s, family, a))
		return 0;
	rc = getaddrinfo(s, NULL, &hints, &res);
	if (rc)
		return nc_err_param(err, loc, "getaddrinfo: %s\n", gai_strerror(rc));
	memset(a, 0, sizeof(*a));
	if (family == AF_INET6)
		a->in6 = ((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
	else
		a->in = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

static int netmap_parse(struct nc_ext *e, struct nc_rule *r,
			const struct nc_ext_opt *opt, bool inv, const char *arg,
			const struct nc_loc *loc, struct nc_err *err)
{
	struct netmap *n = e->data;
	char buf[256], *slash;
	union nc_addr m;

	(void)inv;
	if (n->given)
		return nc_err_param(err, loc,
			"NETMAP: option \"--to\" can only be used once.\n");
	n->given = 1;
	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return nc_err_param(err, loc, "getaddrinfo: %s\n",
				    gai_strerror(EAI_NONAME));
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	n->plen = alen(r->family) * 8;
	if (slash && parse_plen(slash, r->family, &n->plen, loc, err) < 0)
		return -1;
	if (parse_host(buf, r->family, &n->addr, loc, err) < 0)
		return -1;
	nc_prefix_to_mask((int)n->plen, r->family, &m);
	for (size_t i = 0; i < 16; i++)
		n->addr.b[i] &= m.b[i];
	return 0;
}

static int netmap_check(struct nc_ext *e, const struct nc_rule *r,
			struct nc_err *err)
{
	struct netmap *n = e->data;

	(void)r;
	if (!n->given)
		return nc_err_param(err, &e->loc,
			"NETMAP: option \"--to\" must be specified\n");
	n->given = 0;
	return 0;
}

static int netmap_at_hook(struct nc_ext *e, int hook,
			  const struct nc_loc *chain_loc, struct nc_err *err)
{
	struct netmap *n = e->data;

	(void)chain_loc;
	(void)err;
	switch (hook) {
	case NF_INET_PRE_ROUTING:
	case NF_INET_LOCAL_OUT:
		n->side = SIDE_DST;
		break;
	case NF_INET_POST_ROUTING:
	case NF_INET_LOCAL_IN:
		n->side = SIDE_SRC;
		break;
	default:
		n->side = SIDE_UNKNOWN;	/* a user chain: the xt target */
		break;
	}
	return 0;
}

static bool netmap_equal(const struct nc_ext *a, const struct nc_ext *b,
			 const struct nc_rule *r)
{
	const struct netmap *x = a->data, *y = b->data;

	return !memcmp(x->addr.b, y->addr.b, sizeof(x->addr.b)) &&
	       x->plen == y->plen &&
	       (x->side == y->side || !x->side || !y->side);
}

static void out(const struct nc_ext *e, const struct nc_rule *r,
		struct nc_buf *b, const char *lead)
{
	const struct netmap *n = e->data;
	char s[INET6_ADDRSTRLEN];

	inet_ntop(r->family, n->addr.b, s, sizeof(s));
	nc_buf_printf(b, "%s%s/%u", lead, s, n->plen);
}

static void netmap_save(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b)
{
	out(e, r, b, " --to ");
}

static void netmap_print(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b, unsigned fmt)
{
	(void)fmt;
	out(e, r, b, " to:");
}

/* --explain: the side is the hook's, as the kernel decides per packet */
static void netmap_describe(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_buf *b)
{
	const struct netmap *n = e->data;
	static const char *const what[] = {
		[SIDE_UNKNOWN] = ("destination (PREROUTING, OUTPUT) or source "
				  "(POSTROUTING, INPUT) network"),
		[SIDE_DST] = "destination network",
		[SIDE_SRC] = "source network",
	};

	nc_buf_printf(b, "%s mapped to", what[n->side <= SIDE_SRC ? n->side : 0]);
	out(e, r, b, " ");
	nc_buf_puts(b, " (the host part of the address kept)");
}

static int netmap_packet(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_pkt *p)
{
	const struct netmap *n = e->data;
	struct nc_pkt_act_info *a = &p->act;
	union nc_addr m;

	memset(a, 0, sizeof(*a));
	switch (p->hook) {
	case NF_INET_PRE_ROUTING:
	case NF_INET_LOCAL_OUT:
		a->act = NC_ACT_DNAT;
		break;
	case NF_INET_POST_ROUTING:
	case NF_INET_LOCAL_IN:
		a->act = NC_ACT_SNAT;
		break;
	default:
		a->act = NC_ACT_UNKNOWN;
		return NC_PKT_YES;
	}
	nc_prefix_to_mask((int)n->plen, r->family, &m);
	a->map_addr = true;
	a->netmap = true;
	a->amin = n->addr;
	for (size_t i = 0; i < sizeof(m.b); i++)
		a->amax.b[i] = (uint8_t)(n->addr.b[i] | ~m.b[i]);
	return NC_PKT_YES;
}

static int netmap_linearize(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_exprs *outl)
{
	const struct netmap *n = e->data;
	union nc_addr m, last;
	struct nc_expr *x;

	if (n->side == SIDE_UNKNOWN)
		return 1;	/* the xt target, which finds its hook */
	nc_prefix_to_mask((int)n->plen, r->family, &m);
	for (size_t i = 0; i < 16; i++)
		last.b[i] = (uint8_t)(n->addr.b[i] | ~m.b[i]);
	if (nc_expr_imm_data(outl, NFT_REG_1, n->addr.b, alen(r->family)) < 0 ||
	    nc_expr_imm_data(outl, NFT_REG_2, last.b, alen(r->family)) < 0)
		return -1;
	x = nc_exprs_add(outl, NC_E_NAT);
	if (!x)
		return -1;
	x->u.nat.type = n->side == SIDE_DST ? NFT_NAT_DNAT : NFT_NAT_SNAT;
	x->u.nat.family = r->family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	x->u.nat.reg_addr_min = NFT_REG_1;
	x->u.nat.reg_addr_max = NFT_REG_2;
	x->u.nat.flags = NF_NAT_RANGE_NETMAP;
	return 0;
}

/* nft text: `dnat ip prefix to 198.51.100.0/24` (snat on the source
 * side); in a user chain natc sends the xt target, which has none */
static int netmap_xlate(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_xlate *x)
{
	const struct netmap *n = e->data;

	if (n->side == SIDE_UNKNOWN) {
		x->why = "NETMAP outside a builtin chain has no nft text (dnat or snat depends on the hook)";
		return -1;
	}
	nc_buf_printf(x->b, " %s %s prefix", n->side == SIDE_DST ? "dnat" : "snat",
		      r->family == AF_INET6 ? "ip6" : "ip");
	out(e, r, x->b, " to ");
	return 0;
}

static const struct nc_expr *imm(const struct nc_expr_cursor *c, size_t i,
				 uint32_t reg, uint32_t len)
{
	const struct nc_expr *x = nc_cursor_peek(c, i);

	if (!x || x->type != NC_E_IMMEDIATE || x->u.imm.dreg != reg ||
	    x->u.imm.len != len)
		return NULL;
	return x;
}

static int netmap_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	uint32_t len = alen(r->family), flags;
	const struct nc_expr *lo, *hi, *x;
	union nc_addr m = { 0 };
	struct netmap *n;
	int plen;

	x = nc_cursor_peek(c, 2);
	if (!x || x->type != NC_E_NAT)
		return 0;
	flags = x->u.nat.flags & ~(uint32_t)NF_NAT_RANGE_MAP_IPS;
	if (flags != NF_NAT_RANGE_NETMAP || x->u.nat.reg_proto_min ||
	    x->u.nat.reg_proto_max ||
	    x->u.nat.family != (r->family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4) ||
	    !(lo = imm(c, 0, x->u.nat.reg_addr_min, len)) ||
	    !(hi = imm(c, 1, x->u.nat.reg_addr_max, len)) || lo == hi)
		return 0;
	/* the network: the bits both ends share */
	for (size_t i = 0; i < len; i++) {
		if (lo->u.imm.data[i] & ~hi->u.imm.data[i])
			return 0;
		m.b[i] = (uint8_t)~(lo->u.imm.data[i] ^ hi->u.imm.data[i]);
	}
	plen = nc_mask_to_prefix(&m, r->family);
	if (plen < 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (lo->u.imm.data[i] & ~m.b[i])
			return 0;
	if (nc_rule_set_target(r, &nc_ext_netmap) < 0)
		return -1;
	n = r->target.data;
	memcpy(n->addr.b, lo->u.imm.data, len);
	n->plen = (uint32_t)plen;
	n->side = x->u.nat.type == NFT_NAT_DNAT ? SIDE_DST : SIDE_SRC;
	c->pos += 3;
	return 1;
}

const struct nc_ext_ops nc_ext_netmap = {
	.name = "NETMAP",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct netmap),
	.opts = netmap_opts,
	.hooks = NC_HOOK(NF_INET_PRE_ROUTING) | NC_HOOK(NF_INET_LOCAL_OUT) |
		 NC_HOOK(NF_INET_POST_ROUTING) | NC_HOOK(NF_INET_LOCAL_IN),
	.parse = netmap_parse,
	.check = netmap_check,
	.at_hook = netmap_at_hook,
	.equal = netmap_equal,
	.save = netmap_save,
	.print = netmap_print,
	.linearize = netmap_linearize,
	.delinearize = netmap_delinearize,
	.xlate = netmap_xlate,
	.describe = netmap_describe,
	.packet = netmap_packet,
};
