// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The length match: -m length [!] --length N | MIN:MAX | :MAX | MIN:
 * (0-65535).  Kernel form as nft writes `meta length N` / `meta length
 * MIN-MAX` (see metarange.h); iptables-nft 1.8.9 writes an xt length
 * match (min, max, invert), also read back.  A reversed range never
 * matches: iptables-nft takes it, natc refuses it (nft does too).
 */
#include <string.h>
#include "ir/ext/lib/metarange.h"
#include "ir/ext/lib/xtnum.h"

struct nc_length {
	uint16_t min, max;
	bool inv, set;
};

enum { OPT_LENGTH = 1 };

static const struct nc_ext_opt len_opts[] = {
	{ "length", OPT_LENGTH, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static int bad(struct nc_err *err, const struct nc_loc *loc, const char *near)
{
	return nc_err_param(err, loc,
		"length: bad value for option \"--length\" near \"%s\", or out of range (0-65535).\n",
		near);
}

static int len_parse(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_length *l = e->data;
	const char *colon = strchr(arg, ':'), *end;
	uint64_t lo = 0, hi = 65535;

	if (l->set)
		return nc_err_param(err, loc,
			"length: option \"--length\" can only be used once.\n");
	if (arg != colon) {
		if (!nc_xt_uint_prefix(arg, 0, 65535, &lo, &end) ||
		    (*end && *end != ':'))
			return bad(err, loc, arg);
	}
	if (!colon)
		hi = lo;
	else if (colon[1] && !nc_xt_uint(colon + 1, 0, 65535, &hi))
		return bad(err, loc, colon + 1);
	if (lo > hi)
		return nc_err_param(err, loc,
			"length: range %u:%u is reversed and will never match",
			(unsigned)lo, (unsigned)hi);
	l->min = (uint16_t)lo;
	l->max = (uint16_t)hi;
	l->inv = inv;
	l->set = true;
	return 0;
}

static int len_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	if (!((const struct nc_length *)e->data)->set)
		return nc_err_param(err, &e->loc,
			"length: option \"--length\" must be specified\n");
	return 0;
}

static void put(struct nc_buf *b, const struct nc_length *l)
{
	if (l->min == l->max)
		nc_buf_printf(b, "%u", l->min);
	else
		nc_buf_printf(b, "%u:%u", l->min, l->max);
}

static void len_save(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b)
{
	const struct nc_length *l = e->data;

	nc_buf_puts(b, l->inv ? " ! --length " : " --length ");
	put(b, l);
}

static void len_print(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b, unsigned fmt)
{
	const struct nc_length *l = e->data;

	nc_buf_puts(b, l->inv ? " length !" : " length ");
	put(b, l);
}

static int len_linearize(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out)
{
	const struct nc_length *l = e->data;

	return nc_metarange_linearize(out, NFT_META_LEN, l->min, l->max, l->inv);
}

static int len_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	uint32_t min, max;
	size_t used;
	bool inv;
	struct nc_ext *e;
	struct nc_length *l;

	used = nc_metarange_delinearize(c, NFT_META_LEN, &min, &max, &inv);
	if (!used && x && x->type == NC_E_MATCH && !strcmp(x->u.xt.name, "length") &&
	    x->u.xt.rev == 0 && x->u.xt.info_len >= 5) {
		/* struct xt_length_info: u16 min, max; u8 invert */
		const uint8_t *info = nc_exprs_bytes(c->l, x->u.xt.info_off);
		uint16_t v[2];

		memcpy(v, info, sizeof(v));
		min = v[0];
		max = v[1];
		inv = info[4] & 1;
		used = 1;
	}
	if (!used || max > 65535 || min > max)
		return 0;
	if (!(e = nc_rule_add_match(r, &nc_ext_length)))
		return -1;
	l = e->data;
	l->min = (uint16_t)min;
	l->max = (uint16_t)max;
	l->inv = inv;
	l->set = true;
	c->pos += used;
	return 1;
}

static int len_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x)
{
	const struct nc_length *l = e->data;

	nc_metarange_xlate(x->b, "length", l->min, l->max, l->inv);
	return 0;
}

static void len_describe(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	const struct nc_length *l = e->data;

	(void)r;
	if (l->min == l->max)
		nc_buf_printf(b, ", %s%u bytes long (IP packet)", l->inv ? "not " : "", l->min);
	else
		nc_buf_printf(b, ", %s%u to %u bytes long (IP packet)", l->inv ? "not " : "",
			      l->min, l->max);
}

const struct nc_ext_ops nc_ext_length = {
	.name = "length",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_length),
	.opts = len_opts,
	.parse = len_parse,
	.check = len_check,
	.save = len_save,
	.print = len_print,
	.linearize = len_linearize,
	.delinearize = len_delinearize,
	.xlate = len_xlate,
	.describe = len_describe,
	/* no packet callback: the packet model has no length */
};
