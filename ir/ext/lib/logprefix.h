/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What LOG and NFLOG share: their prefix, as iptables takes and prints it. */
#ifndef NATC_EXT_LOGPREFIX_H
#define NATC_EXT_LOGPREFIX_H

#include "ir/ext.h"

#define NC_LOG_PREFIX_MAX 128	/* NF_LOG_PREFIXLEN, NUL included */

/* Copy @arg into @out (size NC_LOG_PREFIX_MAX) when it is 1..@max bytes
 * without a newline; -1 with iptables' message otherwise. */
int nc_log_prefix_parse(char *out, const char *arg, size_t max, const char *opt,
			const struct nc_loc *loc, struct nc_err *err);
/* " STRING" as xtables_save_string writes it: bare when only letters,
 * digits, '-' and '_', else double-quoted with " \ ' escaped. */
void nc_log_save_string(struct nc_buf *b, const char *s);

/* The NC_E_LOG prefix at @x, NUL-terminated in @out; false if too long. */
bool nc_log_prefix_get(const struct nc_exprs *l, const struct nc_expr *x,
		       char *out);
/* Set the prefix of @x (the last expression of @l); -1 on ENOMEM. */
int nc_log_prefix_set(struct nc_exprs *l, const char *prefix);
/* nft text ` prefix "P"` (nothing for an empty prefix): 0, or -1 with
 * x->why when nft cannot quote it. */
int nc_log_prefix_xlate(struct nc_xlate *x, const char *prefix);

#endif
