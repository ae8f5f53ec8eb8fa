/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The save-file driver's inside (parser/savefile.c, parser/parts.c):
 * lines become events when they are scanned (in a reader thread when the
 * input is read in parts), and events get their meaning when they are
 * applied, in input order, by the calling thread.
 */
#ifndef NATC_PARSER_DRIVER_H
#define NATC_PARSER_DRIVER_H

#include "parser/savefile.h"
#include "parser/parser.h"
#include "parser/script.h"

enum ev_kind { EV_TABLE, EV_CHAIN, EV_COMMIT, EV_COMMAND, EV_ERROR, EV_IGNORED };

/* One line's event.  Strings and the error are lent (read in one go) or
 * in a part's store (read in parts); the job is the event's. */
struct ev {
	uint8_t kind;
	struct nc_loc loc;
	const char *a, *b, *c;	/* table; chain, policy, counters;
				 * EV_IGNORED: why */
	struct nc_job *job;	/* EV_COMMAND; NULL: @err says why */
	/* EV_ERROR, EV_COMMAND without job: the error; any event: the
	 * warnings raised on its line (NULL: none) */
	const struct nc_err *err;
	void *prep;		/* what ops->prepare() made of the job */
};

enum table_fate { T_HANDLE, T_SKIP_QUIET, T_SKIP, T_REFUSE };

struct drv {
	const struct nc_save_opts *o;
	const struct nc_save_ops *ops;
	void *user;
	struct nc_err *err;
	/* the input, and where each line starts when indexed */
	const char *text;
	size_t len;
	size_t *off;
	uint32_t nlines;
	bool script;
	/* applying */
	uint32_t done;		/* lines up to this one are handed on */
	bool in_table, skip_table;
	enum table_fate fate;
	char table[32];
	struct nc_loc table_loc;
	bool stop;		/* an error that ends the reading */
	/* NC_SAVE_AGAIN: the line to read on from (0: none); lines up to
	 * @seen were read once already */
	uint32_t again, seen;
	/* a script's here-document fed to iptables-restore, read as a save
	 * file: -n (the table is not replaced), and the lines the script's
	 * reader could not expand (handed on in their turn) */
	bool here, noflush;
	const struct nc_script_bad *bad;
	size_t nbad, ibad;
};

/* What becomes of table @name's lines. */
enum table_fate nc_drv_table_fate(const struct nc_save_opts *o, const char *name);
/* A command line, scanned: its event (built job, or the error) in @ev;
 * @e is where an error is written.  Reads only @d's options: any
 * thread. */
void nc_drv_scan_command(const struct drv *d, struct nc_cmd *cmd, const char *counters,
			 struct ev *ev, struct nc_err *e);
/* An event in input order: 0, or -1 when the reading stops (d->err). */
int nc_drv_apply(struct drv *d, const struct ev *ev);
/* Line @line as typed (without newline or '\r'), "" when not indexed. */
const char *nc_drv_line(const struct drv *d, uint32_t line, size_t *len);
/* Read the indexed save file in parts (parser/parts.c); 0 or -1. */
int nc_drv_read_parts(struct drv *d);
/* Read @len bytes of @text from line @first on, in one go (the parser's
 * line 1 is @first): events applied as they come; with keep_going a parse
 * error is applied and reading goes on at the next line.  0 or -1. */
int nc_drv_read_seq(struct drv *d, const char *text, size_t len, uint32_t first);

#endif
