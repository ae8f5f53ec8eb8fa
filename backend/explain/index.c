// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which rules of a chain can possibly see a packet, or cover a rule,
 * without asking every rule: the walker (walk.c) and shadowed-rule
 * (f_chains.c) would otherwise compare everything with everything, and a
 * ruleset of n rules would cost n * n.
 *
 * A rule is filed under one key per dimension (its exact input or output
 * interface, its source or destination prefix, its protocol, its exact
 * destination port, its destination address and port together (port
 * forwards share addresses and ports, rarely both), its first match), or
 * in the dimension's free list
 * when it tests nothing there that rules a packet out for sure (no test,
 * an inverted one, a wildcard).  A query takes the dimension where the
 * fewest rules remain (free list plus the buckets the packet or rule can
 * meet) and hands back those rules in chain order: every other rule
 * certainly answers no (walk) or cannot cover (shadowed-rule), so the
 * callers ask the remaining ones as before and the results are the same.
 * Keys are 64-bit hashes of what they stand for: a collision only adds
 * rules to ask.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "backend/explain/explain.h"
#include "ir/ext.h"
#include "ir/ext/lib/ports.h"
#include "ir/parse.h"

enum { D_IIF, D_OIF, D_SRC, D_DST, D_PROTO, D_DPORT, D_DSTPORT, D_MATCH, D_N };

struct list {
	uint32_t *v;
	size_t n, cap;
};

struct slot {
	uint64_t key;		/* 0: empty */
	struct list l;
};

struct nc_xp_index {
	struct slot *slots;
	size_t nslots, used;
	struct list free[D_N];
	uint64_t plens[2][3];	/* D_SRC, D_DST: prefix lengths filed (0..128) */
	bool failed;
};

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;	/* FNV-1a */
	return h;
}

static uint64_t key_of(int dim, const void *p, size_t n)
{
	uint64_t h = mix(0xcbf29ce484222325ULL, &dim, sizeof(dim));

	h = mix(h, p, n);
	return h ? h : 1;
}

static int list_add(struct list *l, uint32_t i)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		uint32_t *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = i;
	return 0;
}

static struct slot *slot_find(const struct nc_xp_index *ix, uint64_t key)
{
	if (!ix->nslots)
		return NULL;
	for (size_t i = key & (ix->nslots - 1);; i = (i + 1) & (ix->nslots - 1)) {
		if (ix->slots[i].key == key)
			return &ix->slots[i];
		if (!ix->slots[i].key)
			return NULL;
	}
}

static int grow(struct nc_xp_index *ix)
{
	size_t n = ix->nslots ? ix->nslots * 2 : 64;
	struct slot *s = calloc(n, sizeof(*s));

	if (!s)
		return -1;
	for (size_t i = 0; i < ix->nslots; i++) {
		size_t k;

		if (!ix->slots[i].key)
			continue;
		for (k = ix->slots[i].key & (n - 1); s[k].key; k = (k + 1) & (n - 1))
			;
		s[k] = ix->slots[i];
	}
	free(ix->slots);
	ix->slots = s;
	ix->nslots = n;
	return 0;
}

static int file_under(struct nc_xp_index *ix, uint64_t key, uint32_t i)
{
	struct slot *s = slot_find(ix, key);

	if (!s) {
		size_t k;

		if ((ix->used + 1) * 2 > ix->nslots && grow(ix) < 0)
			return -1;
		for (k = key & (ix->nslots - 1); ix->slots[k].key; k = (k + 1) & (ix->nslots - 1))
			;
		s = &ix->slots[k];
		s->key = key;
		ix->used++;
	}
	return list_add(&s->l, i);
}

static uint8_t proto_of_ports(const struct nc_ext_ops *ops)
{
	return ops == &nc_ext_tcp ? IPPROTO_TCP : ops == &nc_ext_udp ? IPPROTO_UDP :
	       ops == &nc_ext_sctp ? IPPROTO_SCTP : 0;
}

/* A match of ports with one exact destination port: the key of D_DPORT. */
static bool dport_key(const struct nc_ext *e, uint64_t *key)
{
	const struct nc_ports *pp = e->data;
	struct { uint8_t proto; uint16_t port; } k;

	if (!proto_of_ports(e->ops) || !(pp->have & NC_PORTS_DST) ||
	    (pp->inv & NC_PORTS_DST) || pp->dpts[0] != pp->dpts[1])
		return false;
	memset(&k, 0, sizeof(k));
	k.proto = proto_of_ports(e->ops);
	k.port = pp->dpts[0];
	*key = key_of(D_DPORT, &k, sizeof(k));
	return true;
}

/* D_DSTPORT: a full destination address with a D_DPORT key */
static uint64_t dstport_key(const union nc_addr *dst, uint8_t family, uint64_t dport)
{
	union nc_addr d;
	uint64_t h;

	memset(&d, 0, sizeof(d));
	memcpy(d.b, dst->b, family == AF_INET6 ? 16 : 4);
	h = key_of(D_DSTPORT, &d, sizeof(d));

	h = mix(h, &dport, sizeof(dport));
	return h ? h : 1;
}

static uint64_t match_key(const struct nc_ext *e)
{
	uint64_t h = key_of(D_MATCH, &e->ops, sizeof(e->ops));

	h = mix(h, e->data, e->ops->size);
	return h ? h : 1;
}

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static uint64_t prefix_key(int dim, const union nc_addr *a, int plen, uint8_t family)
{
	struct { int plen; union nc_addr a; } k;

	memset(&k, 0, sizeof(k));
	k.plen = plen;
	for (size_t i = 0; i < alen(family); i++) {
		int bits = plen - (int)i * 8;

		k.a.b[i] = bits >= 8 ? a->b[i] :
			   bits > 0 ? (uint8_t)(a->b[i] & (0xff << (8 - bits))) : 0;
	}
	return key_of(dim, &k, sizeof(k));
}

static bool iface_exact(const struct nc_iface *i, bool inv)
{
	size_t n = strlen(i->name);

	return n && !inv && i->name[n - 1] != '+';
}

/* The key rule @r is filed under in @dim; false: the free list. */
static bool rule_key(const struct nc_rule *r, int dim, uint64_t *key)
{
	int plen;

	if (r->unknown)
		return false;
	switch (dim) {
	case D_IIF:
		if (!iface_exact(&r->in, r->invflags & NC_INV_IN))
			return false;
		*key = key_of(dim, r->in.name, strlen(r->in.name));
		return true;
	case D_OIF:
		if (!iface_exact(&r->out, r->invflags & NC_INV_OUT))
			return false;
		*key = key_of(dim, r->out.name, strlen(r->out.name));
		return true;
	case D_SRC:
		plen = nc_mask_to_prefix(&r->smsk, r->family);
		if (plen <= 0 || (r->invflags & NC_INV_SRC))
			return false;
		*key = prefix_key(dim, &r->src, plen, r->family);
		return true;
	case D_DST:
		plen = nc_mask_to_prefix(&r->dmsk, r->family);
		if (plen <= 0 || (r->invflags & NC_INV_DST))
			return false;
		*key = prefix_key(dim, &r->dst, plen, r->family);
		return true;
	case D_PROTO:
		if (!r->proto || (r->invflags & NC_INV_PROTO))
			return false;
		*key = key_of(dim, &r->proto, sizeof(r->proto));
		return true;
	case D_DPORT:
		for (size_t i = 0; i < r->nmatches; i++)
			if (dport_key(&r->matches[i], key))
				return true;
		return false;
	case D_DSTPORT:
		plen = nc_mask_to_prefix(&r->dmsk, r->family);
		if (plen != (r->family == AF_INET6 ? 128 : 32) || (r->invflags & NC_INV_DST))
			return false;
		for (size_t i = 0; i < r->nmatches; i++)
			if (dport_key(&r->matches[i], key)) {
				*key = dstport_key(&r->dst, r->family, *key);
				return true;
			}
		return false;
	case D_MATCH:
		if (!r->nmatches)
			return false;
		*key = match_key(&r->matches[0]);
		return true;
	}
	return false;
}

struct nc_xp_index *nc_xp_index_new(void)
{
	return calloc(1, sizeof(struct nc_xp_index));
}

void nc_xp_index_free(struct nc_xp_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nslots; i++)
		free(ix->slots[i].l.v);
	for (size_t d = 0; d < D_N; d++)
		free(ix->free[d].v);
	free(ix->slots);
	free(ix);
}

void nc_xp_index_add(struct nc_xp_index *ix, const struct nc_rule *r, uint32_t i)
{
	for (int d = 0; d < D_N && !ix->failed; d++) {
		uint64_t key;
		int rc;

		if (rule_key(r, d, &key)) {
			rc = file_under(ix, key, i);
			if (d == D_SRC || d == D_DST) {
				int plen = nc_mask_to_prefix(d == D_SRC ? &r->smsk : &r->dmsk,
							     r->family);

				ix->plens[d - D_SRC][plen / 64] |= 1ULL << (plen % 64);
			}
		} else {
			rc = list_add(&ix->free[d], i);
		}
		if (rc < 0)
			ix->failed = true;
	}
}

/* The keys a query meets in one dimension. */
struct probe {
	uint64_t keys[130];
	size_t n;
};

static void probe_add(struct probe *pr, uint64_t key)
{
	for (size_t i = 0; i < pr->n; i++)
		if (pr->keys[i] == key)
			return;
	if (pr->n < sizeof(pr->keys) / sizeof(pr->keys[0]))
		pr->keys[pr->n++] = key;
}

/* The prefixes filed in @dim that contain @a/@plen. */
static void probe_prefixes(const struct nc_xp_index *ix, int dim, const union nc_addr *a,
			   int plen, uint8_t family, struct probe *pr)
{
	for (int q = 1; q <= plen; q++)
		if (ix->plens[dim - D_SRC][q / 64] & (1ULL << (q % 64)))
			probe_add(pr, prefix_key(dim, a, q, family));
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The dimension of @pr (usable[d]) leaving the fewest rules: their
 * indexes, sorted, in *out (caller frees); -1: all of them (nothing
 * usable, or out of memory). */
static ssize_t pick(const struct nc_xp_index *ix, const struct probe pr[D_N],
		    const bool usable[D_N], uint32_t **out)
{
	size_t best = SIZE_MAX, n = 0;
	int bd = -1;
	uint32_t *v;

	if (ix->failed)
		return -1;
	for (int d = 0; d < D_N; d++) {
		size_t c;

		if (!usable[d])
			continue;
		c = ix->free[d].n;
		for (size_t k = 0; k < pr[d].n; k++) {
			const struct slot *s = slot_find(ix, pr[d].keys[k]);

			c += s ? s->l.n : 0;
		}
		if (c < best) {
			best = c;
			bd = d;
		}
	}
	if (bd < 0)
		return -1;
	v = malloc((best ? best : 1) * sizeof(*v));
	if (!v)
		return -1;
	n = ix->free[bd].n;
	if (n)
		memcpy(v, ix->free[bd].v, n * sizeof(*v));
	for (size_t k = 0; k < pr[bd].n; k++) {
		const struct slot *s = slot_find(ix, pr[bd].keys[k]);

		if (s) {
			memcpy(v + n, s->l.v, s->l.n * sizeof(*v));
			n += s->l.n;
		}
	}
	if (n != ix->free[bd].n)	/* several lists: back to chain order */
		qsort(v, n, sizeof(*v), cmp_u32);
	*out = v;
	return (ssize_t)n;
}

ssize_t nc_xp_index_packet(const struct nc_xp_index *ix, const struct nc_pkt *p,
			   uint32_t **out)
{
	struct probe pr[D_N];
	bool usable[D_N] = { 0 };
	int full = p->family == AF_INET6 ? 128 : 32;

	for (int d = 0; d < D_N; d++)
		pr[d].n = 0;
	if (p->known & NC_PK_IIF) {
		usable[D_IIF] = true;
		probe_add(&pr[D_IIF], key_of(D_IIF, p->iif, strnlen(p->iif, sizeof(p->iif))));
	}
	if (p->known & NC_PK_OIF) {
		usable[D_OIF] = true;
		probe_add(&pr[D_OIF], key_of(D_OIF, p->oif, strnlen(p->oif, sizeof(p->oif))));
	}
	if (p->known & NC_PK_SRC) {
		usable[D_SRC] = true;
		probe_prefixes(ix, D_SRC, &p->src, full, p->family, &pr[D_SRC]);
	}
	if (p->known & NC_PK_DST) {
		usable[D_DST] = true;
		probe_prefixes(ix, D_DST, &p->dst, full, p->family, &pr[D_DST]);
	}
	if (p->known & NC_PK_PROTO) {
		usable[D_PROTO] = true;
		probe_add(&pr[D_PROTO], key_of(D_PROTO, &p->proto, sizeof(p->proto)));
	}
	if ((p->known & NC_PK_PROTO) && (p->known & NC_PK_DPORT)) {
		struct { uint8_t proto; uint16_t port; } k;

		/* a protocol without ports meets no rule filed here */
		memset(&k, 0, sizeof(k));
		k.proto = p->proto;
		k.port = p->dport;
		usable[D_DPORT] = true;
		if (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP ||
		    p->proto == IPPROTO_SCTP)
			probe_add(&pr[D_DPORT], key_of(D_DPORT, &k, sizeof(k)));
		if (p->known & NC_PK_DST) {
			usable[D_DSTPORT] = true;
			if (pr[D_DPORT].n)
				probe_add(&pr[D_DSTPORT], dstport_key(&p->dst, p->family,
								       pr[D_DPORT].keys[0]));
		}
	}
	return pick(ix, pr, usable, out);
}

ssize_t nc_xp_index_rule(const struct nc_xp_index *ix, const struct nc_rule *b,
			 uint32_t **out)
{
	struct probe pr[D_N];
	bool usable[D_N];
	uint64_t key;
	int plen;

	for (int d = 0; d < D_N; d++) {
		pr[d].n = 0;
		usable[d] = true;
	}
	if (b->unknown)
		return -1;
	/* what a rule filed there must have for covering @b: the same
	 * interface, a prefix containing b's, the same protocol, b's
	 * destination port, one of b's matches */
	if (rule_key(b, D_IIF, &key))
		probe_add(&pr[D_IIF], key);
	if (rule_key(b, D_OIF, &key))
		probe_add(&pr[D_OIF], key);
	plen = nc_mask_to_prefix(&b->smsk, b->family);
	if (plen > 0 && !(b->invflags & NC_INV_SRC))
		probe_prefixes(ix, D_SRC, &b->src, plen, b->family, &pr[D_SRC]);
	plen = nc_mask_to_prefix(&b->dmsk, b->family);
	if (plen > 0 && !(b->invflags & NC_INV_DST))
		probe_prefixes(ix, D_DST, &b->dst, plen, b->family, &pr[D_DST]);
	if (rule_key(b, D_PROTO, &key))
		probe_add(&pr[D_PROTO], key);
	plen = nc_mask_to_prefix(&b->dmsk, b->family);
	for (size_t i = 0; i < b->nmatches; i++) {
		if (dport_key(&b->matches[i], &key)) {
			probe_add(&pr[D_DPORT], key);
			if (plen == (b->family == AF_INET6 ? 128 : 32) &&
			    !(b->invflags & NC_INV_DST))
				probe_add(&pr[D_DSTPORT], dstport_key(&b->dst, b->family, key));
		}
		probe_add(&pr[D_MATCH], match_key(&b->matches[i]));
	}
	return pick(ix, pr, usable, out);
}
