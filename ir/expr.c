// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "expr.h"

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
	l->n = 0;
}

void nc_exprs_free(struct nc_exprs *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
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
