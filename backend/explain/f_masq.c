// SPDX-License-Identifier: GPL-2.0-or-later
/* masquerade-all-interfaces, masquerade-static-address */
#include <stdio.h>
#include <string.h>
#include "backend/explain/findings.h"

void nc_xp_check_masq(struct nc_xp *xp)
{
	for (size_t i = 0; i < xp->nrules; i++) {
		const struct nc_xp_rule *xr = &xp->rules[i];
		const struct nc_rule *r = xr->r;
		const struct nc_xp_addr *a[2];
		size_t n, len = strlen(r->out.name);
		char s[46], fix[160];

		if (!nc_xp_is_kind(xr, "MASQUERADE") ||
		    !(xr->hooks & NC_HOOK(NF_INET_POST_ROUTING)))
			continue;
		if (!(xr->cond & (NC_XC_OUT | NC_XC_SRC | NC_XC_DST)))
			nc_xp_add(xp, "masquerade-all-interfaces", NC_XP_WARNING, xr, NULL,
				"Limit it to the Internet-facing interface: -o WAN_IFACE "
				"(and -s LAN if only the LAN should be hidden).",
				"No -o, -s or -d limits it: every connection leaving through any "
				"interface gets this host's address as its source, including "
				"traffic between internal networks, whose servers then see this "
				"host instead of the real clients.");
		if (!xp->live || !len || (r->invflags & NC_INV_OUT) || r->out.name[len - 1] == '+')
			continue;
		n = nc_xp_live_addrs_of(xp->live, r->out.name, a, 2);
		if (n != 1 || !a[0]->permanent)
			continue;
		snprintf(fix, sizeof(fix), "-j SNAT --to-source %s in place of -j MASQUERADE",
			 nc_xp_ntop(&a[0]->a, s));
		nc_xp_add(xp, "masquerade-static-address", NC_XP_INFO, xr, NULL, fix,
			"%s has one address, %s, and it is static (not from DHCP): "
			"MASQUERADE looks the address up for every new connection and "
			"forgets connections when the interface goes down; SNAT to the "
			"fixed address does the same work with neither cost.",
			r->out.name, s);
	}
}
