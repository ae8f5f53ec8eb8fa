// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The comment match (-m comment --comment TEXT) and the rule userdata.
 * At most 240 characters (userdata room, see COMMENT_MAX; iptables: 255).
 *
 * Kernel form: no expression at all.  The text goes into the rule's
 * userdata as TLV type 0 (NUL included), which is what nft writes for
 * `comment "TEXT"` and what both nft and iptables-nft read back.
 *
 * Userdata has no position among the matches, but iptables-nft (which
 * writes an xt comment match where it was typed) prints the comment in
 * that place, and it keeps an empty `-m tcp` that tests nothing.  So natc
 * writes a second TLV of its own, NC_UDATA_NATC, when the rule has
 * something the expressions cannot say.  Its value:
 *
 *   byte 0       format version, 1
 *   then records, each:  TAG  POS  LEN  LEN bytes
 *     TAG 'c'    the comment (text in TLV 0) is match number POS
 *                (0-based, in the rule's match list); LEN is 0
 *     TAG 'e'    an empty match that tests nothing is match number POS;
 *                its kind's name ("tcp") is the LEN bytes, no NUL
 *     TAG 'b'    a match instance starts at expression number POS
 *                (0-based, counted from the rule's first expression);
 *                LEN is 0.  Written for each match whose kind an earlier
 *                match of the rule has (state counting as conntrack):
 *                libxtables makes an instance for every -m, and
 *                `-m iprange --src-range A -m iprange --dst-range B` (or
 *                `-m state --state NEW -m conntrack --ctproto 6`) would
 *                otherwise be read back as one match.  A reader stops
 *                every kind at the next start (struct nc_expr_cursor's
 *                end) and adds no test read after a start to a match
 *                read before it (nc_cursor_joins()).  Required: a rule
 *                whose 'c', 'e' and 'b' records do not fit beside its
 *                comment is refused by the build pass (nc_udata_check()).
 *     TAG 's'    match number POS, read as `-m conntrack --ctstate`,
 *                was typed as `-m state` (same kernel form); LEN is 0.
 *                Only written when the userdata has room for it (with
 *                a comment of the longest length it may not).
 *
 * Records come in ascending POS: the 'c' and 'e' ones, then the 'b' ones
 * (read before the expressions: they name expressions, not matches), then
 * the 's' ones (they name positions in the final list).  A reader inserts
 * the 'c' and 'e' ones in that order into the matches recognised from the
 * expressions; a record that does not fit (unknown tag, kind, a position
 * past the end, a 'b' out of order) is ignored, so a rule is always
 * listed, at worst with the comment last.  A rule with only TLV 0 (nft
 * wrote it) lists the comment after the other matches, as iptables-nft
 * 1.8.9 does, and a kind given twice as natc reads such expressions
 * without the record (iptables-nft's tcp and udp: as it reads them, into
 * one match where the tests do not overlap).  nft and iptables-nft skip
 * TLV types they do not know; natc before the 'b' records skips them.
 *
 * A tcp (udp) match given twice keeps no record of its own apart from
 * 'b': the build pass moves its tests into the earliest tcp match that
 * lacks them (ir/build.c, merge_matches()), as iptables-nft lists it.
 *
 * iptables-nft's own form, an xt `comment` match (256 bytes of text), is
 * recognised where it stands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ext.h"
#include "ir/ext/lib/conntrack.h"
#include "ir/parse.h"

/*
 * The kernel takes 256 bytes of rule userdata (NFT_USERDATA_MAXLEN): the
 * comment's TLV (2 + text + NUL) and natc's (at most 2 + 1 + a comment
 * record of 3 + an empty match record of 3 + 4 ("sctp") = 13 bytes), so
 * natc takes 240 characters where iptables takes 255.  A kind given again
 * takes 3 bytes more each ('b'): beside a comment of 240 characters, two
 * (none beside an empty match's record as well).
 */
#define COMMENT_MAX 240
#define XT_COMMENT_LEN 256	/* the xt comment match's text field */
#define NATC_FORMAT 1

struct nc_comment {
	bool set;
	char text[COMMENT_MAX + 1];
};

enum { OPT_COMMENT = 1 };

static const struct nc_ext_opt comment_opts[] = {
	/* INV so that the "cannot be inverted" message is iptables' own */
	{ "comment", OPT_COMMENT, NC_EXTOPT_ARG | NC_EXTOPT_INV },
	{ 0 }
};

static int comment_parse(struct nc_ext *e, struct nc_rule *r,
			 const struct nc_ext_opt *opt, bool inv, const char *arg,
			 const struct nc_loc *loc, struct nc_err *err)
{
	struct nc_comment *c = e->data;

	if (inv)
		return nc_err_param(err, loc,
			"comment: option \"--comment\" cannot be inverted.\n");
	if (c->set)
		return nc_err_param(err, loc,
			"comment: option \"--comment\" can only be used once.\n");
	/* iptables-nft 1.8.9 takes 255 characters (its xt match) and cuts
	 * longer text short without a word */
	if (strlen(arg) > COMMENT_MAX)
		return nc_err_param(err, loc,
			"comment: comment is longer than %d characters",
			COMMENT_MAX);
	strcpy(c->text, arg);
	c->set = true;
	return 0;
}

static int comment_check(struct nc_ext *e, const struct nc_rule *r,
			 struct nc_err *err)
{
	const struct nc_comment *c = e->data;

	if (!c->set)
		return nc_err_param(err, &e->loc,
			"comment: option \"--comment\" must be specified\n");
	/* iptables-nft writes a second xt comment match; nft's rule
	 * userdata holds one comment (deliberate) */
	if (nc_rule_find_match(r, &nc_ext_comment) != e)
		return nc_err_param(err, &e->loc,
			"comment: one comment a rule (the rule's userdata holds one)");
	return 0;
}

/* xtables_save_string(): bare when only [A-Za-z0-9_-], else quoted with
 * backslashes before " \ and '. */
static void save_string(struct nc_buf *b, const char *s)
{
	static const char plain[] = "_-0123456789abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t n = strspn(s, plain);

	if (n > 0 && !s[n]) {
		nc_buf_printf(b, " %s", s);
		return;
	}
	nc_buf_puts(b, " \"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '\'')
			nc_buf_putc(b, '\\');
		nc_buf_putc(b, *s);
	}
	nc_buf_putc(b, '"');
}

static void comment_save(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b)
{
	nc_buf_puts(b, " --comment");
	save_string(b, ((const struct nc_comment *)e->data)->text);
}

static void comment_print(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_buf *b, unsigned fmt)
{
	nc_buf_printf(b, " /* %s */", ((const struct nc_comment *)e->data)->text);
}

/* iptables-nft's xt comment match, where it stands among the matches. */
static int comment_delinearize(struct nc_rule *r, struct nc_expr_cursor *c)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	struct nc_comment *cm;
	struct nc_ext *e;
	const uint8_t *info;
	size_t n;

	if (!x || x->type != NC_E_MATCH || strcmp(x->u.xt.name, "comment") ||
	    x->u.xt.rev != 0 || x->u.xt.info_len < XT_COMMENT_LEN)
		return 0;
	if ((e = nc_rule_find_match(r, &nc_ext_comment)) != NULL)
		return 0;	/* a second comment: not expressible */
	info = nc_exprs_bytes(c->l, x->u.xt.info_off);
	n = strnlen((const char *)info, XT_COMMENT_LEN);
	if (n > COMMENT_MAX)
		return 0;	/* 255 characters: left to the xt kinds */
	if (!(e = nc_rule_add_match(r, &nc_ext_comment)))
		return -1;
	cm = e->data;
	memcpy(cm->text, info, n);
	cm->set = true;
	c->pos++;
	return 1;
}

/* nft text: ` comment "..."` ends the rule (struct nc_xlate's tail) */
static int comment_xlate(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_xlate *x)
{
	const struct nc_comment *c = e->data;

	if (strchr(c->text, '"') || strchr(c->text, '\\')) {
		x->why = "a comment with a quote or backslash nft cannot quote";
		return -1;
	}
	nc_buf_puts(x->tail, " comment \"");
	nc_buf_puts(x->tail, c->text);
	nc_buf_putc(x->tail, '"');
	return 0;
}

/* --explain: a comment tests nothing; its text says what the rule is for */
static void comment_describe(const struct nc_ext *e, const struct nc_rule *r,
			     struct nc_buf *b)
{
	nc_buf_printf(b, ", commented \"%s\"", ((const struct nc_comment *)e->data)->text);
}

static int comment_packet(const struct nc_ext *e, const struct nc_rule *r,
			  struct nc_pkt *p)
{
	return NC_PKT_YES;
}

const struct nc_ext_ops nc_ext_comment = {
	.describe = comment_describe,
	.packet = comment_packet,
	.name = "comment",
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_comment),
	.opts = comment_opts,
	.parse = comment_parse,
	.check = comment_check,
	.save = comment_save,
	.print = comment_print,
	.delinearize = comment_delinearize,
	.xlate = comment_xlate,
};

/* ------------------------------------------------------------ userdata */

static bool is_empty(const struct nc_ext *m)
{
	return m->ops->empty && m->ops->empty(m);
}

/* A record of the natc TLV: 3 bytes and the name; false when full. */
static bool put_record(uint8_t *v, size_t *len, uint8_t tag, size_t pos,
		       const char *name)
{
	size_t n = strlen(name);

	if (pos > 255 || *len + 3 + n > 255)
		return false;
	v[(*len)++] = tag;
	v[(*len)++] = (uint8_t)pos;
	v[(*len)++] = (uint8_t)n;
	memcpy(v + *len, name, n);
	*len += n;
	return true;
}

bool nc_ext_same_reader(const struct nc_ext_ops *a, const struct nc_ext_ops *b)
{
	bool ct_a = a == &nc_ext_conntrack || a == &nc_ext_state;
	bool ct_b = b == &nc_ext_conntrack || b == &nc_ext_state;

	return a == b || (ct_a && ct_b);
}

/* Match @i of @r is of a kind read before it (libxtables' kinds are read
 * one expression an instance). */
static bool kind_again(const struct nc_rule *r, size_t i)
{
	const struct nc_ext_ops *o = r->matches[i].ops;

	if (o->opt_find || o == &nc_ext_comment)
		return false;
	for (size_t j = 0; j < i; j++)
		if (nc_ext_same_reader(r->matches[j].ops, o))
			return true;
	return false;
}

/* The comment's own TLV: its size, 0 without one. */
static size_t comment_tlv(const struct nc_ext *comment)
{
	return comment ? 3 + strlen(((const struct nc_comment *)comment->data)->text) : 0;
}

/*
 * natc's TLV value for @r into @v (255 bytes) and *@len: what must be
 * there ('c', 'e', 'b'; *@need when the rule needs the TLV at all), then
 * the 's' hints that fit.  @starts NULL (the build pass, before any
 * expression) takes 0 for every start: the same size.  -1 (E2BIG) when
 * the records do not fit the 256 bytes of userdata beside the comment.
 */
static int natc_records(const struct nc_rule *r, const size_t *starts,
			uint8_t *v, size_t *len, bool *need,
			const struct nc_ext **comment)
{
	*len = 0;
	*need = false;
	*comment = NULL;
	v[(*len)++] = NATC_FORMAT;
	for (size_t i = 0; i < r->nmatches; i++) {
		const struct nc_ext *m = &r->matches[i];

		if (m->ops == &nc_ext_comment) {
			*comment = m;
			/* last is where a plain type 0 comment goes */
			*need |= i + 1 != r->nmatches;
			if (!put_record(v, len, 'c', i, ""))
				goto toolong;
		} else if (is_empty(m)) {
			*need = true;
			if (!put_record(v, len, 'e', i, m->ops->name))
				goto toolong;
		}
	}
	/* a kind again: where its instance starts (read after the others,
	 * they name expressions, not matches) */
	for (size_t i = 1; i < r->nmatches; i++) {
		size_t at = 0;

		if (!kind_again(r, i))
			continue;
		if (starts && (i >= NC_UDATA_STARTS || (at = starts[i]) > 255))
			goto toolong;
		*need = true;
		if (!put_record(v, len, 'b', at, ""))
			goto toolong;
	}
	if (comment_tlv(*comment) + 2 + *len > 256)
		goto toolong;
	/* -m state: a hint that may be left out (NFT_USERDATA_MAXLEN) */
	for (size_t i = 0; i < r->nmatches; i++) {
		if (r->matches[i].ops != &nc_ext_state ||
		    comment_tlv(*comment) + 2 + *len + 3 > 256 ||
		    !put_record(v, len, 's', i, ""))
			continue;
		*need = true;
	}
	return 0;
toolong:
	errno = E2BIG;
	return -1;
}

int nc_udata_linearize(const struct nc_rule *r, struct nc_exprs *out,
		       const size_t *starts)
{
	uint8_t v[255];
	size_t len;
	const struct nc_ext *comment;
	bool need;

	if (natc_records(r, starts, v, &len, &need, &comment) < 0)
		return -1;
	if (comment && nc_exprs_set_comment(out,
			((const struct nc_comment *)comment->data)->text) < 0)
		return -1;
	if (need && nc_exprs_add_udata(out, NC_UDATA_NATC, v, len) < 0)
		return -1;
	return 0;
}

int nc_udata_check(const struct nc_rule *r, struct nc_err *err)
{
	uint8_t v[255];
	size_t len;
	const struct nc_ext *comment;
	bool need;

	if (natc_records(r, NULL, v, &len, &need, &comment) == 0)
		return 0;
	/* a comment near 240 characters leaves room for a few starts only
	 * (iptables-nft writes xt matches and needs none) */
	return nc_err_param(err, comment ? &comment->loc : &r->loc,
		"%smatch kinds given again in one rule do not fit the rule's "
		"userdata (256 bytes)%s", comment ? "comment: the comment and " : "",
		comment ? ": shorten the comment" : "");
}

size_t nc_udata_breaks(const struct nc_exprs *in, size_t *at, size_t max)
{
	const uint8_t *v, *end;
	size_t vlen, n = 0;

	v = nc_exprs_udata(in, NC_UDATA_NATC, &vlen);
	if (!v || vlen < 1 || v[0] != NATC_FORMAT)
		return 0;
	end = v + vlen;
	for (v++; end - v >= 3 && v[2] <= end - v - 3 && n < max; v += 3 + v[2])
		/* ascending, as written; a record out of order is ignored */
		if (v[0] == 'b' && (!n || v[1] > at[n - 1]))
			at[n++] = v[1];
	return n;
}

/* Put the last match of @r at @pos, moving the others up. */
static void move_last_to(struct nc_rule *r, size_t pos)
{
	struct nc_ext last = r->matches[r->nmatches - 1];

	memmove(&r->matches[pos + 1], &r->matches[pos],
		(r->nmatches - 1 - pos) * sizeof(last));
	r->matches[pos] = last;
}

static const struct nc_ext_ops *match_named(const uint8_t *name, size_t n,
					    const struct nc_rule *r)
{
	char buf[32];
	const struct nc_ext_ops *o;

	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	buf[n] = '\0';
	o = nc_ext_find(NC_EXT_MATCH, buf, r->family);
	/* only a kind that can be empty (-p tcp -m tcp -m tcp --sport 1:
	 * iptables-nft keeps the first apart) */
	if (!o || !o->empty)
		return NULL;
	return o;
}

/* Add an empty @o at @pos; -1 ENOMEM, 0 when it does not fit. */
static int add_empty(struct nc_rule *r, const struct nc_ext_ops *o, size_t pos)
{
	struct nc_ext *e;
	const char *pname = nc_proto_name(r->proto, true);

	if (pos > r->nmatches)
		return 0;
	if (!(e = nc_rule_add_match(r, o)))
		return -1;
	/* zeroed data must mean "nothing", and the rule must test the
	 * protocol the kind is named after (-m tcp needs -p tcp) */
	if (!o->empty(e) || !pname || strcmp(pname, o->name) ||
	    (r->invflags & NC_INV_PROTO)) {
		free(e->data);
		r->nmatches--;
		return 0;
	}
	move_last_to(r, pos);
	return 1;
}

/*
 * Called once the expressions have been read: the comment from TLV 0,
 * placed where the natc TLV says (else last), and the empty matches.
 */
int nc_udata_delinearize(struct nc_rule *r, const struct nc_exprs *in)
{
	char text[COMMENT_MAX + 1];
	const uint8_t *v, *end;
	size_t vlen;
	bool have = nc_exprs_comment(in, text, sizeof(text)) != NULL;
	struct nc_ext *e;

	if (have && nc_rule_find_match(r, &nc_ext_comment))
		have = false;	/* already an xt comment; keep that one */
	v = nc_exprs_udata(in, NC_UDATA_NATC, &vlen);
	if (!v || vlen < 1 || v[0] != NATC_FORMAT)
		v = NULL, vlen = 0;
	end = v ? v + vlen : NULL;
	if (v)
		v++;
	while (v && end - v >= 3 && v[2] <= end - v - 3) {
		const struct nc_ext_ops *o;
		int rc = 0;

		if (v[0] == 'c' && have && v[1] <= r->nmatches) {
			if (!(e = nc_rule_add_match(r, &nc_ext_comment)))
				return -1;
			strcpy(((struct nc_comment *)e->data)->text, text);
			((struct nc_comment *)e->data)->set = true;
			move_last_to(r, v[1]);
			have = false;
		} else if (v[0] == 'e' && (o = match_named(v + 3, v[2], r))) {
			rc = add_empty(r, o, v[1]);
		} else if (v[0] == 's' && v[1] < r->nmatches &&
			   r->matches[v[1]].ops == &nc_ext_conntrack &&
			   nc_ct_is_state(&r->matches[v[1]])) {
			r->matches[v[1]].ops = &nc_ext_state;
		}
		if (rc < 0)
			return -1;
		v += 3 + v[2];
	}
	if (have) {
		if (!(e = nc_rule_add_match(r, &nc_ext_comment)))
			return -1;
		strcpy(((struct nc_comment *)e->data)->text, text);
		((struct nc_comment *)e->data)->set = true;
	}
	return 0;
}
