// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natc-restore-translate's model of the nat table, and the script it
 * writes.  Commands are applied to the model in input order (so -I N, -D,
 * -R, -F, -X and -E work on what the input did before them); the script
 * then sets up the final state in a way that gives the same ruleset
 * however often it is loaded:
 *   - "add table" and "add chain" (base chains with iptables-nft's
 *     definitions) create what is missing and leave the rest alone;
 *   - a table the input replaces (a save file's *nat; -F then -X) is
 *     deleted and made again;
 *   - a chain the input adds rules to, declares or flushes is the input's:
 *     "flush chain" empties it before its rules are added;
 *   - a chain the input deletes (or renames away) is made, emptied and
 *     deleted, so that deleting it never fails for being absent.
 * Input comments and lines kept untranslated go just before the rule that
 * followed them in the input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/nft/nft.h"
#include "ir/mem.h"
#include "ir/ext.h"

struct entry {
	const char *text;	/* nft words; NULL: untranslated (in a store) */
	const char *src;	/* the input, for an untranslated rule (store) */
	char *notes;		/* "# ..." lines to print before it (owned) */
	uint64_t seq;		/* when it was added */
};

struct mchain {
	char *name;
	bool exists;		/* in the final state */
	bool own;		/* its rules are the input's (flushed first) */
	struct entry *v;
	size_t n, cap;
};

struct nc_nft_script {
	uint8_t family;
	bool replaced;		/* the whole table is the input's */
	bool flush_all;		/* -F without a chain */
	struct mchain **chains;	/* in order of first mention */
	size_t nchains, cap;
	struct mchain **slot;	/* by name, open addressing */
	size_t nslots;
	char **gone;		/* chains deleted or renamed away */
	size_t ngone;
	struct nc_buf pending;	/* notes for the next rule */
	uint64_t seq;
	struct nc_store store;	/* the entries' strings */
	struct mchain *last;	/* the chain get() found last */
};

static size_t hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct mchain **slot_of(const struct nc_nft_script *s, const char *name)
{
	size_t i = hash(name) & (s->nslots - 1);

	while (s->slot[i] && strcmp(s->slot[i]->name, name))
		i = (i + 1) & (s->nslots - 1);
	return &s->slot[i];
}

static struct mchain *find(const struct nc_nft_script *s, const char *name)
{
	return s->nslots ? *slot_of(s, name) : NULL;
}

static int grow_slots(struct nc_nft_script *s)
{
	size_t n = s->nslots ? 2 * s->nslots : 64;
	struct mchain **v = calloc(n, sizeof(*v));

	if (!v)
		return -1;
	free(s->slot);
	s->slot = v;
	s->nslots = n;
	for (size_t i = 0; i < s->nchains; i++)
		*slot_of(s, s->chains[i]->name) = s->chains[i];
	return 0;
}

/* The chain named @name, added (not existing yet) when new. */
static struct mchain *get(struct nc_nft_script *s, const char *name)
{
	struct mchain *c, **v;

	/* a file's rules come chain by chain: the last one, most often */
	if (s->last && !strcmp(s->last->name, name))
		return s->last;
	if ((c = find(s, name)))
		return s->last = c;
	if (2 * (s->nchains + 1) > s->nslots && grow_slots(s) < 0)
		return NULL;
	if (s->nchains == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;

		v = realloc(s->chains, cap * sizeof(*v));
		if (!v)
			return NULL;
		s->chains = v;
		s->cap = cap;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->name = strdup(name))) {
		free(c);
		return NULL;
	}
	s->chains[s->nchains++] = c;
	*slot_of(s, name) = c;
	return s->last = c;
}

static void entry_free(struct entry *e)
{
	free(e->notes);
}

struct nc_nft_script *nc_nft_script_new(uint8_t family)
{
	struct nc_nft_script *s = calloc(1, sizeof(*s));

	if (s)
		s->family = family;
	return s;
}

void nc_nft_script_free(struct nc_nft_script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nchains; i++) {
		struct mchain *c = s->chains[i];

		for (size_t j = 0; j < c->n; j++)
			entry_free(&c->v[j]);
		free(c->v);
		free(c->name);
		free(c);
	}
	for (size_t i = 0; i < s->ngone; i++)
		free(s->gone[i]);
	free(s->gone);
	free(s->chains);
	free(s->slot);
	nc_buf_free(&s->pending);
	nc_store_free(&s->store);
	free(s);
}

int nc_nft_script_note(struct nc_nft_script *s, const char *text, size_t len)
{
	nc_buf_printf(&s->pending, "%.*s\n", (int)len, text);
	return nc_buf_failed(&s->pending) ? -1 : 0;
}

/* Notes of removed rules are not lost: they go to the next rule. */
static int clear(struct nc_nft_script *s, struct mchain *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->v[i];

		if (e->notes)
			nc_buf_puts(&s->pending, e->notes);
		if (!e->text)
			nc_buf_printf(&s->pending, "# %s\n", e->src);
		entry_free(e);
	}
	c->n = 0;
	return nc_buf_failed(&s->pending) ? -1 : 0;
}

static int remove_at(struct nc_nft_script *s, struct mchain *c, size_t pos)
{
	struct entry *e = &c->v[pos];

	if (e->notes)
		nc_buf_puts(&s->pending, e->notes);
	entry_free(e);
	memmove(e, e + 1, (c->n - pos - 1) * sizeof(*e));
	c->n--;
	return nc_buf_failed(&s->pending) ? -1 : 0;
}

/* The input line without a '\r' that ended it. */
static size_t src_len(const char *src, size_t len)
{
	return len && src[len - 1] == '\r' ? len - 1 : len;
}

/* Put a rule (@text, in a store the script keeps, or @src untranslated)
 * at @pos. */
static int insert_at(struct nc_nft_script *s, struct mchain *c, size_t pos,
		     const char *text, const char *src, size_t srclen)
{
	struct entry e = { .text = text };

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct entry *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		nc_populate(v + c->cap, (cap - c->cap) * sizeof(*v));
		c->v = v;
		c->cap = cap;
	}
	if (!text && !(e.src = nc_store_dup(&s->store, src, src_len(src, srclen))))
		return -1;
	e.seq = ++s->seq;
	if (s->pending.len) {
		e.notes = s->pending.s;
		memset(&s->pending, 0, sizeof(s->pending));
	}
	memmove(&c->v[pos + 1], &c->v[pos], (c->n - pos) * sizeof(*c->v));
	c->v[pos] = e;
	c->n++;
	return 0;
}

static int add_gone(struct nc_nft_script *s, const char *name)
{
	char **v = realloc(s->gone, (s->ngone + 1) * sizeof(*v));

	if (!v)
		return -1;
	s->gone = v;
	if (!(v[s->ngone] = strdup(name)))
		return -1;
	s->ngone++;
	return 0;
}

void nc_nft_script_replace_table(struct nc_nft_script *s)
{
	s->replaced = true;
	s->flush_all = false;
	for (size_t i = 0; i < s->nchains; i++) {
		clear(s, s->chains[i]);
		s->chains[i]->exists = false;
	}
}

/* Make @c the input's: empty and existing. */
static void own(struct mchain *c)
{
	if (!c->own)
		c->n = 0;	/* nothing can be in a chain not owned yet */
	c->own = c->exists = true;
}

int nc_nft_script_chain(struct nc_nft_script *s, const char *name, char *why,
			size_t whylen)
{
	struct mchain *c = get(s, name);

	if (!c)
		return -1;
	if (c->exists && c->n && clear(s, c) < 0)
		return -1;
	own(c);
	return 0;
}

/* The chain a command works on: must exist when the input made the whole
 * table; otherwise it may be in the kernel already. */
static int chain_for(struct nc_nft_script *s, const char *name, struct mchain **out,
		     char *why, size_t whylen)
{
	struct mchain *c = get(s, name);

	if (!c)
		return -1;
	if (!c->exists && (s->replaced || c->own) && !nc_builtin_find(name)) {
		snprintf(why, whylen, "Chain '%s' does not exist", name);
		return 1;
	}
	*out = c;
	return 0;
}

static int do_rules(struct nc_nft_script *s, const struct nc_job *job,
		    const struct nc_nft_texts *tx, struct mchain *c,
		    const char *src, size_t srclen, char *why, size_t whylen)
{
	size_t pos;
	int rc = 0;

	if (job->jump[0]) {
		struct mchain *to;
		int r = chain_for(s, job->jump, &to, why, whylen);

		if (r)
			return r;
		to->exists = true;
	}
	own(c);
	pos = job->kind == NC_CMD_INSERT ? (job->rulenum ? job->rulenum - 1 : 0) : c->n;
	if (pos > c->n) {
		snprintf(why, whylen, "Index of insertion too big.");
		return 1;
	}
	for (size_t i = 0; i < tx->n; i++) {
		if (!tx->v[i] && !rc) {
			snprintf(why, whylen, "%s", tx->why ? tx->why : "");
			rc = 1;
		}
		if (insert_at(s, c, job->kind == NC_CMD_APPEND ? c->n : pos,
			      tx->v[i], src, srclen) < 0)
			return -1;
	}
	return rc;
}

static int do_delete(struct nc_nft_script *s, const struct nc_job *job,
		     const struct nc_nft_texts *tx, struct mchain *c,
		     char *why, size_t whylen)
{
	int rc = 0;

	own(c);
	if (job->rulenum) {
		if (job->rulenum > c->n) {
			snprintf(why, whylen, "Index of deletion too big.");
			return 1;
		}
		return remove_at(s, c, job->rulenum - 1);
	}
	for (size_t i = 0; i < tx->n && !rc; i++) {
		size_t j;

		if (!tx->v[i]) {
			snprintf(why, whylen, "%s", tx->why ? tx->why : "");
			rc = 1;
			break;
		}
		for (j = 0; j < c->n; j++)
			if (c->v[j].text && !strcmp(c->v[j].text, tx->v[i]))
				break;
		if (j < c->n)
			rc = remove_at(s, c, j);
		else if (s->replaced) {
			snprintf(why, whylen,
				 "Bad rule (does a matching rule exist in that chain?).");
			rc = 1;
		}
		/* otherwise there is nothing to delete: the chain is the
		 * input's, emptied before its rules are added */
	}
	return rc;
}

static int do_replace(struct nc_nft_script *s, const struct nc_job *job,
		      const struct nc_nft_texts *tx, struct mchain *c,
		      const char *src, size_t srclen, char *why, size_t whylen)
{
	struct nc_job one = *job;

	own(c);
	if (job->rulenum > c->n || !tx->n) {
		snprintf(why, whylen, "Index of replacement too big.");
		return 1;
	}
	if (remove_at(s, c, job->rulenum - 1) < 0)
		return -1;
	one.kind = NC_CMD_INSERT;
	return do_rules(s, &one, tx, c, src, srclen, why, whylen);
}

static int do_flush(struct nc_nft_script *s, const struct nc_job *job, char *why,
		    size_t whylen)
{
	struct mchain *c;
	int rc;

	if (job->chain[0]) {
		if ((rc = chain_for(s, job->chain, &c, why, whylen)))
			return rc;
		if (clear(s, c) < 0)
			return -1;
		own(c);
		return 0;
	}
	for (size_t i = 0; i < s->nchains; i++)
		if (clear(s, s->chains[i]) < 0)
			return -1;
	if (!s->replaced)
		s->flush_all = true;
	return 0;
}

static int do_delete_chain(struct nc_nft_script *s, const struct nc_job *job,
			   char *why, size_t whylen)
{
	struct mchain *c;
	int rc;

	if (!job->chain[0]) {
		if (!s->replaced && !s->flush_all) {
			snprintf(why, whylen, "-X without a chain deletes chains natc "
				 "has not seen: flush the table (-F) first");
			return 1;
		}
		/* everything is empty: the table is the input's now */
		s->replaced = true;
		s->flush_all = false;
		for (size_t i = 0; i < s->nchains; i++) {
			c = s->chains[i];
			if (!nc_builtin_find(c->name))
				c->exists = false;
			c->own = true;
		}
		return 0;
	}
	if ((rc = chain_for(s, job->chain, &c, why, whylen)))
		return rc;
	if (c->n) {
		snprintf(why, whylen, "Directory not empty");
		return 1;
	}
	c->exists = false;
	c->own = true;
	return s->replaced ? 0 : add_gone(s, c->name);
}

static int do_rename(struct nc_nft_script *s, const struct nc_job *job, char *why,
		     size_t whylen)
{
	struct mchain *from, *to;
	int rc;

	if ((rc = chain_for(s, job->chain, &from, why, whylen)))
		return rc;
	if (!from->own) {
		snprintf(why, whylen, "renames a chain whose rules natc has not seen");
		return 1;
	}
	to = find(s, job->newname);
	if (to && to->exists) {
		snprintf(why, whylen, "File exists");
		return 1;
	}
	if (!(to = get(s, job->newname)))
		return -1;
	/* move the rules over */
	if (clear(s, to) < 0)
		return -1;
	free(to->v);
	to->v = from->v;
	to->n = from->n;
	to->cap = from->cap;
	from->v = NULL;
	from->n = from->cap = 0;
	to->exists = to->own = true;
	from->exists = false;
	return s->replaced ? 0 : add_gone(s, from->name);
}

int nc_nft_texts_of(const struct nc_job *job, struct nc_store *st,
		    struct nc_buf *scratch, struct nc_nft_texts *out)
{
	struct nc_buf own = { 0 }, *b = scratch ? scratch : &own;
	char w[256];
	int rc = 0;

	out->n = job->nrules;
	out->why = NULL;
	out->v = nc_store_alloc(st, (job->nrules ? job->nrules : 1) * sizeof(*out->v));
	if (!out->v)
		return -1;
	for (size_t i = 0; i < job->nrules && rc == 0; i++) {
		out->v[i] = NULL;
		nc_buf_reset(b);
		if (nc_nft_rule(job->rules[i], b, w, sizeof(w)) < 0) {
			if (!out->why && !(out->why = nc_store_dup(st, w, strlen(w))))
				rc = -1;
		} else if (nc_buf_failed(b) ||
			   !(out->v[i] = nc_store_dup(st, nc_buf_str(b), b->len))) {
			rc = -1;
		}
	}
	nc_buf_free(&own);
	return rc;
}

void nc_nft_script_adopt(struct nc_nft_script *s, struct nc_store *st)
{
	nc_store_move(&s->store, st);
}

int nc_nft_script_job(struct nc_nft_script *s, const struct nc_job *job,
		      const struct nc_nft_texts *tx, const char *src,
		      size_t srclen, char *why, size_t whylen)
{
	struct nc_nft_texts own_tx;
	struct mchain *c = NULL;
	int rc = 0;

	if (!tx && (job->kind == NC_CMD_APPEND || job->kind == NC_CMD_INSERT ||
		    job->kind == NC_CMD_DELETE || job->kind == NC_CMD_REPLACE)) {
		if (nc_nft_texts_of(job, &s->store, NULL, &own_tx) < 0)
			return -1;
		tx = &own_tx;
	}

	switch (job->kind) {
	case NC_CMD_APPEND:
	case NC_CMD_INSERT:
	case NC_CMD_DELETE:
	case NC_CMD_REPLACE:
		rc = chain_for(s, job->chain, &c, why, whylen);
		if (rc)
			break;
		if (job->kind == NC_CMD_DELETE)
			rc = do_delete(s, job, tx, c, why, whylen);
		else if (job->kind == NC_CMD_REPLACE)
			rc = do_replace(s, job, tx, c, src, srclen, why, whylen);
		else
			rc = do_rules(s, job, tx, c, src, srclen, why, whylen);
		if (rc == 1 && job->kind != NC_CMD_DELETE &&
		    job->kind != NC_CMD_REPLACE)
			return 1;	/* kept in the chain as a comment */
		break;
	case NC_CMD_FLUSH:
		rc = do_flush(s, job, why, whylen);
		break;
	case NC_CMD_NEW_CHAIN:
		if (!(c = get(s, job->chain)))
			return -1;
		if (c->exists && (c->own || s->replaced)) {
			snprintf(why, whylen, "Chain already exists.");
			rc = 1;
			break;
		}
		own(c);
		break;
	case NC_CMD_DELETE_CHAIN:
		rc = do_delete_chain(s, job, why, whylen);
		break;
	case NC_CMD_POLICY:	/* ACCEPT: what the base chain has anyway */
		if (job->policy != NF_ACCEPT) {
			snprintf(why, whylen, "%s", NC_MSG_DROP);
			rc = 1;
			break;
		}
		if (!(c = get(s, job->chain)))
			return -1;
		c->exists = true;
		break;
	case NC_CMD_RENAME_CHAIN:
		rc = do_rename(s, job, why, whylen);
		break;
	default:		/* -L -S -C -Z change no rule: kept as notes */
		break;
	}
	if (rc == 1) {
		nc_buf_printf(&s->pending, "# %.*s\n", (int)src_len(src, srclen), src);
		if (nc_buf_failed(&s->pending))
			return -1;
	}
	return rc;
}

static void chain_line(const struct nc_nft_script *s, const char *verb,
		       const char *name, struct nc_buf *out)
{
	nc_buf_printf(out, "%s chain %s nat %s", verb, nc_nft_family(s->family), name);
}

/* Where a chain is written: builtins first, in hook order, then the
 * others as they came. */
static int order_cmp(const struct nc_nft_script *s, const struct mchain *c)
{
	const struct nc_builtin *b = nc_builtin_find(c->name);

	(void)s;
	return b ? (int)(b - nc_nat_builtins) : 4;
}

/* Rules are written chain by chain, the chains in the order of their
 * first rule in the input, so that a file's first comments stay first. */
static uint64_t first_seq(const struct mchain *c)
{
	uint64_t m = UINT64_MAX;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].seq < m)
			m = c->v[i].seq;
	return m;
}

struct by_first {
	uint64_t seq;		/* first_seq(), found once */
	const struct mchain *c;
};

static int by_seq(const void *a, const void *b)
{
	uint64_t x = ((const struct by_first *)a)->seq,
		 y = ((const struct by_first *)b)->seq;

	return x < y ? -1 : x > y;
}

/* Write what @b holds to @f once it is big, or always with @all. */
static int drain(struct nc_buf *b, FILE *f, bool all)
{
	if (nc_buf_failed(b))
		return -1;
	if ((all || b->len >= (1 << 20)) && b->len) {
		if (fwrite(b->s, 1, b->len, f) != b->len)
			return -1;
		nc_buf_reset(b);
	}
	return 0;
}

int nc_nft_script_write(const struct nc_nft_script *s, const char *header, FILE *f)
{
	struct nc_buf buf = { 0 }, *out = &buf, prefix = { 0 };
	int rc = -1;
	const char *fam = nc_nft_family(s->family);
	const struct mchain **order;
	struct by_first *by_rule;
	size_t n = 0;

	order = malloc((s->nchains + 1) * sizeof(*order));
	by_rule = malloc((s->nchains + 1) * sizeof(*by_rule));
	if (!order || !by_rule) {
		free(order);
		free(by_rule);
		return -1;
	}
	nc_buf_puts(out, header);
	for (int k = 0; k <= 4; k++)
		for (size_t i = 0; i < s->nchains; i++)
			if (s->chains[i]->exists && order_cmp(s, s->chains[i]) == k)
				order[n++] = s->chains[i];

	nc_buf_printf(out, "add table %s nat\n", fam);
	if (s->replaced)
		nc_buf_printf(out, "delete table %s nat\nadd table %s nat\n", fam, fam);
	else if (s->flush_all)
		nc_buf_printf(out, "flush table %s nat\n", fam);
	for (size_t i = 0; i < n; i++) {
		chain_line(s, "add", order[i]->name, out);
		nc_nft_chain_decl(order[i]->name, out);
		nc_buf_putc(out, '\n');
	}
	if (!s->replaced && !s->flush_all)
		for (size_t i = 0; i < n; i++)
			if (order[i]->own) {
				chain_line(s, "flush", order[i]->name, out);
				nc_buf_putc(out, '\n');
			}
	if (!s->replaced)
		for (size_t i = 0; i < s->ngone; i++) {
			const struct mchain *c = find(s, s->gone[i]);
			bool dup = false;

			if (c && c->exists)
				continue;
			for (size_t j = 0; j < i; j++)
				dup |= !strcmp(s->gone[j], s->gone[i]);
			if (dup)
				continue;
			chain_line(s, "add", s->gone[i], out);
			nc_buf_putc(out, '\n');
			chain_line(s, "flush", s->gone[i], out);
			nc_buf_putc(out, '\n');
			chain_line(s, "delete", s->gone[i], out);
			nc_buf_putc(out, '\n');
		}
	for (size_t i = 0; i < n; i++)
		by_rule[i] = (struct by_first){ first_seq(order[i]), order[i] };
	qsort(by_rule, n, sizeof(*by_rule), by_seq);
	for (size_t i = 0; i < n; i++) {
		const struct mchain *c = by_rule[i].c;

		nc_buf_reset(&prefix);
		nc_buf_printf(&prefix, "add rule %s nat %s ", fam, c->name);
		for (size_t j = 0; j < c->n; j++) {
			const struct entry *e = &c->v[j];

			if (e->notes)
				nc_buf_puts(out, e->notes);
			if (e->text) {
				nc_buf_putn(out, prefix.s, prefix.len);
				nc_buf_puts(out, e->text);
				nc_buf_putc(out, '\n');
			} else
				nc_buf_printf(out, "# %s\n", e->src);
			if (drain(out, f, false) < 0)
				goto out;
		}
	}
	nc_buf_puts(out, nc_buf_str(&s->pending));
	rc = nc_buf_failed(&prefix) ? -1 : drain(out, f, true);
out:
	nc_buf_free(out);
	nc_buf_free(&prefix);
	free(order);
	free(by_rule);
	return rc;
}
