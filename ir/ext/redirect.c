// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * REDIRECT: DNAT to the host itself (the incoming interface's primary
 * address, or loopback for local traffic).  Kernel: redir; PREROUTING and
 * OUTPUT only.
 */
#include "ir/ext/nat.h"

enum { O_TO_PORTS, O_RANDOM };

static const struct nc_ext_opt redir_opts[] = {
	{ "to-ports", O_TO_PORTS, NC_EXTOPT_ARG },
	{ "random", O_RANDOM, 0 },
	{ 0 }
};

static int redir_parse(struct nc_ext *e, struct nc_rule *r,
		       const struct nc_ext_opt *opt, bool inv, const char *arg,
		       const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_nat *n = e->data;

	if (nc_nat_once(n, e, (unsigned)opt->id, opt->name, loc, err) < 0)
		return -1;
	if (opt->id == O_TO_PORTS)
		return nc_nat_parse_ports(n, r, arg, loc, err);
	n->flags |= NF_NAT_RANGE_PROTO_RANDOM;
	return 0;
}

static int redir_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	((struct nc_nat *)e->data)->given = 0;
	return 0;
}

static void redir_save(const struct nc_ext *e, const struct nc_rule *r, struct nc_buf *b)
{
	const struct nc_nat *n = e->data;

	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		nc_buf_puts(b, " --to-ports ");
		nc_nat_print_ports(n, b);
	}
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nc_buf_puts(b, " --random");
}

static void redir_print(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b, unsigned fmt)
{
	const struct nc_nat *n = e->data;

	if (n->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		nc_buf_puts(b, " redir ports ");
		nc_nat_print_ports(n, b);
	}
	if (n->flags & NF_NAT_RANGE_PROTO_RANDOM)
		nc_buf_puts(b, " random");
}

static int redir_linearize(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_exprs *out)
{
	return nc_nat_linearize(e->data, r->family, NC_E_REDIR, 0, out);
}

static int redir_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_nat n;
	int rc = nc_nat_delinearize(&n, r->family, NC_E_REDIR, 0, c);

	if (rc <= 0)
		return rc;
	if (nc_rule_set_target(r, &nc_ext_redirect) < 0)
		return -1;
	*(struct nc_nat *)r->target.data = n;
	return 1;
}

const struct nc_ext_ops nc_ext_redirect = {
	.name = "REDIRECT",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_nat),
	.opts = redir_opts,
	.hooks = NC_HOOK(NF_INET_PRE_ROUTING) | NC_HOOK(NF_INET_LOCAL_OUT),
	.parse = redir_parse,
	.check = redir_check,
	.save = redir_save,
	.print = redir_print,
	.linearize = redir_linearize,
	.delinearize = redir_delinearize,
};
