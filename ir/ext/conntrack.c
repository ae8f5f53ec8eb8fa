// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrack match (revision 3): [!] --ctstate LIST, [!] --ctstatus
 * LIST, [!] --ctproto P, [!] --ctorigsrc/--ctorigdst/--ctreplsrc/
 * --ctrepldst ADDR[/MASK], [!] --ctorigsrcport/... PORT[:PORT],
 * [!] --ctexpire MIN[:MAX], --ctdir ORIGINAL|REPLY: its options, checks
 * and -S/-L forms.  Its kernel form is in ir/ext/lib/conntrack_expr.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <xtables.h>
#include "ir/ext/lib/conntrack.h"
#include "ir/ext/lib/xtmsg.h"
#include "ir/parse.h"
#include "ir/addr.h"
#include "ir/lock.h"

enum {
	OPT_STATE = 1, OPT_STATUS, OPT_PROTO, OPT_ORIGSRC, OPT_ORIGDST,
	OPT_REPLSRC, OPT_REPLDST, OPT_ORIGSRCPORT, OPT_ORIGDSTPORT,
	OPT_REPLSRCPORT, OPT_REPLDSTPORT, OPT_DIR, OPT_EXPIRE,
};

#define INV NC_EXTOPT_ARG | NC_EXTOPT_INV
static const struct nc_ext_opt conntrack_opts[] = {
	{ "ctstate", OPT_STATE, INV },
	{ "ctproto", OPT_PROTO, INV },
	{ "ctorigsrc", OPT_ORIGSRC, INV },
	{ "ctorigdst", OPT_ORIGDST, INV },
	{ "ctreplsrc", OPT_REPLSRC, INV },
	{ "ctrepldst", OPT_REPLDST, INV },
	{ "ctstatus", OPT_STATUS, INV },
	{ "ctexpire", OPT_EXPIRE, INV },
	{ "ctorigsrcport", OPT_ORIGSRCPORT, INV },
	{ "ctorigdstport", OPT_ORIGDSTPORT, INV },
	{ "ctreplsrcport", OPT_REPLSRCPORT, INV },
	{ "ctrepldstport", OPT_REPLDSTPORT, INV },
	{ "ctdir", OPT_DIR, INV },
	{ 0 }
};
#undef INV

static uint32_t opt_bit(int id)
{
	switch (id) {
	case OPT_STATE: return NC_CT_STATE;
	case OPT_STATUS: return NC_CT_STATUS;
	case OPT_PROTO: return NC_CT_PROTO;
	case OPT_ORIGSRC: return NC_CT_ORIGSRC;
	case OPT_ORIGDST: return NC_CT_ORIGDST;
	case OPT_REPLSRC: return NC_CT_REPLSRC;
	case OPT_REPLDST: return NC_CT_REPLDST;
	case OPT_ORIGSRCPORT: return NC_CT_ORIGSRCPORT;
	case OPT_ORIGDSTPORT: return NC_CT_ORIGDSTPORT;
	case OPT_REPLSRCPORT: return NC_CT_REPLSRCPORT;
	case OPT_REPLDSTPORT: return NC_CT_REPLDSTPORT;
	case OPT_EXPIRE: return NC_CT_EXPIRE;
	default: return NC_CT_DIR;
	}
}

struct name { const char *s; uint32_t bit; };

/* parse order (a prefix names the first that it begins) */
static const struct name ctstates[] = {
	{ "INVALID", NC_CTS_INVALID }, { "NEW", NC_CTS_NEW },
	{ "ESTABLISHED", NC_CTS_ESTABLISHED }, { "RELATED", NC_CTS_RELATED },
	{ "UNTRACKED", NC_CTS_UNTRACKED }, { "SNAT", NC_CTS_SNAT }, { "DNAT", NC_CTS_DNAT }, { 0 }
};
/* print order */
static const struct name ctstates_out[] = {
	{ "INVALID", NC_CTS_INVALID }, { "NEW", NC_CTS_NEW },
	{ "RELATED", NC_CTS_RELATED }, { "ESTABLISHED", NC_CTS_ESTABLISHED },
	{ "UNTRACKED", NC_CTS_UNTRACKED }, { "SNAT", NC_CTS_SNAT },
	{ "DNAT", NC_CTS_DNAT }, { 0 }
};
static const struct name ctstatus[] = {
	{ "NONE", 0 }, { "EXPECTED", 1 }, { "SEEN_REPLY", 2 },
	{ "ASSURED", 4 }, { "CONFIRMED", 8 }, { 0 }
};

static int parse_list(const char *arg, const struct name *names, const char *what,
		      bool snat_dnat, uint32_t *mask, const struct nc_loc *loc,
		      struct nc_err *err)
{
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");
		const struct name *n = names;

		for (; len && n->s; n++)
			if (!strncasecmp(p, n->s, len))
				break;
		if (!len || !n->s ||
		    (!snat_dnat && (n->bit & (NC_CTS_SNAT | NC_CTS_DNAT))))
			return nc_err_param(err, loc, "Bad %s \"%s\"", what, p);
		*mask |= n->bit;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int nc_ct_parse_states(const char *arg, const char *what, bool snat_dnat,
		       uint32_t *mask, const struct nc_loc *loc, struct nc_err *err)
{
	return parse_list(arg, ctstates, what, snat_dnat, mask, loc, err);
}

static void put_list(struct nc_buf *b, const struct name *names, uint32_t mask)
{
	const char *sep = "";

	for (const struct name *n = names; n->s; n++)
		if (n->bit & mask) {
			nc_buf_printf(b, "%s%s", sep, n->s);
			sep = ",";
		}
}

void nc_ct_put_states(struct nc_buf *b, uint32_t mask)
{
	put_list(b, ctstates_out, mask);
}

static int parse_addr(const char *arg, uint8_t family, union nc_addr *a,
		      union nc_addr *m, const struct nc_loc *loc, struct nc_err *err)
{
	union nc_addr *as = NULL, *ms = NULL;
	size_t n = 0;

	if (nc_parse_addr_list(arg, family, &as, &ms, &n, loc, err) < 0)
		return -1;
	if (n != 1) {
		free(as);
		free(ms);
		return nc_err_param(err, loc,
			"conntrack: \"%s\" names more than one address", arg);
	}
	*a = as[0];
	*m = ms[0];
	free(as);
	free(ms);
	return 0;
}

/* One port of --ctorigsrcport & co: a number or a service name (any
 * protocol), as xtables_parse_port. */
static int parse_port(const char *s, uint16_t *port, const struct nc_loc *loc,
		      struct nc_err *err)
{
	unsigned long v;
	int p;

	if (!nc_parse_uint(s, 0, 65535, &v)) {
		*port = (uint16_t)v;
		return 0;
	}
	if (!*s || isdigit((unsigned char)*s))
		/* #! differs: iptables 1.8.9 keeps such a number modulo 65536 */
		return nc_err_param(err, loc, "invalid port/service `%s' specified", s);
	nc_lib_lock();
	p = xtables_service_to_port(s, NULL);
	nc_lib_unlock();
	if (p < 0 || p > 65535)
		return nc_err_param(err, loc,
				    "Port \"%s\" does not resolve to anything.\n", s);
	*port = (uint16_t)p;
	return 0;
}

/* PORT, PORT:PORT, :PORT, PORT: */
static int parse_ports(const char *arg, uint16_t pts[2], const struct nc_loc *loc,
		       struct nc_err *err)
{
	const char *colon = strchr(arg, ':');
	char first[64];
	size_t n;

	if (!colon) {
		if (parse_port(arg, &pts[0], loc, err) < 0)
			return -1;
		pts[1] = pts[0];
		return 0;
	}
	n = (size_t)(colon - arg);
	if (n >= sizeof(first))
		return nc_err_param(err, loc, "invalid port/service `%s' specified", arg);
	memcpy(first, arg, n);
	first[n] = '\0';
	pts[0] = 0;
	pts[1] = 65535;
	if ((n && parse_port(first, &pts[0], loc, err) < 0) ||
	    (colon[1] && parse_port(colon + 1, &pts[1], loc, err) < 0))
		return -1;
	if (pts[0] > pts[1])
		/* #! differs: iptables 1.8.9 takes it, and it never matches */
		return nc_err_param(err, loc, "invalid portrange (min > max)");
	return 0;
}

/* MIN[:MAX] as libxtables' "UINT32RC" type: empty parts keep 0 and
 * 4294967295, one part is both. */
static int parse_expire(const char *arg, uint32_t ex[2], const struct nc_loc *loc,
			struct nc_err *err)
{
	const char *p = arg;

	ex[0] = 0;
	ex[1] = UINT32_MAX;
	for (int i = 0; i < 2; i++) {
		size_t len = strcspn(p, ":");
		char part[32];
		uintmax_t v;

		if (len) {
			if (len >= sizeof(part) ||
			    (memcpy(part, p, len), part[len] = '\0',
			     nc_xt_uint(part, 0, UINT32_MAX, &v) < 0))
				return nc_err_param(err, loc,
					"conntrack: bad value for option \"--ctexpire\" near "
					"\"%s\", or out of range (0-4294967295).\n", p);
			ex[i] = (uint32_t)v;
		}
		if (!p[len]) {
			if (i == 0)
				ex[1] = ex[0];
			break;
		}
		p += len + 1;
		if (i == 1)
			return nc_err_param(err, loc,
				"conntrack: Too many components for option "
				"\"--ctexpire\" (max: 2)\n");
	}
	/* the kernel's milliseconds are 32 bits wide */
	if ((uint64_t)ex[0] * 1000 > UINT32_MAX ||
	    (ex[1] != UINT32_MAX && (uint64_t)ex[1] * 1000 + 999 > UINT32_MAX))
		/* #! differs: nft compares milliseconds in 32 bits */
		return nc_err_param(err, loc,
			"conntrack: --ctexpire: natc takes at most 4294966 seconds "
			"(or an open end)");
	return 0;
}

static int conntrack_parse(struct nc_ext *e, struct nc_rule *r,
			   const struct nc_ext_opt *opt, bool inv, const char *arg,
			   const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_conntrack *c = e->data;
	uint32_t bit = opt_bit(opt->id);
	int i;

	if (c->have & bit)
		return nc_xt_once(err, loc, "conntrack", opt->name);
	if (inv && bit == NC_CT_DIR)
		return nc_xt_noinv(err, loc, "conntrack", opt->name);
	switch (opt->id) {
	case OPT_STATE:
		if (parse_list(arg, ctstates, "ctstate", true, &c->state, loc, err) < 0)
			return -1;
		break;
	case OPT_STATUS:
		if (parse_list(arg, ctstatus, "ctstatus", false, &c->status, loc, err) < 0)
			return -1;
		break;
	case OPT_PROTO:
		if (nc_parse_proto(arg, &c->proto, loc, err) < 0)
			return -1;
		break;
	case OPT_ORIGSRC: case OPT_ORIGDST: case OPT_REPLSRC: case OPT_REPLDST:
		i = opt->id - OPT_ORIGSRC;
		if (parse_addr(arg, r->family, &c->addr[i], &c->mask[i], loc, err) < 0)
			return -1;
		break;
	case OPT_ORIGSRCPORT: case OPT_ORIGDSTPORT:
	case OPT_REPLSRCPORT: case OPT_REPLDSTPORT:
		i = opt->id - OPT_ORIGSRCPORT;
		if (parse_ports(arg, c->ports[i], loc, err) < 0)
			return -1;
		break;
	case OPT_DIR:
		if (!strcasecmp(arg, "ORIGINAL"))
			c->dir = CT_DIR_ORIGINAL;
		else if (!strcasecmp(arg, "REPLY"))
			c->dir = CT_DIR_REPLY;
		else
			return nc_err_param(err, loc,
				"conntrack: Bad value for \"--ctdir\" option: \"%s\"", arg);
		break;
	case OPT_EXPIRE:
		if (parse_expire(arg, c->expire, loc, err) < 0)
			return -1;
		break;
	}
	c->have |= bit;
	if (inv)
		c->inv |= bit;
	return 0;
}

static int conntrack_check(struct nc_ext *e, const struct nc_rule *r,
			   struct nc_err *err)
{
	const struct nc_conntrack *c = e->data;

	if (!c->have)
		return nc_err_param(err, &e->loc,
				    "conntrack: At least one option is required");
	if ((c->state & NAT_STATES) && (c->state & ~NAT_STATES))
		/* #! differs: see the head of ir/ext/lib/conntrack_expr.c */
		return nc_err_param(err, &e->loc,
			"conntrack: natc cannot mix SNAT or DNAT with other --ctstate states");
	for (int i = 0; i < 4; i++)
		if ((c->have & (NC_CT_ORIGSRC << i)) &&
		    nc_mask_to_prefix(&c->mask[i], r->family) == 0)
			/* #! differs: nft writes no test for a /0 */
			return nc_err_param(err, &e->loc,
				"conntrack: an address with mask 0 tests nothing");
	return 0;
}

static const char *const addr_opt[] = { "ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst" };
static const char *const port_opt[] = { "ctorigsrcport", "ctorigdstport",
					"ctreplsrcport", "ctrepldstport" };

static void put_addr(struct nc_buf *b, uint8_t family, const union nc_addr *a,
		     const union nc_addr *m)
{
	char buf[INET6_ADDRSTRLEN];
	int cidr = nc_mask_to_cidr(family, m);

	nc_buf_puts(b, nc_addr_ntop(family, a, buf));
	if (cidr < 0)
		nc_buf_printf(b, "/%s", nc_addr_ntop(family, m, buf));
	else if (cidr != (family == AF_INET6 ? 128 : 32))
		nc_buf_printf(b, "/%d", cidr);
}

/* -S (dashes "--") and -L (no dashes, @fmt) share the layout */
static void put_all(const struct nc_conntrack *c, uint8_t family,
		    struct nc_buf *b, const char *dashes, unsigned fmt)
{
#define OPT(bit, name) \
	nc_buf_printf(b, "%s %s%s ", c->inv & (bit) ? " !" : "", dashes, name)
	if (c->have & NC_CT_STATE) {
		OPT(NC_CT_STATE, "ctstate");
		put_list(b, ctstates_out, c->state);
	}
	if (c->have & NC_CT_PROTO) {
		OPT(NC_CT_PROTO, "ctproto");
		nc_buf_printf(b, "%u", c->proto);
	}
	for (int i = 0; i < 4; i++)
		if (c->have & (NC_CT_ORIGSRC << i)) {
			OPT(NC_CT_ORIGSRC << i, addr_opt[i]);
			if (*dashes)
				put_addr(b, family, &c->addr[i], &c->mask[i]);
			else	/* names without -n, as the address columns */
				nc_addr_list(b, family, &c->addr[i], &c->mask[i],
					     fmt & NC_FMT_NUMERIC);
		}
	for (int i = 0; i < 4; i++)
		if (c->have & (NC_CT_ORIGSRCPORT << i)) {
			OPT(NC_CT_ORIGSRCPORT << i, port_opt[i]);
			if (c->ports[i][0] == c->ports[i][1])
				nc_buf_printf(b, "%u", c->ports[i][0]);
			else
				nc_buf_printf(b, "%u:%u", c->ports[i][0], c->ports[i][1]);
		}
	if (c->have & NC_CT_STATUS) {
		OPT(NC_CT_STATUS, "ctstatus");
		if (c->status)
			put_list(b, ctstatus, c->status);
		else
			nc_buf_puts(b, "NONE");
	}
	if (c->have & NC_CT_EXPIRE) {
		OPT(NC_CT_EXPIRE, "ctexpire");
		if (c->expire[0] == c->expire[1])
			nc_buf_printf(b, "%u", c->expire[0]);
		else
			nc_buf_printf(b, "%u:%u", c->expire[0], c->expire[1]);
	}
	if (c->have & NC_CT_DIR)
		nc_buf_printf(b, " %sctdir %s", dashes,
			      c->dir == CT_DIR_REPLY ? "REPLY" : "ORIGINAL");
#undef OPT
}

static void conntrack_save(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_buf *b)
{
	put_all(e->data, r->family, b, "--", 0);
}

static void conntrack_print(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_buf *b, unsigned fmt)
{
	put_all(e->data, r->family, b, "", fmt);
}

static int conntrack_xlate(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_xlate *x)
{
	if (nc_ct_xlate(e, r, x->b) < 0) {
		x->why = "a conntrack test natc has no nft text for";
		return -1;
	}
	return 0;
}

/* --explain ----------------------------------------------------------- */

void nc_ct_describe(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_buf *b)
{
	const struct nc_conntrack *c = e->data;

	if (c->have & NC_CT_STATE) {
		nc_buf_printf(b, ", whose connection is %s", (c->inv & NC_CT_STATE) ?
			      "none of " : "");
		nc_ct_put_states(b, c->state);
	}
	if (c->have & ~(uint32_t)NC_CT_STATE)
		nc_buf_puts(b, ", with further conntrack tests (-m conntrack)");
}

int nc_ct_packet(const struct nc_ext *e, const struct nc_rule *r,
		 struct nc_pkt *p)
{
	const struct nc_conntrack *c = e->data;
	int m = NC_PKT_YES;

	if (c->have & NC_CT_STATE) {
		uint32_t now = NC_CTS_NEW | (p->dnatted ? NC_CTS_DNAT : 0);
		bool hit = (c->state & now) != 0;

		if (hit == !!(c->inv & NC_CT_STATE))
			return NC_PKT_NO;
	}
	if (c->have & NC_CT_DIR) {
		bool orig = c->dir == CT_DIR_ORIGINAL;

		if (orig == !!(c->inv & NC_CT_DIR))
			return NC_PKT_NO;
	}
	if (c->have & NC_CT_PROTO) {
		if (!(p->known & NC_PK_PROTO))
			m = NC_PKT_MAYBE;
		else if ((p->proto == c->proto) == !!(c->inv & NC_CT_PROTO))
			return NC_PKT_NO;
	}
	if (c->have & ~(uint32_t)(NC_CT_STATE | NC_CT_DIR | NC_CT_PROTO))
		m = NC_PKT_MAYBE;	/* addresses, ports, status, expiry */
	return m;
}

const struct nc_ext_ops nc_ext_conntrack = {
	.describe = nc_ct_describe,
	.packet = nc_ct_packet,
	.name = "conntrack",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_conntrack),
	.opts = conntrack_opts,
	.parse = conntrack_parse,
	.check = conntrack_check,
	.save = conntrack_save,
	.print = conntrack_print,
	.linearize = nc_ct_linearize,
	.delinearize = nc_ct_delinearize,
	.xlate = conntrack_xlate,
};
