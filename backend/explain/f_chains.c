// SPDX-License-Identifier: GPL-2.0-or-later
/* wrong-chain, shadowed-rule, unreachable-chain */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/findings.h"
#include "ir/ext.h"
#include "ir/parse.h"

static const char *hook_name(int h)
{
	static const char *const n[] = { "PREROUTING", "INPUT", "FORWARD",
					 "OUTPUT", "POSTROUTING" };

	return h >= 0 && h < 5 ? n[h] : "?";
}

static void wrong_chain(struct nc_xp *xp, const struct nc_xp_rule *xr)
{
	const struct nc_ext_ops *t = xr->r->target.ops;
	unsigned bad;
	char fix[256];

	if (xr->r->unknown || !t || !t->hooks)
		return;
	bad = xr->hooks & ~t->hooks;
	if (!bad)
		return;
	for (int h = 0; h < 5; h++) {
		if (!(bad & NC_HOOK(h)))
			continue;
		snprintf(fix, sizeof(fix), "%s",
			 !strcmp(t->name, "DNAT") || !strcmp(t->name, "REDIRECT") ?
			 "Destination NAT belongs in PREROUTING (packets arriving) or OUTPUT (this host's own)." :
			 "Source NAT belongs in POSTROUTING (or INPUT for SNAT to this host).");
		nc_xp_add(xp, "wrong-chain", NC_XP_ERROR, xr, NULL, fix,
			"%s cannot act in %s%s: the kernel refuses the whole ruleset "
			"(\"Invalid argument\") when such a rule is reached from that hook.",
			t->name, hook_name(h),
			xr->chain->builtin ? "" : " (this chain is reached from there)");
		return;
	}
}

static bool iface_covers(const struct nc_iface *a, bool ainv,
			 const struct nc_iface *b, bool binv)
{
	size_t n = strlen(a->name);

	if (!n)
		return true;
	if (ainv != binv)
		return false;
	if (!strcmp(a->name, b->name))
		return true;
	return !ainv && a->name[n - 1] == '+' && !strncmp(a->name, b->name, n - 1) &&
	       b->name[0];
}

static bool addr_covers(const union nc_addr *a, const union nc_addr *am, bool ainv,
			const union nc_addr *b, const union nc_addr *bm, bool binv,
			uint8_t family)
{
	int pa = nc_mask_to_prefix(am, family), pb = nc_mask_to_prefix(bm, family);

	if (pa == 0)
		return true;
	if (ainv != binv || pa < 0 || pb < 0)
		return false;
	if (ainv)	/* ! A covers ! B when A is inside B */
		return pa >= pb && nc_addr_in(a, b, bm, family);
	return pb >= pa && nc_addr_in(b, a, am, family);
}

/* Every packet @b matches, @a matches too. */
static bool covers(const struct nc_rule *a, const struct nc_rule *b)
{
	if (a->unknown || b->unknown)
		return false;
	if ((a->proto || (a->invflags & NC_INV_PROTO)) &&
	    (a->proto != b->proto || (a->invflags ^ b->invflags) & NC_INV_PROTO))
		return false;
	if ((a->flags & NC_RF_FRAG) && ((b->flags & NC_RF_FRAG) == 0 ||
	    ((a->invflags ^ b->invflags) & NC_INV_FRAG)))
		return false;
	if (!iface_covers(&a->in, a->invflags & NC_INV_IN, &b->in, b->invflags & NC_INV_IN) ||
	    !iface_covers(&a->out, a->invflags & NC_INV_OUT, &b->out, b->invflags & NC_INV_OUT) ||
	    !addr_covers(&a->src, &a->smsk, a->invflags & NC_INV_SRC, &b->src, &b->smsk,
			 b->invflags & NC_INV_SRC, a->family) ||
	    !addr_covers(&a->dst, &a->dmsk, a->invflags & NC_INV_DST, &b->dst, &b->dmsk,
			 b->invflags & NC_INV_DST, a->family))
		return false;
	/* each match of a must be in b, the same (a conservative test) */
	for (size_t i = 0; i < a->nmatches; i++) {
		bool found = false;

		for (size_t k = 0; k < b->nmatches && !found; k++)
			found = a->matches[i].ops == b->matches[k].ops &&
				!memcmp(a->matches[i].data, b->matches[k].data,
					a->matches[i].ops->size);
		if (!found)
			return false;
	}
	return true;
}

/* Each rule against the chain-ending rules before it that may cover it:
 * those an index of them leaves (index.c), in chain order. */
static void shadowed(struct nc_xp *xp, size_t ci)
{
	const struct nc_chain *c = xp->rs->chains[ci];
	struct nc_xp_index *ix = nc_xp_index_new();
	size_t nends = 0;

	if (!ix) {
		xp->failed = true;
		return;
	}
	for (size_t j = 0; j < c->nrules; j++) {
		const struct nc_xp_rule *b = nc_xp_rule_at(xp, ci, j);
		uint32_t *cand = NULL;
		ssize_t n = nends ? nc_xp_index_rule(ix, b->r, &cand) : 0;

		for (ssize_t k = 0; k < n; k++) {
			const struct nc_xp_rule *a = nc_xp_rule_at(xp, ci, cand[k]);
			char fix[200];

			if (!covers(a->r, b->r))
				continue;
			snprintf(fix, sizeof(fix),
				 "Delete it, or move it before rule %zu if it should win "
				 "(the first matching rule decides).", a->num);
			nc_xp_add(xp, "shadowed-rule", NC_XP_WARNING, b, NULL, fix,
				  "Never used: rule %zu of %s (%s) catches every packet it "
				  "would match, and ends the chain for them first.",
				  a->num, c->name, a->text);
			break;
		}
		free(cand);
		if (n < 0 && !b->r->unknown) {
			/* no index (out of memory): every rule before */
			for (size_t i = 0; i < j; i++) {
				const struct nc_xp_rule *a = nc_xp_rule_at(xp, ci, i);

				if (a->ends && covers(a->r, b->r)) {
					nc_xp_add(xp, "shadowed-rule", NC_XP_WARNING, b, NULL,
						  "Delete it, or move it before the rule that "
						  "catches its packets.",
						  "Never used: rule %zu of %s (%s) catches every "
						  "packet it would match, and ends the chain for "
						  "them first.", a->num, c->name, a->text);
					break;
				}
			}
		}
		if (b->ends && !b->r->unknown) {
			nc_xp_index_add(ix, b->r, (uint32_t)j);
			nends++;
		}
	}
	nc_xp_index_free(ix);
}

void nc_xp_check_chains(struct nc_xp *xp)
{
	for (size_t ci = 0; ci < xp->rs->nchains; ci++) {
		const struct nc_chain *c = xp->rs->chains[ci];
		char fix[1024];

		shadowed(xp, ci);
		if (c->builtin || xp->chain_hooks[ci])
			continue;
		snprintf(fix, sizeof(fix),
			 "Jump to it from a builtin chain (-A PREROUTING ... -j %s), or "
			 "delete it (-F %s, -X %s).", c->name, c->name, c->name);
		nc_xp_add(xp, "unreachable-chain", c->nrules ? NC_XP_WARNING : NC_XP_INFO,
			  NULL, c->name, fix,
			  "No builtin chain reaches chain %s (no -j or -g leads there): its "
			  "%zu rule(s) never see a packet.", c->name, c->nrules);
	}
	for (size_t i = 0; i < xp->nrules; i++)
		wrong_chain(xp, &xp->rules[i]);
}
