/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Legacy shell scripts of iptables commands, read without running them:
 * variable assignments and $VAR / ${VAR} expansion, `for x in words; do
 * ... done` loops, backslash continuations, quotes, comments.  Each
 * iptables command found goes to a callback as words (the program name
 * left out); whatever the reader cannot follow (conditionals, functions,
 * command substitution, pipelines, other programs) is reported line by
 * line, never run.
 */
#ifndef NATC_PARSER_SCRIPT_H
#define NATC_PARSER_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nc_script_ops {
	/* an iptables command: @argv without the program; @line its first
	 * line.  0, or -1 to stop (out of memory) */
	int (*command)(void *user, int argc, char **argv, uint32_t line);
	/* a comment: the whole text from '#' */
	int (*comment)(void *user, const char *text, size_t len, uint32_t line);
	/* line @line is not followed, for @why; @iptables: it runs iptables */
	int (*skipped)(void *user, uint32_t line, const char *why, bool iptables);
	/* the script is refused at line @line, for @why (a NUL byte, a line
	 * too long, an expansion past the limits below): the reading stops */
	int (*refuse)(void *user, uint32_t line, const char *why);
};

/* What a script may make (docs/limits.md): a variable's value and an
 * expanded word at most a line's length, NC_LINE_MAX bytes; all the
 * expansions of the script (words, values, loop variables, each loop
 * pass counted again with NC_SCRIPT_PASS_COST more) at most NC_SCRIPT_EXPAND_MAX bytes together, which
 * bounds its time as nested loops would not. */
#define NC_SCRIPT_EXPAND_MAX (64u << 20)
#define NC_SCRIPT_PASS_COST 32	/* bytes a loop pass costs besides its value */
#define NC_MSG_VALUE_LONG "a variable's value or an expanded word longer than 32768 bytes"
#define NC_MSG_EXPAND_MAX "the script expands to more than 64 MiB (its loops and variables)"

/* The most commands the reader walks in one script, each pass of a loop's
 * body counting again (nested loops multiply): 250,000, twice the rules of
 * the largest benchmark.  A script that would walk more is refused at the
 * line of the command past it, before anything unbounded is done. */
#define NC_SCRIPT_MAX_STEPS 250000
#define NC_MSG_STEPS_MAX "the script expands to more than 250000 commands (loops " \
	"repeat them): natc reads no further"

/* Read the script: 0, or -1 (out of memory, or a callback's -1). */
int nc_parse_script(const char *text, size_t len, const struct nc_script_ops *ops,
		    void *user);

/* Whether @text is a shell script rather than an iptables-save file. */
bool nc_text_is_script(const char *text, size_t len);

#endif
