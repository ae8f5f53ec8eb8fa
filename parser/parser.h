/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Readers: text in, struct nc_cmd out.  The scanner and grammar are pure
 * and reentrant; each call owns its own scanner state.
 */
#ifndef NATC_PARSER_H
#define NATC_PARSER_H

#include <stdio.h>
#include "ir/cmd.h"
#include "ir/err.h"

/*
 * The longest line a save file may have, in bytes without its newline.
 * iptables-nft-restore 1.8.9 reads lines in pieces of 10,240 bytes (and
 * takes what follows as a new line); natc refuses a longer line at its
 * location, and a line holding a NUL byte, and reads nothing after it
 * (docs/limits.md).  A line's columns fit a struct nc_loc.
 */
#define NC_LINE_MAX 32768
#define NC_MSG_NUL "NUL byte in a line: not a text file"
#define NC_MSG_LONG_LINE "line longer than 32768 bytes"

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

/*
 * A save file (iptables-save format), read line by line: each line goes
 * to one of these callbacks as soon as it is parsed, so a file of any size
 * is never held as a whole.  A callback returns 0, or -1 after filling the
 * error record it was given, which stops the reading.
 */
struct nc_file_ops {
	/* "*nat"; 1 skips the table's lines unread up to its COMMIT */
	int (*table)(void *user, const char *name, const struct nc_loc *loc);
	/* ":NAME POLICY [packets:bytes]": policy and counters may be NULL */
	int (*chain)(void *user, const char *name, const char *policy,
		     const char *counters, const struct nc_loc *loc);
	/* "COMMIT" */
	int (*commit)(void *user, const struct nc_loc *loc);
	/* a command line, with its "[packets:bytes]" prefix or NULL: @cmd
	 * and @counters are lent for the call (the parser reuses them) */
	int (*command)(void *user, struct nc_cmd *cmd, const char *counters);
};

/*
 * Parse @len bytes of save-file text (read only; no NUL needed after
 * them), whose first line is line @first of the input.  Returns 0 at the
 * end of the text, or -1 with @err set (by the parser or a callback).
 * The scanner's interface: what a save file means is the driver's
 * (parser/savefile.h), which every reader of save files goes through.
 */
int nc_parse_file(const char *text, size_t len, uint32_t first,
		  const struct nc_file_ops *ops, void *user, struct nc_err *err);
/* The same for @family's rules (AF_INET6: natc6's file, whose -4 lines
 * are skipped unread instead of its -6 lines). */
int nc_parse_file_af(const char *text, size_t len, uint32_t first,
		     uint8_t family, const struct nc_file_ops *ops, void *user,
		     struct nc_err *err);

/* All of @f in one malloc'ed buffer followed by two NUL bytes; *@len gets
 * the length without them.  The caller frees it.  NULL with errno on
 * failure. */
char *nc_read_all(FILE *f, size_t *len);

/* All of an input, read only: a big regular file is mapped (no copy and
 * no fresh memory for it), anything else read with nc_read_all().  The
 * text has no NUL after it.  Caller-owned; nc_input_free() when done. */
struct nc_input {
	const char *text;
	size_t len;
	void *map;		/* the mapping, or NULL */
	char *buf;		/* the buffer read, or NULL */
};

/* Read @f into @in; 0, or -1 with errno. */
int nc_input_read(struct nc_input *in, FILE *f);
void nc_input_free(struct nc_input *in);

#endif
