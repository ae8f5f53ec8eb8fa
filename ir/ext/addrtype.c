// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The addrtype match (revision 1): [!] --src-type T[,T...],
 * [!] --dst-type T[,T...], --limit-iface-in, --limit-iface-out.
 *
 * Kernel form, as nft writes `fib saddr [. iif|. oif] type local`:
 * [fib saddr type => reg 1] then [cmp eq|neq reg 1 TYPE] for one type, or
 * a [lookup] in an anonymous set of fib_addrtype keys (with nft's
 * NEWSET userdata) for several, flag 0x1 when negated.  The source test
 * comes before the destination test, as -S prints them.  Type values are
 * the kernel's RTN_* numbers, which iptables' bit positions are too.
 */
#include <strings.h>
#include <string.h>
#include "ir/ext/lib/xtmsg.h"

enum { OPT_SRC = 1, OPT_DST, OPT_IN, OPT_OUT };
enum { F_INV_SRC = 1, F_INV_DST = 2, F_IN = 4, F_OUT = 8 };
enum { SEEN_SRC = 1, SEEN_DST = 2 };

#define NFT_TYPE_FIB_ADDR 38	/* nft's datatype id of fib_addrtype */
#define NFT_EXPR_FIB_TYPEOF 26	/* nft's expression id in set typeof */

struct addrtype {
	uint16_t src, dst;	/* 1 << RTN_* */
	uint8_t flags;
	uint8_t seen;		/* while parsing */
};

static const char *const names[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
};
#define NTYPES (sizeof(names) / sizeof(names[0]))

static const struct nc_ext_opt addrtype_opts[] = {
	{ "src-type", OPT_SRC, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "dst-type", OPT_DST, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "limit-iface-in", OPT_IN, NC_EXTOPT_INV },
	{ "limit-iface-out", OPT_OUT, NC_EXTOPT_INV },
	{ 0 }
};

/* A comma-separated list; each word names the first type it begins,
 * in any case, as iptables. */
static int parse_types(const char *arg, uint16_t *mask,
		       const struct nc_loc *loc, struct nc_err *err)
{
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; len && i < NTYPES; i++)
			if (len <= strlen(names[i]) && !strncasecmp(p, names[i], len))
				break;
		if (!len || i == NTYPES)
			return nc_err_param(err, loc, "addrtype: bad type \"%.*s\"",
					    (int)len, p);
		*mask |= (uint16_t)(1u << i);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int addrtype_parse(struct nc_ext *e, struct nc_rule *r,
			  const struct nc_ext_opt *opt, bool inv, const char *arg,
			  const struct nc_loc *loc, struct nc_err *err)
{
	struct addrtype *a = e->data;

	switch (opt->id) {
	case OPT_SRC:
	case OPT_DST: {
		uint8_t bit = opt->id == OPT_SRC ? SEEN_SRC : SEEN_DST;
		uint16_t *mask = opt->id == OPT_SRC ? &a->src : &a->dst;

		if (a->seen & bit)
			return nc_xt_once(err, loc, "addrtype", opt->name);
		if (parse_types(arg, mask, loc, err) < 0)
			return -1;
		a->seen |= bit;
		if (inv)
			a->flags |= opt->id == OPT_SRC ? F_INV_SRC : F_INV_DST;
		return 0;
	}
	default: {
		uint8_t f = opt->id == OPT_IN ? F_IN : F_OUT;

		if (a->flags & f)
			return nc_xt_once(err, loc, "addrtype", opt->name);
		if (inv)
			return nc_xt_noinv(err, loc, "addrtype", opt->name);
		a->flags |= f;
		return 0;
	}
	}
}

static int addrtype_check(struct nc_ext *e, const struct nc_rule *r,
			  struct nc_err *err)
{
	struct addrtype *a = e->data;

	if (!a->src && !a->dst)
		return nc_err_param(err, &e->loc,
			"addrtype: you must specify --src-type or --dst-type");
	if ((a->flags & F_IN) && (a->flags & F_OUT))
		return nc_xt_excl(err, &e->loc, "addrtype", "limit-iface-in",
				  "limit-iface-out");
	a->seen = 0;
	return 0;
}

static void put_types(struct nc_buf *b, uint16_t mask)
{
	const char *sep = "";

	for (size_t i = 0; i < NTYPES; i++)
		if (mask & (1u << i)) {
			nc_buf_printf(b, "%s%s", sep, names[i]);
			sep = ",";
		}
}

static void addrtype_save(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_buf *b)
{
	const struct addrtype *a = e->data;

	if (a->src) {
		nc_buf_puts(b, a->flags & F_INV_SRC ? " ! --src-type " : " --src-type ");
		put_types(b, a->src);
	}
	if (a->dst) {
		nc_buf_puts(b, a->flags & F_INV_DST ? " ! --dst-type " : " --dst-type ");
		put_types(b, a->dst);
	}
	if (a->flags & F_IN)
		nc_buf_puts(b, " --limit-iface-in");
	if (a->flags & F_OUT)
		nc_buf_puts(b, " --limit-iface-out");
}

static void addrtype_print(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_buf *b, unsigned fmt)
{
	const struct addrtype *a = e->data;

	nc_buf_puts(b, " ADDRTYPE match");
	if (a->src) {
		nc_buf_puts(b, a->flags & F_INV_SRC ? " src-type !" : " src-type ");
		put_types(b, a->src);
	}
	if (a->dst) {
		nc_buf_puts(b, a->flags & F_INV_DST ? " dst-type !" : " dst-type ");
		put_types(b, a->dst);
	}
	if (a->flags & F_IN)
		nc_buf_puts(b, " limit-in");
	if (a->flags & F_OUT)
		nc_buf_puts(b, " limit-out");
}

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* host order, as nftnl_udata_put_u32 */
}

/* nft's NEWSET userdata for a fib_addrtype set: key byte order (host),
 * then "typeof fib <flags> type" */
static int set_udata(struct nc_exprs *out, int set, uint32_t fibflags)
{
	uint8_t u[6 + 22];
	int64_t off;

	u[0] = 0; u[1] = 4; put_u32(u + 2, 1);		/* KEYBYTEORDER host */
	u[6] = 3; u[7] = 20;				/* KEY_TYPEOF */
	u[8] = 0; u[9] = 4; put_u32(u + 10, NFT_EXPR_FIB_TYPEOF);
	u[14] = 1; u[15] = 12;				/* its data */
	u[16] = 0; u[17] = 4; put_u32(u + 18, NFT_FIB_RESULT_ADDRTYPE);
	u[22] = 1; u[23] = 4; put_u32(u + 24, fibflags);
	off = nc_exprs_store(out, u, sizeof(u));
	if (off < 0)
		return -1;
	out->sets[set].udata_off = (uint32_t)off;
	out->sets[set].udata_len = sizeof(u);
	return 0;
}

static int lin_one(struct nc_exprs *out, uint32_t fibflags, uint16_t mask, bool inv)
{
	struct nc_expr *x = nc_exprs_add(out, NC_E_FIB);
	int set;

	if (!x)
		return -1;
	x->u.fib.flags = fibflags;
	x->u.fib.result = NFT_FIB_RESULT_ADDRTYPE;
	x->u.fib.dreg = NFT_REG_1;
	if (!(mask & (mask - 1))) {
		uint32_t t = (uint32_t)__builtin_ctz(mask);

		return nc_expr_cmp(out, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &t, 4);
	}
	set = nc_exprs_add_set(out, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT,
			       NFT_TYPE_FIB_ADDR, 4, 0, 0);
	if (set < 0 || set_udata(out, set, fibflags) < 0)
		return -1;
	for (uint32_t t = 0; t < NTYPES; t++) {
		struct nc_set_elem *el;

		if (!(mask & (1u << t)))
			continue;
		if (!(el = nc_set_add_elem(out, (uint32_t)set)))
			return -1;
		memcpy(el->key, &t, 4);
		out->sets[set].size++;
	}
	x = nc_exprs_add(out, NC_E_LOOKUP);
	if (!x)
		return -1;
	x->u.lookup.sreg = NFT_REG_1;
	x->u.lookup.set = (uint32_t)set;
	x->u.lookup.flags = inv ? NFT_LOOKUP_F_INV : 0;
	return 0;
}

static uint32_t iface_flag(const struct addrtype *a)
{
	return a->flags & F_IN ? NFTA_FIB_F_IIF : a->flags & F_OUT ? NFTA_FIB_F_OIF : 0;
}

static int addrtype_linearize(const struct nc_ext *e, const struct nc_rule *r,
			      struct nc_exprs *out)
{
	const struct addrtype *a = e->data;

	if (a->src && lin_one(out, NFTA_FIB_F_SADDR | iface_flag(a), a->src,
			      a->flags & F_INV_SRC) < 0)
		return -1;
	if (a->dst && lin_one(out, NFTA_FIB_F_DADDR | iface_flag(a), a->dst,
			      a->flags & F_INV_DST) < 0)
		return -1;
	return 0;
}

/* One fib type test at the cursor: 1 and *mask, *inv, *flags; 0 if none. */
static int delin_one(struct nc_expr_cursor *c, uint16_t *mask, bool *inv,
		     uint32_t *flags)
{
	const struct nc_expr *f = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	uint32_t t;

	if (!f || f->type != NC_E_FIB || f->u.fib.result != NFT_FIB_RESULT_ADDRTYPE ||
	    f->u.fib.dreg != NFT_REG_1 || !x)
		return 0;
	*flags = f->u.fib.flags;
	*mask = 0;
	if (x->type == NC_E_CMP && x->u.cmp.sreg == NFT_REG_1 && x->u.cmp.len == 4 &&
	    (x->u.cmp.op == NFT_CMP_EQ || x->u.cmp.op == NFT_CMP_NEQ)) {
		memcpy(&t, x->u.cmp.data, 4);
		if (t >= NTYPES)
			return 0;
		*mask = (uint16_t)(1u << t);
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
	} else if (x->type == NC_E_LOOKUP && x->u.lookup.sreg == NFT_REG_1 &&
		   !x->u.lookup.dreg && x->u.lookup.set < c->l->nsets) {
		const struct nc_set *s = &c->l->sets[x->u.lookup.set];

		if (s->key_len != 4 || (s->flags & (NFT_SET_MAP | NFT_SET_INTERVAL)) ||
		    !s->nelems)
			return 0;
		for (size_t i = 0; i < s->nelems; i++) {
			memcpy(&t, s->elems[i].key, 4);
			if (t >= NTYPES || s->elems[i].flags)
				return 0;
			*mask |= (uint16_t)(1u << t);
		}
		*inv = x->u.lookup.flags & NFT_LOOKUP_F_INV;
	} else {
		return 0;
	}
	c->pos += 2;
	return 1;
}

static int addrtype_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct addrtype a = { 0 };
	size_t start = c->pos;
	uint32_t flags, first = 0, iface;
	uint16_t mask;
	bool inv;
	struct nc_ext *e;

	for (int i = 0; i < 2 && delin_one(c, &mask, &inv, &flags) > 0; i++) {
		uint32_t which = flags & (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR);

		iface = flags & (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF);
		if ((flags & ~(NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR |
			       NFTA_FIB_F_IIF | NFTA_FIB_F_OIF)) ||
		    (which != NFTA_FIB_F_SADDR && which != NFTA_FIB_F_DADDR) ||
		    iface == (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF) ||
		    (i == 1 && (which != NFTA_FIB_F_DADDR || first != NFTA_FIB_F_SADDR ||
				iface != iface_flag(&a)))) {
			if (i == 0) {
				c->pos = start;
				return 0;
			}
			c->pos -= 2;	/* a second addrtype match */
			break;
		}
		first = which;
		if (iface == NFTA_FIB_F_IIF)
			a.flags |= F_IN;
		else if (iface == NFTA_FIB_F_OIF)
			a.flags |= F_OUT;
		if (which == NFTA_FIB_F_SADDR) {
			a.src = mask;
			a.flags |= inv ? F_INV_SRC : 0;
		} else {
			a.dst = mask;
			a.flags |= inv ? F_INV_DST : 0;
		}
	}
	if (c->pos == start)
		return 0;
	if (!(e = nc_rule_add_match(r, &nc_ext_addrtype)))
		return -1;
	memcpy(e->data, &a, sizeof(a));
	return 1;
}

/* nft text: `fib daddr type local`, `fib saddr . iif type != { unicast,
 * local }` (one type: a compare; several: an anonymous set, as natc
 * loads them) */
static void xlate_one(struct nc_buf *b, const char *addr, const struct addrtype *a,
		      uint16_t mask, bool inv)
{
	static const char *const nft[] = {
		"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
		"blackhole", "unreachable", "prohibit",
	};
	const char *sep = "";
	bool set = (mask & (mask - 1)) != 0;

	nc_buf_printf(b, " fib %s%s type %s%s", addr,
		      a->flags & F_IN ? " . iif" : a->flags & F_OUT ? " . oif" : "",
		      inv ? "!= " : "", set ? "{ " : "");
	for (size_t i = 0; i < NTYPES; i++)
		if (mask & (1u << i)) {
			nc_buf_puts(b, sep);
			if (i < sizeof(nft) / sizeof(nft[0]))
				nc_buf_puts(b, nft[i]);
			else
				nc_buf_putu(b, i);
			sep = ", ";
		}
	if (set)
		nc_buf_puts(b, " }");
}

static int addrtype_xlate(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_xlate *x)
{
	const struct addrtype *a = e->data;

	if (a->src)
		xlate_one(x->b, "saddr", a, a->src, a->flags & F_INV_SRC);
	if (a->dst)
		xlate_one(x->b, "daddr", a, a->dst, a->flags & F_INV_DST);
	return 0;
}

/* --explain */
static void describe_types(struct nc_buf *b, const char *what, uint16_t types,
			   bool inv)
{
	bool first = true;

	if (types == 1u << 2) {		/* LOCAL alone: say it plainly */
		nc_buf_printf(b, ", %s %s of this host", what,
			      inv ? "an address that is not one" : "one of the addresses");
		return;
	}
	nc_buf_printf(b, ", %s an address %sof type ", what, inv ? "not " : "");
	for (size_t i = 0; i < NTYPES; i++)
		if (types & (1u << i)) {
			nc_buf_printf(b, "%s%s", first ? "" : " or ", names[i]);
			first = false;
		}
}

static void addrtype_describe(const struct nc_ext *e, const struct nc_rule *r,
			      struct nc_buf *b)
{
	const struct addrtype *a = e->data;

	if (a->src)
		describe_types(b, "from", a->src, a->flags & F_INV_SRC);
	if (a->dst)
		describe_types(b, "to", a->dst, a->flags & F_INV_DST);
}

static int type_packet(uint16_t types, bool inv, uint8_t type)
{
	if (!types)
		return NC_PKT_YES;
	if (!type)
		return NC_PKT_MAYBE;
	return !!(types & (1u << type)) != inv ? NC_PKT_YES : NC_PKT_NO;
}

static int addrtype_packet(const struct nc_ext *e, const struct nc_rule *r,
			   struct nc_pkt *p)
{
	const struct addrtype *a = e->data;

	return nc_pkt_and(type_packet(a->src, a->flags & F_INV_SRC,
				      (p->known & NC_PK_SRC) ? p->src_type : 0),
			  type_packet(a->dst, a->flags & F_INV_DST,
				      (p->known & NC_PK_DST) ? p->dst_type : 0));
}

const struct nc_ext_ops nc_ext_addrtype = {
	.describe = addrtype_describe,
	.packet = addrtype_packet,
	.name = "addrtype",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct addrtype),
	.opts = addrtype_opts,
	.parse = addrtype_parse,
	.check = addrtype_check,
	.save = addrtype_save,
	.print = addrtype_print,
	.linearize = addrtype_linearize,
	.delinearize = addrtype_delinearize,
	.xlate = addrtype_xlate,
};
