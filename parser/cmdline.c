// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading one command: from a line of text, or from argv. */
#include <stdlib.h>
#include <string.h>
#include "parser/parser.h"
#include "parser/state.h"
#include "parser/lex.h"
#include "parser/grammar.h"
#define YYSTYPE NC_YYSTYPE
#define YYLTYPE NC_YYLTYPE
#include "parser/scanner.h"

int nc_yyparse(void *scanner, struct nc_parse_state *st);

struct nc_cmd *nc_parse_line(const char *text, uint32_t line, struct nc_err *err)
{
	struct nc_parse_state st = {
		.err = err, .line = line, .col = 1, .start_token = T_START_CMD,
		.strs = { .blk = NC_STRS_BLOCK }, .last_word = "",
	};
	yyscan_t scanner;
	int rc;

	st.cmd = nc_cmd_new();
	if (!st.cmd || nc_yylex_init_extra(&st, &scanner)) {
		nc_cmd_free(st.cmd);
		nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
		return NULL;
	}
	nc_yy_scan_string(text, scanner);
	rc = nc_yyparse(scanner, &st);
	nc_lex_cleanup(&st);
	nc_yylex_destroy(scanner);
	nc_store_move(&st.cmd->strs, &st.strs);	/* the words are the command's */
	if (rc != 0 || err->status != NC_OK) {
		if (err->status == NC_OK)
			nc_err_param(err, NULL, "syntax error");
		nc_cmd_free(st.cmd);
		return NULL;
	}
	st.cmd->end = nc_loc_cols(line, st.col, st.col);
	return st.cmd;
}

/* Does the word need quoting to survive the scanner as one word? */
static bool needs_quotes(const char *w)
{
	return !*w || strpbrk(w, " \t\r\n\"'\\") != NULL;
}

static char *join_argv(int argc, char *const argv[])
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += 2 * strlen(argv[i]) + 3;
	s = p = malloc(len);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		bool q = needs_quotes(w);

		if (i)
			*p++ = ' ';
		if (q)
			*p++ = '"';
		for (; *w; w++) {
			if (q && (*w == '"' || *w == '\\'))
				*p++ = '\\';
			*p++ = *w == '\n' ? ' ' : *w;
		}
		if (q)
			*p++ = '"';
	}
	*p = '\0';
	return s;
}

struct nc_cmd *nc_parse_argv(int argc, char *const argv[], char **text,
			     struct nc_err *err)
{
	char *line = join_argv(argc, argv);
	struct nc_cmd *c;

	*text = line;
	if (!line) {
		nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
		return NULL;
	}
	c = nc_parse_line(line, 1, err);
	return c;
}
