/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The save-file driver: the one reader of what natc-restore,
 * natc-restore-translate and --explain are given.  It knows what a save
 * file means, once:
 *   - which tables natc handles (nat; -T's choice), what becomes of the
 *     others (refused, or skipped), "*table" inside a table, COMMIT
 *     outside one, a table never committed;
 *   - what a ":CHAIN POLICY [p:b]" line may say (a builtin's policy, a
 *     user chain's name, counters);
 *   - a command line's "[p:b]" and -c, -t (refused), -6 (not ours);
 * and hands what is left to a consumer as events in input order: table,
 * chain, command (a built struct nc_job), COMMIT; and, to consumers that
 * want them, the lines no event covers (comments, other tables' lines).
 * A shell script of iptables commands (parser/script.h tells them apart)
 * gives the same command events, with no table or COMMIT.
 *
 * Consumers: backend/exec/restore.c (load), backend/nft/input.c
 * (translation), backend/explain/load.c (audit).
 *
 * A big input can be read in parts (nc_save_opts.parts): each part is
 * scanned and built by a thread of its own, the events are applied in
 * order by the calling thread, so what a consumer sees does not depend on
 * the number of parts (parser/parts.c).
 */
#ifndef NATC_SAVEFILE_H
#define NATC_SAVEFILE_H

#include <stdbool.h>
#include <stdint.h>
#include "ir/build.h"
#include "ir/store.h"

enum nc_save_other {
	NC_SAVE_REFUSE,		/* a table other than nat is an error */
	NC_SAVE_SKIP,		/* ... is skipped (its lines: NC_LINE_OTHER_TABLE) */
};

struct nc_save_opts {
	uint8_t family;
	const char *prog;	/* for messages: "natc-restore" */
	bool counters;		/* -c: "[p:b]" lines set the rules' counters */
	const char *only_table;	/* -T: the one table read, the others
				 * skipped unread; NULL: every table */
	enum nc_save_other other_tables;
	/* a shell script of iptables commands is read as such (otherwise
	 * every input is a save file) */
	bool scripts;
	/* a wg-quick configuration's interface ("%i"; nc_wg_interface() of
	 * the file's name), NULL: not known */
	const char *interface;
	/* an error at a line is handed to ops->error() and reading goes on
	 * with the next line; otherwise it stops the reading */
	bool keep_going;
	/* lines are indexed: events get their line's text, ops->line() gets
	 * the lines no event covers */
	bool lines;
	/* read a big save file in parts, one thread per CPU (ops->prepare
	 * runs in them); NATC_PARTS=N in the environment forces N parts */
	bool parts;
	/* optional: where the parts started (for the tests' NATC_PARTS) */
	struct nc_save_parts *parts_out;
};

#define NC_SAVE_PARTS_MAX 16
struct nc_save_parts {
	unsigned n;
	uint32_t first[NC_SAVE_PARTS_MAX];
};

/* A line as typed: its number and text (without newline or '\r'), when
 * the lines are indexed (or the text of a script's command, "iptables
 * ..."); text NULL otherwise. */
struct nc_save_src {
	uint32_t line;
	const char *text;
	size_t len;
};

enum nc_line_kind {
	NC_LINE_COMMENT,	/* "# ..." (blank lines are not handed on) */
	NC_LINE_OTHER_TABLE,	/* a line of a table natc does not handle */
	NC_LINE_UNREAD,		/* a line that is no iptables command */
	NC_LINE_NOT_FOLLOWED,	/* an iptables command natc could not follow
				 * (a script's conditional, an ip6tables line) */
};

/*
 * Every callback returns 0, or -1 after filling the error record given to
 * nc_save_read() (with keep_going, an error that is not NC_ERESOURCE goes
 * to ops->error() and reading goes on).  What a callback is given is lent
 * for the call.
 */
struct nc_save_ops {
	/* optional: before anything else, whether the input is a script */
	int (*begin)(void *user, bool script);
	/* "*nat": a table natc handles begins */
	int (*table)(void *user, const char *name, const struct nc_loc *loc);
	/* ":NAME POLICY [p:b]", checked: a builtin's policy is ACCEPT or
	 * "-", a user chain's name is a legal one; counters are 0 without
	 * -c or when they do not read as counters (as iptables) */
	int (*chain)(void *user, const char *name, bool builtin, uint64_t packets,
		     uint64_t bytes, const struct nc_loc *loc);
	/* a command, built (its rules' counters set from "[p:b]" with -c);
	 * @job may be changed or its rules taken (set to NULL);
	 * @prepared: what ops->prepare() made of it, or NULL; NC_SAVE_AGAIN
	 * inside a table: read the table again, as from commit */
	int (*command)(void *user, struct nc_job *job, const struct nc_loc *loc,
		       const struct nc_save_src *src, void *prepared);
	/* "COMMIT" of a table natc handles; NC_SAVE_AGAIN: read the table
	 * again, from its "*table" line (see below) */
	int (*commit)(void *user, const struct nc_loc *loc);
	/* optional: a line no other event covers; @why says what it is */
	int (*line)(void *user, enum nc_line_kind kind, const struct nc_save_src *src,
		    const char *why);
	/* optional: a warning, in input order, at @src's line (a script's
	 * warning has no columns, and no text: its columns would be those of
	 * the command's words joined); without it, warnings are added to the
	 * error record given to nc_save_read() (nc_err_warn()), for cli/ */
	int (*warn)(void *user, const struct nc_warn *w, const struct nc_save_src *src);
	/* with keep_going: an error, at @src's line (src->line 0: none) */
	int (*error)(void *user, const struct nc_err *err, const struct nc_save_src *src);
	/* optional, with parts: called in a reader thread, several at once
	 * (@user must only be read), as soon as a job is built; what it puts
	 * in *@prepared must live in @st, the part's store, which goes to
	 * ops->adopt() once the part's events were applied (or is freed). */
	int (*prepare)(const void *user, struct nc_job *job, struct nc_store *st,
		       void **prepared);
	void (*adopt)(void *user, struct nc_store *st);
};

/*
 * A transaction that another writer's commit made stale is made again
 * from its lines: the commit callback (or a command's, when a read finds
 * it stale before the commit) returns NC_SAVE_AGAIN after forgetting what
 * it built of the table, and the driver reads on from
 * the table's "*table" line, with its line numbers; the table's events
 * come again, in order.  Lines no event covers and warnings are not
 * handed on twice.  Only when reading in one go (not in parts, not a
 * script); the consumer bounds how often it asks.
 */
#define NC_SAVE_AGAIN 1

/*
 * Read @len bytes of @text (read only; no NUL needed after them): a save
 * file, or a shell script.  0, or -1 with @err set (by the driver or a
 * callback; located at its line).
 */
int nc_save_read(const char *text, size_t len, const struct nc_save_opts *opts,
		 const struct nc_save_ops *ops, void *user, struct nc_err *err);

#endif
