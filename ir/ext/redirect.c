// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * REDIRECT: DNAT to the host itself (the incoming interface's primary
 * address, or loopback for local traffic).  Kernel: redir; PREROUTING
 * and OUTPUT only.
 */
#include "ir/ext/lib/nat.h"

static const struct nc_ext_opt redirect_opts[] = {
	{ "to-ports", NC_NAT_O_TO, NC_EXTOPT_ARG },
	{ "random", NC_NAT_O_RANDOM, 0 },
	{ 0 }
};

static int redirect_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return nc_nat_target_delinearize(&nc_ext_redirect, r, c);
}

static const struct nc_nat_kind redirect_kind = {
	.expr = NC_E_REDIR,
	.nat_type = 0,
	.to_opt = "to-ports",
	.list_to = "redir ports ",
	.says = "destination rewritten to",
	.own_addr = "this host itself (the incoming interface's address; 127.0.0.1 for its own traffic)",
	.act = NC_ACT_DNAT,
	.nft = "redirect",
};

const struct nc_ext_ops nc_ext_redirect = {
	NC_NAT_TARGET_OPS(redirect_kind, "REDIRECT"),
	.opts = redirect_opts,
	.hooks = NC_HOOK(NF_INET_PRE_ROUTING) | NC_HOOK(NF_INET_LOCAL_OUT),
	.delinearize = redirect_delinearize,
};
