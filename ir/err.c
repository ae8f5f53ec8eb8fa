// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>
#include "ir/err.h"

static int err_vset(struct nc_err *e, enum nc_status st, const struct nc_loc *loc,
		    bool hint, const char *fmt, va_list ap)
{
	if (e->status != NC_OK)
		return -1;	/* the first error is the one that counts */
	e->status = st;
	e->usage_hint = hint;
	if (loc)
		e->loc = *loc;
	else
		memset(&e->loc, 0, sizeof(e->loc));
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int nc_err_set(struct nc_err *e, enum nc_status st, const struct nc_loc *loc,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, st, loc, false, fmt, ap);
	va_end(ap);
	return -1;
}

int nc_err_param(struct nc_err *e, const struct nc_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, NC_EPARAM, loc, true, fmt, ap);
	va_end(ap);
	return -1;
}

void nc_err_clear(struct nc_err *e)
{
	memset(e, 0, sizeof(*e));
}
