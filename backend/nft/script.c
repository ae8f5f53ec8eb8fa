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
 * An input that adds to the table (-n, as iptables-restore --noflush; a
 * wg-quick configuration, whose PostUp commands run on the host's table
 * as it is) leaves the rules a chain holds where they are: a chain it
 * neither flushes nor declares is not emptied, its rules inserted at the
 * head are written "insert rule" and the others "add rule", and what
 * would need the rules the chain held before (-I N past the head, -D or
 * -R of a rule the input did not add) is not translated.  Loading such a
 * script twice adds its rules twice, as running the commands twice does.
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
#include "ir/chains.h"

/* A rule of the model: a record in the chain model (ir/chains.h). */
struct entry {
	const char *text;	/* nft words; NULL: untranslated (in a store) */
	const char *src;	/* the input, for an untranslated rule (store) */
	char *notes;		/* "# ..." lines to print before it (owned) */
	uint64_t seq;		/* when it was added */
};

struct schain {
	struct nc_mchain m;	/* first: the model's part */
	bool exists;		/* in the final state */
	bool own;		/* its rules are the input's (flushed first) */
	size_t head;		/* not own, the input adding to the table: how
				 * many of its rules go before those it held */
};

/* A script's jump to a chain nothing in the input made (yet): the chain
 * may still be made by a later line or file; nc_nft_script_finish()
 * says. */
struct jump {
	uint64_t seq;		/* the job's first rule */
	size_t n;		/* and how many */
	const char *chain, *src;	/* (store) */
	uint32_t line;
	void (*report)(void *arg, uint32_t line, const char *why);
	void *arg;
};

struct nc_nft_script {
	uint8_t family;
	bool replaced;		/* the whole table is the input's */
	bool flush_all;		/* -F without a chain */
	bool additive;		/* the input being read adds to the table */
	bool added;		/* a chain was added to (not emptied) */
	struct nc_chains chains;	/* in order of first mention */
	char **gone;		/* chains deleted or renamed away */
	size_t ngone;
	struct nc_buf pending;	/* notes for the next rule */
	uint64_t seq;
	struct nc_store store;	/* the entries' strings */
	/* what nc_nft_script_from() said of the input being read */
	bool script;
	uint32_t line;		/* of the job being applied */
	void (*report)(void *arg, uint32_t line, const char *why);
	void *arg;
	struct jump *jumps;
	size_t njumps;
};

static void entry_free(void *rec)
{
	free(((struct entry *)rec)->notes);
}

static struct entry *entry_at(struct nc_nft_script *s, struct schain *c, size_t i)
{
	return nc_mchain_rule(&s->chains, &c->m, i);
}

static struct schain *find(struct nc_nft_script *s, const char *name)
{
	return (struct schain *)nc_chains_find(&s->chains, name);
}

/* The chain named @name, added (not existing yet) when new. */
static struct schain *get(struct nc_nft_script *s, const char *name)
{
	return (struct schain *)nc_chains_get(&s->chains, name);
}

static struct schain *chain_i(const struct nc_nft_script *s, size_t i)
{
	return (struct schain *)s->chains.v[i];
}

/* A refusal of the model's: 1 with the message in @why. */
static int refused(const struct nc_err *e, char *why, size_t whylen)
{
	snprintf(why, whylen, "%s", e->msg);
	return 1;
}

struct nc_nft_script *nc_nft_script_new(uint8_t family)
{
	struct nc_nft_script *s = calloc(1, sizeof(*s));

	if (s) {
		s->family = family;
		nc_chains_init(&s->chains, sizeof(struct schain), sizeof(struct entry),
			       entry_free);
	}
	return s;
}

void nc_nft_script_free(struct nc_nft_script *s)
{
	if (!s)
		return;
	nc_chains_free(&s->chains);
	for (size_t i = 0; i < s->ngone; i++)
		free(s->gone[i]);
	free(s->gone);
	nc_buf_free(&s->pending);
	nc_store_free(&s->store);
	free(s->jumps);
	free(s);
}

int nc_nft_script_note(struct nc_nft_script *s, const char *text, size_t len)
{
	nc_buf_printf(&s->pending, "%.*s\n", (int)len, text);
	return nc_buf_failed(&s->pending) ? -1 : 0;
}

/* Notes of removed rules are not lost: they go to the next rule. */
static int clear(struct nc_nft_script *s, struct schain *c)
{
	for (size_t i = 0; i < c->m.n; i++) {
		struct entry *e = entry_at(s, c, i);

		if (e->notes)
			nc_buf_puts(&s->pending, e->notes);
		if (!e->text)
			nc_buf_printf(&s->pending, "# %s\n", e->src);
	}
	nc_mchain_clear(&s->chains, &c->m);
	c->head = 0;
	return nc_buf_failed(&s->pending) ? -1 : 0;
}

static int remove_at(struct nc_nft_script *s, struct schain *c, size_t pos)
{
	struct entry *e = entry_at(s, c, pos);

	if (e->notes)
		nc_buf_puts(&s->pending, e->notes);
	if (pos < c->head)
		c->head--;
	nc_mchain_remove(&s->chains, &c->m, pos);
	return nc_buf_failed(&s->pending) ? -1 : 0;
}

/* The input line without a '\r' that ended it. */
static size_t src_len(const char *src, size_t len)
{
	return len && src[len - 1] == '\r' ? len - 1 : len;
}

/* Put a rule (@text, in a store the script keeps, or @src untranslated)
 * at @pos. */
static int insert_at(struct nc_nft_script *s, struct schain *c, size_t pos,
		     const char *text, const char *src, size_t srclen)
{
	struct entry e = { .text = text }, *at;

	if (!text && !(e.src = nc_store_dup(&s->store, src, src_len(src, srclen))))
		return -1;
	if (!(at = nc_mchain_insert(&s->chains, &c->m, pos)))
		return -1;
	e.seq = ++s->seq;
	if (s->pending.len) {
		e.notes = s->pending.s;
		memset(&s->pending, 0, sizeof(s->pending));
	}
	*at = e;
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
	for (size_t i = 0; i < s->chains.n; i++) {
		clear(s, chain_i(s, i));
		chain_i(s, i)->exists = false;
	}
}

/* Make @c the input's: existing, its rules all the input's (emptied
 * first; rules an input adding to the table put there stay). */
static void own(struct schain *c)
{
	c->own = c->exists = true;
	c->head = 0;
}

/* Whether the input adds rules to @c around those it held (see the top). */
static bool adds_to(const struct nc_nft_script *s, const struct schain *c)
{
	return s->additive && !c->own && !s->replaced && !s->flush_all;
}

/* A command on a chain the input adds to that needs its earlier rules. */
static int not_known(const struct schain *c, char *why, size_t whylen)
{
	snprintf(why, whylen, "the rules chain %s held before are not known "
		 "(the input adds to the table)", c->m.name);
	return 1;
}

void nc_nft_script_additive(struct nc_nft_script *s, bool additive)
{
	s->additive = additive;
}

int nc_nft_script_chain(struct nc_nft_script *s, const char *name, char *why,
			size_t whylen)
{
	struct schain *c;

	if (nc_nft_name_check(name, why, whylen))
		return 1;
	if (!(c = get(s, name)))
		return -1;
	if (adds_to(s, c) && nc_builtin_find(name)) {
		/* iptables-restore --noflush sets a builtin's policy and
		 * leaves its rules */
		c->exists = true;
		return 0;
	}
	if (c->exists && c->m.n && clear(s, c) < 0)
		return -1;
	own(c);
	return 0;
}

/* The chain a command works on: must exist when the input made the whole
 * table; otherwise it may be in the kernel already. */
static int chain_for(struct nc_nft_script *s, const char *name, struct schain **out,
		     char *why, size_t whylen)
{
	struct schain *c = get(s, name);

	if (!c)
		return -1;
	if (!c->exists && (s->replaced || c->own) && !nc_builtin_find(name)) {
		snprintf(why, whylen, "Chain '%s' does not exist", name);
		return 1;
	}
	*out = c;
	return 0;
}

static int add_jump(struct nc_nft_script *s, const struct nc_job *job,
		    const char *src, size_t srclen)
{
	struct jump *v = realloc(s->jumps, (s->njumps + 1) * sizeof(*v));

	if (!v)
		return -1;
	s->jumps = v;
	v += s->njumps;
	*v = (struct jump){ .seq = s->seq + 1, .n = job->nrules, .line = s->line,
			    .report = s->report, .arg = s->arg };
	v->chain = nc_store_dup(&s->store, job->jump, strlen(job->jump));
	v->src = nc_store_dup(&s->store, src, src_len(src, srclen));
	if (!v->chain || !v->src)
		return -1;
	s->njumps++;
	return 0;
}

/* do_rules(): the job's rules are in the chain, one of them kept there
 * untranslated (as a comment where it stands) */
#define KEPT 2

static int do_rules(struct nc_nft_script *s, const struct nc_job *job,
		    const struct nc_nft_texts *tx, struct schain *c,
		    const char *src, size_t srclen, char *why, size_t whylen)
{
	struct nc_err e;
	size_t pos;
	int rc = 0;

	nc_err_init(&e);
	if (job->jump[0]) {
		struct schain *to;
		int r = chain_for(s, job->jump, &to, why, whylen);

		if (r)
			return r;
		to->exists = true;
		/* a script may jump to a chain made by a later line or file
		 * (or, as natc cannot know, by nothing: a typo) */
		if (s->script && !to->own && !nc_builtin_find(job->jump) &&
		    add_jump(s, job, src, srclen) < 0)
			return -1;
	}
	if (adds_to(s, c)) {
		/* around the rules it held: the head's positions are known */
		c->exists = s->added = true;
		if (nc_chains_add_pos(job, c->head, &pos, NULL, &e) < 0)
			rc = not_known(c, why, whylen);
	} else {
		own(c);
		if (nc_chains_add_pos(job, c->m.n, &pos, NULL, &e) < 0)
			rc = refused(&e, why, whylen);
	}
	if (rc) {
		if (job->jump[0] && s->script && s->njumps)
			s->njumps--;	/* (the one just added) */
		return rc;
	}
	for (size_t i = 0; i < tx->n; i++) {
		if (!tx->v[i] && !rc) {
			snprintf(why, whylen, "%s", tx->why ? tx->why : "");
			rc = KEPT;
		}
		if (insert_at(s, c, job->kind == NC_CMD_APPEND ? c->m.n : pos,
			      tx->v[i], src, srclen) < 0)
			return -1;
		if (job->kind != NC_CMD_APPEND && adds_to(s, c))
			c->head++;
	}
	return rc;
}

struct same_arg {
	struct nc_nft_script *s;
	struct schain *c;
	const char *text;
};

/* Rules are the same when their nft words are. */
static bool same_text(void *arg, size_t i, const struct nc_rule *r)
{
	struct same_arg *a = arg;
	const struct entry *e = entry_at(a->s, a->c, i);

	(void)r;
	return e->text && !strcmp(e->text, a->text);
}

static int do_delete(struct nc_nft_script *s, const struct nc_job *job,
		     const struct nc_nft_texts *tx, struct schain *c,
		     char *why, size_t whylen)
{
	struct same_arg arg = { s, c, NULL };
	struct nc_err e;
	size_t pos;
	int rc = 0;
	bool adds = adds_to(s, c);
	/* adding to the table, only the head's rules come before those
	 * the chain held: a rule found later may be one of them */
	size_t n = adds ? c->head : c->m.n;

	nc_err_init(&e);
	if (!adds)
		own(c);
	if (job->rulenum) {
		if (nc_chains_rule_pos(job, 0, n, same_text, &arg, NULL, &pos, NULL,
				       &e) < 0)
			return adds ? not_known(c, why, whylen) : refused(&e, why, whylen);
		return remove_at(s, c, pos);
	}
	for (size_t i = 0; adds && i < tx->n; i++) {
		arg.text = tx->v[i];
		if (!tx->v[i] ||
		    nc_chains_rule_pos(job, i, n, same_text, &arg, NULL, &pos, NULL, &e) < 0) {
			nc_err_clear(&e);
			return not_known(c, why, whylen);
		}
	}
	for (size_t i = 0; i < tx->n && !rc; i++) {
		if (!tx->v[i]) {
			snprintf(why, whylen, "%s", tx->why ? tx->why : "");
			return 1;
		}
		arg.text = tx->v[i];
		/* job->rules[i] is not read: same_text() compares words */
		if (nc_chains_rule_pos(job, i, adds ? c->head : c->m.n, same_text, &arg,
				       NULL, &pos, NULL, &e) == 0)
			rc = remove_at(s, c, pos);
		else if (s->replaced)
			rc = refused(&e, why, whylen);
		/* otherwise there is nothing to delete: the chain is the
		 * input's, emptied before its rules are added */
		nc_err_clear(&e);
	}
	return rc;
}

static int do_replace(struct nc_nft_script *s, const struct nc_job *job,
		      const struct nc_nft_texts *tx, struct schain *c,
		      const char *src, size_t srclen, char *why, size_t whylen)
{
	struct nc_job one = *job;
	struct nc_err e;
	size_t pos;

	nc_err_init(&e);
	if (!job->rulenum || !tx->n)
		return refused(&(struct nc_err){ .msg = "Index of replacement too big." },
			       why, whylen);
	if (adds_to(s, c)) {
		if (nc_chains_rule_pos(job, 0, c->head, same_text, NULL, NULL, &pos, NULL,
				       &e) < 0)
			return not_known(c, why, whylen);
	} else {
		own(c);
		if (nc_chains_rule_pos(job, 0, c->m.n, same_text, NULL, NULL, &pos, NULL,
				       &e) < 0)
			return refused(&e, why, whylen);
	}
	if (remove_at(s, c, pos) < 0)
		return -1;
	one.kind = NC_CMD_INSERT;
	return do_rules(s, &one, tx, c, src, srclen, why, whylen);
}

static int do_flush(struct nc_nft_script *s, const struct nc_job *job, char *why,
		    size_t whylen)
{
	struct schain *c;
	int rc;

	if (job->chain[0]) {
		if ((rc = chain_for(s, job->chain, &c, why, whylen)))
			return rc;
		if (clear(s, c) < 0)
			return -1;
		own(c);
		return 0;
	}
	for (size_t i = 0; i < s->chains.n; i++)
		if (clear(s, chain_i(s, i)) < 0)
			return -1;
	if (!s->replaced)
		s->flush_all = true;
	return 0;
}

static int do_delete_chain(struct nc_nft_script *s, const struct nc_job *job,
			   char *why, size_t whylen)
{
	struct nc_err e;
	struct schain *c;
	int rc;

	nc_err_init(&e);
	if (!job->chain[0]) {
		if (!s->replaced && !s->flush_all) {
			snprintf(why, whylen, "-X without a chain deletes chains natc "
				 "has not seen: flush the table (-F) first");
			return 1;
		}
		/* the table is the input's now; a builtin is ACCEPT here
		 * (DROP is not translated) */
		s->replaced = true;
		s->flush_all = false;
		for (size_t i = 0; i < s->chains.n; i++) {
			c = chain_i(s, i);
			if (nc_chains_x_takes(c->m.builtin, c->m.n, true))
				c->exists = false;
			c->own = true;
		}
		return 0;
	}
	if ((rc = chain_for(s, job->chain, &c, why, whylen)))
		return rc;
	/* a builtin is no chain -X deletes, as natc-restore says */
	if (nc_chains_check_delete(job->chain, !c->m.builtin, c->m.n, NULL, &e) < 0)
		return refused(&e, why, whylen);
	c->exists = false;
	c->own = true;
	return s->replaced ? 0 : add_gone(s, c->m.name);
}

static int do_rename(struct nc_nft_script *s, const struct nc_job *job, char *why,
		     size_t whylen)
{
	struct schain *from, *to, *old;
	struct nc_err e;
	int rc;

	nc_err_init(&e);
	if ((rc = chain_for(s, job->chain, &from, why, whylen)))
		return rc;
	if (!from->own) {
		snprintf(why, whylen, "renames a chain whose rules natc has not seen");
		return 1;
	}
	to = find(s, job->newname);
	if (nc_chains_check_rename(job->chain, true, job->newname, to && to->exists,
				   NULL, &e) < 0)
		return refused(&e, why, whylen);
	/* a chain of the new name known to be gone makes room */
	if (to && clear(s, to) < 0)
		return -1;
	if (to)
		nc_chains_del(&s->chains, &to->m);
	if (!s->replaced && add_gone(s, job->chain) < 0)
		return -1;
	if (nc_chains_rename(&s->chains, &from->m, job->newname) < 0)
		return -1;
	from->exists = from->own = true;
	/* the old name stays known: gone, and the input's */
	if (!(old = get(s, job->chain)))
		return -1;
	old->exists = false;
	old->own = true;
	return 0;
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

void nc_nft_script_from(struct nc_nft_script *s, bool script,
			void (*report)(void *arg, uint32_t line, const char *why),
			void *arg)
{
	s->script = script;
	s->report = report;
	s->arg = arg;
}

/* The entry added @seq-th, wherever it is now (NULL: deleted since). */
static struct entry *entry_of(struct nc_nft_script *s, uint64_t seq)
{
	for (size_t i = 0; i < s->chains.n; i++)
		for (size_t j = 0; j < chain_i(s, i)->m.n; j++)
			if (entry_at(s, chain_i(s, i), j)->seq == seq)
				return entry_at(s, chain_i(s, i), j);
	return NULL;
}

int nc_nft_script_finish(struct nc_nft_script *s)
{
	char why[NC_CHAIN_MAXNAMELEN + 32];
	int rc = 0;

	for (size_t i = 0; i < s->njumps; i++) {
		const struct jump *j = &s->jumps[i];
		struct schain *to = find(s, j->chain);

		if (!to || to->own)	/* made after all */
			continue;
		/* nothing made it: iptables would have said so at the line
		 * (and natc itself does); the chain is not made empty */
		to->exists = false;
		snprintf(why, sizeof(why), "Chain '%s' does not exist", j->chain);
		if (j->report)
			j->report(j->arg, j->line, why);
		for (size_t k = 0; k < j->n; k++) {
			struct entry *e = entry_of(s, j->seq + k);

			if (e && e->text) {
				e->text = NULL;
				e->src = j->src;
			}
		}
		rc = 1;
	}
	return rc;
}

void nc_nft_script_adopt(struct nc_nft_script *s, struct nc_store *st)
{
	nc_store_move(&s->store, st);
}

int nc_nft_script_job(struct nc_nft_script *s, const struct nc_job *job,
		      const struct nc_nft_texts *tx, const char *src,
		      size_t srclen, uint32_t line, char *why, size_t whylen)
{
	struct nc_nft_texts own_tx;
	struct schain *c = NULL;
	int rc = 0;

	s->line = line;
	if (nc_nft_names_check(job, why, whylen)) {
		nc_buf_printf(&s->pending, "# %.*s\n", (int)src_len(src, srclen), src);
		return nc_buf_failed(&s->pending) ? -1 : 1;
	}
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
		if (rc == KEPT)
			return 1;	/* kept in the chain as a comment */
		/* 1: refused before any rule went in (a jump to a chain
		 * that does not exist, a position past the end): the line
		 * is kept as a note below */
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
static int order_cmp(const struct schain *c)
{
	const struct nc_builtin *b = nc_builtin_find(c->m.name);

	return b ? (int)(b - nc_nat_builtins) : 4;
}

/* Rules are written chain by chain, the chains in the order of their
 * first rule in the input, so that a file's first comments stay first. */
static uint64_t first_seq(struct nc_nft_script *s, struct schain *c)
{
	uint64_t m = UINT64_MAX;

	for (size_t i = 0; i < c->m.n; i++)
		if (entry_at(s, c, i)->seq < m)
			m = entry_at(s, c, i)->seq;
	return m;
}

struct by_first {
	uint64_t seq;		/* first_seq(), found once */
	struct schain *c;
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

int nc_nft_script_write(struct nc_nft_script *s, const char *header, FILE *f)
{
	struct nc_buf buf = { 0 }, *out = &buf, prefix = { 0 };
	int rc = -1;
	const char *fam = nc_nft_family(s->family);
	struct schain **order;
	struct by_first *by_rule;
	size_t n = 0;

	order = malloc((s->chains.n + 1) * sizeof(*order));
	by_rule = malloc((s->chains.n + 1) * sizeof(*by_rule));
	if (!order || !by_rule) {
		free(order);
		free(by_rule);
		return -1;
	}
	nc_buf_puts(out, header);
	for (int k = 0; k <= 4; k++)
		for (size_t i = 0; i < s->chains.n; i++)
			if (chain_i(s, i)->exists && order_cmp(chain_i(s, i)) == k)
				order[n++] = chain_i(s, i);

	if (s->added)
		nc_buf_puts(out, "# rules added to what the chains hold (-n, wg-quick): "
			    "loading this twice adds them twice\n");
	nc_buf_printf(out, "add table %s nat\n", fam);
	if (s->replaced)
		nc_buf_printf(out, "delete table %s nat\nadd table %s nat\n", fam, fam);
	else if (s->flush_all)
		nc_buf_printf(out, "flush table %s nat\n", fam);
	for (size_t i = 0; i < n; i++) {
		chain_line(s, "add", order[i]->m.name, out);
		nc_nft_chain_decl(order[i]->m.name, out);
		nc_buf_putc(out, '\n');
	}
	if (!s->replaced && !s->flush_all)
		for (size_t i = 0; i < n; i++)
			if (order[i]->own) {
				chain_line(s, "flush", order[i]->m.name, out);
				nc_buf_putc(out, '\n');
			}
	if (!s->replaced)
		for (size_t i = 0; i < s->ngone; i++) {
			const struct schain *c = find(s, s->gone[i]);
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
		by_rule[i] = (struct by_first){ first_seq(s, order[i]), order[i] };
	qsort(by_rule, n, sizeof(*by_rule), by_seq);
	for (size_t i = 0; i < n; i++) {
		struct schain *c = by_rule[i].c;

		for (size_t k = 0; k < c->m.n; k++) {
			/* the head of a chain added to goes before the rules it
			 * holds: inserted, the last first */
			size_t j = k < c->head ? c->head - 1 - k : k;
			const struct entry *e = entry_at(s, c, j);

			if (k == 0 || k == c->head) {
				nc_buf_reset(&prefix);
				nc_buf_printf(&prefix, "%s rule %s nat %s ",
					      k < c->head ? "insert" : "add", fam, c->m.name);
			}
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
