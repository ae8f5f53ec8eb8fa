/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error records.  A pass that fails fills one struct nc_err and returns -1;
 * only cli/ prints it (once, with the source line and a caret when the
 * location is known).  The exit status follows iptables:
 */
#ifndef NATC_ERR_H
#define NATC_ERR_H

#include <stdarg.h>
#include "ir/ir.h"

enum nc_status {
	NC_OK = 0,
	NC_EOTHER = 1,		/* other problem */
	NC_EPARAM = 2,		/* parameter problem */
	NC_EVERSION = 3,	/* version problem */
	NC_ERESOURCE = 4,	/* resource or kernel problem */
};

/* iptables' words (and blank lines) for DROP in the nat table */
#define NC_MSG_DROP "\nThe \"nat\" table is not intended for filtering, " \
	"the use of DROP is therefore inhibited.\n\n"

struct nc_err {
	enum nc_status status;	/* NC_OK while no error was recorded */
	struct nc_loc loc;	/* line == 0: no location */
	bool usage_hint;	/* print iptables' "Try `iptables -h'" line */
	char msg[512];		/* may end in "\n" where iptables prints a
				 * blank line after it */
};

/* Record an error (only the first one is kept); always returns -1. */
int nc_err_set(struct nc_err *e, enum nc_status st, const struct nc_loc *loc,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Parameter problem: status 2 and the usage hint. Returns -1. */
int nc_err_param(struct nc_err *e, const struct nc_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void nc_err_clear(struct nc_err *e);

#endif
