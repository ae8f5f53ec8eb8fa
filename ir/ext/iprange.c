// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The iprange match: -m iprange [!] --src-range A-B [!] --dst-range A-B
 * (numeric addresses; one address A means A-A).
 *
 * Kernel form, as nft writes `ip saddr A-B` / `ip saddr != A-B`: the
 * address loaded from the network header, then [cmp gte A] [cmp lte B],
 * or [range neq A B] when negated (also for A-A: a cmp eq would read back
 * as -s A).  iptables-nft 1.8.9 writes an xt iprange match (revision 1),
 * also read back.  A reversed range never matches: iptables-nft takes it,
 * natc refuses it (nft refuses it too).
 */
#include <arpa/inet.h>
#include <string.h>
#include "ir/ext.h"
#include "ir/parse.h"

enum { IPR_SRC = 1, IPR_DST = 2 };

struct nc_iprange {
	union nc_addr src[2], dst[2];
	uint8_t have, inv;	/* IPR_* bits */
};

enum { OPT_SRC = 1, OPT_DST };

static const struct nc_ext_opt ipr_opts[] = {
	{ "src-range", OPT_SRC, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "dst-range", OPT_DST, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static int ipr_parse(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_iprange *p = e->data;
	uint8_t bit = opt->id == OPT_SRC ? IPR_SRC : IPR_DST;
	union nc_addr *a = bit == IPR_SRC ? p->src : p->dst;
	const char *dash = strchr(arg, '-');
	char first[64];
	size_t n = dash ? (size_t)(dash - arg) : strlen(arg);

	if (p->have & bit)
		return nc_err_param(err, loc,
			"iprange: option \"--%s\" can only be used once.\n", opt->name);
	if (n >= sizeof(first))
		n = sizeof(first) - 1;
	memcpy(first, arg, n);
	first[n] = '\0';
	if (nc_parse_addr_numeric(first, r->family, &a[0]) < 0)
		return nc_err_param(err, loc,
			"iprange: Bad value for \"--%s\" option: \"%s\"",
			opt->name, first);
	a[1] = a[0];
	if (dash && nc_parse_addr_numeric(dash + 1, r->family, &a[1]) < 0)
		return nc_err_param(err, loc,
			"iprange: Bad value for \"--%s\" option: \"%s\"",
			opt->name, dash + 1);
	if (memcmp(&a[0], &a[1], alen(r->family)) > 0) {
		/* iptables-nft 1.8.9 takes it (a rule that never matches) */
		char x[INET6_ADDRSTRLEN], y[INET6_ADDRSTRLEN];

		inet_ntop(r->family, &a[0], x, sizeof(x));
		inet_ntop(r->family, &a[1], y, sizeof(y));
		return nc_err_param(err, loc,
			"iprange: range %s-%s is reversed and will never match", x, y);
	}
	p->have |= bit;
	if (inv)
		p->inv |= bit;
	return 0;
}

static int ipr_check(struct nc_ext *e, const struct nc_rule *r,
		     struct nc_err *err)
{
	if (!((const struct nc_iprange *)e->data)->have)
		return nc_err_param(err, &e->loc,
			"iprange match: You must specify `--src-range' or `--dst-range'");
	return 0;
}

static void put_range(struct nc_buf *b, uint8_t family, const union nc_addr a[2])
{
	char x[INET6_ADDRSTRLEN], y[INET6_ADDRSTRLEN];

	inet_ntop(family, &a[0], x, sizeof(x));
	inet_ntop(family, &a[1], y, sizeof(y));
	nc_buf_printf(b, "%s-%s", x, y);
}

static void ipr_save(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b)
{
	const struct nc_iprange *p = e->data;

	if (p->have & IPR_SRC) {
		nc_buf_puts(b, p->inv & IPR_SRC ? " ! --src-range " : " --src-range ");
		put_range(b, r->family, p->src);
	}
	if (p->have & IPR_DST) {
		nc_buf_puts(b, p->inv & IPR_DST ? " ! --dst-range " : " --dst-range ");
		put_range(b, r->family, p->dst);
	}
}

static void ipr_print(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b, unsigned fmt)
{
	const struct nc_iprange *p = e->data;

	if (p->have & IPR_SRC) {
		nc_buf_puts(b, p->inv & IPR_SRC ? " source IP range ! " :
			    " source IP range ");
		put_range(b, r->family, p->src);
	}
	if (p->have & IPR_DST) {
		nc_buf_puts(b, p->inv & IPR_DST ? " destination IP range ! " :
			    " destination IP range ");
		put_range(b, r->family, p->dst);
	}
}

static uint32_t offset(uint8_t family, uint8_t bit)
{
	if (family == AF_INET6)
		return bit == IPR_SRC ? 8 : 24;
	return bit == IPR_SRC ? 12 : 16;
}

static int lin_one(struct nc_exprs *out, uint8_t family, uint8_t bit,
		   const union nc_addr a[2], bool inv)
{
	uint32_t n = (uint32_t)alen(family);

	if (nc_expr_payload(out, NFT_PAYLOAD_NETWORK_HEADER, offset(family, bit), n) < 0)
		return -1;
	return nc_expr_between(out, &a[0], &a[1], n, inv);
}

static int ipr_linearize(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out)
{
	const struct nc_iprange *p = e->data;

	if ((p->have & IPR_SRC) &&
	    lin_one(out, r->family, IPR_SRC, p->src, p->inv & IPR_SRC) < 0)
		return -1;
	if ((p->have & IPR_DST) &&
	    lin_one(out, r->family, IPR_DST, p->dst, p->inv & IPR_DST) < 0)
		return -1;
	return 0;
}

static bool is_cmp(const struct nc_expr *x, uint32_t op, uint32_t n)
{
	return x && x->type == NC_E_CMP && x->u.cmp.op == op &&
	       x->u.cmp.len == n && x->u.cmp.sreg == NFT_REG_1;
}

/* One native range test at the cursor: the bit it tests, or 0. */
static uint8_t delin_native(const struct nc_rule *r, const struct nc_expr_cursor *c,
			    union nc_addr a[2], bool *inv, size_t *used)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1),
			     *y = nc_cursor_peek(c, 2);
	uint32_t n = (uint32_t)alen(r->family);
	uint8_t bit;

	if (!ld || ld->type != NC_E_PAYLOAD ||
	    ld->u.payload.base != NFT_PAYLOAD_NETWORK_HEADER ||
	    ld->u.payload.len != n || ld->u.payload.dreg != NFT_REG_1)
		return 0;
	if (ld->u.payload.offset == offset(r->family, IPR_SRC))
		bit = IPR_SRC;
	else if (ld->u.payload.offset == offset(r->family, IPR_DST))
		bit = IPR_DST;
	else
		return 0;
	memset(a, 0, 2 * sizeof(*a));
	if (x && x->type == NC_E_RANGE && x->u.range.op == NFT_RANGE_NEQ &&
	    x->u.range.len == n && x->u.range.sreg == NFT_REG_1) {
		memcpy(&a[0], x->u.range.from, n);
		memcpy(&a[1], x->u.range.to, n);
		*inv = true;
		*used = 2;
		return bit;
	}
	if (is_cmp(x, NFT_CMP_GTE, n) && is_cmp(y, NFT_CMP_LTE, n)) {
		memcpy(&a[0], x->u.cmp.data, n);
		memcpy(&a[1], y->u.cmp.data, n);
		*inv = false;
		*used = 3;
		return bit;
	}
	return 0;
}

/* struct xt_iprange_mtinfo: src_min, src_max, dst_min, dst_max (16 bytes
 * each), flags */
#define XT_IPR_LEN 65
#define XT_IPR_SRC 0x01
#define XT_IPR_DST 0x02
#define XT_IPR_SRC_INV 0x10
#define XT_IPR_DST_INV 0x20

static int delin_xt(const struct nc_rule *r, const struct nc_expr_cursor *c,
		    struct nc_iprange *p)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	const uint8_t *info;
	size_t n = alen(r->family);

	if (!x || x->type != NC_E_MATCH || strcmp(x->u.xt.name, "iprange") ||
	    x->u.xt.rev != 1 || x->u.xt.info_len < XT_IPR_LEN)
		return 0;
	info = nc_exprs_bytes(c->l, x->u.xt.info_off);
	if (!(info[64] & (XT_IPR_SRC | XT_IPR_DST)) ||
	    (info[64] & ~(XT_IPR_SRC | XT_IPR_DST | XT_IPR_SRC_INV | XT_IPR_DST_INV)))
		return 0;
	if (info[64] & XT_IPR_SRC) {
		memcpy(&p->src[0], info, n);
		memcpy(&p->src[1], info + 16, n);
		p->have |= IPR_SRC;
		if (info[64] & XT_IPR_SRC_INV)
			p->inv |= IPR_SRC;
	}
	if (info[64] & XT_IPR_DST) {
		memcpy(&p->dst[0], info + 32, n);
		memcpy(&p->dst[1], info + 48, n);
		p->have |= IPR_DST;
		if (info[64] & XT_IPR_DST_INV)
			p->inv |= IPR_DST;
	}
	return 1;
}

static int ipr_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_iprange tmp, *p;
	union nc_addr a[2];
	struct nc_ext *e;
	size_t used = 1;
	bool inv = false;
	uint8_t bit;

	memset(&tmp, 0, sizeof(tmp));
	bit = delin_native(r, c, a, &inv, &used);
	if (bit) {
		e = nc_rule_last_match(r, &nc_ext_iprange);
		/* src then dst make one match, as iptables prints them */
		if (e && (((struct nc_iprange *)e->data)->have & (bit | IPR_DST)))
			e = NULL;
		if (e && (e != &r->matches[r->nmatches - 1] ||
			  !nc_cursor_joins(c, r, e)))
			e = NULL;
		if (!e && !(e = nc_rule_add_match(r, &nc_ext_iprange)))
			return -1;
		p = e->data;
		memcpy(bit == IPR_SRC ? p->src : p->dst, a, sizeof(a));
		p->have |= bit;
		if (inv)
			p->inv |= bit;
	} else if (delin_xt(r, c, &tmp)) {
		if (!(e = nc_rule_add_match(r, &nc_ext_iprange)))
			return -1;
		memcpy(e->data, &tmp, sizeof(tmp));
	} else {
		return 0;
	}
	c->pos += used;
	return 1;
}

/* nft text: `ip saddr 192.0.2.1-192.0.2.9`, `ip daddr != A-B` */
static int ipr_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x)
{
	const struct nc_iprange *p = e->data;
	const char *l3 = r->family == AF_INET6 ? "ip6" : "ip";

	if (p->have & IPR_SRC) {
		nc_buf_printf(x->b, " %s saddr %s", l3, p->inv & IPR_SRC ? "!= " : "");
		put_range(x->b, r->family, p->src);
	}
	if (p->have & IPR_DST) {
		nc_buf_printf(x->b, " %s daddr %s", l3, p->inv & IPR_DST ? "!= " : "");
		put_range(x->b, r->family, p->dst);
	}
	return 0;
}

static void ipr_describe(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	const struct nc_iprange *p = e->data;

	if (p->have & IPR_SRC) {
		nc_buf_puts(b, p->inv & IPR_SRC ? ", from outside " : ", from ");
		put_range(b, r->family, p->src);
	}
	if (p->have & IPR_DST) {
		nc_buf_puts(b, p->inv & IPR_DST ? ", to outside " : ", to ");
		put_range(b, r->family, p->dst);
	}
}

static int in_range(const union nc_addr *a, const union nc_addr rg[2],
		    uint8_t family, bool inv)
{
	size_t n = alen(family);
	bool in = memcmp(a->b, rg[0].b, n) >= 0 && memcmp(a->b, rg[1].b, n) <= 0;

	return in != inv ? NC_PKT_YES : NC_PKT_NO;
}

static int ipr_packet(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_pkt *p)
{
	const struct nc_iprange *i = e->data;
	int m = NC_PKT_YES;

	if (i->have & IPR_SRC)
		m = nc_pkt_and(m, p->known & NC_PK_SRC ?
			       in_range(&p->src, i->src, r->family, i->inv & IPR_SRC) :
			       NC_PKT_MAYBE);
	if (i->have & IPR_DST)
		m = nc_pkt_and(m, p->known & NC_PK_DST ?
			       in_range(&p->dst, i->dst, r->family, i->inv & IPR_DST) :
			       NC_PKT_MAYBE);
	return m;
}

const struct nc_ext_ops nc_ext_iprange = {
	.name = "iprange",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_iprange),
	.opts = ipr_opts,
	.parse = ipr_parse,
	.check = ipr_check,
	.save = ipr_save,
	.print = ipr_print,
	.linearize = ipr_linearize,
	.delinearize = ipr_delinearize,
	.xlate = ipr_xlate,
	.describe = ipr_describe,
	.packet = ipr_packet,
};
