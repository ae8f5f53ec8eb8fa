/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Word classification for the scanner (parser/options.c). */
#ifndef NATC_PARSER_LEX_H
#define NATC_PARSER_LEX_H

#include "parser/state.h"

union NC_YYSTYPE;
struct NC_YYLTYPE;

/* Classify @word (@len bytes, then a NUL): returns its token, queuing
 * more for "-nvL" bundles. */
int nc_lex_word(struct nc_parse_state *st, const char *word, size_t len,
		union NC_YYSTYPE *lval, struct NC_YYLTYPE *lloc);
int nc_lex_pop(struct nc_parse_state *st, union NC_YYSTYPE *lval,
	       struct NC_YYLTYPE *lloc);
/* A word made of bare and quoted parts: start it, add parts, end it
 * (which classifies it as nc_lex_word() does). */
void nc_lex_word_start(struct nc_parse_state *st, int col);
void nc_lex_quote_add(struct nc_parse_state *st, const char *s, size_t n);
int nc_lex_word_end(struct nc_parse_state *st, union NC_YYSTYPE *lval,
		    struct NC_YYLTYPE *lloc);
/* Skip a table's lines up to its COMMIT (scanner.l). */
void nc_lex_skip_table(void *scanner);
/* Scan the state's in/in_left through flex's own buffer (scanner.l). */
int nc_lex_use_input(void *scanner);
/* YY_INPUT for save files: up to @max bytes of the state's text into
 * @buf, stopping short of a NUL byte or of the byte that makes a line
 * longer than NC_LINE_MAX; 0 at the end. */
size_t nc_lex_input(struct nc_parse_state *st, char *buf, size_t max);
/* At the end of the text given: T_ERROR with the error recorded where
 * nc_lex_input() stopped short, or 0 at the real end. */
int nc_lex_input_end(struct nc_parse_state *st);
/* An unterminated quote, from its opening quote to @last_col. */
int nc_lex_unterminated(struct nc_parse_state *st, int last_col);
/* A new line: count it, forget the last line's pending state. */
void nc_lex_newline(struct nc_parse_state *st);
/* A save-file token carrying @s (copied). */
int nc_lex_special(struct nc_parse_state *st, int tok, const char *s,
		   union NC_YYSTYPE *lval);
/* The scanner's start condition for save files of @family's rules. */
int nc_lex_file_mode(uint8_t family);
/* Free queued tokens and quote buffers. */
void nc_lex_cleanup(struct nc_parse_state *st);
/* "A B", in the state's strings (an option's two arguments as one). */
char *nc_lex_join2(struct nc_parse_state *st, const char *a, const char *b);

#endif
