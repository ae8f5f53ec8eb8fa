// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SNAT: rewrite the source.  Kernel: immediates + nat snat; the kernel
 * allows it in POSTROUTING and INPUT.
 */
#include "ir/ext/lib/nat.h"

static const struct nc_ext_opt snat_opts[] = {
	{ "to-source", NC_NAT_O_TO, NC_EXTOPT_ARG },
	{ "random", NC_NAT_O_RANDOM, 0 },
	{ "random-fully", NC_NAT_O_RANDOM_FULLY, 0 },
	{ "persistent", NC_NAT_O_PERSISTENT, 0 },
	{ 0 }
};

static int snat_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return nc_nat_target_delinearize(&nc_ext_snat, r, c);
}

static const struct nc_nat_kind snat_kind = {
	.expr = NC_E_NAT,
	.nat_type = NFT_NAT_SNAT,
	.to_opt = "to-source",
	.list_to = "to:",
	.says = "source rewritten to",
	.act = NC_ACT_SNAT,
	.nft = "snat",
};

const struct nc_ext_ops nc_ext_snat = {
	NC_NAT_TARGET_OPS(snat_kind, "SNAT"),
	.opts = snat_opts,
	.hooks = NC_HOOK(NF_INET_POST_ROUTING) | NC_HOOK(NF_INET_LOCAL_IN),
	.delinearize = snat_delinearize,
};
