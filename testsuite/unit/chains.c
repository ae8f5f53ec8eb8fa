// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The chain model (ir/chains.h) against a reference model written here
 * the plainest way (arrays searched from the start, iptables' rules
 * spelled out once more): long random runs of every command form (-A,
 * -I [N], -D N, -D rule, -R N, -C, -N, -X [NAME], -E, -F [NAME]) on
 * both, with the outcome (done, or iptables' message) and the whole state
 * (chains in order of first mention, each chain's rules) compared after
 * every command.  Rules are numbers here: the model never looks into a
 * rule, it asks its user whether two are the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include "testsuite/unit/tap.h"
#include "ir/chains.h"
#include "ir/buf.h"

/* --- the reference ------------------------------------------------- */

#define MAXC 64
#define MAXR 64

struct ref {
	char name[MAXC][32];
	int rules[MAXC][MAXR];
	int n[MAXC];
	int nchains;
};

static int ref_find(const struct ref *r, const char *name)
{
	for (int i = 0; i < r->nchains; i++)
		if (!strcmp(r->name[i], name))
			return i;
	return -1;
}

static int ref_add_chain(struct ref *r, const char *name)
{
	snprintf(r->name[r->nchains], sizeof(r->name[0]), "%s", name);
	r->n[r->nchains] = 0;
	return r->nchains++;
}

static void ref_del_chain(struct ref *r, int c)
{
	for (int i = c; i + 1 < r->nchains; i++) {
		memcpy(r->name[i], r->name[i + 1], sizeof(r->name[0]));
		memcpy(r->rules[i], r->rules[i + 1], sizeof(r->rules[0]));
		r->n[i] = r->n[i + 1];
	}
	r->nchains--;
}

static bool is_builtin(const char *name)
{
	return !strcmp(name, "PREROUTING") || !strcmp(name, "INPUT") ||
	       !strcmp(name, "OUTPUT") || !strcmp(name, "POSTROUTING");
}

/* One command on the reference: "" when done, else iptables' message. */
static const char *ref_apply(struct ref *r, char op, const char *chain, int num,
			     int rule, const char *newname)
{
	int c = ref_find(r, chain), k;

	if (c < 0 && is_builtin(chain) && op != 'N' && op != 'X' && op != 'E')
		c = ref_add_chain(r, chain);
	switch (op) {
	case 'A':
	case 'I':
		if (r->n[c] >= MAXR)
			return "full";
		k = op == 'A' ? r->n[c] : num ? num - 1 : 0;
		if (k > r->n[c])
			return "Index of insertion too big.";
		memmove(&r->rules[c][k + 1], &r->rules[c][k], (size_t)(r->n[c] - k) * sizeof(int));
		r->rules[c][k] = rule;
		r->n[c]++;
		return "";
	case 'D':
	case 'R':
	case 'C':
		if (num) {
			if (num > r->n[c])
				return op == 'D' ? "Index of deletion too big." :
				       op == 'R' ? "Index of replacement too big." :
				       "Index of check too big.";
			k = num - 1;
		} else {
			for (k = 0; k < r->n[c] && r->rules[c][k] != rule; k++)
				;
			if (k == r->n[c])
				return NC_MSG_BAD_RULE;
		}
		if (op == 'R')
			r->rules[c][k] = rule;
		if (op == 'D') {
			memmove(&r->rules[c][k], &r->rules[c][k + 1],
				(size_t)(r->n[c] - k - 1) * sizeof(int));
			r->n[c]--;
		}
		return "";
	case 'N':
		if (c >= 0 || is_builtin(chain))
			return NC_MSG_CHAIN_EXISTS;
		ref_add_chain(r, chain);
		return "";
	case 'X':
		if (!*chain) {	/* every user chain, each must be empty */
			for (int i = 0; i < r->nchains; i++)
				if (!is_builtin(r->name[i]) && r->n[i])
					return NC_MSG_NOT_EMPTY;
			for (int i = 0; i < r->nchains; i++)
				if (!is_builtin(r->name[i]))
					ref_del_chain(r, i--);
			return "";
		}
		if (c < 0 || is_builtin(chain))
			return NC_MSG_NO_CHAIN;
		if (r->n[c])
			return NC_MSG_NOT_EMPTY;
		ref_del_chain(r, c);
		return "";
	case 'E':
		if (c < 0 || is_builtin(chain))
			return NC_MSG_NO_CHAIN;
		if (ref_find(r, newname) >= 0 || is_builtin(newname))
			return NC_MSG_FILE_EXISTS;
		snprintf(r->name[c], sizeof(r->name[0]), "%s", newname);
		return "";
	case 'F':
		for (int i = 0; i < r->nchains; i++)
			if (!*chain || i == c)
				r->n[i] = 0;
		return "";
	}
	return "?";
}

/* --- the model, used as natc's consumers use it --------------------- */

struct rec {
	int rule;
	int *live;		/* counts records alive: rule_free() runs once */
};

static void rec_free(void *p)
{
	(*((struct rec *)p)->live)--;
}

struct same_arg {
	struct nc_chains *m;
	struct nc_mchain *c;
};

static bool same(void *arg, size_t i, const struct nc_rule *r)
{
	struct same_arg *a = arg;

	return ((struct rec *)nc_mchain_rule(a->m, a->c, i))->rule == (int)(intptr_t)r;
}

static const char *model_apply(struct nc_chains *m, int *live, char op, const char *chain,
			       int num, int rule, const char *newname, struct nc_err *err)
{
	struct nc_rule *rp = (struct nc_rule *)(intptr_t)rule;
	struct nc_job job = { .rulenum = (size_t)num, .rules = &rp, .nrules = 1 };
	struct nc_mchain *c = nc_chains_find(m, chain);
	struct same_arg arg = { m, c };
	struct rec *at;
	size_t pos;

	nc_err_clear(err);
	if (!c && is_builtin(chain) && op != 'N' && op != 'X' && op != 'E')
		c = arg.c = nc_chains_get(m, chain);
	switch (op) {
	case 'A':
	case 'I':
		if (c->n >= MAXR)
			return "full";
		job.kind = op == 'A' ? NC_CMD_APPEND : NC_CMD_INSERT;
		if (nc_chains_add_pos(&job, c->n, &pos, NULL, err) < 0)
			return err->msg;
		at = nc_mchain_insert(m, c, pos);
		*at = (struct rec){ rule, live };
		(*live)++;
		return "";
	case 'D':
	case 'R':
	case 'C':
		job.kind = op == 'D' ? NC_CMD_DELETE : op == 'R' ? NC_CMD_REPLACE : NC_CMD_CHECK;
		if (nc_chains_rule_pos(&job, 0, c->n, same, &arg, NULL, &pos, NULL, err) < 0)
			return err->msg;
		if (op == 'R')
			((struct rec *)nc_mchain_rule(m, c, pos))->rule = rule;
		if (op == 'D')
			nc_mchain_remove(m, c, pos);
		return "";
	case 'N':
		if (nc_chains_check_new(chain, c != NULL, NULL, err) < 0)
			return err->msg;
		nc_chains_get(m, chain);
		return "";
	case 'X':
		if (!*chain) {
			for (size_t i = 0; i < m->n; i++)
				if (!m->v[i]->builtin && nc_chains_check_delete(m->v[i]->name,
						true, m->v[i]->n, NULL, err) < 0)
					return err->msg;
			for (size_t i = 0; i < m->n; i++)
				if (!m->v[i]->builtin)
					nc_chains_del(m, m->v[i--]);
			return "";
		}
		if (nc_chains_check_delete(chain, c && !c->builtin, c ? c->n : 0, NULL, err) < 0)
			return err->msg;
		nc_chains_del(m, c);
		return "";
	case 'E':
		if (nc_chains_check_rename(chain, c != NULL, newname,
					   nc_chains_find(m, newname) != NULL, NULL, err) < 0)
			return err->msg;
		nc_chains_rename(m, c, newname);
		return "";
	case 'F':
		for (size_t i = 0; i < m->n; i++)
			if (!*chain || m->v[i] == c)
				nc_mchain_clear(m, m->v[i]);
		return "";
	}
	return "?";
}

/* The whole state, written out: "NAME:r,r,|NAME:|..." in model order. */
static void state_ref(const struct ref *r, struct nc_buf *b)
{
	nc_buf_reset(b);
	for (int i = 0; i < r->nchains; i++) {
		nc_buf_printf(b, "%s:", r->name[i]);
		for (int k = 0; k < r->n[i]; k++)
			nc_buf_printf(b, "%d,", r->rules[i][k]);
		nc_buf_putc(b, '|');
	}
}

static void state_model(struct nc_chains *m, struct nc_buf *b)
{
	nc_buf_reset(b);
	for (size_t i = 0; i < m->n; i++) {
		/* every chain is found by its name too */
		if (nc_chains_find(m, m->v[i]->name) != m->v[i])
			nc_buf_puts(b, "[not found by name]");
		nc_buf_printf(b, "%s:", m->v[i]->name);
		for (size_t k = 0; k < m->v[i]->n; k++)
			nc_buf_printf(b, "%d,", ((struct rec *)nc_mchain_rule(m, m->v[i], k))->rule);
		nc_buf_putc(b, '|');
	}
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned)(rnd_state % n);
}

/* A run of @steps random commands over @nnames chain names. */
static void run(unsigned steps, unsigned nnames, unsigned maxrule)
{
	static const char ops[] = "AAAAIIIDDRCNNXXEFF";
	static const char *const builtins[] = { "PREROUTING", "INPUT", "OUTPUT", "POSTROUTING" };
	struct ref *r = calloc(1, sizeof(*r));
	struct nc_chains m;
	struct nc_buf a = { 0 }, b = { 0 };
	struct nc_err err = { 0 };
	unsigned agree = 0, errors = 0;
	int live = 0;
	char why[1400] = "";

	nc_chains_init(&m, 0, sizeof(struct rec), rec_free);
	for (unsigned i = 0; i < steps; i++) {
		char op = ops[rnd(sizeof(ops) - 1)], chain[32], newname[32];
		int num = rnd(3) ? 0 : (int)rnd(8), rule = (int)rnd(maxrule) + 1;
		const char *want, *got;

		if (rnd(4) == 0)
			snprintf(chain, sizeof(chain), "%s", builtins[rnd(4)]);
		else
			snprintf(chain, sizeof(chain), "c%u", rnd(nnames));
		if ((op == 'X' || op == 'F') && rnd(5) == 0)
			chain[0] = '\0';
		if (rnd(8) == 0)
			snprintf(newname, sizeof(newname), "%s", builtins[rnd(4)]);
		else
			snprintf(newname, sizeof(newname), "c%u", rnd(nnames));
		if (op == 'R' && !num)
			num = 1;	/* -R always has a number */
		/* a chain that is not there: both say so, the model is not asked */
		if (strchr("AIDRC", op) && ref_find(r, chain) < 0 && !is_builtin(chain))
			continue;
		if (r->nchains >= MAXC - 1 && op == 'N')
			continue;
		want = ref_apply(r, op, chain, num, rule, newname);
		got = model_apply(&m, &live, op, chain, num, rule, newname, &err);
		errors += *want != '\0';
		state_ref(r, &a);
		state_model(&m, &b);
		if (strcmp(want, got) || strcmp(nc_buf_str(&a), nc_buf_str(&b))) {
			snprintf(why, sizeof(why), "step %u: -%c %s %d rule %d new %s: "
				 "reference '%s' [%.150s], model '%s' [%.150s]", i, op, chain,
				 num, rule, newname, want, nc_buf_str(&a), got, nc_buf_str(&b));
			break;
		}
		agree++;
	}
	ok(!why[0], "%u commands over %u names agree with the reference (%u of them "
	   "refused)%s%s", agree, nnames, errors, why[0] ? ": " : "", why);
	nc_chains_free(&m);
	ok(live == 0, "every rule record released once (%d left)", live);
	nc_buf_free(&a);
	nc_buf_free(&b);
	free(r);
}

int main(void)
{
	struct nc_chains m;
	struct nc_buf b = { 0 };
	int live = 0;
	struct nc_err err = { 0 };
	char name[32];

	/* few names: many refusals, long chains; more names: the hash
	 * table grows, chains come and go */
	run(20000, 4, 6);
	run(20000, 12, 20);
	run(20000, 60, 1000);

	/* many chains: found by name after growth, deletions, renames */
	nc_chains_init(&m, 0, sizeof(struct rec), rec_free);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "chain%d", i);
		nc_chains_get(&m, name);
	}
	for (int i = 0; i < 3000; i += 3) {
		snprintf(name, sizeof(name), "chain%d", i);
		nc_chains_del(&m, nc_chains_find(&m, name));
	}
	for (int i = 1; i < 3000; i += 3) {
		char to[32];

		snprintf(name, sizeof(name), "chain%d", i);
		snprintf(to, sizeof(to), "renamed%d", i);
		nc_chains_rename(&m, nc_chains_find(&m, name), to);
	}
	{
		int bad = 0;

		for (int i = 0; i < 3000; i++) {
			struct nc_mchain *c;

			snprintf(name, sizeof(name), "chain%d", i);
			c = nc_chains_find(&m, name);
			bad += (i % 3 == 2) != (c != NULL);
			snprintf(name, sizeof(name), "renamed%d", i);
			c = nc_chains_find(&m, name);
			bad += (i % 3 == 1) != (c != NULL);
		}
		ok(bad == 0 && m.n == 2000, "3000 chains, a third deleted, a third renamed: "
		   "each found by its name (%d wrong, %zu chains)", bad, m.n);
		ok(!strcmp(m.v[0]->name, "renamed1") && !strcmp(m.v[1]->name, "chain2"),
		   "a renamed chain keeps its place (%s, %s)", m.v[0]->name, m.v[1]->name);
	}
	nc_chains_free(&m);

	/* -I of several rules (a list of addresses): each goes to the same
	 * place, so they end up reversed, as with iptables */
	nc_chains_init(&m, 0, sizeof(struct rec), rec_free);
	{
		struct nc_mchain *c = nc_chains_get(&m, "PREROUTING");
		struct nc_job job = { .kind = NC_CMD_INSERT, .rulenum = 1 };
		size_t pos;

		ok(c && c->builtin, "a builtin is known as one");
		for (int i = 1; i <= 3; i++) {
			struct rec *at;

			nc_chains_add_pos(&job, c->n, &pos, NULL, &err);
			at = nc_mchain_insert(&m, c, pos);
			*at = (struct rec){ i, &live };
			live++;
		}
		state_model(&m, &b);
		is_str(nc_buf_str(&b), "PREROUTING:3,2,1,|", "-I 1 three times");
		job.rulenum = 5;
		ok(nc_chains_add_pos(&job, c->n, &pos, NULL, &err) < 0 &&
		   err.status == NC_EOTHER, "-I 5 of 3 rules: %s", err.msg);
	}
	nc_chains_free(&m);
	ok(live == 0, "records released by nc_chains_free");
	nc_buf_free(&b);
	return tap_done();
}
