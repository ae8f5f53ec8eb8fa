/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the scanner and the grammar; private to parser/. */
#ifndef NATC_PARSER_STATE_H
#define NATC_PARSER_STATE_H

#include "ir/cmd.h"
#include "ir/err.h"

struct nc_file_ops;

struct nc_tok {
	int kind;
	char *str;		/* owned until handed to the grammar */
	int num;		/* value of tokens without a string */
	int first_col, last_col;
};

#define NC_PENDING_MAX 32
#define NC_XT_NAMES_MAX 8
#define NC_OPTCACHE_SLOTS 64

#define NC_STRS_BLOCK 960	/* a line's words usually fit in one block,
				 * which malloc keeps in its per-thread cache */

#define NC_WANT_PROTO 3	/* want_ext: the word after -p */

struct nc_parse_state {
	struct nc_cmd *cmd;
	/* the words the scanner makes; a command line's go to its command
	 * (nc_parse_line_done), the others are freed with the state */
	struct nc_store strs;
	struct nc_err *err;
	int start_token;	/* returned first: which input this is */
	int home;		/* the scanner's start condition between words */
	bool eof_newline;	/* the end of a file was given its newline */
	const struct nc_file_ops *ops;	/* save files: where lines go */
	void *user;
	const char *in;		/* save files: the text not yet given to
				 * flex (YY_INPUT, scanner.l) */
	size_t in_left;
	size_t in_run;		/* bytes given of the line being given */
	uint8_t in_stop;	/* NC_STOP_*: the text given stops short */
	uint32_t line;
	int want_args;		/* the next N words are arguments, whatever
				 * they look like */
	int eol_want_args;	/* want_args when the last line ended */
	bool second_of_two;	/* the next word is an option's second
				 * argument (--tcp-flags MASK COMP) */
	bool eol_second_of_two;	/* so when the last line ended */
	struct nc_tok pending[NC_PENDING_MAX];	/* split "-nvL" bundles */
	int npending, next_pending;
	int col;		/* column of the next character */
	char last_opt[64];	/* the last option word, for messages */
	const char *last_word;	/* the last word, for messages: in strs
				 * (the line's), or a constant; never NULL */
	char *qbuf;		/* the quoted word being read */
	size_t qlen, qcap;
	int qcol;		/* the quote being read opened here */
	int wcol;		/* the word being read starts here */
	bool qfailed;
	/* -m NAME / -j NAME words natc has no kind for, in this command:
	 * their options are libxtables extensions' (nc_xt_opt_takes_arg) */
	int want_ext;		/* 0, or the next word is NC_EXT_MATCH + 1
				 * or NC_EXT_TARGET + 1, or -p's protocol
				 * (NC_WANT_PROTO) */
	char xt_names[NC_XT_NAMES_MAX][32];
	int nxt_names;
	/* lookups of recent long option names (a file repeats the same few
	 * on every line), slot by name hash: parser/options.c */
	struct nc_optcache {
		char name[24];	/* "" empty slot */
		int takes;	/* nc_ext_opt_takes_arg() */
		bool has_takes, has_def, ambiguous;
		const void *def;	/* iptables' own option (find_long) */
	} optcache[NC_OPTCACHE_SLOTS];
	const char *slot_name;	/* opt_slot()'s last answer, for the same */
	size_t slot_len;	/* word's second question */
	struct nc_optcache *slot;
	/* short option letters: index + 1 in options.c's table, 0xff none,
	 * 0 not looked up yet */
	uint8_t shortcache[128];
};

/* Why the text given to flex stops short of its end (nc_lex_input()). */
enum { NC_STOP_NONE, NC_STOP_NUL, NC_STOP_LONG };

/* A command line is complete: hand it to the reader (parser/savefile.c). */
int nc_parse_line_done(struct nc_parse_state *st, const char *counters);

static inline struct nc_loc nc_loc_cols(uint32_t line, int first, int last)
{
	struct nc_loc l = { line, (uint16_t)first, (uint16_t)last };
	return l;
}

#endif
