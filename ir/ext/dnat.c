// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DNAT: rewrite the destination.  Kernel: immediates + nat dnat; allowed
 * in PREROUTING and OUTPUT (the kernel enforces it, jumps included).
 */
#include "ir/ext/nat.h"

enum { O_TO, O_RANDOM, O_PERSISTENT };

static const struct nc_ext_opt dnat_opts[] = {
	{ "to-destination", O_TO, NC_EXTOPT_ARG },
	{ "random", O_RANDOM, 0 },
	{ "persistent", O_PERSISTENT, 0 },
	{ 0 }
};

static int dnat_parse(struct nc_ext *e, struct nc_rule *r,
		      const struct nc_ext_opt *opt, bool inv, const char *arg,
		      const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_nat *n = e->data;

	if (nc_nat_once(n, e, (unsigned)opt->id, opt->name, loc, err) < 0)
		return -1;
	switch (opt->id) {
	case O_TO:
		return nc_nat_parse_range(n, r, arg, "destination", loc, err);
	case O_RANDOM:
		n->flags |= NF_NAT_RANGE_PROTO_RANDOM;
		return 0;
	default:
		n->flags |= NF_NAT_RANGE_PERSISTENT;
		return 0;
	}
}

static int dnat_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	struct nc_nat *n = e->data;

	if (!(n->given & (1u << O_TO)))
		return nc_err_param(err, &e->loc,
			"DNAT: option \"--to-destination\" must be specified");
	n->given = 0;
	return 0;
}

static void dnat_save(const struct nc_ext *e, const struct nc_rule *r, struct nc_buf *b)
{
	const struct nc_nat *n = e->data;

	nc_buf_puts(b, " --to-destination ");
	nc_nat_print_range(n, r->family, b);
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nc_buf_puts(b, " --random");
	if (n->flags & NF_NAT_RANGE_PERSISTENT)
		nc_buf_puts(b, " --persistent");
}

static void dnat_print(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b, unsigned fmt)
{
	const struct nc_nat *n = e->data;

	nc_buf_puts(b, " to:");
	nc_nat_print_range(n, r->family, b);
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nc_buf_puts(b, " random");
	if (n->flags & NF_NAT_RANGE_PERSISTENT)
		nc_buf_puts(b, " persistent");
}

static int dnat_linearize(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_exprs *out)
{
	return nc_nat_linearize(e->data, r->family, NC_E_NAT, NFT_NAT_DNAT, out);
}

static int dnat_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_nat n;
	int rc = nc_nat_delinearize(&n, r->family, NC_E_NAT, NFT_NAT_DNAT, c);

	if (rc <= 0)
		return rc;
	if (nc_rule_set_target(r, &nc_ext_dnat) < 0)
		return -1;
	*(struct nc_nat *)r->target.data = n;
	return 1;
}

const struct nc_ext_ops nc_ext_dnat = {
	.name = "DNAT",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_nat),
	.opts = dnat_opts,
	.hooks = NC_HOOK(NF_INET_PRE_ROUTING) | NC_HOOK(NF_INET_LOCAL_OUT),
	.parse = dnat_parse,
	.check = dnat_check,
	.save = dnat_save,
	.print = dnat_print,
	.linearize = dnat_linearize,
	.delinearize = dnat_delinearize,
};
