/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Extensions: one ops table per match or target kind, one file per kind in
 * ir/ext/.  Everything natc knows about a kind lives behind its table: its
 * options and their checks, how iptables prints it (-S and -L), and how it
 * is lowered to kernel expressions and recognised again in a kernel dump.
 */
#ifndef NATC_EXT_H
#define NATC_EXT_H

#include "ir/ir.h"
#include "ir/err.h"
#include "ir/buf.h"
#include "ir/expr.h"
#include "ir/pkt.h"

enum nc_ext_kind { NC_EXT_MATCH, NC_EXT_TARGET };

enum nc_extopt_flags {
	NC_EXTOPT_ARG = 1 << 0,	/* takes an argument */
	NC_EXTOPT_INV = 1 << 1,	/* may be negated with '!' */
	NC_EXTOPT_ARG2 = 1 << 2 | NC_EXTOPT_ARG, /* takes two words, given to
				 * parse() as one "FIRST SECOND" */
};

struct nc_ext_opt {
	const char *name;	/* without the leading dashes */
	int id;
	unsigned flags;
};

/* Listing formats (-L): combine */
enum nc_fmt {
	NC_FMT_NUMERIC = 1 << 0,	/* -n */
	NC_FMT_VERBOSE = 1 << 1,	/* -v */
	NC_FMT_EXACT   = 1 << 2,	/* -x */
	NC_FMT_LINENUM = 1 << 3,	/* --line-numbers */
};

/*
 * Where an extension writes its nft text (backend/nft): words each
 * preceded by a space, in @b; what nft wants at the end of the rule
 * (comment "...") in @tail.  An xlate that cannot express an instance sets
 * @why (a static string) and returns -1: the rule stays untranslated.
 */
struct nc_xlate {
	struct nc_buf *b, *tail;
	const char *why;
};

/* Hook bits for nc_ext_ops.hooks */
#define NC_HOOK(h) (1u << (h))

struct nc_ext_ops {
	const char *name;	/* "tcp", "DNAT" */
	enum nc_ext_kind kind;
	unsigned families;	/* NC_FAMILY_* bits */
	size_t size;		/* private data */
	const struct nc_ext_opt *opts;	/* ends with a NULL name */
	uint32_t hooks;		/* hooks allowed, 0 = any (a match: checked
				 * in builtin chains only) */
	const void *priv;	/* constants a family of kinds shares
				 * callbacks by (see ir/ext/lib/nat.h) */
	/*
	 * iptables-nft 1.8.9 writes this kind as native expressions (tcp,
	 * udp, mark, limit, the verdicts), or it is an xt kind already
	 * (ir/ext/xtkind.c): nc_rule_linearize_xt() writes it with its own
	 * linearize().  Any other kind it writes as iptables-nft does, as
	 * the xt match or target of the same name.
	 */
	bool iptables_native;

	/* One option of this extension.  @r is the rule as built so far. */
	int (*parse)(struct nc_ext *e, struct nc_rule *r,
		     const struct nc_ext_opt *opt, bool inv, const char *arg,
		     const struct nc_loc *loc, struct nc_err *err);
	/* After the whole command: required options, cross checks. */
	int (*check)(struct nc_ext *e, const struct nc_rule *r,
		     struct nc_err *err);
	/*
	 * Optional, targets whose kernel form depends on the hook (NETMAP
	 * maps the destination in PREROUTING/OUTPUT, the source in
	 * POSTROUTING/INPUT): told the hook of the rule's builtin chain
	 * (NF_INET_*), or -1 for a user chain, after check().
	 */
	int (*at_hook)(struct nc_ext *e, int hook, const struct nc_loc *chain_loc,
		       struct nc_err *err);
	/*
	 * Optional: whether two instances mean the same (same ops), in rules
	 * whose generic parts are the same (@r: one of them); without it
	 * their data is compared bytewise.  NETMAP's says a rule read back
	 * from an xt target (hook unknown) equals one typed in a chain; the
	 * xt kinds', that instances the extension lists with the same text
	 * are the same (-m recent --mask sets 4 of the 16 bytes its init()
	 * set).
	 */
	bool (*equal)(const struct nc_ext *a, const struct nc_ext *b,
		      const struct nc_rule *r);
	/* Optional: true when the instance tests nothing (it is dropped). */
	bool (*empty)(const struct nc_ext *e);
	/*
	 * Optional, with empty(): kinds iptables-nft 1.8.9 writes natively
	 * and reads back into one match (tcp, udp): move each test of @from
	 * that @into lacks into @into, an earlier instance of the same kind
	 * that tests something.  The build pass (merge_matches()) makes a
	 * typed rule so, as the kind reads its tests back.
	 */
	void (*merge)(struct nc_ext *into, struct nc_ext *from);
	/* -S / save form, each option preceded by a space. */
	void (*save)(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_buf *b);
	/* -L form, preceded by a space where it prints anything. */
	void (*print)(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_buf *b, unsigned fmt);
	/*
	 * Append the kernel expressions; -1 with errno.  1 (nothing
	 * appended) when the instance has no native form: it goes as
	 * iptables' own xt match or target of the same name, built from its
	 * -S text (nc_xt_lower_native()), as iptables-nft sends it.
	 */
	int (*linearize)(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_exprs *out);
	/*
	 * Recognise this kind at the cursor: returns 1 and advances the
	 * cursor after adding the instance to @r, 0 when the expressions are
	 * not this kind's, -1 with errno on failure.
	 */
	int (*delinearize)(struct nc_rule *r, struct nc_expr_cursor *c);
	/* Optional: nft text (struct nc_xlate); a kind without it makes its
	 * rules untranslatable.  0, or -1 with x->why set. */
	int (*xlate)(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x);

	/* --- natc --explain (backend/explain); both optional ----------- */
	/*
	 * A plain-language phrase.  A match appends one or more clauses,
	 * each starting with ", " (", to port 80"); a target writes what
	 * it does ("destination rewritten to 13.37.42.1 port 80").
	 */
	void (*describe)(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b);
	/*
	 * A packet (ir/pkt.h) meets this instance.  A match returns
	 * NC_PKT_YES, NC_PKT_NO or NC_PKT_MAYBE (a field it needs is not
	 * known); a target fills p->act with what it would do and returns
	 * NC_PKT_YES.  Kinds without it are "cannot tell" (MAYBE / unknown:
	 * backend/explain/walk.c and model.c), so a kind whose answer would
	 * always be MAYBE has none.
	 */
	int (*packet)(const struct nc_ext *e, const struct nc_rule *r,
		      struct nc_pkt *p);
	/* Optional, for kinds whose options and name are known only per
	 * instance (libxtables extensions, ir/ext/xtkind.c): option @name
	 * of @e into *@out (0, or -1 when it has none such), and the name
	 * -S and -L show for it. */
	int (*opt_find)(const struct nc_ext *e, const struct nc_rule *r,
			const char *name, struct nc_ext_opt *out);
	const char *(*shown_name)(const struct nc_ext *e);
};

/* The name -S and -L show for an instance (-m NAME, -j NAME). */
static inline const char *nc_ext_name(const struct nc_ext *e)
{
	return e->ops->shown_name ? e->ops->shown_name(e) : e->ops->name;
}

#define NC_FAMILY_IPV4 1u
#define NC_FAMILY_IPV6 2u
static inline unsigned nc_family_bit(uint8_t af)
{
	return af == AF_INET6 ? NC_FAMILY_IPV6 : NC_FAMILY_IPV4;
}

/* The registry (ir/ext/registry.c) */
const struct nc_ext_ops *nc_ext_find(enum nc_ext_kind kind, const char *name,
				     uint8_t family);
/* Whether an option of that name exists and takes arguments, for the
 * scanner: how many it takes (0, 1, 2), -1 unknown. */
int nc_ext_opt_takes_arg(const char *name);
const struct nc_ext_opt *nc_ext_opt_find(const struct nc_ext_ops *ops,
					 const char *name);
/* All kinds, NULL-terminated, for delinearizing. */
extern const struct nc_ext_ops *const nc_ext_all[];

/* The generic part of a rule (ir/ext/lib/ip.c): -s -d -p -i -o -f. */
int nc_ip_linearize(const struct nc_rule *r, struct nc_exprs *out);
int nc_ip_delinearize(struct nc_rule *r, struct nc_expr_cursor *c);
/* --explain: the generic part as clauses (", from 10.0.0.0/8") and
 * against a packet (NC_PKT_YES / NO / MAYBE). */
void nc_ip_describe(const struct nc_rule *r, struct nc_buf *b);
int nc_ip_packet(const struct nc_rule *r, const struct nc_pkt *p);
int nc_ip_xlate(const struct nc_rule *r, struct nc_xlate *x);

/* Rule userdata (ir/ext/comment.c): the comment and natc's layout hints
 * (NC_UDATA_NATC), written after the expressions and read after them. */
#define NC_UDATA_STARTS 256	/* matches whose start natc's userdata may name */
/* @starts: where each match's expressions start, counted from the rule's
 * first (for the first NC_UDATA_STARTS matches). */
int nc_udata_linearize(const struct nc_rule *r, struct nc_exprs *out,
		       const size_t *starts);
int nc_udata_delinearize(struct nc_rule *r, const struct nc_exprs *in);
/* The build pass: whether @r's comment and natc's hints fit the 256 bytes
 * of userdata; -1 with iptables' kind of message when not. */
int nc_udata_check(const struct nc_rule *r, struct nc_err *err);
/* The expressions at which natc's userdata says a match instance starts
 * that is not to be read together with the ones before it (a kind given
 * twice: -m iprange --src-range A -m iprange --dst-range B), ascending,
 * at most @max into @at; how many. */
size_t nc_udata_breaks(const struct nc_exprs *in, size_t *at, size_t max);
/* Whether the read kind of @a and @b is one (state is read as conntrack) */
bool nc_ext_same_reader(const struct nc_ext_ops *a, const struct nc_ext_ops *b);
/* Whether a kind reading at @c may add a test to @e, an instance of @r
 * already read: not across a start natc's userdata marks. */
static inline bool nc_cursor_joins(const struct nc_expr_cursor *c,
				   const struct nc_rule *r, const struct nc_ext *e)
{
	return e && (size_t)(e - r->matches) >= c->from;
}

/*
 * A whole rule (ir/linearize.c).  @parse is natc's parser (nc_parse_line),
 * which xt matches and targets need to read a kind's -S text (lowering)
 * or an extension's (raising).  NULL does without it: an instance with
 * no native form is refused (EINVAL), one that has one is written
 * natively even by nc_rule_linearize_xt(), and an xt match or target read
 * back keeps the kernel's bytes.
 */
int nc_rule_linearize(const struct nc_rule *r, struct nc_exprs *out,
		      nc_parse_line_fn *parse);
/* The same as iptables-nft 1.8.9 writes it: xt matches and targets
 * (libxtables) for every kind it does not write natively. */
int nc_rule_linearize_xt(const struct nc_rule *r, struct nc_exprs *out,
			 nc_parse_line_fn *parse);
/* -1 with errno on ENOMEM; 0 with r->unknown set when not expressible. */
int nc_rule_delinearize(struct nc_rule *r, const struct nc_exprs *in,
			nc_parse_line_fn *parse);

/* Kinds referred to by name elsewhere */
extern const struct nc_ext_ops nc_ext_standard;	/* ACCEPT, RETURN, jump, goto */
extern const struct nc_ext_ops nc_ext_tcp, nc_ext_udp, nc_ext_sctp;
extern const struct nc_ext_ops nc_ext_dnat, nc_ext_snat;
extern const struct nc_ext_ops nc_ext_masquerade, nc_ext_redirect;
extern const struct nc_ext_ops nc_ext_comment, nc_ext_mark, nc_ext_multiport;
extern const struct nc_ext_ops nc_ext_iprange, nc_ext_pkttype, nc_ext_ttl;
extern const struct nc_ext_ops nc_ext_icmp, nc_ext_length, nc_ext_owner;
extern const struct nc_ext_ops nc_ext_addrtype, nc_ext_conntrack, nc_ext_state;
extern const struct nc_ext_ops nc_ext_statistic, nc_ext_limit;
extern const struct nc_ext_ops nc_ext_mark_tg, nc_ext_netmap, nc_ext_connmark_tg;
extern const struct nc_ext_ops nc_ext_log, nc_ext_nflog;

/* The standard target's data */
enum nc_verdict_kind {
	NC_VERDICT_ACCEPT = 1,
	NC_VERDICT_DROP,	/* never valid in nat, kept to report it */
	NC_VERDICT_RETURN,
	NC_VERDICT_JUMP,
	NC_VERDICT_GOTO,
};
struct nc_standard {
	int kind;		/* enum nc_verdict_kind */
	char chain[NC_CHAIN_MAXNAMELEN + 3];
};

/* The name iptables shows in the target column / after -j ("" for none). */
const char *nc_target_name(const struct nc_rule *r);

#endif
