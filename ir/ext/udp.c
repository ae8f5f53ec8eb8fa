// SPDX-License-Identifier: GPL-2.0-or-later
/* The udp match (-m udp, implicit after -p udp): its ports. */
#include "ir/ext/ports.h"

static const struct nc_ext_opt udp_opts[] = {
	NC_PORTS_OPTS,
	{ 0 }
};

static int udp_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return nc_ports_delinearize(&nc_ext_udp, r, c);
}

const struct nc_ext_ops nc_ext_udp = {
	NC_PORTS_OPS(nc_ext_udp, "udp"),
	.opts = udp_opts,
	.delinearize = udp_delinearize,
};
