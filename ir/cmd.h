/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A parsed command, as the grammar saw it: the command letter with its
 * arguments and the options in the order they were typed, each with its
 * location.  Nothing here is checked yet: ir/build.c turns a command into
 * rules and reports what is wrong with it.
 *
 * struct nc_cmd owns every string in it; free it with nc_cmd_free().
 */
#ifndef NATC_CMD_H
#define NATC_CMD_H

#include "ir/store.h"
#include "ir/ir.h"

enum nc_cmd_kind {
	NC_CMD_NONE = 0,
	NC_CMD_APPEND,		/* -A chain */
	NC_CMD_CHECK,		/* -C chain */
	NC_CMD_DELETE,		/* -D chain [rulenum] */
	NC_CMD_INSERT,		/* -I chain [rulenum] */
	NC_CMD_REPLACE,		/* -R chain rulenum */
	NC_CMD_LIST,		/* -L [chain [rulenum]] */
	NC_CMD_LIST_RULES,	/* -S [chain [rulenum]] */
	NC_CMD_FLUSH,		/* -F [chain] */
	NC_CMD_ZERO,		/* -Z [chain [rulenum]] */
	NC_CMD_NEW_CHAIN,	/* -N chain */
	NC_CMD_DELETE_CHAIN,	/* -X [chain] */
	NC_CMD_POLICY,		/* -P chain target */
	NC_CMD_RENAME_CHAIN,	/* -E old new */
	NC_CMD_HELP,		/* -h */
	NC_CMD_VERSION,		/* -V */
	NC_CMD_MAX
};

/* Generic options; extension options use NC_OPT_EXT with a name. */
enum nc_opt_kind {
	NC_OPT_SOURCE = 1,	/* -s */
	NC_OPT_DEST,		/* -d */
	NC_OPT_PROTO,		/* -p */
	NC_OPT_IN,		/* -i */
	NC_OPT_OUT,		/* -o */
	NC_OPT_FRAG,		/* -f */
	NC_OPT_JUMP,		/* -j */
	NC_OPT_GOTO,		/* -g */
	NC_OPT_MATCH,		/* -m */
	NC_OPT_TABLE,		/* -t */
	NC_OPT_VERBOSE,		/* -v */
	NC_OPT_NUMERIC,		/* -n */
	NC_OPT_EXACT,		/* -x */
	NC_OPT_LINENUMBERS,	/* --line-numbers */
	NC_OPT_WAIT,		/* -w [seconds] */
	NC_OPT_WAIT_INTERVAL,	/* -W usecs */
	NC_OPT_COUNTERS,	/* -c packets bytes */
	NC_OPT_IPV4,		/* -4 */
	NC_OPT_IPV6,		/* -6 */
	NC_OPT_MODPROBE,	/* --modprobe cmd */
	NC_OPT_EXT,		/* --name [arg] of a match or target */
};

struct nc_cmd_opt {
	enum nc_opt_kind kind;
	bool inv;		/* preceded by '!' */
	char *name;		/* NC_OPT_EXT: option name without dashes */
	char *arg;		/* NULL when none was given */
	char *arg2;		/* -c: the byte count */
	struct nc_loc loc;	/* of the option word ('!' included) */
	struct nc_loc arg_loc;
};

struct nc_cmd_word {
	char *s;		/* NULL when absent */
	struct nc_loc loc;
};

/* A command's strings (words, option names and arguments) are all in its
 * store, freed with it. */
struct nc_cmd {
	struct nc_store strs;
	enum nc_cmd_kind kind;
	struct nc_loc loc;		/* of the command option */
	enum nc_cmd_kind conflict;	/* a second command, if one was typed */
	struct nc_loc conflict_loc;
	struct nc_cmd_word chain;	/* first argument */
	struct nc_cmd_word rulenum;	/* -I/-D/-R/-L/-S/-Z number */
	struct nc_cmd_word arg;		/* -P policy, -E new name */
	struct nc_cmd_opt *opts;
	size_t nopts, cap;
	struct nc_loc end;		/* just past the last word */
	uint32_t line;			/* the line it was read from (a save
					 * file's; also when no command
					 * option gave loc) */
};

struct nc_cmd *nc_cmd_new(void);
void nc_cmd_free(struct nc_cmd *c);
/* Empty, as nc_cmd_new() makes it, keeping its storage for the next
 * command. */
void nc_cmd_reset(struct nc_cmd *c);
/* Record the command; a second one is kept in conflict (and a third
 * after -L -Z, with -Z in kind). */
void nc_cmd_set_kind(struct nc_cmd *c, enum nc_cmd_kind k, const struct nc_loc *loc);
/* @s is in the command's store; NULL leaves the word as it was. */
void nc_cmd_word_set(struct nc_cmd_word *w, char *s, const struct nc_loc *loc);
/* Append an option (@name, @arg and @arg2 in the command's store).  NULL
 * on ENOMEM. */
struct nc_cmd_opt *nc_cmd_add_opt(struct nc_cmd *c, enum nc_opt_kind k, bool inv,
				  char *name, char *arg, char *arg2,
				  const struct nc_loc *loc,
				  const struct nc_loc *arg_loc);
/* The command letter as iptables prints it ('A', 'D', ...). */
char nc_cmd_letter(enum nc_cmd_kind k);

/*
 * One command line of text read into a command, or NULL with @err set:
 * the shape of the parser's nc_parse_line().  ir/ never includes the
 * parser (it sits above ir/); the code here that must read iptables text
 * again (an xtables extension's -S text, ir/ext/xtkind.c) is handed the
 * parser by whoever calls it, NULL when there is none.
 */
struct nc_err;
typedef struct nc_cmd *nc_parse_line_fn(const char *text, uint32_t line,
					struct nc_err *err);

#endif
