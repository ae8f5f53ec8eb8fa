// SPDX-License-Identifier: GPL-2.0-or-later
/* The sctp match (-m sctp, implicit after -p sctp): its ports. */
#include "ir/ext/lib/ports.h"

static const struct nc_ext_opt sctp_opts[] = {
	NC_PORTS_OPTS,
	{ 0 }
};

static int sctp_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return nc_ports_delinearize(&nc_ext_sctp, r, c);
}

const struct nc_ext_ops nc_ext_sctp = {
	NC_PORTS_OPS(nc_ext_sctp, "sctp"),
	.opts = sctp_opts,
	.delinearize = sctp_delinearize,
};
