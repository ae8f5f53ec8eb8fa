// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shell scripts of iptables commands (parser/script.h).  Two steps: the
 * text is cut into simple commands (words kept as written, quotes and
 * all; newlines and ';' separate; a backslash before a newline joins
 * lines), then the commands are walked: assignments set variables, for
 * loops repeat their body, iptables commands are expanded and handed on.
 * A here-document's body belongs to its command (parser/shcut.c); fed to
 * iptables-restore it is expanded line by line, as the shell would, and
 * handed on to be read as a save file (restore()).  Nothing is ever
 * executed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser/parser.h"
#include "parser/script.h"
#include "parser/shell.h"

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

/* @w names iptables-restore (natc reads what it is fed as a save file) */
static bool is_restore(const char *w)
{
	static const char *const names[] = {
		"iptables-restore", "iptables-nft-restore", "iptables-legacy-restore",
	};
	const char *base = w[0] == '/' && strrchr(w, '/') ? strrchr(w, '/') + 1 : w;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(base, names[i]))
			return true;
	return false;
}

/* A body line "*nat" (perhaps after tabs), or "-t nat" in it. */
static bool here_nat(const struct scmd *c)
{
	const char *p = c->here, *e = c->here + c->here_len;

	for (; p && p < e; p++) {
		if ((p == c->here || p[-1] == '\n' || p[-1] == '\t') &&
		    e - p >= 4 && !memcmp(p, "*nat", 4))
			return true;
		if (e - p >= 6 && !memcmp(p, "-t nat", 6))
			return true;
	}
	return false;
}

/* Whether a command the reader does not follow is one of iptables' nat
 * table (the exit status says so, README.md): a word naming iptables (or
 * a variable, "$IPT") and the table chosen as "-t nat"; iptables-restore
 * fed a nat table, or a file natc cannot see. */
static bool nat_command(const struct scmd *c)
{
	bool ipt = false, nat = false, restore = false;

	for (size_t k = 0; k < c->n; k++) {
		const char *w = c->w[k];

		ipt |= strstr(w, "iptables") != NULL || w[0] == '$';
		restore |= strstr(w, "tables-") && strstr(w, "-restore");
		if (!strcmp(w, "-tnat") || !strcmp(w, "--table=nat") ||
		    ((!strcmp(w, "-t") || !strcmp(w, "--table")) && k + 1 < c->n &&
		     !strcmp(c->w[k + 1], "nat")))
			nat = true;
	}
	if (c->here)
		nat |= here_nat(c);
	else
		nat |= restore;
	return ipt && nat;
}

/* A `$' the shell would have expanded, in @n bytes at @s: a single-quoted
 * or quoted here-document's "$X" never reaches nft (it would read it as a
 * variable of its own, or a name with a '$'). */
static bool unexpanded(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '$' && s[i + 1] &&
		    (isalnum((unsigned char)s[i + 1]) || strchr("_{(@*#?!$-", s[i + 1])))
			return true;
	return false;
}

static int skip_range(struct sh *sh, size_t from, size_t to, const char *why)
{
	for (size_t i = from; i < to && i < sh->n; i++) {
		struct scmd *c = &sh->c[i];

		bool nat = nat_command(c) && !c->down;

		for (uint32_t l = c->first; l <= c->last; l++) {
			if (i > from && l == sh->c[i - 1].last)
				continue;	/* reported with the command before */
			if (sh->ops->skipped(sh->user, l, why, nat) < 0)
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

/* The expanded body of a here-document (here_expand()). */
struct body {
	char *text;
	size_t len, cap;
	struct nc_script_bad *bad;
	size_t nbad;
};

static int body_put(struct body *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		char *v;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(v = realloc(b->text, cap)))
			return -1;
		b->text = v;
		b->cap = cap;
	}
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = '\0';
	return 0;
}

static int body_bad(struct body *b, uint32_t line, const char *why)
{
	struct nc_script_bad *v = realloc(b->bad, (b->nbad + 1) * sizeof(*v));

	if (!v)
		return -1;
	b->bad = v;
	v[b->nbad++] = (struct nc_script_bad){ line, why };
	return 0;
}

/* One line of a here-document at @p (NUL-terminated) into @fs, as the
 * shell expands it: $NAME and ${NAME}, backslashes before `$', '`' and
 * '\\'; quotes are the line's own (iptables-restore reads them).  NULL,
 * or why the line cannot be expanded; *@cont: it ends with a backslash,
 * the next line goes on with it. */
static const char *here_line(const struct sh *sh, const char *p, struct fields *fs,
			     bool *cont)
{
	const char *why = NULL;

	*cont = false;
	while (*p) {
		if (*p == '\\' && p[1] && strchr("$`\\", p[1])) {
			f_putc(fs, p[1]);
			p += 2;
		} else if (*p == '\\' && !p[1]) {
			*cont = true;
			return NULL;
		} else if (*p == '`' || (*p == '$' && p[1] == '(')) {
			return "command substitution";
		} else if (*p == '$') {
			size_t used;
			const char *v = expand_var(sh, p, &used, &why);

			if (!v)
				return why;
			if (strchr(v, '\n'))
				return "a variable whose value holds a newline";
			for (; *v; v++)
				f_putc(fs, *v);
			p += used;
		} else {
			f_putc(fs, *p++);
		}
	}
	return NULL;
}

/* The body of @c's here-document as the shell would hand it on (a line
 * for each of its lines, those it cannot expand empty and in @b->bad).
 * 0; -1 out of memory; -2 a limit passed (*@why, at line *@at). */
static int here_expand(struct sh *sh, const struct scmd *c, struct body *b,
		       const char **why, uint32_t *at)
{
	const char *t = c->here, *end = c->here + c->here_len;
	struct fields fs = { .budget = &sh->budget };
	uint32_t line = c->here_line, start = line, joined = 0;
	const char *bad = NULL;
	char *tmp = NULL;
	int rc = 0;

	while (t < end && rc == 0) {
		const char *nl = memchr(t, '\n', (size_t)(end - t));
		const char *e = nl ? nl : end;
		bool cont = false;
		char *v;

		if (c->here_tabs)
			while (t < e && *t == '\t')
				t++;
		if (!(v = realloc(tmp, (size_t)(e - t) + 1))) {
			rc = -1;
			break;
		}
		tmp = v;
		memcpy(tmp, t, (size_t)(e - t));
		tmp[e - t] = '\0';
		if (!joined) {
			start = line;
			bad = NULL;
		}
		if (c->here_quoted)
			for (const char *p = tmp; *p; p++)
				f_putc(&fs, *p);
		else if (!bad)
			bad = here_line(sh, tmp, &fs, &cont);
		if (fs.refused || fs.failed) {
			*why = fs.refused;
			*at = line;
			rc = fs.refused ? -2 : -1;
			break;
		}
		line++;
		t = nl ? nl + 1 : end;
		if (cont && !bad && t < end) {
			joined++;	/* the next line goes on with this one */
			continue;
		}
		if (!bad && unexpanded(fs.cur ? fs.cur : "", fs.len))
			bad = "a `$' the shell hands on unexpanded (quoted): natc "
			      "does not translate it";
		if (bad)
			rc = body_bad(b, start, bad);
		else
			rc = body_put(b, fs.cur ? fs.cur : "", fs.len);
		if (rc == 0)
			rc = body_put(b, "\n", 1);
		/* lines joined to it: empty, so that lines keep their numbers */
		for (uint32_t j = 1; j <= joined && rc == 0; j++)
			if ((rc = body_put(b, "\n", 1)) == 0)
				rc = body_bad(b, start + j, NULL);
		joined = 0;
		fs.len = 0;
		fs.started = false;
	}
	free(tmp);
	free(fs.cur);
	return rc;
}

/* iptables-restore (-nft, -legacy) fed a here-document: its body, expanded,
 * to ops->restore() as a save file at its lines. */
static int restore(struct sh *sh, struct scmd *c, int argc, char **argv)
{
	struct body b = { 0 };
	const char *why = NULL;
	uint32_t at = c->first;
	int rc;

	if (!c->here || !sh->ops->restore)
		return skip_range(sh, (size_t)(c - sh->c), (size_t)(c - sh->c) + 1,
				  "iptables-restore of a file natc does not see (give it "
				  "with -f)");
	/* each line of it is a command walked (NC_SCRIPT_MAX_STEPS) */
	sh->steps += c->last - c->here_line;
	if (sh->steps > NC_SCRIPT_MAX_STEPS)
		return refuse(sh, c->first, NC_MSG_STEPS_MAX);
	rc = here_expand(sh, c, &b, &why, &at);
	if (rc == 0) {
		struct nc_script_here h = {
			.argc = argc, .argv = argv, .line = c->first,
			.text = b.text ? b.text : "", .len = b.len, .first = c->here_line,
			.bad = b.bad, .nbad = b.nbad,
		};

		rc = sh->ops->restore(sh->user, &h);
	} else if (rc == -2) {
		rc = refuse(sh, at, why);
	}
	free(b.text);
	free(b.bad);
	return rc;
}

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
	if (is_restore(fs.f[k])) {
		rc = restore(sh, c, (int)(fs.n - k - 1), fs.f + k + 1);
		fields_free(&fs);
		return rc;
	}
	if (!is_iptables(fs.f[k])) {
		why = strstr(fs.f[k], "iptables-save") ? "iptables-save changes no rule" :
			strstr(fs.f[k], "iptables") ? "an iptables program natc does not "
			"translate (IPv4 iptables only)" : "not an iptables command (not run)";
		fields_free(&fs);
		return skip_range(sh, (size_t)(c - sh->c), (size_t)(c - sh->c) + 1, why);
	}
	for (size_t i = k + 1; i < fs.n; i++)
		if (unexpanded(fs.f[i], strlen(fs.f[i]))) {
			fields_free(&fs);
			return skip_range(sh, (size_t)(c - sh->c), (size_t)(c - sh->c) + 1,
					  "a `$' the shell hands on unexpanded (quoted): "
					  "natc does not translate it");
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
		if (!nc_sh_new_cmd(sh, 0))
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
		c->here = NULL;		/* the command's, not the keyword's */
		c->last = c->first;
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
	return nc_parse_script_as(text, len, NULL, ops, user);
}

int nc_parse_script_as(const char *text, size_t len, const char *iface,
		       const struct nc_script_ops *ops, void *user)
{
	struct sh sh = { .ops = ops, .user = user, .budget = NC_SCRIPT_EXPAND_MAX };
	int rc = check_text(&sh, text, len);

	if (rc == 0)
		rc = nc_sh_is_wg(text, len) ? nc_sh_cut_wg(&sh, text, len, iface) : nc_sh_cut(&sh, text, len, 1);

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
	for (size_t i = 0; i < sh.nkeep; i++)
		free(sh.keep[i]);
	free(sh.keep);
	return rc;
}

/* Line @s..@e (blanks before it skipped) is shell syntax no save file
 * has: an assignment, a keyword or a command natc follows (or a variable
 * holding one, "$IPT"), a function, a here-document. */
static bool shell_line(const char *s, const char *e)
{
	static const char *const words[] = {
		"if", "then", "else", "elif", "fi", "for", "while", "until", "do",
		"done", "case", "esac", "function", "{", "}", "export", "readonly",
		"local", "set", "echo", "exit", "return", "source", ".", "sudo",
		"modprobe", "sysctl",
	};
	size_t n = 0;

	while (s + n < e && !strchr(" \t\r;&|<>(){}=", s[n]))
		n++;
	if (s + n < e && s[n] == '=' && n && (isalpha((unsigned char)s[0]) || s[0] == '_')) {
		size_t k = 0;

		while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_'))
			k++;
		if (k == n)
			return true;	/* NAME=value */
	}
	if (!n && s < e && strchr("{}", s[0]))
		n = 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !memcmp(s, words[i], n))
			return true;
	if (n && (s[0] == '$' || (n >= 8 && memmem(s, n, "iptables", 8))))
		return true;
	if (s + n + 1 < e && s[n] == '(' && s[n + 1] == ')')
		return true;	/* NAME() */
	for (const char *p = s; p + 1 < e; p++)
		if (p[0] == '<' && p[1] == '<')
			return true;
	return false;
}

bool nc_text_is_script(const char *text, size_t len)
{
	bool table = false;

	/* a save file has a "*table" line, or COMMIT; a script may have
	 * them too, in a here-document: it is told by its shell syntax
	 * (before its first here-document, or in a line no save file
	 * has) */
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		const char *s = text + i;

		if (i == 0 && e >= 2 && !memcmp(s, "#!", 2))
			return true;
		while (s < text + e && (*s == ' ' || *s == '\t'))
			s++;
		i = e + 1;
		if (s == text + e || *s == '#' || *s == '-' || *s == ':')
			continue;
		if (*s == '[') {
			if (text + e - s >= 11 && !memcmp(s, "[Interface]", 11))
				return true;	/* wg-quick's */
			continue;	/* "[p:b] -A ..." */
		}
		if (*s == '*' && s + 1 < text + e && isalpha((unsigned char)s[1])) {
			table = true;
			continue;
		}
		if (text + e - s >= 6 && !strncmp(s, "COMMIT", 6)) {
			table = true;
			continue;
		}
		if (shell_line(s, text + e))
			return true;
	}
	return !table;
}
