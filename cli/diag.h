/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing diagnostics: the only place natc writes an error. */
#ifndef NATC_DIAG_H
#define NATC_DIAG_H

#include <stdio.h>
#include "ir/err.h"

#define NATC_VERSION "0.1.0"

/*
 * Print @err once, as iptables would ("natc v0.1.0 (nf_tables): ...",
 * plus the usage hint for parameter problems).  With @file set, the
 * message is located ("file:line:col: ") and @text's line is shown with a
 * caret under the columns.  Returns the exit status to use.
 */
int nc_diag_print(FILE *f, const char *prog, const struct nc_err *err,
		  const char *file, const char *text);

#endif
