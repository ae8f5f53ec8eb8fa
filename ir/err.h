/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error records.  A pass that fails fills one struct nc_err and returns -1;
 * only cli/ prints it (once, with the source line and a caret when the
 * location is known).  Warnings travel in the same record: a pass that has
 * something to say but goes on adds one with nc_err_warn(), and cli/ prints
 * them, in the order raised, before the error if there is one.  The record
 * is a plain value (fixed arrays, nothing on the heap), so it can live on
 * the stack and be dropped without a free.  The exit status follows
 * iptables:
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

/* A warning: what to say and where (line == 0: no location). */
struct nc_warn {
	struct nc_loc loc;
	char msg[256];		/* one line, without a newline */
};

/* Warnings kept per record: a command raises one or two; a save file of
 * many such lines has the rest counted in warn_lost. */
#define NC_WARN_MAX 8

struct nc_err {
	enum nc_status status;	/* NC_OK while no error was recorded */
	struct nc_loc loc;	/* line == 0: no location */
	bool usage_hint;	/* print iptables' "Try `iptables -h'" line */
	bool input_refused;	/* the input itself is refused (a NUL byte,
				 * an overlong line, a script's expansion
				 * past its limits): nothing after it is
				 * read, even by readers that go on */
	char msg[512];		/* may end in "\n" where iptables prints a
				 * blank line after it */
	unsigned nwarn;		/* warnings in warn[], in the order raised */
	unsigned warn_lost;	/* raised after warn[] was full */
	struct nc_warn warn[NC_WARN_MAX];
};

/* A record with no error and no warning, its buffers left unwritten: a
 * reader makes one per line, and zeroing the 2.7 KiB of a whole record
 * there costs more than the line's parsing. */
static inline void nc_err_init(struct nc_err *e)
{
	e->status = NC_OK;
	e->loc = (struct nc_loc){ 0 };
	e->usage_hint = e->input_refused = false;
	e->msg[0] = '\0';
	e->nwarn = e->warn_lost = 0;
}

/* Record an error (only the first one is kept); always returns -1. */
int nc_err_set(struct nc_err *e, enum nc_status st, const struct nc_loc *loc,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Parameter problem: status 2 and the usage hint. Returns -1. */
int nc_err_param(struct nc_err *e, const struct nc_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Add a warning; it does not count as an error (status is unchanged). */
void nc_err_warn(struct nc_err *e, const struct nc_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Forget the error, so that the pass can go on; the warnings stay (they
 * were raised all the same and are still to be printed). */
void nc_err_clear(struct nc_err *e);
/* Move @from's warnings to the end of @to's, in order, and forget them in
 * @from: a pass with a scratch record hands them on. */
void nc_err_take_warnings(struct nc_err *to, struct nc_err *from);

#endif
