// SPDX-License-Identifier: GPL-2.0-or-later
/* Every extension natc knows, in one table. */
#include <string.h>
#include "ir/ext.h"
#include "ir/ext/lib/xt.h"

/*
 * The order matters where a dump is raised (nc_rule_delinearize(),
 * ir/linearize.c): at each position of a rule the match kinds are asked
 * in this order, then the generic part (ir/ext/lib/ip.c, not listed); after
 * the counter the target kinds, in this order.  The first kind that
 * recognises the expressions takes them.  So:
 *  - the generic xt kinds come last: they take any xt match or target,
 *    and a kind that reads its own xt form as well (tcp, udp, icmp,
 *    comment and others: grep NC_E_MATCH) must be asked before them;
 *  - the native forms of the other kinds are recognised without overlap
 *    (NETMAP's nat carries NF_NAT_RANGE_NETMAP, which DNAT and SNAT
 *    refuse; NFLOG's log has a group, LOG's none; MARK sets the packet's
 *    mark from a value or itself, CONNMARK --restore-mark from ct): among
 *    them the order only decides how many are asked first, so the common
 *    ones lead.  state has no reader: ct state raises as conntrack, and
 *    natc's userdata hint turns it back into state (comment.c).
 * nc_ext_find() and nc_ext_opt_takes_arg() take the first kind of a name,
 * or of an option name: names are unique per kind (match or target), and
 * an option shared by two kinds takes as many arguments in both, so there
 * the order does not matter today.
 */
const struct nc_ext_ops *const nc_ext_all[] = {
	&nc_ext_tcp, &nc_ext_udp, &nc_ext_sctp,
	&nc_ext_comment, &nc_ext_mark, &nc_ext_multiport,
	&nc_ext_iprange, &nc_ext_pkttype, &nc_ext_ttl,
	&nc_ext_icmp, &nc_ext_length, &nc_ext_owner,
	&nc_ext_dnat, &nc_ext_snat, &nc_ext_masquerade, &nc_ext_redirect,
	&nc_ext_mark_tg, &nc_ext_netmap, &nc_ext_connmark_tg,
	&nc_ext_log, &nc_ext_nflog,
	&nc_ext_standard,
	&nc_ext_addrtype, &nc_ext_conntrack, &nc_ext_state,
	&nc_ext_statistic, &nc_ext_limit,
	/* last: any other xt match/target, through libxtables */
	&nc_ext_xt_match, &nc_ext_xt_target,
	NULL,
};

const struct nc_ext_ops *nc_ext_find(enum nc_ext_kind kind, const char *name,
				     uint8_t family)
{
	for (size_t i = 0; nc_ext_all[i]; i++) {
		const struct nc_ext_ops *o = nc_ext_all[i];

		if (o->kind == kind && o->name[0] == name[0] && o->name[0] &&
		    !strcmp(o->name, name) &&
		    (o->families & nc_family_bit(family)))
			return o;
	}
	return NULL;
}

const struct nc_ext_opt *nc_ext_opt_find(const struct nc_ext_ops *ops,
					 const char *name)
{
	const struct nc_ext_opt *hit = NULL;
	size_t len = strlen(name);

	if (!ops->opts)
		return NULL;
	for (const struct nc_ext_opt *o = ops->opts; o->name; o++)
		if (o->name[0] == name[0] && !strcmp(o->name, name))
			return o;
	/* getopt_long: an unambiguous prefix names the option */
	for (const struct nc_ext_opt *o = ops->opts; o->name; o++) {
		if (strncmp(o->name, name, len))
			continue;
		if (hit)
			return NULL;
		hit = o;
	}
	return hit;
}

int nc_ext_opt_takes_arg(const char *name)
{
	size_t len = strlen(name);
	int prefix = -1;
	const char *eq = strchr(name, '=');

	if (eq)
		len = (size_t)(eq - name);
	for (size_t i = 0; nc_ext_all[i]; i++) {
		const struct nc_ext_opt *o = nc_ext_all[i]->opts;

		for (; o && o->name; o++) {
			int takes = (o->flags & NC_EXTOPT_ARG2) == NC_EXTOPT_ARG2 ? 2 :
				    (o->flags & NC_EXTOPT_ARG) ? 1 : 0;

			if (o->name[0] != name[0] || strncmp(o->name, name, len))
				continue;
			if (!o->name[len])
				return takes;
			prefix = prefix > takes ? prefix : takes;
		}
	}
	return prefix;
}
