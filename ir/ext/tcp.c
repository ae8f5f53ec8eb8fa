// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tcp match (-m tcp, implicit after -p tcp): its ports (ports.c) and
 * [!] --tcp-flags MASK COMP, [!] --syn (FIN,SYN,RST,ACK SYN).
 *
 * Flags, as nft writes `tcp flags & (syn|ack) == syn` and iptables-nft
 * 1.8.9 writes --tcp-flags: [payload load 1b @ transport header + 13]
 * [bitwise & MASK] [cmp eq|neq COMP].  nft writes them after the ports,
 * iptables-nft before; both are read back.
 *
 * --tcp-option has no native form natc writes (nft's `tcp option N
 * exists` is an exthdr expression): not taken here.
 */
#include <string.h>
#include <strings.h>
#include "ir/ext/lib/ports.h"

struct nc_tcp {
	struct nc_ports ports;	/* first: the ports.c callbacks use it */
	uint8_t flg_mask, flg_cmp;
	bool flags, flags_inv;	/* --tcp-flags or --syn given */
};

enum { OPT_FLAGS = NC_PORTS_OPT_DPORT + 1, OPT_SYN };

static const struct nc_ext_opt tcp_opts[] = {
	NC_PORTS_OPTS,
	{ "tcp-flags", OPT_FLAGS, NC_EXTOPT_ARG2 | NC_EXTOPT_INV },
	{ "syn", OPT_SYN, NC_EXTOPT_INV },
	{ 0 }
};

/* iptables' names, in the order it prints them */
static const struct { const char *name; uint8_t bits; } flag_names[] = {
	{ "FIN", 0x01 }, { "SYN", 0x02 }, { "RST", 0x04 }, { "PSH", 0x08 },
	{ "ACK", 0x10 }, { "URG", 0x20 }, { "ALL", 0x3f }, { "NONE", 0 },
};
#define N_FLAG_NAMES (sizeof(flag_names) / sizeof(flag_names[0]))
#define SYN_MASK 0x17		/* FIN,SYN,RST,ACK */
#define SYN_CMP 0x02

/* "SYN,ACK" of @len bytes at @s; empty names are skipped, as iptables. */
static int parse_flags(const char *s, size_t len, uint8_t *out,
		       const struct nc_loc *loc, struct nc_err *err)
{
	*out = 0;
	while (len) {
		size_t n = 0, i;

		while (n < len && s[n] != ',')
			n++;
		for (i = 0; n && i < N_FLAG_NAMES; i++)
			if (strlen(flag_names[i].name) == n &&
			    !strncasecmp(flag_names[i].name, s, n))
				break;
		if (n && i == N_FLAG_NAMES)
			return nc_err_param(err, loc, "Unknown TCP flag `%.*s'",
					    (int)n, s);
		if (n)
			*out |= flag_names[i].bits;
		s += n;
		len -= n;
		if (len) {
			s++;
			len--;
		}
	}
	return 0;
}

static int tcp_parse(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_tcp *t = e->data;
	const char *sp;

	if (opt->id != OPT_FLAGS && opt->id != OPT_SYN)
		return nc_ports_parse(e, r, opt, inv, arg, loc, err);
	if (t->flags)
		return nc_err_param(err, loc,
			"Only one of `--syn' or `--tcp-flags'  allowed");
	if (opt->id == OPT_SYN) {
		t->flg_mask = SYN_MASK;
		t->flg_cmp = SYN_CMP;
	} else {
		sp = strchr(arg, ' ');
		if (!sp)
			return nc_err_param(err, loc, "--tcp-flags requires two args.");
		if (parse_flags(arg, (size_t)(sp - arg), &t->flg_mask, loc, err) < 0 ||
		    parse_flags(sp + 1, strlen(sp + 1), &t->flg_cmp, loc, err) < 0)
			return -1;
	}
	t->flags = true;
	t->flags_inv = inv;
	return 0;
}

static bool tcp_empty(const struct nc_ext *e)
{
	const struct nc_tcp *t = e->data;

	return nc_ports_empty(e) && !t->flg_mask && !t->flags_inv;
}

/* nc_ext_ops.merge: the ports, then the flags test, where @into lacks it */
static void tcp_merge(struct nc_ext *into, struct nc_ext *from)
{
	struct nc_tcp *t = into->data, *f = from->data;

	nc_ports_merge(into, from);
	if (!f->flags || t->flags)
		return;
	t->flg_mask = f->flg_mask;
	t->flg_cmp = f->flg_cmp;
	t->flags = true;
	t->flags_inv = f->flags_inv;
	f->flg_mask = f->flg_cmp = 0;
	f->flags = f->flags_inv = false;
}

static int tcp_check(struct nc_ext *e, const struct nc_rule *r,
		     struct nc_err *err)
{
	struct nc_tcp *t = e->data;

	if (nc_ports_check(e, r, err) < 0)
		return -1;
	/* iptables prints nothing for a zero mask that is not negated: the
	 * test is stored as none, like a full port range */
	if (t->flags && !t->flg_mask && !t->flags_inv) {
		t->flags = false;
		t->flg_cmp = 0;
	}
	return 0;
}

static void put_flags(struct nc_buf *b, uint8_t flags)
{
	bool any = false;

	while (flags) {
		size_t i = 0;

		while (!(flags & flag_names[i].bits))
			i++;
		nc_buf_printf(b, "%s%s", any ? "," : "", flag_names[i].name);
		any = true;
		flags &= (uint8_t)~flag_names[i].bits;
	}
	if (!any)
		nc_buf_putlit(b, "NONE");
}

static void tcp_save(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b)
{
	const struct nc_tcp *t = e->data;

	nc_ports_save(e, r, b);
	if (!t->flg_mask && !t->flags_inv)
		return;
	nc_buf_puts(b, t->flags_inv ? " ! --tcp-flags " : " --tcp-flags ");
	put_flags(b, t->flg_mask);
	nc_buf_putc(b, ' ');
	put_flags(b, t->flg_cmp);
}

static void tcp_print(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b, unsigned fmt)
{
	const struct nc_tcp *t = e->data;

	nc_ports_print(e, r, b, fmt);
	if (!t->flg_mask && !t->flags_inv)
		return;
	nc_buf_puts(b, t->flags_inv ? " flags:!" : " flags:");
	if (fmt & NC_FMT_NUMERIC) {
		nc_buf_printf(b, "0x%02X/0x%02X", t->flg_mask, t->flg_cmp);
	} else {
		put_flags(b, t->flg_mask);
		nc_buf_putc(b, '/');
		put_flags(b, t->flg_cmp);
	}
}

static int tcp_linearize(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out)
{
	const struct nc_tcp *t = e->data;

	if (nc_ports_linearize(e, r, out) < 0)
		return -1;
	if (!t->flg_mask && !t->flags_inv)
		return 0;
	if (nc_expr_payload(out, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1) < 0 ||
	    nc_expr_bitwise(out, &t->flg_mask, 1) < 0)
		return -1;
	return nc_expr_cmp(out, t->flags_inv ? NFT_CMP_NEQ : NFT_CMP_EQ,
			   &t->flg_cmp, 1);
}

/* The flags test at the cursor. */
static int flags_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *bw = nc_cursor_peek(c, 1),
			     *x = nc_cursor_peek(c, 2);
	struct nc_ext *e = NULL;
	struct nc_tcp *t;

	if (r->proto != IPPROTO_TCP || (r->invflags & NC_INV_PROTO))
		return 0;
	if (!ld || ld->type != NC_E_PAYLOAD ||
	    ld->u.payload.base != NFT_PAYLOAD_TRANSPORT_HEADER ||
	    ld->u.payload.offset != 13 || ld->u.payload.len != 1 ||
	    ld->u.payload.dreg != NFT_REG_1)
		return 0;
	if (!bw || bw->type != NC_E_BITWISE || bw->u.bitwise.len != 1 ||
	    bw->u.bitwise.sreg != NFT_REG_1 || bw->u.bitwise.dreg != NFT_REG_1 ||
	    bw->u.bitwise.xor[0] || (bw->u.bitwise.mask[0] & ~0x3f))
		return 0;	/* ECE/CWR have no iptables name */
	if (!x || x->type != NC_E_CMP || x->u.cmp.len != 1 ||
	    x->u.cmp.sreg != NFT_REG_1 || (x->u.cmp.data[0] & ~0x3f) ||
	    (x->u.cmp.op != NFT_CMP_EQ && x->u.cmp.op != NFT_CMP_NEQ))
		return 0;
	/* the earliest instance with tests and no flags test, as ports */
	for (size_t i = c->from; !e && i < r->nmatches; i++)
		if (r->matches[i].ops == &nc_ext_tcp &&
		    !tcp_empty(&r->matches[i]) &&
		    !((struct nc_tcp *)r->matches[i].data)->flags)
			e = &r->matches[i];
	if (!e && !(e = nc_rule_add_match(r, &nc_ext_tcp)))
		return -1;
	t = e->data;
	t->flg_mask = bw->u.bitwise.mask[0];
	t->flg_cmp = x->u.cmp.data[0];
	t->flags = true;
	t->flags_inv = x->u.cmp.op == NFT_CMP_NEQ;
	c->pos += 3;
	return 1;
}

/* xt_tcp: spts[2], dpts[2], option, flg_mask, flg_cmp, invflags;
 * iptables-nft writes it for a tcp match without ports or flags
 * (-p tcp -m tcp) or with --tcp-option (not taken: no native form). */
#define XT_TCP_LEN 12
enum { XT_TCP_OPTION = 8, XT_TCP_MASK, XT_TCP_CMP, XT_TCP_INV };
#define XT_TCP_INV_FLAGS 0x04

static int xt_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const uint8_t *info = nc_ports_xt_peek(&nc_ext_tcp, r, c, XT_TCP_LEN);
	struct nc_ext *e;
	struct nc_tcp *t;

	if (!info || info[XT_TCP_OPTION] || (info[XT_TCP_INV] & ~0x07) ||
	    (info[XT_TCP_MASK] & ~0x3f) || (info[XT_TCP_CMP] & ~0x3f))
		return 0;
	if (nc_ports_xt_add(&nc_ext_tcp, r, c, info, info[XT_TCP_INV], &e) < 0)
		return -1;
	t = e->data;
	t->flg_mask = info[XT_TCP_MASK];
	t->flg_cmp = info[XT_TCP_CMP];
	t->flags_inv = info[XT_TCP_INV] & XT_TCP_INV_FLAGS;
	t->flags = t->flg_mask || t->flags_inv;
	return 1;
}

static int tcp_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	int rc = nc_ports_delinearize(&nc_ext_tcp, r, c);

	if (!rc)
		rc = flags_delinearize(r, c);
	return rc ? rc : xt_delinearize(r, c);
}

/* nft text: the ports, then, as iptables-translate writes it, `tcp flags
 * syn / syn,ack` (nft: flags & (syn|ack) == syn) */
static void put_nft_flags(struct nc_buf *b, uint8_t bits)
{
	static const char *const nft[] = { "fin", "syn", "rst", "psh", "ack", "urg" };
	const char *sep = "";

	if (!bits) {
		nc_buf_putlit(b, "0x0");
		return;
	}
	for (int i = 0; i < 6; i++)
		if (bits & (1u << i)) {
			nc_buf_puts(b, sep);
			nc_buf_puts(b, nft[i]);
			sep = ",";
		}
}

static int tcp_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x)
{
	const struct nc_tcp *t = e->data;

	if (nc_ports_xlate(e, r, x) < 0)
		return -1;
	if (!t->flags)
		return 0;
	nc_buf_puts(x->b, t->flags_inv ? " tcp flags != " : " tcp flags ");
	put_nft_flags(x->b, t->flg_cmp);
	nc_buf_putlit(x->b, " / ");
	put_nft_flags(x->b, t->flg_mask);
	return 0;
}

/* --explain: the ports, then the flags in words */
static void tcp_describe(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	const struct nc_tcp *t = e->data;

	nc_ports_describe(e, r, b);
	if (!t->flags)
		return;
	if (t->flg_mask == 0x17 && t->flg_cmp == 0x02)
		nc_buf_puts(b, t->flags_inv ? ", not connection openings (SYN)" :
			    ", opening a connection (SYN only)");
	else
		nc_buf_printf(b, ", with TCP flags %s0x%02x under mask 0x%02x",
			      t->flags_inv ? "other than " : "", t->flg_cmp, t->flg_mask);
}

/* nat chains see the first packet of a connection: for TCP, a bare SYN */
static int tcp_packet(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_pkt *p)
{
	const struct nc_tcp *t = e->data;
	int m = nc_ports_packet(e, r, p);

	if (m != NC_PKT_NO && t->flags &&
	    ((0x02 & t->flg_mask) == t->flg_cmp) == t->flags_inv)
		return NC_PKT_NO;
	return m;
}

const struct nc_ext_ops nc_ext_tcp = {
	.describe = tcp_describe,
	.packet = tcp_packet,
	.name = "tcp",
	.iptables_native = true,
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_tcp),
	.opts = tcp_opts,
	.parse = tcp_parse,
	.check = tcp_check,
	.empty = tcp_empty,
	.merge = tcp_merge,
	.save = tcp_save,
	.print = tcp_print,
	.linearize = tcp_linearize,
	.delinearize = tcp_delinearize,
	.xlate = tcp_xlate,
};
