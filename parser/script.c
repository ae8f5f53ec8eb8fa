// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shell scripts of iptables commands (parser/script.h).  Two steps: the
 * text is cut into simple commands (words kept as written, quotes and
 * all; newlines and ';' separate; a backslash before a newline joins
 * lines), then the commands are walked: assignments set variables, for
 * loops repeat their body, iptables commands are expanded and handed on.
 * Nothing is ever executed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser/parser.h"
#include "parser/script.h"

struct scmd {
	uint32_t first, last;	/* lines */
	char **w;		/* words as written */
	size_t n;
	const char *why;	/* what the reader cannot follow in it */
	char *comment;		/* a comment item (no words) */
};

struct var {
	char *name, *value;
};

struct sh {
	struct scmd *c;
	size_t n, cap;
	struct var *v;
	size_t nv;
	const struct nc_script_ops *ops;
	void *user;
	size_t budget;		/* bytes the expansions may still make */
	size_t steps;		/* commands walked so far */
};

static struct scmd *new_cmd(struct sh *sh, uint32_t line)
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

static int add_word(struct scmd *c, const char *s, size_t len)
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

static int cut(struct sh *sh, const char *t, size_t len)
{
	uint32_t line = 1;
	struct scmd *cur = NULL;
	size_t i = 0;
	char *word = NULL;
	size_t wl = 0;

	word = malloc(len + 1);
	if (!word)
		return -1;
#define END_WORD() do {						\
		if (wl) {						\
			if (!cur && !(cur = new_cmd(sh, line)))		\
				goto nomem;				\
			if (add_word(cur, word, wl) < 0)		\
				goto nomem;				\
			wl = 0;						\
		}							\
	} while (0)
#define END_CMD() do { END_WORD(); if (cur) cur->last = line; cur = NULL; } while (0)
#define WHY(s) do {							\
		if (!cur && !(cur = new_cmd(sh, line)))			\
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
			line++;
			i++;
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
			if (!(cur = new_cmd(sh, line)) || !(cur->comment = strndup(t + i, e - i)))
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
			if (ch == '<' && i < len && t[i] == '<')
				WHY("a here-document");
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
	free(word);
	return 0;
nomem:
	free(word);
	return -1;
#undef END_WORD
#undef END_CMD
#undef WHY
}

/* --- expansion ------------------------------------------------------- */

static const char *var_get(const struct sh *sh, const char *name, size_t len)
{
	for (size_t i = sh->nv; i-- > 0;)
		if (strlen(sh->v[i].name) == len && !memcmp(sh->v[i].name, name, len))
			return sh->v[i].value;
	return NULL;
}

static int var_set(struct sh *sh, const char *name, size_t len, const char *value)
{
	struct var *v;

	for (size_t i = 0; i < sh->nv; i++)
		if (strlen(sh->v[i].name) == len && !memcmp(sh->v[i].name, name, len)) {
			char *nv = strdup(value);

			if (!nv)
				return -1;
			free(sh->v[i].value);
			sh->v[i].value = nv;
			return 0;
		}
	v = realloc(sh->v, (sh->nv + 1) * sizeof(*v));
	if (!v)
		return -1;
	sh->v = v;
	v[sh->nv].name = strndup(name, len);
	v[sh->nv].value = strdup(value);
	if (!v[sh->nv].name || !v[sh->nv].value) {
		free(v[sh->nv].name);
		free(v[sh->nv].value);
		return -1;
	}
	sh->nv++;
	return 0;
}

struct fields {
	char **f;
	size_t n, fcap;		/* fields, and room for them */
	char *cur;		/* the field being built */
	size_t len, cap;
	bool started;		/* quotes make a field even when empty */
	bool failed;
	const char *refused;	/* a limit passed (script.h) */
	size_t *budget;		/* the script's (struct sh) */
};

static void f_putc(struct fields *fs, char c)
{
	if (fs->failed || fs->refused)
		return;
	if (!*fs->budget) {
		fs->refused = NC_MSG_EXPAND_MAX;
		return;
	}
	if (fs->len == NC_LINE_MAX) {
		fs->refused = NC_MSG_VALUE_LONG;
		return;
	}
	(*fs->budget)--;
	if (fs->len + 2 > fs->cap) {	/* grown geometrically */
		size_t cap = fs->cap ? 2 * fs->cap : 64;
		char *p = realloc(fs->cur, cap);

		if (!p) {
			fs->failed = true;
			return;
		}
		fs->cur = p;
		fs->cap = cap;
	}
	fs->cur[fs->len++] = c;
	fs->cur[fs->len] = '\0';
	fs->started = true;
}

static void f_end(struct fields *fs)
{
	char **v;

	if (!fs->started)
		return;
	/* room doubled: a value of many words splits into thousands of
	 * fields (found slow by testsuite/fuzz/script) */
	if (fs->n == fs->fcap) {
		size_t cap = fs->fcap ? 2 * fs->fcap : 8;

		v = realloc(fs->f, cap * sizeof(*v));
		if (!v) {
			fs->failed = true;
			return;
		}
		fs->f = v;
		fs->fcap = cap;
	}
	if (!fs->cur && !(fs->cur = strdup(""))) {
		fs->failed = true;
		return;
	}
	fs->f[fs->n++] = fs->cur;
	fs->cur = NULL;
	fs->len = fs->cap = 0;
	fs->started = false;
}

static void fields_free(struct fields *fs)
{
	size_t *budget = fs->budget;

	for (size_t i = 0; i < fs->n; i++)
		free(fs->f[i]);
	free(fs->f);
	free(fs->cur);
	memset(fs, 0, sizeof(*fs));
	fs->budget = budget;
}

/* $NAME or ${NAME} at @p: its value (NULL: unset, *why says so); *used
 * is how many characters it took. */
static const char *expand_var(const struct sh *sh, const char *p, size_t *used,
			      const char **why)
{
	const char *name = p + 1, *v;
	size_t n = 0;

	if (*name == '{') {
		name++;
		while (name[n] && name[n] != '}')
			n++;
		*used = n + 3;
		if (!name[n] || !n || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != n) {
			*why = "a parameter expansion the reader does not follow";
			return NULL;
		}
	} else {
		while (isalnum((unsigned char)name[n]) || name[n] == '_')
			n++;
		if (!n) {
			*used = 1;
			if (name[0] && strchr("0123456789@*#?$!-", name[0])) {
				*why = "a special parameter ($1, $@, ...) the reader cannot know";
				*used = 2;
				return NULL;
			}
			return "$";
		}
		*used = n + 1;
	}
	v = var_get(sh, name, n);
	if (!v)
		*why = "a variable the script does not set";
	return v;
}

/* Expand one word into fields; -1 with *why, or on ENOMEM (*why NULL);
 * -2 with *why when a limit is passed (the script is refused). */
static int expand(const struct sh *sh, const char *w, struct fields *fs,
		  const char **why)
{
	bool dq = false;

	for (const char *p = w; *p;) {
		if (!dq && *p == '\'') {
			const char *e = strchr(p + 1, '\'');

			if (!e) {
				*why = "an unterminated quote";
				return -1;
			}
			fs->started = true;
			for (p++; p < e; p++)
				f_putc(fs, *p);
			p++;
			continue;
		}
		if (*p == '"') {
			dq = !dq;
			fs->started = true;
			p++;
			continue;
		}
		if (*p == '\\' && p[1]) {
			if (dq && !strchr("\\\"$`\n", p[1]))
				f_putc(fs, '\\');
			f_putc(fs, p[1]);
			p += 2;
			continue;
		}
		if (*p == '$') {
			size_t used;
			const char *v = expand_var(sh, p, &used, why);

			if (!v)
				return -1;
			for (; *v; v++) {
				if (!dq && strchr(" \t\n", *v))
					f_end(fs);	/* field splitting */
				else
					f_putc(fs, *v);
			}
			p += used;
			continue;
		}
		f_putc(fs, *p++);
	}
	if (dq) {
		*why = "an unterminated quote";
		return -1;
	}
	f_end(fs);
	if (fs->refused) {
		*why = fs->refused;
		return -2;
	}
	if (fs->failed) {
		*why = NULL;
		return -1;
	}
	return 0;
}

/* --- walking the commands ---------------------------------------------- */

static int skip_range(struct sh *sh, size_t from, size_t to, const char *why)
{
	for (size_t i = from; i < to && i < sh->n; i++) {
		struct scmd *c = &sh->c[i];

		for (uint32_t l = c->first; l <= c->last; l++) {
			bool ipt = false;

			for (size_t k = 0; k < c->n; k++)
				ipt |= strstr(c->w[k], "iptables") != NULL;
			if (i > from && l == sh->c[i - 1].last)
				continue;	/* reported with the command before */
			if (sh->ops->skipped(sh->user, l, why, ipt) < 0)
				return -1;
		}
	}
	return 0;
}

/* The script refused at command @c's line, for @why: -1, the reading
 * stops. */
static int refuse(struct sh *sh, uint32_t line, const char *why)
{
	if (sh->ops->refuse)
		sh->ops->refuse(sh->user, line, why);
	return -1;
}

static bool is(const struct scmd *c, const char *word)
{
	return c->n && !strcmp(c->w[0], word);
}

/* The index of the command closing the block opened at @i. */
static size_t block_end(const struct sh *sh, size_t i, size_t to)
{
	static const char *const open[] = { "for", "while", "until", "if", "case", "{" };
	static const char *const close[] = { "done", "fi", "esac", "}" };
	int depth = 0;

	for (; i < to; i++) {
		const struct scmd *c = &sh->c[i];

		for (size_t k = 0; k < 6; k++)
			if (is(c, open[k]))
				depth++;
		for (size_t k = 0; k < 4; k++)
			if (is(c, close[k]))
				depth--;
		/* a function: NAME() { ... } */
		if (c->n && c->why && !strcmp(c->why, "a function") && c->n >= 2 &&
		    !strcmp(c->w[c->n - 1], "{"))
			depth++;
		if (depth <= 0)
			return i;
	}
	return to - 1;
}

static bool is_assignment(const char *w)
{
	size_t n = 0;

	if (!isalpha((unsigned char)w[0]) && w[0] != '_')
		return false;
	while (isalnum((unsigned char)w[n]) || w[n] == '_')
		n++;
	return w[n] == '=';
}

static bool is_name(const char *w)
{
	size_t n = 0;

	if (!isalpha((unsigned char)w[0]) && w[0] != '_')
		return false;
	while (isalnum((unsigned char)w[n]) || w[n] == '_')
		n++;
	return w[n] == '\0';
}

static bool is_iptables(const char *w)
{
	static const char *const names[] = {
		"iptables", "/sbin/iptables", "/usr/sbin/iptables", "/bin/iptables",
		"/usr/bin/iptables", "/usr/local/sbin/iptables", "iptables-legacy",
		"iptables-nft", "/usr/sbin/iptables-legacy", "/usr/sbin/iptables-nft",
		"/sbin/iptables-legacy", "/sbin/iptables-nft",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(w, names[i]))
			return true;
	return false;
}

static int run(struct sh *sh, size_t from, size_t to);

/* NAME=fields, the fields joined by spaces again */
static int assign(struct sh *sh, const char *name, size_t nlen, const struct fields *fs)
{
	size_t len = 1;
	char *v;
	int rc;

	for (size_t i = 0; i < fs->n; i++)
		len += strlen(fs->f[i]) + 1;
	if (len > NC_LINE_MAX + 2)	/* the fields' spaces and the NUL */
		return -2;
	v = calloc(1, len);
	if (!v)
		return -1;
	for (size_t i = 0, at = 0; i < fs->n; i++) {
		size_t n = strlen(fs->f[i]);

		if (i)
			v[at++] = ' ';
		memcpy(v + at, fs->f[i], n);
		at += n;
	}
	rc = var_set(sh, name, nlen, v);
	free(v);
	return rc;
}

static int simple(struct sh *sh, struct scmd *c)
{
	struct fields fs = { .budget = &sh->budget };
	const char *why = NULL;
	size_t k = 0, a = 0;
	int rc = 0;

	/* assignments first: NAME=value (and export NAME=value) */
	if (c->n && (!strcmp(c->w[0], "export") || !strcmp(c->w[0], "readonly") ||
		     !strcmp(c->w[0], "local")) && c->n > 1 && is_assignment(c->w[1]))
		k = 1;
	for (; k < c->n && is_assignment(c->w[k]); k++, a++) {
		const char *eq = strchr(c->w[k], '=');

		if ((rc = expand(sh, eq + 1, &fs, &why)) < 0)
			goto fail;
		/* one value: fields joined back (no splitting on assignment) */
		rc = assign(sh, c->w[k], (size_t)(eq - c->w[k]), &fs);
		if (rc == -2) {
			why = NC_MSG_VALUE_LONG;
			goto fail;
		}
		if (rc < 0)
			goto nomem;
		fields_free(&fs);
	}
	if (k == c->n)
		return 0;
	for (; k < c->n; k++)
		if ((rc = expand(sh, c->w[k], &fs, &why)) < 0)
			goto fail;
	k = 0;
	if (fs.n && !strcmp(fs.f[0], "sudo")) {
		k = 1;
		while (k < fs.n && fs.f[k][0] == '-')
			k++;
	}
	if (k >= fs.n) {
		fields_free(&fs);
		return 0;	/* nothing left to run */
	}
	if (!is_iptables(fs.f[k])) {
		why = strstr(fs.f[k], "iptables") ? "an iptables program natc does not "
			"translate (IPv4 iptables only)" : "not an iptables command (not run)";
		fields_free(&fs);
		return skip_range(sh, (size_t)(c - sh->c), (size_t)(c - sh->c) + 1, why);
	}
	rc = sh->ops->command(sh->user, (int)(fs.n - k - 1), fs.f + k + 1, c->first);
	fields_free(&fs);
	return rc;
fail:
	fields_free(&fs);
	if (!why)
		return -1;
	if (rc == -2)
		return refuse(sh, c->first, why);
	return skip_range(sh, (size_t)(c - sh->c), (size_t)(c - sh->c) + 1, why);
nomem:
	fields_free(&fs);
	return -1;
}

/* for NAME in WORDS; do BODY; done */
static int loop(struct sh *sh, size_t i, size_t end)
{
	struct scmd *c = &sh->c[i];
	struct fields fs = { .budget = &sh->budget };
	const char *why = NULL;
	size_t body = i + 1;
	int rc = 0;

	if (c->n < 3 || strcmp(c->w[2], "in") || !is_name(c->w[1]) ||
	    body >= end || !is(&sh->c[body], "do") || sh->c[body].n != 1 ||
	    !is(&sh->c[end], "done") || sh->c[end].n != 1)
		return skip_range(sh, i, end + 1, "a loop the reader does not follow");
	for (size_t k = 3; k < c->n; k++)
		if ((rc = expand(sh, c->w[k], &fs, &why)) < 0) {
			fields_free(&fs);
			if (!why)
				return -1;
			if (rc == -2)
				return refuse(sh, c->first, why);
			return skip_range(sh, i, end + 1, why);
		}
	body++;
	for (size_t v = 0; v < fs.n && rc == 0; v++) {
		/* each pass costs its value again and NC_SCRIPT_PASS_COST:
		 * nested loops are bounded even when their bodies expand
		 * nothing */
		size_t cost = strlen(fs.f[v]) + NC_SCRIPT_PASS_COST;

		if (cost > sh->budget) {
			fields_free(&fs);
			return refuse(sh, c->first, NC_MSG_EXPAND_MAX);
		}
		sh->budget -= cost;
		rc = var_set(sh, c->w[1], strlen(c->w[1]), fs.f[v]);
		if (rc == 0)
			rc = run(sh, body, end);
	}
	fields_free(&fs);
	return rc;
}

static int run(struct sh *sh, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		struct scmd *c = &sh->c[i];
		int rc;

		if (++sh->steps > NC_SCRIPT_MAX_STEPS)	/* reading stops */
			return refuse(sh, c->first, NC_MSG_STEPS_MAX);
		if (c->comment) {
			rc = sh->ops->comment(sh->user, c->comment, strlen(c->comment),
					      c->first);
		} else if (is(c, "for") && !c->why) {
			size_t end = block_end(sh, i, to);

			rc = loop(sh, i, end);
			i = end;
		} else if (is(c, "if") || is(c, "case") || is(c, "while") ||
			   is(c, "until") || is(c, "{") || is(c, "function") ||
			   is(c, "for") ||
			   (c->why && !strcmp(c->why, "a function"))) {
			size_t end = block_end(sh, i, to);
			const char *why = is(c, "if") ? "a conditional (if)" :
				is(c, "case") ? "a case statement" :
				is(c, "for") ? "a loop the reader does not follow" :
				(is(c, "while") || is(c, "until")) ? "a while loop" :
				c->why ? c->why : "a function";

			rc = skip_range(sh, i, end + 1, why);
			i = end;
		} else if (c->why) {
			rc = skip_range(sh, i, i + 1, c->why);
		} else if (is(c, "done") || is(c, "fi") || is(c, "esac") || is(c, "}") ||
			   is(c, "then") || is(c, "else") || is(c, "do")) {
			rc = skip_range(sh, i, i + 1, "a shell keyword out of place");
		} else {
			rc = simple(sh, c);
		}
		if (rc != 0)
			return rc;	/* -1, or 1: stopped (too long) */
	}
	return 0;
}

/* "do cmd ..." (and then, else): the keyword alone, then the command. */
static int split_keywords(struct sh *sh)
{
	for (size_t i = 0; i < sh->n; i++) {
		struct scmd *c = &sh->c[i], *d;

		if (!(is(c, "do") || is(c, "then") || is(c, "else")) || c->n < 2)
			continue;
		if (!new_cmd(sh, 0))
			return -1;
		c = &sh->c[i];
		memmove(c + 2, c + 1, (sh->n - i - 2) * sizeof(*c));
		d = c + 1;
		*d = *c;
		d->w = malloc((c->n - 1) * sizeof(char *));
		if (!d->w) {
			d->n = 0;
			return -1;
		}
		memcpy(d->w, c->w + 1, (c->n - 1) * sizeof(char *));
		d->n = c->n - 1;
		c->n = 1;
		c->why = NULL;
	}
	return 0;
}

/* A NUL byte or a line longer than NC_LINE_MAX, as in save files
 * (parser/scanfile.c): the first refuses the script at its line. */
static int check_text(struct sh *sh, const char *t, size_t len)
{
	const char *nul = memchr(t, '\0', len);
	uint32_t line = 1;

	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - t) : len;

		if (nul && (size_t)(nul - t) < e)
			return refuse(sh, line, NC_MSG_NUL);
		if (e - i > NC_LINE_MAX)
			return refuse(sh, line, NC_MSG_LONG_LINE);
		i = e + 1;
	}
	return 0;
}

int nc_parse_script(const char *text, size_t len, const struct nc_script_ops *ops,
		    void *user)
{
	struct sh sh = { .ops = ops, .user = user, .budget = NC_SCRIPT_EXPAND_MAX };
	int rc = check_text(&sh, text, len);

	if (rc == 0)
		rc = cut(&sh, text, len);

	if (rc == 0)
		rc = split_keywords(&sh);
	if (rc == 0)
		rc = run(&sh, 0, sh.n) < 0 ? -1 : 0;
	for (size_t i = 0; i < sh.n; i++) {
		for (size_t k = 0; k < sh.c[i].n; k++)
			free(sh.c[i].w[k]);
		free(sh.c[i].w);
		free(sh.c[i].comment);
	}
	free(sh.c);
	for (size_t i = 0; i < sh.nv; i++) {
		free(sh.v[i].name);
		free(sh.v[i].value);
	}
	free(sh.v);
	return rc;
}

bool nc_text_is_script(const char *text, size_t len)
{
	/* a save file has a "*table" line, or COMMIT; a script has neither */
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;

		if (text[i] == '*' && e > i + 1 && isalpha((unsigned char)text[i + 1]))
			return false;
		if (e - i >= 6 && !strncmp(text + i, "COMMIT", 6))
			return false;
		i = e + 1;
	}
	return true;
}
