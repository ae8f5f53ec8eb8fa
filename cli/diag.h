/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing diagnostics: the only place natc writes an error or a warning. */
#ifndef NATC_DIAG_H
#define NATC_DIAG_H

#include <stdio.h>
#include "ir/err.h"

#define NATC_VERSION "0.1.0"

/*
 * Print @err once, as iptables would ("natc v0.1.0 (nf_tables): ...",
 * plus the usage hint for parameter problems).  With @file set, the
 * message is located ("file:line:col: ") and @text's line is shown with a
 * caret under the columns.  The warnings @err holds come first
 * (nc_diag_warnings()).  Returns the exit status to use.
 */
int nc_diag_print(FILE *f, const char *prog, struct nc_err *err,
		  const char *file, const char *text);

/*
 * Print @err's warnings in the order they were raised and forget them, so
 * that none is printed twice.  On a command line (@file NULL) a warning is
 * printed as iptables prints its extensions' ("warn: ..."); with @file, as
 * an error is, located ("file:line:col: warning: ...") and with @text's
 * line and a caret.  Warnings that did not fit the record are counted.
 */
void nc_diag_warnings(FILE *f, const char *prog, struct nc_err *err,
		      const char *file, const char *text);

/*
 * One warning of @file, whose line is @line (@len bytes; NULL when the
 * columns are not of that line, as for a shell script's command, which
 * is located in its words joined: then no column or caret is printed).
 */
void nc_diag_warn_line(FILE *f, const struct nc_warn *w, const char *file,
		       const char *line, size_t len);

#endif
