// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The standard target: ACCEPT, RETURN, DROP (refused in nat by the build
 * pass), -j CHAIN and -g CHAIN.  Kernel: an immediate verdict.
 */
#include <stdio.h>
#include <string.h>
#include "ir/ext.h"

static int std_verdict(const struct nc_standard *s)
{
	switch (s->kind) {
	case NC_VERDICT_ACCEPT: return NF_ACCEPT;
	case NC_VERDICT_DROP:   return NF_DROP;
	case NC_VERDICT_RETURN: return NFT_RETURN;
	case NC_VERDICT_JUMP:   return NFT_JUMP;
	default:                return NFT_GOTO;
	}
}

static int std_linearize(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out)
{
	const struct nc_standard *s = e->data;
	bool chain = s->kind == NC_VERDICT_JUMP || s->kind == NC_VERDICT_GOTO;

	return nc_expr_imm_verdict(out, std_verdict(s), chain ? s->chain : NULL);
}

static int std_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	struct nc_standard *s;
	int kind;

	if (!x || x->type != NC_E_IMMEDIATE || x->u.imm.dreg != NFT_REG_VERDICT)
		return 0;
	switch (x->u.imm.verdict) {
	case NF_ACCEPT:  kind = NC_VERDICT_ACCEPT; break;
	case NF_DROP:    kind = NC_VERDICT_DROP; break;
	case NFT_RETURN: kind = NC_VERDICT_RETURN; break;
	case NFT_JUMP:   kind = NC_VERDICT_JUMP; break;
	case NFT_GOTO:   kind = NC_VERDICT_GOTO; break;
	default:         return 0;
	}
	if (strlen(x->u.imm.chain) >= sizeof(((struct nc_standard *)0)->chain))
		return 0;	/* a name iptables cannot have: not ours */
	if (nc_rule_set_target(r, &nc_ext_standard) < 0)
		return -1;
	s = r->target.data;
	s->kind = kind;
	if (kind == NC_VERDICT_JUMP || kind == NC_VERDICT_GOTO)
		snprintf(s->chain, sizeof(s->chain), "%s", x->u.imm.chain);
	c->pos++;
	return 1;
}

static int std_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x)
{
	const struct nc_standard *s = e->data;

	switch (s->kind) {
	case NC_VERDICT_ACCEPT: nc_buf_putlit(x->b, " accept"); break;
	case NC_VERDICT_DROP:   nc_buf_putlit(x->b, " drop"); break;
	case NC_VERDICT_RETURN: nc_buf_putlit(x->b, " return"); break;
	case NC_VERDICT_JUMP:   nc_buf_putlit(x->b, " jump "); nc_buf_puts(x->b, s->chain); break;
	default:                nc_buf_putlit(x->b, " goto "); nc_buf_puts(x->b, s->chain); break;
	}
	return 0;
}

static void std_describe(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	const struct nc_standard *s = e->data;

	switch (s->kind) {
	case NC_VERDICT_ACCEPT:
		nc_buf_putlit(b, "left as they are (no later nat rule of this hook sees them)");
		break;
	case NC_VERDICT_DROP:
		nc_buf_putlit(b, "dropped (the kernel refuses DROP in the nat table)");
		break;
	case NC_VERDICT_RETURN:
		nc_buf_putlit(b, "back to the chain that jumped here (the policy, in a builtin chain)");
		break;
	case NC_VERDICT_JUMP:
		nc_buf_printf(b, "through chain %s, then on with the next rule here", s->chain);
		break;
	default:
		nc_buf_printf(b, "through chain %s, never back here", s->chain);
		break;
	}
}

static int std_packet(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_pkt *p)
{
	static const enum nc_pkt_act acts[] = {
		[NC_VERDICT_ACCEPT] = NC_ACT_ACCEPT, [NC_VERDICT_DROP] = NC_ACT_DROP,
		[NC_VERDICT_RETURN] = NC_ACT_RETURN, [NC_VERDICT_JUMP] = NC_ACT_JUMP,
		[NC_VERDICT_GOTO] = NC_ACT_GOTO,
	};
	const struct nc_standard *s = e->data;

	memset(&p->act, 0, sizeof(p->act));
	p->act.act = s->kind >= NC_VERDICT_ACCEPT && s->kind <= NC_VERDICT_GOTO ?
		     acts[s->kind] : NC_ACT_UNKNOWN;
	if (s->kind == NC_VERDICT_JUMP || s->kind == NC_VERDICT_GOTO)
		p->act.chain = s->chain;
	return NC_PKT_YES;
}

const struct nc_ext_ops nc_ext_standard = {
	.describe = std_describe,
	.packet = std_packet,
	.name = "",
	.iptables_native = true,
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_standard),
	.linearize = std_linearize,
	.delinearize = std_delinearize,
	.xlate = std_xlate,
};
