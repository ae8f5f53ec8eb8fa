// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MASQUERADE: SNAT to the outgoing interface's address.  Kernel: masq
 * (with port immediates for --to-ports); POSTROUTING only.
 */
#include "ir/ext/lib/nat.h"

static const struct nc_ext_opt masquerade_opts[] = {
	{ "to-ports", NC_NAT_O_TO, NC_EXTOPT_ARG },
	{ "random", NC_NAT_O_RANDOM, 0 },
	{ "random-fully", NC_NAT_O_RANDOM_FULLY, 0 },
	{ 0 }
};

static int masquerade_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return nc_nat_target_delinearize(&nc_ext_masquerade, r, c);
}

static const struct nc_nat_kind masquerade_kind = {
	.expr = NC_E_MASQ,
	.nat_type = 0,
	.to_opt = "to-ports",
	.list_to = "masq ports: ",
	.says = "source rewritten to",
	.own_addr = "the address of the interface the packet leaves through",
	.act = NC_ACT_SNAT,
	.nft = "masquerade",
};

const struct nc_ext_ops nc_ext_masquerade = {
	NC_NAT_TARGET_OPS(masquerade_kind, "MASQUERADE"),
	.opts = masquerade_opts,
	.hooks = NC_HOOK(NF_INET_POST_ROUTING),
	.delinearize = masquerade_delinearize,
};
