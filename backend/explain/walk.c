// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A packet through the nat chains of one hook, as the kernel walks them:
 * rules in order, -j CHAIN and back, -g CHAIN (its end returns to our
 * caller), RETURN, the first translating target or ACCEPT ends the hook.
 * Fields of the packet may be unknown: a rule that MAYBE matches is
 * recorded (and its jump followed), and the walk goes on as if it had not
 * matched, so a walk tells what certainly happens and what might.
 */
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/ext.h"
#include "ir/ext/lib/ports.h"
#include "ir/parse.h"

#define MAX_DEPTH 64

int nc_xp_rule_match(const struct nc_rule *r, struct nc_pkt *p)
{
	int m;

	if (r->unknown)
		return NC_PKT_MAYBE;
	m = nc_ip_packet(r, p);
	for (size_t i = 0; i < r->nmatches && m != NC_PKT_NO; i++) {
		const struct nc_ext *e = &r->matches[i];

		m = nc_pkt_and(m, e->ops->packet ? e->ops->packet(e, r, p) :
				  NC_PKT_MAYBE);
	}
	return m;
}

enum nc_pkt_act nc_xp_rule_act(const struct nc_rule *r, struct nc_pkt *p)
{
	memset(&p->act, 0, sizeof(p->act));
	if (r->unknown) {
		p->act.act = NC_ACT_UNKNOWN;
		return NC_ACT_UNKNOWN;
	}
	if (!r->target.ops)
		return NC_ACT_NONE;
	if (!r->target.ops->packet) {
		p->act.act = NC_ACT_UNKNOWN;
		return NC_ACT_UNKNOWN;
	}
	r->target.ops->packet(&r->target, r, p);
	return p->act.act;
}

bool nc_xp_rule_ends_chain(const struct nc_rule *r)
{
	struct nc_pkt p = { .family = r->family };

	switch (nc_xp_rule_act(r, &p)) {
	case NC_ACT_ACCEPT: case NC_ACT_DROP: case NC_ACT_RETURN:
	case NC_ACT_GOTO: case NC_ACT_DNAT: case NC_ACT_SNAT:
		return true;
	default:
		return false;
	}
}

static void add_step(struct nc_xp_walk *w, int hook, const struct nc_xp_rule *xr,
		     int m, enum nc_pkt_act act)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct nc_xp_step *v = realloc(w->steps, cap * sizeof(*v));

		if (!v)
			return;		/* the trace is shorter; findings hold */
		w->steps = v;
		w->cap = cap;
	}
	w->steps[w->n++] = (struct nc_xp_step){ .hook = hook, .rule = xr,
						.match = m, .act = act };
}

static ssize_t find_chain(const struct nc_ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nchains; i++)
		if (!strcmp(rs->chains[i]->name, name))
			return (ssize_t)i;
	return -1;
}

/* 1: the hook is decided (translated or accepted); 0: returned or fell
 * off the end of the chain. */
static int walk(const struct nc_xp *xp, int hook, size_t ci, struct nc_pkt *p,
		struct nc_xp_walk *w, int depth)
{
	const struct nc_chain *c = xp->rs->chains[ci];

	if (depth > MAX_DEPTH) {
		w->unknown = true;
		return 0;
	}
	for (size_t i = 0; i < c->nrules; i++) {
		const struct nc_xp_rule *xr = nc_xp_rule_at(xp, ci, i);
		int m = nc_xp_rule_match(xr->r, p);
		enum nc_pkt_act act;
		ssize_t to;
		int rc;

		if (m == NC_PKT_NO)
			continue;
		act = nc_xp_rule_act(xr->r, p);
		add_step(w, hook, xr, m, act);
		/* MARK, CONNMARK: the mark later rules test; a target natc
		 * cannot tell about may have changed it too */
		nc_pkt_mark_effect(p, m);
		if (act == NC_ACT_UNKNOWN)
			p->known &= ~(unsigned)NC_PK_MARK;
		/* a rule that may or may not decide: the rest is conditional
		 * (set after this rule's own effect is recorded below) */
		switch (act) {
		case NC_ACT_NONE:
			break;
		case NC_ACT_RETURN:
			if (m == NC_PKT_YES)
				return 0;
			break;
		case NC_ACT_ACCEPT:
		case NC_ACT_DROP:
			if (m == NC_PKT_YES)
				return 1;
			break;
		case NC_ACT_JUMP:
		case NC_ACT_GOTO:
			to = find_chain(xp->rs, p->act.chain);
			if (to < 0) {
				w->unknown = true;
				break;
			}
			{
				bool go = act == NC_ACT_GOTO;
				uint32_t mark = p->mark;
				unsigned known = p->known & NC_PK_MARK;

				if (m == NC_PKT_MAYBE)
					w->uncertain = true;
				rc = walk(xp, hook, (size_t)to, p, w, depth + 1);
				/* a chain that may not have been entered may
				 * have changed the mark */
				if (m == NC_PKT_MAYBE &&
				    (known != (p->known & NC_PK_MARK) || mark != p->mark))
					p->known &= ~(unsigned)NC_PK_MARK;
				if (m == NC_PKT_YES && (rc || go))
					return rc;
			}
			break;
		case NC_ACT_DNAT:
		case NC_ACT_SNAT:
			if (m == NC_PKT_YES && !w->uncertain) {
				w->nat = xr;
				w->act = p->act;
				return 1;
			}
			if (act == NC_ACT_DNAT)
				w->maybe_dnat = true;
			else
				w->maybe_snat = true;
			break;
		case NC_ACT_UNKNOWN:
			w->unknown = true;
			break;
		}
		if (m == NC_PKT_MAYBE && act != NC_ACT_NONE)
			w->uncertain = true;
	}
	return 0;
}

void nc_xp_walk_hook(const struct nc_xp *xp, int hook, struct nc_pkt *p,
		     struct nc_xp_walk *w)
{
	memset(w, 0, sizeof(*w));
	p->hook = hook;
	for (size_t i = 0; i < xp->rs->nchains; i++) {
		const struct nc_chain *c = xp->rs->chains[i];

		if (c->builtin && c->hook == hook) {
			walk(xp, hook, i, p, w, 0);
			return;
		}
	}
}

void nc_xp_walk_free(struct nc_xp_walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->steps[i].note);
	free(w->steps);
	memset(w, 0, sizeof(*w));
}

bool nc_xp_dnat_flow(const struct nc_xp_rule *xr, struct nc_pkt *out)
{
	const struct nc_rule *r = xr->r;
	struct nc_pkt p = { .family = r->family, .hook = NF_INET_PRE_ROUTING };
	const struct nc_ext *ports = NULL;
	bool netmap = r->target.ops == &nc_ext_netmap;

	if (r->unknown || !r->target.ops || (r->target.ops != &nc_ext_dnat && !netmap))
		return false;
	nc_xp_rule_act(r, &p);
	if (p.act.act != NC_ACT_DNAT || !p.act.map_addr || p.act.addr_unknown)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = r->family;
	if (r->proto && !(r->invflags & NC_INV_PROTO)) {
		out->proto = r->proto;
		out->known |= NC_PK_PROTO;
	}
	if (nc_mask_to_prefix(&r->smsk, r->family) == (r->family == AF_INET6 ? 128 : 32) &&
	    !(r->invflags & NC_INV_SRC)) {
		out->src = r->src;
		out->known |= NC_PK_SRC;
	}
	out->dst = p.act.amin;
	out->dnatted = true;
	if (netmap) {
		/* the one address the rule matches, mapped (else the mapped
		 * network's first) */
		if (nc_mask_to_prefix(&r->dmsk, r->family) ==
		    (r->family == AF_INET6 ? 128 : 32) && !(r->invflags & NC_INV_DST)) {
			out->dst = r->dst;
			nc_pkt_netmap(&p.act, &out->dst);
			out->known |= NC_PK_DST;
		}
	} else if (!memcmp(&p.act.amin, &p.act.amax, sizeof(p.act.amin))) {
		out->known |= NC_PK_DST;
	}
	for (size_t i = 0; i < r->nmatches; i++)
		if (r->matches[i].ops == &nc_ext_tcp || r->matches[i].ops == &nc_ext_udp ||
		    r->matches[i].ops == &nc_ext_sctp)
			ports = &r->matches[i];
	if (p.act.map_port && p.act.pmin == p.act.pmax) {
		out->dport = p.act.pmin;
		out->known |= NC_PK_DPORT;
	} else if (!p.act.map_port && ports) {
		const struct nc_ports *pp = ports->data;

		if ((pp->have & NC_PORTS_DST) && !(pp->inv & NC_PORTS_DST) &&
		    pp->dpts[0] == pp->dpts[1]) {
			out->dport = pp->dpts[0];
			out->known |= NC_PK_DPORT;
		}
	}
	return true;
}
