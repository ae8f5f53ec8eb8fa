// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A shell script's text cut into simple commands (parser/shell.h): words
 * kept as written, quotes and all; newlines and ';' separate; a backslash
 * before a newline joins lines; a here-document's body belongs to its
 * command.  parser/script.c walks what this makes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser/parser.h"
#include "parser/script.h"
#include "parser/shell.h"

/* A here-document whose body is still to come (cut()). */
struct pending_here {
	size_t cmd;		/* the command it belongs to (index) */
	char *word;		/* its end word, quotes removed */
	bool quoted, tabs;
};
#define HERE_MAX 4		/* on one line */

struct scmd *nc_sh_new_cmd(struct sh *sh, uint32_t line)
{
	if (sh->n == sh->cap) {
		size_t cap = sh->cap ? 2 * sh->cap : 64;
		struct scmd *v = realloc(sh->c, cap * sizeof(*v));

		if (!v)
			return NULL;
		sh->c = v;
		sh->cap = cap;
	}
	memset(&sh->c[sh->n], 0, sizeof(sh->c[0]));
	sh->c[sh->n].first = sh->c[sh->n].last = line;
	return &sh->c[sh->n++];
}

int nc_sh_add_word(struct scmd *c, const char *s, size_t len)
{
	char **v = realloc(c->w, (c->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	c->w = v;
	if (!(v[c->n] = strndup(s, len)))
		return -1;
	c->n++;
	return 0;
}

/* --- cutting the text into commands ---------------------------------- */

/* The end word of a here-document at @i (after "<<"): "-" first strips
 * tabs; quotes in it (or a backslash) make the body unexpanded.  Where
 * the word ends; SIZE_MAX when out of memory. */
static size_t here_word(struct sh *sh, const char *t, size_t len, size_t i,
			struct scmd *cur, struct pending_here *pend, size_t *npend)
{
	struct pending_here h = { .cmd = (size_t)(cur - sh->c) };
	size_t wl = 0, start;

	if (i < len && t[i] == '-') {
		h.tabs = true;
		i++;
	}
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	start = i;
	while (i < len && !strchr(" \t\r\n;|&<>()", t[i]))
		i++;
	h.word = malloc(i - start + 1);
	if (!h.word)
		return SIZE_MAX;
	for (size_t k = start; k < i; k++) {
		char q = t[k];

		if (q == '\'' || q == '"') {
			h.quoted = true;
			/* a quote runs to its mate (or to the end of the word) */
			while (++k < i && t[k] != q)
				h.word[wl++] = t[k];
		} else if (q == '\\') {
			h.quoted = true;
			if (k + 1 < i)
				h.word[wl++] = t[++k];
		} else {
			h.word[wl++] = q;
		}
	}
	h.word[wl] = '\0';
	if (!wl && !cur->why)
		cur->why = "a here-document without its end word";
	if (*npend == HERE_MAX) {
		if (!cur->why)
			cur->why = "more here-documents on a line than the reader follows";
		free(h.word);
		return i;
	}
	pend[(*npend)++] = h;
	return i;
}

/* Line @s..@e (without its newline) ends here-document @h. */
static bool here_end(const struct pending_here *h, const char *s, const char *e)
{
	size_t n = strlen(h->word);

	if (h->tabs)
		while (s < e && *s == '\t')
			s++;
	/* a '\r' before the newline is the file's line end, as elsewhere
	 * in natc (the shell would want it in the end word) */
	if (e > s && e[-1] == '\r')
		e--;
	return (size_t)(e - s) == n && !memcmp(s, h->word, n);
}

/* The bodies of the here-documents opened on the line that ended at @i,
 * one after the other: the lines up to each end word.  One without its
 * end word runs to the end of the text (as in the shell, which warns):
 * its command is not followed.  Where the text goes on. */
static size_t here_bodies(struct sh *sh, const char *t, size_t len, size_t i,
			  uint32_t *line, struct pending_here *pend, size_t *npend)
{
	for (size_t k = 0; k < *npend; k++) {
		struct scmd *c = &sh->c[pend[k].cmd];
		size_t start = i;
		uint32_t first = *line;
		bool found = false;

		while (i < len && !found) {
			const char *nl = memchr(t + i, '\n', len - i);
			size_t e = nl ? (size_t)(nl - t) : len;

			found = here_end(&pend[k], t + i, t + e);
			if (!found)
				c->here_len = e + 1 - start;
			i = nl ? e + 1 : len;
			(*line)++;
		}
		if (c->here_len > len - start)
			c->here_len = len - start;	/* no newline at the end */
		c->here = t + start;
		c->here_line = first;
		c->here_quoted = pend[k].quoted;
		c->here_tabs = pend[k].tabs;
		if (*line - 1 > c->last)
			c->last = *line - 1;
		if (!found && !c->why)
			c->why = "a here-document without its end word (the shell reads "
				 "it to the end of the file)";
		if (k && pend[k - 1].cmd == pend[k].cmd && !c->why)
			c->why = "more than one here-document for a command";
		free(pend[k].word);
	}
	*npend = 0;
	return i;
}

int nc_sh_cut(struct sh *sh, const char *t, size_t len, uint32_t line)
{
	struct scmd *cur = NULL;
	size_t i = 0;
	char *word = NULL;
	size_t wl = 0;
	struct pending_here pend[HERE_MAX];
	size_t npend = 0;
	unsigned depth = 0;	/* of parentheses on the line */

	word = malloc(len + 1);
	if (!word)
		return -1;
#define END_WORD() do {						\
		if (wl) {						\
			if (!cur && !(cur = nc_sh_new_cmd(sh, line)))		\
				goto nomem;				\
			if (nc_sh_add_word(cur, word, wl) < 0)		\
				goto nomem;				\
			wl = 0;						\
		}							\
	} while (0)
#define END_CMD() do { END_WORD(); if (cur) cur->last = line; cur = NULL; } while (0)
#define WHY(s) do {							\
		if (!cur && !(cur = nc_sh_new_cmd(sh, line)))			\
			goto nomem;					\
		if (!cur->why)						\
			cur->why = (s);					\
	} while (0)
	while (i < len) {
		char ch = t[i];

		if (ch == '\\' && i + 1 < len && t[i + 1] == '\n') {
			i += 2;
			line++;
			continue;
		}
		if (ch == '\n') {
			END_CMD();
			depth = 0;
			line++;
			i++;
			if (npend)
				i = here_bodies(sh, t, len, i, &line, pend, &npend);
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			END_WORD();
			i++;
			continue;
		}
		if (ch == '#' && wl == 0) {
			size_t e = i;

			while (e < len && t[e] != '\n')
				e++;
			END_CMD();
			if (!(cur = nc_sh_new_cmd(sh, line)) || !(cur->comment = strndup(t + i, e - i)))
				goto nomem;
			cur = NULL;
			i = e;
			continue;
		}
		if (ch == ';') {
			if (i + 1 < len && t[i + 1] == ';')
				WHY("a case statement");
			END_CMD();
			i++;
			continue;
		}
		if (ch == '|' || ch == '&') {
			if (i + 1 < len && t[i + 1] == ch)
				WHY(ch == '|' ? "a conditional (||)" : "a conditional (&&)");
			else
				WHY(ch == '|' ? "a pipeline" : "a background command");
			END_WORD();
			i += (i + 1 < len && t[i + 1] == ch) ? 2 : 1;
			continue;
		}
		if (ch == '(' || ch == ')') {
			/* "<<" in $((...)) is a shift, no here-document */
			if (ch == '(')
				depth++;
			else if (depth)
				depth--;
			WHY(wl ? "a function" : "a subshell");
			END_WORD();
			i++;
			continue;
		}
		if (ch == '`') {
			WHY("command substitution");
			word[wl++] = ch;
			i++;
			continue;
		}
		if (ch == '<' && i + 1 < len && t[i + 1] == '<' && !depth &&
		    (i + 2 >= len || t[i + 2] != '<')) {
			/* a here-document: its body follows the line */
			END_WORD();
			if (!cur && !(cur = nc_sh_new_cmd(sh, line)))
				goto nomem;
			i = here_word(sh, t, len, i + 2, cur, pend, &npend);
			if (i == SIZE_MAX)
				goto nomem;
			continue;
		}
		if (ch == '>' || ch == '<') {
			/* a redirection changes nothing iptables does: dropped,
			 * with its target ("2>/dev/null", "> log", "2>&1") */
			bool digits = true;

			for (size_t k = 0; k < wl; k++)
				digits &= isdigit((unsigned char)word[k]) != 0;
			if (!digits)
				END_WORD();
			wl = 0;
			i++;
			if (i < len && (t[i] == '>' || t[i] == '&'))
				i++;
			if (ch == '<' && i + 1 < len && t[i] == '<' && t[i + 1] == '<') {
				WHY("a here-string (<<<)");
				i += 2;
			}
			while (i < len && (t[i] == ' ' || t[i] == '\t'))
				i++;
			while (i < len && !strchr(" \t\r\n;|&", t[i]))
				i++;
			continue;
		}
		if (ch == '\'') {
			size_t e = i + 1;

			while (e < len && t[e] != '\'') {
				if (t[e] == '\n')
					line++;
				e++;
			}
			memcpy(word + wl, t + i, e + 1 - i > len - i ? len - i : e + 1 - i);
			wl += e + 1 - i > len - i ? len - i : e + 1 - i;
			i = e + 1;
			continue;
		}
		if (ch == '"') {
			size_t e = i + 1;

			while (e < len && t[e] != '"') {
				if (t[e] == '\\' && e + 1 < len)
					e++;
				if (t[e] == '\n')
					line++;
				if (t[e] == '`' || (t[e] == '$' && e + 1 < len && t[e + 1] == '('))
					WHY("command substitution");
				e++;
			}
			memcpy(word + wl, t + i, e + 1 - i > len - i ? len - i : e + 1 - i);
			wl += e + 1 - i > len - i ? len - i : e + 1 - i;
			i = e + 1;
			continue;
		}
		if (ch == '\\' && i + 1 < len) {
			word[wl++] = t[i++];
			word[wl++] = t[i++];
			continue;
		}
		if (ch == '$' && i + 1 < len && t[i + 1] == '(')
			WHY("command substitution");
		word[wl++] = ch;
		i++;
	}
	END_CMD();
	if (npend)	/* the last line opened them: their bodies are empty */
		here_bodies(sh, t, len, i, &line, pend, &npend);
	free(word);
	return 0;
nomem:
	for (size_t k = 0; k < npend; k++)
		free(pend[k].word);
	free(word);
	return -1;
#undef END_WORD
#undef END_CMD
#undef WHY
}

