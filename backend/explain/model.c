// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The model --explain works on: every rule with its place, its -A text,
 * its sentence, the hooks that reach it (jumps and gotos followed) and
 * what every path to it tests; the findings and notes collected on it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/ext.h"
#include "ir/print.h"
#include "ir/parse.h"
#include <linux/rtnetlink.h>

const char *nc_xp_sev_name(enum nc_xp_sev s)
{
	return s == NC_XP_ERROR ? "error" : s == NC_XP_WARNING ? "warning" : "info";
}

/* What a match tests, found by asking its packet callback: a field it
 * answers "maybe" for once that field alone is unknown is one it tests.
 * A kind without the callback counts as testing everything (it limits
 * the rule somehow: no finding should call the rule unlimited). */
static unsigned match_cond(const struct nc_rule *r, const struct nc_ext *e)
{
	static const struct { unsigned field, cond; } probe[] = {
		{ NC_PK_IIF, NC_XC_IN }, { NC_PK_OIF, NC_XC_OUT },
		{ NC_PK_SRC, NC_XC_SRC }, { NC_PK_DST, NC_XC_DST },
	};
	unsigned c = 0;

	if (!e->ops->packet)
		return NC_XC_ALL;
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		struct nc_pkt p = {
			.family = r->family, .proto = r->proto ? r->proto : IPPROTO_TCP,
			.sport = 1, .dport = 1,
			.known = NC_PK_PROTO | NC_PK_SRC | NC_PK_DST | NC_PK_SPORT |
				 NC_PK_DPORT | NC_PK_IIF | NC_PK_OIF | NC_PK_FRAG,
		};

		p.known &= ~probe[i].field;
		p.src_type = (p.known & NC_PK_SRC) ? RTN_UNICAST : 0;
		p.dst_type = (p.known & NC_PK_DST) ? RTN_UNICAST : 0;
		if (e->ops->packet(e, r, &p) == NC_PKT_MAYBE)
			c |= probe[i].cond;
	}
	return c;
}

static unsigned rule_cond(const struct nc_rule *r)
{
	unsigned c = 0;

	if (r->unknown)
		return NC_XC_ALL;
	for (size_t i = 0; i < r->nmatches; i++)
		c |= match_cond(r, &r->matches[i]);

	if (r->in.name[0])
		c |= NC_XC_IN;
	if (r->out.name[0])
		c |= NC_XC_OUT;
	if (nc_mask_to_prefix(&r->smsk, r->family) != 0)
		c |= NC_XC_SRC;
	if (nc_mask_to_prefix(&r->dmsk, r->family) != 0)
		c |= NC_XC_DST;
	return c;
}

/* The chain a rule jumps or goes to, or NULL. */
static const char *jump_of(const struct nc_rule *r)
{
	const struct nc_standard *s;

	if (r->unknown || r->target.ops != &nc_ext_standard)
		return NULL;
	s = r->target.data;
	if (s->kind == NC_VERDICT_JUMP || s->kind == NC_VERDICT_GOTO)
		return s->chain;
	return NULL;
}

static size_t name_hash(const char *name)
{
	size_t h = 5381;

	while (*name)
		h = h * 33 + (unsigned char)*name++;
	return h;
}

static int names_init(struct nc_xp *xp)
{
	const struct nc_ruleset *rs = xp->rs;
	size_t n = 16;

	while (n < rs->nchains * 2)
		n *= 2;
	xp->names = calloc(n, sizeof(*xp->names));
	if (!xp->names)
		return -1;
	xp->nnames = n;
	for (size_t i = 0; i < rs->nchains; i++) {
		size_t k = name_hash(rs->chains[i]->name) & (n - 1);

		while (xp->names[k])
			k = (k + 1) & (n - 1);
		xp->names[k] = i + 1;
	}
	return 0;
}

ssize_t nc_xp_chain_index(const struct nc_xp *xp, const char *name)
{
	if (!xp->nnames)
		return -1;
	for (size_t k = name_hash(name) & (xp->nnames - 1); xp->names[k];
	     k = (k + 1) & (xp->nnames - 1))
		if (!strcmp(xp->rs->chains[xp->names[k] - 1]->name, name))
			return (ssize_t)(xp->names[k] - 1);
	return -1;
}

/* Hooks reaching each chain, and what every path to it tests: a fixed
 * point over the jump graph, reached from a work list.  Hooks only grow
 * and conditions only shrink, so a chain changes at most nine times and
 * its rules are looked at no more than ten times. */
static int reach(struct nc_xp *xp)
{
	const struct nc_ruleset *rs = xp->rs;
	size_t n = rs->nchains, head = 0, len = 0;
	size_t *queue = calloc(n + 1, sizeof(*queue));
	bool *queued = calloc(n + 1, sizeof(*queued));

	if (!queue || !queued) {
		free(queue);
		free(queued);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct nc_chain *c = rs->chains[i];

		xp->chain_hooks[i] = c->builtin ? NC_HOOK(c->hook) : 0;
		xp->chain_cond[i] = c->builtin ? 0 : NC_XC_ALL;
		if (xp->chain_hooks[i]) {
			queue[len++] = i;
			queued[i] = true;
		}
	}
	while (len) {
		size_t i = queue[head];
		const struct nc_chain *c = rs->chains[i];

		head = (head + 1) % n;
		len--;
		queued[i] = false;
		for (size_t k = 0; k < c->nrules; k++) {
			const struct nc_xp_rule *xr = nc_xp_rule_at(xp, i, k);
			ssize_t t = xr->to;
			unsigned h, cond;

			if (t < 0 || rs->chains[t]->builtin)
				continue;
			h = xp->chain_hooks[t] | xp->chain_hooks[i];
			cond = xp->chain_cond[t] & (xp->chain_cond[i] | xr->own);
			if (h == xp->chain_hooks[t] && cond == xp->chain_cond[t])
				continue;
			xp->chain_hooks[t] = h;
			xp->chain_cond[t] = cond;
			if (!queued[t]) {
				queue[(head + len) % n] = (size_t)t;
				len++;
				queued[t] = true;
			}
		}
	}
	free(queue);
	free(queued);
	return 0;
}

int nc_xp_init(struct nc_xp *xp, const struct nc_ruleset *rs,
	       const struct nc_xp_live *live)
{
	size_t n = 0, k = 0;

	memset(xp, 0, sizeof(*xp));
	xp->rs = rs;
	xp->live = live;
	for (size_t h = 0; h < sizeof(xp->hook_chain) / sizeof(xp->hook_chain[0]); h++)
		xp->hook_chain[h] = -1;
	for (size_t i = 0; i < rs->nchains; i++)
		n += rs->chains[i]->nrules;
	xp->rules = calloc(n ? n : 1, sizeof(*xp->rules));
	xp->first = calloc(rs->nchains + 1, sizeof(*xp->first));
	xp->chain_hooks = calloc(rs->nchains + 1, sizeof(unsigned));
	xp->chain_cond = calloc(rs->nchains + 1, sizeof(unsigned));
	xp->index = calloc(rs->nchains + 1, sizeof(*xp->index));
	xp->memo = calloc(rs->nchains + 1, sizeof(*xp->memo));
	if (!xp->rules || !xp->first || !xp->chain_hooks || !xp->chain_cond ||
	    !xp->index || !xp->memo || names_init(xp) < 0)
		return -1;
	/* what each rule is, before the jump graph is followed */
	for (size_t i = 0; i < rs->nchains; i++) {
		const struct nc_chain *c = rs->chains[i];
		unsigned ended = 0;	/* what the chain-ending rules so far test */

		if (c->builtin && c->hook >= 0 &&
		    (size_t)c->hook < sizeof(xp->hook_chain) / sizeof(xp->hook_chain[0]) &&
		    xp->hook_chain[c->hook] < 0)
			xp->hook_chain[c->hook] = (ssize_t)i;
		xp->index[i] = nc_xp_index_new();
		if (!xp->index[i])
			return -1;
		xp->first[i] = k;
		for (size_t j = 0; j < c->nrules; j++, k++) {
			struct nc_xp_rule *xr = &xp->rules[k];
			const char *to = jump_of(c->rules[j]);
			unsigned cond = rule_cond(c->rules[j]);

			xr->r = c->rules[j];
			xr->chain = c;
			xr->ci = i;
			xr->num = j + 1;
			xr->ends = nc_xp_rule_ends_chain(xr->r);
			/* "-m mark ! --mark X -j RETURN" limits every later
			 * rule to X */
			xr->own = cond | ended;
			if (xr->ends)
				ended |= cond;
			xr->to = to ? nc_xp_chain_index(xp, to) : -1;
			nc_xp_index_add(xp->index[i], xr->r, (uint32_t)j);
		}
	}
	xp->first[rs->nchains] = k;
	xp->nrules = k;
	if (reach(xp) < 0)
		return -1;
	for (size_t i = 0; i < xp->nrules; i++) {
		struct nc_xp_rule *xr = &xp->rules[i];
		struct nc_buf b = { 0 };

		xr->hooks = xp->chain_hooks[xr->ci];
		xr->cond = xp->chain_cond[xr->ci] | xr->own;
		if (xr->r->unknown)
			nc_buf_printf(&b, "-A %s %s", xr->chain->name, xr->r->unknown);
		else
			nc_print_rule_spec(xr->r, xr->chain->name, false, &b);
		xr->text = b.s ? b.s : strdup("");
		xr->sentence = nc_xp_sentence(xr->r, xr->chain);
		if (!xr->text || !xr->sentence)
			return -1;
	}
	return 0;
}

const struct nc_xp_rule *nc_xp_rule_at(const struct nc_xp *xp, size_t ci, size_t ri)
{
	return &xp->rules[xp->first[ci] + ri];
}

static void trace_free(struct nc_xp_trace *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < 2; i++)
		nc_xp_walk_free(&t->walks[i]);
	free(t->spec);
	free(t->route);
	free(t);
}

void nc_xp_free(struct nc_xp *xp)
{
	for (size_t i = 0; i < xp->nrules; i++) {
		free(xp->rules[i].text);
		free(xp->rules[i].sentence);
	}
	for (size_t i = 0; i < xp->nf; i++) {
		free(xp->f[i].chain);
		free(xp->f[i].message);
		free(xp->f[i].fix);
	}
	for (size_t i = 0; i < xp->nnotes; i++)
		free(xp->notes[i]);
	free(xp->notes);
	free(xp->f);
	free(xp->rules);
	free(xp->first);
	free(xp->chain_hooks);
	free(xp->chain_cond);
	for (size_t i = 0; xp->index && i < xp->rs->nchains; i++)
		nc_xp_index_free(xp->index[i]);
	free(xp->index);
	free(xp->memo);
	free(xp->names);
	trace_free(xp->trace);
	memset(xp, 0, sizeof(*xp));
}

void nc_xp_add(struct nc_xp *xp, const char *id, enum nc_xp_sev sev,
	       const struct nc_xp_rule *rule, const char *chain,
	       const char *fix, const char *fmt, ...)
{
	struct nc_xp_finding *f;
	va_list ap;
	int rc;

	if (xp->nf == xp->capf) {
		size_t cap = xp->capf ? xp->capf * 2 : 8;
		struct nc_xp_finding *v = realloc(xp->f, cap * sizeof(*v));

		if (!v) {
			xp->failed = true;
			return;
		}
		xp->f = v;
		xp->capf = cap;
	}
	f = &xp->f[xp->nf];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->sev = sev;
	f->rule = rule;
	va_start(ap, fmt);
	rc = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	f->fix = strdup(fix ? fix : "");
	f->chain = chain ? strdup(chain) : rule ? strdup(rule->chain->name) : NULL;
	if (rc < 0 || !f->fix || ((chain || rule) && !f->chain)) {
		if (rc >= 0)
			free(f->message);
		free(f->fix);
		free(f->chain);
		xp->failed = true;
		return;
	}
	xp->nf++;
}

void nc_xp_note(struct nc_xp *xp, const char *fmt, ...)
{
	char **v = realloc(xp->notes, (xp->nnotes + 1) * sizeof(*v));
	va_list ap;
	int rc;

	if (!v) {
		xp->failed = true;
		return;
	}
	xp->notes = v;
	va_start(ap, fmt);
	rc = vasprintf(&v[xp->nnotes], fmt, ap);
	va_end(ap);
	if (rc < 0)
		xp->failed = true;
	else
		xp->nnotes++;
}

bool nc_xp_has(const struct nc_xp *xp, const char *id)
{
	for (size_t i = 0; i < xp->nf; i++)
		if (!strcmp(xp->f[i].id, id))
			return true;
	return false;
}

void nc_xp_location(const struct nc_xp *xp, const struct nc_xp_rule *xr,
		    struct nc_buf *b)
{
	nc_buf_printf(b, "%s rule %zu", xr->chain->name, xr->num);
	if (xr->is_new)
		nc_buf_puts(b, " (the command line)");
	else if (xp->file && xr->r->loc.line)
		nc_buf_printf(b, " (%s:%u)", xp->file, xr->r->loc.line);
}
