// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mark match: -m mark [!] --mark VALUE[/MASK].
 *
 * Kernel form, the same from nft (`meta mark & MASK == VALUE`) and from
 * iptables-nft 1.8.9: [meta load mark] [bitwise & MASK] [cmp eq|neq
 * VALUE], the bitwise left out when MASK is 0xffffffff (nft writes one
 * with a full mask for `meta mark & 0xffffffff == V`; both read back).
 */
#include <string.h>
#include "ir/ext.h"
#include "ir/ext/lib/xtnum.h"

struct nc_mark {
	uint32_t mark, mask;
	bool inv, set;
};

enum { OPT_MARK = 1 };

static const struct nc_ext_opt mark_opts[] = {
	{ "mark", OPT_MARK, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static int mark_parse(struct nc_ext *e, struct nc_rule *r,
		      const struct nc_ext_opt *opt, bool inv, const char *arg,
		      const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_mark *m = e->data;
	uint64_t v, mask = UINT32_MAX;
	const char *end;

	if (m->set)
		return nc_err_param(err, loc,
			"mark: option \"--mark\" can only be used once.\n");
	if (!nc_xt_uint_prefix(arg, 0, UINT32_MAX, &v, &end) ||
	    (*end == '/' && !nc_xt_uint(end + 1, 0, UINT32_MAX, &mask)) ||
	    (*end && *end != '/'))
		return nc_err_param(err, loc,
			"mark: bad integer value for option \"--mark\", or out of range.\n");
	m->mark = (uint32_t)v;
	m->mask = (uint32_t)mask;
	m->inv = inv;
	m->set = true;
	return 0;
}

static int mark_check(struct nc_ext *e, const struct nc_rule *r,
		      struct nc_err *err)
{
	if (!((const struct nc_mark *)e->data)->set)
		return nc_err_param(err, &e->loc,
			"mark: option \"--mark\" must be specified\n");
	return 0;
}

static void put_mark(struct nc_buf *b, const struct nc_mark *m)
{
	nc_buf_printf(b, " 0x%x", m->mark);
	if (m->mask != UINT32_MAX)
		nc_buf_printf(b, "/0x%x", m->mask);
}

static void mark_save(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b)
{
	const struct nc_mark *m = e->data;

	nc_buf_puts(b, m->inv ? " ! --mark" : " --mark");
	put_mark(b, m);
}

static void mark_print(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b, unsigned fmt)
{
	const struct nc_mark *m = e->data;

	nc_buf_puts(b, m->inv ? " mark match !" : " mark match");
	put_mark(b, m);
}

static int mark_linearize(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_exprs *out)
{
	const struct nc_mark *m = e->data;

	if (nc_expr_meta(out, NFT_META_MARK) < 0)
		return -1;
	if (m->mask != UINT32_MAX && nc_expr_bitwise(out, &m->mask, 4) < 0)
		return -1;
	return nc_expr_cmp(out, m->inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &m->mark, 4);
}

static bool zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static int mark_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	struct nc_mark m = { .mask = UINT32_MAX, .set = true };
	struct nc_ext *e;
	size_t n = 2;

	if (!ld || ld->type != NC_E_META || ld->u.meta.key != NFT_META_MARK ||
	    ld->u.meta.sreg || ld->u.meta.dreg != NFT_REG_1 || !x)
		return 0;
	if (x->type == NC_E_BITWISE) {
		if (x->u.bitwise.len != 4 || x->u.bitwise.sreg != NFT_REG_1 ||
		    x->u.bitwise.dreg != NFT_REG_1 || !zero(x->u.bitwise.xor, 4))
			return 0;
		memcpy(&m.mask, x->u.bitwise.mask, 4);
		x = nc_cursor_peek(c, 2);
		n = 3;
	}
	if (!x || x->type != NC_E_CMP || x->u.cmp.len != 4 ||
	    x->u.cmp.sreg != NFT_REG_1 ||
	    (x->u.cmp.op != NFT_CMP_EQ && x->u.cmp.op != NFT_CMP_NEQ))
		return 0;
	memcpy(&m.mark, x->u.cmp.data, 4);
	m.inv = x->u.cmp.op == NFT_CMP_NEQ;
	if (!(e = nc_rule_add_match(r, &nc_ext_mark)))
		return -1;
	/* field by field: the zeroed padding stays zero for nc_rule_equal */
	((struct nc_mark *)e->data)->mark = m.mark;
	((struct nc_mark *)e->data)->mask = m.mask;
	((struct nc_mark *)e->data)->inv = m.inv;
	((struct nc_mark *)e->data)->set = true;
	c->pos += n;
	return 1;
}

/* nft text, as iptables-translate writes it: `mark 0x5`, `mark and 0xff
 * != 0x5` (nft's short forms of `meta mark ...`) */
static int mark_xlate(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_xlate *x)
{
	const struct nc_mark *m = e->data;

	if (m->mask == UINT32_MAX)
		nc_buf_printf(x->b, " mark %s0x%x", m->inv ? "!= " : "", m->mark);
	else
		nc_buf_printf(x->b, " mark and 0x%x %s 0x%x", m->mask,
			      m->inv ? "!=" : "==", m->mark);
	return 0;
}

static void mark_describe(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_buf *b)
{
	const struct nc_mark *m = e->data;

	(void)r;
	if (m->mask == UINT32_MAX)
		nc_buf_printf(b, ", whose packet mark is %s0x%x",
			      m->inv ? "not " : "", m->mark);
	else if (m->mark == m->mask || m->mark == 0) {
		bool one = !(m->mask & (m->mask - 1));
		const char *bits = one ? "bit" : "bits";

		if (!m->inv)
			nc_buf_printf(b, ", whose packet mark has %s 0x%x %s", bits,
				      m->mask, m->mark ? "set" : "clear");
		else
			nc_buf_printf(b, ", whose packet mark has %s 0x%x %s", bits,
				      m->mask, m->mark ? (one ? "clear" : "not all set") :
				      (one ? "set" : "not all clear"));
	}
	else
		nc_buf_printf(b, ", whose packet mark, masked with 0x%x, is %s0x%x",
			      m->mask, m->inv ? "not " : "", m->mark);
}

/* The mark is known in traces (0 unless the trace says otherwise, or a
 * MARK rule set it), unknown to the static checks. */
static int mark_packet(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_pkt *p)
{
	const struct nc_mark *m = e->data;

	(void)r;
	if (!(p->known & NC_PK_MARK))
		return NC_PKT_MAYBE;
	return ((p->mark & m->mask) == m->mark) != m->inv ? NC_PKT_YES : NC_PKT_NO;
}

const struct nc_ext_ops nc_ext_mark = {
	.name = "mark",
	.iptables_native = true,
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_mark),
	.opts = mark_opts,
	.parse = mark_parse,
	.check = mark_check,
	.save = mark_save,
	.print = mark_print,
	.linearize = mark_linearize,
	.delinearize = mark_delinearize,
	.xlate = mark_xlate,
	.describe = mark_describe,
	.packet = mark_packet,
};
