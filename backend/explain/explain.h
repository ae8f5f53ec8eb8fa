/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * natc --explain: a nat ruleset in plain language, the problems it has
 * (findings) and what it does to one packet (trace).  Nothing here
 * changes the kernel: the ruleset comes from a save file, the command
 * line or a dump, and the live facts (live.h) are read, never written.
 *
 * Each rule gets a sentence built from its kinds' describe callbacks
 * (ir/ext.h); each finding lives in its own checker (f_*.c, listed in
 * findings.c) and is recorded with a stable id, a severity, where the
 * rule is and a fix.  The same packet walker (walk.c), fed packets whose
 * fields may be unknown, answers both "what happens to this packet" and
 * the findings' "could any rule there translate such a flow".
 */
#ifndef NATC_EXPLAIN_H
#define NATC_EXPLAIN_H

#include "ir/ir.h"
#include "ir/buf.h"
#include "ir/err.h"
#include "ir/pkt.h"
#include "ir/ext.h"
#include "backend/explain/live.h"

enum nc_xp_sev { NC_XP_INFO, NC_XP_WARNING, NC_XP_ERROR };
const char *nc_xp_sev_name(enum nc_xp_sev s);

/* What a rule tests, directly or on every path that reaches it. */
enum nc_xp_cond {
	NC_XC_IN  = 1 << 0,
	NC_XC_OUT = 1 << 1,
	NC_XC_SRC = 1 << 2,
	NC_XC_DST = 1 << 3,
	NC_XC_ALL = 0xf,
};

struct nc_xp_rule {
	const struct nc_rule *r;
	const struct nc_chain *chain;
	size_t ci;		/* the chain's index in the ruleset */
	size_t num;		/* 1-based in its chain */
	char *text;		/* "-A CHAIN ..." */
	char *sentence;
	unsigned hooks;		/* NC_HOOK() bits of the hooks reaching it */
	unsigned cond;		/* enum nc_xp_cond */
	bool is_new;		/* the command being explained */
	bool ends;		/* nc_xp_rule_ends_chain() */
	unsigned own;		/* what it tests, with the chain-ending
				 * rules before it in its chain */
	ssize_t to;		/* the chain a jump or goto leads to (its
				 * index), -1: none or not found */
};

struct nc_xp_finding {
	const char *id;
	enum nc_xp_sev sev;
	const struct nc_xp_rule *rule;	/* NULL: a chain or the whole ruleset */
	char *chain;			/* the chain it is about, or NULL */
	char *message, *fix;
};

/* One rule the walker met. */
struct nc_xp_step {
	int hook;
	const struct nc_xp_rule *rule;
	int match;			/* NC_PKT_YES or NC_PKT_MAYBE */
	enum nc_pkt_act act;
	char *note;			/* what it did, for the trace */
};

/* The result of walking one hook's chains with one packet. */
struct nc_xp_walk {
	struct nc_xp_step *steps;
	size_t n, cap;
	const struct nc_xp_rule *nat;	/* the rule that translated (YES) */
	struct nc_pkt_act_info act;	/* ... and what it did */
	bool maybe_dnat, maybe_snat;	/* a MAYBE rule may translate */
	bool unknown;			/* met something natc cannot follow */
	bool uncertain;			/* passed a rule that MAYBE decided:
					 * what follows is only "maybe" */
	unsigned stop;			/* NC_XP_STOP_*: given by the caller */
	bool stopped;			/* ... and met */
};

/* A walk that only asks whether a rule may translate stops there. */
enum { NC_XP_STOP_MAYBE_DNAT = 1, NC_XP_STOP_MAYBE_SNAT = 2 };

struct nc_xp_tuple {
	uint8_t proto;
	union nc_addr src, dst;
	uint16_t sport, dport;
	bool src_exact, sport_exact, dst_exact, dport_exact;
	char range[96];		/* when not exact: where it is taken from */
};

struct nc_xp_trace {
	char *spec;			/* as given */
	struct nc_pkt pkt;		/* as it arrived */
	bool local_out;			/* "out IFACE": made by this host */
	struct nc_xp_walk walks[2];	/* the two nat hooks it meets */
	int hooks[2];
	char *route;			/* the routing decision, in words */
	struct nc_xp_tuple original, translated, reply;
	bool error;			/* dropped on the way; why: route */
	int ip_forward;			/* of the namespace, -1 unknown */
};

/* walk.c: a chain walked in one hook walk, entered in a state (the
 * packet mark as known, w->uncertain) and left in another */
struct nc_xp_memo {
	unsigned gen;			/* the walk it was made in */
	uint32_t mark_in, mark_out;
	unsigned known_in, known_out;
	bool unc_in, unc_out;
	int rc;
	size_t step0, step1;		/* the steps it added to the walk */
};

struct nc_xp {
	const struct nc_ruleset *rs;
	const char *file;		/* NULL unless read from a file */
	const char *source;		/* in words: "file x", "live nat table" */
	struct nc_xp_rule *rules;
	size_t nrules;
	size_t *first;			/* per chain: its first rule's index */
	unsigned *chain_hooks, *chain_cond;
	const struct nc_xp_live *live;	/* NULL: static only */
	const struct nc_xp_live *ctx;	/* for traces: this host's addresses
					 * (set even when the audit is static) */
	struct nc_xp_finding *f;
	size_t nf, capf;
	char **notes;			/* what could not be known */
	size_t nnotes;
	struct nc_xp_trace *trace;
	bool failed;			/* out of memory somewhere */
	/* what keeps every walk and finding linear in the rules */
	size_t *names, nnames;		/* chain name hash: index + 1, 0 empty */
	ssize_t hook_chain[8];		/* per NF_INET_* hook: its chain, -1 */
	struct nc_xp_index **index;	/* per chain (index.c) */
	struct nc_xp_memo *memo;	/* per chain: the last walk through it;
					 * memo[nchains].gen counts the walks */
};

/* index.c: a chain's rules filed by what they test, to find the few a
 * packet may meet (or that may cover a rule) without asking every one */
struct nc_xp_index *nc_xp_index_new(void);
void nc_xp_index_free(struct nc_xp_index *ix);
/* File rule number @i (0-based, added in chain order). */
void nc_xp_index_add(struct nc_xp_index *ix, const struct nc_rule *r, uint32_t i);
/* The rules that may see @p (any other answers no), or that may cover
 * @b (shadowed-rule's covers()), in chain order in *out (caller frees);
 * -1: every rule (nothing known to narrow them, or out of memory). */
ssize_t nc_xp_index_packet(const struct nc_xp_index *ix, const struct nc_pkt *p,
			   uint32_t **out);
ssize_t nc_xp_index_rule(const struct nc_xp_index *ix, const struct nc_rule *b,
			 uint32_t **out);
/* The index of chain @name in the ruleset, -1 */
ssize_t nc_xp_chain_index(const struct nc_xp *xp, const char *name);

/* Build the model of @rs (borrowed, must outlive @xp); -1 on ENOMEM. */
int nc_xp_init(struct nc_xp *xp, const struct nc_ruleset *rs,
	       const struct nc_xp_live *live);
void nc_xp_free(struct nc_xp *xp);
/* The model rule for chain index @ci, 0-based @ri. */
const struct nc_xp_rule *nc_xp_rule_at(const struct nc_xp *xp, size_t ci, size_t ri);

/* Run every checker of findings.c. */
void nc_xp_check(struct nc_xp *xp);
/* Record a finding; @rule or @chain may be NULL. */
void nc_xp_add(struct nc_xp *xp, const char *id, enum nc_xp_sev sev,
	       const struct nc_xp_rule *rule, const char *chain,
	       const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void nc_xp_note(struct nc_xp *xp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool nc_xp_has(const struct nc_xp *xp, const char *id);

/* walk.c: the chains of @hook with @p, kernel order, jumps and returns
 * followed; the target that translated is applied to nothing (see
 * w->act).  @w is zeroed first; free it with nc_xp_walk_free(). */
void nc_xp_walk_hook(const struct nc_xp *xp, int hook, struct nc_pkt *p,
		     struct nc_xp_walk *w);
/* The same, stopping as soon as one of @stop (NC_XP_STOP_*) is known:
 * for findings that only ask whether some rule may translate. */
void nc_xp_walk_hook_until(const struct nc_xp *xp, int hook, struct nc_pkt *p,
			   struct nc_xp_walk *w, unsigned stop);
void nc_xp_walk_free(struct nc_xp_walk *w);
/* Whether rule @r could see packet @p (generic part and every match). */
int nc_xp_rule_match(const struct nc_rule *r, struct nc_pkt *p);
/* What the rule's target does (p->act filled); NC_ACT_NONE without one. */
enum nc_pkt_act nc_xp_rule_act(const struct nc_rule *r, struct nc_pkt *p);
/* Whether no later rule of the chain sees a packet rule @r takes (a target
 * natc cannot tell about, such as MARK, ends nothing). */
bool nc_xp_rule_ends_chain(const struct nc_rule *r);

/* The flow a DNAT-like rule @xr produces: the packet after translation,
 * its fields known as far as the rule tells.  false: not a DNAT. */
bool nc_xp_dnat_flow(const struct nc_xp_rule *xr, struct nc_pkt *out);

/* trace.c: "tcp 10.0.0.2:40000 -> 10.0.0.1:80 in eth0"; -1 with err for
 * a spec that does not parse. */
int nc_xp_trace(struct nc_xp *xp, const char *spec, struct nc_err *err);

/* describe.c: the sentence of one rule (in xp_rule.sentence). */
char *nc_xp_sentence(const struct nc_rule *r, const struct nc_chain *c);

/* load.c: a save file's nat table, or a shell script's nat commands, as
 * a ruleset (rule locations are the file's lines); *notes (caller frees
 * each and the vector) says which script lines were not followed.  NULL
 * with err. */
struct nc_ruleset *nc_xp_load_file(const char *name, uint8_t family,
				   char ***notes, size_t *nnotes, struct nc_err *err);

/* output */
void nc_xp_print_text(const struct nc_xp *xp, bool color, struct nc_buf *b);
void nc_xp_print_json(const struct nc_xp *xp, struct nc_buf *b);
void nc_xp_print_dot(const struct nc_xp *xp, struct nc_buf *b);
/* "PREROUTING rule 1", plus " (file:line)" when known */
void nc_xp_location(const struct nc_xp *xp, const struct nc_xp_rule *xr,
		    struct nc_buf *b);

#endif
