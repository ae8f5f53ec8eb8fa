// SPDX-License-Identifier: GPL-2.0-or-later
/* The chain model (ir/chains.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ir/chains.h"

void nc_chains_init(struct nc_chains *m, size_t csize, size_t rsize,
		    void (*rule_free)(void *rec))
{
	memset(m, 0, sizeof(*m));
	m->csize = csize < sizeof(struct nc_mchain) ? sizeof(struct nc_mchain) : csize;
	m->rsize = rsize ? rsize : 1;
	m->rule_free = rule_free;
}

static size_t hash(const char *s)
{
	size_t h = 2166136261u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of @name: its chain's, or the empty one where it would go. */
static struct nc_mchain **slot_of(const struct nc_chains *m, const char *name)
{
	size_t i = hash(name) & (m->nslots - 1);

	while (m->slot[i] && strcmp(m->slot[i]->name, name))
		i = (i + 1) & (m->nslots - 1);
	return &m->slot[i];
}

/* A bigger table, the chains of m->v in it. */
static int rehash(struct nc_chains *m, size_t nslots)
{
	struct nc_mchain **v = calloc(nslots, sizeof(*v));

	if (!v)
		return -1;
	free(m->slot);
	m->slot = v;
	m->nslots = nslots;
	for (size_t i = 0; i < m->n; i++)
		*slot_of(m, m->v[i]->name) = m->v[i];
	return 0;
}

/* The table again in place, after a chain left or changed its name (open
 * addressing without tombstones: the chains after it in a probe sequence
 * must be found again; both are rare). */
static void reslot(struct nc_chains *m)
{
	if (m->nslots)
		memset(m->slot, 0, m->nslots * sizeof(*m->slot));
	for (size_t k = 0; k < m->n; k++)
		*slot_of(m, m->v[k]->name) = m->v[k];
}

struct nc_mchain *nc_chains_find(struct nc_chains *m, const char *name)
{
	struct nc_mchain *c;

	if (m->last && !strcmp(m->last->name, name))
		return m->last;
	c = m->nslots ? *slot_of(m, name) : NULL;
	if (c)
		m->last = c;
	return c;
}

struct nc_mchain *nc_chains_get(struct nc_chains *m, const char *name)
{
	struct nc_mchain *c = nc_chains_find(m, name);

	if (c)
		return c;
	if (2 * (m->n + 1) > m->nslots && rehash(m, m->nslots ? 2 * m->nslots : 64) < 0)
		return NULL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		struct nc_mchain **v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	c = calloc(1, m->csize);
	if (!c || !(c->name = strdup(name))) {
		free(c);
		return NULL;
	}
	c->builtin = nc_builtin_find(name) != NULL;
	m->v[m->n++] = c;
	*slot_of(m, name) = c;
	return m->last = c;
}

void nc_mchain_clear(struct nc_chains *m, struct nc_mchain *c)
{
	for (size_t i = 0; m->rule_free && i < c->n; i++)
		m->rule_free(nc_mchain_rule(m, c, i));
	c->n = 0;
}

static void chain_free(struct nc_chains *m, struct nc_mchain *c)
{
	nc_mchain_clear(m, c);
	free(c->rules);
	free(c->name);
	free(c);
}

void nc_chains_del(struct nc_chains *m, struct nc_mchain *c)
{
	size_t i;

	for (i = 0; i < m->n && m->v[i] != c; i++)
		;
	if (i == m->n)
		return;
	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(*m->v));
	m->n--;
	if (m->last == c)
		m->last = NULL;
	chain_free(m, c);
	reslot(m);
}

int nc_chains_rename(struct nc_chains *m, struct nc_mchain *c, const char *newname)
{
	char *name = strdup(newname);

	if (!name)
		return -1;
	free(c->name);
	c->name = name;
	c->builtin = nc_builtin_find(name) != NULL;
	reslot(m);
	return 0;
}

void nc_chains_reset(struct nc_chains *m)
{
	for (size_t i = 0; i < m->n; i++)
		chain_free(m, m->v[i]);
	m->n = 0;
	m->last = NULL;
	if (m->slot)
		memset(m->slot, 0, m->nslots * sizeof(*m->slot));
}

void nc_chains_free(struct nc_chains *m)
{
	nc_chains_reset(m);
	free(m->v);
	free(m->slot);
	m->v = m->slot = NULL;
	m->cap = m->nslots = 0;
}

void *nc_mchain_insert(struct nc_chains *m, struct nc_mchain *c, size_t pos)
{
	unsigned char *at;

	if (pos > c->n) {
		errno = EINVAL;
		return NULL;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		unsigned char *v = realloc(c->rules, cap * m->rsize);

		if (!v)
			return NULL;
		c->rules = v;
		c->cap = cap;
	}
	at = c->rules + pos * m->rsize;
	memmove(at + m->rsize, at, (c->n - pos) * m->rsize);
	memset(at, 0, m->rsize);
	c->n++;
	return at;
}

void nc_mchain_remove(struct nc_chains *m, struct nc_mchain *c, size_t pos)
{
	unsigned char *at = c->rules + pos * m->rsize;

	if (pos >= c->n)
		return;
	if (m->rule_free)
		m->rule_free(at);
	memmove(at, at + m->rsize, (c->n - pos - 1) * m->rsize);
	c->n--;
}

void nc_mchain_move(struct nc_chains *m, struct nc_mchain *to, struct nc_mchain *from)
{
	nc_mchain_clear(m, to);
	free(to->rules);
	to->rules = from->rules;
	to->n = from->n;
	to->cap = from->cap;
	from->rules = NULL;
	from->n = from->cap = 0;
}

/* --- what commands do ------------------------------------------------ */

const char *nc_chains_missing_msg(const struct nc_job *job)
{
	if ((job->kind == NC_CMD_DELETE || job->kind == NC_CMD_CHECK) && !job->rulenum)
		return NC_MSG_BAD_RULE;
	return job->kind == NC_CMD_ZERO && job->rulenum ? NC_MSG_BAD_RULE : NC_MSG_NO_CHAIN;
}

bool nc_chains_x_takes(bool builtin, size_t n, bool accept)
{
	return !builtin || (n == 0 && accept);
}

int nc_chains_add_pos(const struct nc_job *job, size_t n, size_t *pos,
		      const struct nc_loc *loc, struct nc_err *err)
{
	if (job->kind != NC_CMD_INSERT) {
		*pos = n;
		return 0;
	}
	*pos = job->rulenum ? job->rulenum - 1 : 0;
	if (*pos > n)
		return nc_err_set(err, NC_EOTHER, loc, "Index of insertion too big.");
	return 0;
}

int nc_chains_rule_pos(const struct nc_job *job, size_t k, size_t n,
		       nc_same_rule_fn same, void *arg, const bool *taken,
		       size_t *pos, const struct nc_loc *loc, struct nc_err *err)
{
	if (job->rulenum) {
		if (job->rulenum > n)
			return nc_err_set(err, NC_EOTHER, loc, "Index of %s too big.",
					  job->kind == NC_CMD_DELETE ? "deletion" :
					  job->kind == NC_CMD_REPLACE ? "replacement" :
					  job->kind == NC_CMD_ZERO ? "zero" : "check");
		*pos = job->rulenum - 1;
		return 0;
	}
	for (size_t i = 0; k < job->nrules && i < n; i++)
		if ((!taken || !taken[i]) && same(arg, i, job->rules[k])) {
			*pos = i;
			return 0;
		}
	return nc_err_set(err, NC_EOTHER, loc, NC_MSG_BAD_RULE);
}

int nc_chains_check_new(const char *name, bool exists, const struct nc_loc *loc,
			struct nc_err *err)
{
	if (exists || nc_builtin_find(name))
		return nc_err_set(err, NC_EOTHER, loc, NC_MSG_CHAIN_EXISTS);
	return 0;
}

int nc_chains_check_delete(const char *name, bool exists, size_t n,
			   const struct nc_loc *loc, struct nc_err *err)
{
	if (!exists)
		return nc_err_set(err, NC_EOTHER, loc, NC_MSG_NO_CHAIN);
	if (n)
		return nc_err_set(err, NC_EOTHER, loc, NC_MSG_NOT_EMPTY);
	return 0;
}

int nc_chains_check_rename(const char *old, bool old_exists, const char *newname,
			   bool new_exists, const struct nc_loc *loc,
			   struct nc_err *err)
{
	if (!old_exists || nc_builtin_find(old))
		return nc_err_set(err, NC_EOTHER, loc, NC_MSG_NO_CHAIN);
	if (new_exists || nc_builtin_find(newname))
		return nc_err_set(err, NC_EOTHER, loc, NC_MSG_FILE_EXISTS);
	return 0;
}
