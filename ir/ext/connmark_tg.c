// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CONNMARK: set the connection's mark, or copy it from (--save-mark) or
 * to (--restore-mark) the packet mark; the rule goes on.  The kernel's
 * xt_CONNMARK computes
 *   set:      ctmark = (ctmark & ~ctmask) ^ value
 *   save:     ctmark = (ctmark & ~ctmask) ^ (mark & nfmask)
 *   restore:  mark   = (mark & ~nfmask) ^ (ctmark & ctmask)
 * nft 1.0.6 has one register and one mask/xor per rule, so natc writes
 * natively every set, a save whose --ctmask is whole (`ct mark set mark
 * [and NFMASK]`) and a restore whose --nfmask is whole (`meta mark set ct
 * mark [and CTMASK]`); other masks and the shifts go to the kernel as
 * iptables' xt target, as iptables-nft sends them.
 * Allowed in every hook.
 */
#include <string.h>
#include "ir/ext/lib/xmark.h"

/* ids are xtables' bit numbers: its messages name options by them */
enum {
	O_SET_MARK, O_SAVE_MARK, O_RESTORE_MARK, O_AND_MARK, O_OR_MARK,
	O_XOR_MARK, O_LEFT_SHIFT_MARK, O_RIGHT_SHIFT_MARK, O_SET_XMARK,
	O_CTMASK, O_NFMASK, O_MASK,
};
#define F(o) (1u << (o))
#define F_OP_ANY (F(O_SET_MARK) | F(O_SAVE_MARK) | F(O_RESTORE_MARK) | \
		  F(O_AND_MARK) | F(O_OR_MARK) | F(O_XOR_MARK) | F(O_SET_XMARK))

enum { MODE_SET, MODE_SAVE, MODE_RESTORE };	/* XT_CONNMARK_* */

struct connmark_tg {
	uint32_t ctmark, ctmask, nfmask;
	uint32_t mode;
	uint32_t shift_dir, shift_bits;	/* parsed, never native */
	uint32_t given;		/* parse-time only; zeroed by check */
};

static const struct nc_ext_opt connmark_opts[] = {
	{ "set-xmark", O_SET_XMARK, NC_EXTOPT_ARG },
	{ "set-mark", O_SET_MARK, NC_EXTOPT_ARG },
	{ "and-mark", O_AND_MARK, NC_EXTOPT_ARG },
	{ "or-mark", O_OR_MARK, NC_EXTOPT_ARG },
	{ "xor-mark", O_XOR_MARK, NC_EXTOPT_ARG },
	{ "save-mark", O_SAVE_MARK, 0 },
	{ "restore-mark", O_RESTORE_MARK, 0 },
	{ "left-shift-mark", O_LEFT_SHIFT_MARK, NC_EXTOPT_ARG },
	{ "right-shift-mark", O_RIGHT_SHIFT_MARK, NC_EXTOPT_ARG },
	{ "ctmask", O_CTMASK, NC_EXTOPT_ARG },
	{ "nfmask", O_NFMASK, NC_EXTOPT_ARG },
	{ "mask", O_MASK, NC_EXTOPT_ARG },
	{ 0 }
};

static int connmark_parse(struct nc_ext *e, struct nc_rule *r,
			  const struct nc_ext_opt *opt, bool inv, const char *arg,
			  const struct nc_loc *loc, struct nc_err *err)
{
	struct connmark_tg *m = e->data;
	uint32_t v, mask;

	(void)r;
	(void)inv;	/* build.c refuses '!' before options without NC_EXTOPT_INV */
	if (!m->given)
		m->ctmask = m->nfmask = 0xffffffff;
	if (nc_xmark_once(e, &m->given, opt, loc, err) < 0)
		return -1;
	switch (opt->id) {
	case O_SAVE_MARK:
		m->mode = MODE_SAVE;
		return 0;
	case O_RESTORE_MARK:
		m->mode = MODE_RESTORE;
		return 0;
	case O_SET_MARK:
	case O_SET_XMARK:
		if (nc_xmark_parse(arg, &v, &mask, "CONNMARK", opt->name, loc, err) < 0)
			return -1;
		m->mode = MODE_SET;
		m->ctmark = v;
		m->ctmask = opt->id == O_SET_MARK ? v | mask : mask;
		return 0;
	}
	if (nc_xmark_parse(arg, &v, NULL, "CONNMARK", opt->name, loc, err) < 0)
		return -1;
	switch (opt->id) {
	case O_AND_MARK:
		m->mode = MODE_SET;
		m->ctmark = 0;
		m->ctmask = ~v;
		break;
	case O_OR_MARK:
		m->mode = MODE_SET;
		m->ctmark = m->ctmask = v;
		break;
	case O_XOR_MARK:
		m->mode = MODE_SET;
		m->ctmark = v;
		m->ctmask = 0;
		break;
	case O_LEFT_SHIFT_MARK:
	case O_RIGHT_SHIFT_MARK:
		if (v > 31)
			return nc_err_param(err, loc,
				"CONNMARK: bad value for option \"--%s\", or out of range (0-31).\n",
				opt->name);
		m->shift_dir = opt->id == O_RIGHT_SHIFT_MARK;
		m->shift_bits = v;
		break;
	case O_CTMASK:
		m->ctmask = v;
		break;
	case O_NFMASK:
		m->nfmask = v;
		break;
	default:	/* O_MASK */
		m->ctmask = m->nfmask = v;
		break;
	}
	return 0;
}

static bool native(const struct connmark_tg *m)
{
	switch (m->mode) {
	case MODE_SET:
		return true;
	case MODE_SAVE:
		return !m->shift_bits && m->ctmask == 0xffffffff;
	default:
		return !m->shift_bits && m->nfmask == 0xffffffff;
	}
}

static int connmark_check(struct nc_ext *e, const struct nc_rule *r,
			  struct nc_err *err)
{
	static const uint32_t excl[32] = {
		[O_SET_MARK] = F_OP_ANY, [O_SAVE_MARK] = F_OP_ANY,
		[O_RESTORE_MARK] = F_OP_ANY, [O_AND_MARK] = F_OP_ANY,
		[O_OR_MARK] = F_OP_ANY, [O_XOR_MARK] = F_OP_ANY,
		[O_SET_XMARK] = F_OP_ANY,
		[O_CTMASK] = F(O_MASK), [O_NFMASK] = F(O_MASK),
		[O_MASK] = F(O_CTMASK) | F(O_NFMASK),
		[O_LEFT_SHIFT_MARK] = F(O_RIGHT_SHIFT_MARK),
		[O_RIGHT_SHIFT_MARK] = F(O_LEFT_SHIFT_MARK),
	};
	struct connmark_tg *m = e->data;

	(void)r;
	if (nc_xmark_excl(e, m->given, excl, err) < 0)
		return -1;
	if (!(m->given & F_OP_ANY))
		return nc_err_param(err, &e->loc,
			"CONNMARK target: No operation specified");
	if (m->mode == MODE_SET) {
		/* xtables keeps them, the kernel ignores them on set */
		m->nfmask = 0;
		m->shift_dir = m->shift_bits = 0;
	}
	m->given = 0;
	return 0;
}

static void shift_out(const struct connmark_tg *m, struct nc_buf *b,
		      const char *dashes)
{
	if (m->shift_bits)
		nc_buf_printf(b, " %s%s-shift-mark %u", dashes,
			      m->shift_dir ? "right" : "left", m->shift_bits);
}

static void connmark_save(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_buf *b)
{
	const struct connmark_tg *m = e->data;

	(void)r;
	if (m->mode == MODE_SET) {
		nc_buf_printf(b, " --set-xmark 0x%x/0x%x", m->ctmark, m->ctmask);
		return;
	}
	nc_buf_printf(b, " --%s --nfmask 0x%x --ctmask 0x%x",
		      m->mode == MODE_SAVE ? "save-mark" : "restore-mark",
		      m->nfmask, m->ctmask);
	shift_out(m, b, "--");
}

static void connmark_print(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_buf *b, unsigned fmt)
{
	const struct connmark_tg *m = e->data;
	bool save = m->mode == MODE_SAVE;

	(void)r;
	(void)fmt;
	if (m->mode == MODE_SET) {
		if (m->ctmark == 0)
			nc_buf_printf(b, " CONNMARK and 0x%x", ~m->ctmask);
		else if (m->ctmark == m->ctmask)
			nc_buf_printf(b, " CONNMARK or 0x%x", m->ctmark);
		else if (m->ctmask == 0)
			nc_buf_printf(b, " CONNMARK xor 0x%x", m->ctmark);
		else if (m->ctmask == 0xffffffff)
			nc_buf_printf(b, " CONNMARK set 0x%x", m->ctmark);
		else
			nc_buf_printf(b, " CONNMARK xset 0x%x/0x%x",
				      m->ctmark, m->ctmask);
		return;
	}
	nc_buf_printf(b, " CONNMARK %s", save ? "save" : "restore");
	if (m->nfmask == 0xffffffff && m->ctmask == 0xffffffff)
		;
	else if (m->nfmask == m->ctmask)
		nc_buf_printf(b, " mask 0x%x", m->nfmask);
	else if (save)
		nc_buf_printf(b, " nfmask 0x%x ctmask ~0x%x", m->nfmask, m->ctmask);
	else
		nc_buf_printf(b, " ctmask 0x%x nfmask ~0x%x", m->ctmask, m->nfmask);
	shift_out(m, b, "");
}

static int connmark_linearize(const struct nc_ext *e, const struct nc_rule *r,
			      struct nc_exprs *out)
{
	const struct connmark_tg *m = e->data;
	enum nc_expr_type src = NC_E_CT, dst = NC_E_CT;
	uint32_t mask = 0xffffffff;

	if (!native(m))
		return 1;	/* iptables' xt target */
	switch (m->mode) {
	case MODE_SET:
		if (m->ctmask == 0xffffffff) {
			if (nc_expr_imm_data(out, NFT_REG_1, &m->ctmark, 4) < 0)
				return -1;
			return nc_xmark_store(out, NC_E_CT, NFT_CT_MARK);
		}
		if (nc_xmark_load(out, NC_E_CT, NFT_CT_MARK) < 0 ||
		    nc_xmark_bitwise(out, ~m->ctmask, m->ctmark) < 0)
			return -1;
		return nc_xmark_store(out, NC_E_CT, NFT_CT_MARK);
	case MODE_SAVE:
		src = NC_E_META;
		mask = m->nfmask;
		break;
	default:
		dst = NC_E_META;
		mask = m->ctmask;
		break;
	}
	if (nc_xmark_load(out, src, nc_xmark_key(src)) < 0 ||
	    (mask != 0xffffffff && nc_xmark_bitwise(out, mask, 0) < 0))
		return -1;
	return nc_xmark_store(out, dst, nc_xmark_key(dst));
}

static int connmark_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct connmark_tg m = { .ctmask = 0xffffffff, .nfmask = 0xffffffff };
	enum nc_expr_type src;
	uint32_t and, xor;
	size_t n = nc_xmark_match(c, &src, NC_E_CT, &and, &xor);

	if (n && (src == NC_E_IMMEDIATE || src == NC_E_CT)) {
		m.mode = MODE_SET;
		m.ctmark = xor;
		m.ctmask = ~and;
		m.nfmask = 0;
	} else if (n && src == NC_E_META && !xor) {
		m.mode = MODE_SAVE;
		m.nfmask = and;
	} else if ((n = nc_xmark_match(c, &src, NC_E_META, &and, &xor)) &&
		   src == NC_E_CT && !xor) {
		m.mode = MODE_RESTORE;
		m.ctmask = and;
	} else {
		return 0;
	}
	if (nc_rule_set_target(r, &nc_ext_connmark_tg) < 0)
		return -1;
	*(struct connmark_tg *)r->target.data = m;
	c->pos += n;
	return 1;
}

/*
 * nft text of what natc writes natively, in iptables-translate's words
 * where they load the same: `ct mark set 0x5`, `ct mark set ct mark or
 * 0x4000`, `ct mark set mark [and NFMASK]`, `meta mark set ct mark [and
 * CTMASK]`.  A set with a partial mask is `ct mark and ~M xor V`
 * (iptables-translate 1.8.9 writes `xor V and ~M`, which clears V's bits
 * under the mask).  Partial masks of the other side and shifts have no
 * nft text: natc sends them as the xt target.
 */
static int connmark_xlate(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_xlate *x)
{
	const struct connmark_tg *m = e->data;

	(void)r;
	if (!native(m)) {
		x->why = m->shift_bits ? "nft 1.0.6 has no text for a shifted mark"
				       : "nft 1.0.6 has no text for masks on both marks";
		return -1;
	}
	switch (m->mode) {
	case MODE_SET:
		nc_buf_puts(x->b, " ct mark set ");
		if (m->ctmask == 0xffffffff)
			nc_buf_printf(x->b, "0x%x", m->ctmark);
		else if (m->ctmark == 0)
			nc_buf_printf(x->b, "ct mark and 0x%x", ~m->ctmask);
		else if (m->ctmark == m->ctmask)
			nc_buf_printf(x->b, "ct mark or 0x%x", m->ctmark);
		else if (m->ctmask == 0)
			nc_buf_printf(x->b, "ct mark xor 0x%x", m->ctmark);
		else
			nc_buf_printf(x->b, "ct mark and 0x%x xor 0x%x",
				      ~m->ctmask, m->ctmark);
		return 0;
	case MODE_SAVE:
		nc_buf_puts(x->b, " ct mark set mark");
		if (m->nfmask != 0xffffffff)
			nc_buf_printf(x->b, " and 0x%x", m->nfmask);
		return 0;
	default:
		nc_buf_puts(x->b, " meta mark set ct mark");
		if (m->ctmask != 0xffffffff)
			nc_buf_printf(x->b, " and 0x%x", m->ctmask);
		return 0;
	}
}

static void connmark_describe(const struct nc_ext *e, const struct nc_rule *r,
			      struct nc_buf *b)
{
	const struct connmark_tg *m = e->data;

	(void)r;
	if (m->mode == MODE_SET)
		nc_xmark_describe(b, "connection's mark", m->ctmark, m->ctmask);
	else if (m->mode == MODE_SAVE)
		nc_buf_printf(b, "the packet mark (bits 0x%x) copied to the connection's mark (bits 0x%x)",
			      m->nfmask, m->ctmask);
	else
		nc_buf_printf(b, "the connection's mark (bits 0x%x) copied to the packet mark (bits 0x%x)",
			      m->ctmask, m->nfmask);
	nc_buf_puts(b, ", then on to the next rule (not a verdict)");
}

/* Not a verdict.  --restore-mark changes the packet mark to what the
 * connection's mark holds, which natc does not know. */
static int connmark_packet(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_pkt *p)
{
	const struct connmark_tg *m = e->data;

	(void)r;
	memset(&p->act, 0, sizeof(p->act));
	p->act.act = NC_ACT_NONE;
	if (m->mode == MODE_RESTORE && m->nfmask) {
		if (m->ctmask) {
			p->act.mark_lost = true;
		} else {
			p->act.set_mark = true;
			p->act.mark_mask = m->nfmask;
		}
	}
	return NC_PKT_YES;
}

const struct nc_ext_ops nc_ext_connmark_tg = {
	.name = "CONNMARK",
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct connmark_tg),
	.opts = connmark_opts,
	.parse = connmark_parse,
	.check = connmark_check,
	.save = connmark_save,
	.print = connmark_print,
	.linearize = connmark_linearize,
	.delinearize = connmark_delinearize,
	.describe = connmark_describe,
	.packet = connmark_packet,
	.xlate = connmark_xlate,
};
