// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MARK: set the packet mark; the rule goes on (not a verdict).  Every
 * option becomes the kernel's (mark & ~mask) ^ value, as xt_MARK rev 2
 * does, so -S always prints --set-xmark value/mask.  Kernel: `meta mark
 * set V` (immediate + meta set) when the whole mark is replaced, else
 * `meta mark set mark and ~M xor V` (meta load, bitwise, meta set).
 * Allowed in every hook.
 */
#include <string.h>
#include "ir/ext/lib/xmark.h"

/* ids are xtables' bit numbers: its messages name options by them */
enum { O_SET_MARK, O_AND_MARK, O_OR_MARK, O_XOR_MARK, O_SET_XMARK };
#define ALL_MARK_OPTS 0x1fu

struct mark_tg {
	uint32_t mark, mask;
	uint32_t given;		/* parse-time only; zeroed by check */
};

static const struct nc_ext_opt mark_opts[] = {
	{ "set-xmark", O_SET_XMARK, NC_EXTOPT_ARG },
	{ "set-mark", O_SET_MARK, NC_EXTOPT_ARG },
	{ "and-mark", O_AND_MARK, NC_EXTOPT_ARG },
	{ "or-mark", O_OR_MARK, NC_EXTOPT_ARG },
	{ "xor-mark", O_XOR_MARK, NC_EXTOPT_ARG },
	{ 0 }
};

static int mark_parse(struct nc_ext *e, struct nc_rule *r,
		      const struct nc_ext_opt *opt, bool inv, const char *arg,
		      const struct nc_loc *loc, struct nc_err *err)
{
	struct mark_tg *m = e->data;
	uint32_t v, mask;

	(void)r;
	(void)inv;	/* build.c refuses '!' before options without NC_EXTOPT_INV */
	if (nc_xmark_once(e, &m->given, opt, loc, err) < 0)
		return -1;
	if (opt->id == O_SET_MARK || opt->id == O_SET_XMARK) {
		if (nc_xmark_parse(arg, &v, &mask, "MARK", opt->name, loc, err) < 0)
			return -1;
		m->mark = v;
		m->mask = opt->id == O_SET_MARK ? v | mask : mask;
		return 0;
	}
	if (nc_xmark_parse(arg, &v, NULL, "MARK", opt->name, loc, err) < 0)
		return -1;
	switch (opt->id) {
	case O_AND_MARK: m->mark = 0; m->mask = ~v; break;
	case O_OR_MARK:  m->mark = v; m->mask = v; break;
	default:         m->mark = v; m->mask = 0; break;
	}
	return 0;
}

static int mark_check(struct nc_ext *e, const struct nc_rule *r,
		      struct nc_err *err)
{
	struct mark_tg *m = e->data;

	(void)r;
	static const uint32_t excl[32] = {
		[O_SET_MARK] = ALL_MARK_OPTS, [O_AND_MARK] = ALL_MARK_OPTS,
		[O_OR_MARK] = ALL_MARK_OPTS, [O_XOR_MARK] = ALL_MARK_OPTS,
		[O_SET_XMARK] = ALL_MARK_OPTS,
	};

	if (nc_xmark_excl(e, m->given, excl, err) < 0)
		return -1;
	if (!m->given)
		return nc_err_param(err, &e->loc,
			"MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required");
	m->given = 0;
	return 0;
}

static void mark_save(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b)
{
	const struct mark_tg *m = e->data;

	(void)r;
	nc_buf_printf(b, " --set-xmark 0x%x/0x%x", m->mark, m->mask);
}

static void mark_print(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b, unsigned fmt)
{
	const struct mark_tg *m = e->data;

	(void)r;
	(void)fmt;
	if (m->mark == 0)
		nc_buf_printf(b, " MARK and 0x%x", ~m->mask);
	else if (m->mark == m->mask)
		nc_buf_printf(b, " MARK or 0x%x", m->mark);
	else if (m->mask == 0)
		nc_buf_printf(b, " MARK xor 0x%x", m->mark);
	else if (m->mask == 0xffffffff)
		nc_buf_printf(b, " MARK set 0x%x", m->mark);
	else
		nc_buf_printf(b, " MARK xset 0x%x/0x%x", m->mark, m->mask);
}

static void mark_describe(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_buf *b)
{
	const struct mark_tg *m = e->data;

	(void)r;
	nc_xmark_describe(b, "packet mark", m->mark, m->mask);
	nc_buf_puts(b, ", then on to the next rule (not a verdict)");
}

static int mark_packet(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_pkt *p)
{
	const struct mark_tg *m = e->data;

	(void)r;
	memset(&p->act, 0, sizeof(p->act));
	p->act.act = NC_ACT_NONE;
	p->act.set_mark = true;
	p->act.mark_mask = m->mask;
	p->act.mark_xor = m->mark;
	return NC_PKT_YES;
}

static int mark_linearize(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_exprs *out)
{
	const struct mark_tg *m = e->data;

	(void)r;
	if (m->mask == 0xffffffff) {
		if (nc_expr_imm_data(out, NFT_REG_1, &m->mark, 4) < 0)
			return -1;
	} else if (nc_xmark_load(out, NC_E_META, NFT_META_MARK) < 0 ||
		   nc_xmark_bitwise(out, ~m->mask, m->mark) < 0) {
		return -1;
	}
	return nc_xmark_store(out, NC_E_META, NFT_META_MARK);
}

/*
 * nft text, in iptables-translate's words where they load what natc
 * writes: `meta mark set 0x5` (the whole mark: an immediate), else one
 * bitwise whatever the words: `mark and 0xff` (and ~M xor 0), `mark or
 * 0x4000` (and ~V xor V), `mark xor 0x3` (and 0xffffffff xor V), `mark
 * and ~M xor V`.
 */
static int mark_xlate(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_xlate *x)
{
	const struct mark_tg *m = e->data;

	(void)r;
	nc_buf_puts(x->b, " meta mark set ");
	if (m->mask == 0xffffffff)
		nc_buf_printf(x->b, "0x%x", m->mark);
	else if (m->mark == 0)
		nc_buf_printf(x->b, "mark and 0x%x", ~m->mask);
	else if (m->mark == m->mask)
		nc_buf_printf(x->b, "mark or 0x%x", m->mark);
	else if (m->mask == 0)
		nc_buf_printf(x->b, "mark xor 0x%x", m->mark);
	else
		nc_buf_printf(x->b, "mark and 0x%x xor 0x%x", ~m->mask, m->mark);
	return 0;
}

static int mark_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	enum nc_expr_type src;
	uint32_t and, xor;
	size_t n = nc_xmark_match(c, &src, NC_E_META, &and, &xor);
	struct mark_tg *m;

	if (!n || (src != NC_E_IMMEDIATE && src != NC_E_META))
		return 0;
	if (nc_rule_set_target(r, &nc_ext_mark_tg) < 0)
		return -1;
	m = r->target.data;
	m->mark = xor;
	m->mask = ~and;
	c->pos += n;
	return 1;
}

const struct nc_ext_ops nc_ext_mark_tg = {
	.name = "MARK",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct mark_tg),
	.opts = mark_opts,
	.parse = mark_parse,
	.check = mark_check,
	.save = mark_save,
	.print = mark_print,
	.linearize = mark_linearize,
	.delinearize = mark_delinearize,
	.xlate = mark_xlate,
	.describe = mark_describe,
	.packet = mark_packet,
};
