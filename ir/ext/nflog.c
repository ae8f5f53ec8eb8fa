// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NFLOG: pass the packet to a netlink log group; the rule goes on.
 * Kernel: nft's `log group G [prefix P] [snaplen N] [queue-threshold T]`
 * (iptables-nft 1.8.9 writes the same).  --nflog-range is accepted with
 * iptables' warning and ignored, as iptables does.  Allowed in every hook.
 */
#include <string.h>
#include "ir/ext/lib/logprefix.h"
#include "ir/ext/lib/xmark.h"

enum { O_GROUP, O_PREFIX, O_RANGE, O_SIZE, O_THRESHOLD };

struct nflog_tg {
	char prefix[NC_LOG_PREFIX_MAX];
	uint32_t group, threshold;
	uint32_t size, has_size;
	uint32_t given;		/* parse-time only; zeroed by check */
	struct nc_loc range_loc;	/* --nflog-range's, for the warning;
					 * parse-time only too */
};

static const struct nc_ext_opt nflog_opts[] = {
	{ "nflog-group", O_GROUP, NC_EXTOPT_ARG },
	{ "nflog-prefix", O_PREFIX, NC_EXTOPT_ARG },
	{ "nflog-range", O_RANGE, NC_EXTOPT_ARG },
	{ "nflog-size", O_SIZE, NC_EXTOPT_ARG },
	{ "nflog-threshold", O_THRESHOLD, NC_EXTOPT_ARG },
	{ 0 }
};

static int num(const char *arg, uint32_t max, uint32_t *v, const char *opt,
	       const struct nc_loc *loc, struct nc_err *err)
{
	if (nc_xmark_num(arg, v) < 0 || *v > max)
		return nc_err_param(err, loc,
			"NFLOG: bad value for option \"--%s\", or out of range (0-%u).\n",
			opt, max);
	return 0;
}

static int nflog_parse(struct nc_ext *e, struct nc_rule *r,
		       const struct nc_ext_opt *opt, bool inv, const char *arg,
		       const struct nc_loc *loc, struct nc_err *err)
{
	struct nflog_tg *n = e->data;
	uint32_t v;

	(void)r;
	(void)inv;	/* build.c refuses '!' before options without NC_EXTOPT_INV */
	if (nc_xmark_once(e, &n->given, opt, loc, err) < 0)
		return -1;
	if (opt->id == O_RANGE)
		n->range_loc = *loc;
	switch (opt->id) {
	case O_GROUP:
		return num(arg, 0xffff, &n->group, opt->name, loc, err);
	case O_PREFIX:
		return nc_log_prefix_parse(n->prefix, arg, NC_LOG_PREFIX_MAX - 1,
					   opt->name, loc, err);
	case O_RANGE:
		return num(arg, 0xffffffff, &v, opt->name, loc, err);
	case O_SIZE:
		n->has_size = 1;
		return num(arg, 0xffffffff, &n->size, opt->name, loc, err);
	default:
		return num(arg, 0xffff, &n->threshold, opt->name, loc, err);
	}
}

static int nflog_check(struct nc_ext *e, const struct nc_rule *r,
		       struct nc_err *err)
{
	static const uint32_t excl[32] = {
		[O_RANGE] = 1u << O_SIZE, [O_SIZE] = 1u << O_RANGE,
	};
	struct nflog_tg *n = e->data;

	(void)r;
	/* iptables warns in its final check, before the one that refuses
	 * --nflog-range with --nflog-size (libxtables' exclusions run after
	 * the extension's check): not for a second --nflog-range or a bad
	 * value, which its option parser refuses first */
	if (n->given & (1u << O_RANGE))
		nc_err_warn(err, &n->range_loc, "--nflog-range has never worked "
			    "and is no longer supported, please use --nflog-size instead");
	if (nc_xmark_excl(e, n->given, excl, err) < 0)
		return -1;
	n->given = 0;
	memset(&n->range_loc, 0, sizeof(n->range_loc));
	return 0;
}

static void out(const struct nflog_tg *n, struct nc_buf *b, const char *dashes)
{
	if (n->prefix[0]) {
		nc_buf_printf(b, " %snflog-prefix", dashes);
		nc_log_save_string(b, n->prefix);
	}
	if (n->group)
		nc_buf_printf(b, " %snflog-group %u", dashes, n->group);
	if (n->has_size)
		nc_buf_printf(b, " %snflog-size %u", dashes, n->size);
	if (n->threshold)
		nc_buf_printf(b, " %snflog-threshold %u", dashes, n->threshold);
}

static void nflog_save(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b)
{
	(void)r;
	out(e->data, b, "--");
}

static void nflog_print(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b, unsigned fmt)
{
	(void)r;
	(void)fmt;
	out(e->data, b, "");
}

static int nflog_linearize(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_exprs *outl)
{
	const struct nflog_tg *n = e->data;
	struct nc_expr *x = nc_exprs_add(outl, NC_E_LOG);

	(void)r;
	if (!x)
		return -1;
	x->u.log.has = NC_LOG_HAS_GROUP;
	x->u.log.group = (uint16_t)n->group;
	if (n->has_size) {
		x->u.log.has |= NC_LOG_HAS_SNAPLEN;
		x->u.log.snaplen = n->size;
	}
	if (n->threshold) {
		x->u.log.has |= NC_LOG_HAS_QTHRESHOLD;
		x->u.log.qthreshold = (uint16_t)n->threshold;
	}
	return nc_log_prefix_set(outl, n->prefix);
}

static int nflog_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	struct nflog_tg n = { 0 };

	if (!x || x->type != NC_E_LOG || !(x->u.log.has & NC_LOG_HAS_GROUP) ||
	    (x->u.log.has & (NC_LOG_HAS_LEVEL | NC_LOG_HAS_FLAGS)) ||
	    !nc_log_prefix_get(c->l, x, n.prefix))
		return 0;
	n.group = x->u.log.group;
	if (x->u.log.has & NC_LOG_HAS_SNAPLEN) {
		n.has_size = 1;
		n.size = x->u.log.snaplen;
	}
	if (x->u.log.has & NC_LOG_HAS_QTHRESHOLD)
		n.threshold = x->u.log.qthreshold;
	if (nc_rule_set_target(r, &nc_ext_nflog) < 0)
		return -1;
	*(struct nflog_tg *)r->target.data = n;
	c->pos++;
	return 1;
}

/* nft text, as iptables-translate writes it: `log prefix "P" snaplen 64
 * queue-threshold 10 group 2` */
static int nflog_xlate(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_xlate *x)
{
	const struct nflog_tg *n = e->data;

	(void)r;
	nc_buf_puts(x->b, " log");
	if (nc_log_prefix_xlate(x, n->prefix) < 0)
		return -1;
	if (n->has_size)
		nc_buf_printf(x->b, " snaplen %u", n->size);
	if (n->threshold)
		nc_buf_printf(x->b, " queue-threshold %u", n->threshold);
	nc_buf_printf(x->b, " group %u", n->group);
	return 0;
}

static void nflog_describe(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_buf *b)
{
	const struct nflog_tg *n = e->data;

	(void)r;
	nc_buf_printf(b, "copied to userspace logging (nflog group %u)", n->group);
	if (n->prefix[0])
		nc_buf_printf(b, " with prefix \"%s\"", n->prefix);
	nc_buf_puts(b, ", then on to the next rule (not a verdict)");
}

static int nflog_packet(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_pkt *p)
{
	(void)e;
	(void)r;
	memset(&p->act, 0, sizeof(p->act));
	return NC_PKT_YES;	/* NC_ACT_NONE: the walk goes on */
}

const struct nc_ext_ops nc_ext_nflog = {
	.name = "NFLOG",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nflog_tg),
	.opts = nflog_opts,
	.parse = nflog_parse,
	.check = nflog_check,
	.save = nflog_save,
	.print = nflog_print,
	.linearize = nflog_linearize,
	.delinearize = nflog_delinearize,
	.describe = nflog_describe,
	.packet = nflog_packet,
	.xlate = nflog_xlate,
};
