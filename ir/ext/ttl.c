// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ttl match (IPv4): -m ttl [!] --ttl-eq N | --ttl-lt N | --ttl-gt N.
 *
 * Kernel form, as nft writes `ip ttl 5`, `ip ttl != 5`, `ip ttl lt 5`,
 * `ip ttl gt 5`: [payload load 1b @ network header + 8] [cmp eq|neq|lt|gt
 * N].  iptables-nft 1.8.9 writes an xt ttl match (revision 0: mode, ttl),
 * also read back.
 */
#include <string.h>
#include "ir/ext.h"
#include "ir/ext/lib/xtnum.h"

enum { TTL_EQ, TTL_NE, TTL_LT, TTL_GT };	/* IPT_TTL_* */

struct nc_ttl {
	uint8_t mode, ttl;
	bool set;
};

enum { OPT_EQ = 1, OPT_LT, OPT_GT };

static const struct nc_ext_opt ttl_opts[] = {
	{ "ttl-eq", OPT_EQ, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "ttl-lt", OPT_LT, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "ttl-gt", OPT_GT, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static const char *const opt_name[] = {
	[TTL_EQ] = "ttl-eq", [TTL_NE] = "ttl-eq", [TTL_LT] = "ttl-lt",
	[TTL_GT] = "ttl-gt",
};

static int ttl_parse(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_ttl *t = e->data;
	uint64_t v;

	if (t->set && !strcmp(opt_name[t->mode], opt->name))
		return nc_err_param(err, loc,
			"ttl: option \"--%s\" can only be used once.\n", opt->name);
	/* iptables: --ttl-lt and --ttl-gt exclude the others as they are
	 * read; --ttl-eq is caught at the end, named second */
	if (t->set)
		return nc_err_param(err, loc,
			"ttl: option \"--%s\" cannot be used together with \"--%s\".\n",
			opt->id == OPT_EQ ? opt_name[t->mode] : opt->name,
			opt->id == OPT_EQ ? opt->name : opt_name[t->mode]);
	if (inv && opt->id != OPT_EQ)
		return nc_err_param(err, loc,
			"ttl: option \"--%s\" cannot be inverted.\n", opt->name);
	if (!nc_xt_uint(arg, 0, 255, &v))
		return nc_err_param(err, loc,
			"ttl: bad value for option \"--%s\", or out of range (0-255).\n",
			opt->name);
	t->mode = opt->id == OPT_LT ? TTL_LT : opt->id == OPT_GT ? TTL_GT :
		  inv ? TTL_NE : TTL_EQ;
	t->ttl = (uint8_t)v;
	t->set = true;
	return 0;
}

static int ttl_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	if (!((const struct nc_ttl *)e->data)->set)
		return nc_err_param(err, &e->loc,
			"TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt");
	return 0;
}

static void ttl_save(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b)
{
	static const char *const s[] = {
		[TTL_EQ] = " --ttl-eq", [TTL_NE] = " ! --ttl-eq",
		[TTL_LT] = " --ttl-lt", [TTL_GT] = " --ttl-gt",
	};
	const struct nc_ttl *t = e->data;

	nc_buf_printf(b, "%s %u", s[t->mode], t->ttl);
}

static void ttl_print(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b, unsigned fmt)
{
	static const char *const s[] = {
		[TTL_EQ] = "==", [TTL_NE] = "!=", [TTL_LT] = "<", [TTL_GT] = ">",
	};
	const struct nc_ttl *t = e->data;

	nc_buf_printf(b, " TTL match TTL %s %u", s[t->mode], t->ttl);
}

static const uint32_t cmp_op[] = {
	[TTL_EQ] = NFT_CMP_EQ, [TTL_NE] = NFT_CMP_NEQ,
	[TTL_LT] = NFT_CMP_LT, [TTL_GT] = NFT_CMP_GT,
};

static int ttl_linearize(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out)
{
	const struct nc_ttl *t = e->data;

	if (nc_expr_payload(out, NFT_PAYLOAD_NETWORK_HEADER, 8, 1) < 0)
		return -1;
	return nc_expr_cmp(out, cmp_op[t->mode], &t->ttl, 1);
}

static int ttl_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	struct nc_ext *e;
	struct nc_ttl *t;
	uint8_t mode = 0, ttl, info[2];	/* struct ipt_ttl_info: mode, ttl */
	size_t used = 2;

	if (r->family != AF_INET || !ld)
		return 0;
	if (ld->type == NC_E_PAYLOAD && ld->u.payload.base == NFT_PAYLOAD_NETWORK_HEADER &&
	    ld->u.payload.offset == 8 && ld->u.payload.len == 1 &&
	    ld->u.payload.dreg == NFT_REG_1 && x && x->type == NC_E_CMP &&
	    x->u.cmp.len == 1 && x->u.cmp.sreg == NFT_REG_1) {
		while (mode <= TTL_GT && cmp_op[mode] != x->u.cmp.op)
			mode++;
		if (mode > TTL_GT)
			return 0;
		ttl = x->u.cmp.data[0];
	} else if (ld->type == NC_E_MATCH && !strcmp(ld->u.xt.name, "ttl") &&
		   ld->u.xt.rev == 0 && ld->u.xt.info_len >= sizeof(info)) {
		memcpy(info, nc_exprs_bytes(c->l, ld->u.xt.info_off), sizeof(info));
		if (info[0] > TTL_GT)
			return 0;
		mode = info[0];
		ttl = info[1];
		used = 1;
	} else {
		return 0;
	}
	if (!(e = nc_rule_add_match(r, &nc_ext_ttl)))
		return -1;
	t = e->data;
	t->mode = mode;
	t->ttl = ttl;
	t->set = true;
	c->pos += used;
	return 1;
}

/* nft text: `ip ttl 5`, `ip ttl != 5`, `ip ttl lt 5`, `ip ttl gt 5` */
static int ttl_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x)
{
	static const char *const op[] = {
		[TTL_EQ] = "", [TTL_NE] = "!= ", [TTL_LT] = "lt ", [TTL_GT] = "gt ",
	};
	const struct nc_ttl *t = e->data;

	nc_buf_printf(x->b, " ip ttl %s%u", op[t->mode], t->ttl);
	return 0;
}

static void ttl_describe(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	static const char *const s[] = {
		[TTL_EQ] = "", [TTL_NE] = "other than ",
		[TTL_LT] = "below ", [TTL_GT] = "above ",
	};
	const struct nc_ttl *t = e->data;

	(void)r;
	nc_buf_printf(b, ", with a TTL %s%u", s[t->mode & 3], t->ttl);
}

const struct nc_ext_ops nc_ext_ttl = {
	.name = "ttl",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4,
	.size = sizeof(struct nc_ttl),
	.opts = ttl_opts,
	.parse = ttl_parse,
	.check = ttl_check,
	.save = ttl_save,
	.print = ttl_print,
	.linearize = ttl_linearize,
	.delinearize = ttl_delinearize,
	.xlate = ttl_xlate,
	.describe = ttl_describe,
	/* no packet callback: the packet model has no TTL */
};
