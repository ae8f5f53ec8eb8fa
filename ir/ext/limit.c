// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The limit match: --limit RATE[/second|/minute|/hour|/day] (default
 * 3/hour), --limit-burst N (default 5).
 *
 * natc keeps iptables' representation, the average time between packets
 * in 1/10000 s ("avg"), so any spelling of the same rate is the same rule
 * and -S prints it as iptables does (the largest unit that still gives a
 * whole number, "5/min").  Kernel form: nft's [limit rate R/UNIT burst B
 * type packets flags 0x0], with R/UNIT the rate -S prints, which is
 * what nft writes for `limit rate R/UNIT burst B packets` and what
 * iptables-nft 1.8.9 writes itself.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ir/ext/lib/xtmsg.h"
#include "ir/parse.h"

#define SCALE 10000u		/* XT_LIMIT_SCALE */
#define DEFAULT_BURST 5u

enum { OPT_LIMIT = 1, OPT_BURST };

struct limit {
	uint32_t avg, burst;
	uint8_t seen;		/* while parsing */
};

static const struct nc_ext_opt limit_opts[] = {
	{ "limit", OPT_LIMIT, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "limit-burst", OPT_BURST, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static const struct { const char *name; uint32_t mult; } units[] = {
	{ "day", SCALE * 24 * 60 * 60 }, { "hour", SCALE * 60 * 60 },
	{ "min", SCALE * 60 }, { "sec", SCALE },
};

/* The unit -S prints @avg in: its index in units[]. */
static size_t unit_of(uint32_t avg)
{
	size_t i;

	for (i = 1; i < sizeof(units) / sizeof(units[0]); i++)
		if (avg > units[i].mult ||
		    units[i].mult / avg < units[i].mult % avg)
			break;
	return i - 1;
}

/* libxt_limit's rate syntax: a number (atoi), "/" and a prefix of a
 * unit's name in any case; 0 when it is not a rate. */
static int parse_rate(const char *arg, uint32_t *avg, const struct nc_loc *loc,
		      struct nc_err *err)
{
	static const struct { const char *name; uint32_t secs; } in[] = {
		{ "second", 1 }, { "minute", 60 }, { "hour", 3600 }, { "day", 86400 },
	};
	const char *slash = strchr(arg, '/');
	uint32_t mult = 1, r;
	size_t i;

	if (slash) {
		size_t len = strlen(slash + 1);

		for (i = 0; len && i < 4; i++)
			if (!strncasecmp(slash + 1, in[i].name, len))
				break;
		if (!len || i == 4)
			return nc_err_param(err, loc, "bad rate \"%s\"'", arg);
		mult = in[i].secs;
	}
	r = (uint32_t)atoi(arg);
	if (!r)
		return nc_err_param(err, loc, "bad rate \"%s\"'", arg);
	*avg = SCALE * mult / r;
	if (!*avg)
		return nc_err_param(err, loc, "Rate too fast \"%s\"", arg);
	return 0;
}

static int limit_parse(struct nc_ext *e, struct nc_rule *r,
		       const struct nc_ext_opt *opt, bool inv, const char *arg,
		       const struct nc_loc *loc, struct nc_err *err)
{
	struct limit *l = e->data;
	uintmax_t v;

	if (l->seen & opt->id)
		return nc_xt_once(err, loc, "limit", opt->name);
	if (inv)
		return nc_xt_noinv(err, loc, "limit", opt->name);
	if (opt->id == OPT_LIMIT) {
		if (parse_rate(arg, &l->avg, loc, err) < 0)
			return -1;
	} else {
		if (nc_xt_uint(arg, 0, 10000, &v) < 0)
			return nc_xt_range(err, loc, "limit", opt->name, "(0-10000)");
		l->burst = (uint32_t)v;
	}
	l->seen |= (uint8_t)opt->id;
	return 0;
}

static int limit_check(struct nc_ext *e, const struct nc_rule *r,
		       struct nc_err *err)
{
	struct limit *l = e->data;

	if (!l->avg)
		l->avg = SCALE * 60 * 60 / 3;
	if (!l->burst)		/* 0 is the default, as in iptables */
		l->burst = DEFAULT_BURST;
	l->seen = 0;
	return 0;
}

static void put_rate(struct nc_buf *b, uint32_t avg)
{
	size_t u = unit_of(avg);

	nc_buf_printf(b, "%u/%s", units[u].mult / avg, units[u].name);
}

static void limit_save(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b)
{
	const struct limit *l = e->data;

	nc_buf_puts(b, " --limit ");
	put_rate(b, l->avg);
	if (l->burst != DEFAULT_BURST)
		nc_buf_printf(b, " --limit-burst %u", l->burst);
}

static void limit_print(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b, unsigned fmt)
{
	const struct limit *l = e->data;

	nc_buf_puts(b, " limit: avg ");
	put_rate(b, l->avg);
	nc_buf_printf(b, " burst %u", l->burst);
}

static int limit_linearize(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_exprs *out)
{
	const struct limit *l = e->data;
	struct nc_expr *x = nc_exprs_add(out, NC_E_LIMIT);
	size_t u = unit_of(l->avg);

	if (!x)
		return -1;
	x->u.limit.rate = units[u].mult / l->avg;
	x->u.limit.unit = units[u].mult / SCALE;
	x->u.limit.burst = l->burst;
	x->u.limit.type = NFT_LIMIT_PKTS;
	return 0;
}

static int limit_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	struct nc_ext *e;
	struct limit *l;
	uint64_t avg;

	if (!x || x->type != NC_E_LIMIT || x->u.limit.type != NFT_LIMIT_PKTS ||
	    x->u.limit.flags || !x->u.limit.rate || !x->u.limit.unit ||
	    x->u.limit.unit > UINT64_MAX / SCALE)
		return 0;
	avg = SCALE * x->u.limit.unit / x->u.limit.rate;
	if (!avg || avg > UINT32_MAX)
		return 0;
	if (!(e = nc_rule_add_match(r, &nc_ext_limit)))
		return -1;
	l = e->data;
	l->avg = (uint32_t)avg;
	l->burst = x->u.limit.burst;
	c->pos++;
	return 1;
}

/* nft text: `limit rate 5/second burst 7 packets` */
static int limit_xlate(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_xlate *x)
{
	static const char *const nft_units[] = { "day", "hour", "minute", "second" };
	const struct limit *l = e->data;
	size_t u = unit_of(l->avg);

	nc_buf_puts(x->b, " limit rate ");
	nc_buf_putu(x->b, units[u].mult / l->avg);
	nc_buf_putc(x->b, '/');
	nc_buf_puts(x->b, nft_units[u]);
	nc_buf_puts(x->b, " burst ");
	nc_buf_putu(x->b, l->burst);
	nc_buf_puts(x->b, " packets");
	return 0;
}

/* --explain: the rate -S shows; whether a packet is within it depends on
 * the traffic before it (MAYBE). */
static void limit_describe(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_buf *b)
{
	const struct limit *l = e->data;

	(void)r;
	nc_buf_puts(b, ", within a rate limit of ");
	put_rate(b, l->avg);
	nc_buf_printf(b, " (bursts of %u; the packets beyond it do not match)", l->burst);
}

const struct nc_ext_ops nc_ext_limit = {
	.name = "limit",
	.iptables_native = true,
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct limit),
	.opts = limit_opts,
	.parse = limit_parse,
	.check = limit_check,
	.save = limit_save,
	.print = limit_print,
	.linearize = limit_linearize,
	.delinearize = limit_delinearize,
	.xlate = limit_xlate,
	.describe = limit_describe,
	/* no packet callback: whether a packet is within the rate depends
	 * on the ones before it */
};
