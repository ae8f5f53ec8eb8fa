// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrack match's kernel form (its options: ir/ext/conntrack.c):
 * what nft writes for each test, in the order -S prints them.
 *
 *   ctstate   [ct load state] [bitwise & MASK] [cmp neq 0]  (`ct state
 *             new,established`); negated [cmp eq 0] (`ct state & (new|
 *             established) == 0`)
 *   ctproto   [ct load protocol, dir original] [cmp eq|neq] (1 byte)
 *   addresses [ct load src_ip|dst_ip (ip6: src_ip6|dst_ip6), dir
 *             original|reply] (`ct original ip saddr`) then as payload
 *             addresses: a byte-aligned prefix compares its bytes, other
 *             masks go through [bitwise].  Not nft's [ct load src|dst]
 *             (`ct original saddr`): nft 1.0.6 prints a prefix of those
 *             wrong (192.0.2.0/24 as `ct original ip saddr 0.192.0.2`);
 *             both are read
 *   ports     [ct load proto_src|proto_dst, dir ...] [cmp eq|neq], `<= N`,
 *             `>= N`, gte + lte, or [range neq] when negated
 *   ctstatus  as ctstate, on [ct load status]
 *   ctexpire  [ct load expiration] [byteorder hton] [cmp gte MIN s], then
 *             the same load and [cmp lt MAX+1 s] (`ct expiration >= 10s ct
 *             expiration < 21s`; no upper bound for an open end, no lower
 *             one from 0 s, which nft prints as `>= `), or [range neq MIN s
 *             MAX s + 999 ms] when negated.  The kernel gives milliseconds;
 *             xt_conntrack compares whole seconds, so below MAX+1 s is the
 *             same test.  Not [cmp gte][cmp lte MAX s + 999 ms]
 *             (`10s-20s999ms`, which natc reads too): nft 1.0.6 prints it
 *             without the milliseconds, `10s-20s`, which means less.  A
 *             negated range has no form nft prints right.
 *   ctdir     [ct load direction] [cmp eq 0|1]
 * xt_conntrack's SNAT and DNAT "states" are the conntrack's IPS_SRC_NAT
 * and IPS_DST_NAT status bits: --ctstate SNAT,DNAT is nft's `ct status
 * snat,dnat` (placed as the state test).  Mixed with real states they
 * would be an "or" of two loads, which natc refuses.  (A negated test
 * differs for packets without a conntrack, which the nat table never sees.)
 */
#include <string.h>
#include <arpa/inet.h>
#include "ir/ext/lib/conntrack.h"
#include "ir/ext/lib/ports.h"
#include "ir/parse.h"

static int ct_load(struct nc_exprs *out, uint32_t key, int32_t dir)
{
	struct nc_expr *x = nc_exprs_add(out, NC_E_CT);

	if (!x)
		return -1;
	x->u.ct.key = key;
	x->u.ct.dreg = NFT_REG_1;
	x->u.ct.dir = dir;
	return 0;
}

/* [load] [bitwise & mask] [cmp neq|eq 0]: any of the bits, or none */
static int lin_bits(struct nc_exprs *out, uint32_t key, uint32_t mask, bool inv)
{
	uint32_t zero = 0;

	if (ct_load(out, key, -1) < 0 || nc_expr_bitwise(out, &mask, 4) < 0)
		return -1;
	return nc_expr_cmp(out, inv ? NFT_CMP_EQ : NFT_CMP_NEQ, &zero, 4);
}

int nc_ct_lin_state(struct nc_exprs *out, uint32_t mask, bool inv)
{
	return lin_bits(out, NFT_CT_STATE, mask, inv);
}

void nc_ct_xlate_state(struct nc_buf *b, uint32_t mask, bool inv)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ NC_CTS_INVALID, "invalid" }, { NC_CTS_ESTABLISHED, "established" },
		{ NC_CTS_RELATED, "related" }, { NC_CTS_NEW, "new" },
		{ NC_CTS_UNTRACKED, "untracked" },
	};
	const char *sep = "";
	size_t n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		n += (mask & names[i].bit) != 0;
	nc_buf_puts(b, inv ? (n > 1 ? " ct state & (" : " ct state & ") : " ct state ");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (mask & names[i].bit) {
			nc_buf_puts(b, sep);
			nc_buf_puts(b, names[i].name);
			sep = inv ? "|" : ",";
		}
	if (inv)
		nc_buf_puts(b, n > 1 ? ") == 0" : " == 0");
}

static int lin_addr(struct nc_exprs *out, uint8_t family, uint32_t key, int32_t dir,
		    const union nc_addr *a, const union nc_addr *m, bool inv)
{
	uint32_t len = family == AF_INET6 ? 16 : 4;
	int prefix = nc_mask_to_prefix(m, family);
	uint32_t op = inv ? NFT_CMP_NEQ : NFT_CMP_EQ;

	if (ct_load(out, key, dir) < 0)
		return -1;
	if (prefix >= 0 && prefix % 8 == 0)
		return nc_expr_cmp(out, op, a->b, (uint32_t)prefix / 8);
	if (nc_expr_bitwise(out, m->b, len) < 0)
		return -1;
	return nc_expr_cmp(out, op, a->b, len);
}

/* the family's own key: see the head of this file */
static uint32_t addr_key(uint8_t family, bool dst)
{
	if (family == AF_INET6)
		return dst ? NFT_CT_DST_IP6 : NFT_CT_SRC_IP6;
	return dst ? NFT_CT_DST_IP : NFT_CT_SRC_IP;
}

static int lin_port(struct nc_exprs *out, uint32_t key, int32_t dir,
		    const uint16_t pts[2], bool inv)
{
	if (ct_load(out, key, dir) < 0)
		return -1;
	return nc_ports_lin_cmp(out, pts, inv);
}

static uint32_t expire_hi_ms(uint32_t max)
{
	return max == UINT32_MAX ? UINT32_MAX : max * 1000 + 999;
}

static int load_expire(struct nc_exprs *out)
{
	if (ct_load(out, NFT_CT_EXPIRATION, -1) < 0)
		return -1;
	return nc_expr_byteorder(out, NFT_BYTEORDER_HTON, 4, 4);
}

static int lin_expire(struct nc_exprs *out, const uint32_t ex[2], bool inv)
{
	uint32_t lo = htonl(ex[0] * 1000), hi = htonl(expire_hi_ms(ex[1]));

	if (load_expire(out) < 0)
		return -1;
	if (inv)
		return nc_expr_range(out, NFT_RANGE_NEQ, &lo, &hi, 4);
	if (ex[1] == UINT32_MAX)
		return nc_expr_cmp(out, NFT_CMP_GTE, &lo, 4);
	/* nft 1.0.6 prints ">= 0s" as ">= ", which it cannot read: a lower
	 * bound only when there is one */
	if (ex[0] && (nc_expr_cmp(out, NFT_CMP_GTE, &lo, 4) < 0 ||
		      load_expire(out) < 0))
		return -1;
	/* nc_conntrack's parse: (MAX + 1) s fits 32 bits */
	hi = htonl((ex[1] + 1) * 1000);
	return nc_expr_cmp(out, NFT_CMP_LT, &hi, 4);
}

int nc_ct_linearize(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_exprs *out)
{
	const struct nc_conntrack *c = e->data;

	if ((c->have & NC_CT_STATE) && (c->state & NAT_STATES)) {
		if (lin_bits(out, NFT_CT_STATUS, c->state >> 4,
			     c->inv & NC_CT_STATE) < 0)
			return -1;
	} else if ((c->have & NC_CT_STATE) &&
		   lin_bits(out, NFT_CT_STATE, c->state, c->inv & NC_CT_STATE) < 0) {
		return -1;
	}
	if (c->have & NC_CT_PROTO) {
		if (ct_load(out, NFT_CT_PROTOCOL, CT_DIR_ORIGINAL) < 0 ||
		    nc_expr_cmp(out, c->inv & NC_CT_PROTO ? NFT_CMP_NEQ : NFT_CMP_EQ,
				&c->proto, 1) < 0)
			return -1;
	}
	for (int i = 0; i < 4; i++)
		if ((c->have & (NC_CT_ORIGSRC << i)) &&
		    lin_addr(out, r->family, addr_key(r->family, i % 2),
			     i < 2 ? CT_DIR_ORIGINAL : CT_DIR_REPLY,
			     &c->addr[i], &c->mask[i], c->inv & (NC_CT_ORIGSRC << i)) < 0)
			return -1;
	for (int i = 0; i < 4; i++)
		if ((c->have & (NC_CT_ORIGSRCPORT << i)) &&
		    lin_port(out, i % 2 ? NFT_CT_PROTO_DST : NFT_CT_PROTO_SRC,
			     i < 2 ? CT_DIR_ORIGINAL : CT_DIR_REPLY,
			     c->ports[i], c->inv & (NC_CT_ORIGSRCPORT << i)) < 0)
			return -1;
	if ((c->have & NC_CT_STATUS) &&
	    lin_bits(out, NFT_CT_STATUS, c->status, c->inv & NC_CT_STATUS) < 0)
		return -1;
	if ((c->have & NC_CT_EXPIRE) &&
	    lin_expire(out, c->expire, c->inv & NC_CT_EXPIRE) < 0)
		return -1;
	if (c->have & NC_CT_DIR) {
		if (ct_load(out, NFT_CT_DIRECTION, -1) < 0 ||
		    nc_expr_cmp(out, NFT_CMP_EQ, &c->dir, 1) < 0)
			return -1;
	}
	return 0;
}

/* ---- nft text ---- */

static void xlate_bits(struct nc_buf *b, const char *key, uint32_t mask, bool inv,
		       const char *const *names, size_t nnames)
{
	const char *sep = "";
	size_t n = 0;

	for (size_t i = 0; i < nnames; i++)
		n += names[i] && (mask & (1u << i));
	nc_buf_printf(b, " ct %s %s", key, inv ? (n > 1 ? "& (" : "& ") : "");
	for (size_t i = 0; i < nnames; i++)
		if (names[i] && (mask & (1u << i))) {
			nc_buf_puts(b, sep);
			nc_buf_puts(b, names[i]);
			sep = inv ? "|" : ",";
		}
	if (inv)
		nc_buf_puts(b, n > 1 ? ") == 0" : " == 0");
}

static const char *const status_names[] = {
	"expected", "seen-reply", "assured", "confirmed", "snat", "dnat",
};

int nc_ct_xlate(const struct nc_ext *e, const struct nc_rule *r, struct nc_buf *b)
{
	static const char *const dirs[] = { "original", "reply" };
	static const char *const sd[] = { "saddr", "daddr" };
	static const char *const ps[] = { "proto-src", "proto-dst" };
	const struct nc_conntrack *c = e->data;
	uint32_t mask_bits = r->family == AF_INET6 ? 128 : 32;

	if ((c->have & NC_CT_STATE) && (c->state & NAT_STATES))
		xlate_bits(b, "status", c->state >> 4, c->inv & NC_CT_STATE,
			   status_names, 6);
	else if (c->have & NC_CT_STATE)
		nc_ct_xlate_state(b, c->state, c->inv & NC_CT_STATE);
	if (c->have & NC_CT_PROTO)
		nc_buf_printf(b, " ct original protocol %s%u",
			      c->inv & NC_CT_PROTO ? "!= " : "", c->proto);
	for (int i = 0; i < 4; i++) {
		char as[INET6_ADDRSTRLEN], ms[INET6_ADDRSTRLEN];
		bool inv = c->inv & (NC_CT_ORIGSRC << i);
		int prefix;

		if (!(c->have & (NC_CT_ORIGSRC << i)))
			continue;
		prefix = nc_mask_to_prefix(&c->mask[i], r->family);
		if (prefix == 0)
			return -1;
		inet_ntop(r->family, c->addr[i].b, as, sizeof(as));
		nc_buf_printf(b, " ct %s %s %s", dirs[i / 2],
			      r->family == AF_INET6 ? "ip6" : "ip", sd[i % 2]);
		if (prefix < 0) {
			inet_ntop(r->family, c->mask[i].b, ms, sizeof(ms));
			nc_buf_printf(b, " & %s %s %s", ms, inv ? "!=" : "==", as);
		} else {
			nc_buf_printf(b, " %s%s", inv ? "!= " : "", as);
			if ((uint32_t)prefix != mask_bits)
				nc_buf_printf(b, "/%d", prefix);
		}
	}
	for (int i = 0; i < 4; i++) {
		if (!(c->have & (NC_CT_ORIGSRCPORT << i)))
			continue;
		nc_buf_printf(b, " ct %s %s", dirs[i / 2], ps[i % 2]);
		nc_ports_xlate_cmp(b, c->ports[i], c->inv & (NC_CT_ORIGSRCPORT << i));
	}
	if (c->have & NC_CT_STATUS)
		xlate_bits(b, "status", c->status, c->inv & NC_CT_STATUS,
			   status_names, 4);
	if (c->have & NC_CT_EXPIRE) {
		if (c->expire[1] == UINT32_MAX || c->expire[1] > UINT32_MAX / 1000 - 1)
			return -1;
		if (c->inv & NC_CT_EXPIRE)
			nc_buf_printf(b, " ct expiration != %us-%us999ms",
				      c->expire[0], c->expire[1]);
		else if (c->expire[0])	/* as lin_expire() */
			nc_buf_printf(b, " ct expiration >= %us ct expiration < %us",
				      c->expire[0], c->expire[1] + 1);
		else
			nc_buf_printf(b, " ct expiration < %us", c->expire[1] + 1);
	}
	if (c->have & NC_CT_DIR)
		nc_buf_printf(b, " ct direction %s", c->dir ? "reply" : "original");
	return 0;
}

/* ---- reading back: one ct test at a time, merged into one match ---- */

static bool is_cmp(const struct nc_expr *x, uint32_t len)
{
	return x && x->type == NC_E_CMP && x->u.cmp.sreg == NFT_REG_1 &&
	       x->u.cmp.len == len;
}

static uint32_t u32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* state/status: [bitwise mask] [cmp neq|eq 0] or a plain [cmp eq|neq BIT] */
static int delin_bits(struct nc_expr_cursor *c, uint32_t all, uint32_t *mask, bool *inv)
{
	const struct nc_expr *x = nc_cursor_peek(c, 1), *y = nc_cursor_peek(c, 2);

	if (x && x->type == NC_E_BITWISE && x->u.bitwise.len == 4 &&
	    x->u.bitwise.sreg == NFT_REG_1 && x->u.bitwise.dreg == NFT_REG_1 &&
	    !u32_at(x->u.bitwise.xor) && is_cmp(y, 4) && !u32_at(y->u.cmp.data) &&
	    (y->u.cmp.op == NFT_CMP_EQ || y->u.cmp.op == NFT_CMP_NEQ) &&
	    !(u32_at(x->u.bitwise.mask) & ~all)) {
		*mask = u32_at(x->u.bitwise.mask);
		*inv = y->u.cmp.op == NFT_CMP_EQ;
		return 3;
	}
	if (is_cmp(x, 4) && (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ)) {
		/* one state at a time: == / != that state is its bit test */
		uint32_t v = u32_at(x->u.cmp.data);

		if (all != STATES_ALL || !v || (v & (v - 1)) || (v & ~all))
			return 0;
		*mask = v;
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
		return 2;
	}
	return 0;
}

static int delin_addr(struct nc_expr_cursor *c, uint8_t family,
		      union nc_addr *a, union nc_addr *m, bool *inv)
{
	const struct nc_expr *x = nc_cursor_peek(c, 1), *y = nc_cursor_peek(c, 2);
	uint32_t len = family == AF_INET6 ? 16 : 4;

	memset(a, 0, sizeof(*a));
	memset(m, 0, sizeof(*m));
	if (x && x->type == NC_E_CMP && x->u.cmp.sreg == NFT_REG_1 &&
	    x->u.cmp.len >= 1 && x->u.cmp.len <= len &&
	    (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ)) {
		memcpy(a->b, x->u.cmp.data, x->u.cmp.len);
		nc_prefix_to_mask((int)x->u.cmp.len * 8, family, m);
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
		return 2;
	}
	if (x && x->type == NC_E_BITWISE && x->u.bitwise.len == len &&
	    x->u.bitwise.sreg == NFT_REG_1 && x->u.bitwise.dreg == NFT_REG_1 &&
	    !memcmp(x->u.bitwise.xor, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", len) &&
	    is_cmp(y, len) && (y->u.cmp.op == NFT_CMP_EQ || y->u.cmp.op == NFT_CMP_NEQ)) {
		memcpy(m->b, x->u.bitwise.mask, len);
		for (uint32_t i = 0; i < len; i++) {
			a->b[i] = y->u.cmp.data[i];
			if (a->b[i] & ~m->b[i])
				return 0;
		}
		if (nc_mask_to_prefix(m, family) == 0)
			return 0;
		*inv = y->u.cmp.op == NFT_CMP_NEQ;
		return 3;
	}
	return 0;
}

/* The compare(s) after a ct port load: how many expressions, loaded
 * one included (0: not a port test). */
static int delin_port(struct nc_expr_cursor *c, uint16_t pts[2], bool *inv)
{
	size_t n = nc_ports_delin_cmp(c, 1, pts, inv);

	return n ? (int)n + 1 : 0;
}

static bool is_hton(const struct nc_expr *bo)
{
	return bo && bo->type == NC_E_BYTEORDER && bo->u.byteorder.sreg == NFT_REG_1 &&
	       bo->u.byteorder.dreg == NFT_REG_1 &&
	       bo->u.byteorder.op == NFT_BYTEORDER_HTON && bo->u.byteorder.len == 4 &&
	       bo->u.byteorder.size == 4;
}

static bool is_expire_load(const struct nc_expr *ld)
{
	return ld && ld->type == NC_E_CT && !ld->u.ct.sreg &&
	       ld->u.ct.dreg == NFT_REG_1 && ld->u.ct.key == NFT_CT_EXPIRATION;
}

/* [byteorder hton] then [cmp gte][cmp lte] or [range neq], in whole
 * seconds as lin_expire() writes them */
static int delin_expire(struct nc_expr_cursor *c, uint32_t ex[2], bool *inv)
{
	const struct nc_expr *bo = nc_cursor_peek(c, 1), *x = nc_cursor_peek(c, 2),
			     *y = nc_cursor_peek(c, 3);
	uint32_t lo, hi;
	int n;

	if (!is_hton(bo) || !x)
		return 0;
	if (x->type == NC_E_RANGE && x->u.range.sreg == NFT_REG_1 &&
	    x->u.range.len == 4 && x->u.range.op == NFT_RANGE_NEQ) {
		lo = ntohl(u32_at(x->u.range.from));
		hi = ntohl(u32_at(x->u.range.to));
		*inv = true;
		n = 3;
	} else if (is_cmp(x, 4) && x->u.cmp.op == NFT_CMP_GTE &&
		   is_cmp(y, 4) && y->u.cmp.op == NFT_CMP_LTE) {
		lo = ntohl(u32_at(x->u.cmp.data));
		hi = ntohl(u32_at(y->u.cmp.data));
		*inv = false;
		n = 4;
	} else if (is_cmp(x, 4) && x->u.cmp.op == NFT_CMP_LT) {
		/* lin_expire()'s form from 0 */
		if (ntohl(u32_at(x->u.cmp.data)) % 1000 ||
		    ntohl(u32_at(x->u.cmp.data)) < 1000)
			return 0;
		lo = 0;
		hi = ntohl(u32_at(x->u.cmp.data)) - 1;
		*inv = false;
		n = 3;
	} else if (is_cmp(x, 4) && x->u.cmp.op == NFT_CMP_GTE) {
		/* lin_expire()'s form: an upper bound, if any, loaded again */
		lo = ntohl(u32_at(x->u.cmp.data));
		hi = UINT32_MAX;
		*inv = false;
		n = 3;
		if (is_expire_load(nc_cursor_peek(c, 3)) &&
		    is_hton(nc_cursor_peek(c, 4))) {
			y = nc_cursor_peek(c, 5);
			if (!is_cmp(y, 4) || y->u.cmp.op != NFT_CMP_LT ||
			    ntohl(u32_at(y->u.cmp.data)) % 1000 ||
			    ntohl(u32_at(y->u.cmp.data)) < 1000)
				return 0;
			hi = ntohl(u32_at(y->u.cmp.data)) - 1;
			n = 6;
		}
	} else {
		return 0;
	}
	if (lo % 1000 || (hi != UINT32_MAX && hi % 1000 != 999))
		return 0;
	ex[0] = lo / 1000;
	ex[1] = hi == UINT32_MAX ? UINT32_MAX : hi / 1000;
	return n;
}

/* One test at the cursor into @ct: how many expressions it took, 0 if
 * none (or a test @ct already has). */
static int delin_test(struct nc_expr_cursor *c, uint8_t family, struct nc_conntrack *ct)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	uint32_t bit = 0, mask = 0;
	int n = 0, i;
	bool inv = false, orig;

	if (!ld || ld->type != NC_E_CT || ld->u.ct.sreg || ld->u.ct.dreg != NFT_REG_1)
		return 0;
	orig = ld->u.ct.dir == CT_DIR_ORIGINAL;
	switch (ld->u.ct.key) {
	case NFT_CT_STATUS:
		/* status snat/dnat alone: --ctstate SNAT/DNAT, where the state
		 * test goes (before any address) */
		if (!(ct->have & ~NC_CT_STATE) && !(ct->have & NC_CT_STATE) &&
		    (n = delin_bits(c, IPS_NAT_BITS, &mask, &inv)) && mask) {
			bit = NC_CT_STATE;
			ct->state = mask << 4;
			break;
		}
		/* fall through */
	case NFT_CT_STATE:
		bit = ld->u.ct.key == NFT_CT_STATE ? NC_CT_STATE : NC_CT_STATUS;
		if ((ct->have & bit) ||
		    !(n = delin_bits(c, bit == NC_CT_STATE ? STATES_ALL : STATUS_ALL,
				     &mask, &inv)))
			return 0;
		if (bit == NC_CT_STATE)
			ct->state = mask;
		else
			ct->status = mask;
		break;
	case NFT_CT_PROTOCOL:
		bit = NC_CT_PROTO;
		if ((ct->have & bit) || !is_cmp(x, 1) ||
		    (x->u.cmp.op != NFT_CMP_EQ && x->u.cmp.op != NFT_CMP_NEQ))
			return 0;
		ct->proto = x->u.cmp.data[0];
		inv = x->u.cmp.op == NFT_CMP_NEQ;
		n = 2;
		break;
	case NFT_CT_SRC_IP:
	case NFT_CT_DST_IP:
	case NFT_CT_SRC_IP6:
	case NFT_CT_DST_IP6:
		if ((family == AF_INET6) != (ld->u.ct.key == NFT_CT_SRC_IP6 ||
					     ld->u.ct.key == NFT_CT_DST_IP6))
			return 0;
		/* fall through */
	case NFT_CT_SRC:
	case NFT_CT_DST:
		if (ld->u.ct.dir != CT_DIR_ORIGINAL && ld->u.ct.dir != CT_DIR_REPLY)
			return 0;
		i = (orig ? 0 : 2) + (ld->u.ct.key == NFT_CT_DST ||
				      ld->u.ct.key == NFT_CT_DST_IP ||
				      ld->u.ct.key == NFT_CT_DST_IP6);
		bit = NC_CT_ORIGSRC << i;
		if ((ct->have & bit) ||
		    !(n = delin_addr(c, family, &ct->addr[i], &ct->mask[i], &inv)))
			return 0;
		break;
	case NFT_CT_PROTO_SRC:
	case NFT_CT_PROTO_DST:
		if (ld->u.ct.dir != CT_DIR_ORIGINAL && ld->u.ct.dir != CT_DIR_REPLY)
			return 0;
		i = (orig ? 0 : 2) + (ld->u.ct.key == NFT_CT_PROTO_DST);
		bit = NC_CT_ORIGSRCPORT << i;
		if ((ct->have & bit) || !(n = delin_port(c, ct->ports[i], &inv)))
			return 0;
		break;
	case NFT_CT_EXPIRATION:
		bit = NC_CT_EXPIRE;
		if ((ct->have & bit) || !(n = delin_expire(c, ct->expire, &inv)))
			return 0;
		break;
	case NFT_CT_DIRECTION:
		bit = NC_CT_DIR;
		if ((ct->have & bit) || !is_cmp(x, 1) || x->u.cmp.op != NFT_CMP_EQ ||
		    x->u.cmp.data[0] > CT_DIR_REPLY)
			return 0;
		ct->dir = x->u.cmp.data[0];
		n = 2;
		break;
	default:
		return 0;
	}
	ct->have |= bit;
	if (inv)
		ct->inv |= bit;
	return n;
}

int nc_ct_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_conntrack ct = { 0 };
	struct nc_ext *e;
	int n;

	while ((n = delin_test(c, r->family, &ct)) > 0)
		c->pos += (size_t)n;
	if (!ct.have)
		return 0;
	if (!(e = nc_rule_add_match(r, &nc_ext_conntrack)))
		return -1;
	memcpy(e->data, &ct, sizeof(ct));
	return 1;
}
