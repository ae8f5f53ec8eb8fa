/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A 32-bit meta key tested against a value or a range, as nft writes
 * `meta length 10`, `meta length != 10-20`, `meta skuid 0-5`: shared by
 * the length and owner matches.
 *   one value:  [meta load KEY] [cmp eq|neq V]            (host order)
 *   a range:    [meta load KEY] [byteorder hton 4 4]
 *               [cmp gte MIN] [cmp lte MAX], or [range neq MIN MAX]
 */
#ifndef NATC_EXT_METARANGE_H
#define NATC_EXT_METARANGE_H

#include "ir/ext.h"

int nc_metarange_linearize(struct nc_exprs *out, uint32_t key, uint32_t min,
			   uint32_t max, bool inv);
/* The test of @key at the cursor: the number of expressions it takes
 * (3 to 5), 0 when it is not one. */
size_t nc_metarange_delinearize(const struct nc_expr_cursor *c, uint32_t key,
				uint32_t *min, uint32_t *max, bool *inv);

/* nft text: " meta KEY [!= ]MIN[-MAX]" */
void nc_metarange_xlate(struct nc_buf *b, const char *key, uint32_t min,
			uint32_t max, bool inv);

#endif
