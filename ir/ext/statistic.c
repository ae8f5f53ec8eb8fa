// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The statistic match: -m statistic --mode random [!] --probability P,
 * --mode nth [!] --every N --packet P.
 *
 * iptables keeps a probability as the 31-bit threshold
 * round(P * 2^31); the kernel matches when (random & 0x7fffffff) is below
 * it, and -S prints threshold / 2^31 with eleven decimals.  natc keeps the
 * same threshold, so it prints the same digits, and writes what nft
 * writes for `meta random & 2147483647 < THRESHOLD` (the text
 * iptables-translate gives): [meta load prandom] [bitwise & 0x7fffffff]
 * [cmp lt THRESHOLD], in network byte order.  That is the kernel's test
 * exactly: the same 31 random bits against the same threshold.  `!`
 * gives cmp gte.  Read back too: `numgen random mod 2147483648 < K`
 * ([numgen] [byteorder hton] [cmp lt]), the same test in other words.
 *
 * nth: `numgen inc mod N == P` (cmp neq when negated).  The kernel's
 * numgen counter yields 0, 1, ... N-1, 0, ...; xt_statistic starts its
 * counter at every - packet and matches when it wraps, i.e. at packets
 * P, P + N, ... (0-based): the same packets.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "ir/ext/lib/xtmsg.h"
#include "ir/parse.h"

enum { MODE_RANDOM = 1, MODE_NTH };
enum { OPT_MODE = 1, OPT_PROB, OPT_EVERY, OPT_PACKET };
enum { SEEN_MODE = 1, SEEN_PROB = 2, SEEN_EVERY = 4, SEEN_PACKET = 8 };

struct statistic {
	uint32_t prob;		/* threshold, 0 .. 2^31 */
	uint32_t every;		/* N, 1 .. 2^32-1 */
	uint32_t packet;	/* 0 .. N-1 */
	uint8_t mode;
	uint8_t inv;
	uint8_t seen;		/* while parsing; 0 once checked */
};

static const struct nc_ext_opt statistic_opts[] = {
	{ "mode", OPT_MODE, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "probability", OPT_PROB, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "every", OPT_EVERY, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "packet", OPT_PACKET, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static int parse_prob(const char *arg, uint32_t *out)
{
	char *end;
	double p = strtod(arg, &end);

	if (end == arg || *end || p < 0.0 || p > 1.0)
		return -1;
	/* iptables takes "nan" too, and keeps 0 */
	*out = isnan(p) ? 0 : (uint32_t)(p * 2147483648.0 + 0.5);
	return 0;
}

static int statistic_parse(struct nc_ext *e, struct nc_rule *r,
			   const struct nc_ext_opt *opt, bool inv, const char *arg,
			   const struct nc_loc *loc, struct nc_err *err)
{
	static const uint8_t bit[] = { [OPT_MODE] = SEEN_MODE,
		[OPT_PROB] = SEEN_PROB, [OPT_EVERY] = SEEN_EVERY,
		[OPT_PACKET] = SEEN_PACKET };
	struct statistic *s = e->data;
	uintmax_t v;

	if (s->seen & bit[opt->id])
		return nc_xt_once(err, loc, "statistic", opt->name);
	if (inv && (opt->id == OPT_MODE || opt->id == OPT_PACKET))
		return nc_xt_noinv(err, loc, "statistic", opt->name);
	switch (opt->id) {
	case OPT_MODE:
		if (!strcmp(arg, "random"))
			s->mode = MODE_RANDOM;
		else if (!strcmp(arg, "nth"))
			s->mode = MODE_NTH;
		else
			return nc_err_param(err, loc, "Bad mode \"%s\"", arg);
		break;
	case OPT_PROB:
		if (parse_prob(arg, &s->prob) < 0)
			return nc_xt_range(err, loc, "statistic", opt->name, "(0-1)");
		break;
	case OPT_EVERY:
		if (nc_xt_uint(arg, 1, UINT32_MAX, &v) < 0)
			return nc_xt_range(err, loc, "statistic", opt->name,
					   "(1-4294967295)");
		s->every = (uint32_t)v;
		break;
	case OPT_PACKET:
		if (nc_xt_uint(arg, 0, UINT32_MAX, &v) < 0)
			return nc_xt_range(err, loc, "statistic", opt->name,
					   "(0-4294967295)");
		s->packet = (uint32_t)v;
		break;
	}
	if (inv)
		s->inv = 1;
	s->seen |= bit[opt->id];
	return 0;
}

/* libxt_statistic's own final check first, then libxtables' generic one
 * (exclusions and dependencies, in option table order), as iptables. */
static int statistic_check(struct nc_ext *e, const struct nc_rule *r,
			   struct nc_err *err)
{
	struct statistic *s = e->data;
	uint8_t seen = s->seen;

	if (!s->mode)
		s->mode = MODE_RANDOM;
	if (s->mode == MODE_RANDOM && !(seen & SEEN_PROB))
		return nc_err_param(err, &e->loc,
			"--probability must be specified when using random mode");
	if (s->mode == MODE_NTH && !(seen & (SEEN_EVERY | SEEN_PACKET)))
		return nc_err_param(err, &e->loc,
			"--every and --packet must be specified when using nth mode");
	/* compared with every - 1, as iptables stores it */
	if (s->packet > (s->every ? s->every - 1 : 0))
		return nc_err_param(err, &e->loc,
				    "the --packet p must be 0 <= p <= n-1");
	if (!(seen & SEEN_MODE))
		return nc_xt_mand(err, &e->loc, "statistic", "mode");
	if ((seen & SEEN_PROB) && (seen & (SEEN_EVERY | SEEN_PACKET)))
		return nc_xt_excl(err, &e->loc, "statistic", "probability",
				  seen & SEEN_EVERY ? "every" : "packet");
	if ((seen & SEEN_EVERY) && !(seen & SEEN_PACKET))
		return nc_xt_also(err, &e->loc, "statistic", "every", "packet");
	/* what the kernel keeps of the other mode's options */
	if (s->mode == MODE_RANDOM) {
		s->every = 0;
		s->packet = 0;
	} else {
		s->prob = 0;
		if (!s->every)
			s->every = 1;	/* --packet 0 alone: every packet */
	}
	s->seen = 0;
	return 0;
}

static void statistic_save(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_buf *b)
{
	const struct statistic *s = e->data;

	if (s->mode == MODE_RANDOM)
		nc_buf_printf(b, " --mode random%s --probability %.11f",
			      s->inv ? " !" : "", s->prob / 2147483648.0);
	else
		nc_buf_printf(b, " --mode nth%s --every %u --packet %u",
			      s->inv ? " !" : "", s->every, s->packet);
}

static void statistic_print(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_buf *b, unsigned fmt)
{
	const struct statistic *s = e->data;

	if (s->mode == MODE_RANDOM)
		nc_buf_printf(b, " statistic mode random%s probability %.11f",
			      s->inv ? " !" : "", s->prob / 2147483648.0);
	else
	{
		nc_buf_printf(b, " statistic mode nth%s every %u",
			      s->inv ? " !" : "", s->every);
		if (s->packet)
			nc_buf_printf(b, " packet %u", s->packet);
	}
}

static const uint8_t mask31[4] = { 0x7f, 0xff, 0xff, 0xff };

static int statistic_linearize(const struct nc_ext *e, const struct nc_rule *r,
			       struct nc_exprs *out)
{
	const struct statistic *s = e->data;
	struct nc_expr *x;

	if (s->mode == MODE_RANDOM) {
		uint32_t be = htonl(s->prob);

		if (nc_expr_meta(out, NFT_META_PRANDOM) < 0 ||
		    nc_expr_bitwise(out, mask31, 4) < 0)
			return -1;
		return nc_expr_cmp(out, s->inv ? NFT_CMP_GTE : NFT_CMP_LT, &be, 4);
	}
	x = nc_exprs_add(out, NC_E_NUMGEN);
	if (!x)
		return -1;
	x->u.numgen.dreg = NFT_REG_1;
	x->u.numgen.modulus = s->every;
	x->u.numgen.type = NFT_NG_INCREMENTAL;
	return nc_expr_cmp(out, s->inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &s->packet, 4);
}

static bool is_cmp4(const struct nc_expr *x)
{
	return x && x->type == NC_E_CMP && x->u.cmp.sreg == NFT_REG_1 &&
	       x->u.cmp.len == 4;
}

static int add(struct nc_rule *r, const struct statistic *tmpl)
{
	struct nc_ext *e = nc_rule_add_match(r, &nc_ext_statistic);

	if (!e)
		return -1;
	memcpy(e->data, tmpl, sizeof(*tmpl));
	return 1;
}


/* A random 31-bit number in NFT_REG_1: nft's "meta random & 0x7fffffff"
 * (what natc writes), or "numgen random mod 2^31" turned to network order
 * (what nft writes for that text). */
static bool meta_random31(const struct nc_expr *a, const struct nc_expr *b)
{
	return a && a->type == NC_E_META && a->u.meta.key == NFT_META_PRANDOM &&
	       a->u.meta.dreg == NFT_REG_1 && !a->u.meta.sreg &&
	       b && b->type == NC_E_BITWISE && b->u.bitwise.len == 4 &&
	       b->u.bitwise.sreg == NFT_REG_1 && b->u.bitwise.dreg == NFT_REG_1 &&
	       !memcmp(b->u.bitwise.mask, mask31, 4) &&
	       !memcmp(b->u.bitwise.xor, "\0\0\0\0", 4);
}

static bool numgen_random31(const struct nc_expr *a, const struct nc_expr *b)
{
	return a && a->type == NC_E_NUMGEN && a->u.numgen.type == NFT_NG_RANDOM &&
	       a->u.numgen.dreg == NFT_REG_1 && !a->u.numgen.offset &&
	       a->u.numgen.modulus == 0x80000000u &&
	       b && b->type == NC_E_BYTEORDER &&
	       b->u.byteorder.op == NFT_BYTEORDER_HTON &&
	       b->u.byteorder.sreg == NFT_REG_1 && b->u.byteorder.dreg == NFT_REG_1 &&
	       b->u.byteorder.len == 4 && b->u.byteorder.size == 4;
}

static int statistic_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *a = nc_cursor_peek(c, 0), *b = nc_cursor_peek(c, 1),
			     *d = nc_cursor_peek(c, 2);
	struct statistic s = { 0 };
	uint32_t v;

	if ((meta_random31(a, b) || numgen_random31(a, b)) && is_cmp4(d) &&
	    (d->u.cmp.op == NFT_CMP_LT || d->u.cmp.op == NFT_CMP_GTE)) {
		memcpy(&v, d->u.cmp.data, 4);
		v = ntohl(v);
		if (v > 0x80000000u)
			return 0;
		s.mode = MODE_RANDOM;
		s.prob = v;
		s.inv = d->u.cmp.op == NFT_CMP_GTE;
		c->pos += 3;
		return add(r, &s);
	}
	if (a && a->type == NC_E_NUMGEN && a->u.numgen.type == NFT_NG_INCREMENTAL &&
	    a->u.numgen.dreg == NFT_REG_1 && !a->u.numgen.offset &&
	    a->u.numgen.modulus && is_cmp4(b) &&
	    (b->u.cmp.op == NFT_CMP_EQ || b->u.cmp.op == NFT_CMP_NEQ)) {
		memcpy(&v, b->u.cmp.data, 4);
		if (v >= a->u.numgen.modulus)
			return 0;
		s.mode = MODE_NTH;
		s.every = a->u.numgen.modulus;
		s.packet = v;
		s.inv = b->u.cmp.op == NFT_CMP_NEQ;
		c->pos += 2;
		return add(r, &s);
	}
	return 0;
}

/* nft text: `meta random & 2147483647 < K`, `numgen inc mod N P` */
static int statistic_xlate(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_xlate *x)
{
	const struct statistic *s = e->data;

	if (s->mode == MODE_RANDOM)
		nc_buf_printf(x->b, " meta random & 2147483647 %s %u",
			      s->inv ? ">=" : "<", s->prob);
	else
		nc_buf_printf(x->b, " numgen inc mod %u %s%u", s->every,
			      s->inv ? "!= " : "", s->packet);
	return 0;
}

static void statistic_describe(const struct nc_ext *e, const struct nc_rule *r,
			       struct nc_buf *b)
{
	const struct statistic *s = e->data;
	double p = s->prob / 2147483648.0;

	(void)r;
	if (s->mode == MODE_RANDOM)
		nc_buf_printf(b, ", sampled at random with probability %g",
			      s->inv ? 1.0 - p : p);
	else if (s->inv)
		nc_buf_printf(b, ", sampled: all but one in every %u (not packets %u, %u, ...; counting from 0)",
			      s->every, s->packet, s->packet + s->every);
	else
		nc_buf_printf(b, ", sampled: one in every %u (packets %u, %u, ...; counting from 0)",
			      s->every, s->packet, s->packet + s->every);
}

/* Chance decides, or a counter natc cannot see: MAYBE unless the test
 * is certain (probability 0 or 1, every 1). */
static int statistic_packet(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_pkt *p)
{
	const struct statistic *s = e->data;
	int always;

	(void)r;
	(void)p;
	if (s->mode == MODE_RANDOM && (s->prob == 0 || s->prob >= 2147483648u))
		always = s->prob != 0;
	else if (s->mode == MODE_NTH && s->every == 1)
		always = 1;
	else
		return NC_PKT_MAYBE;
	return always != !!s->inv ? NC_PKT_YES : NC_PKT_NO;
}

const struct nc_ext_ops nc_ext_statistic = {
	.name = "statistic",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct statistic),
	.opts = statistic_opts,
	.parse = statistic_parse,
	.check = statistic_check,
	.save = statistic_save,
	.print = statistic_print,
	.linearize = statistic_linearize,
	.delinearize = statistic_delinearize,
	.xlate = statistic_xlate,
	.describe = statistic_describe,
	.packet = statistic_packet,
};
