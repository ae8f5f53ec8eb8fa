// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The multiport match: -m multiport [!] --sports|--dports|--ports
 * PORT[:PORT][,...], at most 15 ports (a range counts two), after
 * -p tcp, udp, udplite, sctp or dccp.
 *
 * --sports and --dports, as nft writes `tcp dport { 80, 443, 1000-2000 }`:
 * [payload load 2b @ transport header + 0|2] [lookup reg 1 set S (inv)],
 * S an anonymous constant set of key type inet_service (13), 2 bytes,
 * with nft's set userdata (key byte order, typeof); with a range among
 * the ports it is an interval set (elements: a start, and an end element
 * flagged INTERVAL_END one past the range; a leading end element at 0
 * when the first range does not start there), else a plain set.
 *
 * A set has no order and no duplicates, so the ports are kept sorted in
 * the rule from the start: duplicates dropped, and in an interval set
 * overlapping and adjacent ranges joined, as nft joins them.  iptables
 * prints them as typed.  One port is still a set (nft would write a cmp,
 * which reads back as --dport).
 *
 * --ports (either port) has no single native expression (nft needs a
 * concatenation `th sport . th dport` of intervals): it is written as
 * iptables-nft writes it, an xt multiport match, revision 1, with the
 * rule's compat attribute.  iptables-nft's xt form of all three options
 * is read back, in the order it holds, and listed so (as iptables-nft
 * lists it); it is the same rule as its ports typed in any order
 * (mp_equal), so that the line -S printed finds it.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ext.h"
#include "ir/parse.h"
#include "ir/ext/lib/ports.h"

#define MP_MAX 15		/* XT_MULTI_PORTS */
#define TYPE_INET_SERVICE 13	/* nft's datatype id */

enum { MP_SRC = 0, MP_DST = 1, MP_EITHER = 2 };	/* XT_MULTIPORT_* */

struct nc_multiport {
	uint16_t lo[MP_MAX], hi[MP_MAX];
	uint8_t n;		/* entries used in lo/hi */
	uint8_t which;		/* MP_SRC / MP_DST / MP_EITHER */
	bool inv, set;
};

enum { OPT_SPORTS = 1, OPT_DPORTS, OPT_PORTS };

static const struct nc_ext_opt mp_opts[] = {
	{ "source-ports", OPT_SPORTS, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "sports", OPT_SPORTS, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "destination-ports", OPT_DPORTS, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "dports", OPT_DPORTS, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ "ports", OPT_PORTS, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static const char *const opt_long[] = {
	[OPT_SPORTS] = "source-ports", [OPT_DPORTS] = "destination-ports",
	[OPT_PORTS] = "ports",
};

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_UDPLITE: return "udplite";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_DCCP: return "dccp";
	default: return NULL;
	}
}

static int cmp_range(const void *a, const void *b)
{
	const uint16_t *x = a, *y = b;

	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) :
	       x[1] != y[1] ? (x[1] < y[1] ? -1 : 1) : 0;
}

/* Sorted; duplicates dropped; with a range, ranges joined (see top). */
static void normalize(struct nc_multiport *m)
{
	uint16_t v[MP_MAX][2];
	bool interval = false;
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++) {
		v[i][0] = m->lo[i];
		v[i][1] = m->hi[i];
		interval |= m->lo[i] != m->hi[i];
	}
	qsort(v, m->n, sizeof(v[0]), cmp_range);
	for (size_t i = 0; i < m->n; i++) {
		if (n && v[i][0] == v[n - 1][0] && v[i][1] == v[n - 1][1])
			continue;
		if (n && interval && (uint32_t)v[i][0] <= (uint32_t)v[n - 1][1] + 1) {
			if (v[i][1] > v[n - 1][1])
				v[n - 1][1] = v[i][1];
			continue;
		}
		v[n][0] = v[i][0];
		v[n][1] = v[i][1];
		n++;
	}
	memset(m->lo, 0, sizeof(m->lo));
	memset(m->hi, 0, sizeof(m->hi));
	for (size_t i = 0; i < n; i++) {
		m->lo[i] = v[i][0];
		m->hi[i] = v[i][1];
	}
	m->n = (uint8_t)n;
}

static size_t count_ports(const struct nc_multiport *m)
{
	size_t c = 0;

	for (size_t i = 0; i < m->n; i++)
		c += m->lo[i] == m->hi[i] ? 1 : 2;
	return c;
}

static int parse_list(struct nc_multiport *m, const char *arg, const char *proto,
		      const struct nc_loc *loc, struct nc_err *err)
{
	const char *p = arg;
	size_t used = 0;

	for (;;) {
		size_t len = strcspn(p, ",");
		char one[64], *colon;
		uint16_t lo, hi;

		if (len >= sizeof(one))
			return nc_err_param(err, loc,
				"invalid port/service `%.*s' specified", (int)len, p);
		memcpy(one, p, len);
		one[len] = '\0';
		colon = strchr(one, ':');
		if (colon)
			*colon = '\0';
		if (used + (colon ? 2 : 1) > MP_MAX)
			return nc_err_param(err, loc, "too many ports specified");
		if (nc_parse_port(one, proto, &lo, loc, err) < 0)
			return -1;
		hi = lo;
		if (colon) {
			if (nc_parse_port(colon + 1, proto, &hi, loc, err) < 0)
				return -1;
			if (lo > hi)
				return nc_err_param(err, loc, "invalid portrange specified");
		}
		m->lo[m->n] = lo;
		m->hi[m->n] = hi;
		m->n++;
		used += colon ? 2 : 1;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int mp_parse(struct nc_ext *e, struct nc_rule *r,
		    const struct nc_ext_opt *opt, bool inv, const char *arg,
		    const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_multiport *m = e->data;
	const char *proto = proto_name(r->proto);

	if (m->set && m->which == opt->id - 1)
		return nc_err_param(err, loc,
			"multiport: option \"--%s\" can only be used once.\n",
			opt_long[opt->id]);
	if (m->set)
		return nc_err_param(err, loc,
			"multiport: option \"--%s\" cannot be used together with \"--%s\".\n",
			opt_long[opt->id], opt_long[m->which + 1]);
	/* iptables checks the protocol as it reads the option */
	if (!r->proto)
		return nc_err_param(err, loc,
			"multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
	if (!proto || (r->invflags & NC_INV_PROTO))
		return nc_err_param(err, loc,
			"multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
	if (parse_list(m, arg, proto, loc, err) < 0)
		return -1;
	m->which = (uint8_t)(opt->id - 1);
	m->inv = inv;
	m->set = true;
	if (m->which != MP_EITHER)
		normalize(m);
	return 0;
}

static int mp_check(struct nc_ext *e, const struct nc_rule *r,
		    struct nc_err *err)
{
	if (!((const struct nc_multiport *)e->data)->set)
		return nc_err_param(err, &e->loc, "multiport expection an option");
	return 0;
}

/*
 * The same rule whatever the order of the ports: iptables-nft's xt form is
 * read (and listed) in the order it holds, while what is typed is sorted,
 * so the line -S printed for a rule iptables-nft wrote (`--dports 443,80`)
 * must name it.  --ports keeps its order on both sides.
 */
static bool mp_equal(const struct nc_ext *a, const struct nc_ext *b,
		     const struct nc_rule *r)
{
	struct nc_multiport x = *(const struct nc_multiport *)a->data;
	struct nc_multiport y = *(const struct nc_multiport *)b->data;

	if (x.which != MP_EITHER)
		normalize(&x);
	if (y.which != MP_EITHER)
		normalize(&y);
	return !memcmp(&x, &y, sizeof(x));
}

static void mp_save(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_buf *b)
{
	static const char *const opt[] = { "sports", "dports", "ports" };
	const struct nc_multiport *m = e->data;

	nc_buf_printf(b, "%s --%s ", m->inv ? " !" : "", opt[m->which]);
	for (size_t i = 0; i < m->n; i++) {
		nc_buf_printf(b, "%s%u", i ? "," : "", m->lo[i]);
		if (m->lo[i] != m->hi[i])
			nc_buf_printf(b, ":%u", m->hi[i]);
	}
}

static void mp_print(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b, unsigned fmt)
{
	static const char *const opt[] = { "sports ", "dports ", "ports " };
	const struct nc_multiport *m = e->data;
	const char *proto = proto_name(r->proto);

	nc_buf_printf(b, " multiport %s%s", opt[m->which], m->inv ? " !" : "");
	for (size_t i = 0; i < m->n; i++) {
		if (i)
			nc_buf_putc(b, ',');
		nc_port_print(b, m->lo[i], proto, fmt);
		if (m->lo[i] != m->hi[i]) {
			nc_buf_putc(b, ':');
			nc_port_print(b, m->hi[i], proto, fmt);
		}
	}
}

/* ------------------------------------------------------------ kernel */

/* nft's set userdata: key byte order big endian, elements merged (interval
 * sets), typeof payload PROTO FIELD (tcp, udp, sctp only: nft's own
 * numbers, measured with nft --debug=mnl). */
static int set_udata(struct nc_exprs *out, int set, bool interval,
		     uint8_t proto, uint32_t off)
{
	uint8_t u[40];
	size_t n = 0;
	uint32_t desc;
	int64_t at;

	switch (proto) {
	case IPPROTO_TCP: desc = 8; break;
	case IPPROTO_UDP: desc = 6; break;
	case IPPROTO_SCTP: desc = 10; break;
	default: desc = 0; break;
	}
#define PUT_U32(type, v) do {					\
		uint32_t v_ = (v);				\
		u[n++] = (type);				\
		u[n++] = 4;					\
		memcpy(u + n, &v_, 4);				\
		n += 4;						\
	} while (0)
	PUT_U32(0, 2);				/* KEYBYTEORDER: big endian */
	if (interval)
		PUT_U32(2, 1);			/* MERGE_ELEMENTS */
	if (desc) {
		u[n++] = 3;			/* KEY_TYPEOF */
		u[n++] = 20;
		PUT_U32(0, 7);			/* TYPEOF_EXPR: payload */
		u[n++] = 1;			/* TYPEOF_DATA */
		u[n++] = 12;
		PUT_U32(0, desc);		/* PAYLOAD_DESC */
		PUT_U32(1, off ? 2 : 1);	/* PAYLOAD_TYPE: dport, sport */
	}
#undef PUT_U32
	at = nc_exprs_store(out, u, n);
	if (at < 0)
		return -1;
	out->sets[set].udata_off = (uint32_t)at;
	out->sets[set].udata_len = (uint32_t)n;
	return 0;
}

static int add_key(struct nc_exprs *out, int set, uint32_t port, uint32_t flags)
{
	struct nc_set_elem *el = nc_set_add_elem(out, (uint32_t)set);
	uint16_t be = htons((uint16_t)port);

	if (!el)
		return -1;
	memcpy(el->key, &be, 2);
	el->flags = flags;
	return 0;
}

static int lin_set(const struct nc_multiport *m, const struct nc_rule *r,
		   struct nc_exprs *out)
{
	uint32_t off = m->which == MP_SRC ? 0 : 2;
	bool interval = false;
	struct nc_expr *x;
	int set;

	for (size_t i = 0; i < m->n; i++)
		interval |= m->lo[i] != m->hi[i];
	set = nc_exprs_add_set(out, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT |
			       (interval ? NFT_SET_INTERVAL : 0),
			       TYPE_INET_SERVICE, 2, 0, 0);
	if (set < 0 || set_udata(out, set, interval, r->proto, off) < 0)
		return -1;
	if (interval && m->lo[0] != 0 && add_key(out, set, 0, NFT_SET_ELEM_INTERVAL_END) < 0)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		if (add_key(out, set, m->lo[i], 0) < 0)
			return -1;
		if (interval && m->hi[i] != 65535 &&
		    add_key(out, set, m->hi[i] + 1u, NFT_SET_ELEM_INTERVAL_END) < 0)
			return -1;
	}
	out->sets[set].size = (uint32_t)out->sets[set].nelems;
	if (nc_expr_payload(out, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2) < 0 ||
	    !(x = nc_exprs_add(out, NC_E_LOOKUP)))
		return -1;
	x->u.lookup.sreg = NFT_REG_1;
	x->u.lookup.set = (uint32_t)set;
	x->u.lookup.flags = m->inv ? NFT_LOOKUP_F_INV : 0;
	return 0;
}

/* struct xt_multiport_v1 */
struct xt_mp1 {
	uint8_t flags, count;
	uint16_t ports[MP_MAX];
	uint8_t pflags[MP_MAX];
	uint8_t invert;
};

static int lin_xt(const struct nc_multiport *m, const struct nc_rule *r,
		  struct nc_exprs *out)
{
	struct xt_mp1 info;
	size_t k = 0;

	memset(&info, 0, sizeof(info));
	info.flags = m->which;
	for (size_t i = 0; i < m->n; i++) {
		info.ports[k] = m->lo[i];
		if (m->lo[i] != m->hi[i]) {
			info.pflags[k++] = 1;
			info.ports[k] = m->hi[i];
		}
		k++;
	}
	info.count = (uint8_t)k;
	info.invert = m->inv;
	/* nft_compat checks the protocol against the rule's compat data */
	out->compat = true;
	out->compat_proto = r->proto;
	out->compat_flags = 0;
	return nc_expr_xt(out, NC_E_MATCH, "multiport", 1, &info, sizeof(info));
}

static int mp_linearize(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_exprs *out)
{
	const struct nc_multiport *m = e->data;

	return m->which == MP_EITHER ? lin_xt(m, r, out) : lin_set(m, r, out);
}

static uint16_t key16(const struct nc_set_elem *el)
{
	return (uint16_t)(el->key[0] << 8 | el->key[1]);
}

static int cmp_elem(const void *a, const void *b)
{
	const struct nc_set_elem *x = a, *y = b;
	uint16_t p = key16(x), q = key16(y);

	return p != q ? (p < q ? -1 : 1) :
	       (int)(x->flags & NFT_SET_ELEM_INTERVAL_END) -
	       (int)(y->flags & NFT_SET_ELEM_INTERVAL_END);
}

/* The set's elements as ranges into @m; false when they do not fit. */
static bool from_set(const struct nc_set *s, struct nc_multiport *m)
{
	struct nc_set_elem v[2 * MP_MAX + 1];
	bool interval = s->flags & NFT_SET_INTERVAL;
	size_t n = s->nelems;

	if (n > sizeof(v) / sizeof(v[0]) || !n)
		return false;
	memcpy(v, s->elems, n * sizeof(v[0]));
	qsort(v, n, sizeof(v[0]), cmp_elem);
	m->n = 0;
	for (size_t i = 0; i < n; i++) {
		uint16_t lo = key16(&v[i]), hi = lo;

		if (v[i].flags & NFT_SET_ELEM_INTERVAL_END) {
			if (interval && i == 0 && lo == 0)
				continue;	/* the leading end element */
			return false;
		}
		if (interval) {
			if (i + 1 < n && (v[i + 1].flags & NFT_SET_ELEM_INTERVAL_END)) {
				hi = (uint16_t)(key16(&v[i + 1]) - 1);
				i++;
			} else if (i + 1 == n) {
				hi = 65535;		/* open to the end */
			}
		}
		if (m->n == MP_MAX || hi < lo)
			return false;
		m->lo[m->n] = lo;
		m->hi[m->n] = hi;
		m->n++;
	}
	return m->n && count_ports(m) <= MP_MAX;
}

static int delin_set(struct nc_rule *r, struct nc_expr_cursor *c,
		     struct nc_multiport *m)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1);
	const struct nc_set *s;

	if (!ld || ld->type != NC_E_PAYLOAD ||
	    ld->u.payload.base != NFT_PAYLOAD_TRANSPORT_HEADER ||
	    ld->u.payload.len != 2 || ld->u.payload.dreg != NFT_REG_1 ||
	    (ld->u.payload.offset != 0 && ld->u.payload.offset != 2) ||
	    !x || x->type != NC_E_LOOKUP || x->u.lookup.sreg != NFT_REG_1 ||
	    x->u.lookup.dreg || x->u.lookup.set >= c->l->nsets ||
	    (x->u.lookup.flags & ~NFT_LOOKUP_F_INV))
		return 0;
	s = &c->l->sets[x->u.lookup.set];
	if ((s->flags & NFT_SET_MAP) || s->key_len != 2 ||
	    (s->key_type != TYPE_INET_SERVICE && s->key_type != 0) ||
	    !from_set(s, m))
		return 0;
	m->which = ld->u.payload.offset == 0 ? MP_SRC : MP_DST;
	m->inv = x->u.lookup.flags & NFT_LOOKUP_F_INV;
	normalize(m);
	return 2;
}

static int delin_xt(struct nc_rule *r, struct nc_expr_cursor *c,
		    struct nc_multiport *m)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	struct xt_mp1 info;

	if (!x || x->type != NC_E_MATCH || strcmp(x->u.xt.name, "multiport") ||
	    x->u.xt.rev != 1 || x->u.xt.info_len < sizeof(info))
		return 0;
	memcpy(&info, nc_exprs_bytes(c->l, x->u.xt.info_off), sizeof(info));
	if (info.flags > MP_EITHER || !info.count || info.count > MP_MAX ||
	    info.invert > 1)
		return 0;
	for (size_t i = 0; i < info.count; i++) {
		m->lo[m->n] = m->hi[m->n] = info.ports[i];
		if (info.pflags[i]) {
			if (i + 1 == info.count || info.ports[i + 1] < info.ports[i])
				return 0;
			m->hi[m->n] = info.ports[++i];
		}
		m->n++;
	}
	m->which = info.flags;
	m->inv = info.invert;
	return 1;
}

static int mp_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	struct nc_multiport m;
	struct nc_ext *e;
	int used;

	if (!proto_name(r->proto) || (r->invflags & NC_INV_PROTO))
		return 0;
	memset(&m, 0, sizeof(m));
	used = delin_set(r, c, &m);
	if (!used) {
		memset(&m, 0, sizeof(m));
		used = delin_xt(r, c, &m);
	}
	if (!used)
		return 0;
	m.set = true;
	if (!(e = nc_rule_add_match(r, &nc_ext_multiport)))
		return -1;
	memcpy(e->data, &m, sizeof(m));	/* no padding: memset above */
	c->pos += (size_t)used;
	return 1;
}

/* nft text: `tcp dport { 80, 443, 1000-2000 }`, `udp sport != { 53 }` */
static int mp_xlate(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_xlate *x)
{
	const struct nc_multiport *m = e->data;
	const char *proto = nc_proto_name(r->proto, true);

	if (m->which == MP_EITHER || !proto) {
		x->why = "--ports (source or destination) has no nft text natc loads the same";
		return -1;
	}
	nc_buf_printf(x->b, " %s %s %s{ ", proto, m->which == MP_SRC ? "sport" : "dport",
		      m->inv ? "!= " : "");
	for (size_t i = 0; i < m->n; i++) {
		if (i)
			nc_buf_puts(x->b, ", ");
		nc_buf_putu(x->b, m->lo[i]);
		if (m->hi[i] != m->lo[i]) {
			nc_buf_putc(x->b, '-');
			nc_buf_putu(x->b, m->hi[i]);
		}
	}
	nc_buf_puts(x->b, " }");
	return 0;
}

/* --explain */
static void mp_describe(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b)
{
	const struct nc_multiport *m = e->data;
	static const char *const dir[] = { "from", "to", "from or to" };

	nc_buf_printf(b, ", %s %sport%s ", dir[m->which < 3 ? m->which : 2],
		      m->inv ? "any port but " : "", m->n > 1 ? "s" : "");
	for (size_t i = 0; i < m->n; i++) {
		nc_buf_printf(b, "%s%u", i ? (i + 1 == m->n ? " or " : ", ") : "", m->lo[i]);
		if (m->hi[i] != m->lo[i])
			nc_buf_printf(b, "-%u", m->hi[i]);
	}
}

static int mp_packet(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_pkt *p)
{
	const struct nc_multiport *m = e->data;
	bool hit = false;

	if (m->which == MP_SRC && !(p->known & NC_PK_SPORT))
		return NC_PKT_MAYBE;
	if (m->which == MP_DST && !(p->known & NC_PK_DPORT))
		return NC_PKT_MAYBE;
	if (m->which == MP_EITHER &&
	    (p->known & (NC_PK_SPORT | NC_PK_DPORT)) != (NC_PK_SPORT | NC_PK_DPORT))
		return NC_PKT_MAYBE;
	for (size_t i = 0; i < m->n; i++) {
		if (m->which != MP_DST && p->sport >= m->lo[i] && p->sport <= m->hi[i])
			hit = true;
		if (m->which != MP_SRC && p->dport >= m->lo[i] && p->dport <= m->hi[i])
			hit = true;
	}
	return hit != m->inv ? NC_PKT_YES : NC_PKT_NO;
}

const struct nc_ext_ops nc_ext_multiport = {
	.describe = mp_describe,
	.packet = mp_packet,
	.name = "multiport",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_multiport),
	.opts = mp_opts,
	.parse = mp_parse,
	.check = mp_check,
	.equal = mp_equal,
	.save = mp_save,
	.print = mp_print,
	.linearize = mp_linearize,
	.delinearize = mp_delinearize,
	.xlate = mp_xlate,
};
