// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DNAT: rewrite the destination.  Kernel: immediates + nat dnat; the
 * kernel allows it in PREROUTING and OUTPUT (jumps included).
 */
#include "ir/ext/lib/nat.h"

static const struct nc_ext_opt dnat_opts[] = {
	{ "to-destination", NC_NAT_O_TO, NC_EXTOPT_ARG },
	{ "random", NC_NAT_O_RANDOM, 0 },
	{ "persistent", NC_NAT_O_PERSISTENT, 0 },
	{ 0 }
};

static int dnat_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return nc_nat_target_delinearize(&nc_ext_dnat, r, c);
}

static const struct nc_nat_kind dnat_kind = {
	.expr = NC_E_NAT,
	.nat_type = NFT_NAT_DNAT,
	.to_opt = "to-destination",
	.list_to = "to:",
	.says = "destination rewritten to",
	.act = NC_ACT_DNAT,
	.nft = "dnat",
	.port_offset = true,
};

const struct nc_ext_ops nc_ext_dnat = {
	NC_NAT_TARGET_OPS(dnat_kind, "DNAT"),
	.opts = dnat_opts,
	.hooks = NC_HOOK(NF_INET_PRE_ROUTING) | NC_HOOK(NF_INET_LOCAL_OUT),
	.delinearize = dnat_delinearize,
};
