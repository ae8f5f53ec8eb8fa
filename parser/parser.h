/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Readers: text in, struct nc_cmd out.  The scanner and grammar are pure
 * and reentrant; each call owns its own scanner state.
 */
#ifndef NATC_PARSER_H
#define NATC_PARSER_H

#include "../ir/cmd.h"
#include "../ir/err.h"

/*
 * Parse one iptables command written as text (words separated by blanks,
 * quotes as in iptables-restore).  @line is the line number locations get.
 * Returns the command (caller frees with nc_cmd_free) or NULL with @err set.
 */
struct nc_cmd *nc_parse_line(const char *text, uint32_t line, struct nc_err *err);

/*
 * Parse a command line given as argv (program name excluded).  The words
 * are joined into one line, quoted where needed; that line is stored in
 * *text (caller frees) so locations can be shown against it.
 */
struct nc_cmd *nc_parse_argv(int argc, char *const argv[], char **text,
			     struct nc_err *err);

#endif
