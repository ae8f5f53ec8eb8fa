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

static void warn_add(struct nc_err *e, const struct nc_warn *w)
{
	if (e->nwarn < NC_WARN_MAX)
		e->warn[e->nwarn++] = *w;
	else
		e->warn_lost++;
}

void nc_err_warn(struct nc_err *e, const struct nc_loc *loc, const char *fmt, ...)
{
	struct nc_warn w = { .loc = loc ? *loc : (struct nc_loc){ 0 } };
	va_list ap;
	char *nl;

	va_start(ap, fmt);
	vsnprintf(w.msg, sizeof(w.msg), fmt, ap);
	va_end(ap);
	nl = strchr(w.msg, '\n');	/* one line: cli/ adds the newline */
	if (nl)
		*nl = '\0';
	warn_add(e, &w);
}

void nc_err_clear(struct nc_err *e)
{
	e->status = NC_OK;
	e->usage_hint = false;
	e->input_refused = false;
	memset(&e->loc, 0, sizeof(e->loc));
	memset(e->msg, 0, sizeof(e->msg));
}

void nc_err_take_warnings(struct nc_err *to, struct nc_err *from)
{
	if (to == from)
		return;
	for (unsigned i = 0; i < from->nwarn; i++)
		warn_add(to, &from->warn[i]);
	to->warn_lost += from->warn_lost;
	from->nwarn = 0;
	from->warn_lost = 0;
}
