// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The build pass: give a parsed command its meaning, with iptables' checks
 * and messages.  Option values are parsed by ir/parse.c and by each
 * extension's own parse function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ir/build.h"
#include "ir/ext.h"
#include "ir/parse.h"
#include "ir/ext/lib/xt.h"

/* iptables' table of options each command allows ('x' illegal). */
enum { C_N, C_S, C_D, C_P, C_J, C_V, C_X, C_I, C_O, C_LINE, C_C, C_F, C_NOPT };
static const char opt_letters[C_NOPT][16] = {
	"-n", "-s", "-d", "-p", "-j", "-v", "-x", "-i", "-o", "--line-numbers",
	"-c", "-f",
};
static const char legal[NC_CMD_MAX][C_NOPT + 1] = {
	/*                    nsdpjvxio lcf */
	[NC_CMD_INSERT]      = "x     x  x  ",
	[NC_CMD_DELETE]      = "x     x  xx ",
	[NC_CMD_REPLACE]     = "x     x  x  ",
	[NC_CMD_APPEND]      = "x     x  x  ",
	[NC_CMD_CHECK]       = "x     x  xx ",
	[NC_CMD_LIST]        = " xxxx  xx xx",
	[NC_CMD_FLUSH]       = "xxxxx xxxxxx",
	[NC_CMD_ZERO]        = "xxxxx xxxxxx",
	[NC_CMD_NEW_CHAIN]   = "xxxxx xxxxxx",
	[NC_CMD_DELETE_CHAIN]= "xxxxx xxxxxx",
	[NC_CMD_POLICY]      = "xxxxx xxxx x",
	[NC_CMD_RENAME_CHAIN]= "xxxxx xxxxxx",
	[NC_CMD_LIST_RULES]  = "xxxxx xxxxxx",
};

static int opt_class(const struct nc_cmd_opt *o)
{
	switch (o->kind) {
	case NC_OPT_NUMERIC: return C_N;
	case NC_OPT_SOURCE: return C_S;
	case NC_OPT_DEST: return C_D;
	case NC_OPT_PROTO: return C_P;
	case NC_OPT_JUMP: case NC_OPT_GOTO: return C_J;
	case NC_OPT_VERBOSE: return C_V;
	case NC_OPT_EXACT: return C_X;
	case NC_OPT_IN: return C_I;
	case NC_OPT_OUT: return C_O;
	case NC_OPT_LINENUMBERS: return C_LINE;
	case NC_OPT_COUNTERS: return C_C;
	case NC_OPT_FRAG: return C_F;
	default: return -1;
	}
}

/* What the build pass keeps while it walks the options. */
struct build {
	const struct nc_cmd *cmd;
	struct nc_job *job;
	struct nc_err *err;
	struct nc_rule *r;		/* the rule being built */
	union nc_addr *saddrs, *smasks, *daddrs, *dmasks;
	size_t nsrc, ndst;
	unsigned seen;			/* generic options, by kind bit */
};

static int check_table(const struct nc_cmd_opt *o, struct nc_err *err)
{
	if (!strcmp(o->arg, NC_TABLE_NAT))
		return 0;
	return nc_err_param(err, &o->arg_loc,
		"table `%s' is not handled by natc: it manages the nat table only",
		o->arg);
}

int nc_check_chain_name(const char *name, const struct nc_loc *loc,
			struct nc_err *err)
{
	if (strlen(name) >= NC_CHAIN_MAXNAMELEN)
		return nc_err_param(err, loc,
			"chain name `%s' too long (must be under %d chars)",
			name, NC_CHAIN_MAXNAMELEN);
	if (name[0] == '-' || name[0] == '!')
		return nc_err_param(err, loc,
			"chain name not allowed to start with `%c'", name[0]);
	if (!name[0] || strpbrk(name, " \t\n"))
		return nc_err_param(err, loc, "Invalid chain name `%s'", name);
	if (nc_ext_find(NC_EXT_TARGET, name, AF_INET) ||
	    nc_xt_is_target(name, AF_INET) ||
	    !strcmp(name, "ACCEPT") || !strcmp(name, "DROP") ||
	    !strcmp(name, "RETURN") || !strcmp(name, "QUEUE"))
		return nc_err_param(err, loc,
			"chain name may not clash with target name");
	return 0;
}

static int parse_rulenum(const struct nc_cmd_word *w, size_t *out,
			 struct nc_err *err)
{
	unsigned long v;

	if (!w->s)
		return 0;
	if (nc_parse_uint(w->s, 1, 0x7fffffff, &v) < 0)
		return nc_err_param(err, &w->loc, "Invalid rule number `%s'", w->s);
	*out = v;
	return 0;
}

static int load_xt(struct build *b, enum nc_ext_kind kind,
		   const struct nc_cmd_opt *o);

static int set_target(struct build *b, const struct nc_cmd_opt *o)
{
	const struct nc_ext_ops *ops;
	struct nc_standard *s;
	bool go = o->kind == NC_OPT_GOTO;

	if (b->r->target.ops)
		return nc_err_param(b->err, &o->loc, "multiple -j flags not allowed");
	if (!go && (ops = nc_ext_find(NC_EXT_TARGET, o->arg, b->job->family))) {
		if (nc_rule_set_target(b->r, ops) < 0)
			return nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
		b->r->target.loc = o->arg_loc;
		return 0;
	}
	if (!go && strcmp(o->arg, "ACCEPT") && strcmp(o->arg, "DROP") &&
	    strcmp(o->arg, "RETURN")) {
		/* iptables' own extension, through libxtables */
		int rc = load_xt(b, NC_EXT_TARGET, o);

		if (rc <= 0)
			return rc;
	}
	if (nc_rule_set_target(b->r, &nc_ext_standard) < 0)
		return nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
	b->r->target.loc = o->arg_loc;
	s = b->r->target.data;
	if (!go && !strcmp(o->arg, "ACCEPT")) {
		s->kind = NC_VERDICT_ACCEPT;
	} else if (!go && !strcmp(o->arg, "RETURN")) {
		s->kind = NC_VERDICT_RETURN;
	} else if (!go && !strcmp(o->arg, "DROP")) {
		return nc_err_param(b->err, &o->arg_loc,
			NC_MSG_DROP);
	} else {
		if (strlen(o->arg) >= sizeof(s->chain) || !o->arg[0] ||
		    o->arg[0] == '-')
			return nc_err_param(b->err, &o->arg_loc,
				"Couldn't load target `%s':No such file or directory",
				o->arg);
		s->kind = go ? NC_VERDICT_GOTO : NC_VERDICT_JUMP;
		strcpy(s->chain, o->arg);
		strcpy(b->job->jump, o->arg);
		b->job->jump_loc = o->arg_loc;
	}
	return 0;
}

/* -m NAME / -j NAME that natc has no kind for: libxtables' extension of
 * that name, if there is one (0), 1 when there is none. */
static int load_xt(struct build *b, enum nc_ext_kind kind,
		   const struct nc_cmd_opt *o)
{
	struct nc_xt *x = calloc(1, sizeof(*x));
	struct nc_ext *e;
	int rc;

	if (!x)
		return nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
	rc = nc_xt_load(x, kind, o->arg, b->job->family, &o->arg_loc, b->err);
	if (rc == 0 && kind == NC_EXT_TARGET) {
		if (nc_rule_set_target(b->r, &nc_ext_xt_target) < 0)
			rc = nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
		e = &b->r->target;
	} else if (rc == 0) {
		e = nc_rule_add_match(b->r, &nc_ext_xt_match);
		if (!e)
			rc = nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
	}
	if (rc == 0) {
		memcpy(e->data, x, sizeof(*x));
		e->loc = kind == NC_EXT_TARGET ? o->arg_loc : o->loc;
	}
	free(x);
	return rc;
}

static int add_match(struct build *b, const struct nc_ext_ops *ops,
		     const struct nc_loc *loc)
{
	struct nc_ext *e = nc_rule_add_match(b->r, ops);

	if (!e)
		return nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
	e->loc = *loc;
	return 0;
}

static int load_match(struct build *b, const struct nc_cmd_opt *o)
{
	const struct nc_ext_ops *ops = nc_ext_find(NC_EXT_MATCH, o->arg, b->job->family);
	int rc;

	if (!ops && (rc = load_xt(b, NC_EXT_MATCH, o)) <= 0)
		return rc;
	if (!ops)
		return nc_err_param(b->err, &o->arg_loc,
			"Couldn't load match `%s':No such file or directory\n", o->arg);
	/* every -m makes an instance, a kind loaded already too (libxtables'
	 * xtables_find_match() clones it): -m mark --mark 1 -m mark --mark 2
	 * is two tests, and -p tcp --dport 1 -m tcp two tcp matches */
	return add_match(b, ops, &o->loc);
}

/*
 * Whether match @i of @r is done with: a later -m of its kind made a new
 * instance, which takes the kind's options from then on (libxtables
 * marks the earlier ones completed).  libxtables' kinds share one ops
 * table and find their latest instance themselves (ext_option()).
 */
static bool completed(const struct nc_rule *r, size_t i)
{
	const struct nc_ext_ops *ops = r->matches[i].ops;

	if (ops->opt_find)
		return false;
	for (size_t j = i + 1; j < r->nmatches; j++)
		if (r->matches[j].ops == ops)
			return true;
	return false;
}

/* Option @name of instance @e: its static table, or its own lookup. */
static const struct nc_ext_opt *ext_opt_find(const struct nc_rule *r,
					     const struct nc_ext *e,
					     const char *name,
					     struct nc_ext_opt *dyn)
{
	if (e->ops->opt_find)
		return e->ops->opt_find(e, r, name, dyn) == 0 ? dyn : NULL;
	return e->ops->opts ? nc_ext_opt_find(e->ops, name) : NULL;
}

/* Option @name of a static table, the name given whole. */
static const struct nc_ext_opt *ext_opt_exact(const struct nc_ext_ops *ops,
					      const char *name)
{
	const struct nc_ext_opt *eo = ops->opts ? nc_ext_opt_find(ops, name) : NULL;

	return eo && !strcmp(eo->name, name) ? eo : NULL;
}

/* An extension option: the target's first, then the matches', then the
 * protocol's match loaded on demand, as iptables does. */
static int ext_option(struct build *b, const struct nc_cmd_opt *o)
{
	struct nc_ext *e = NULL;
	const struct nc_ext_opt *eo = NULL;
	const char *pname;
	const struct nc_ext_ops *pops;
	struct nc_ext_opt dyn;

	/* iptables merges the options of every extension loaded into one
	 * getopt_long table, where a name given whole wins over an
	 * abbreviation of another's (`-m multiport --dports 1 -m udp
	 * --sport 2`: udp's --sport, not multiport's --sports) */
	if (b->r->target.ops && !b->r->target.ops->opt_find &&
	    (eo = ext_opt_exact(b->r->target.ops, o->name)))
		e = &b->r->target;
	for (size_t i = 0; !eo && i < b->r->nmatches; i++)
		if (!b->r->matches[i].ops->opt_find && !completed(b->r, i) &&
		    (eo = ext_opt_exact(b->r->matches[i].ops, o->name)))
			e = &b->r->matches[i];
	if (!eo && b->r->target.ops &&
	    (eo = ext_opt_find(b->r, &b->r->target, o->name, &dyn)))
		e = &b->r->target;
	/* a libxtables match may be given twice (-m recent ... -m recent
	 * ...): its options go to the latest instance, as in iptables */
	for (size_t i = b->r->nmatches; !eo && i-- > 0;)
		if (b->r->matches[i].ops->opt_find &&
		    (eo = ext_opt_find(b->r, &b->r->matches[i], o->name, &dyn)))
			e = &b->r->matches[i];
	for (size_t i = 0; !eo && i < b->r->nmatches; i++)
		if (!completed(b->r, i) &&
		    (eo = ext_opt_find(b->r, &b->r->matches[i], o->name, &dyn)))
			e = &b->r->matches[i];
	if (!eo && !(b->r->invflags & NC_INV_PROTO) &&
	    (pname = nc_proto_name(b->r->proto, true)) &&
	    (pops = nc_ext_find(NC_EXT_MATCH, pname, b->job->family)) &&
	    !nc_rule_find_match(b->r, pops) && nc_ext_opt_find(pops, o->name)) {
		if (add_match(b, pops, &o->loc) < 0)
			return -1;
		e = &b->r->matches[b->r->nmatches - 1];
		eo = nc_ext_opt_find(pops, o->name);
	}
	if (!eo && !(b->r->invflags & NC_INV_PROTO) && b->job->family == AF_INET6 &&
	    b->r->proto == IPPROTO_ICMPV6) {
		/* -p ipv6-icmp --icmpv6-type: libxtables' icmp6 match, loaded
		 * as ip6tables loads it for the protocol (no natc kind) */
		struct nc_cmd_opt m = *o;
		size_t n = b->r->nmatches;

		m.arg = "icmp6";
		m.arg_loc = o->loc;
		if (load_xt(b, NC_EXT_MATCH, &m) < 0)
			return -1;
		if (b->r->nmatches > n &&
		    (eo = ext_opt_find(b->r, &b->r->matches[n], o->name, &dyn)))
			e = &b->r->matches[n];
	}
	if (!eo && (b->r->invflags & NC_INV_PROTO) &&
	    (pname = nc_proto_name(b->r->proto, true)) &&
	    (pops = nc_ext_find(NC_EXT_MATCH, pname, b->job->family)) &&
	    nc_ext_opt_find(pops, o->name))
		/* iptables-nft 1.8.9 takes it and compares the transport
		 * header of every other protocol; natc refuses */
		return nc_err_param(b->err, &o->loc,
			"option \"--%s\" needs -p %s, not ! -p %s", o->name,
			pname, pname);
	if (!eo)
		return nc_err_param(b->err, &o->loc, "unknown option \"--%s\"", o->name);
	if (o->inv && !(eo->flags & NC_EXTOPT_INV))
		return nc_err_param(b->err, &o->loc,
			"%s: option \"--%s\" cannot be inverted.\n",
			e->ops->name, eo->name);
	if (!(eo->flags & NC_EXTOPT_ARG) && o->arg)
		return nc_err_param(b->err, &o->arg_loc, "Bad argument `%s'", o->arg);
	if ((eo->flags & NC_EXTOPT_ARG) && !o->arg)
		return nc_err_param(b->err, &o->loc,
			"option \"--%s\" requires an argument", eo->name);
	return e->ops->parse(e, b->r, eo, o->inv, o->arg,
			     o->arg ? &o->arg_loc : &o->loc, b->err);
}

static int once(struct build *b, const struct nc_cmd_opt *o, const char *flag)
{
	unsigned bit = 1u << o->kind;

	if (b->seen & bit)
		return nc_err_param(b->err, &o->loc, "multiple %s flags not allowed", flag);
	b->seen |= bit;
	return 0;
}

/*
 * "-i +" (any interface) tests nothing: iptables compares a name under a
 * mask that "+" leaves empty, so its rule is the rule without -i to -C
 * and -D, and iptables-nft 1.8.9 lists it so (-S, -v); it is kept as no
 * name at all.  "! -i +" (no interface) stays.
 */
static void any_iface(struct nc_iface *i, bool inv)
{
	if (!inv && !strcmp(i->name, "+"))
		i->name[0] = '\0';
}

static int rule_option(struct build *b, const struct nc_cmd_opt *o)
{
	struct nc_rule *r = b->r;
	uint8_t inv = 0;

	switch (o->kind) {
	case NC_OPT_SOURCE:
		inv = NC_INV_SRC;
		if (once(b, o, "-s") < 0 ||
		    nc_parse_addr_list(o->arg, r->family, &b->saddrs, &b->smasks,
				       &b->nsrc, &o->arg_loc, b->err) < 0)
			return -1;
		break;
	case NC_OPT_DEST:
		inv = NC_INV_DST;
		if (once(b, o, "-d") < 0 ||
		    nc_parse_addr_list(o->arg, r->family, &b->daddrs, &b->dmasks,
				       &b->ndst, &o->arg_loc, b->err) < 0)
			return -1;
		break;
	case NC_OPT_PROTO:
		inv = NC_INV_PROTO;
		if (once(b, o, "-p") < 0 ||
		    nc_parse_proto(o->arg, &r->proto, &o->arg_loc, b->err) < 0)
			return -1;
		if (o->inv && r->proto == 0)
			return nc_err_param(b->err, &o->loc,
				"rule would never match protocol");
		break;
	case NC_OPT_IN:
		inv = NC_INV_IN;
		if (once(b, o, "-i") < 0 ||
		    nc_parse_iface(o->arg, &r->in, &o->arg_loc, b->err) < 0)
			return -1;
		any_iface(&r->in, o->inv);
		break;
	case NC_OPT_OUT:
		inv = NC_INV_OUT;
		if (once(b, o, "-o") < 0 ||
		    nc_parse_iface(o->arg, &r->out, &o->arg_loc, b->err) < 0)
			return -1;
		any_iface(&r->out, o->inv);
		break;
	case NC_OPT_FRAG:
		inv = NC_INV_FRAG;
		if (once(b, o, "-f") < 0)
			return -1;
		r->flags |= NC_RF_FRAG;
		break;
	case NC_OPT_JUMP:
	case NC_OPT_GOTO:
		return set_target(b, o);
	case NC_OPT_MATCH:
		if (o->inv)
			return nc_err_param(b->err, &o->loc,
				"unexpected ! flag before --match");
		return load_match(b, o);
	case NC_OPT_COUNTERS: {
		unsigned long long v;
		char *end;

		v = strtoull(o->arg, &end, 10);
		if (!*o->arg || *end)
			return nc_err_param(b->err, &o->arg_loc,
				"-c packet counter not numeric");
		r->packets = v;
		v = strtoull(o->arg2, &end, 10);
		if (!*o->arg2 || *end)
			return nc_err_param(b->err, &o->arg_loc,
				"-c byte counter not numeric");
		r->bytes = v;
		return 0;
	}
	case NC_OPT_EXT:
		return ext_option(b, o);
	default:
		return 0;
	}
	if (o->inv)
		r->invflags |= inv;
	return 0;
}

/* iptables refuses interfaces a hook never sees, for builtin chains. */
static int check_ifaces(struct build *b)
{
	const char *chain = b->job->chain;
	bool incoming = !strcmp(chain, "PREROUTING") || !strcmp(chain, "INPUT");
	bool outgoing = !strcmp(chain, "POSTROUTING") || !strcmp(chain, "OUTPUT");

	for (size_t i = 0; i < b->cmd->nopts; i++) {
		const struct nc_cmd_opt *o = &b->cmd->opts[i];

		if ((o->kind == NC_OPT_OUT && incoming) ||
		    (o->kind == NC_OPT_IN && outgoing))
			return nc_err_param(b->err, &o->loc, "Can't use -%c with %s\n",
					    o->kind == NC_OPT_IN ? 'i' : 'o', chain);
	}
	return 0;
}

/* -w [seconds] and -W usecs: accepted and ignored, as iptables-nft does,
 * but their values are checked as it checks them. */
static int check_wait(const struct nc_cmd_opt *o, struct nc_err *err)
{
	unsigned long v;

	if (o->kind == NC_OPT_WAIT && o->arg &&
	    nc_parse_uint(o->arg, 0, 0xffffffffUL, &v) < 0)
		return nc_err_param(err, &o->arg_loc, "wait seconds not numeric");
	if (o->kind == NC_OPT_WAIT_INTERVAL &&
	    nc_parse_uint(o->arg, 0, 0xffffffffUL, &v) < 0)
		return nc_err_param(err, &o->arg_loc, "wait interval not numeric");
	if (o->kind == NC_OPT_WAIT_INTERVAL && v > 999999)
		return nc_err_param(err, &o->arg_loc,
				    "too long - use a value less than 1 second");
	return 0;
}

static int check_options(struct build *b)
{
	const struct nc_cmd *c = b->cmd;
	enum nc_cmd_kind k = b->job->kind;
	const struct nc_cmd_opt *interval = NULL;
	bool wait = false;

	if (k == NC_CMD_DELETE && c->rulenum.s)
		k = NC_CMD_FLUSH;	/* -D with a number: as strict as -F */
	for (size_t i = 0; i < c->nopts; i++) {
		const struct nc_cmd_opt *o = &c->opts[i];
		int cl = opt_class(o);

		if (o->kind == NC_OPT_TABLE && check_table(o, b->err) < 0)
			return -1;
		if (check_wait(o, b->err) < 0)
			return -1;
		/* a parameter problem, as iptables-nft 1.8.9's -6 (status
		 * 2); it prints only its usage hint, natc says why too */
		if (o->kind == NC_OPT_IPV6 && b->job->family == AF_INET)
			return nc_err_param(b->err, &o->loc,
				"This is the IPv4 version of natc.");
		if (o->kind == NC_OPT_IPV4 && b->job->family == AF_INET6)
			return nc_err_param(b->err, &o->loc,
				"This is the IPv6 version of natc.");
		/* ip6tables 1.8.9 refuses -f as it reads the options, before
		 * it looks at what they say */
		if (o->kind == NC_OPT_FRAG && b->job->family == AF_INET6)
			return nc_err_param(b->err, &o->loc,
				"`-f' is not supported in IPv6, use -m frag instead");
		if (o->inv && (o->kind == NC_OPT_JUMP || o->kind == NC_OPT_GOTO ||
			       o->kind == NC_OPT_TABLE || o->kind == NC_OPT_VERBOSE ||
			       o->kind == NC_OPT_NUMERIC || o->kind == NC_OPT_EXACT ||
			       o->kind == NC_OPT_LINENUMBERS))
			return nc_err_param(b->err, &o->loc,
				"cannot have ! before %s", o->kind == NC_OPT_JUMP ?
				"-j" : "this option");
		if (o->kind == NC_OPT_WAIT)
			wait = true;
		if (o->kind == NC_OPT_WAIT_INTERVAL)
			interval = o;
		if (cl < 0 || legal[k][0] == '\0')
			continue;
		if (legal[k][cl] == 'x' ||
		    (o->kind == NC_OPT_EXT && k != NC_CMD_APPEND))
			return nc_err_param(b->err, &o->loc,
				"Illegal option `%s' with this command",
				opt_letters[cl]);
	}
	/* -W is read and ignored, as iptables-nft 1.8.9 says; alone it is a
	 * parameter problem there */
	if (interval) {
		nc_err_warn(b->err, &interval->loc, "Ignoring deprecated --wait-interval option.");
		if (!wait)
			return nc_err_param(b->err, &interval->loc,
					    "--wait-interval only makes sense with --wait");
	}
	return 0;
}

static bool takes_rule(enum nc_cmd_kind k)
{
	return k == NC_CMD_APPEND || k == NC_CMD_INSERT || k == NC_CMD_CHECK ||
	       k == NC_CMD_REPLACE || k == NC_CMD_DELETE;
}

static int expand_rules(struct build *b)
{
	struct nc_job *j = b->job;
	size_t ns = b->nsrc ? b->nsrc : 1, nd = b->ndst ? b->ndst : 1;

	for (size_t i = 0; i < 2; i++) {
		uint8_t bit = i ? NC_INV_DST : NC_INV_SRC;
		union nc_addr *m = i ? b->dmasks : b->smasks;
		size_t n = i ? b->ndst : b->nsrc;

		/* iptables-nft 1.8.9 sends it and the kernel refuses it (exit
		 * 4); natc says why before sending anything */
		if ((b->r->invflags & bit) && n == 1 &&
		    nc_mask_to_prefix(&m[0], b->r->family) == 0)
			return nc_err_param(b->err, &b->cmd->loc,
				"! -%c with a /0 mask would never match",
				i ? 'd' : 's');
	}
	/* either inverted while either has several addresses, as iptables
	 * checks it (! -d X with -s A,B too) */
	if ((b->r->invflags & (NC_INV_SRC | NC_INV_DST)) && (ns > 1 || nd > 1))
		return nc_err_param(b->err, &b->cmd->loc,
			"! not allowed with multiple source or destination IP addresses");
	if (j->kind == NC_CMD_REPLACE && ns * nd > 1)
		return nc_err_param(b->err, &b->cmd->loc,
			"Replacement rule does not specify a unique address");
	j->rules = calloc(ns * nd, sizeof(*j->rules));
	if (!j->rules)
		return nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
	for (size_t s = 0; s < ns; s++)
		for (size_t d = 0; d < nd; d++) {
			/* the last one is the rule built, not a copy */
			bool last = s == ns - 1 && d == nd - 1;
			struct nc_rule *r = last ? b->r : nc_rule_clone(b->r);

			if (last)
				b->r = NULL;
			if (!r)
				return nc_err_set(b->err, NC_ERESOURCE, NULL,
						  "out of memory");
			if (b->nsrc) {
				r->src = b->saddrs[s];
				r->smsk = b->smasks[s];
			}
			if (b->ndst) {
				r->dst = b->daddrs[d];
				r->dmsk = b->dmasks[d];
			}
			j->rules[j->nrules++] = r;
		}
	return 0;
}

/*
 * A match whose native form only works in some hooks (owner: a socket
 * exists only for locally generated packets) is refused in the other
 * builtin chains; the kernel would take it and it would never match.
 * (Rules in user chains are not checked.)
 */
static int match_hook(struct build *b, const struct nc_ext *e)
{
	const struct nc_builtin *bi = nc_builtin_find(b->job->chain);

	if (!e->ops->hooks || !bi || (e->ops->hooks & NC_HOOK(bi->hook)))
		return 0;
	return nc_err_param(b->err, &e->loc, "%s match cannot be used in %s",
			    e->ops->name, b->job->chain);
}

/*
 * iptables-nft 1.8.9 reads a tcp or udp test back into the earliest match
 * of its kind that has tests and lacks that one (-p tcp --dport 1 -m tcp
 * --sport 2 lists as -m tcp --sport 2 --dport 1), and natc reads its own
 * so (ir/ext/lib/ports.c): a rule typed so is made so here, so that it
 * equals the rule read back (-C, -D) and lists as iptables-nft lists it.
 * An instance whose tests all moved goes; one typed without tests stays.
 */
static void merge_matches(struct nc_rule *r)
{
	for (size_t i = 1; i < r->nmatches; i++) {
		struct nc_ext *e = &r->matches[i];

		if (!e->ops->merge || e->ops->empty(e))
			continue;
		for (size_t j = 0; j < i; j++)
			if (r->matches[j].ops == e->ops &&
			    !e->ops->empty(&r->matches[j]))
				e->ops->merge(&r->matches[j], e);
		if (!e->ops->empty(e))
			continue;
		free(e->data);
		memmove(e, e + 1, (r->nmatches - i - 1) * sizeof(*e));
		r->nmatches--;
		i--;
	}
}

static int build_rule(struct build *b)
{
	const struct nc_cmd *c = b->cmd;
	struct nc_rule *r = b->r;

	for (size_t i = 0; i < c->nopts; i++)
		if (rule_option(b, &c->opts[i]) < 0)
			return -1;
	for (size_t i = 0; i < r->nmatches; i++) {
		struct nc_ext *e = &r->matches[i];

		if (e->ops->check && e->ops->check(e, r, b->err) < 0)
			return -1;
		if (match_hook(b, e) < 0)
			return -1;
	}
	if (r->target.ops && r->target.ops->check &&
	    r->target.ops->check(&r->target, r, b->err) < 0)
		return -1;
	if (r->target.ops && r->target.ops->at_hook) {
		const struct nc_builtin *bi = nc_builtin_find(b->job->chain);

		if (r->target.ops->at_hook(&r->target, bi ? bi->hook : -1,
					   &b->job->chain_loc, b->err) < 0)
			return -1;
	}
	merge_matches(r);
	if (nc_udata_check(r, b->err) < 0)
		return -1;
	/* a match that tests nothing (-p tcp -m tcp) stays: iptables-nft
	 * lists it, and the rule's userdata keeps it (ir/ext/comment.c) */
	return expand_rules(b);
}

static int build_job(struct build *b)
{
	const struct nc_cmd *c = b->cmd;
	struct nc_job *j = b->job;

	bool list_zero = (c->kind == NC_CMD_ZERO &&
			  (c->conflict == NC_CMD_LIST || c->conflict == NC_CMD_LIST_RULES)) ||
			 (c->conflict == NC_CMD_ZERO &&
			  (c->kind == NC_CMD_LIST || c->kind == NC_CMD_LIST_RULES));

	if (c->conflict && !list_zero)
		return nc_err_param(b->err, &c->conflict_loc, "Cannot use -%c with -%c",
				    nc_cmd_letter(c->conflict), nc_cmd_letter(c->kind));
	if (c->kind == NC_CMD_NONE)
		return nc_err_param(b->err, c->nopts ? &c->opts[0].loc : NULL,
				    "no command specified");
	j->kind = list_zero && c->kind == NC_CMD_ZERO ? c->conflict : c->kind;
	j->zero = list_zero;
	if (check_options(b) < 0)
		return -1;
	for (size_t i = 0; i < c->nopts; i++) {
		switch (c->opts[i].kind) {
		case NC_OPT_NUMERIC: j->fmt |= NC_FMT_NUMERIC; break;
		case NC_OPT_VERBOSE: j->fmt |= NC_FMT_VERBOSE; j->verbose = true; break;
		case NC_OPT_EXACT: j->fmt |= NC_FMT_EXACT; break;
		case NC_OPT_LINENUMBERS: j->fmt |= NC_FMT_LINENUM; break;
		default: break;
		}
	}
	if (c->chain.s) {
		if (strlen(c->chain.s) >= NC_CHAIN_MAXNAMELEN)
			return nc_err_param(b->err, &c->chain.loc,
				"chain name `%s' too long (must be under %d chars)",
				c->chain.s, NC_CHAIN_MAXNAMELEN);
		strcpy(j->chain, c->chain.s);
		j->chain_loc = c->chain.loc;
	}
	if (c->kind == NC_CMD_REPLACE && !c->rulenum.s)
		return nc_err_param(b->err, &c->loc, "-R requires a rule number");
	if (parse_rulenum(&c->rulenum, &j->rulenum, b->err) < 0)
		return -1;
	switch (c->kind) {
	case NC_CMD_NEW_CHAIN:
		return nc_check_chain_name(j->chain, &c->chain.loc, b->err);
	case NC_CMD_RENAME_CHAIN:
		if (!c->arg.s)
			return nc_err_param(b->err, &c->loc,
				"-E requires old-chain-name and new-chain-name");
		if (nc_check_chain_name(c->arg.s, &c->arg.loc, b->err) < 0)
			return -1;
		strcpy(j->newname, c->arg.s);
		return 0;
	case NC_CMD_POLICY:
		if (!c->arg.s)
			return nc_err_param(b->err, &c->loc,
				"-P requires a chain and a policy");
		if (!strcmp(c->arg.s, "ACCEPT"))
			j->policy = NF_ACCEPT;
		else if (!strcmp(c->arg.s, "DROP"))
			j->policy = NF_DROP;
		else
			return nc_err_set(b->err, NC_EOTHER, &c->arg.loc,
				"Bad policy name. Run `dmesg' for more information.");
		return 0;
	default:
		break;
	}
	if (!takes_rule(c->kind) || (c->kind == NC_CMD_DELETE && c->rulenum.s))
		return 0;
	b->r = nc_rule_new(j->family);
	if (!b->r)
		return nc_err_set(b->err, NC_ERESOURCE, NULL, "out of memory");
	b->r->loc = c->loc;
	if (check_ifaces(b) < 0)
		return -1;
	return build_rule(b);
}

struct nc_job *nc_build(const struct nc_cmd *cmd, uint8_t family,
			struct nc_err *err)
{
	struct build b = { .cmd = cmd, .err = err };
	int rc;

	b.job = calloc(1, sizeof(*b.job));
	if (!b.job) {
		nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
		return NULL;
	}
	b.job->family = family;
	rc = build_job(&b);
	nc_rule_free(b.r);
	free(b.saddrs);
	free(b.smasks);
	free(b.daddrs);
	free(b.dmasks);
	if (rc < 0) {
		nc_job_free(b.job);
		return NULL;
	}
	return b.job;
}

void nc_job_free(struct nc_job *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->nrules; i++)
		nc_rule_free(j->rules[i]);
	free(j->rules);
	free(j);
}
