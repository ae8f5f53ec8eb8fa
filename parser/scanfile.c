// SPDX-License-Identifier: GPL-2.0-or-later
/* A save file's lines through the scanner in its FILE mode, each to a
 * callback as soon as it is parsed (the driver, parser/savefile.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "parser/parser.h"
#include "parser/state.h"
#include "parser/lex.h"
#include "parser/grammar.h"
#define YYSTYPE NC_YYSTYPE
#define YYLTYPE NC_YYLTYPE
#include "parser/scanner.h"

int nc_yyparse(void *scanner, struct nc_parse_state *st);

int nc_parse_line_done(struct nc_parse_state *st, const char *counters)
{
	struct nc_cmd *done = st->cmd;
	int rc;

	/* the line's words (and any of lines before it that were not
	 * commands) go with the command; @counters is one of them */
	nc_store_move(&done->strs, &st->strs);
	st->last_word = "";	/* it was one of them */
	rc = st->ops->command(st->user, done, counters);
	/* then the command, its words' first block too, serve the next line */
	nc_cmd_reset(done);
	nc_store_move(&st->strs, &done->strs);
	return rc;
}

size_t nc_lex_input(struct nc_parse_state *st, char *buf, size_t max)
{
	size_t n = st->in_left < max ? st->in_left : max;
	const char *nul, *nl;

	if (st->in_stop)
		return 0;
	/* a line between two newlines of one piece is then shorter than
	 * the limit: only the piece's first and last lines are counted */
	if (n > NC_LINE_MAX)
		n = NC_LINE_MAX;
	nul = memchr(st->in, '\0', n);
	if (nul) {
		n = (size_t)(nul - st->in);
		st->in_stop = NC_STOP_NUL;
	}
	nl = memchr(st->in, '\n', n);
	if (st->in_run + (nl ? (size_t)(nl - st->in) : n) > NC_LINE_MAX) {
		n = NC_LINE_MAX - st->in_run;
		st->in_stop = NC_STOP_LONG;
		st->in_run = NC_LINE_MAX;
	} else if (nl) {
		st->in_run = n - 1 - (size_t)((const char *)memrchr(st->in, '\n', n) - st->in);
	} else {
		st->in_run += n;
	}
	memcpy(buf, st->in, n);
	st->in += n;
	st->in_left -= n;
	return n;
}

int nc_lex_input_end(struct nc_parse_state *st)
{
	struct nc_loc l = nc_loc_cols(st->line, st->col, st->col);

	if (st->in_stop == NC_STOP_NUL)
		nc_err_param(st->err, &l, NC_MSG_NUL);
	else
		nc_err_param(st->err, &l, NC_MSG_LONG_LINE);
	st->err->input_refused = true;
	return T_ERROR;
}

int nc_parse_file(const char *text, size_t len, uint32_t first,
		  const struct nc_file_ops *ops, void *user, struct nc_err *err)
{
	return nc_parse_file_af(text, len, first, AF_INET, ops, user, err);
}

int nc_parse_file_af(const char *text, size_t len, uint32_t first,
		     uint8_t family, const struct nc_file_ops *ops, void *user,
		     struct nc_err *err)
{
	struct nc_parse_state st = {
		.err = err, .line = first ? first : 1, .col = 1, .start_token = T_START_FILE,
		.ops = ops, .user = user, .strs = { .blk = NC_STRS_BLOCK },
		.last_word = "", .in = text, .in_left = len,
	};
	yyscan_t scanner;
	int rc;

	st.cmd = nc_cmd_new();
	if (!st.cmd || nc_yylex_init_extra(&st, &scanner)) {
		nc_cmd_free(st.cmd);
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	}
	st.home = nc_lex_file_mode(family);
	if (nc_lex_use_input(scanner) < 0) {
		nc_yylex_destroy(scanner);
		nc_cmd_free(st.cmd);
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	}
	rc = nc_yyparse(scanner, &st);
	nc_lex_cleanup(&st);
	nc_yylex_destroy(scanner);
	nc_cmd_free(st.cmd);
	nc_store_free(&st.strs);
	if (rc != 0 || err->status != NC_OK) {
		if (err->status == NC_OK)
			nc_err_param(err, NULL, "syntax error");
		return -1;
	}
	return 0;
}
