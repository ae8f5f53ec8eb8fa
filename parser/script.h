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
	/* the script walks more than NC_SCRIPT_MAX_STEPS commands: the one
	 * past it is at @line; reading stops there (0: reported, the rest is
	 * not read; -1: stop with an error) */
	int (*too_long)(void *user, uint32_t line);
};

/* The most commands the reader walks in one script, each pass of a loop's
 * body counting again (nested loops multiply): 250,000, twice the rules of
 * the largest benchmark.  A script that would walk more is refused at the
 * line of the command past it, before anything unbounded is done. */
#define NC_SCRIPT_MAX_STEPS 250000

/* Read the script: 0, or -1 (out of memory, or a callback's -1). */
int nc_parse_script(const char *text, size_t len, const struct nc_script_ops *ops,
		    void *user);

/* Whether @text is a shell script rather than an iptables-save file. */
bool nc_text_is_script(const char *text, size_t len);

#endif
