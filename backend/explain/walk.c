// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A packet through the nat chains of one hook, as the kernel walks them:
 * rules in order, -j CHAIN and back, -g CHAIN (its end returns to our
 * caller), RETURN, the first translating target or ACCEPT ends the hook.
 * Fields of the packet may be unknown: a rule that MAYBE matches is
 * recorded (and its jump followed), and the walk goes on as if it had not
 * matched, so a walk tells what certainly happens and what might.
 *
 * Only the rules the chain's index (index.c) leaves are asked: the others
 * certainly do not match.  A chain entered again in one walk in the state
 * it was entered before (the packet mark, whether what follows is only
 * "maybe") is not walked again: it leaves the packet as it did then, and
 * a trace lists the steps it took then once more (up to MAX_STEPS in
 * all).  Chains reached by several jumps each would otherwise be walked
 * once per path, and paths grow exponentially.
 */
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/ext.h"
#include "ir/ext/lib/ports.h"
#include "ir/parse.h"

#define MAX_DEPTH 64
#define MAX_STEPS (1u << 20)

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
	if (w->n >= MAX_STEPS)
		return;		/* the trace is cut short; findings hold */
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

static int walk(const struct nc_xp *xp, int hook, size_t ci, struct nc_pkt *p,
		struct nc_xp_walk *w, int depth);

/* 1: the hook is decided (translated or accepted); 0: returned or fell
 * off the end of the chain. */
static int walk_rules(const struct nc_xp *xp, int hook, size_t ci, struct nc_pkt *p,
		      struct nc_xp_walk *w, int depth)
{
	const struct nc_chain *c = xp->rs->chains[ci];
	uint32_t *cand = NULL;
	ssize_t ncand = nc_xp_index_packet(xp->index[ci], p, &cand);
	size_t n = ncand < 0 ? c->nrules : (size_t)ncand;
	int ret = 0;

	for (size_t x = 0; x < n; x++) {
		size_t i = ncand < 0 ? x : cand[x];
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
				goto out;
			break;
		case NC_ACT_ACCEPT:
		case NC_ACT_DROP:
			if (m == NC_PKT_YES) {
				ret = 1;
				goto out;
			}
			break;
		case NC_ACT_JUMP:
		case NC_ACT_GOTO:
			to = xr->to >= 0 ? xr->to :
			     p->act.chain ? nc_xp_chain_index(xp, p->act.chain) : -1;
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
				if (w->stopped) {
					ret = 1;
					goto out;
				}
				/* a chain that may not have been entered may
				 * have changed the mark */
				if (m == NC_PKT_MAYBE &&
				    (known != (p->known & NC_PK_MARK) || mark != p->mark))
					p->known &= ~(unsigned)NC_PK_MARK;
				if (m == NC_PKT_YES && (rc || go)) {
					ret = rc;
					goto out;
				}
			}
			break;
		case NC_ACT_DNAT:
		case NC_ACT_SNAT:
			if (m == NC_PKT_YES && !w->uncertain) {
				w->nat = xr;
				w->act = p->act;
				ret = 1;
				goto out;
			}
			if (act == NC_ACT_DNAT)
				w->maybe_dnat = true;
			else
				w->maybe_snat = true;
			if ((w->maybe_dnat && (w->stop & NC_XP_STOP_MAYBE_DNAT)) ||
			    (w->maybe_snat && (w->stop & NC_XP_STOP_MAYBE_SNAT))) {
				w->stopped = true;
				ret = 1;
				goto out;
			}
			break;
		case NC_ACT_UNKNOWN:
			w->unknown = true;
			break;
		}
		if (m == NC_PKT_MAYBE && act != NC_ACT_NONE)
			w->uncertain = true;
	}
out:
	free(cand);
	return ret;
}

static int walk(const struct nc_xp *xp, int hook, size_t ci, struct nc_pkt *p,
		struct nc_xp_walk *w, int depth)
{
	struct nc_xp_memo *mo = &xp->memo[ci];
	unsigned known = p->known & NC_PK_MARK;
	unsigned gen = xp->memo[xp->rs->nchains].gen;
	uint32_t mark = p->mark;
	bool unc = w->uncertain;
	size_t step0;
	int rc;

	if (depth > MAX_DEPTH) {
		w->unknown = true;
		return 0;
	}
	if (mo->gen == gen && mo->known_in == known && (!known || mo->mark_in == mark) &&
	    mo->unc_in == unc) {
		p->known = (p->known & ~(unsigned)NC_PK_MARK) | mo->known_out;
		p->mark = mo->mark_out;
		w->uncertain = mo->unc_out;
		for (size_t i = mo->step0; !w->stop && i < mo->step1; i++)
			add_step(w, w->steps[i].hook, w->steps[i].rule, w->steps[i].match,
				 w->steps[i].act);
		return mo->rc;
	}
	step0 = w->n;
	rc = walk_rules(xp, hook, ci, p, w, depth);
	*mo = (struct nc_xp_memo){
		.gen = gen, .mark_in = mark, .mark_out = p->mark,
		.known_in = known, .known_out = p->known & NC_PK_MARK,
		.unc_in = unc, .unc_out = w->uncertain, .rc = rc,
		.step0 = step0, .step1 = w->n,
	};
	return rc;
}

void nc_xp_walk_hook_until(const struct nc_xp *xp, int hook, struct nc_pkt *p,
			   struct nc_xp_walk *w, unsigned stop)
{
	memset(w, 0, sizeof(*w));
	w->stop = stop;
	p->hook = hook;
	xp->memo[xp->rs->nchains].gen++;	/* a new walk: forget the last */
	if (hook >= 0 && (size_t)hook < sizeof(xp->hook_chain) / sizeof(xp->hook_chain[0]) &&
	    xp->hook_chain[hook] >= 0)
		walk(xp, hook, (size_t)xp->hook_chain[hook], p, w, 0);
}

void nc_xp_walk_hook(const struct nc_xp *xp, int hook, struct nc_pkt *p,
		     struct nc_xp_walk *w)
{
	nc_xp_walk_hook_until(xp, hook, p, w, 0);
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
