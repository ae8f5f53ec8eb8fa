// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state match: [!] --state LIST.  Its kernel form is the conntrack
 * match's --ctstate test (`ct state ...`), so a rule read back from the
 * kernel lists it as `-m conntrack --ctstate LIST` (the conntrack kind
 * recognises it; nothing in the expressions tells the two apart).  Its
 * data is the conntrack match's with only NC_CT_STATE, so a layout hint
 * can turn a raised conntrack instance back into this kind by changing
 * its ops (nc_ct_is_state()).
 */
#include "ir/ext/lib/conntrack.h"
#include "ir/ext/lib/xtmsg.h"

static const struct nc_ext_opt state_opts[] = {
	{ "state", 1, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static int state_parse(struct nc_ext *e, struct nc_rule *r,
		       const struct nc_ext_opt *opt, bool inv, const char *arg,
		       const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_conntrack *s = e->data;

	if (s->have)
		return nc_xt_once(err, loc, "state", opt->name);
	if (nc_ct_parse_states(arg, "state", false, &s->state, loc, err) < 0)
		return -1;
	s->have = NC_CT_STATE;
	s->inv = inv ? NC_CT_STATE : 0;
	return 0;
}

static int state_check(struct nc_ext *e, const struct nc_rule *r,
		       struct nc_err *err)
{
	const struct nc_conntrack *s = e->data;

	if (!s->have)
		return nc_xt_mand(err, &e->loc, "state", "state");
	return 0;
}

static void state_save(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b)
{
	const struct nc_conntrack *s = e->data;

	nc_buf_puts(b, s->inv ? " ! --state " : " --state ");
	nc_ct_put_states(b, s->state);
}

static void state_print(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b, unsigned fmt)
{
	const struct nc_conntrack *s = e->data;

	nc_buf_puts(b, s->inv ? " ! state " : " state ");
	nc_ct_put_states(b, s->state);
}

static int state_linearize(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_exprs *out)
{
	const struct nc_conntrack *s = e->data;

	return nc_ct_lin_state(out, s->state, s->inv);
}

bool nc_ct_is_state(const struct nc_ext *e)
{
	const struct nc_conntrack *c = e->data;

	return (e->ops == &nc_ext_conntrack || e->ops == &nc_ext_state) &&
	       c->have == NC_CT_STATE &&
	       !(c->state & (NC_CTS_SNAT | NC_CTS_DNAT));
}

static int state_xlate(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_xlate *x)
{
	const struct nc_conntrack *s = e->data;

	nc_ct_xlate_state(x->b, s->state, s->inv);
	return 0;
}

const struct nc_ext_ops nc_ext_state = {
	.describe = nc_ct_describe,
	.packet = nc_ct_packet,
	.name = "state",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_conntrack),
	.opts = state_opts,
	.parse = state_parse,
	.check = state_check,
	.save = state_save,
	.print = state_print,
	.linearize = state_linearize,
	.xlate = state_xlate,
};
