// SPDX-License-Identifier: GPL-2.0-or-later
/* Mark values and exclusive options shared by MARK and CONNMARK. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ext/xmark.h"

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

int nc_xmark_excl(const struct nc_ext *e, uint32_t given, uint32_t excl,
		  struct nc_err *err)
{
	for (const struct nc_ext_opt *o = e->ops->opts; o->name; o++) {
		uint32_t others = given & excl & ~(1u << o->id);

		if (!(given & excl & (1u << o->id)) || !others)
			continue;
		for (int i = 0; i < 32; i++) {
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
