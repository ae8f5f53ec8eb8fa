// SPDX-License-Identifier: GPL-2.0-or-later
/* Mark values and exclusive options shared by MARK and CONNMARK. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ext/lib/xmark.h"

/* One number as strtoul(.., 0) reads it; @end gets what follows. */
static int num32(const char *s, uint32_t *v, const char **end)
{
	unsigned long long n;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, &e, 0);
	if (errno || n > 0xffffffffULL)
		return -1;
	*v = (uint32_t)n;
	*end = e;
	return 0;
}

int nc_xmark_num(const char *s, uint32_t *v)
{
	const char *end;

	return num32(s, v, &end) < 0 || *end ? -1 : 0;
}

int nc_xmark_parse(const char *arg, uint32_t *val, uint32_t *mask,
		   const char *tname, const char *opt,
		   const struct nc_loc *loc, struct nc_err *err)
{
	const char *end;

	if (!mask) {
		if (num32(arg, val, &end) < 0 || *end)
			return nc_err_param(err, loc,
				"%s: bad value for option \"--%s\", or out of range (0-4294967295).\n",
				tname, opt);
		return 0;
	}
	*mask = 0xffffffff;
	if (num32(arg, val, &end) < 0 ||
	    (*end && (*end != '/' || num32(end + 1, mask, &end) < 0 || *end)))
		return nc_err_param(err, loc,
			"%s: bad integer value for option \"--%s\", or out of range.\n",
			tname, opt);
	return 0;
}

const struct nc_ext_opt *nc_xmark_opt(const struct nc_ext_ops *ops, int id)
{
	for (const struct nc_ext_opt *o = ops->opts; o->name; o++)
		if (o->id == id)
			return o;
	return NULL;
}

int nc_xmark_excl(const struct nc_ext *e, uint32_t given, const uint32_t *excl,
		  struct nc_err *err)
{
	for (const struct nc_ext_opt *o = e->ops->opts; o->name; o++) {
		uint32_t others;

		if (o->id < 0 || o->id > 31 || !(given & (1u << o->id)))
			continue;
		others = given & excl[o->id] & ~(1u << o->id);
		for (int i = 0; others && i < 32; i++) {
			const struct nc_ext_opt *p;

			if (!(others & (1u << i)) || !(p = nc_xmark_opt(e->ops, i)))
				continue;
			return nc_err_param(err, &e->loc,
				"%s: option \"--%s\" cannot be used together with \"--%s\".\n",
				e->ops->name, o->name, p->name);
		}
	}
	return 0;
}

int nc_xmark_once(const struct nc_ext *e, uint32_t *given,
		  const struct nc_ext_opt *opt, const struct nc_loc *loc,
		  struct nc_err *err)
{
	if (*given & (1u << opt->id))
		return nc_err_param(err, loc,
			"%s: option \"--%s\" can only be used once.\n",
			e->ops->name, opt->name);
	*given |= 1u << opt->id;
	return 0;
}

bool nc_xmark_imm32(const struct nc_expr *x, uint32_t reg, uint32_t *v)
{
	if (!x || x->type != NC_E_IMMEDIATE || x->u.imm.dreg != reg ||
	    x->u.imm.len != 4)
		return false;
	memcpy(v, x->u.imm.data, 4);
	return true;
}

bool nc_xmark_bitwise32(const struct nc_expr *x, uint32_t reg,
			uint32_t *and, uint32_t *xor)
{
	if (!x || x->type != NC_E_BITWISE || x->u.bitwise.sreg != reg ||
	    x->u.bitwise.dreg != reg || x->u.bitwise.len != 4)
		return false;
	memcpy(and, x->u.bitwise.mask, 4);
	memcpy(xor, x->u.bitwise.xor, 4);
	return true;
}

int nc_xmark_bitwise(struct nc_exprs *out, uint32_t and, uint32_t xor)
{
	if (nc_expr_bitwise(out, &and, 4) < 0)
		return -1;
	memcpy(out->v[out->n - 1].u.bitwise.xor, &xor, 4);
	return 0;
}

static struct nc_expr *reg_expr(struct nc_exprs *out, enum nc_expr_type type,
				uint32_t key)
{
	struct nc_expr *x = nc_exprs_add(out, type);

	if (!x)
		return NULL;
	if (type == NC_E_CT) {
		x->u.ct.key = key;
		x->u.ct.dir = -1;
	} else {
		x->u.meta.key = key;
	}
	return x;
}

int nc_xmark_load(struct nc_exprs *out, enum nc_expr_type type, uint32_t key)
{
	struct nc_expr *x = reg_expr(out, type, key);

	if (!x)
		return -1;
	if (type == NC_E_CT)
		x->u.ct.dreg = NFT_REG_1;
	else
		x->u.meta.dreg = NFT_REG_1;
	return 0;
}

int nc_xmark_store(struct nc_exprs *out, enum nc_expr_type type, uint32_t key)
{
	struct nc_expr *x = reg_expr(out, type, key);

	if (!x)
		return -1;
	if (type == NC_E_CT)
		x->u.ct.sreg = NFT_REG_1;
	else
		x->u.meta.sreg = NFT_REG_1;
	return 0;
}

static bool is_reg(const struct nc_expr *x, enum nc_expr_type type, uint32_t key,
		   bool store)
{
	uint32_t dreg, sreg;

	if (!x || x->type != type)
		return false;
	if (type == NC_E_CT) {
		if (x->u.ct.key != key || x->u.ct.dir != -1)
			return false;
		dreg = x->u.ct.dreg;
		sreg = x->u.ct.sreg;
	} else {
		if (x->u.meta.key != key)
			return false;
		dreg = x->u.meta.dreg;
		sreg = x->u.meta.sreg;
	}
	return store ? sreg == NFT_REG_1 && !dreg : dreg == NFT_REG_1 && !sreg;
}

bool nc_xmark_is_load(const struct nc_expr *x, enum nc_expr_type type, uint32_t key)
{
	return is_reg(x, type, key, false);
}

bool nc_xmark_is_store(const struct nc_expr *x, enum nc_expr_type type, uint32_t key)
{
	return is_reg(x, type, key, true);
}

uint32_t nc_xmark_key(enum nc_expr_type type)
{
	return type == NC_E_CT ? NFT_CT_MARK : NFT_META_MARK;
}

size_t nc_xmark_match(const struct nc_expr_cursor *c, enum nc_expr_type *src,
		      enum nc_expr_type dst, uint32_t *and, uint32_t *xor)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	size_t n = 1;

	*and = 0xffffffff;
	*xor = 0;
	if (nc_xmark_imm32(x, NFT_REG_1, xor)) {
		*and = 0;
		*src = NC_E_IMMEDIATE;
	} else if (x && (x->type == NC_E_META || x->type == NC_E_CT) &&
		   nc_xmark_is_load(x, x->type, nc_xmark_key(x->type))) {
		*src = x->type;
		if (nc_xmark_bitwise32(nc_cursor_peek(c, 1), NFT_REG_1, and, xor))
			n = 2;
	} else {
		return 0;
	}
	return nc_xmark_is_store(nc_cursor_peek(c, n), dst, nc_xmark_key(dst)) ? n + 1 : 0;
}

void nc_xmark_describe(struct nc_buf *b, const char *what, uint32_t val,
		       uint32_t mask)
{
	if (mask == 0xffffffff)
		nc_buf_printf(b, "the %s set to 0x%x", what, val);
	else if (val == mask)
		nc_buf_printf(b, "bits 0x%x of the %s set", val, what);
	else if (val == 0)
		nc_buf_printf(b, "bits 0x%x of the %s cleared", mask, what);
	else if (mask == 0)
		nc_buf_printf(b, "the %s XORed with 0x%x", what, val);
	else
		nc_buf_printf(b, "bits 0x%x of the %s set to 0x%x", mask, what,
			      val & mask);
}
