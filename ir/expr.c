// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ir/expr.h"

const char *nc_expr_kind_name(enum nc_expr_type type)
{
	static const char *const names[] = {
		[NC_E_META] = "meta", [NC_E_CMP] = "cmp",
		[NC_E_PAYLOAD] = "payload", [NC_E_BITWISE] = "bitwise",
		[NC_E_RANGE] = "range", [NC_E_COUNTER] = "counter",
		[NC_E_IMMEDIATE] = "immediate", [NC_E_NAT] = "nat",
		[NC_E_MASQ] = "masq", [NC_E_REDIR] = "redir",
		[NC_E_LOOKUP] = "lookup", [NC_E_CT] = "ct",
		[NC_E_LIMIT] = "limit", [NC_E_NUMGEN] = "numgen",
		[NC_E_LOG] = "log", [NC_E_FIB] = "fib",
		[NC_E_MATCH] = "match", [NC_E_TARGET] = "target",
		[NC_E_BYTEORDER] = "byteorder",
	};

	return (unsigned)type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

/* Whether @reg is register 1 or one of the 4-byte registers within it. */
static bool in_reg1(uint32_t reg)
{
	return reg == NFT_REG_1 ||
	       (reg >= NFT_REG32_00 && reg < NFT_REG32_00 + NFT_REG_SIZE / NFT_REG32_SIZE);
}

int nc_expr_reg1_use(const struct nc_expr *x)
{
	switch (x->type) {
	case NC_E_META:
		return x->u.meta.sreg ? -in_reg1(x->u.meta.sreg) : x->u.meta.dreg == NFT_REG_1;
	case NC_E_CT:
		return x->u.ct.sreg ? -in_reg1(x->u.ct.sreg) : x->u.ct.dreg == NFT_REG_1;
	case NC_E_CMP:
		return -in_reg1(x->u.cmp.sreg);
	case NC_E_RANGE:
		return -in_reg1(x->u.range.sreg);
	case NC_E_BITWISE:
		return -in_reg1(x->u.bitwise.sreg);
	case NC_E_BYTEORDER:
		return -in_reg1(x->u.byteorder.sreg);
	case NC_E_LOOKUP:
		return -in_reg1(x->u.lookup.sreg);
	case NC_E_NAT:
		return -(in_reg1(x->u.nat.reg_addr_min) || in_reg1(x->u.nat.reg_addr_max) ||
			 in_reg1(x->u.nat.reg_proto_min) || in_reg1(x->u.nat.reg_proto_max));
	case NC_E_MASQ:
	case NC_E_REDIR:
		return -(in_reg1(x->u.masq.reg_proto_min) || in_reg1(x->u.masq.reg_proto_max));
	case NC_E_PAYLOAD:
		return x->u.payload.dreg == NFT_REG_1;
	case NC_E_IMMEDIATE:
		return x->u.imm.dreg == NFT_REG_1;
	case NC_E_NUMGEN:
		return x->u.numgen.dreg == NFT_REG_1;
	case NC_E_FIB:
		return x->u.fib.dreg == NFT_REG_1;
	case NC_E_COUNTER:
	case NC_E_LIMIT:
	case NC_E_LOG:
	case NC_E_MATCH:
	case NC_E_TARGET:
		return 0;
	default:		/* a kind natc does not know: it may read it */
		return -1;
	}
}

struct nc_expr *nc_exprs_add(struct nc_exprs *l, enum nc_expr_type type)
{
	struct nc_expr *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct nc_expr *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	return e;
}

void nc_exprs_reset(struct nc_exprs *l)
{
	for (size_t i = 0; i < l->nsets; i++)
		l->sets[i].nelems = 0;
	l->n = 0;
	l->nsets = 0;
	l->alen = 0;
	l->udata_off = l->udata_len = 0;
	l->compat = false;
	l->compat_proto = l->compat_flags = 0;
}

void nc_exprs_free(struct nc_exprs *l)
{
	for (size_t i = 0; i < l->setcap; i++)
		free(l->sets[i].elems);
	free(l->sets);
	free(l->arena);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int64_t nc_exprs_store(struct nc_exprs *l, const void *p, size_t len)
{
	size_t off = l->alen;

	if (len > UINT32_MAX - off) {
		errno = E2BIG;
		return -1;
	}
	if (off + len > l->acap) {
		size_t cap = l->acap ? l->acap : 256;
		uint8_t *a;

		while (cap < off + len)
			cap *= 2;
		a = realloc(l->arena, cap);
		if (!a)
			return -1;
		l->arena = a;
		l->acap = cap;
	}
	if (len)
		memcpy(l->arena + off, p, len);
	l->alen += len;
	return (int64_t)off;
}

int nc_exprs_add_set(struct nc_exprs *l, uint32_t flags, uint32_t key_type,
		     uint32_t key_len, uint32_t data_type, uint32_t data_len)
{
	struct nc_set *s;
	struct nc_set_elem *keep;
	size_t keepcap;

	if (key_len > NC_EXPR_MAXLEN || data_len > NC_EXPR_MAXLEN) {
		errno = EINVAL;
		return -1;
	}
	if (l->nsets == l->setcap) {
		size_t cap = l->setcap ? l->setcap * 2 : 2;
		struct nc_set *v = realloc(l->sets, cap * sizeof(*v));

		if (!v)
			return -1;
		memset(v + l->setcap, 0, (cap - l->setcap) * sizeof(*v));
		l->sets = v;
		l->setcap = cap;
	}
	/* a set slot keeps its element storage across resets */
	s = &l->sets[l->nsets];
	keep = s->elems;
	keepcap = s->cap;
	memset(s, 0, sizeof(*s));
	s->elems = keep;
	s->cap = keepcap;
	s->flags = flags;
	s->key_type = key_type;
	s->key_len = key_len;
	s->data_type = data_type;
	s->data_len = data_len;
	return (int)l->nsets++;
}

struct nc_set_elem *nc_set_add_elem(struct nc_exprs *l, uint32_t set)
{
	struct nc_set *s = &l->sets[set];

	if (s->nelems == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct nc_set_elem *v = realloc(s->elems, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->elems = v;
		s->cap = cap;
	}
	memset(&s->elems[s->nelems], 0, sizeof(s->elems[0]));
	return &s->elems[s->nelems++];
}

int nc_exprs_add_udata(struct nc_exprs *l, uint8_t type, const void *v, size_t len)
{
	uint8_t tl[2] = { type, (uint8_t)len };
	int64_t off;

	if (len > 255) {
		errno = E2BIG;
		return -1;
	}
	if (l->udata_len && l->udata_off + l->udata_len != l->alen) {
		errno = EINVAL;	/* not contiguous with the TLVs before */
		return -1;
	}
	off = nc_exprs_store(l, tl, 2);
	if (off < 0 || nc_exprs_store(l, v, len) < 0)
		return -1;
	if (!l->udata_len)
		l->udata_off = (uint32_t)off;
	l->udata_len += (uint32_t)(len + 2);
	return 0;
}

const uint8_t *nc_exprs_udata(const struct nc_exprs *l, uint8_t type, size_t *len)
{
	const uint8_t *p, *end;

	if (!l->udata_len)
		return NULL;
	p = l->arena + l->udata_off;
	end = p + l->udata_len;
	while (end - p >= 2 && p[1] <= end - p - 2) {
		if (p[0] == type) {
			*len = p[1];
			return p + 2;
		}
		p += 2 + p[1];
	}
	return NULL;
}

int nc_exprs_set_comment(struct nc_exprs *l, const char *comment)
{
	return nc_exprs_add_udata(l, NC_UDATA_COMMENT, comment, strlen(comment) + 1);
}

const char *nc_exprs_comment(const struct nc_exprs *l, char *buf, size_t size)
{
	size_t n;
	const uint8_t *v = nc_exprs_udata(l, NC_UDATA_COMMENT, &n);

	if (!v || !n || !size)
		return NULL;
	if (n > size)
		n = size;
	memcpy(buf, v, n);
	buf[n - 1] = '\0';
	return buf;
}

int nc_expr_xt(struct nc_exprs *l, enum nc_expr_type type, const char *name,
	       uint32_t rev, const void *info, size_t len)
{
	struct nc_expr *e;
	int64_t off;

	if (strlen(name) >= sizeof(e->u.xt.name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	off = nc_exprs_store(l, info, len);
	if (off < 0 || !(e = nc_exprs_add(l, type)))
		return -1;
	strcpy(e->u.xt.name, name);
	e->u.xt.rev = rev;
	e->u.xt.info_off = (uint32_t)off;
	e->u.xt.info_len = (uint32_t)len;
	return 0;
}

int nc_expr_meta(struct nc_exprs *l, uint32_t key)
{
	struct nc_expr *e = nc_exprs_add(l, NC_E_META);

	if (!e)
		return -1;
	e->u.meta.key = key;
	e->u.meta.dreg = NFT_REG_1;
	return 0;
}

int nc_expr_payload(struct nc_exprs *l, uint32_t base, uint32_t off, uint32_t len)
{
	struct nc_expr *e = nc_exprs_add(l, NC_E_PAYLOAD);

	if (!e)
		return -1;
	e->u.payload.base = base;
	e->u.payload.offset = off;
	e->u.payload.len = len;
	e->u.payload.dreg = NFT_REG_1;
	return 0;
}

int nc_expr_cmp(struct nc_exprs *l, uint32_t op, const void *data, uint32_t len)
{
	struct nc_expr *e;

	if (len > NC_EXPR_MAXLEN) {
		errno = EINVAL;
		return -1;
	}
	e = nc_exprs_add(l, NC_E_CMP);
	if (!e)
		return -1;
	e->u.cmp.sreg = NFT_REG_1;
	e->u.cmp.op = op;
	e->u.cmp.len = len;
	memcpy(e->u.cmp.data, data, len);
	return 0;
}

int nc_expr_bitwise(struct nc_exprs *l, const void *mask, uint32_t len)
{
	struct nc_expr *e;

	if (len > NC_EXPR_MAXLEN) {
		errno = EINVAL;
		return -1;
	}
	e = nc_exprs_add(l, NC_E_BITWISE);
	if (!e)
		return -1;
	e->u.bitwise.sreg = NFT_REG_1;
	e->u.bitwise.dreg = NFT_REG_1;
	e->u.bitwise.len = len;
	memcpy(e->u.bitwise.mask, mask, len);
	return 0;
}

int nc_expr_between(struct nc_exprs *l, const void *lo, const void *hi,
		    uint32_t len, bool inv)
{
	if (inv)
		return nc_expr_range(l, NFT_RANGE_NEQ, lo, hi, len);
	if (nc_expr_cmp(l, NFT_CMP_GTE, lo, len) < 0)
		return -1;
	return nc_expr_cmp(l, NFT_CMP_LTE, hi, len);
}

int nc_expr_range(struct nc_exprs *l, uint32_t op, const void *from,
		  const void *to, uint32_t len)
{
	struct nc_expr *e;

	if (len > NC_EXPR_MAXLEN) {
		errno = EINVAL;
		return -1;
	}
	e = nc_exprs_add(l, NC_E_RANGE);
	if (!e)
		return -1;
	e->u.range.sreg = NFT_REG_1;
	e->u.range.op = op;
	e->u.range.len = len;
	memcpy(e->u.range.from, from, len);
	memcpy(e->u.range.to, to, len);
	return 0;
}

int nc_expr_imm_data(struct nc_exprs *l, uint32_t dreg, const void *data, uint32_t len)
{
	struct nc_expr *e;

	if (len > NC_EXPR_MAXLEN) {
		errno = EINVAL;
		return -1;
	}
	e = nc_exprs_add(l, NC_E_IMMEDIATE);
	if (!e)
		return -1;
	e->u.imm.dreg = dreg;
	e->u.imm.len = len;
	memcpy(e->u.imm.data, data, len);
	return 0;
}

int nc_expr_imm_verdict(struct nc_exprs *l, int32_t verdict, const char *chain)
{
	struct nc_expr *e = nc_exprs_add(l, NC_E_IMMEDIATE);

	if (!e)
		return -1;
	e->u.imm.dreg = NFT_REG_VERDICT;
	e->u.imm.verdict = verdict;
	if (chain) {
		if (strlen(chain) >= sizeof(e->u.imm.chain)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(e->u.imm.chain, chain);
	}
	return 0;
}

int nc_expr_byteorder(struct nc_exprs *l, uint32_t op, uint32_t len, uint32_t size)
{
	struct nc_expr *e = nc_exprs_add(l, NC_E_BYTEORDER);

	if (!e)
		return -1;
	e->u.byteorder.sreg = NFT_REG_1;
	e->u.byteorder.dreg = NFT_REG_1;
	e->u.byteorder.op = op;
	e->u.byteorder.len = len;
	e->u.byteorder.size = size;
	return 0;
}
