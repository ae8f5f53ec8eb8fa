// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --packet: one packet through the nat hooks in kernel order.  Arriving
 * ("in IFACE"): PREROUTING, the routing decision, then INPUT (for this
 * host) or POSTROUTING (forwarded).  Made here ("out IFACE"): OUTPUT,
 * the routing decision again, POSTROUTING.  Only the first packet of a
 * connection meets the nat chains; the translation found here is what
 * conntrack applies to every later packet, and the reply tuple is its
 * mirror image.  Routing decisions are the current namespace's own
 * (rtnetlink), addresses for MASQUERADE and REDIRECT too.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/parse.h"
#include <linux/rtnetlink.h>

static int parse_ep(const char *s, union nc_addr *a, uint16_t *port, bool ports)
{
	char buf[64], *colon;
	unsigned long v;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -1;
	colon = strrchr(buf, ':');
	if (colon)
		*colon = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->b) != 1)
		return -1;
	*port = 0;
	if (ports != !!colon)
		return -1;
	if (colon) {
		if (nc_parse_uint(colon + 1, 1, 65535, &v) < 0)
			return -1;
		*port = (uint16_t)v;
	}
	return 0;
}

/* "16384", "0x4000" */
static int parse_mark(const char *s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || *end || *v > UINT32_MAX ? -1 : 0;
}

static int parse_spec(const char *spec, struct nc_xp_trace *t, struct nc_err *err)
{
	char w[8][64];
	int n = sscanf(spec, "%63s %63s %63s %63s %63s %63s %63s %63s", w[0], w[1],
		       w[2], w[3], w[4], w[5], w[6], w[7]);
	struct nc_pkt *p = &t->pkt;
	unsigned long mark = 0;
	bool ports;

	memset(p, 0, sizeof(*p));
	p->family = AF_INET;
	if ((n != 6 && (n != 8 || strcmp(w[6], "mark") ||
			parse_mark(w[7], &mark) < 0)) ||
	    strcmp(w[2], "->") || (strcmp(w[4], "in") && strcmp(w[4], "out")) ||
	    strlen(w[5]) >= IFNAMSIZ)
		goto bad;
	if (!strcmp(w[0], "tcp"))
		p->proto = IPPROTO_TCP;
	else if (!strcmp(w[0], "udp"))
		p->proto = IPPROTO_UDP;
	else if (!strcmp(w[0], "sctp"))
		p->proto = IPPROTO_SCTP;
	else if (!strcmp(w[0], "icmp"))
		p->proto = IPPROTO_ICMP;
	else
		goto bad;
	ports = p->proto != IPPROTO_ICMP;
	if (parse_ep(w[1], &p->src, &p->sport, ports) < 0 ||
	    parse_ep(w[3], &p->dst, &p->dport, ports) < 0)
		goto bad;
	t->local_out = !strcmp(w[4], "out");
	strcpy(t->local_out ? p->oif : p->iif, w[5]);
	/* the mark the packet has when it reaches the nat table: 0 unless
	 * the trace says (natc does not read the raw and mangle tables) */
	p->mark = (uint32_t)mark;
	p->known = NC_PK_PROTO | NC_PK_SRC | NC_PK_DST | NC_PK_SPORT | NC_PK_DPORT |
		   NC_PK_IIF | NC_PK_OIF | NC_PK_FRAG | NC_PK_MARK;
	return 0;
bad:
	return nc_err_param(err, NULL,
		"--packet: expected \"PROTO SRC:PORT -> DST:PORT in|out IFACE [mark N]\" "
		"(PROTO tcp, udp, sctp; icmp without ports), got \"%s\"", spec);
}

static void tuple_of(const struct nc_pkt *p, struct nc_xp_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->proto = p->proto;
	t->src = p->src;
	t->dst = p->dst;
	t->sport = p->sport;
	t->dport = p->dport;
	t->src_exact = t->dst_exact = t->sport_exact = t->dport_exact = true;
}

static void add_range(struct nc_xp_tuple *t, const char *what)
{
	size_t n = strlen(t->range);

	snprintf(t->range + n, sizeof(t->range) - n, "%s%s", n ? "; " : "", what);
}

/* Apply what the walk decided to @p (the packet) and @t (its tuple). */
static void apply(const struct nc_pkt_act_info *a, struct nc_pkt *p,
		  struct nc_xp_tuple *t)
{
	bool dst = a->act == NC_ACT_DNAT;
	union nc_addr *addr = dst ? &p->dst : &p->src;
	uint16_t *port = dst ? &p->dport : &p->sport;
	bool *aexact = dst ? &t->dst_exact : &t->src_exact;
	bool *pexact = dst ? &t->dport_exact : &t->sport_exact;
	char s[INET_ADDRSTRLEN], e[INET_ADDRSTRLEN], r[64];

	if (a->map_addr) {
		if (a->addr_unknown) {
			*aexact = false;
			add_range(t, a->addr_of);
		} else {
			if (a->netmap) {
				nc_pkt_netmap(a, addr);
			} else {
				*addr = a->amin;
			}
			if (!a->netmap && memcmp(&a->amin, &a->amax, sizeof(a->amin))) {
				*aexact = false;
				inet_ntop(AF_INET, a->amin.b, s, sizeof(s));
				inet_ntop(AF_INET, a->amax.b, e, sizeof(e));
				snprintf(r, sizeof(r), "an address in %s-%s", s, e);
				add_range(t, r);
			}
		}
	}
	if (dst)
		t->dst = p->dst;
	else
		t->src = p->src;
	if (p->proto == IPPROTO_ICMP)
		return;
	if (a->map_port) {
		bool inside = *port >= a->pmin && *port <= a->pmax;

		if (inside && !a->random) {
			/* kept: already in the range (and free) */
		} else if (dst && !a->random) {
			*port = a->pmin;	/* DNAT: the first free one */
		} else {
			*port = a->pmin;
			*pexact = a->pmin == a->pmax;
			snprintf(r, sizeof(r), "a port in %u-%u", a->pmin, a->pmax);
			if (!*pexact)
				add_range(t, r);
		}
	} else if (a->random) {
		*pexact = false;
		add_range(t, "a random port");
	}
	if (dst) {
		t->dst = p->dst;
		t->dport = p->dport;
	} else {
		t->src = p->src;
		t->sport = p->sport;
	}
}

static void primary_addr(const struct nc_xp *xp, const char *ifname, struct nc_pkt *p)
{
	const struct nc_xp_addr *a[1];

	if (xp->ctx && nc_xp_live_addrs_of(xp->ctx, ifname, a, 1) >= 1) {
		p->have_in_addr = true;
		p->in_addr = a[0]->a;
	}
}

static void route(struct nc_xp_trace *t, struct nc_pkt *p, bool *local)
{
	struct nc_xp_route rt;
	char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, p->dst.b, d, sizeof(d));
	free(t->route);
	t->route = NULL;
	if (nc_xp_route_get(AF_INET, &p->dst, &rt) < 0) {
		t->error = true;
		if (asprintf(&t->route, "no route to %s here: the packet is dropped", d) < 0)
			t->route = NULL;
		*local = false;
		return;
	}
	*local = rt.local;
	p->dst_type = rt.local ? RTN_LOCAL : RTN_UNICAST;
	if (rt.local) {
		snprintf(p->oif, sizeof(p->oif), "%s", t->local_out ? "lo" : "");
		if (asprintf(&t->route, "%s is this host's own address: delivered locally", d) < 0)
			t->route = NULL;
	} else {
		snprintf(p->oif, sizeof(p->oif), "%s", rt.oif);
		if (rt.gateway)
			inet_ntop(AF_INET, rt.via.b, g, sizeof(g));
		bool off = !t->local_out && t->ip_forward == 0;

		if (asprintf(&t->route, "%s goes out through %s%s%s%s", d, rt.oif,
			     rt.gateway ? " via " : " (on that link)", rt.gateway ? g : "",
			     t->local_out ? "" : off ?
			     ": forwarded, but net.ipv4.ip_forward is 0: dropped" :
			     ": forwarded") < 0)
			t->route = NULL;
		t->error = off;
	}
	p->have_out_addr = rt.have_prefsrc;
	p->out_addr = rt.prefsrc;
}

int nc_xp_trace(struct nc_xp *xp, const char *spec, struct nc_err *err)
{
	struct nc_xp_trace *t = calloc(1, sizeof(*t));
	struct nc_pkt p;
	bool local;

	if (!t)
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	xp->trace = t;
	t->spec = strdup(spec);
	if (!t->spec)
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	if (parse_spec(spec, t, err) < 0)
		return -1;
	p = t->pkt;
	t->ip_forward = xp->ctx ? xp->ctx->ip_forward : -1;
	if (xp->ctx) {
		p.src_type = nc_xp_live_is_local(xp->ctx, &p.src) ? RTN_LOCAL : RTN_UNICAST;
		p.dst_type = nc_xp_live_is_local(xp->ctx, &p.dst) ? RTN_LOCAL : RTN_UNICAST;
	}
	tuple_of(&p, &t->original);
	t->translated = t->original;
	t->hooks[0] = t->local_out ? NF_INET_LOCAL_OUT : NF_INET_PRE_ROUTING;
	if (!t->local_out)
		primary_addr(xp, p.iif, &p);
	nc_xp_walk_hook(xp, t->hooks[0], &p, &t->walks[0]);
	if (t->walks[0].nat) {
		apply(&t->walks[0].act, &p, &t->translated);
		p.dnatted = t->walks[0].act.act == NC_ACT_DNAT;
	}
	route(t, &p, &local);
	if (t->error)
		return 0;
	t->hooks[1] = local && !t->local_out ? NF_INET_LOCAL_IN : NF_INET_POST_ROUTING;
	nc_xp_walk_hook(xp, t->hooks[1], &p, &t->walks[1]);
	if (t->walks[1].nat)
		apply(&t->walks[1].act, &p, &t->translated);
	t->reply.proto = t->translated.proto;
	t->reply.src = t->translated.dst;
	t->reply.sport = t->translated.dport;
	t->reply.dst = t->translated.src;
	t->reply.dport = t->translated.sport;
	t->reply.src_exact = t->translated.dst_exact;
	t->reply.sport_exact = t->translated.dport_exact;
	t->reply.dst_exact = t->translated.src_exact;
	t->reply.dport_exact = t->translated.sport_exact;
	memcpy(t->reply.range, t->translated.range, sizeof(t->reply.range));
	return 0;
}
