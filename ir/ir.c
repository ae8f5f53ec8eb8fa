// SPDX-License-Identifier: GPL-2.0-or-later
/* The IR's objects: creation, copying, comparison, freeing. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "ir/ir.h"
#include "ir/ext.h"

const struct nc_builtin nc_nat_builtins[4] = {
	{ "PREROUTING",  NF_INET_PRE_ROUTING,  -100 },
	{ "INPUT",       NF_INET_LOCAL_IN,      100 },
	{ "OUTPUT",      NF_INET_LOCAL_OUT,    -100 },
	{ "POSTROUTING", NF_INET_POST_ROUTING,  100 },
};

const struct nc_builtin *nc_builtin_find(const char *name)
{
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(nc_nat_builtins[i].name, name))
			return &nc_nat_builtins[i];
	return NULL;
}

struct nc_rule *nc_rule_new(uint8_t family)
{
	struct nc_rule *r = calloc(1, sizeof(*r));

	if (r)
		r->family = family;
	return r;
}

static void ext_release(struct nc_ext *e)
{
	free(e->data);
	e->data = NULL;
	e->ops = NULL;
}

void nc_rule_free(struct nc_rule *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nmatches; i++)
		ext_release(&r->matches[i]);
	free(r->matches);
	ext_release(&r->target);
	free(r->unknown);
	free(r);
}

static int ext_init(struct nc_ext *e, const struct nc_ext_ops *ops)
{
	e->ops = ops;
	e->data = calloc(1, ops->size ? ops->size : 1);
	return e->data ? 0 : -1;
}

static int ext_copy(struct nc_ext *dst, const struct nc_ext *src)
{
	*dst = *src;
	dst->data = NULL;
	if (!src->ops)
		return 0;
	if (ext_init(dst, src->ops) < 0)
		return -1;
	memcpy(dst->data, src->data, src->ops->size);
	return 0;
}

struct nc_rule *nc_rule_clone(const struct nc_rule *r)
{
	struct nc_rule *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *r;
	c->matches = NULL;
	c->nmatches = 0;
	c->target.ops = NULL;
	c->target.data = NULL;
	c->unknown = NULL;
	if (r->unknown && !(c->unknown = strdup(r->unknown)))
		goto fail;
	if (r->nmatches) {
		c->matches = calloc(r->nmatches, sizeof(*c->matches));
		if (!c->matches)
			goto fail;
		for (; c->nmatches < r->nmatches; c->nmatches++)
			if (ext_copy(&c->matches[c->nmatches],
				     &r->matches[c->nmatches]) < 0)
				goto fail;
	}
	if (ext_copy(&c->target, &r->target) < 0)
		goto fail;
	return c;
fail:
	nc_rule_free(c);
	return NULL;
}

struct nc_ext *nc_rule_add_match(struct nc_rule *r, const struct nc_ext_ops *ops)
{
	struct nc_ext *v = realloc(r->matches, (r->nmatches + 1) * sizeof(*v));

	if (!v)
		return NULL;
	r->matches = v;
	memset(&v[r->nmatches], 0, sizeof(*v));
	if (ext_init(&v[r->nmatches], ops) < 0)
		return NULL;
	return &v[r->nmatches++];
}

struct nc_ext *nc_rule_find_match(const struct nc_rule *r, const struct nc_ext_ops *ops)
{
	for (size_t i = 0; i < r->nmatches; i++)
		if (r->matches[i].ops == ops)
			return &r->matches[i];
	return NULL;
}

struct nc_ext *nc_rule_last_match(const struct nc_rule *r, const struct nc_ext_ops *ops)
{
	for (size_t i = r->nmatches; i-- > 0;)
		if (r->matches[i].ops == ops)
			return &r->matches[i];
	return NULL;
}

int nc_rule_set_target(struct nc_rule *r, const struct nc_ext_ops *ops)
{
	ext_release(&r->target);
	return ext_init(&r->target, ops);
}

static bool ext_equal(const struct nc_ext *a, const struct nc_ext *b,
		      const struct nc_rule *r)
{
	if (a->ops != b->ops)
		return false;
	if (a->ops && a->ops->equal)
		return a->ops->equal(a, b, r);
	return !a->ops || !memcmp(a->data, b->data, a->ops->size);
}

bool nc_rule_equal(const struct nc_rule *a, const struct nc_rule *b)
{
	size_t alen = a->family == AF_INET6 ? 16 : 4;

	if (a->family != b->family || a->flags != b->flags ||
	    a->invflags != b->invflags || a->proto != b->proto ||
	    memcmp(a->src.b, b->src.b, alen) || memcmp(a->smsk.b, b->smsk.b, alen) ||
	    memcmp(a->dst.b, b->dst.b, alen) || memcmp(a->dmsk.b, b->dmsk.b, alen) ||
	    strcmp(a->in.name, b->in.name) || strcmp(a->out.name, b->out.name) ||
	    a->nmatches != b->nmatches || !ext_equal(&a->target, &b->target, a))
		return false;
	if ((a->unknown || b->unknown) &&
	    (!a->unknown || !b->unknown || strcmp(a->unknown, b->unknown)))
		return false;
	for (size_t i = 0; i < a->nmatches; i++)
		if (!ext_equal(&a->matches[i], &b->matches[i], a))
			return false;
	return true;
}

const char *nc_target_name(const struct nc_rule *r)
{
	const struct nc_standard *s;

	if (!r->target.ops)
		return "";
	if (r->target.ops != &nc_ext_standard)
		return nc_ext_name(&r->target);
	s = r->target.data;
	switch (s->kind) {
	case NC_VERDICT_ACCEPT: return "ACCEPT";
	case NC_VERDICT_DROP:   return "DROP";
	case NC_VERDICT_RETURN: return "RETURN";
	default:                return s->chain;
	}
}

struct nc_chain *nc_chain_new(const char *name)
{
	struct nc_chain *c;

	if (strlen(name) >= sizeof(c->name)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	strcpy(c->name, name);
	c->policy = NF_ACCEPT;
	return c;
}

void nc_chain_free(struct nc_chain *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nrules; i++)
		nc_rule_free(c->rules[i]);
	free(c->rules);
	free(c);
}

int nc_chain_insert(struct nc_chain *c, size_t pos, struct nc_rule *r)
{
	if (pos > c->nrules) {
		nc_rule_free(r);
		errno = EINVAL;
		return -1;
	}
	if (c->nrules == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct nc_rule **v = realloc(c->rules, cap * sizeof(*v));

		if (!v) {
			nc_rule_free(r);
			return -1;
		}
		c->rules = v;
		c->cap = cap;
	}
	memmove(&c->rules[pos + 1], &c->rules[pos],
		(c->nrules - pos) * sizeof(*c->rules));
	c->rules[pos] = r;
	c->nrules++;
	return 0;
}

struct nc_rule *nc_chain_remove(struct nc_chain *c, size_t pos)
{
	struct nc_rule *r;

	if (pos >= c->nrules)
		return NULL;
	r = c->rules[pos];
	memmove(&c->rules[pos], &c->rules[pos + 1],
		(c->nrules - pos - 1) * sizeof(*c->rules));
	c->nrules--;
	return r;
}

struct nc_ruleset *nc_ruleset_new(uint8_t family, const char *table)
{
	struct nc_ruleset *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	rs->family = family;
	snprintf(rs->table, sizeof(rs->table), "%s", table);
	return rs;
}

void nc_ruleset_free(struct nc_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nchains; i++)
		nc_chain_free(rs->chains[i]);
	free(rs->chains);
	free(rs);
}

/* Builtins by hook order, then user chains by name (as iptables lists). */
static int chain_order(const struct nc_chain *a, const struct nc_chain *b)
{
	if (a->builtin != b->builtin)
		return a->builtin ? -1 : 1;
	if (a->builtin)
		return a->hook - b->hook;
	return strcmp(a->name, b->name);
}

int nc_ruleset_add_chain(struct nc_ruleset *rs, struct nc_chain *c)
{
	size_t pos;

	if (rs->nchains == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;
		struct nc_chain **v = realloc(rs->chains, cap * sizeof(*v));

		if (!v) {
			nc_chain_free(c);
			return -1;
		}
		rs->chains = v;
		rs->cap = cap;
	}
	for (pos = rs->nchains; pos > 0; pos--)
		if (chain_order(rs->chains[pos - 1], c) <= 0)
			break;
	memmove(&rs->chains[pos + 1], &rs->chains[pos],
		(rs->nchains - pos) * sizeof(*rs->chains));
	rs->chains[pos] = c;
	rs->nchains++;
	return 0;
}

struct nc_chain *nc_ruleset_find_chain(const struct nc_ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nchains; i++)
		if (!strcmp(rs->chains[i]->name, name))
			return rs->chains[i];
	return NULL;
}

int nc_ruleset_add_builtins(struct nc_ruleset *rs)
{
	for (size_t i = 0; i < 4; i++) {
		const struct nc_builtin *b = &nc_nat_builtins[i];
		struct nc_chain *c;

		if (nc_ruleset_find_chain(rs, b->name))
			continue;
		c = nc_chain_new(b->name);
		if (!c)
			return -1;
		c->builtin = true;
		c->hook = b->hook;
		c->prio = b->prio;
		if (nc_ruleset_add_chain(rs, c) < 0)
			return -1;
	}
	return 0;
}
