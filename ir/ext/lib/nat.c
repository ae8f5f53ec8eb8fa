// SPDX-License-Identifier: GPL-2.0-or-later
/* NAT ranges shared by DNAT, SNAT, MASQUERADE and REDIRECT. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include "ir/ext/lib/nat.h"
#include "ir/addr.h"
#include "ir/parse.h"

bool nc_nat_proto_has_ports(const struct nc_rule *r)
{
	if (r->invflags & NC_INV_PROTO)
		return false;
	switch (r->proto) {
	case IPPROTO_TCP: case IPPROTO_UDP: case IPPROTO_SCTP:
	case IPPROTO_DCCP: case IPPROTO_ICMP:	/* ICMP: the id is mapped */
		return true;
	}
	return false;
}

int nc_nat_once(struct nc_nat *n, const struct nc_ext *e, unsigned bit,
		const char *optname, const struct nc_loc *loc, struct nc_err *err)
{
	if (n->given & (1u << bit))
		return nc_err_param(err, loc,
			"%s: option \"--%s\" can only be used once.\n",
			e->ops->name, optname);
	n->given |= (uint8_t)(1u << bit);
	return 0;
}

static int parse_port(const char *s, uint16_t *port, const char *whole,
		      const struct nc_loc *loc, struct nc_err *err)
{
	unsigned long v;

	/* natc refuses port 0 (iptables 1.8.9 accepts it and the kernel
	 * then maps to an arbitrary port) */
	if (nc_parse_uint(s, 1, 65535, &v) < 0)
		return nc_err_param(err, loc, "Port `%s' not valid", whole);
	*port = (uint16_t)v;
	return 0;
}

static int parse_port_range(struct nc_nat *n, const struct nc_rule *r,
			    const char *s, bool offset_ok,
			    const struct nc_loc *loc, struct nc_err *err)
{
	char buf[64];
	char *dash, *slash;
	size_t len = strlen(s);

	if (!nc_nat_proto_has_ports(r))
		return nc_err_param(err, loc,
			"Need TCP, UDP, SCTP or DCCP with port specification");
	if (len >= sizeof(buf))
		return nc_err_param(err, loc, "Port `%s' not valid", s);
	memcpy(buf, s, len + 1);
	slash = strchr(buf, '/');
	if (slash) {
		/* DNAT's shifted port map: the port range is moved so that
		 * BASE maps to its first port (NF_NAT_RANGE_PROTO_OFFSET) */
		if (!strchr(buf, '-'))
			return nc_err_param(err, loc,
				"Garbage after port value: `%s'", slash);
		if (!offset_ok)
			return nc_err_param(err, loc,
				"a shifted port map (`%s') is only for DNAT", slash);
		*slash++ = '\0';
		if (parse_port(slash, &n->base_port, slash, loc, err) < 0)
			return -1;
		n->flags |= NF_NAT_RANGE_PROTO_OFFSET;
	}
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (parse_port(buf, &n->min_port, s, loc, err) < 0)
		return -1;
	n->max_port = n->min_port;
	if (dash) {
		if (parse_port(dash + 1, &n->max_port, s, loc, err) < 0)
			return -1;
		if (n->max_port < n->min_port)
			return nc_err_param(err, loc, "Port range `%s' funky",
					    dash + 1);
	}
	n->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	return 0;
}

int nc_nat_parse_ports(struct nc_nat *n, const struct nc_rule *r, const char *arg,
		       const struct nc_loc *loc, struct nc_err *err)
{
	return parse_port_range(n, r, arg, false, loc, err);
}

static int addr_cmp(const union nc_addr *a, const union nc_addr *b, uint8_t family)
{
	return memcmp(a->b, b->b, family == AF_INET6 ? 16 : 4);
}

static int parse_addr_range(struct nc_nat *n, uint8_t family, char *s,
			    const char *whole, const struct nc_loc *loc,
			    struct nc_err *err)
{
	char *dash = strchr(s, '-');

	if (dash)
		*dash = '\0';
	/* whole addresses only: iptables takes no short forms here */
	memset(&n->min_addr, 0, sizeof(n->min_addr));
	if (inet_pton(family, s, n->min_addr.b) != 1)
		return nc_err_param(err, loc, "Bad IP address \"%s\"", s);
	n->max_addr = n->min_addr;
	if (dash) {
		if (inet_pton(family, dash + 1, n->max_addr.b) != 1)
			return nc_err_param(err, loc, "Bad IP address \"%s\"", dash + 1);
		/* iptables 1.8.9 accepts a reversed range; natc refuses it */
		if (addr_cmp(&n->min_addr, &n->max_addr, family) > 0)
			return nc_err_param(err, loc,
				"Bad IP range \"%s\": first address is after the last",
				whole);
	}
	n->flags |= NF_NAT_RANGE_MAP_IPS;
	return 0;
}

/*
 * "[addr[-addr]][:port[-port[/base]]]" read as iptables 1.8.9 reads it
 * (libxt_NAT.c, parse_to), ports first: without brackets one colon starts
 * the ports and two or more make an address (so "::1" is refused by natc
 * as a bad IPv4 address, and "10.0.0.1:80" by natc6 for its address, not
 * its port); brackets are for IPv6 only, and the text after "]" is read
 * from its first colon on, so "[a]-[b]" reads "db8::9]" as its ports and
 * is refused there as ip6tables refuses it.  iptables also drops the
 * address of "ab:80" (two characters before the colon, as in "[]:80");
 * natc takes that for "[]:80" only and refuses "ab" as an address.
 */
int nc_nat_parse_range(struct nc_nat *n, const struct nc_rule *r, const char *arg,
		       bool offset_ok, const struct nc_loc *loc, struct nc_err *err)
{
	char buf[128], *start, *colon;
	size_t len = strlen(arg);

	if (len >= sizeof(buf))
		return nc_err_param(err, loc, "Bad IP address \"%s\"", arg);
	memcpy(buf, arg, len + 1);
	start = strchr(buf, '[');
	if (!start) {
		start = buf;
		colon = strchr(buf, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;	/* an address, not a port */
	} else {
		char *end = strchr(++start, ']');

		if (!end || r->family != AF_INET6)
			return nc_err_param(err, loc, "Invalid address format");
		*end = '\0';
		colon = strchr(end + 1, ':');
	}
	if (colon) {
		if (parse_port_range(n, r, colon + 1, offset_ok, loc, err) < 0)
			return -1;
		if (colon == buf || (colon == buf + 2 && !*start))
			return 0;	/* ":80", "[]:80": no address */
		*colon = '\0';
	}
	return parse_addr_range(n, r->family, start, arg, loc, err);
}

void nc_nat_print_ports(const struct nc_nat *n, struct nc_buf *b)
{
	nc_buf_putu(b, n->min_port);
	if (n->max_port != n->min_port) {
		nc_buf_putc(b, '-');
		nc_buf_putu(b, n->max_port);
	}
}

void nc_nat_print_range(const struct nc_nat *n, uint8_t family, struct nc_buf *b)
{
	bool v6 = family == AF_INET6;

	if (n->flags & NF_NAT_RANGE_MAP_IPS) {
		if (v6 && (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED))
			nc_buf_putc(b, '[');
		nc_addr_put(b, family, &n->min_addr);
		if (addr_cmp(&n->min_addr, &n->max_addr, family)) {
			nc_buf_putc(b, '-');
			nc_addr_put(b, family, &n->max_addr);
		}
		if (v6 && (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED))
			nc_buf_putc(b, ']');
	}
	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		nc_buf_putc(b, ':');
		nc_nat_print_ports(n, b);
		if (n->flags & NF_NAT_RANGE_PROTO_OFFSET) {
			nc_buf_putc(b, '/');
			nc_buf_putu(b, n->base_port);
		}
	}
}

int nc_nat_linearize(const struct nc_nat *n, uint8_t family, enum nc_expr_type type,
		     uint32_t nat_type, struct nc_exprs *out)
{
	uint32_t reg = NFT_REG_1, amin = 0, amax = 0, pmin = 0, pmax = 0;
	uint32_t alen = family == AF_INET6 ? 16 : 4;
	uint16_t port;
	struct nc_expr *x;

	if (n->flags & NF_NAT_RANGE_MAP_IPS) {
		if (nc_expr_imm_data(out, amin = reg++, n->min_addr.b, alen) < 0)
			return -1;
		amax = amin;
		if (addr_cmp(&n->min_addr, &n->max_addr, family) &&
		    nc_expr_imm_data(out, amax = reg++, n->max_addr.b, alen) < 0)
			return -1;
	}
	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		port = htons(n->min_port);
		if (nc_expr_imm_data(out, pmin = reg++, &port, 2) < 0)
			return -1;
		pmax = pmin;
		port = htons(n->max_port);
		if (n->max_port != n->min_port &&
		    nc_expr_imm_data(out, pmax = reg++, &port, 2) < 0)
			return -1;
	}
	x = nc_exprs_add(out, type);
	if (!x)
		return -1;
	if (type == NC_E_NAT) {
		x->u.nat.type = nat_type;
		x->u.nat.family = family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		x->u.nat.reg_addr_min = amin;
		x->u.nat.reg_addr_max = amax;
		x->u.nat.reg_proto_min = pmin;
		x->u.nat.reg_proto_max = pmax;
		x->u.nat.flags = n->flags;
	} else {
		x->u.masq.reg_proto_min = pmin;
		x->u.masq.reg_proto_max = pmax;
		x->u.masq.flags = n->flags;
	}
	return 0;
}

/* The value an immediate before the cursor put into @reg, or NULL. */
static const struct nc_expr *reg_value(const struct nc_expr_cursor *c, size_t nimm,
				       uint32_t reg)
{
	for (size_t i = 0; i < nimm; i++) {
		const struct nc_expr *x = nc_cursor_peek(c, i);

		if (x->u.imm.dreg == reg)
			return x;
	}
	return NULL;
}

static int load_addr(const struct nc_expr_cursor *c, size_t nimm, uint32_t reg,
		     uint32_t alen, union nc_addr *a)
{
	const struct nc_expr *x = reg_value(c, nimm, reg);

	if (!x || x->u.imm.len != alen)
		return -1;
	memset(a, 0, sizeof(*a));
	memcpy(a->b, x->u.imm.data, alen);
	return 0;
}

static int load_port(const struct nc_expr_cursor *c, size_t nimm, uint32_t reg,
		     uint16_t *port)
{
	const struct nc_expr *x = reg_value(c, nimm, reg);

	if (!x || x->u.imm.len != 2)
		return -1;
	*port = (uint16_t)(x->u.imm.data[0] << 8 | x->u.imm.data[1]);
	return 0;
}

int nc_nat_delinearize(struct nc_nat *n, uint8_t family, enum nc_expr_type type,
		       uint32_t nat_type, struct nc_expr_cursor *c)
{
	uint32_t alen = family == AF_INET6 ? 16 : 4, pmin, pmax;
	const struct nc_expr *x;
	size_t nimm = 0;

	while ((x = nc_cursor_peek(c, nimm)) && x->type == NC_E_IMMEDIATE &&
	       x->u.imm.dreg != NFT_REG_VERDICT)
		nimm++;
	if (!x || x->type != type)
		return 0;
	memset(n, 0, sizeof(*n));
	if (type == NC_E_NAT) {
		if (x->u.nat.type != nat_type ||
		    (x->u.nat.flags & NF_NAT_RANGE_NETMAP))	/* NETMAP's */
			return 0;
		n->flags = x->u.nat.flags;
		if (x->u.nat.reg_addr_min) {
			if (load_addr(c, nimm, x->u.nat.reg_addr_min, alen, &n->min_addr) < 0 ||
			    load_addr(c, nimm, x->u.nat.reg_addr_max ? x->u.nat.reg_addr_max :
				      x->u.nat.reg_addr_min, alen, &n->max_addr) < 0)
				return 0;
			n->flags |= NF_NAT_RANGE_MAP_IPS;
		}
		pmin = x->u.nat.reg_proto_min;
		pmax = x->u.nat.reg_proto_max;
	} else {
		n->flags = x->u.masq.flags;
		pmin = x->u.masq.reg_proto_min;
		pmax = x->u.masq.reg_proto_max;
	}
	if (pmin) {
		if (load_port(c, nimm, pmin, &n->min_port) < 0 ||
		    load_port(c, nimm, pmax ? pmax : pmin, &n->max_port) < 0)
			return 0;
		n->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	}
	c->pos += nimm + 1;
	return 1;
}

static const struct nc_nat_kind *nat_ops(const struct nc_ext *e)
{
	return e->ops->priv;
}

int nc_nat_target_parse(struct nc_ext *e, struct nc_rule *r,
			const struct nc_ext_opt *opt, bool inv, const char *arg,
			const struct nc_loc *loc, struct nc_err *err)
{
	const struct nc_nat_kind *nops = nat_ops(e);
	struct nc_nat *n = e->data;

	if (nc_nat_once(n, e, (unsigned)opt->id, opt->name, loc, err) < 0)
		return -1;
	switch (opt->id) {
	case NC_NAT_O_TO:
		if (nops->expr == NC_E_NAT)
			return nc_nat_parse_range(n, r, arg, nops->port_offset,
						  loc, err);
		return nc_nat_parse_ports(n, r, arg, loc, err);
	case NC_NAT_O_RANDOM:
		n->flags |= NF_NAT_RANGE_PROTO_RANDOM;
		return 0;
	case NC_NAT_O_RANDOM_FULLY:
		n->flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
		return 0;
	default:
		n->flags |= NF_NAT_RANGE_PERSISTENT;
		return 0;
	}
}

int nc_nat_target_check(struct nc_ext *e, const struct nc_rule *r,
			struct nc_err *err)
{
	const struct nc_nat_kind *nops = nat_ops(e);
	struct nc_nat *n = e->data;

	/* DNAT and SNAT need their address; MASQUERADE and REDIRECT not */
	if (nops->expr == NC_E_NAT && !(n->given & (1u << NC_NAT_O_TO)))
		return nc_err_param(err, &e->loc,
			"%s: option \"--%s\" must be specified\n",
			e->ops->name, nops->to_opt);
	n->given = 0;	/* parse-time state: instances compare equal */
	return 0;
}

static void flags_out(const struct nc_nat *n, struct nc_buf *b, const char *dashes)
{
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nc_buf_printf(b, " %srandom", dashes);
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY)
		nc_buf_printf(b, " %srandom-fully", dashes);
	if (n->flags & NF_NAT_RANGE_PERSISTENT)
		nc_buf_printf(b, " %spersistent", dashes);
}

/* -S (" --to-destination A --random") and -L (" to:A random") forms */
static void target_out(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b, bool save)
{
	const struct nc_nat_kind *nops = nat_ops(e);
	const struct nc_nat *n = e->data;
	bool ports_only = nops->expr != NC_E_NAT;

	if (!ports_only || (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
		if (save)
			nc_buf_printf(b, " --%s ", nops->to_opt);
		else
			nc_buf_printf(b, " %s", nops->list_to);
		if (ports_only)
			nc_nat_print_ports(n, b);
		else
			nc_nat_print_range(n, r->family, b);
	}
	flags_out(n, b, save ? "--" : "");
}

void nc_nat_target_save(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b)
{
	target_out(e, r, b, true);
}

void nc_nat_target_print(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b, unsigned fmt)
{
	target_out(e, r, b, false);
}

int nc_nat_target_linearize(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_exprs *out)
{
	const struct nc_nat_kind *nops = nat_ops(e);
	const struct nc_nat *n = e->data;

	/* the kernel's nat expression has no port base: a shifted port map
	 * goes as iptables' own DNAT target (xt), as iptables-nft sends it */
	if (n->flags & NF_NAT_RANGE_PROTO_OFFSET)
		return 1;
	return nc_nat_linearize(n, r->family, nops->expr, nops->nat_type, out);
}

int nc_nat_target_delinearize(const struct nc_ext_ops *ops, struct nc_rule *r,
			      struct nc_expr_cursor *c)
{
	const struct nc_nat_kind *nops = ops->priv;
	struct nc_nat n;
	int rc = nc_nat_delinearize(&n, r->family, nops->expr, nops->nat_type, c);

	if (rc <= 0)
		return rc;
	if (nc_rule_set_target(r, ops) < 0)
		return -1;
	*(struct nc_nat *)r->target.data = n;
	return 1;
}

/* nft text: "dnat to 192.0.2.1:80 random,persistent", "masquerade to :1024" */
int nc_nat_target_xlate(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_xlate *x)
{
	static const struct { uint32_t flag; const char *word; } words[] = {
		{ NF_NAT_RANGE_PROTO_RANDOM, "random" },
		{ NF_NAT_RANGE_PROTO_RANDOM_FULLY, "fully-random" },
		{ NF_NAT_RANGE_PERSISTENT, "persistent" },
	};
	const uint32_t known = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED |
			       NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT |
			       NF_NAT_RANGE_PROTO_RANDOM_FULLY;
	const struct nc_nat_kind *nops = nat_ops(e);
	const struct nc_nat *n = e->data;
	const char *sep = " ";

	if (n->flags & ~known) {
		x->why = "a NAT range nft 1.0.6 has no text for";
		return -1;
	}
	nc_buf_putc(x->b, ' ');
	nc_buf_puts(x->b, nops->nft);
	if (nops->expr == NC_E_NAT) {
		nc_buf_putlit(x->b, " to ");
		nc_nat_print_range(n, r->family, x->b);
	} else if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		nc_buf_putlit(x->b, " to :");
		nc_nat_print_ports(n, x->b);
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (n->flags & words[i].flag) {
			nc_buf_puts(x->b, sep);
			nc_buf_puts(x->b, words[i].word);
			sep = ",";
		}
	return 0;
}

/* --- natc --explain ------------------------------------------------- */

void nc_nat_target_describe(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_buf *b)
{
	const struct nc_nat_kind *nops = nat_ops(e);
	const struct nc_nat *n = e->data;

	nc_buf_puts(b, nops->says);
	if (n->flags & NF_NAT_RANGE_MAP_IPS) {
		if (addr_cmp(&n->min_addr, &n->max_addr, r->family))
			nc_buf_putlit(b, " an address in ");
		else
			nc_buf_putc(b, ' ');
		nc_addr_put(b, r->family, &n->min_addr);
		if (addr_cmp(&n->min_addr, &n->max_addr, r->family)) {
			nc_buf_putc(b, '-');
			nc_addr_put(b, r->family, &n->max_addr);
		}
	} else if (nops->own_addr) {
		nc_buf_printf(b, " %s", nops->own_addr);
	} else {
		nc_buf_putlit(b, " the same address");
	}
	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		if (n->min_port == n->max_port)
			nc_buf_printf(b, " port %u", n->min_port);
		else
			nc_buf_printf(b, " a port in %u-%u (the original one when it is in that range)",
				      n->min_port, n->max_port);
	} else if (nc_nat_proto_has_ports(r) || !r->proto) {
		nc_buf_puts(b, nops->act == NC_ACT_SNAT ?
			    ", port kept unless another connection uses it" :
			    ", port kept");
	}
	if (n->flags & (NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PROTO_RANDOM_FULLY))
		nc_buf_putlit(b, " (ports chosen at random)");
	if (n->flags & NF_NAT_RANGE_PERSISTENT)
		nc_buf_putlit(b, " (same address for a client every time)");
}

int nc_nat_target_packet(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_pkt *p)
{
	const struct nc_nat_kind *nops = nat_ops(e);
	const struct nc_nat *n = e->data;
	struct nc_pkt_act_info *a = &p->act;

	memset(a, 0, sizeof(*a));
	a->act = nops->act;
	if (n->flags & NF_NAT_RANGE_MAP_IPS) {
		a->map_addr = true;
		a->amin = n->min_addr;
		a->amax = n->max_addr;
	} else if (nops->own_addr) {
		/* the host's own address: MASQUERADE takes the one the route
		 * out uses, REDIRECT the incoming interface's (loopback for
		 * locally generated packets) */
		bool out = nops->act == NC_ACT_SNAT;
		bool have = out ? p->have_out_addr : p->have_in_addr;

		a->map_addr = true;
		a->addr_of = nops->own_addr;
		if (!out && p->hook == NF_INET_LOCAL_OUT) {
			memset(&a->amin, 0, sizeof(a->amin));
			a->amin.ip = htonl(INADDR_LOOPBACK);
		} else if (have) {
			a->amin = out ? p->out_addr : p->in_addr;
		} else {
			a->addr_unknown = true;
		}
		a->amax = a->amin;
	}
	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		a->map_port = true;
		a->pmin = n->min_port;
		a->pmax = n->max_port;
	}
	a->random = n->flags & (NF_NAT_RANGE_PROTO_RANDOM |
				NF_NAT_RANGE_PROTO_RANDOM_FULLY);
	return NC_PKT_YES;
}
