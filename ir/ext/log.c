// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LOG: a kernel log line per packet; the rule goes on.  Kernel: nft's
 * `log [prefix P] [level L] [flags ...]` (the log expression without a
 * group); natc leaves the level out when it is the default, warning (4),
 * as nft's `log` does.  Allowed in every hook.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ext/lib/logprefix.h"

/* XT_LOG_* / NF_LOG_* flags */
#define F_TCPSEQ	0x01
#define F_TCPOPT	0x02
#define F_IPOPT		0x04
#define F_UID		0x08
#define F_MACDECODE	0x20
#define F_ALL		0x2f
#define LEVEL_DEFAULT	4
#define PREFIX_MAX	29	/* xt_log_info: char prefix[30] */

enum { O_PREFIX, O_LEVEL, O_TCPSEQ, O_TCPOPT, O_IPOPT, O_UID, O_MACDECODE };

struct log_tg {
	char prefix[NC_LOG_PREFIX_MAX];
	uint32_t level, flags;
	uint32_t given;		/* parse-time only; zeroed by check */
};

static const struct nc_ext_opt log_opts[] = {
	{ "log-level", O_LEVEL, NC_EXTOPT_ARG },
	{ "log-prefix", O_PREFIX, NC_EXTOPT_ARG },
	{ "log-tcp-sequence", O_TCPSEQ, 0 },
	{ "log-tcp-options", O_TCPOPT, 0 },
	{ "log-ip-options", O_IPOPT, 0 },
	{ "log-uid", O_UID, 0 },
	{ "log-macdecode", O_MACDECODE, 0 },
	{ 0 }
};

static const struct { const char *name; uint32_t flag; } flag_names[] = {
	{ "tcp-sequence", F_TCPSEQ }, { "tcp-options", F_TCPOPT },
	{ "ip-options", F_IPOPT }, { "uid", F_UID }, { "macdecode", F_MACDECODE },
};

/* The names --log-level takes, and those -L prints (not the same ones) */
static const struct { const char *name; uint32_t level; } level_in[] = {
	{ "alert", 1 }, { "crit", 2 }, { "debug", 7 }, { "emerg", 0 },
	{ "error", 3 }, { "info", 6 }, { "notice", 5 }, { "panic", 0 },
	{ "warning", 4 },
};
static const char *const level_out[8] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

static int parse_level(const char *arg, uint32_t *level,
		       const struct nc_loc *loc, struct nc_err *err)
{
	unsigned long v;
	char *end;

	if (isdigit((unsigned char)*arg)) {
		errno = 0;
		v = strtoul(arg, &end, 0);
		if (!errno && !*end && v <= 7) {
			*level = (uint32_t)v;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(level_in) / sizeof(level_in[0]); i++)
		if (!strcmp(arg, level_in[i].name)) {
			*level = level_in[i].level;
			return 0;
		}
	return nc_err_param(err, loc, "log level \"%s\" unknown\n", arg);
}

static int log_parse(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err)
{
	struct log_tg *l = e->data;

	(void)r;
	(void)inv;	/* build.c refuses '!' before options without NC_EXTOPT_INV */
	if (!l->given)
		l->level = LEVEL_DEFAULT;
	if (l->given & (1u << opt->id))
		return nc_err_param(err, loc,
			"LOG: option \"--%s\" can only be used once.\n", opt->name);
	l->given |= 1u << opt->id;
	switch (opt->id) {
	case O_PREFIX:
		return nc_log_prefix_parse(l->prefix, arg, PREFIX_MAX, opt->name,
					   loc, err);
	case O_LEVEL:
		return parse_level(arg, &l->level, loc, err);
	case O_TCPSEQ:    l->flags |= F_TCPSEQ; break;
	case O_TCPOPT:    l->flags |= F_TCPOPT; break;
	case O_IPOPT:     l->flags |= F_IPOPT; break;
	case O_UID:       l->flags |= F_UID; break;
	default:          l->flags |= F_MACDECODE; break;
	}
	return 0;
}

static int log_check(struct nc_ext *e, const struct nc_rule *r,
		     struct nc_err *err)
{
	struct log_tg *l = e->data;

	(void)r;
	(void)err;
	if (!l->given)
		l->level = LEVEL_DEFAULT;
	l->given = 0;
	return 0;
}

static void log_save(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b)
{
	const struct log_tg *l = e->data;

	(void)r;
	if (l->prefix[0]) {
		nc_buf_puts(b, " --log-prefix");
		nc_log_save_string(b, l->prefix);
	}
	if (l->level != LEVEL_DEFAULT)
		nc_buf_printf(b, " --log-level %u", l->level);
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (l->flags & flag_names[i].flag)
			nc_buf_printf(b, " --log-%s", flag_names[i].name);
}

static void log_print(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b, unsigned fmt)
{
	const struct log_tg *l = e->data;

	(void)r;
	nc_buf_puts(b, " LOG");
	if (fmt & NC_FMT_NUMERIC) {
		nc_buf_printf(b, " flags %u level %u", l->flags, l->level);
	} else {
		nc_buf_printf(b, " level %s", level_out[l->level & 7]);
		for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (l->flags & flag_names[i].flag)
				nc_buf_printf(b, " %s", flag_names[i].name);
	}
	if (l->prefix[0])
		nc_buf_printf(b, " prefix \"%s\"", l->prefix);
}

static int log_linearize(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out)
{
	const struct log_tg *l = e->data;
	struct nc_expr *x = nc_exprs_add(out, NC_E_LOG);

	(void)r;
	if (!x)
		return -1;
	if (l->level != LEVEL_DEFAULT) {
		x->u.log.has |= NC_LOG_HAS_LEVEL;
		x->u.log.level = l->level;
	}
	if (l->flags) {
		x->u.log.has |= NC_LOG_HAS_FLAGS;
		x->u.log.flags = l->flags;
	}
	return nc_log_prefix_set(out, l->prefix);
}

static int log_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	const uint32_t known = NC_LOG_HAS_PREFIX | NC_LOG_HAS_LEVEL | NC_LOG_HAS_FLAGS;
	struct log_tg l = { .level = LEVEL_DEFAULT };

	if (!x || x->type != NC_E_LOG || (x->u.log.has & ~known))
		return 0;
	if (x->u.log.has & NC_LOG_HAS_LEVEL)
		l.level = x->u.log.level;
	if (x->u.log.has & NC_LOG_HAS_FLAGS)
		l.flags = x->u.log.flags;
	/* level audit (8), unknown flags, long prefixes: not iptables' LOG */
	if (l.level > 7 || (l.flags & ~(uint32_t)F_ALL) ||
	    !nc_log_prefix_get(c->l, x, l.prefix) || strlen(l.prefix) > PREFIX_MAX)
		return 0;
	if (nc_rule_set_target(r, &nc_ext_log) < 0)
		return -1;
	*(struct log_tg *)r->target.data = l;
	c->pos++;
	return 1;
}

/*
 * nft text, as iptables-translate writes it: `log prefix "P" level crit
 * flags tcp sequence,options flags ip options flags skuid flags ether`,
 * `flags all` when every flag is set; the default level left out.
 */
static int log_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x)
{
	static const char *const nft_level[8] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
	};
	const struct log_tg *l = e->data;

	(void)r;
	nc_buf_puts(x->b, " log");
	if (nc_log_prefix_xlate(x, l->prefix) < 0)
		return -1;
	if (l->level != LEVEL_DEFAULT)
		nc_buf_printf(x->b, " level %s", nft_level[l->level & 7]);
	if ((l->flags & F_ALL) == F_ALL) {
		nc_buf_puts(x->b, " flags all");
		return 0;
	}
	if (l->flags & (F_TCPSEQ | F_TCPOPT)) {
		nc_buf_puts(x->b, " flags tcp");
		if (l->flags & F_TCPSEQ)
			nc_buf_puts(x->b, " sequence");
		if (l->flags & F_TCPOPT)
			nc_buf_puts(x->b, l->flags & F_TCPSEQ ? ",options" : " options");
	}
	if (l->flags & F_IPOPT)
		nc_buf_puts(x->b, " flags ip options");
	if (l->flags & F_UID)
		nc_buf_puts(x->b, " flags skuid");
	if (l->flags & F_MACDECODE)
		nc_buf_puts(x->b, " flags ether");
	return 0;
}

static void log_describe(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	const struct log_tg *l = e->data;

	(void)r;
	nc_buf_printf(b, "logged to the kernel log at level %u", l->level);
	if (l->prefix[0])
		nc_buf_printf(b, " with prefix \"%s\"", l->prefix);
	nc_buf_puts(b, ", then on to the next rule (not a verdict)");
}

static int log_packet(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_pkt *p)
{
	(void)e;
	(void)r;
	memset(&p->act, 0, sizeof(p->act));
	return NC_PKT_YES;	/* NC_ACT_NONE: the walk goes on */
}

const struct nc_ext_ops nc_ext_log = {
	.name = "LOG",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct log_tg),
	.opts = log_opts,
	.parse = log_parse,
	.check = log_check,
	.save = log_save,
	.print = log_print,
	.linearize = log_linearize,
	.delinearize = log_delinearize,
	.describe = log_describe,
	.packet = log_packet,
	.xlate = log_xlate,
};
