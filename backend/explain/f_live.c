// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Findings only the live system answers: ip-forward-disabled,
 * forward-policy-drop, mixed-backends, ipv6-not-covered.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "backend/explain/findings.h"
#include "ir/ext.h"

/* The first DNAT rule of PREROUTING whose target this host forwards to
 * (not one of its own addresses); its flow in @flow. */
static const struct nc_xp_rule *forwarded_dnat(const struct nc_xp *xp, struct nc_pkt *flow)
{
	for (size_t i = 0; i < xp->nrules; i++) {
		const struct nc_xp_rule *xr = &xp->rules[i];

		if (!(xr->hooks & NC_HOOK(NF_INET_PRE_ROUTING)) ||
		    !nc_xp_dnat_flow(xr, flow))
			continue;
		if (nc_xp_live_is_local(xp->live, &flow->dst))
			continue;
		return xr;
	}
	return NULL;
}

static const char *family_name(uint8_t f)
{
	switch (f) {
	case NFPROTO_IPV4: return "ip";
	case NFPROTO_IPV6: return "ip6";
	case NFPROTO_INET: return "inet";
	case NFPROTO_BRIDGE: return "bridge";
	case NFPROTO_ARP: return "arp";
	case NFPROTO_NETDEV: return "netdev";
	default: return "?";
	}
}

static void forwarding(struct nc_xp *xp)
{
	const struct nc_xp_live *l = xp->live;
	struct nc_pkt flow;
	const struct nc_xp_rule *xr = forwarded_dnat(xp, &flow);
	struct nc_buf args = { 0 }, fix = { 0 };
	char t[46];

	if (!xr)
		return;
	nc_xp_ntop(&flow.dst, t);
	if (l->ip_forward == 0)
		nc_xp_add(xp, "ip-forward-disabled", NC_XP_ERROR, xr, NULL,
			"sysctl -w net.ipv4.ip_forward=1 (and set it in /etc/sysctl.d/ "
			"to keep it after a reboot).",
			"net.ipv4.ip_forward is 0 here: this host does not forward packets, "
			"so the connections DNATed to %s are dropped after the translation.", t);
	nc_xp_flow_args(&flow, &args);
	for (size_t i = 0; i < l->nchains; i++) {
		const struct nc_xp_chain *c = &l->chains[i];

		if (!c->base || c->hook != NF_INET_FORWARD || c->policy != NF_DROP ||
		    (c->family != NFPROTO_IPV4 && c->family != NFPROTO_INET))
			continue;
		nc_buf_reset(&fix);
		nc_buf_printf(&fix, "Accept the translated connections before the policy: "
			      "iptables -A FORWARD%s -m conntrack --ctstate NEW -j ACCEPT and "
			      "iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED "
			      "-j ACCEPT (or the same in table %s %s, chain %s).",
			      nc_buf_str(&args), family_name(c->family), c->table, c->name);
		nc_xp_add(xp, "forward-policy-drop", c->nrules ? NC_XP_WARNING : NC_XP_ERROR,
			  xr, NULL, nc_buf_str(&fix),
			  "Chain %s of table %s %s (hook forward) drops what no rule accepts, "
			  "and %s: the connections DNATed to %s are forwarded, so they are "
			  "dropped there unless one of its rules accepts them.",
			  c->name, family_name(c->family), c->table,
			  c->nrules ? "has rules natc does not read" : "it has no rules at all", t);
	}
	nc_buf_free(&args);
	nc_buf_free(&fix);
}

static void backends(struct nc_xp *xp)
{
	const struct nc_xp_live *l = xp->live;
	size_t unknown = 0;

	if (l->legacy[0])
		nc_xp_add(xp, "mixed-backends", NC_XP_WARNING, NULL, NULL,
			"Move those rules to one backend (iptables-legacy-save, then "
			"iptables-nft-restore or natc-restore), and unload the legacy "
			"tables (iptables-legacy -t TABLE -F, then -X).",
			"iptables-legacy tables are loaded too (%s): their rules apply "
			"beside these nf_tables ones, and neither tool shows the other's.",
			l->legacy);
	for (size_t i = 0; i < l->nchains; i++) {
		const struct nc_xp_chain *c = &l->chains[i];

		if (!c->base || strcmp(c->type, "nat") ||
		    (c->family != NFPROTO_IPV4 && c->family != NFPROTO_INET) ||
		    (c->family == NFPROTO_IPV4 && !strcmp(c->table, "nat")))
			continue;
		nc_xp_add(xp, "mixed-backends", NC_XP_WARNING, NULL, NULL,
			"Keep NAT in one table: move its rules here (or these there) "
			"and delete the other (nft delete table ...).",
			"Table %s %s also does NAT (chain %s, hook %d, priority %d): "
			"for each connection the first NAT decision of either table wins.",
			family_name(c->family), c->table, c->name, c->hook, c->prio);
	}
	for (size_t i = 0; i < xp->nrules; i++)
		unknown += xp->rules[i].r->unknown != NULL;
	if (unknown)
		nc_xp_add(xp, "mixed-backends", NC_XP_INFO, NULL, NULL,
			"List them with nft list table ip nat; natc neither explains "
			"nor traces them.",
			"%zu rule(s) of this table were written by another tool in a form "
			"natc does not read (iptables-nft's xt targets or nft's own "
			"expressions); their effect is unknown here.", unknown);
}

static void ipv6(struct nc_xp *xp)
{
	const struct nc_xp_live *l = xp->live;
	struct nc_pkt flow;
	const struct nc_xp_addr *g = NULL;
	char s[46];

	if (!forwarded_dnat(xp, &flow))
		return;
	for (size_t i = 0; i < l->naddrs && !g; i++)
		if (l->addrs[i].family == AF_INET6 && l->addrs[i].scope == 0 &&
		    !(l->addrs[i].a.b[0] == 0 && l->addrs[i].a.b[15] == 1 &&
		      !memcmp(l->addrs[i].a.b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15)))
			g = &l->addrs[i];
	if (!g)
		return;
	for (size_t i = 0; i < l->nchains; i++)
		if (l->chains[i].base && !strcmp(l->chains[i].type, "nat") &&
		    (l->chains[i].family == NFPROTO_IPV6 || l->chains[i].family == NFPROTO_INET))
			return;
	inet_ntop(AF_INET6, g->a.b, s, sizeof(s));
	nc_xp_add(xp, "ipv6-not-covered", NC_XP_WARNING, NULL, NULL,
		"Publish only the IPv4 address for the service (no AAAA record), or "
		"forward IPv6 too (ip6tables -t nat, or better route the server's own "
		"IPv6 address and open it in the ip6 filter table).",
		"This host has a global IPv6 address (%s on %s) but these rules are "
		"IPv4 only and no IPv6 NAT table exists: IPv6 clients connecting to "
		"it reach this host itself, not the forwarded services.", s, g->ifname);
}

void nc_xp_check_live(struct nc_xp *xp)
{
	forwarding(xp);
	backends(xp);
	ipv6(xp);
}
