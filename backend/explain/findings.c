// SPDX-License-Identifier: GPL-2.0-or-later
/* Every checker, in the order findings are listed. */
#include <arpa/inet.h>
#include <string.h>
#include "backend/explain/findings.h"
#include "ir/ext.h"
#include "ir/parse.h"

void nc_xp_check(struct nc_xp *xp)
{
	nc_xp_check_chains(xp);
	nc_xp_check_dnat(xp);
	nc_xp_check_masq(xp);
	if (xp->live) {
		nc_xp_check_live(xp);
	} else {
		nc_xp_note(xp, "Where the DNAT targets are (on a link of this host or behind a router) and which interface traffic to them leaves through: explain on the host itself (no FILE) to know.");
		nc_xp_note(xp, "net.ipv4.ip_forward, route_localnet, the filter table's FORWARD policy, other NAT tables (nft, iptables-legacy) and IPv6 addresses: only known live.");
	}
}

bool nc_xp_is_kind(const struct nc_xp_rule *xr, const char *name)
{
	return !xr->r->unknown && xr->r->target.ops &&
	       !strcmp(xr->r->target.ops->name, name);
}

const char *nc_xp_ntop(const union nc_addr *a, char buf[46])
{
	if (!inet_ntop(AF_INET, a->b, buf, 46))
		strcpy(buf, "?");
	return buf;
}

void nc_xp_flow_args(const struct nc_pkt *p, struct nc_buf *b)
{
	char s[46];

	if (p->known & NC_PK_DST)
		nc_buf_printf(b, " -d %s", nc_xp_ntop(&p->dst, s));
	if (p->known & NC_PK_PROTO) {
		const char *n = nc_proto_name(p->proto, true);

		if (n)
			nc_buf_printf(b, " -p %s", n);
		else
			nc_buf_printf(b, " -p %u", p->proto);
		if ((p->known & NC_PK_DPORT) &&
		    (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP ||
		     p->proto == IPPROTO_SCTP))
			nc_buf_printf(b, " --dport %u", p->dport);
	}
}
