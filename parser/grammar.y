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
#define NOMEM(st) do { nc_err_set((st)->err, NC_ERESOURCE, NULL, \
				  "out of memory"); YYABORT; } while (0)

/* Locations of the two parts "! --opt": from the '!' when there is one. */
static struct nc_loc opt_loc(bool inv, NC_YYLTYPE bang, NC_YYLTYPE opt)
{
	struct nc_loc l = LOC(opt);

	if (inv)
		l.first_col = (uint16_t)bang.first_column;
	return l;
}
}

%union {
	char *str;
	int num;
	bool flag;
}

%token T_START_CMD "start of a command"
%token T_NEWLINE "end of line"
%token T_BANG "'!'"
%token <str> T_WORD "word"
%token <str> T_EXTOPT "option"
%token <str> T_EXTOPT_ARG "option with argument"
%token <str> T_BADOPT "unknown option"
%token <num> T_OPT_FLAG T_OPT_ARG T_OPT_OPTARG T_OPT_2ARG
%token <num> T_CMD_CHAIN T_CMD_CHAIN_OPTNUM T_CMD_CHAIN_NUM
%token <num> T_CMD_OPTCHAIN_OPTNUM T_CMD_OPTCHAIN T_CMD_CHAIN_WORD T_CMD_NOARG
%token T_ERROR "error"

%type <flag> neg
%type <str> opt_word

%destructor { free($$); } <str>

%start input

%%

input		: T_START_CMD items
		;

items		: %empty
		| items item
		;

item		: command
		| option
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

option		: neg T_OPT_ARG T_WORD
		{
			struct nc_loc l = opt_loc($1, @1, @2), a = LOC(@3);
			if (!nc_cmd_add_opt(st->cmd, $2, $1, NULL, $3, NULL, &l, &a))
				NOMEM(st);
		}
		| neg T_OPT_FLAG
		{
			struct nc_loc l = opt_loc($1, @1, @2);
			if (!nc_cmd_add_opt(st->cmd, $2, $1, NULL, NULL, NULL, &l, NULL))
				NOMEM(st);
		}
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
		| neg T_EXTOPT
		{
			struct nc_loc l = opt_loc($1, @1, @2);
			if (!nc_cmd_add_opt(st->cmd, NC_OPT_EXT, $1, $2, NULL, NULL, &l, NULL))
				NOMEM(st);
		}
		| neg T_EXTOPT_ARG T_WORD
		{
			struct nc_loc l = opt_loc($1, @1, @2), a = LOC(@3);
			if (!nc_cmd_add_opt(st->cmd, NC_OPT_EXT, $1, $2, $3, NULL, &l, &a))
				NOMEM(st);
		}
		| T_BADOPT
		{
			struct nc_loc l = LOC(@1);
			nc_err_param(st->err, &l, "unknown option \"%s\"", $1);
			free($1);
			YYABORT;
		}
		| T_ERROR
		{
			YYABORT;	/* the scanner recorded why */
		}
		;

neg		: %empty	{ $$ = false; }
		| T_BANG	{ $$ = true; }
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
		if (st->last_opt[0])
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
