// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MASQUERADE: SNAT to the outgoing interface's address.  Kernel: masq
 * (with port immediates when --to-ports is given); POSTROUTING only.
 */
#include "ir/ext/nat.h"

enum { O_TO_PORTS, O_RANDOM, O_RANDOM_FULLY };

static const struct nc_ext_opt masq_opts[] = {
	{ "to-ports", O_TO_PORTS, NC_EXTOPT_ARG },
	{ "random", O_RANDOM, 0 },
	{ "random-fully", O_RANDOM_FULLY, 0 },
	{ 0 }
};

static int masq_parse(struct nc_ext *e, struct nc_rule *r,
		      const struct nc_ext_opt *opt, bool inv, const char *arg,
		      const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_nat *n = e->data;

	if (nc_nat_once(n, e, (unsigned)opt->id, opt->name, loc, err) < 0)
		return -1;
	switch (opt->id) {
	case O_TO_PORTS:
		return nc_nat_parse_ports(n, r, arg, loc, err);
	case O_RANDOM:
		n->flags |= NF_NAT_RANGE_PROTO_RANDOM;
		return 0;
	default:
		n->flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
		return 0;
	}
}

static int masq_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	((struct nc_nat *)e->data)->given = 0;
	return 0;
}

static void masq_save(const struct nc_ext *e, const struct nc_rule *r, struct nc_buf *b)
{
	const struct nc_nat *n = e->data;

	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		nc_buf_puts(b, " --to-ports ");
		nc_nat_print_ports(n, b);
	}
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nc_buf_puts(b, " --random");
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY)
		nc_buf_puts(b, " --random-fully");
}

static void masq_print(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b, unsigned fmt)
{
	const struct nc_nat *n = e->data;

	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		nc_buf_puts(b, " masq ports: ");
		nc_nat_print_ports(n, b);
	}
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nc_buf_puts(b, " random");
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY)
		nc_buf_puts(b, " random-fully");
}

static int masq_linearize(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_exprs *out)
{
	return nc_nat_linearize(e->data, r->family, NC_E_MASQ, 0, out);
}

static int masq_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_nat n;
	int rc = nc_nat_delinearize(&n, r->family, NC_E_MASQ, 0, c);

	if (rc <= 0)
		return rc;
	if (nc_rule_set_target(r, &nc_ext_masquerade) < 0)
		return -1;
	*(struct nc_nat *)r->target.data = n;
	return 1;
}

const struct nc_ext_ops nc_ext_masquerade = {
	.name = "MASQUERADE",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_nat),
	.opts = masq_opts,
	.hooks = NC_HOOK(NF_INET_POST_ROUTING),
	.parse = masq_parse,
	.check = masq_check,
	.save = masq_save,
	.print = masq_print,
	.linearize = masq_linearize,
	.delinearize = masq_delinearize,
};
