// SPDX-License-Identifier: GPL-2.0-or-later
/* The tcp match (-m tcp, implicit after -p tcp): its ports. */
#include "ir/ext/ports.h"

static const struct nc_ext_opt tcp_opts[] = {
	NC_PORTS_OPTS,
	{ 0 }
};

static int tcp_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return nc_ports_delinearize(&nc_ext_tcp, r, c);
}

const struct nc_ext_ops nc_ext_tcp = {
	NC_PORTS_OPS(nc_ext_tcp, "tcp"),
	.opts = tcp_opts,
	.delinearize = tcp_delinearize,
};
