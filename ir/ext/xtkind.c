// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generic "xt" kinds: a match or target natc does not know natively,
 * handled by iptables' own extension (libxtables, through ir/ext/lib/xt.h):
 * its parser builds the info blob, the kernel gets it as an xt compat
 * match/target as iptables-nft sends it, its save()/print() list it.
 *
 * Reading a kernel rule, an xt match/target of a kind natc knows natively
 * (DNAT, ...) is turned into the extension's own -S text and parsed again
 * by natc (the parser the caller put in the cursor): it becomes that kind,
 * so a rule iptables-nft wrote compares equal to the same rule typed to
 * natc.  Other kinds, and every kind when no parser was handed in, become
 * a generic instance holding the kernel's bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ir/ext/lib/xt.h"
#include "ir/build.h"
#include "ir/parse.h"

static enum nc_ext_kind kind_of(const struct nc_ext *e)
{
	return e->ops->kind;
}

static int xt_parse(struct nc_ext *e, struct nc_rule *r,
		    const struct nc_ext_opt *opt, bool inv, const char *arg,
		    const struct nc_loc *loc, struct nc_err *err)
{
	return nc_xt_parse(e->data, kind_of(e), r, opt->name, inv, arg, loc, err);
}

static int xt_check(struct nc_ext *e, const struct nc_rule *r,
		    struct nc_err *err)
{
	return nc_xt_check(e->data, kind_of(e), r, &e->loc, err);
}

static void xt_save(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_buf *b)
{
	nc_xt_save(e->data, kind_of(e), r, b);
}

static void xt_print(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b, unsigned fmt)
{
	nc_xt_print(e->data, kind_of(e), r, b, fmt & NC_FMT_NUMERIC);
}

/*
 * A rule is named by the text -S lists: two instances of one extension
 * that it lists alike are the same, whatever bytes the extension's
 * parser left in them (-m recent: init() sets the 16 bytes of --mask,
 * "--mask 255.255.255.255" only 4 of them, and iptables-nft lists both
 * with that text, so that iptables-nft -C cannot find its own rule by
 * the line it printed).  The bytes are compared first: the text is made
 * only when they differ.
 */
static bool xt_equal(const struct nc_ext *a, const struct nc_ext *b,
		     const struct nc_rule *r)
{
	const struct nc_xt *x = a->data, *y = b->data;
	struct nc_buf s = { 0 }, t = { 0 };
	bool same;

	if (!memcmp(x, y, sizeof(*x)))
		return true;
	if (strcmp(x->name, y->name) || x->rev != y->rev || x->len != y->len)
		return false;
	nc_xt_save(x, kind_of(a), r, &s);
	nc_xt_save(y, kind_of(b), r, &t);
	same = !nc_buf_failed(&s) && !nc_buf_failed(&t) && s.len == t.len &&
	       !memcmp(s.s ? s.s : "", t.s ? t.s : "", s.len);
	nc_buf_free(&s);
	nc_buf_free(&t);
	return same;
}

static int xt_opt_find(const struct nc_ext *e, const struct nc_rule *r,
		       const char *name, struct nc_ext_opt *out)
{
	return nc_xt_opt_find(e->data, kind_of(e), name, r->family, out);
}

static int xt_xlate(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_xlate *x)
{
	return nc_xt_xlate(e->data, kind_of(e), r, x);
}

static const char *xt_name(const struct nc_ext *e)
{
	const struct nc_xt *x = e->data;

	return x->name;
}

/* The rule's compat attribute, as iptables-nft writes it on every rule. */
static void set_compat(const struct nc_rule *r, struct nc_exprs *out)
{
	out->compat = true;
	out->compat_proto = r->proto;
	out->compat_flags = r->invflags & NC_INV_PROTO ? NFT_RULE_COMPAT_F_INV : 0;
}

static int emit(const struct nc_xt *x, enum nc_ext_kind kind,
		const struct nc_rule *r, struct nc_exprs *out)
{
	char kname[NC_XT_NAMELEN];

	nc_xt_kernel_name(x, kind, r->family, kname);
	set_compat(r, out);
	return nc_expr_xt(out, kind == NC_EXT_TARGET ? NC_E_TARGET : NC_E_MATCH,
			  kname, x->rev, x->info, x->len);
}

static int xt_linearize(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_exprs *out)
{
	return emit(e->data, kind_of(e), r, out);
}

/* "-A X [! -p PROTO] -m NAME" or "-j NAME", then the extension's -S text */
static void spec_of(const struct nc_rule *r, enum nc_ext_kind kind,
		    const char *name, struct nc_buf *b)
{
	nc_buf_puts(b, "-A X");
	if (r->proto) {
		const char *p = nc_proto_name(r->proto, true);

		nc_buf_puts(b, r->invflags & NC_INV_PROTO ? " ! -p " : " -p ");
		if (p)
			nc_buf_puts(b, p);
		else
			nc_buf_printf(b, "%u", (unsigned)r->proto);
	}
	nc_buf_printf(b, " -%c %s", kind == NC_EXT_TARGET ? 'j' : 'm', name);
}

/* Move instance @src (of a scratch rule) into @r. */
static int take(struct nc_rule *r, struct nc_ext *src, bool target)
{
	struct nc_ext *dst;

	if (target) {
		if (nc_rule_set_target(r, src->ops) < 0)
			return -1;
		dst = &r->target;
	} else if (!(dst = nc_rule_add_match(r, src->ops))) {
		return -1;
	}
	free(dst->data);
	dst->data = src->data;
	src->data = NULL;
	return 0;
}

/* Parse @x's -S text with natc's own parser; 1 when @r got its
 * instance(s), 0 when natc cannot take the text, -1 on ENOMEM. */
static int reparse(struct nc_rule *r, enum nc_ext_kind kind,
		   const struct nc_xt *x, nc_parse_line_fn *parse)
{
	struct nc_buf b = { 0 };
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = NULL;
	struct nc_job *job = NULL;
	struct nc_rule *t;
	int rc = 0;

	spec_of(r, kind, x->name, &b);
	nc_xt_save(x, kind, r, &b);
	if (nc_buf_failed(&b)) {
		nc_buf_free(&b);
		errno = ENOMEM;
		return -1;
	}
	cmd = parse(b.s, 1, &err);
	if (cmd)
		job = nc_build(cmd, r->family, &err);
	if (err.status == NC_ERESOURCE) {
		rc = -1;
		errno = ENOMEM;
	} else if (job && job->nrules == 1) {
		t = job->rules[0];
		rc = 1;
		for (size_t i = 0; i < t->nmatches && rc > 0; i++)
			if (take(r, &t->matches[i], false) < 0)
				rc = -1;
		if (rc > 0 && kind == NC_EXT_TARGET &&
		    (!t->target.ops || take(r, &t->target, true) < 0))
			rc = t->target.ops ? -1 : 0;
	}
	/* a warning natc's own text raised is not the user's: it goes
	 * with the record */
	nc_err_clear(&err);
	nc_job_free(job);
	nc_cmd_free(cmd);
	nc_buf_free(&b);
	return rc;
}

static int delin(struct nc_rule *r, struct nc_expr_cursor *c,
		 enum nc_ext_kind kind)
{
	const struct nc_expr *x = nc_cursor_peek(c, 0);
	struct nc_xt *xt;
	int rc;

	if (!x || x->type != (kind == NC_EXT_TARGET ? NC_E_TARGET : NC_E_MATCH))
		return 0;
	xt = calloc(1, sizeof(*xt));
	if (!xt)
		return -1;
	if (nc_xt_from_kernel(xt, kind, x->u.xt.name, x->u.xt.rev,
			      nc_exprs_bytes(c->l, x->u.xt.info_off),
			      x->u.xt.info_len, r->family) != 0) {
		free(xt);
		return 0;	/* no such extension: the rule stays unknown */
	}
	/* a kind natc knows natively is parsed again from the extension's
	 * text; any other keeps the kernel's bytes, which are the rule (its
	 * text may not give them back: -m recent --mask sets 4 of 16) */
	rc = c->parse && nc_ext_find(kind, xt->name, r->family) ?
	     reparse(r, kind, xt, c->parse) : 0;
	if (rc == 0) {
		/* natc's parser refused the extension's text, or there is
		 * none: keep the blob */
		struct nc_ext *e = kind == NC_EXT_TARGET ?
			(nc_rule_set_target(r, &nc_ext_xt_target) < 0 ? NULL :
			 &r->target) :
			nc_rule_add_match(r, &nc_ext_xt_match);

		if (e) {
			memcpy(e->data, xt, sizeof(*xt));
			rc = 1;
		} else {
			rc = -1;
		}
	}
	free(xt);
	if (rc > 0)
		c->pos++;
	return rc;
}

static int xt_delin_match(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return delin(r, c, NC_EXT_MATCH);
}

static int xt_delin_target(struct nc_rule *r, struct nc_expr_cursor *c)
{
	return delin(r, c, NC_EXT_TARGET);
}

int nc_xt_lower_native(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_exprs *out, nc_parse_line_fn *parse)
{
	struct nc_buf b = { 0 };
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = NULL;
	struct nc_xt *x;
	enum nc_ext_kind kind = kind_of(e);
	int rc;

	x = calloc(1, sizeof(*x));
	if (!x)
		return -1;
	rc = nc_xt_load(x, kind, nc_ext_name(e), r->family, NULL, &err);
	if (rc != 0)
		goto out;
	spec_of(r, kind, x->name, &b);
	if (e->ops->save)
		e->ops->save(e, r, &b);
	if (nc_buf_failed(&b)) {
		rc = -1;
		goto out;
	}
	if (!parse) {
		errno = EINVAL;	/* as if the extension refused the text */
		rc = -1;
		goto out;
	}
	cmd = parse(b.s, 1, &err);
	rc = cmd ? 0 : -1;
	for (size_t i = 0; cmd && i < cmd->nopts && rc == 0; i++) {
		const struct nc_cmd_opt *o = &cmd->opts[i];

		if (o->kind == NC_OPT_EXT &&
		    nc_xt_parse(x, kind, r, o->name, o->inv, o->arg, &o->loc,
				&err) < 0)
			rc = -1;
	}
	if (rc == 0 && nc_xt_check(x, kind, r, NULL, &err) < 0)
		rc = -1;
	if (rc == 0)
		rc = emit(x, kind, r, out);
out:
	if (rc < 0 && err.status != NC_OK && err.status != NC_ERESOURCE)
		errno = EINVAL;	/* the extension refused natc's own text */
	else if (rc < 0 && err.status == NC_ERESOURCE)
		errno = ENOMEM;
	nc_err_clear(&err);
	nc_cmd_free(cmd);
	nc_buf_free(&b);
	free(x);
	return rc;
}

/* --explain: the extension's own -S text; natc does not analyse it. */
static void xt_describe(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b)
{
	struct nc_buf s = { 0 };
	bool match = kind_of(e) == NC_EXT_MATCH;

	xt_save(e, r, &s);
	nc_buf_printf(b, "%s`%s %s%s` (not analysed%s)", match ? ", matching " : "",
		      match ? "-m" : "-j", nc_ext_name(e), s.len ? nc_buf_str(&s) : "",
		      match ? "" : ": what it does is unknown to natc");
	nc_buf_free(&s);
}

const struct nc_ext_ops nc_ext_xt_match = {
	.name = "",
	.iptables_native = true,	/* its own form is the xt one */
	.kind = NC_EXT_MATCH,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_xt),
	.parse = xt_parse,
	.check = xt_check,
	.equal = xt_equal,
	.save = xt_save,
	.print = xt_print,
	.linearize = xt_linearize,
	.delinearize = xt_delin_match,
	.opt_find = xt_opt_find,
	.xlate = xt_xlate,
	.shown_name = xt_name,
	.describe = xt_describe,
	/* no packet callback: natc cannot tell what it tests (MAYBE) */
};

const struct nc_ext_ops nc_ext_xt_target = {
	.name = "",
	.iptables_native = true,	/* its own form is the xt one */
	.kind = NC_EXT_TARGET,
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,
	.size = sizeof(struct nc_xt),
	.parse = xt_parse,
	.check = xt_check,
	.equal = xt_equal,
	.save = xt_save,
	.print = xt_print,
	.linearize = xt_linearize,
	.delinearize = xt_delin_target,
	.opt_find = xt_opt_find,
	.xlate = xt_xlate,
	.shown_name = xt_name,
	.describe = xt_describe,
	/* no packet callback: natc cannot tell what it does (unknown) */
};
