// SPDX-License-Identifier: GPL-2.0-or-later
/* The udp match (-m udp, implicit after -p udp): its ports. */
#include "ir/ext/lib/ports.h"

static const struct nc_ext_opt udp_opts[] = {
	NC_PORTS_OPTS,
	{ 0 }
};

/* xt_udp: spts[2], dpts[2], invflags; iptables-nft writes it for a udp
 * match without ports (-p udp -m udp). */
#define XT_UDP_LEN 10
#define XT_UDP_INV 8

static int udp_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_ext *e;
	const uint8_t *info;
	int rc = nc_ports_delinearize(&nc_ext_udp, r, c);

	if (rc)
		return rc;
	info = nc_ports_xt_peek(&nc_ext_udp, r, c, XT_UDP_LEN);
	if (!info || (info[XT_UDP_INV] & ~0x03))
		return 0;
	return nc_ports_xt_add(&nc_ext_udp, r, c, info, info[XT_UDP_INV], &e);
}

const struct nc_ext_ops nc_ext_udp = {
	NC_PORTS_OPS(nc_ext_udp, "udp"),
	.iptables_native = true,
	.merge = nc_ports_merge,
	.opts = udp_opts,
	.delinearize = udp_delinearize,
};
