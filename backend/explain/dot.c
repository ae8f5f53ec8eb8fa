// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --explain --dot: the chains as graphviz clusters, one node per rule
 * (its target), edges for -j (solid) and -g (dashed) and for rule order;
 * rules with findings are drawn red (error) or orange.
 */
#include <string.h>
#include "backend/explain/explain.h"

static void esc(struct nc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			nc_buf_putc(b, '\\');
		nc_buf_putc(b, *s);
	}
}

static const char *color_of(const struct nc_xp *xp, const struct nc_xp_rule *xr)
{
	int worst = -1;

	for (size_t i = 0; i < xp->nf; i++)
		if (xp->f[i].rule == xr && (int)xp->f[i].sev > worst)
			worst = (int)xp->f[i].sev;
	return worst == NC_XP_ERROR ? "red" : worst == NC_XP_WARNING ? "orange" :
	       worst == NC_XP_INFO ? "blue" : "black";
}

void nc_xp_print_dot(const struct nc_xp *xp, struct nc_buf *b)
{
	const struct nc_ruleset *rs = xp->rs;

	nc_buf_puts(b, "digraph nat {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
	for (size_t ci = 0; ci < rs->nchains; ci++) {
		const struct nc_chain *c = rs->chains[ci];

		nc_buf_printf(b, "  subgraph cluster_%zu {\n    label=\"", ci);
		esc(b, c->name);
		nc_buf_printf(b, "%s\";\n", xp->chain_hooks[ci] ? "" : " (unreachable)");
		nc_buf_printf(b, "    c%zu [shape=ellipse, label=\"", ci);
		esc(b, c->name);
		nc_buf_puts(b, "\"];\n");
		for (size_t k = 0; k < c->nrules; k++) {
			const struct nc_xp_rule *xr = nc_xp_rule_at(xp, ci, k);

			nc_buf_printf(b, "    r%zu_%zu [color=%s, label=\"%zu: ", ci, k,
				      color_of(xp, xr), k + 1);
			esc(b, xr->sentence);
			nc_buf_puts(b, "\"];\n");
			if (k)
				nc_buf_printf(b, "    r%zu_%zu -> r%zu_%zu [style=dotted];\n",
					      ci, k - 1, ci, k);
			else
				nc_buf_printf(b, "    c%zu -> r%zu_0 [style=dotted];\n", ci, ci);
		}
		nc_buf_puts(b, "  }\n");
	}
	for (size_t i = 0; i < xp->nrules; i++) {
		const struct nc_xp_rule *xr = &xp->rules[i];
		struct nc_pkt p = { 0 };
		enum nc_pkt_act a = nc_xp_rule_act(xr->r, &p);

		if (a != NC_ACT_JUMP && a != NC_ACT_GOTO)
			continue;
		for (size_t ci = 0; ci < rs->nchains; ci++)
			if (!strcmp(rs->chains[ci]->name, p.act.chain))
				nc_buf_printf(b, "  r%zu_%zu -> c%zu [style=%s];\n", xr->ci,
					      xr->num - 1, ci, a == NC_ACT_GOTO ? "dashed" : "solid");
	}
	nc_buf_puts(b, "}\n");
}
