// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrack match (revision 3): [!] --ctstate LIST, [!] --ctstatus
 * LIST, [!] --ctproto P, [!] --ctorigsrc/--ctorigdst/--ctreplsrc/
 * --ctrepldst ADDR[/MASK], [!] --ctorigsrcport/... PORT[:PORT],
 * [!] --ctexpire MIN[:MAX], --ctdir ORIGINAL|REPLY.
 *
 * Kernel form, as nft writes the tests in -S order:
 *   ctstate   [ct load state] [bitwise & MASK] [cmp neq 0]  (`ct state
 *             new,established`); negated [cmp eq 0] (`ct state & (new|
 *             established) == 0`)
 *   ctproto   [ct load protocol, dir original] [cmp eq|neq] (1 byte)
 *   addresses [ct load src|dst, dir original|reply] then as payload
 *             addresses: a byte-aligned prefix compares its bytes, other
 *             masks go through [bitwise]
 *   ports     [ct load proto_src|proto_dst, dir ...] [cmp eq|neq], `<= N`,
 *             `>= N`, gte + lte, or [range neq] when negated
 *   ctstatus  as ctstate, on [ct load status]
 *   ctexpire  [ct load expiration] [byteorder hton] [cmp gte MIN s]
 *             [cmp lte MAX s + 999 ms] (`ct expiration 10s-20s999ms`), or
 *             [range neq] when negated.  The kernel gives milliseconds;
 *             xt_conntrack compares whole seconds, so MAX s + 999 ms is the
 *             same test.
 *   ctdir     [ct load direction] [cmp eq 0|1]
 * xt_conntrack's SNAT and DNAT "states" are the conntrack's IPS_SRC_NAT
 * and IPS_DST_NAT status bits: --ctstate SNAT,DNAT is nft's `ct status
 * snat,dnat` (placed as the state test).  Mixed with real states they
 * would be an "or" of two loads, which natc refuses.  (A negated test
 * differs for packets without a conntrack, which the nat table never sees.)
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <xtables.h>
#include "ir/ext/conntrack.h"
#include "ir/ext/xtmsg.h"
#include "ir/parse.h"
#include "ir/addr.h"

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
#define STATES_ALL (NC_CTS_INVALID | NC_CTS_ESTABLISHED | NC_CTS_RELATED | \
		    NC_CTS_NEW | NC_CTS_UNTRACKED)
#define STATUS_ALL 15u
#define NAT_STATES (NC_CTS_SNAT | NC_CTS_DNAT)
#define IPS_NAT_BITS 48u	/* IPS_SRC_NAT | IPS_DST_NAT */

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
	p = xtables_service_to_port(s, NULL);
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
		/* #! differs: see the head of this file */
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

static int ct_load(struct nc_exprs *out, uint32_t key, int32_t dir)
{
	struct nc_expr *x = nc_exprs_add(out, NC_E_CT);

	if (!x)
		return -1;
	x->u.ct.key = key;
	x->u.ct.dreg = NFT_REG_1;
	x->u.ct.dir = dir;
	return 0;
}

/* [load] [bitwise & mask] [cmp neq|eq 0]: any of the bits, or none */
static int lin_bits(struct nc_exprs *out, uint32_t key, uint32_t mask, bool inv)
{
	uint32_t zero = 0;

	if (ct_load(out, key, -1) < 0 || nc_expr_bitwise(out, &mask, 4) < 0)
		return -1;
	return nc_expr_cmp(out, inv ? NFT_CMP_EQ : NFT_CMP_NEQ, &zero, 4);
}

int nc_ct_lin_state(struct nc_exprs *out, uint32_t mask, bool inv)
{
	return lin_bits(out, NFT_CT_STATE, mask, inv);
}

static int lin_addr(struct nc_exprs *out, uint8_t family, uint32_t key, int32_t dir,
		    const union nc_addr *a, const union nc_addr *m, bool inv)
{
	uint32_t len = family == AF_INET6 ? 16 : 4;
	int prefix = nc_mask_to_prefix(m, family);
	uint32_t op = inv ? NFT_CMP_NEQ : NFT_CMP_EQ;

	if (ct_load(out, key, dir) < 0)
		return -1;
	if (prefix >= 0 && prefix % 8 == 0)
		return nc_expr_cmp(out, op, a->b, (uint32_t)prefix / 8);
	if (nc_expr_bitwise(out, m->b, len) < 0)
		return -1;
	return nc_expr_cmp(out, op, a->b, len);
}

static int lin_port(struct nc_exprs *out, uint32_t key, int32_t dir,
		    const uint16_t pts[2], bool inv)
{
	uint16_t lo = htons(pts[0]), hi = htons(pts[1]);

	if (ct_load(out, key, dir) < 0)
		return -1;
	if (pts[0] == pts[1])
		return nc_expr_cmp(out, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &lo, 2);
	if (inv)
		return nc_expr_range(out, NFT_RANGE_NEQ, &lo, &hi, 2);
	if (pts[0] == 0)
		return nc_expr_cmp(out, NFT_CMP_LTE, &hi, 2);
	if (pts[1] == 65535)
		return nc_expr_cmp(out, NFT_CMP_GTE, &lo, 2);
	if (nc_expr_cmp(out, NFT_CMP_GTE, &lo, 2) < 0)
		return -1;
	return nc_expr_cmp(out, NFT_CMP_LTE, &hi, 2);
}

static uint32_t expire_hi_ms(uint32_t max)
{
	return max == UINT32_MAX ? UINT32_MAX : max * 1000 + 999;
}

static int lin_expire(struct nc_exprs *out, const uint32_t ex[2], bool inv)
{
	uint32_t lo = htonl(ex[0] * 1000), hi = htonl(expire_hi_ms(ex[1]));

	if (ct_load(out, NFT_CT_EXPIRATION, -1) < 0 ||
	    nc_expr_byteorder(out, NFT_BYTEORDER_HTON, 4, 4) < 0)
		return -1;
	if (inv)
		return nc_expr_range(out, NFT_RANGE_NEQ, &lo, &hi, 4);
	if (nc_expr_cmp(out, NFT_CMP_GTE, &lo, 4) < 0)
		return -1;
	return nc_expr_cmp(out, NFT_CMP_LTE, &hi, 4);
}

static int conntrack_linearize(const struct nc_ext *e, const struct nc_rule *r,
			       struct nc_exprs *out)
{
	const struct nc_conntrack *c = e->data;

	if ((c->have & NC_CT_STATE) && (c->state & NAT_STATES)) {
		if (lin_bits(out, NFT_CT_STATUS, c->state >> 4,
			     c->inv & NC_CT_STATE) < 0)
			return -1;
	} else if ((c->have & NC_CT_STATE) &&
		   lin_bits(out, NFT_CT_STATE, c->state, c->inv & NC_CT_STATE) < 0) {
		return -1;
	}
	if (c->have & NC_CT_PROTO) {
		if (ct_load(out, NFT_CT_PROTOCOL, CT_DIR_ORIGINAL) < 0 ||
		    nc_expr_cmp(out, c->inv & NC_CT_PROTO ? NFT_CMP_NEQ : NFT_CMP_EQ,
				&c->proto, 1) < 0)
			return -1;
	}
	for (int i = 0; i < 4; i++)
		if ((c->have & (NC_CT_ORIGSRC << i)) &&
		    lin_addr(out, r->family, i % 2 ? NFT_CT_DST : NFT_CT_SRC,
			     i < 2 ? CT_DIR_ORIGINAL : CT_DIR_REPLY,
			     &c->addr[i], &c->mask[i], c->inv & (NC_CT_ORIGSRC << i)) < 0)
			return -1;
	for (int i = 0; i < 4; i++)
		if ((c->have & (NC_CT_ORIGSRCPORT << i)) &&
		    lin_port(out, i % 2 ? NFT_CT_PROTO_DST : NFT_CT_PROTO_SRC,
			     i < 2 ? CT_DIR_ORIGINAL : CT_DIR_REPLY,
			     c->ports[i], c->inv & (NC_CT_ORIGSRCPORT << i)) < 0)
			return -1;
	if ((c->have & NC_CT_STATUS) &&
	    lin_bits(out, NFT_CT_STATUS, c->status, c->inv & NC_CT_STATUS) < 0)
		return -1;
	if ((c->have & NC_CT_EXPIRE) &&
	    lin_expire(out, c->expire, c->inv & NC_CT_EXPIRE) < 0)
		return -1;
	if (c->have & NC_CT_DIR) {
		if (ct_load(out, NFT_CT_DIRECTION, -1) < 0 ||
		    nc_expr_cmp(out, NFT_CMP_EQ, &c->dir, 1) < 0)
			return -1;
	}
	return 0;
}

/* ---- reading back: one ct test at a time, merged into one match ---- */

static bool is_cmp(const struct nc_expr *x, uint32_t len)
{
	return x && x->type == NC_E_CMP && x->u.cmp.sreg == NFT_REG_1 &&
	       x->u.cmp.len == len;
}

static uint32_t u32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t be16(const uint8_t *d)
{
	return (uint16_t)(d[0] << 8 | d[1]);
}

/* state/status: [bitwise mask] [cmp neq|eq 0] or a plain [cmp eq|neq BIT] */
static int delin_bits(struct nc_expr_cursor *c, uint32_t all, uint32_t *mask, bool *inv)
{
	const struct nc_expr *x = nc_cursor_peek(c, 1), *y = nc_cursor_peek(c, 2);

	if (x && x->type == NC_E_BITWISE && x->u.bitwise.len == 4 &&
	    x->u.bitwise.sreg == NFT_REG_1 && x->u.bitwise.dreg == NFT_REG_1 &&
	    !u32_at(x->u.bitwise.xor) && is_cmp(y, 4) && !u32_at(y->u.cmp.data) &&
	    (y->u.cmp.op == NFT_CMP_EQ || y->u.cmp.op == NFT_CMP_NEQ) &&
	    !(u32_at(x->u.bitwise.mask) & ~all)) {
		*mask = u32_at(x->u.bitwise.mask);
		*inv = y->u.cmp.op == NFT_CMP_EQ;
		return 3;
	}
	if (is_cmp(x, 4) && (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ)) {
		/* one state at a time: == / != that state is its bit test */
		uint32_t v = u32_at(x->u.cmp.data);

		if (all != STATES_ALL || !v || (v & (v - 1)) || (v & ~all))
			return 0;
		*mask = v;
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
		return 2;
	}
	return 0;
}

static int delin_addr(struct nc_expr_cursor *c, uint8_t family,
		      union nc_addr *a, union nc_addr *m, bool *inv)
{
	const struct nc_expr *x = nc_cursor_peek(c, 1), *y = nc_cursor_peek(c, 2);
	uint32_t len = family == AF_INET6 ? 16 : 4;

	memset(a, 0, sizeof(*a));
	memset(m, 0, sizeof(*m));
	if (x && x->type == NC_E_CMP && x->u.cmp.sreg == NFT_REG_1 &&
	    x->u.cmp.len >= 1 && x->u.cmp.len <= len &&
	    (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ)) {
		memcpy(a->b, x->u.cmp.data, x->u.cmp.len);
		nc_prefix_to_mask((int)x->u.cmp.len * 8, family, m);
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
		return 2;
	}
	if (x && x->type == NC_E_BITWISE && x->u.bitwise.len == len &&
	    x->u.bitwise.sreg == NFT_REG_1 && x->u.bitwise.dreg == NFT_REG_1 &&
	    !memcmp(x->u.bitwise.xor, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", len) &&
	    is_cmp(y, len) && (y->u.cmp.op == NFT_CMP_EQ || y->u.cmp.op == NFT_CMP_NEQ)) {
		memcpy(m->b, x->u.bitwise.mask, len);
		for (uint32_t i = 0; i < len; i++) {
			a->b[i] = y->u.cmp.data[i];
			if (a->b[i] & ~m->b[i])
				return 0;
		}
		if (nc_mask_to_prefix(m, family) == 0)
			return 0;
		*inv = y->u.cmp.op == NFT_CMP_NEQ;
		return 3;
	}
	return 0;
}

static int delin_port(struct nc_expr_cursor *c, uint16_t pts[2], bool *inv)
{
	const struct nc_expr *x = nc_cursor_peek(c, 1), *y = nc_cursor_peek(c, 2);

	*inv = false;
	if (x && x->type == NC_E_RANGE && x->u.range.len == 2 &&
	    x->u.range.sreg == NFT_REG_1 && x->u.range.op == NFT_RANGE_NEQ) {
		pts[0] = be16(x->u.range.from);
		pts[1] = be16(x->u.range.to);
		*inv = true;
		return 2;
	}
	if (!is_cmp(x, 2))
		return 0;
	switch (x->u.cmp.op) {
	case NFT_CMP_EQ:
	case NFT_CMP_NEQ:
		pts[0] = pts[1] = be16(x->u.cmp.data);
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
		return 2;
	case NFT_CMP_LTE:
		pts[0] = 0;
		pts[1] = be16(x->u.cmp.data);
		return 2;
	case NFT_CMP_GTE:
		pts[0] = be16(x->u.cmp.data);
		pts[1] = 65535;
		if (is_cmp(y, 2) && y->u.cmp.op == NFT_CMP_LTE) {
			pts[1] = be16(y->u.cmp.data);
			return 3;
		}
		return 2;
	}
	return 0;
}

/* [byteorder hton] then [cmp gte][cmp lte] or [range neq], in whole
 * seconds as lin_expire() writes them */
static int delin_expire(struct nc_expr_cursor *c, uint32_t ex[2], bool *inv)
{
	const struct nc_expr *bo = nc_cursor_peek(c, 1), *x = nc_cursor_peek(c, 2),
			     *y = nc_cursor_peek(c, 3);
	uint32_t lo, hi;
	int n;

	if (!bo || bo->type != NC_E_BYTEORDER || bo->u.byteorder.sreg != NFT_REG_1 ||
	    bo->u.byteorder.dreg != NFT_REG_1 ||
	    bo->u.byteorder.op != NFT_BYTEORDER_HTON || bo->u.byteorder.len != 4 ||
	    bo->u.byteorder.size != 4 || !x)
		return 0;
	if (x->type == NC_E_RANGE && x->u.range.sreg == NFT_REG_1 &&
	    x->u.range.len == 4 && x->u.range.op == NFT_RANGE_NEQ) {
		lo = ntohl(u32_at(x->u.range.from));
		hi = ntohl(u32_at(x->u.range.to));
		*inv = true;
		n = 3;
	} else if (is_cmp(x, 4) && x->u.cmp.op == NFT_CMP_GTE &&
		   is_cmp(y, 4) && y->u.cmp.op == NFT_CMP_LTE) {
		lo = ntohl(u32_at(x->u.cmp.data));
		hi = ntohl(u32_at(y->u.cmp.data));
		*inv = false;
		n = 4;
	} else {
		return 0;
	}
	if (lo % 1000 || (hi != UINT32_MAX && hi % 1000 != 999))
		return 0;
	ex[0] = lo / 1000;
	ex[1] = hi == UINT32_MAX ? UINT32_MAX : hi / 1000;
	return n;
}

/* One test at the cursor into @ct: how many expressions it took, 0 if
 * none (or a test @ct already has). */
static int delin_test(struct nc_expr_cursor *c, uint8_t family, struct nc_conntrack *ct)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	uint32_t bit = 0, mask = 0;
	int n = 0, i;
	bool inv = false, orig;

	if (!ld || ld->type != NC_E_CT || ld->u.ct.sreg || ld->u.ct.dreg != NFT_REG_1)
		return 0;
	orig = ld->u.ct.dir == CT_DIR_ORIGINAL;
	switch (ld->u.ct.key) {
	case NFT_CT_STATUS:
		/* status snat/dnat alone: --ctstate SNAT/DNAT, where the state
		 * test goes (before any address) */
		if (!(ct->have & ~NC_CT_STATE) && !(ct->have & NC_CT_STATE) &&
		    (n = delin_bits(c, IPS_NAT_BITS, &mask, &inv)) && mask) {
			bit = NC_CT_STATE;
			ct->state = mask << 4;
			break;
		}
		/* fall through */
	case NFT_CT_STATE:
		bit = ld->u.ct.key == NFT_CT_STATE ? NC_CT_STATE : NC_CT_STATUS;
		if ((ct->have & bit) ||
		    !(n = delin_bits(c, bit == NC_CT_STATE ? STATES_ALL : STATUS_ALL,
				     &mask, &inv)))
			return 0;
		if (bit == NC_CT_STATE)
			ct->state = mask;
		else
			ct->status = mask;
		break;
	case NFT_CT_PROTOCOL:
		bit = NC_CT_PROTO;
		if ((ct->have & bit) || !is_cmp(x, 1) ||
		    (x->u.cmp.op != NFT_CMP_EQ && x->u.cmp.op != NFT_CMP_NEQ))
			return 0;
		ct->proto = x->u.cmp.data[0];
		inv = x->u.cmp.op == NFT_CMP_NEQ;
		n = 2;
		break;
	case NFT_CT_SRC:
	case NFT_CT_DST:
		if (ld->u.ct.dir != CT_DIR_ORIGINAL && ld->u.ct.dir != CT_DIR_REPLY)
			return 0;
		i = (orig ? 0 : 2) + (ld->u.ct.key == NFT_CT_DST);
		bit = NC_CT_ORIGSRC << i;
		if ((ct->have & bit) ||
		    !(n = delin_addr(c, family, &ct->addr[i], &ct->mask[i], &inv)))
			return 0;
		break;
	case NFT_CT_PROTO_SRC:
	case NFT_CT_PROTO_DST:
		if (ld->u.ct.dir != CT_DIR_ORIGINAL && ld->u.ct.dir != CT_DIR_REPLY)
			return 0;
		i = (orig ? 0 : 2) + (ld->u.ct.key == NFT_CT_PROTO_DST);
		bit = NC_CT_ORIGSRCPORT << i;
		if ((ct->have & bit) || !(n = delin_port(c, ct->ports[i], &inv)))
			return 0;
		break;
	case NFT_CT_EXPIRATION:
		bit = NC_CT_EXPIRE;
		if ((ct->have & bit) || !(n = delin_expire(c, ct->expire, &inv)))
			return 0;
		break;
	case NFT_CT_DIRECTION:
		bit = NC_CT_DIR;
		if ((ct->have & bit) || !is_cmp(x, 1) || x->u.cmp.op != NFT_CMP_EQ ||
		    x->u.cmp.data[0] > CT_DIR_REPLY)
			return 0;
		ct->dir = x->u.cmp.data[0];
		n = 2;
		break;
	default:
		return 0;
	}
	ct->have |= bit;
	if (inv)
		ct->inv |= bit;
	return n;
}

static int conntrack_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_conntrack ct = { 0 };
	struct nc_ext *e;
	int n;

	while ((n = delin_test(c, r->family, &ct)) > 0)
		c->pos += (size_t)n;
	if (!ct.have)
		return 0;
	if (!(e = nc_rule_add_match(r, &nc_ext_conntrack)))
		return -1;
	memcpy(e->data, &ct, sizeof(ct));
	return 1;
}

const struct nc_ext_ops nc_ext_conntrack = {
	.name = "conntrack",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_conntrack),
	.opts = conntrack_opts,
	.parse = conntrack_parse,
	.check = conntrack_check,
	.save = conntrack_save,
	.print = conntrack_print,
	.linearize = conntrack_linearize,
	.delinearize = conntrack_delinearize,
};
