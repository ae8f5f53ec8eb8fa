/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The grammar of an iptables command: a command option with its arguments
 * and any number of options, in any order, each perhaps negated with '!'.
 * Actions only record what was typed into struct nc_cmd; ir/build.c gives
 * it meaning.
 */
%define api.pure full
%define api.prefix {nc_yy}
%define parse.error custom
%locations
%param {void *scanner}
%parse-param {struct nc_parse_state *st}

%code requires {
#include "parser/state.h"
#include "parser/parser.h"
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser/lex.h"
int nc_yylex(NC_YYSTYPE *lval, NC_YYLTYPE *lloc, void *scanner);
static void nc_yyerror(NC_YYLTYPE *loc, void *scanner,
		       struct nc_parse_state *st, const char *msg);

#define LOC(l) nc_loc_cols((l).first_line, (l).first_column, (l).last_column)
/* Hand a finished line to the reader's callback; stop when it says so. */
#define LINE(call) do { if ((call) < 0) { if ((st)->err->status == NC_OK) \
	nc_err_set((st)->err, NC_EOTHER, NULL, "error"); YYABORT; } } while (0)
#define OPT(call) do { if ((call) < 0) NOMEM(st); } while (0)
#define NOMEM(st) do { nc_err_set((st)->err, NC_ERESOURCE, NULL, \
				  "out of memory"); YYABORT; } while (0)

/* ":NAME POLICY [p:b]" to the reader. */
static int chain_line(struct nc_parse_state *st, char *name, char *policy,
		      char *counters, NC_YYLTYPE loc)
{
	struct nc_loc l = LOC(loc);

	return st->ops->chain(st->user, name, policy, counters, &l);
}

/* "[!] OPT [ARG]" to the command: located from the '!' (@first) when
 * there is one; -1 when memory ran out. */
static int add_opt(struct nc_parse_state *st, int kind, bool inv,
		   NC_YYLTYPE first, NC_YYLTYPE opt, char *name, char *arg,
		   const NC_YYLTYPE *argloc)
{
	struct nc_loc l = LOC(opt), a = argloc ? LOC(*argloc) : l;

	if (inv)
		l.first_col = (uint16_t)first.first_column;
	return nc_cmd_add_opt(st->cmd, kind, inv, name, arg, NULL, &l,
			      argloc ? &a : NULL) ? 0 : -1;
}

/* "[!] --opt FIRST SECOND", handed to the extension as one "FIRST SECOND". */
static int add_opt2(struct nc_parse_state *st, bool inv, NC_YYLTYPE first,
		    NC_YYLTYPE opt, char *name, char *a1, char *a2,
		    NC_YYLTYPE l1, NC_YYLTYPE l2)
{
	char *both = nc_lex_join2(st, a1, a2);

	l1.last_column = l2.last_column;
	return both ? add_opt(st, NC_OPT_EXT, inv, first, opt, name, both, &l1) : -1;
}
}

%union {
	char *str;
	int num;
}

%token T_START_CMD "start of a command"
%token T_START_FILE "start of a file"
%token <str> T_TABLE_LINE "table line"
%token <str> T_CHAIN_DECL "chain line"
%token <str> T_COUNTERS "counters"
%token T_COMMIT "COMMIT"
%token T_NEWLINE "end of line"
%token T_BANG "'!'"
%token <str> T_WORD "word"
%token <str> T_EXTOPT "option"
%token <str> T_EXTOPT_ARG "option with argument"
%token <str> T_EXTOPT_ARG2 "option with two arguments"
%token <str> T_BADOPT "unknown option"
%token <num> T_OPT_FLAG T_OPT_ARG T_OPT_OPTARG T_OPT_2ARG
%token <num> T_CMD_CHAIN T_CMD_CHAIN_OPTNUM T_CMD_CHAIN_NUM
%token <num> T_CMD_OPTCHAIN_OPTNUM T_CMD_OPTCHAIN T_CMD_CHAIN_WORD T_CMD_NOARG
%token T_ERROR "error"

%type <str> opt_word

/* the strings are the scanner's (struct nc_parse_state's strs), freed
 * with the command they end up in or with the state: no destructors */

%start input

%%

input		: T_START_CMD items
		| T_START_FILE lines
		;

lines		: %empty
		| lines line
		;

line		: T_NEWLINE
		| T_TABLE_LINE T_NEWLINE
		{
			struct nc_loc l = LOC(@1);
			int rc = st->ops->table(st->user, $1, &l);
			LINE(rc);
			if (rc > 0)	/* a table left out: not even read */
				nc_lex_skip_table(scanner);
		}
		| T_CHAIN_DECL T_NEWLINE
		{
			LINE(chain_line(st, $1, NULL, NULL, @1));
		}
		| T_CHAIN_DECL T_WORD T_NEWLINE
		{
			LINE(chain_line(st, $1, $2, NULL, @1));
		}
		| T_CHAIN_DECL T_WORD T_WORD extra_words T_NEWLINE
		{
			LINE(chain_line(st, $1, $2, $3, @1));
		}
		| T_COMMIT T_NEWLINE
		{
			struct nc_loc l = LOC(@1);
			LINE(st->ops->commit(st->user, &l));
		}
		| cmd_items T_NEWLINE
		{
			st->cmd->line = (uint32_t)@2.first_line;
			LINE(nc_parse_line_done(st, NULL));
		}
		| T_COUNTERS cmd_items T_NEWLINE
		{
			st->cmd->line = (uint32_t)@3.first_line;
			LINE(nc_parse_line_done(st, $1));
		}
		;

extra_words	: %empty	/* iptables-restore ignores them too */
		| extra_words T_WORD
		;

/* (written out rather than through an "item" rule: a 100,000-line file
 * is parsed faster with fewer reductions per word) */
cmd_items	: command
		| option
		| cmd_items command
		| cmd_items option
		;

items		: %empty
		| items command
		| items option
		;

command		: T_CMD_CHAIN T_WORD
		{
			struct nc_loc l = LOC(@1), a = LOC(@2);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
		}
		| T_CMD_CHAIN_OPTNUM T_WORD opt_word
		{
			struct nc_loc l = LOC(@1), a = LOC(@2), n = LOC(@3);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
			nc_cmd_word_set(&st->cmd->rulenum, $3, &n);
		}
		| T_CMD_CHAIN_NUM T_WORD T_WORD
		{
			struct nc_loc l = LOC(@1), a = LOC(@2), n = LOC(@3);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
			nc_cmd_word_set(&st->cmd->rulenum, $3, &n);
		}
		| T_CMD_CHAIN_NUM T_WORD
		{
			/* -R without its number: the build pass says so */
			struct nc_loc l = LOC(@1), a = LOC(@2);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
		}
		| T_CMD_OPTCHAIN_OPTNUM
		{
			struct nc_loc l = LOC(@1);
			nc_cmd_set_kind(st->cmd, $1, &l);
		}
		| T_CMD_OPTCHAIN_OPTNUM T_WORD opt_word
		{
			struct nc_loc l = LOC(@1), a = LOC(@2), n = LOC(@3);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
			nc_cmd_word_set(&st->cmd->rulenum, $3, &n);
		}
		| T_CMD_OPTCHAIN opt_word
		{
			struct nc_loc l = LOC(@1), a = LOC(@2);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
		}
		| T_CMD_CHAIN_WORD T_WORD
		{
			/* -P/-E missing their second word: the build pass says so */
			struct nc_loc l = LOC(@1), a = LOC(@2);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
		}
		| T_CMD_CHAIN_WORD T_WORD T_WORD
		{
			struct nc_loc l = LOC(@1), a = LOC(@2), b = LOC(@3);
			nc_cmd_set_kind(st->cmd, $1, &l);
			nc_cmd_word_set(&st->cmd->chain, $2, &a);
			nc_cmd_word_set(&st->cmd->arg, $3, &b);
		}
		| T_CMD_NOARG
		{
			struct nc_loc l = LOC(@1);
			nc_cmd_set_kind(st->cmd, $1, &l);
		}
		;

/* each "[!] OPT" twice, with and without the '!' (no empty rule to
 * reduce before every option) */
option		: T_OPT_ARG T_WORD
		{ OPT(add_opt(st, $1, false, @1, @1, NULL, $2, &@2)); }
		| T_BANG T_OPT_ARG T_WORD
		{ OPT(add_opt(st, $2, true, @1, @2, NULL, $3, &@3)); }
		| T_OPT_FLAG
		{ OPT(add_opt(st, $1, false, @1, @1, NULL, NULL, NULL)); }
		| T_BANG T_OPT_FLAG
		{ OPT(add_opt(st, $2, true, @1, @2, NULL, NULL, NULL)); }
		| T_OPT_OPTARG opt_word
		{
			struct nc_loc l = LOC(@1), a = LOC(@2);
			if (!nc_cmd_add_opt(st->cmd, $1, false, NULL, $2, NULL, &l, &a))
				NOMEM(st);
		}
		| T_OPT_2ARG T_WORD T_WORD
		{
			struct nc_loc l = LOC(@1), a = LOC(@2);
			if (!nc_cmd_add_opt(st->cmd, $1, false, NULL, $2, $3, &l, &a))
				NOMEM(st);
		}
		| T_EXTOPT
		{ OPT(add_opt(st, NC_OPT_EXT, false, @1, @1, $1, NULL, NULL)); }
		| T_BANG T_EXTOPT
		{ OPT(add_opt(st, NC_OPT_EXT, true, @1, @2, $2, NULL, NULL)); }
		| T_EXTOPT_ARG T_WORD
		{ OPT(add_opt(st, NC_OPT_EXT, false, @1, @1, $1, $2, &@2)); }
		| T_BANG T_EXTOPT_ARG T_WORD
		{ OPT(add_opt(st, NC_OPT_EXT, true, @1, @2, $2, $3, &@3)); }
		| T_EXTOPT_ARG2 T_WORD T_WORD
		{ OPT(add_opt2(st, false, @1, @1, $1, $2, $3, @2, @3)); }
		| T_BANG T_EXTOPT_ARG2 T_WORD T_WORD
		{ OPT(add_opt2(st, true, @1, @2, $2, $3, $4, @3, @4)); }
		| T_BADOPT
		{
			struct nc_loc l = LOC(@1);
			nc_err_param(st->err, &l, "unknown option \"%s\"", $1);
			YYABORT;
		}
		| T_ERROR
		{
			YYABORT;	/* the scanner recorded why */
		}
		;

opt_word	: %empty	{ $$ = NULL; }
		| T_WORD	{ $$ = $1; }
		;

%%

static void nc_yyerror(NC_YYLTYPE *loc, void *scanner,
		       struct nc_parse_state *st, const char *msg)
{
	struct nc_loc l = LOC(*loc);

	nc_err_param(st->err, &l, "%s", msg);
}

/* iptables' wording for the two ways a command line goes wrong here. */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner,
				 struct nc_parse_state *st)
{
	const NC_YYLTYPE *ll = yypcontext_location(ctx);
	struct nc_loc l = LOC(*ll);

	switch (yypcontext_token(ctx)) {
	case YYSYMBOL_YYEOF:
	case YYSYMBOL_T_NEWLINE:
		if (!strcmp(st->last_word, "!"))
			return nc_err_param(st->err, &l,
				"nothing appropriate following !"), 0;
		if (st->last_opt[0] && (st->eol_second_of_two ||
					(st->second_of_two && st->want_args == 1)))
			return nc_err_param(st->err, &l,
				"%s requires two args.", st->last_opt), 0;
		if (st->last_opt[0] && (st->want_args > 0 || st->eol_want_args > 0))
			return nc_err_param(st->err, &l,
				"option \"%s\" requires an argument", st->last_opt), 0;
		return nc_err_param(st->err, &l, "unexpected end of line"), 0;
	case YYSYMBOL_T_BANG:
		return nc_err_param(st->err, &l,
				    "multiple consecutive ! not allowed"), 0;
	case YYSYMBOL_T_WORD:
		return nc_err_param(st->err, &l, "Bad argument `%s'",
				    st->last_word), 0;
	default:
		return nc_err_param(st->err, &l, "unexpected '!' flag"), 0;
	}
}
