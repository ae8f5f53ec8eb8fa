// SPDX-License-Identifier: GPL-2.0-or-later
/* --sport / --dport for tcp, udp and sctp. */
#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>
#include "ir/ext/lib/ports.h"
#include "ir/lock.h"
#include "ir/parse.h"

static uint8_t proto_of(const struct nc_ext_ops *ops)
{
	if (ops == &nc_ext_tcp)
		return IPPROTO_TCP;
	if (ops == &nc_ext_udp)
		return IPPROTO_UDP;
	return IPPROTO_SCTP;
}

int nc_ports_parse(struct nc_ext *e, struct nc_rule *r,
		   const struct nc_ext_opt *opt, bool inv, const char *arg,
		   const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_ports *p = e->data;
	uint8_t bit = opt->id == NC_PORTS_OPT_SPORT ? NC_PORTS_SRC : NC_PORTS_DST;
	uint16_t *pts = bit == NC_PORTS_SRC ? p->spts : p->dpts;

	if (p->have & bit)
		return nc_err_param(err, loc, "Only one `--%s-port' allowed",
				    bit == NC_PORTS_SRC ? "source" : "destination");
	if (nc_parse_port_range(arg, e->ops->name, &pts[0], &pts[1], loc, err) < 0)
		return -1;
	p->have |= bit;
	if (inv)
		p->inv |= bit;
	return 0;
}

int nc_ports_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err)
{
	struct nc_ports *p = e->data;

	if (r->proto != proto_of(e->ops) || (r->invflags & NC_INV_PROTO)) {
		char up[8];
		size_t i;

		for (i = 0; e->ops->name[i] && i < sizeof(up) - 1; i++)
			up[i] = (char)(e->ops->name[i] - 'a' + 'A');
		up[i] = '\0';
		return nc_err_param(err, &e->loc, "%s match requires '-p %s'",
				    up, e->ops->name);
	}
	/* a full range that is not negated tests nothing: store it so */
	if ((p->have & NC_PORTS_SRC) && !(p->inv & NC_PORTS_SRC) &&
	    p->spts[0] == 0 && p->spts[1] == 65535) {
		p->have &= (uint8_t)~NC_PORTS_SRC;
		p->spts[1] = 0;
	}
	if ((p->have & NC_PORTS_DST) && !(p->inv & NC_PORTS_DST) &&
	    p->dpts[0] == 0 && p->dpts[1] == 65535) {
		p->have &= (uint8_t)~NC_PORTS_DST;
		p->dpts[1] = 0;
	}
	return 0;
}

bool nc_ports_empty(const struct nc_ext *e)
{
	return !((const struct nc_ports *)e->data)->have;
}

static void save_one(struct nc_buf *b, const char *opt, const uint16_t pts[2], bool inv)
{
	nc_buf_printf(b, "%s --%s ", inv ? " !" : "", opt);
	if (pts[0] == pts[1])
		nc_buf_printf(b, "%u", pts[0]);
	else
		nc_buf_printf(b, "%u:%u", pts[0], pts[1]);
}

void nc_ports_save(const struct nc_ext *e, const struct nc_rule *r, struct nc_buf *b)
{
	const struct nc_ports *p = e->data;

	if (p->have & NC_PORTS_SRC)
		save_one(b, "sport", p->spts, p->inv & NC_PORTS_SRC);
	if (p->have & NC_PORTS_DST)
		save_one(b, "dport", p->dpts, p->inv & NC_PORTS_DST);
}

void nc_port_print(struct nc_buf *b, uint16_t port, const char *proto,
		   unsigned fmt)
{
	struct servent *se = NULL;

	if (!(fmt & NC_FMT_NUMERIC) && proto) {
		nc_lib_lock();
		if ((se = getservbyport(htons(port), proto)) != NULL)
			nc_buf_puts(b, se->s_name);
		nc_lib_unlock();
	}
	if (!se)
		nc_buf_putu(b, port);
}

static void print_one(struct nc_buf *b, const char *name, const uint16_t pts[2],
		      bool inv, const char *proto, unsigned fmt)
{
	nc_buf_printf(b, " %s", name);
	if (pts[0] == pts[1]) {
		nc_buf_printf(b, ":%s", inv ? "!" : "");
		nc_port_print(b, pts[0], proto, fmt);
	} else {
		nc_buf_printf(b, "s:%s", inv ? "!" : "");
		nc_port_print(b, pts[0], proto, fmt);
		nc_buf_putc(b, ':');
		nc_port_print(b, pts[1], proto, fmt);
	}
}

void nc_ports_print(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_buf *b, unsigned fmt)
{
	const struct nc_ports *p = e->data;

	nc_buf_printf(b, " %s", e->ops->name);
	if (p->have & NC_PORTS_SRC)
		print_one(b, "spt", p->spts, p->inv & NC_PORTS_SRC, e->ops->name, fmt);
	if (p->have & NC_PORTS_DST)
		print_one(b, "dpt", p->dpts, p->inv & NC_PORTS_DST, e->ops->name, fmt);
}

/* "! --sport A ! --dport B", each a single port */
static bool both_single_neq(const struct nc_ports *p)
{
	uint8_t both = NC_PORTS_SRC | NC_PORTS_DST;

	return (p->have & both) == both && (p->inv & both) == both &&
	       p->spts[0] == p->spts[1] && p->dpts[0] == p->dpts[1];
}

void nc_ports_xlate_cmp(struct nc_buf *b, const uint16_t pts[2], bool inv)
{
	if (pts[0] == pts[1]) {
		nc_buf_puts(b, inv ? " != " : " ");
		nc_buf_putu(b, pts[0]);
	} else if (inv || pts[0]) {	/* N: too: see nc_ports_lin_cmp() */
		nc_buf_puts(b, inv ? " != " : " ");
		nc_buf_putu(b, pts[0]);
		nc_buf_putc(b, '-');
		nc_buf_putu(b, pts[1]);
	} else {
		nc_buf_putlit(b, " <= ");
		nc_buf_putu(b, pts[1]);
	}
}

/* nft text of one port test: "tcp dport" and nc_ports_xlate_cmp()'s
 * forms, whose expressions are the ones lin_one() writes ("<= N" rather
 * than iptables-translate's "0-N"; "N-65535" as it). */
static void xlate_one(struct nc_xlate *x, const char *proto, const char *dir,
		      const uint16_t pts[2], bool inv)
{
	nc_buf_putc(x->b, ' ');
	nc_buf_puts(x->b, proto);
	nc_buf_putc(x->b, ' ');
	nc_buf_puts(x->b, dir);
	nc_ports_xlate_cmp(x->b, pts, inv);
}

int nc_ports_xlate(const struct nc_ext *e, const struct nc_rule *r,
		   struct nc_xlate *x)
{
	const struct nc_ports *p = e->data;

	if (both_single_neq(p))		/* see nc_ports_linearize() */
		nc_buf_printf(x->b, " %s sport != %u-%u", e->ops->name,
			      p->spts[0], p->spts[0]);
	else if (p->have & NC_PORTS_SRC)
		xlate_one(x, e->ops->name, "sport", p->spts, p->inv & NC_PORTS_SRC);
	if (p->have & NC_PORTS_DST)
		xlate_one(x, e->ops->name, "dport", p->dpts, p->inv & NC_PORTS_DST);
	return 0;
}

int nc_ports_lin_cmp(struct nc_exprs *out, const uint16_t pts[2], bool inv)
{
	uint16_t lo = htons(pts[0]), hi = htons(pts[1]);

	if (pts[0] == pts[1])
		return nc_expr_cmp(out, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &lo, 2);
	if (!inv && pts[0] == 0)
		return nc_expr_cmp(out, NFT_CMP_LTE, &hi, 2);
	/* "N:" is N-65535 (cmp gte, cmp lte: nft's bytes for that text, as
	 * iptables-translate writes it; iptables-nft writes a range), not
	 * nft's lone "cmp gte" of ">= N": nft 1.0.6 prints a "cmp gte"
	 * followed by a "cmp lte" on another field (--sport 1024: --dport
	 * :1023) as one range of the second field ("tcp dport 1024-1023"),
	 * and reading that text again makes a rule that never matches */
	return nc_expr_between(out, &lo, &hi, 2, inv);
}

/* nft's encoding of one port test on the transport header. */
static int lin_one(struct nc_exprs *out, uint32_t off, const uint16_t pts[2], bool inv)
{
	if (nc_expr_payload(out, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2) < 0)
		return -1;
	return nc_ports_lin_cmp(out, pts, inv);
}

int nc_ports_linearize(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_exprs *out)
{
	const struct nc_ports *p = e->data;

	if (both_single_neq(p)) {
		/* two "cmp neq" of sport and dport are printed by nft 1.0.6 as
		 * "tcp sport != A tcp dport != B", which nft reads back as one
		 * 4-byte compare, "not both" (the fault iptables-nft 1.8.9
		 * writes itself): the source port as "range neq A A" ("tcp
		 * sport != A-A") keeps the two tests apart */
		uint16_t lo = htons(p->spts[0]);

		if (nc_expr_payload(out, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2) < 0 ||
		    nc_expr_range(out, NFT_RANGE_NEQ, &lo, &lo, 2) < 0)
			return -1;
	} else if ((p->have & NC_PORTS_SRC) &&
		   lin_one(out, 0, p->spts, p->inv & NC_PORTS_SRC) < 0) {
		return -1;
	}
	if ((p->have & NC_PORTS_DST) &&
	    lin_one(out, 2, p->dpts, p->inv & NC_PORTS_DST) < 0)
		return -1;
	return 0;
}

static bool is_port_cmp(const struct nc_expr *x, uint32_t op)
{
	return x && x->type == NC_E_CMP && x->u.cmp.len == 2 &&
	       x->u.cmp.sreg == NFT_REG_1 && x->u.cmp.op == op;
}

static uint16_t be16(const uint8_t *d)
{
	return (uint16_t)(d[0] << 8 | d[1]);
}

size_t nc_ports_delin_cmp(const struct nc_expr_cursor *c, size_t at,
			  uint16_t pts[2], bool *inv)
{
	const struct nc_expr *x = nc_cursor_peek(c, at), *y = nc_cursor_peek(c, at + 1);

	*inv = false;
	if (x && x->type == NC_E_RANGE && x->u.range.len == 2 &&
	    x->u.range.sreg == NFT_REG_1) {
		pts[0] = be16(x->u.range.from);
		pts[1] = be16(x->u.range.to);
		*inv = x->u.range.op == NFT_RANGE_NEQ;
		return 1;
	}
	if (is_port_cmp(x, NFT_CMP_EQ) || is_port_cmp(x, NFT_CMP_NEQ)) {
		pts[0] = pts[1] = be16(x->u.cmp.data);
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
		return 1;
	}
	if (is_port_cmp(x, NFT_CMP_LTE)) {
		pts[0] = 0;
		pts[1] = be16(x->u.cmp.data);
		return 1;
	}
	if (is_port_cmp(x, NFT_CMP_GTE)) {
		pts[0] = be16(x->u.cmp.data);
		pts[1] = 65535;
		if (!is_port_cmp(y, NFT_CMP_LTE))
			return 1;
		pts[1] = be16(y->u.cmp.data);
		return 2;
	}
	return 0;
}

/* One port test at the cursor; advances past it. 0: not a port test. */
static int delin_one(struct nc_expr_cursor *c, uint16_t pts[2], bool *inv,
		     uint32_t *off)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0);
	size_t n;

	if (!ld || ld->type != NC_E_PAYLOAD ||
	    ld->u.payload.base != NFT_PAYLOAD_TRANSPORT_HEADER ||
	    ld->u.payload.len != 2 || ld->u.payload.dreg != NFT_REG_1 ||
	    (ld->u.payload.offset != 0 && ld->u.payload.offset != 2))
		return 0;
	n = nc_ports_delin_cmp(c, 1, pts, inv);
	if (!n)
		return 0;
	*off = ld->u.payload.offset;
	c->pos += 1 + n;
	return 1;
}

/*
 * "tcp sport A tcp dport B" as nft writes it: one 4-byte load of both
 * ports and one "cmp eq" (iptables-nft 1.8.9 reads it as --sport A
 * --dport B).  Its "cmp neq" means "not both", which no iptables rule
 * says (iptables-nft 1.8.9 reads it as ! --sport A ! --dport B, which is
 * wrong): left to the rule natc cannot express.
 */
static int delin_both(const struct nc_ext_ops *ops, struct nc_rule *r,
		      struct nc_expr_cursor *c)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	struct nc_ext *e;
	struct nc_ports *p;

	if (!ld || ld->type != NC_E_PAYLOAD ||
	    ld->u.payload.base != NFT_PAYLOAD_TRANSPORT_HEADER ||
	    ld->u.payload.len != 4 || ld->u.payload.dreg != NFT_REG_1 ||
	    ld->u.payload.offset != 0 || !x || x->type != NC_E_CMP ||
	    x->u.cmp.len != 4 || x->u.cmp.sreg != NFT_REG_1 ||
	    x->u.cmp.op != NFT_CMP_EQ)
		return 0;
	/* the match may be there already without ports: iptables-nft 1.8.9
	 * writes tcp flags before the ports */
	e = nc_rule_find_match(r, ops);
	if (e && ((struct nc_ports *)e->data)->have)
		return 0;
	if (!e && !(e = nc_rule_add_match(r, ops)))
		return -1;
	p = e->data;
	p->spts[0] = p->spts[1] = be16(x->u.cmp.data);
	p->dpts[0] = p->dpts[1] = be16(x->u.cmp.data + 2);
	p->have = NC_PORTS_SRC | NC_PORTS_DST;
	c->pos += 2;
	return 1;
}

int nc_ports_delinearize(const struct nc_ext_ops *ops, struct nc_rule *r,
			 struct nc_expr_cursor *c)
{
	struct nc_ext *e;
	struct nc_ports *p;
	uint16_t pts[2];
	uint32_t off;
	bool inv;
	size_t start = c->pos;
	uint8_t bit;
	int rc;

	if (r->proto != proto_of(ops) || (r->invflags & NC_INV_PROTO))
		return 0;
	if ((rc = delin_both(ops, r, c)) != 0)
		return rc;
	if (delin_one(c, pts, &inv, &off) <= 0)
		return 0;
	bit = off == 0 ? NC_PORTS_SRC : NC_PORTS_DST;
	e = nc_rule_find_match(r, ops);
	if (e && (((struct nc_ports *)e->data)->have & bit)) {
		c->pos = start;		/* the same port twice: not ours */
		return 0;
	}
	if (!e && !(e = nc_rule_add_match(r, ops)))
		return -1;
	p = e->data;
	memcpy(bit == NC_PORTS_SRC ? p->spts : p->dpts, pts, sizeof(pts));
	p->have |= bit;
	if (inv)
		p->inv |= bit;
	return 1;
}

/* --- natc --explain ------------------------------------------------- */

static void describe_one(struct nc_buf *b, const char *dir, const uint16_t pts[2],
			 bool inv)
{
	if (pts[0] == pts[1])
		nc_buf_printf(b, ", %s %sport %u", dir, inv ? "any port but " : "",
			      pts[0]);
	else
		nc_buf_printf(b, ", %s %s %u-%u", dir,
			      inv ? "any port outside" : "ports", pts[0], pts[1]);
}

void nc_ports_describe(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b)
{
	const struct nc_ports *p = e->data;

	if (p->have & NC_PORTS_SRC)
		describe_one(b, "from", p->spts, p->inv & NC_PORTS_SRC);
	if (p->have & NC_PORTS_DST)
		describe_one(b, "to", p->dpts, p->inv & NC_PORTS_DST);
}

static int port_packet(const uint16_t pts[2], bool inv, uint16_t port, bool known)
{
	if (!known)
		return NC_PKT_MAYBE;
	return (port >= pts[0] && port <= pts[1]) != inv ? NC_PKT_YES : NC_PKT_NO;
}

int nc_ports_packet(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_pkt *pk)
{
	const struct nc_ports *p = e->data;
	int m = NC_PKT_YES;

	if (!(pk->known & NC_PK_PROTO))
		m = NC_PKT_MAYBE;
	else if (pk->proto != proto_of(e->ops))
		return NC_PKT_NO;
	if ((pk->known & NC_PK_FRAG) && pk->frag)
		return NC_PKT_NO;	/* no transport header to read */
	if (p->have & NC_PORTS_SRC)
		m = nc_pkt_and(m, port_packet(p->spts, p->inv & NC_PORTS_SRC,
					      pk->sport, pk->known & NC_PK_SPORT));
	if (p->have & NC_PORTS_DST)
		m = nc_pkt_and(m, port_packet(p->dpts, p->inv & NC_PORTS_DST,
					      pk->dport, pk->known & NC_PK_DPORT));
	return m;
}

static void from_xt(struct nc_ports *p, uint8_t bit, const uint16_t pts[2],
		    bool inv)
{
	uint16_t *to = bit == NC_PORTS_SRC ? p->spts : p->dpts;

	if (pts[0] == 0 && pts[1] == 65535 && !inv)
		return;		/* every port: no test */
	to[0] = pts[0];
	to[1] = pts[1];
	p->have |= bit;
	if (inv)
		p->inv |= bit;
}

const uint8_t *nc_ports_xt_peek(const struct nc_ext_ops *ops,
				const struct nc_rule *r,
				const struct nc_expr_cursor *c, size_t min_len)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);

	if (!x || x->type != NC_E_MATCH || strcmp(x->u.xt.name, ops->name) ||
	    x->u.xt.rev != 0 || x->u.xt.info_len < min_len ||
	    r->proto != proto_of(ops) || (r->invflags & NC_INV_PROTO) ||
	    nc_rule_find_match(r, ops))
		return NULL;
	return nc_exprs_bytes(c->l, x->u.xt.info_off);
}

int nc_ports_xt_add(const struct nc_ext_ops *ops, struct nc_rule *r,
		    struct nc_expr_cursor *c, const uint8_t *info, uint8_t inv,
		    struct nc_ext **e)
{
	uint16_t pts[4];

	memcpy(pts, info, sizeof(pts));	/* spts[2], dpts[2] */
	if (!(*e = nc_rule_add_match(r, ops)))
		return -1;
	from_xt((*e)->data, NC_PORTS_SRC, pts, inv & 0x01);
	from_xt((*e)->data, NC_PORTS_DST, pts + 2, inv & 0x02);
	c->pos++;
	return 1;
}
