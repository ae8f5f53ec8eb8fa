// SPDX-License-Identifier: GPL-2.0-or-later
/* A 32-bit meta key against a value or range (see metarange.h). */
#include <arpa/inet.h>
#include <string.h>
#include "ir/ext/lib/metarange.h"

int nc_metarange_linearize(struct nc_exprs *out, uint32_t key, uint32_t min,
			   uint32_t max, bool inv)
{
	uint32_t lo = htonl(min), hi = htonl(max);

	if (nc_expr_meta(out, key) < 0)
		return -1;
	if (min == max)
		return nc_expr_cmp(out, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &min, 4);
	if (nc_expr_byteorder(out, NFT_BYTEORDER_HTON, 4, 4) < 0)
		return -1;
	return nc_expr_between(out, &lo, &hi, 4, inv);
}

static bool is_cmp(const struct nc_expr *x, uint32_t op)
{
	return x && x->type == NC_E_CMP && x->u.cmp.op == op &&
	       x->u.cmp.len == 4 && x->u.cmp.sreg == NFT_REG_1;
}

size_t nc_metarange_delinearize(const struct nc_expr_cursor *c, uint32_t key,
				uint32_t *min, uint32_t *max, bool *inv)
{
	const struct nc_expr *ld = nc_cursor_peek(c, 0), *x = nc_cursor_peek(c, 1),
			     *y = nc_cursor_peek(c, 2), *z = nc_cursor_peek(c, 3);
	uint32_t v;

	if (!ld || ld->type != NC_E_META || ld->u.meta.key != key ||
	    ld->u.meta.sreg || ld->u.meta.dreg != NFT_REG_1 || !x)
		return 0;
	if (is_cmp(x, NFT_CMP_EQ) || is_cmp(x, NFT_CMP_NEQ)) {
		memcpy(&v, x->u.cmp.data, 4);
		*min = *max = v;
		*inv = x->u.cmp.op == NFT_CMP_NEQ;
		return 2;
	}
	if (x->type != NC_E_BYTEORDER || x->u.byteorder.op != NFT_BYTEORDER_HTON ||
	    x->u.byteorder.len != 4 || x->u.byteorder.size != 4 ||
	    x->u.byteorder.sreg != NFT_REG_1 || x->u.byteorder.dreg != NFT_REG_1 || !y)
		return 0;
	if (y->type == NC_E_RANGE && y->u.range.op == NFT_RANGE_NEQ &&
	    y->u.range.len == 4 && y->u.range.sreg == NFT_REG_1) {
		memcpy(&v, y->u.range.from, 4);
		*min = ntohl(v);
		memcpy(&v, y->u.range.to, 4);
		*max = ntohl(v);
		*inv = true;
		return 3;
	}
	if (is_cmp(y, NFT_CMP_GTE) && is_cmp(z, NFT_CMP_LTE)) {
		memcpy(&v, y->u.cmp.data, 4);
		*min = ntohl(v);
		memcpy(&v, z->u.cmp.data, 4);
		*max = ntohl(v);
		*inv = false;
		return 4;
	}
	return 0;
}

void nc_metarange_xlate(struct nc_buf *b, const char *key, uint32_t min,
			uint32_t max, bool inv)
{
	nc_buf_puts(b, " meta ");
	nc_buf_puts(b, key);
	nc_buf_puts(b, inv ? " != " : " ");
	nc_buf_putu(b, min);
	if (max != min) {
		nc_buf_putc(b, '-');
		nc_buf_putu(b, max);
	}
}
