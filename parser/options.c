// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which words are options: iptables' getopt table, written once.  Long
 * options may be abbreviated to any unambiguous prefix, as getopt_long
 * allows; short options may be bundled ("-nvL") and take their argument
 * from the rest of the word ("-tnat").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser/state.h"
#include "parser/lex.h"
#include "ir/ext.h"
#include "ir/ext/lib/xt.h"
#include "parser/grammar.h"

struct opt_def {
	const char *lname;	/* long name without "--", NULL if none */
	char sname;		/* short letter, 0 if none */
	int tok;		/* grammar token */
	int val;		/* enum nc_cmd_kind or enum nc_opt_kind */
	int nargs;		/* words that must follow (getopt "required") */
};

static const struct opt_def opts[] = {
	{ "append",        'A', T_CMD_CHAIN,           NC_CMD_APPEND,        1 },
	{ "check",         'C', T_CMD_CHAIN,           NC_CMD_CHECK,         1 },
	{ "delete",        'D', T_CMD_CHAIN_OPTNUM,    NC_CMD_DELETE,        1 },
	{ "insert",        'I', T_CMD_CHAIN_OPTNUM,    NC_CMD_INSERT,        1 },
	{ "replace",       'R', T_CMD_CHAIN_NUM,       NC_CMD_REPLACE,       1 },
	{ "list",          'L', T_CMD_OPTCHAIN_OPTNUM, NC_CMD_LIST,          0 },
	{ "list-rules",    'S', T_CMD_OPTCHAIN_OPTNUM, NC_CMD_LIST_RULES,    0 },
	{ "flush",         'F', T_CMD_OPTCHAIN,        NC_CMD_FLUSH,         0 },
	{ "zero",          'Z', T_CMD_OPTCHAIN_OPTNUM, NC_CMD_ZERO,          0 },
	{ "new-chain",     'N', T_CMD_CHAIN,           NC_CMD_NEW_CHAIN,     1 },
	{ "new",           0,   T_CMD_CHAIN,           NC_CMD_NEW_CHAIN,     1 },
	{ "delete-chain",  'X', T_CMD_OPTCHAIN,        NC_CMD_DELETE_CHAIN,  0 },
	{ "policy",        'P', T_CMD_CHAIN_WORD,      NC_CMD_POLICY,        2 },
	{ "rename-chain",  'E', T_CMD_CHAIN_WORD,      NC_CMD_RENAME_CHAIN,  2 },
	{ "help",          'h', T_CMD_NOARG,           NC_CMD_HELP,          0 },
	{ "version",       'V', T_CMD_NOARG,           NC_CMD_VERSION,       0 },
	{ "source",        's', T_OPT_ARG,    NC_OPT_SOURCE,        1 },
	{ "src",           0,   T_OPT_ARG,    NC_OPT_SOURCE,        1 },
	{ "destination",   'd', T_OPT_ARG,    NC_OPT_DEST,          1 },
	{ "dst",           0,   T_OPT_ARG,    NC_OPT_DEST,          1 },
	{ "protocol",      'p', T_OPT_ARG,    NC_OPT_PROTO,         1 },
	{ "in-interface",  'i', T_OPT_ARG,    NC_OPT_IN,            1 },
	{ "out-interface", 'o', T_OPT_ARG,    NC_OPT_OUT,           1 },
	{ "fragment",      'f', T_OPT_FLAG,   NC_OPT_FRAG,          0 },
	{ "jump",          'j', T_OPT_ARG,    NC_OPT_JUMP,          1 },
	{ "goto",          'g', T_OPT_ARG,    NC_OPT_GOTO,          1 },
	{ "match",         'm', T_OPT_ARG,    NC_OPT_MATCH,         1 },
	{ "table",         't', T_OPT_ARG,    NC_OPT_TABLE,         1 },
	{ "verbose",       'v', T_OPT_FLAG,   NC_OPT_VERBOSE,       0 },
	{ "numeric",       'n', T_OPT_FLAG,   NC_OPT_NUMERIC,       0 },
	{ "exact",         'x', T_OPT_FLAG,   NC_OPT_EXACT,         0 },
	{ "line-numbers",  0,   T_OPT_FLAG,   NC_OPT_LINENUMBERS,   0 },
	{ "wait",          'w', T_OPT_OPTARG, NC_OPT_WAIT,          0 },
	{ "wait-interval", 'W', T_OPT_ARG,    NC_OPT_WAIT_INTERVAL, 1 },
	{ "set-counters",  'c', T_OPT_2ARG,   NC_OPT_COUNTERS,      2 },
	{ "ipv4",          '4', T_OPT_FLAG,   NC_OPT_IPV4,          0 },
	{ "ipv6",          '6', T_OPT_FLAG,   NC_OPT_IPV6,          0 },
	{ "modprobe",      'M', T_OPT_ARG,    NC_OPT_MODPROBE,      1 },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static const struct opt_def *find_short(char c)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].sname == c)
			return &opts[i];
	return NULL;
}

/* Exact long name, else a unique prefix; *ambiguous set when several. */
static const struct opt_def *find_long(const char *name, size_t len, bool *ambiguous)
{
	const struct opt_def *hit = NULL;

	*ambiguous = false;
	/* the name's @len bytes against each long name's, none beyond: a
	 * name holding a NUL byte is no name */
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].lname && opts[i].lname[0] == name[0] &&
		    strnlen(opts[i].lname, len + 1) == len &&
		    !memcmp(opts[i].lname, name, len))
			return &opts[i];
	for (size_t i = 0; i < NOPTS; i++) {
		if (!opts[i].lname || opts[i].lname[0] != name[0] ||
		    strnlen(opts[i].lname, len) < len || memcmp(opts[i].lname, name, len))
			continue;
		if (hit && (hit->tok != opts[i].tok || hit->val != opts[i].val))
			*ambiguous = true;
		hit = &opts[i];
	}
	return hit;
}

/* Keep a bounded copy of a word for messages (cheaper than snprintf on
 * every word of a 100,000-line file). */
static void remember(char *dst, size_t size, const char *a, const char *b, size_t n)
{
	size_t la = a ? strlen(a) : 0;

	if (la > size - 1)
		la = size - 1;
	if (la)
		memcpy(dst, a, la);
	if (n > size - 1 - la)
		n = size - 1 - la;
	memcpy(dst + la, b, n);
	dst[la + n] = '\0';
}

/* A word's copy, in the strings the next command gets. */
static char *dup_n(struct nc_parse_state *st, const char *s, size_t n)
{
	return nc_store_dup(&st->strs, s, n);
}

char *nc_lex_join2(struct nc_parse_state *st, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = nc_store_alloc(&st->strs, la + lb + 2);

	if (s) {
		memcpy(s, a, la);
		s[la] = ' ';
		memcpy(s + la + 1, b, lb + 1);
	}
	return s;
}

/* Queue one token (@str in the state's strings). */
static int push(struct nc_parse_state *st, int kind, int num, char *str,
		int first, int last)
{
	struct nc_tok *t;

	if (st->npending == NC_PENDING_MAX)
		return -1;
	t = &st->pending[st->npending++];
	t->kind = kind;
	t->str = str;
	t->first_col = first;
	t->last_col = last;
	t->num = num;
	return 0;
}

int nc_lex_pop(struct nc_parse_state *st, NC_YYSTYPE *lval, NC_YYLTYPE *lloc)
{
	struct nc_tok *t = &st->pending[st->next_pending++];
	int kind = t->kind;

	if (t->str)
		lval->str = t->str;
	else
		lval->num = t->num;
	t->str = NULL;
	lloc->first_line = lloc->last_line = (int)st->line;
	lloc->first_column = t->first_col;
	lloc->last_column = t->last_col;
	if (st->next_pending == st->npending)
		st->npending = st->next_pending = 0;
	return kind;
}

static int lex_ambiguous(struct nc_parse_state *st, int first, int last,
			 const char *word)
{
	struct nc_loc l = nc_loc_cols(st->line, first, last);

	nc_err_param(st->err, &l, "option \"%s\" is ambiguous", word);
	return push(st, T_ERROR, 0, NULL, first, last);
}

/* A word after -m or -j: remember it when natc has no kind of that name,
 * for the options of libxtables' extension. */
/* -p's protocol: ICMPv6's names load libxtables' icmp6 match when one of
 * its options follows (ip6tables does; libxtables' xtables_find_match
 * takes ipv6-icmp and icmpv6 for icmp6), which no natc kind is. */
static void note_proto(struct nc_parse_state *st, const char *w)
{
	st->want_ext = 0;
	if ((strcmp(w, "ipv6-icmp") && strcmp(w, "icmpv6") && strcmp(w, "58")) ||
	    st->nxt_names == NC_XT_NAMES_MAX)
		return;
	strcpy(st->xt_names[st->nxt_names++], "icmp6");
}

static void note_ext(struct nc_parse_state *st, const char *w, int kind)
{
	st->want_ext = 0;
	if (nc_ext_find(kind, w, AF_INET) || st->nxt_names == NC_XT_NAMES_MAX ||
	    strlen(w) >= sizeof(st->xt_names[0]))
		return;
	strcpy(st->xt_names[st->nxt_names++], w);
}

/* The state's cache slot of long option @name (@len bytes, up to any
 * '='), emptied for it if it held another name; NULL when it does not
 * fit.  What is cached depends on the name only (constant tables). */
static struct nc_optcache *opt_slot(struct nc_parse_state *st, const char *name,
				    size_t len)
{
	unsigned h = 5381;
	struct nc_optcache *c;

	if (st->slot_name == name && st->slot_len == len)
		return st->slot;	/* the word's second lookup */
	if (!len || len >= sizeof(st->optcache[0].name))
		return NULL;
	for (size_t i = 0; i < len; i++)
		h = h * 33 + (unsigned char)name[i];
	c = &st->optcache[h % NC_OPTCACHE_SLOTS];
	if (strncmp(c->name, name, len) || c->name[len]) {
		memset(c, 0, sizeof(*c));
		memcpy(c->name, name, len);
	}
	st->slot_name = name;
	st->slot_len = len;
	st->slot = c;
	return c;
}

/* nc_ext_opt_takes_arg(@name) through the state's cache */
static int kind_takes_arg(struct nc_parse_state *st, const char *name)
{
	struct nc_optcache *c = opt_slot(st, name, strcspn(name, "="));

	if (!c)
		return nc_ext_opt_takes_arg(name);
	if (!c->has_takes) {
		c->takes = nc_ext_opt_takes_arg(c->name);
		c->has_takes = true;
	}
	return c->takes;
}

/* find_long() through the state's cache */
static const struct opt_def *find_long_cached(struct nc_parse_state *st,
					      const char *name, size_t len,
					      bool *ambiguous)
{
	struct nc_optcache *c = opt_slot(st, name, len);

	if (!c)
		return find_long(name, len, ambiguous);
	if (!c->has_def) {
		c->def = find_long(name, len, &c->ambiguous);
		c->has_def = true;
	}
	*ambiguous = c->ambiguous;
	return c->def;
}

/* find_short() through the state's cache */
static const struct opt_def *find_short_cached(struct nc_parse_state *st, char ch)
{
	unsigned char u = (unsigned char)ch;
	const struct opt_def *d;

	if (u >= sizeof(st->shortcache))
		return find_short(ch);
	if (!st->shortcache[u]) {
		d = find_short(ch);
		st->shortcache[u] = d ? (uint8_t)(d - opts + 1) : 0xff;
	}
	return st->shortcache[u] == 0xff ? NULL : &opts[st->shortcache[u] - 1];
}

/* Whether extension option @name takes arguments: the libxtables
 * extensions the command loaded first, as iptables merges their options
 * into its own table, then natc's own kinds. */
static int ext_takes_arg(struct nc_parse_state *st, const char *name)
{
	const char *names[NC_XT_NAMES_MAX];
	int takes = -1;

	for (int i = 0; i < st->nxt_names; i++)
		names[i] = st->xt_names[i];
	if (st->nxt_names)
		takes = nc_xt_opt_takes_arg(names, (size_t)st->nxt_names, name);
	return takes >= 0 ? takes : kind_takes_arg(st, name);
}

static int queue_word(struct nc_parse_state *st, const char *w, size_t n,
		      int first)
{
	char *s = dup_n(st, w, n);

	if (!s)
		return -1;
	st->last_word = s;
	st->second_of_two = st->want_args == 2;
	if (st->want_args > 0)
		st->want_args--;
	if (st->want_ext == NC_WANT_PROTO)
		note_proto(st, s);
	else if (st->want_ext)
		note_ext(st, s, st->want_ext - 1);
	return push(st, T_WORD, 0, s, first, first + (int)n - 1);
}

static int queue_opt(struct nc_parse_state *st, const struct opt_def *d,
		     const char *word, size_t wlen, int first, int last)
{
	remember(st->last_opt, sizeof(st->last_opt), NULL, word, wlen);
	st->want_args = d->nargs;
	if (d->tok == T_OPT_ARG && d->val == NC_OPT_MATCH)
		st->want_ext = NC_EXT_MATCH + 1;
	else if (d->tok == T_OPT_ARG && d->val == NC_OPT_JUMP)
		st->want_ext = NC_EXT_TARGET + 1;
	else if (d->tok == T_OPT_ARG && d->val == NC_OPT_PROTO)
		st->want_ext = NC_WANT_PROTO;
	return push(st, d->tok, d->val, NULL, first, last);
}

static int lex_long(struct nc_parse_state *st, const char *w, size_t wlen, int col)
{
	const char *name = w + 2, *eq = memchr(name, '=', wlen - 2);
	size_t len = eq ? (size_t)(eq - name) : wlen - 2;
	int last = col + 2 + (int)len - 1;
	const struct opt_def *d;
	bool ambiguous;
	char *s;
	int takes;

	st->slot_name = NULL;	/* a new word: opt_slot() looks again */
	d = find_long_cached(st, name, len, &ambiguous);
	/* an exact generic name is it; otherwise exact extension names win
	 * over generic prefixes */
	takes = d && !d->lname[len] ? -1 : ext_takes_arg(st, name);
	if (d && (takes < 0 || !d->lname[len])) {
		if (ambiguous)
			return lex_ambiguous(st, col, last, w);
		if (queue_opt(st, d, w, 2 + len, col, last) < 0)
			return -1;
	} else {
		if (takes < 0) {
			if (!(s = dup_n(st, w, 2 + len)))	/* "--name" */
				return -1;
			return push(st, T_BADOPT, 0, s, col, last);
		}
		if (!(s = dup_n(st, name, len)))
			return -1;
		remember(st->last_opt, sizeof(st->last_opt), "--", s, strlen(s));
		st->want_args = takes;
		if (push(st, takes == 2 ? T_EXTOPT_ARG2 : takes ? T_EXTOPT_ARG : T_EXTOPT,
			 0, s, col, last) < 0)
			return -1;
	}
	if (eq)
		return queue_word(st, eq + 1, wlen - 2 - len - 1, last + 2);
	return 0;
}

/* an option whose argument getopt takes only from the rest of its word
 * (iptables' "L::S::F::Z::X::w::"), the grammar from the next word too */
static bool optional_arg(const struct opt_def *d)
{
	return d->tok == T_CMD_OPTCHAIN || d->tok == T_CMD_OPTCHAIN_OPTNUM ||
	       d->tok == T_OPT_OPTARG;
}

static int lex_short(struct nc_parse_state *st, const char *w, int col)
{
	for (size_t i = 1; w[i]; i++) {
		const struct opt_def *d = find_short_cached(st, w[i]);
		int c = col + (int)i;

		/* a letter queues an option and perhaps its argument: a bundle
		 * longer than the queue is no command iptables takes either */
		if (st->npending + 2 >= NC_PENDING_MAX) {
			struct nc_loc l = nc_loc_cols(st->line, col, col + (int)strlen(w) - 1);

			st->npending = st->next_pending = 0;	/* the error alone */
			nc_err_param(st->err, &l, "too many options bundled in one word");
			return push(st, T_ERROR, 0, NULL, l.first_col, l.last_col);
		}

		if (!d)
			return push(st, T_BADOPT, 0, dup_n(st, w, strlen(w)), col,
				    col + (int)strlen(w) - 1);
		/* a lone option is located at its word, a bundled one at its
		 * letter */
		if (queue_opt(st, d, (char[]){ '-', w[i], 0 }, 2, w[2] ? c : col, c) < 0)
			return -1;
		/* a required argument may be the rest of the word (-tnat), and
		 * so is an optional one, as getopt's "L::" has it: -LPREROUTING
		 * lists PREROUTING, -w5 waits 5 seconds */
		if ((d->nargs > 0 || optional_arg(d)) && w[i + 1])
			return queue_word(st, w + i + 1, strlen(w + i + 1), c + 1);
	}
	return 0;
}

int nc_lex_word(struct nc_parse_state *st, const char *w, size_t wlen,
		NC_YYSTYPE *lval, NC_YYLTYPE *lloc)
{
	int col = lloc->first_column, rc;

	/* iptables takes a second argument only if it does not look like
	 * an option or a '!' */
	if (st->second_of_two && st->want_args == 1 &&
	    (w[0] == '-' || w[0] == '!')) {
		struct nc_loc l = nc_loc_cols(st->line, col, col);

		nc_err_param(st->err, &l, "%s requires two args.", st->last_opt);
		nc_lex_cleanup(st);
		return T_ERROR;
	}
	if (st->want_args > 0 || w[0] != '-' || !w[1]) {
		if (!st->want_args && w[0] == '!' && !w[1]) {
			st->last_word = "!";
			return T_BANG;
		}
		rc = queue_word(st, w, wlen, col);
	} else if (w[1] == '-' && w[2]) {
		rc = lex_long(st, w, wlen, col);
	} else if (w[1] == '-') {
		rc = queue_word(st, w, wlen, col);	/* "--" */
	} else {
		rc = lex_short(st, w, col);
	}
	if (rc < 0) {
		struct nc_loc l = nc_loc_cols(st->line, col, col);

		nc_err_set(st->err, NC_ERESOURCE, &l, "out of memory");
		nc_lex_cleanup(st);
		return T_ERROR;
	}
	return nc_lex_pop(st, lval, lloc);
}

void nc_lex_newline(struct nc_parse_state *st)
{
	st->line++;
	st->col = 1;
	st->eol_want_args = st->want_args;	/* for "requires an argument" */
	st->eol_second_of_two = st->second_of_two && st->want_args == 1;
	st->second_of_two = false;
	st->want_args = 0;
	st->want_ext = 0;
	st->nxt_names = 0;
}

int nc_lex_special(struct nc_parse_state *st, int tok, const char *s,
		   NC_YYSTYPE *lval)
{
	lval->str = dup_n(st, s, strcspn(s, " \t\r"));	/* not the blanks after it */
	if (!lval->str) {
		nc_err_set(st->err, NC_ERESOURCE, NULL, "out of memory");
		return T_ERROR;
	}
	return tok;
}

void nc_lex_word_start(struct nc_parse_state *st, int col)
{
	st->qlen = 0;
	st->qcol = st->wcol = col;
	st->qfailed = false;
}

void nc_lex_quote_add(struct nc_parse_state *st, const char *s, size_t n)
{
	if (st->qlen + n + 1 > st->qcap) {
		size_t cap = (st->qlen + n + 1) * 2;
		char *b = realloc(st->qbuf, cap);

		if (!b) {
			st->qfailed = true;
			return;
		}
		st->qbuf = b;
		st->qcap = cap;
	}
	memcpy(st->qbuf + st->qlen, s, n);
	st->qlen += n;
}

int nc_lex_word_end(struct nc_parse_state *st, NC_YYSTYPE *lval, NC_YYLTYPE *lloc)
{
	lloc->first_column = st->wcol;
	lloc->last_column = st->col - 1;
	if (st->qfailed) {
		nc_err_set(st->err, NC_ERESOURCE, NULL, "out of memory");
		return T_ERROR;
	}
	nc_lex_quote_add(st, "", 1);	/* the NUL */
	if (st->qfailed) {
		nc_err_set(st->err, NC_ERESOURCE, NULL, "out of memory");
		return T_ERROR;
	}
	return nc_lex_word(st, st->qbuf, st->qlen - 1, lval, lloc);
}

int nc_lex_unterminated(struct nc_parse_state *st, int last_col)
{
	struct nc_loc l = nc_loc_cols(st->line, st->qcol, last_col);

	nc_err_param(st->err, &l, "unterminated quoted string");
	return T_ERROR;
}

void nc_lex_cleanup(struct nc_parse_state *st)
{
	st->npending = st->next_pending = 0;	/* their strings are in st->strs */
	free(st->qbuf);
	st->qbuf = NULL;
	st->qcap = st->qlen = 0;
}
