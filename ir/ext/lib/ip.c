// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generic part of a rule: -i -o -s -d -f -p.  Lowered as nft writes
 * "iifname .. oifname .. ip saddr .. ip daddr .. ip frag-off .. meta
 * l4proto ..", and recognised in any order on the way back.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "ir/ext.h"
#include "ir/parse.h"
#include "ir/addr.h"

/* '/' cannot be in an interface name: never matches */
#define NC_IFACE_NONE "INVAL/D"

struct l3 {
	uint32_t saddr_off, daddr_off, alen;
};

static const struct l3 *l3_of(uint8_t family)
{
	static const struct l3 v4 = { 12, 16, 4 }, v6 = { 8, 24, 16 };

	return family == AF_INET6 ? &v6 : &v4;
}

/*
 * "-i +" (any interface) adds nothing: the build keeps no name for it.
 * iptables-nft 1.8.9 writes a lone load of iifname, compared with
 * nothing; natc does not: it tests nothing, nft's text has no form for it
 * (nft lists the rule without it, and loads that text without it), and
 * every reader takes either form as the same rule: iptables-nft lists
 * both without -i and its -C and -D find both by `-i +` and by no -i
 * (it compares names under iptables' mask, empty for "+"); natc reads
 * the lone load back as no test (delin_iface).
 */
static int lin_iface(struct nc_exprs *out, uint32_t key, const struct nc_iface *i,
		     bool inv)
{
	char name[IFNAMSIZ] = { 0 };
	size_t len = strlen(i->name);

	if (!len || (!strcmp(i->name, "+") && !inv))
		return 0;
	if (nc_expr_meta(out, key) < 0)
		return -1;
	if (!strcmp(i->name, "+"))	/* "! -i +": no interface at all; the
					 * name iptables-nft uses, which no
					 * interface can have */
		return nc_expr_cmp(out, NFT_CMP_EQ, NC_IFACE_NONE,
				   sizeof(NC_IFACE_NONE));
	if (i->name[len - 1] == '+')	/* a prefix: compare without the NUL */
		return nc_expr_cmp(out, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, i->name,
				   (uint32_t)len - 1);
	memcpy(name, i->name, len);
	return nc_expr_cmp(out, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, name, IFNAMSIZ);
}

static int lin_addr(struct nc_exprs *out, uint32_t off, uint32_t alen,
		    const union nc_addr *a, const union nc_addr *m, uint8_t family,
		    bool inv)
{
	int prefix = nc_mask_to_prefix(m, family);
	uint32_t op = inv ? NFT_CMP_NEQ : NFT_CMP_EQ;

	if (prefix == 0)
		return 0;
	if (prefix > 0 && prefix % 8 == 0) {
		if (nc_expr_payload(out, NFT_PAYLOAD_NETWORK_HEADER, off,
				    (uint32_t)prefix / 8) < 0)
			return -1;
		return nc_expr_cmp(out, op, a->b, (uint32_t)prefix / 8);
	}
	if (nc_expr_payload(out, NFT_PAYLOAD_NETWORK_HEADER, off, alen) < 0 ||
	    nc_expr_bitwise(out, m->b, alen) < 0)
		return -1;
	return nc_expr_cmp(out, op, a->b, alen);
}

int nc_ip_linearize(const struct nc_rule *r, struct nc_exprs *out)
{
	const struct l3 *l3 = l3_of(r->family);

	if (lin_iface(out, NFT_META_IIFNAME, &r->in, r->invflags & NC_INV_IN) < 0 ||
	    lin_iface(out, NFT_META_OIFNAME, &r->out, r->invflags & NC_INV_OUT) < 0 ||
	    lin_addr(out, l3->saddr_off, l3->alen, &r->src, &r->smsk, r->family,
		     r->invflags & NC_INV_SRC) < 0 ||
	    lin_addr(out, l3->daddr_off, l3->alen, &r->dst, &r->dmsk, r->family,
		     r->invflags & NC_INV_DST) < 0)
		return -1;
	if ((r->flags & NC_RF_FRAG) && r->family == AF_INET) {
		static const uint8_t mask[2] = { 0x1f, 0xff }, zero[2];

		if (nc_expr_payload(out, NFT_PAYLOAD_NETWORK_HEADER, 6, 2) < 0 ||
		    nc_expr_bitwise(out, mask, 2) < 0 ||
		    nc_expr_cmp(out, (r->invflags & NC_INV_FRAG) ? NFT_CMP_EQ :
				NFT_CMP_NEQ, zero, 2) < 0)
			return -1;
	}
	if (r->proto || (r->invflags & NC_INV_PROTO)) {
		if (nc_expr_meta(out, NFT_META_L4PROTO) < 0 ||
		    nc_expr_cmp(out, (r->invflags & NC_INV_PROTO) ? NFT_CMP_NEQ :
				NFT_CMP_EQ, &r->proto, 1) < 0)
			return -1;
	}
	return 0;
}

static bool is_cmp(const struct nc_expr *x, uint32_t len)
{
	return x && x->type == NC_E_CMP && x->u.cmp.sreg == NFT_REG_1 &&
	       (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ) &&
	       (!len || x->u.cmp.len == len);
}

/*
 * Whether the load into register 1 at the cursor is never read: what
 * follows loads register 1 anew before anything reads it, or nothing
 * does.  iptables-nft 1.8.9 writes "-i +" so, a load of the name that the
 * next test's load replaces (or the counter, a limit, an xt match, ...).
 */
static bool load_unread(const struct nc_expr_cursor *c)
{
	const struct nc_expr *x;

	for (size_t k = 1; (x = nc_cursor_peek(c, k)); k++) {
		int use = nc_expr_reg1_use(x);

		if (use)
			return use > 0;
	}
	return true;
}

/* meta iifname/oifname + cmp; or the load alone, iptables-nft's "-i +"
 * (any interface: no test) */
static int delin_iface(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *m = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	struct nc_iface *i;
	size_t n;
	bool in;

	if (!m || m->type != NC_E_META)
		return 0;
	if (m->u.meta.key != NFT_META_IIFNAME && m->u.meta.key != NFT_META_OIFNAME)
		return 0;
	if (m->u.meta.dreg == NFT_REG_1 && !m->u.meta.sreg && load_unread(c)) {
		c->pos += 1;
		return 1;
	}
	if (!is_cmp(x, 0) || x->u.cmp.len > IFNAMSIZ)
		return 0;
	in = m->u.meta.key == NFT_META_IIFNAME;
	i = in ? &r->in : &r->out;
	if (i->name[0])
		return 0;
	n = strnlen((const char *)x->u.cmp.data, x->u.cmp.len);
	if (x->u.cmp.op == NFT_CMP_EQ && x->u.cmp.len == sizeof(NC_IFACE_NONE) &&
	    !memcmp(x->u.cmp.data, NC_IFACE_NONE, sizeof(NC_IFACE_NONE))) {
		strcpy(i->name, "+");
		r->invflags |= in ? NC_INV_IN : NC_INV_OUT;
		c->pos += 2;
		return 1;
	}
	if (n == x->u.cmp.len) {	/* no NUL compared: a prefix */
		if (n >= IFNAMSIZ - 1)
			return 0;
		memcpy(i->name, x->u.cmp.data, n);
		i->name[n] = '+';
	} else {
		memcpy(i->name, x->u.cmp.data, n);
	}
	if (x->u.cmp.op == NFT_CMP_NEQ)
		r->invflags |= in ? NC_INV_IN : NC_INV_OUT;
	c->pos += 2;
	return 1;
}

/*
 * `meta l4proto` (natc's and iptables-nft's form), or IPv4's `ip protocol`
 * (a 1-byte load at offset 9: what nft makes of iptables-translate's
 * `ip protocol udp`, which iptables-nft 1.8.9 lists as -p udp).  For IPv4
 * the two are the same test: l4proto is the header's protocol field.
 * IPv6's `ip6 nexthdr` is not read as -p: it is the first next header,
 * not the transport protocol behind extension headers that -p tests
 * (iptables-nft 1.8.9 reads it as -p all the same).
 */
static bool is_proto_load(const struct nc_rule *r, const struct nc_expr *m)
{
	if (!m)
		return false;
	if (m->type == NC_E_META)
		return m->u.meta.key == NFT_META_L4PROTO;
	return r->family == AF_INET && m->type == NC_E_PAYLOAD &&
	       m->u.payload.base == NFT_PAYLOAD_NETWORK_HEADER &&
	       m->u.payload.offset == 9 && m->u.payload.len == 1;
}

static int delin_proto(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *m = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);

	if (!is_proto_load(r, m) || !is_cmp(x, 1) || r->proto ||
	    (r->invflags & NC_INV_PROTO))
		return 0;
	r->proto = x->u.cmp.data[0];
	if (x->u.cmp.op == NFT_CMP_NEQ)
		r->invflags |= NC_INV_PROTO;
	c->pos += 2;
	return 1;
}

static int delin_addr(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct l3 *l3 = l3_of(r->family);
	const struct nc_expr *p = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	union nc_addr a = { 0 }, m = { 0 };
	size_t used = 2;
	bool src;

	if (!p || p->type != NC_E_PAYLOAD ||
	    p->u.payload.base != NFT_PAYLOAD_NETWORK_HEADER || !x ||
	    p->u.payload.len == 0 || p->u.payload.len > l3->alen)
		return 0;
	if (p->u.payload.offset == l3->saddr_off)
		src = true;
	else if (p->u.payload.offset == l3->daddr_off)
		src = false;
	else
		return 0;
	if (x->type == NC_E_BITWISE) {
		if (x->u.bitwise.len != p->u.payload.len)
			return 0;
		memcpy(m.b, x->u.bitwise.mask, x->u.bitwise.len);
		x = nc_cursor_peek(c, 2);
		used = 3;
	} else {
		memset(m.b, 0xff, p->u.payload.len);
	}
	if (!is_cmp(x, p->u.payload.len))
		return 0;
	if ((src ? r->smsk : r->dmsk).b[0] || (src ? r->src : r->dst).b[0])
		return 0;	/* the same field twice */
	memcpy(a.b, x->u.cmp.data, x->u.cmp.len);
	for (size_t i = 0; i < sizeof(a.b); i++)
		a.b[i] &= m.b[i];
	if (src) {
		r->src = a;
		r->smsk = m;
	} else {
		r->dst = a;
		r->dmsk = m;
	}
	if (x->u.cmp.op == NFT_CMP_NEQ)
		r->invflags |= src ? NC_INV_SRC : NC_INV_DST;
	c->pos += used;
	return 1;
}

static int delin_frag(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *p = nc_cursor_peek(c, 0), *b = nc_cursor_peek(c, 1),
			     *x = nc_cursor_peek(c, 2);

	if (r->family != AF_INET || !p || p->type != NC_E_PAYLOAD ||
	    p->u.payload.base != NFT_PAYLOAD_NETWORK_HEADER ||
	    p->u.payload.offset != 6 || p->u.payload.len != 2 ||
	    !b || b->type != NC_E_BITWISE || b->u.bitwise.len != 2 ||
	    b->u.bitwise.mask[0] != 0x1f || b->u.bitwise.mask[1] != 0xff ||
	    !is_cmp(x, 2) || x->u.cmp.data[0] || x->u.cmp.data[1] ||
	    (r->flags & NC_RF_FRAG))
		return 0;
	r->flags |= NC_RF_FRAG;
	if (x->u.cmp.op == NFT_CMP_EQ)
		r->invflags |= NC_INV_FRAG;
	c->pos += 3;
	return 1;
}

int nc_ip_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	int rc, any = 0;

	do {
		rc = delin_iface(r, c);
		if (!rc)
			rc = delin_proto(r, c);
		if (!rc)
			rc = delin_addr(r, c);
		if (!rc)
			rc = delin_frag(r, c);
		any |= rc;
	} while (rc > 0);
	return rc < 0 ? -1 : any;
}

/* --- nft text (backend/nft) ---------------------------------------- */

static int xlate_iface(struct nc_xlate *x, const char *key, const struct nc_iface *i,
		       bool inv)
{
	size_t len = strlen(i->name);

	if (!len || (!strcmp(i->name, "+") && !inv))
		return 0;
	if (!strcmp(i->name, "+")) {
		x->why = "\"! -i +\" (no interface at all) has no nft text";
		return -1;
	}
	if (strpbrk(i->name, "\"\\*")) {
		x->why = "an interface name nft cannot quote";
		return -1;
	}
	nc_buf_putc(x->b, ' ');
	nc_buf_puts(x->b, key);
	nc_buf_puts(x->b, inv ? " != \"" : " \"");
	if (i->name[len - 1] == '+') {
		char pre[IFNAMSIZ];

		memcpy(pre, i->name, len - 1);
		pre[len - 1] = '\0';
		nc_buf_puts(x->b, pre);
		nc_buf_putlit(x->b, "*\"");
	} else {
		nc_buf_puts(x->b, i->name);
		nc_buf_putc(x->b, '"');
	}
	return 0;
}

static void xlate_addr(struct nc_xlate *x, const char *key, const union nc_addr *a,
		       const union nc_addr *m, uint8_t family, bool inv)
{
	int prefix = nc_mask_to_prefix(m, family), full = family == AF_INET6 ? 128 : 32;
	char as[INET6_ADDRSTRLEN], ms[INET6_ADDRSTRLEN];

	if (prefix == 0)
		return;
	if (prefix < 0) {
		nc_buf_printf(x->b, " %s & %s %s %s", key, nc_addr_ntop(family, m, ms),
			      inv ? "!=" : "==", nc_addr_ntop(family, a, as));
		return;
	}
	nc_buf_putc(x->b, ' ');
	nc_buf_puts(x->b, key);
	nc_buf_puts(x->b, inv ? " != " : " ");
	nc_addr_put(x->b, family, a);
	if (prefix != full) {
		nc_buf_putc(x->b, '/');
		nc_buf_putu(x->b, (unsigned)prefix);
	}
}

/* The name nft reads for a protocol number (iptables' own names). */
static void xlate_proto(struct nc_xlate *x, uint8_t proto)
{
	const char *n = nc_proto_name(proto, true);

	if (n && (!strcmp(n, "tcp") || !strcmp(n, "udp") || !strcmp(n, "sctp") ||
		  !strcmp(n, "udplite") || !strcmp(n, "icmp")))
		nc_buf_puts(x->b, n);
	else
		nc_buf_printf(x->b, "%u", proto);
}

int nc_ip_xlate(const struct nc_rule *r, struct nc_xlate *x)
{
	if (xlate_iface(x, "iifname", &r->in, r->invflags & NC_INV_IN) < 0 ||
	    xlate_iface(x, "oifname", &r->out, r->invflags & NC_INV_OUT) < 0)
		return -1;
	xlate_addr(x, r->family == AF_INET6 ? "ip6 saddr" : "ip saddr", &r->src,
		   &r->smsk, r->family, r->invflags & NC_INV_SRC);
	xlate_addr(x, r->family == AF_INET6 ? "ip6 daddr" : "ip daddr", &r->dst,
		   &r->dmsk, r->family, r->invflags & NC_INV_DST);
	if ((r->flags & NC_RF_FRAG) && r->family == AF_INET)
		nc_buf_printf(x->b, " ip frag-off & 0x1fff %s 0",
			      (r->invflags & NC_INV_FRAG) ? "==" : "!=");
	if (r->proto || (r->invflags & NC_INV_PROTO)) {
		nc_buf_puts(x->b, (r->invflags & NC_INV_PROTO) ? " meta l4proto != " :
						 " meta l4proto ");
		xlate_proto(x, r->proto);
	}
	return 0;
}

/* --- natc --explain ------------------------------------------------- */

static void describe_addr(struct nc_buf *b, const char *what,
			  const union nc_addr *a, const union nc_addr *m,
			  uint8_t family, bool inv)
{
	char s[INET6_ADDRSTRLEN];
	int prefix = nc_mask_to_prefix(m, family);

	if (prefix == 0)
		return;
	inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a->b, s, sizeof(s));
	nc_buf_printf(b, ", %s %s%s", what, inv ? "any address except " : "", s);
	if (prefix < 0) {
		char ms[INET6_ADDRSTRLEN];

		inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, m->b, ms, sizeof(ms));
		nc_buf_printf(b, "/%s", ms);
	} else if (prefix != (family == AF_INET6 ? 128 : 32)) {
		nc_buf_printf(b, "/%d", prefix);
	}
}

static void describe_iface(struct nc_buf *b, const char *what,
			   const struct nc_iface *i, bool inv)
{
	size_t len = strlen(i->name);

	if (!len)
		return;
	if (!strcmp(i->name, "+")) {
		if (inv)
			nc_buf_printf(b, ", %s no interface", what);
		return;
	}
	if (i->name[len - 1] == '+')
		nc_buf_printf(b, ", %s any interface whose name %s with %.*s",
			      what, inv ? "does not start" : "starts",
			      (int)len - 1, i->name);
	else
		nc_buf_printf(b, ", %s %s%s", what, inv ? "any interface but " : "",
			      i->name);
}

void nc_ip_describe(const struct nc_rule *r, struct nc_buf *b)
{
	describe_addr(b, "from", &r->src, &r->smsk, r->family,
		      r->invflags & NC_INV_SRC);
	describe_addr(b, "to", &r->dst, &r->dmsk, r->family,
		      r->invflags & NC_INV_DST);
	describe_iface(b, "arriving on", &r->in, r->invflags & NC_INV_IN);
	describe_iface(b, "leaving through", &r->out, r->invflags & NC_INV_OUT);
	if (r->flags & NC_RF_FRAG)
		nc_buf_puts(b, (r->invflags & NC_INV_FRAG) ?
			    ", not second or later fragments" :
			    ", second and later fragments only");
}

static int iface_packet(const struct nc_iface *i, bool inv, const char *name,
			bool known)
{
	size_t len = strlen(i->name);
	bool hit;

	if (!len)
		return NC_PKT_YES;
	if (!known)
		return NC_PKT_MAYBE;
	if (i->name[len - 1] == '+')
		hit = name[0] && !strncmp(i->name, name, len - 1);
	else
		hit = !strcmp(i->name, name);
	return hit != inv ? NC_PKT_YES : NC_PKT_NO;
}

static int addr_packet(const union nc_addr *a, const union nc_addr *m,
		       uint8_t family, bool inv, const union nc_addr *pa,
		       bool known)
{
	if (nc_mask_to_prefix(m, family) == 0)
		return NC_PKT_YES;
	if (!known)
		return NC_PKT_MAYBE;
	return nc_addr_in(pa, a, m, family) != inv ? NC_PKT_YES : NC_PKT_NO;
}

int nc_ip_packet(const struct nc_rule *r, const struct nc_pkt *p)
{
	int m = NC_PKT_YES;

	m = nc_pkt_and(m, iface_packet(&r->in, r->invflags & NC_INV_IN, p->iif,
				       p->known & NC_PK_IIF));
	m = nc_pkt_and(m, iface_packet(&r->out, r->invflags & NC_INV_OUT, p->oif,
				       p->known & NC_PK_OIF));
	m = nc_pkt_and(m, addr_packet(&r->src, &r->smsk, r->family,
				      r->invflags & NC_INV_SRC, &p->src,
				      p->known & NC_PK_SRC));
	m = nc_pkt_and(m, addr_packet(&r->dst, &r->dmsk, r->family,
				      r->invflags & NC_INV_DST, &p->dst,
				      p->known & NC_PK_DST));
	if (r->proto || (r->invflags & NC_INV_PROTO)) {
		if (!(p->known & NC_PK_PROTO))
			m = nc_pkt_and(m, NC_PKT_MAYBE);
		else if ((p->proto == r->proto) == !!(r->invflags & NC_INV_PROTO))
			return NC_PKT_NO;
	}
	if (r->flags & NC_RF_FRAG) {
		if (!(p->known & NC_PK_FRAG))
			m = nc_pkt_and(m, NC_PKT_MAYBE);
		else if (p->frag == !!(r->invflags & NC_INV_FRAG))
			return NC_PKT_NO;
	}
	return m;
}
