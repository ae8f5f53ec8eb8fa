// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Findings about DNAT in PREROUTING (and NETMAP, the DNAT of a network):
 * dnat-no-return-path, dnat-any-interface, hairpin-missing,
 * local-traffic-not-translated, dnat-to-loopback.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/findings.h"
#include "ir/ext.h"
#include "ir/ext/lib/ports.h"
#include "ir/parse.h"

#define PRE NC_HOOK(NF_INET_PRE_ROUTING)

/* The packets the rule itself selects, as far as it tells. */
static void orig_flow(const struct nc_rule *r, struct nc_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->family = r->family;
	if (r->proto && !(r->invflags & NC_INV_PROTO)) {
		p->proto = r->proto;
		p->known |= NC_PK_PROTO;
	}
	if (nc_mask_to_prefix(&r->dmsk, r->family) == 32 && !(r->invflags & NC_INV_DST)) {
		p->dst = r->dst;
		p->known |= NC_PK_DST;
	}
	for (size_t i = 0; i < r->nmatches; i++) {
		const struct nc_ext *e = &r->matches[i];
		const struct nc_ports *pp = e->data;

		if (e->ops != &nc_ext_tcp && e->ops != &nc_ext_udp &&
		    e->ops != &nc_ext_sctp)
			continue;
		if ((pp->have & NC_PORTS_DST) && !(pp->inv & NC_PORTS_DST) &&
		    pp->dpts[0] == pp->dpts[1]) {
			p->dport = pp->dpts[0];
			p->known |= NC_PK_DPORT;
		}
	}
}

static bool plain_iface(const struct nc_rule *r)
{
	size_t n = strlen(r->in.name);

	return n && !(r->invflags & NC_INV_IN) && r->in.name[n - 1] != '+';
}

/* Where the translated connection goes, as the findings say it: an
 * address, or "an address in NET/LEN" for a NETMAP of a whole network. */
static const char *flow_dst(const struct nc_xp_rule *xr, const struct nc_pkt *flow,
			    char t[64])
{
	char a[46];
	struct nc_pkt p = { .family = xr->r->family, .hook = NF_INET_PRE_ROUTING };
	union nc_addr net;

	nc_xp_ntop(&flow->dst, a);
	if ((flow->known & NC_PK_DST) || !nc_xp_is_kind(xr, "NETMAP")) {
		snprintf(t, 64, "%s", a);
		return t;
	}
	nc_xp_rule_act(xr->r, &p);
	for (size_t i = 0; i < sizeof(net.b); i++)	/* the map's netmask */
		net.b[i] = (uint8_t)~(p.act.amin.b[i] ^ p.act.amax.b[i]);
	snprintf(t, 64, "an address in %s/%d", a, nc_mask_to_prefix(&net, xr->r->family));
	return t;
}

static void no_return_path(struct nc_xp *xp, const struct nc_xp_rule *xr,
			   struct nc_pkt *flow)
{
	const struct nc_rule *r = xr->r;
	struct nc_xp_route rt = { 0 };
	struct nc_xp_walk w;
	struct nc_buf fix = { 0 }, args = { 0 };
	char t[64], port[8] = "";
	bool covered, onlink;

	flow_dst(xr, flow, t);
	if (flow->known & NC_PK_DPORT)
		snprintf(port, sizeof(port), "%u", flow->dport);
	if (xp->live && (flow->known & NC_PK_DST) &&
	    nc_xp_route_get(AF_INET, &flow->dst, &rt) == 0) {
		if (rt.local)
			return;		/* DNAT to this host: no reply path issue */
		if (rt.oif[0]) {
			snprintf(flow->oif, sizeof(flow->oif), "%s", rt.oif);
			flow->known |= NC_PK_OIF;
		}
		if (rt.have_prefsrc) {
			flow->have_out_addr = true;
			flow->out_addr = rt.prefsrc;
		}
	}
	nc_xp_walk_hook_until(xp, NF_INET_POST_ROUTING, flow, &w, NC_XP_STOP_MAYBE_SNAT);
	covered = (w.nat && w.act.act == NC_ACT_SNAT) || w.maybe_snat;
	nc_xp_walk_free(&w);
	if (covered)
		return;
	nc_xp_flow_args(flow, &args);
	onlink = rt.ok && !rt.gateway && rt.oif[0];
	nc_buf_printf(&fix, "Rewrite the source too, so that the server answers through this host: "
		      "-A POSTROUTING -o %s%s -j MASQUERADE (or -j SNAT --to-source "
		      "this host's address on that link)%s",
		      onlink ? rt.oif : "IFACE", nc_buf_str(&args),
		      onlink ? "" : ", IFACE being the interface towards the server; "
		      "or make this host the server's route back to the clients");
	if (onlink && plain_iface(r) && strcmp(r->in.name, rt.oif)) {
		/* clients come in elsewhere: the server answers them through
		 * its gateway, which is normally this host */
	} else if (onlink && (xr->cond & NC_XC_DST) && !(xr->cond & NC_XC_IN)) {
		nc_xp_add(xp, "hairpin-missing", NC_XP_WARNING, xr, NULL, nc_buf_str(&fix),
			"Clients on %s's link (the server's own) that connect to the "
			"address this rule matches are sent to %s, which answers them "
			"directly, from its own address: they drop the answer and the "
			"connection times out. Clients elsewhere are not affected.",
			rt.oif, t);
	} else if (onlink) {
		nc_xp_add(xp, "dnat-no-return-path", NC_XP_ERROR, xr, NULL, nc_buf_str(&fix),
			"%s is on a link of this host (%s) and no SNAT or MASQUERADE rule "
			"in POSTROUTING covers the translated connection: the server "
			"answers clients on that link directly, from %s; they expect an "
			"answer from the address they connected to, drop it, and the "
			"connection times out.", t, rt.oif, t);
	} else {
		nc_xp_add(xp, "dnat-no-return-path", NC_XP_WARNING, xr, NULL, nc_buf_str(&fix),
			"No SNAT or MASQUERADE rule in POSTROUTING covers the translated "
			"connection (to %s%s%s): the server sees the client's own address "
			"and answers it by its own route. Unless that route goes back "
			"through this host, the client gets the answer from %s instead of "
			"the address it connected to, drops it, and the connection times out.%s",
			t, (flow->known & NC_PK_DPORT) ? " port " : "", port, t,
			xp->live ? "" : " (Not known without the live system: whether the "
			"server shares a link with the clients.)");
	}
	nc_buf_free(&fix);
	nc_buf_free(&args);
}

/* Another interface's clients: does any PREROUTING rule translate them? */
static void hairpin_iface(struct nc_xp *xp, const struct nc_xp_rule *xr)
{
	struct nc_pkt p;
	struct nc_xp_walk w;
	bool dnat;

	if (!plain_iface(xr->r))
		return;
	orig_flow(xr->r, &p);
	strcpy(p.iif, "(other)");
	p.known |= NC_PK_IIF;
	nc_xp_walk_hook_until(xp, NF_INET_PRE_ROUTING, &p, &w, NC_XP_STOP_MAYBE_DNAT);
	dnat = (w.nat && w.act.act == NC_ACT_DNAT) || w.maybe_dnat;
	nc_xp_walk_free(&w);
	if (dnat)
		return;
	nc_xp_add(xp, "hairpin-missing", NC_XP_WARNING, xr, NULL,
		"Match the public address instead of the interface (-d PUBLIC_ADDRESS "
		"in place of -i), and add -A POSTROUTING -s LAN -d SERVER -j MASQUERADE "
		"so that the server answers LAN clients through this host; or give LAN "
		"clients the server's own address (split DNS).",
		"Only packets arriving on %s are translated: clients on other networks "
		"of this host (a LAN) that connect to the public address reach this "
		"host itself, not the server.", xr->r->in.name);
}

static void local_twin(struct nc_xp *xp, const struct nc_xp_rule *xr)
{
	struct nc_pkt p;
	struct nc_xp_walk w;
	struct nc_buf fix = { 0 }, args = { 0 };
	bool dnat;

	if (xr->hooks & NC_HOOK(NF_INET_LOCAL_OUT))
		return;
	orig_flow(xr->r, &p);
	p.known |= NC_PK_IIF;	/* none: made here */
	nc_xp_walk_hook_until(xp, NF_INET_LOCAL_OUT, &p, &w, NC_XP_STOP_MAYBE_DNAT);
	dnat = (w.nat && w.act.act == NC_ACT_DNAT) || w.maybe_dnat;
	nc_xp_walk_free(&w);
	if (dnat)
		return;
	nc_xp_flow_args(&p, &args);
	nc_buf_printf(&fix, "If this host's own programs should be forwarded too, add the same "
		      "translation to OUTPUT: -A OUTPUT%s -j %s ...", nc_buf_str(&args),
		      xr->r->target.ops->name);
	nc_xp_add(xp, "local-traffic-not-translated", NC_XP_INFO, xr, NULL, nc_buf_str(&fix),
		"Connections made by this host itself never pass PREROUTING (they "
		"start in OUTPUT), so this rule does not apply to them: a program "
		"here connecting to the same address and port is not forwarded.");
	nc_buf_free(&fix);
	nc_buf_free(&args);
}

static void to_loopback(struct nc_xp *xp, const struct nc_xp_rule *xr,
			const struct nc_pkt *flow)
{
	const struct nc_rule *r = xr->r;
	char t[46];

	if ((ntohl(flow->dst.ip) >> 24) != 127)
		return;
	if (xp->live) {
		if (xp->live->route_localnet_all == 1 ||
		    (plain_iface(r) && nc_xp_live_sysctl_iface(r->in.name, "route_localnet") == 1))
			return;
	}
	nc_xp_add(xp, "dnat-to-loopback", xp->live ? NC_XP_ERROR : NC_XP_WARNING, xr, NULL,
		"Use -j REDIRECT (the incoming interface's address, which the service "
		"must listen on), or set net.ipv4.conf.IFACE.route_localnet=1 (it "
		"also lets the outside reach 127.0.0.0/8 services).",
		"Packets arriving from outside with a destination in 127.0.0.0/8 are "
		"dropped as martians by the routing code unless route_localnet is 1 "
		"on the incoming interface%s: nothing reaches %s.",
		xp->live ? " (it is 0 here)" : " (not known without the live system)",
		nc_xp_ntop(&flow->dst, t));
}

void nc_xp_check_dnat(struct nc_xp *xp)
{
	for (size_t i = 0; i < xp->nrules; i++) {
		const struct nc_xp_rule *xr = &xp->rules[i];
		struct nc_pkt flow;
		bool dnat = nc_xp_is_kind(xr, "DNAT") || nc_xp_is_kind(xr, "NETMAP"),
		     redir = nc_xp_is_kind(xr, "REDIRECT");

		if (!(xr->hooks & PRE) || (!dnat && !redir))
			continue;
		if (dnat && !(xr->cond & (NC_XC_IN | NC_XC_DST)))
			nc_xp_add(xp, "dnat-any-interface", NC_XP_WARNING, xr, NULL,
				"Limit it to the traffic meant for this host: add -d PUBLIC_ADDRESS "
				"(the address clients connect to) or -i WAN_IFACE.",
				"Neither -i nor -d limits it: besides connections to this host, it "
				"also captures matching connections this host merely forwards (a "
				"LAN client reaching any outside server on that port is sent to "
				"the DNAT target instead).");
		local_twin(xp, xr);
		if (!dnat || !nc_xp_dnat_flow(xr, &flow))
			continue;
		if ((ntohl(flow.dst.ip) >> 24) == 127) {
			to_loopback(xp, xr, &flow);
			continue;
		}
		no_return_path(xp, xr, &flow);
		hairpin_iface(xp, xr);
	}
}
