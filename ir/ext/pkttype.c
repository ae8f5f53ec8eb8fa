// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pkttype match: -m pkttype [!] --pkt-type unicast|broadcast|
 * multicast|otherhost (host: unicast), any case; other types read from
 * the kernel print as numbers, as iptables prints them.
 *
 * Kernel form, as nft writes `meta pkttype broadcast`: [meta load pkttype]
 * [cmp eq|neq TYPE], one byte.  iptables-nft 1.8.9 writes an xt pkttype
 * match (revision 0: int pkttype, int invert), also read back.
 */
#include <string.h>
#include <strings.h>
#include "ir/ext.h"

struct nc_pkttype {
	uint8_t type;
	bool inv, set;
};

static const struct { const char *name; uint8_t type; } types[] = {
	/* the first name of a type is the one printed */
	{ "unicast", 0 }, { "broadcast", 1 }, { "multicast", 2 },
	{ "host", 0 }, { "otherhost", 3 },
};
#define N_TYPES (sizeof(types) / sizeof(types[0]))

enum { OPT_TYPE = 1 };

static const struct nc_ext_opt pt_opts[] = {
	{ "pkt-type", OPT_TYPE, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static int pt_parse(struct nc_ext *e, struct nc_rule *r,
		    const struct nc_ext_opt *opt, bool inv, const char *arg,
		    const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_pkttype *p = e->data;
	size_t i;

	if (p->set)
		return nc_err_param(err, loc,
			"pkttype: option \"--pkt-type\" can only be used once.\n");
	for (i = 0; i < N_TYPES && strcasecmp(types[i].name, arg); i++)
		;
	if (i == N_TYPES)
		return nc_err_param(err, loc, "Bad packet type '%s'", arg);
	p->type = types[i].type;
	p->inv = inv;
	p->set = true;
	return 0;
}

static int pt_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	if (!((const struct nc_pkttype *)e->data)->set)
		return nc_err_param(err, &e->loc,
			"pkttype: option \"--pkt-type\" must be specified\n");
	return 0;
}

static void put_type(struct nc_buf *b, uint8_t type)
{
	for (size_t i = 0; i < N_TYPES; i++)
		if (types[i].type == type) {
			nc_buf_puts(b, types[i].name);
			return;
		}
	nc_buf_printf(b, "%u", type);
}

static void pt_save(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_buf *b)
{
	const struct nc_pkttype *p = e->data;

	nc_buf_puts(b, p->inv ? " ! --pkt-type " : " --pkt-type ");
	put_type(b, p->type);
}

static void pt_print(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b, unsigned fmt)
{
	const struct nc_pkttype *p = e->data;

	nc_buf_puts(b, p->inv ? " PKTTYPE != " : " PKTTYPE = ");
	put_type(b, p->type);
}

static int pt_linearize(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_exprs *out)
{
	const struct nc_pkttype *p = e->data;

	if (nc_expr_meta(out, NFT_META_PKTTYPE) < 0)
		return -1;
	return nc_expr_cmp(out, p->inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &p->type, 1);
}

static int pt_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	struct nc_pkttype *p;
	struct nc_ext *e;
	int32_t info[2];	/* struct xt_pkttype_info */
	size_t used = 2;
	uint8_t type;
	bool inv;

	if (ld && ld->type == NC_E_META && ld->u.meta.key == NFT_META_PKTTYPE &&
	    !ld->u.meta.sreg && ld->u.meta.dreg == NFT_REG_1 &&
	    x && x->type == NC_E_CMP && x->u.cmp.len == 1 &&
	    x->u.cmp.sreg == NFT_REG_1 &&
	    (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ)) {
		type = x->u.cmp.data[0];
		inv = x->u.cmp.op == NFT_CMP_NEQ;
	} else if (ld && ld->type == NC_E_MATCH && !strcmp(ld->u.xt.name, "pkttype") &&
		   ld->u.xt.rev == 0 && ld->u.xt.info_len >= sizeof(info)) {
		memcpy(info, nc_exprs_bytes(c->l, ld->u.xt.info_off), sizeof(info));
		if (info[0] < 0 || info[0] > 255 || info[1] < 0 || info[1] > 1)
			return 0;
		type = (uint8_t)info[0];
		inv = info[1];
		used = 1;
	} else {
		return 0;
	}
	if (!(e = nc_rule_add_match(r, &nc_ext_pkttype)))
		return -1;
	p = e->data;
	p->type = type;
	p->inv = inv;
	p->set = true;
	c->pos += used;
	return 1;
}

/* nft text, as iptables-translate writes it: `pkttype broadcast` (nft's
 * short form of `meta pkttype`; its name for otherhost differs: a number) */
static int pt_xlate(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_xlate *x)
{
	static const char *const nft_names[] = { "unicast", "broadcast", "multicast" };
	const struct nc_pkttype *p = e->data;

	nc_buf_puts(x->b, p->inv ? " pkttype != " : " pkttype ");
	if (p->type < 3)
		nc_buf_puts(x->b, nft_names[p->type]);
	else
		nc_buf_putu(x->b, p->type);
	return 0;
}

static void pt_describe(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b)
{
	const struct nc_pkttype *p = e->data;
	static const char *const what[] = {
		"this host's link-layer address (unicast)",
		"the link-layer broadcast address",
		"a link-layer multicast address",
		"another host's link-layer address",
	};

	(void)r;
	if (p->type < 4)
		nc_buf_printf(b, ", %ssent to %s", p->inv ? "not " : "", what[p->type]);
	else
		nc_buf_printf(b, ", %sof link-layer packet type %u", p->inv ? "not " : "",
			      p->type);
}

/* The link-layer type follows from the destination address only for
 * multicast (224.0.0.0/4) and the limited broadcast; other addresses
 * may be sent to a broadcast link-layer address. */
static int pt_packet(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_pkt *p)
{
	const struct nc_pkttype *t = e->data;
	int type;

	if (r->family != AF_INET || !(p->known & NC_PK_DST))
		return NC_PKT_MAYBE;
	if ((p->dst.b[0] & 0xf0) == 0xe0)
		type = 2;
	else if (p->dst.ip == 0xffffffff)
		type = 1;
	else if (t->type == 2)
		type = 0;	/* not multicast whatever else it is */
	else
		return NC_PKT_MAYBE;
	return (type == t->type) != t->inv ? NC_PKT_YES : NC_PKT_NO;
}

const struct nc_ext_ops nc_ext_pkttype = {
	.name = "pkttype",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_pkttype),
	.opts = pt_opts,
	.parse = pt_parse,
	.check = pt_check,
	.save = pt_save,
	.print = pt_print,
	.linearize = pt_linearize,
	.delinearize = pt_delinearize,
	.xlate = pt_xlate,
	.describe = pt_describe,
	.packet = pt_packet,
};
