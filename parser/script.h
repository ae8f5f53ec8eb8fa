/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Legacy shell scripts of iptables commands, read without running them:
 * variable assignments and $VAR / ${VAR} expansion, `for x in words; do
 * ... done` loops, backslash continuations, quotes, comments, here-documents
 * (<<EOF, <<-EOF, <<'EOF') and iptables-restore fed one; wg-quick
 * configurations (their PreUp and PostUp commands).  Each
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

/* A line of a here-document the reader could not expand as the shell
 * would (command substitution, a variable the script does not set, a
 * `$' left unexpanded); @why NULL: a line joined to the one before by a
 * backslash. */
struct nc_script_bad {
	uint32_t line;
	const char *why;
};

/* iptables-restore fed a here-document: its arguments, and the body as
 * the shell would hand it on, expanded in the script's context (one line
 * of @text for each line of the body, @first the first; a line in @bad is
 * empty in @text). */
struct nc_script_here {
	int argc;
	char **argv;		/* without the program */
	uint32_t line;		/* the command's */
	const char *text;
	size_t len;
	uint32_t first;
	const struct nc_script_bad *bad;
	size_t nbad;
};

struct nc_script_ops {
	/* an iptables command: @argv without the program; @line its first
	 * line.  0, or -1 to stop (out of memory) */
	int (*command)(void *user, int argc, char **argv, uint32_t line);
	/* a comment: the whole text from '#' */
	int (*comment)(void *user, const char *text, size_t len, uint32_t line);
	/* line @line is not followed, for @why; @nat: it runs an iptables
	 * command of the nat table (or may: iptables-restore of a file) */
	int (*skipped)(void *user, uint32_t line, const char *why, bool nat);
	/* the script is refused at line @line, for @why (a NUL byte, a line
	 * too long, an expansion past the limits below): the reading stops */
	int (*refuse)(void *user, uint32_t line, const char *why);
	/* optional: iptables-restore (-nft, -legacy) fed a here-document
	 * (without it, the command is not followed) */
	int (*restore)(void *user, const struct nc_script_here *h);
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
/* The same, @iface the interface a wg-quick configuration's "%i" names
 * (the file's name without ".conf"; NULL: not known, such a command is
 * not followed). */
int nc_parse_script_as(const char *text, size_t len, const char *iface,
		       const struct nc_script_ops *ops, void *user);

/* The interface wg-quick names after the configuration @path (as
 * wg-quick: "(^|/)([a-zA-Z0-9_=+.-]{1,15})\.conf$"), into @buf (16
 * bytes); NULL when it names none. */
const char *nc_wg_interface(const char *path, char *buf);

/* Whether @text is a shell script (or a wg-quick configuration) rather
 * than an iptables-save file: shell syntax outside here-documents (a
 * command, an assignment, a keyword, a here-document), or no "*table" and
 * no COMMIT line at all. */
bool nc_text_is_script(const char *text, size_t len);
/* Whether @text is a wg-quick configuration (an "[Interface]" line): its
 * commands run on the host's table as it is, adding to it. */
bool nc_text_is_wgquick(const char *text, size_t len);

#endif
